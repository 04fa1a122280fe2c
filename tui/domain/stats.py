"""Journal stats: streaks, sessions and minutes per week, the pain trend, and which routines help.

Everything is worked out in one pass over the sessions (plus a sort of the
distinct days for the streaks), so the stats of ten years of daily sessions
cost about as much as reading them once. Days are the user's calendar days:
a session counts on the day it began, in `tz` (the local zone by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Iterable

from tui.domain.session_rows import SessionRow
from tui.domain.sessions import STATUSES, Session

RECENT_WEEKS = 12
"""How many weeks (this one included) the weekly figures and the pain trend cover."""


def day_of(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day a moment falls on, in `tz` (None: the local zone)."""
    return moment.astimezone(tz).date()


def week_start(day: date) -> date:
    """The Monday of the week a day is in."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekFigures:
    """What happened in one week (Monday to Sunday)."""

    start: date
    """The Monday the week begins on."""
    sessions: int = 0
    """Sessions begun that week."""
    seconds_held: float = 0.0
    """Time spent holding stretches that week."""
    pain_before: float | None = None
    """Average pain before, over the week's sessions rated before; None when none was."""
    pain_after: float | None = None
    """Average pain after, over the week's sessions rated after; None when none was."""

    @property
    def minutes_held(self) -> float:
        """Time spent holding, in minutes."""
        return self.seconds_held / 60


@dataclass(frozen=True)
class RoutineRelief:
    """How much one routine lowers pain, over the sessions rated both before and after."""

    routine_id: str
    """The routine's id."""
    routine_name: str
    """Its name in the latest session of it."""
    sessions: int
    """Sessions of it rated both before and after."""
    average_drop: float
    """Average of pain before minus pain after: positive when pain went down."""


@dataclass(frozen=True)
class JournalStats:
    """Every figure the stats screen shows."""

    today: date
    """The day the figures were worked out for."""
    sessions: int = 0
    """Every session counted."""
    seconds_held: float = 0.0
    """Time spent holding, over every session."""
    by_status: dict[str, int] = field(default_factory=dict)
    """Sessions of each status (completed, stopped, interrupted, logged), every status present."""
    current_streak: int = 0
    """Days in a row with a session, up to today (or up to yesterday while today has none yet)."""
    longest_streak: int = 0
    """The most days in a row there ever was a session."""
    weeks: tuple[WeekFigures, ...] = ()
    """The recent weeks, oldest first; the last one is this week."""
    relief: tuple[RoutineRelief, ...] = ()
    """Each routine with at least one session rated before and after, the most relief first."""

    @property
    def minutes_held(self) -> float:
        """Time spent holding, in minutes."""
        return self.seconds_held / 60


class _Week:
    """Running sums of one week while the sessions are read."""

    __slots__ = ("sessions", "seconds", "before_sum", "before_n", "after_sum", "after_n")

    def __init__(self) -> None:
        self.sessions = 0
        self.seconds = 0.0
        self.before_sum = self.before_n = self.after_sum = self.after_n = 0


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days in `days`.

    The current streak ends today, or yesterday while today has no session
    yet: a streak is not broken until a whole day passes without one.
    """
    ordered = sorted(set(days))
    longest = run = 0
    previous: date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    present = set(ordered)
    end = today if today in present else today - timedelta(days=1)
    current = 0
    while end in present:
        current += 1
        end -= timedelta(days=1)
    return current, longest


def compute_stats(
    sessions: Iterable[Session | SessionRow], today: date, tz: tzinfo | None = None, weeks: int = RECENT_WEEKS
) -> JournalStats:
    """Every figure of the stats screen, in one pass over `sessions` (any order)."""
    first_week = week_start(today) - timedelta(weeks=weeks - 1)
    by_week: dict[date, _Week] = {}
    by_status = dict.fromkeys(STATUSES, 0)
    days: set[date] = set()
    relief: dict[str, list] = {}  # routine id -> [drop sum, count, latest start, name]
    count = 0
    seconds = 0.0
    for session in sessions:
        count += 1
        held = session.seconds_held
        seconds += held
        by_status[session.status] = by_status.get(session.status, 0) + 1
        day = day_of(session.started_at, tz)
        days.add(day)
        monday = week_start(day)
        if first_week <= monday <= today:
            week = by_week.get(monday)
            if week is None:
                week = by_week[monday] = _Week()
            week.sessions += 1
            week.seconds += held
            if session.pain_before is not None:
                week.before_sum += session.pain_before
                week.before_n += 1
            if session.pain_after is not None:
                week.after_sum += session.pain_after
                week.after_n += 1
        drop = session.pain_change
        if drop is not None:
            entry = relief.get(session.routine_id)
            if entry is None:
                relief[session.routine_id] = [drop, 1, session.started_at, session.routine_name]
            else:
                entry[0] += drop
                entry[1] += 1
                if session.started_at > entry[2]:
                    entry[2], entry[3] = session.started_at, session.routine_name
    current, longest = streaks(days, today)
    return JournalStats(
        today=today,
        sessions=count,
        seconds_held=round(seconds, 1),
        by_status=by_status,
        current_streak=current,
        longest_streak=longest,
        weeks=tuple(_week_figures(first_week + timedelta(weeks=i), by_week.get(first_week + timedelta(weeks=i)))
                    for i in range(weeks)),
        relief=tuple(sorted(
            (RoutineRelief(rid, e[3], e[1], e[0] / e[1]) for rid, e in relief.items()),
            key=lambda r: (-r.average_drop, -r.sessions, r.routine_name.casefold()),
        )),
    )


def _week_figures(start: date, week: _Week | None) -> WeekFigures:
    if week is None:
        return WeekFigures(start)
    return WeekFigures(
        start=start,
        sessions=week.sessions,
        seconds_held=round(week.seconds, 1),
        pain_before=week.before_sum / week.before_n if week.before_n else None,
        pain_after=week.after_sum / week.after_n if week.after_n else None,
    )


def change_in_words(drop: float) -> str:
    """An average change in pain as the user would say it: "fell 2.5", "rose 1", "no change".

    `drop` is before minus after (positive when pain went down), as `average_drop` is.
    """
    amount = f"{abs(drop):.1f}".removesuffix(".0")
    if amount == "0":
        return "no change"
    return f"fell {amount}" if drop > 0 else f"rose {amount}"
