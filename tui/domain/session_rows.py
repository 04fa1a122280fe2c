"""SessionRow: what the journal's table, filter and stats need of a session, without its holds.

Ten years of daily sessions hold about ninety thousand holds; a row carries the
two numbers the table shows of them (holds done, seconds held) instead, so the
journal can be listed without reading or keeping every hold. The full session
is read when its details are opened.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from tui.domain.sessions import ProblemReport, Session, StepRating


class SessionRow(NamedTuple):
    """One session as the journal lists it; the same field names as Session for what it keeps.

    A tuple: ten years of rows are cheap to make from a summary and small to keep.
    """

    id: str
    """The session's id."""
    routine_id: str
    """Id of the routine that was run."""
    routine_name: str
    """Its name at the time."""
    started_at: datetime
    """When it began (aware)."""
    status: str
    """One of STATUSES."""
    holds_done: int
    """How many holds ran to their end."""
    holds_planned: int
    """How many holds the routine had."""
    seconds_held: float
    """Total time spent holding."""
    pain_before: int | None
    """Pain rating before, 0-10, or None."""
    pain_after: int | None
    """Pain rating after, 0-10, or None."""
    note: str
    """The user's note."""
    events: tuple[ProblemReport, ...] = ()
    """What the "something is wrong" key recorded (few: kept with the row, for its mark and for stats)."""
    step_ratings: tuple[StepRating, ...] = ()
    """How each stretch felt (a few numbers: kept with the row, for stats)."""

    @property
    def pain_change(self) -> int | None:
        """Before minus after: positive when pain went down; None without both ratings."""
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_before - self.pain_after


def session_row(session: Session) -> SessionRow:
    """The row of a full session."""
    return SessionRow(
        id=session.id, routine_id=session.routine_id, routine_name=session.routine_name,
        started_at=session.started_at, status=session.status, holds_done=session.holds_done,
        holds_planned=session.holds_planned, seconds_held=session.seconds_held,
        pain_before=session.pain_before, pain_after=session.pain_after, note=session.note,
        events=session.events, step_ratings=session.step_ratings,
    )
