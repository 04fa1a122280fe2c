"""A made-up journal for the report's tests and its picture in docs/: five weeks of one person's stretching."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from tui.domain.schedule import make_plan
from tui.domain.sessions import HoldRecord, ProblemReport, Session, StepRating
from tui.domain.warning_signs import ScreeningAnswer
from tui.storage.store import Store

FIRST = date(2026, 10, 5)
"""A Monday: the first day of the journal."""
LAST = date(2026, 11, 8)
"""A Sunday: the last day."""
SESSION_DAYS = (0, 1, 2, 4, 7, 8, 10, 11, 14, 15, 16, 18, 21, 22, 23, 24, 25, 28, 29, 31, 32, 34)
"""Days after FIRST with a session: 22 sessions, some weeks fuller than others."""
HOSTILE_NOTE = 'felt <b>tight</b> & "stiff" <script>alert(1)</script> <img src=x>'
"""A note holding HTML: the report must show it as text."""


def fill(store: Store) -> int:
    """Write the made-up journal, a plan and warning-sign answers to `store`; how many sessions it holds."""
    routine = store.routines.get("back-spasm-relief")
    store.plans.set(make_plan(routine.id, routine.name, 1, "mon-fri", "08-18"), FIRST)
    store.screenings.add(ScreeningAnswer(datetime(2026, 10, 5, 8, 0, tzinfo=timezone.utc), "none"))
    store.screenings.add(ScreeningAnswer(datetime(2026, 10, 26, 8, 0, tzinfo=timezone.utc), "urgent"))
    for index, offset in enumerate(SESSION_DAYS):
        started = datetime.combine(FIRST + timedelta(days=offset), datetime.min.time(), timezone.utc) + timedelta(hours=9)
        holds = tuple(HoldRecord(step.exercise, side, rep, step.hold_seconds, step.hold_seconds, True)
                      for step in routine.steps for rep in range(1, step.reps + 1) for side in step.side_order())
        before = max(1, 7 - index // 4)
        session = Session(
            id=f"made-up-{index}", routine_id=routine.id, routine_name=routine.name, started_at=started,
            ended_at=started + timedelta(minutes=12), status="completed", holds_planned=len(holds), holds=holds,
            pain_before=before, pain_after=max(0, before - 2),
            step_ratings=tuple(StepRating(n, step.exercise, max(0, (6 - index // 5) - n % 2))
                               for n, step in enumerate(routine.steps, 1)))
        if index == 5:
            session = replace(session, note="Easier after a warm shower.")
        if index == 9:
            session = replace(session, status="stopped", holds=holds[:6], note=HOSTILE_NOTE,
                              events=(ProblemReport(started + timedelta(minutes=4), "leg-pain", "left calf"),))
        store.journal.add(session)
    return len(SESSION_DAYS)
