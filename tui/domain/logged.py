"""Logged sessions: ones done away from the app, recorded by `backrelief log` or by hand in the journal.

Nobody timed them, so their holds are the routine's plan, each counted as held
in full; both ways of logging build them here so they read the same.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Mapping

from tui.domain.bounds import EARLIEST, local_moment
from tui.domain.exercises import Exercise
from tui.domain.plan import PlannedHold, Timings, expand, plan_seconds
from tui.domain.problems import ValidationError
from tui.domain.routines import Routine
from tui.domain.sessions import HoldRecord, Session

FUTURE_SLACK = timedelta(minutes=1)
"""How far past 'now' a logged start may be (clocks of two machines rarely agree to the second)."""
TIME_EXAMPLE = "2026-01-31 08:30"
"""How a date and time is typed, shown in messages."""


def logged_holds(plan: list[PlannedHold]) -> tuple[HoldRecord, ...]:
    """Every planned hold as a record of a hold done in full."""
    return tuple(
        HoldRecord(h.exercise.id, h.side, h.rep, h.planned_seconds, float(h.planned_seconds), True) for h in plan
    )


def logged_session(
    routine: Routine,
    exercises: Mapping[str, Exercise],
    timings: Timings,
    started_at: datetime,
    pain_before: int | None = None,
    pain_after: int | None = None,
    note: str = "",
    session_id: str | None = None,
) -> Session:
    """A `logged` session of `routine` that began at `started_at` and ran for the routine's planned time."""
    plan = expand(routine, exercises)
    return Session(
        id=session_id or uuid.uuid4().hex,
        routine_id=routine.id,
        routine_name=routine.name,
        started_at=started_at,
        ended_at=started_at + timedelta(seconds=plan_seconds(plan, timings)),
        status="logged",
        holds_planned=len(plan),
        holds=logged_holds(plan),
        pain_before=pain_before,
        pain_after=pain_after,
        note=note,
    )


def parse_logged_time(text: str, now: datetime) -> datetime:
    """When a logged session began, typed as `2026-01-31 08:30` (local time unless an offset is given).

    Raises ValueError with a message for the user when the text is not a date
    and time or lies in the future.
    """
    text = text.strip()
    if not text:
        raise ValueError(f"type the date and time it began, like {TIME_EXAMPLE}")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date and time; type it like {TIME_EXAMPLE}") from None
    try:
        moment = local_moment(moment, "when", now)  # without an offset: the user's local time, that day's offset
    except ValidationError:
        if moment.year >= now.year:
            raise ValueError(f"{moment.strftime('%Y-%m-%d %H:%M')} is in the future") from None
        raise ValueError(f"type a date from {EARLIEST.year} on, not {text!r}") from None
    if moment > now + FUTURE_SLACK:
        raise ValueError(f"{moment.strftime('%Y-%m-%d %H:%M')} is in the future")
    return moment
