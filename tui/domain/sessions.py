"""Sessions: what the journal records of one run through a routine."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

STATUSES = ("completed", "stopped", "interrupted", "logged")
"""Every status a finished session can have (PRODUCT.md)."""
PAIN_LIMITS = (0, 10)
"""A pain rating runs from 0 (none) to 10 (worst)."""
SEVERE_PAIN = 8
"""A rating at or above this shows the safety advice."""
NOTE_MAX = 2000
"""Longest note a session may carry (and a problem reported with `!`)."""
DISCOMFORT_LIMITS = (0, 10)
"""How a stretch felt, from 0 (no discomfort) to 10 (the worst imaginable)."""
EVENTS_MAX = 100
"""Most problems one session may carry: the app records one (the `!` key stops the session), a file a few."""


@dataclass(frozen=True, slots=True)
class HoldRecord:
    """One hold as it was done (slots: a journal of years holds a hundred thousand of them)."""

    exercise: str
    """Exercise id."""
    side: str | None
    """`left`, `right`, or None for a stretch without sides."""
    rep: int
    """Which repetition (1-based)."""
    planned_seconds: int
    """How long the hold was meant to be."""
    held_seconds: float
    """How long it was actually held (pauses excluded)."""
    completed: bool
    """Whether it ran to its end (not skipped or cut short)."""


@dataclass(frozen=True)
class ProblemReport:
    """Something that went wrong during a session, as the `!` key recorded it (`events` in the journal)."""

    at: datetime
    """When it was reported (aware)."""
    kind: str
    """One of `warning_signs.PROBLEM_KINDS`: `sharp-pain`, `numbness`, `leg-pain`, `dizziness`, `other`."""
    note: str = ""
    """What the person added in their own words (asked for `other`), or ''."""


@dataclass(frozen=True)
class StepRating:
    """How one step's stretch felt, asked after its last hold (`step_ratings` in the journal)."""

    step: int
    """Which step of the routine as run, counted from 1 (like a hold's `rep`)."""
    exercise: str
    """The step's exercise id."""
    discomfort: int
    """Discomfort during the stretch, 0-10 (DISCOMFORT_LIMITS)."""


@dataclass(frozen=True)
class Session:
    """One session in the journal."""

    id: str
    """Unique id, stable across export and import."""
    routine_id: str
    """Id of the routine that was run."""
    routine_name: str
    """Its name at the time, kept so the journal reads well after a rename or delete."""
    started_at: datetime
    """When it began (aware)."""
    ended_at: datetime | None
    """When it ended (aware); None while it is under way."""
    status: str
    """One of STATUSES."""
    holds_planned: int
    """How many holds the routine had (including any 'one more rep')."""
    holds: tuple[HoldRecord, ...] = ()
    """The holds done, in routine order."""
    pain_before: int | None = None
    """Pain rating before, 0-10, or None when skipped."""
    pain_after: int | None = None
    """Pain rating after, 0-10, or None when skipped."""
    note: str = ""
    """The user's note."""
    events: tuple[ProblemReport, ...] = ()
    """What the `!` key recorded, oldest first (a session stops at the first, so mostly none or one)."""
    step_ratings: tuple[StepRating, ...] = ()
    """How each rated step felt, in the order they were rated; at most one per step."""

    @property
    def holds_done(self) -> int:
        """How many holds ran to their end."""
        return sum(1 for h in self.holds if h.completed)

    @property
    def seconds_held(self) -> float:
        """Total time spent holding."""
        return round(sum(h.held_seconds for h in self.holds), 1)

    @property
    def pain_change(self) -> int | None:
        """Before minus after: positive when pain went down; None without both ratings."""
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_before - self.pain_after

    def with_changes(self, **changes: Any) -> "Session":
        """A copy with some fields changed."""
        return replace(self, **changes)


def needs_safety_advice(pain_before: int | None, pain_after: int | None) -> bool:
    """True when a check-in recorded severe pain or pain that rose during the session."""
    ratings = [p for p in (pain_before, pain_after) if p is not None]
    if any(p >= SEVERE_PAIN for p in ratings):
        return True
    return pain_before is not None and pain_after is not None and pain_after > pain_before


def safety_reason(pain_before: int | None, pain_after: int | None) -> str:
    """Why the safety advice is shown after a check-in, in a sentence."""
    if pain_before is not None and pain_after is not None and pain_after > pain_before:
        return f"Your pain went up during this session (from {pain_before} to {pain_after})."
    worst = max(p for p in (pain_before, pain_after) if p is not None)
    return f"You rated your pain {worst} out of 10."


def note_problem(note: str) -> str | None:
    """What is wrong with a note the user typed (too long, or holding control characters), or None.

    Said after "the note" or "--note": `is 2001 characters long; at most 2000`.
    """
    from tui.domain.text import text_problem

    if len(note) > NOTE_MAX:
        return f"is {len(note)} characters long; at most {NOTE_MAX}"
    return text_problem(note, multiline=True)


def parse_pain(text: str, skippable: bool = True) -> int | None:
    """A pain rating typed by the user: '' means skipped (unless not `skippable`); raises ValueError with a message."""
    from tui.domain.whole_numbers import parse_whole

    if skippable and not text.strip():
        return None
    try:
        return parse_whole(text, PAIN_LIMITS)
    except ValueError as error:
        raise ValueError(f"pain {error}") from None
