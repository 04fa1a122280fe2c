"""The plan of a session: a routine expanded into holds, and the phases around them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Mapping

from tui.domain.exercises import Exercise
from tui.domain.routines import Routine


class Phase(str, Enum):
    """What the user is doing right now."""

    GET_READY = "get-ready"
    """Getting into position for a new exercise."""
    HOLD = "hold"
    """Holding the stretch."""
    SWITCH = "switch"
    """Changing to the other side."""
    REST = "rest"
    """Relaxing between reps."""
    DONE = "done"
    """The session is over."""


@dataclass(frozen=True)
class Timings:
    """Lengths of the phases around holds that a routine does not set itself."""

    get_ready_seconds: int = 5
    """Before the first hold and before each new exercise."""
    switch_seconds: int = 5
    """When the side changes: between the two sides of a rep (`alternate`), or once between the sides (`one-side-first`)."""


@dataclass(frozen=True)
class PlannedHold:
    """One hold the session will ask for."""

    step_index: int
    """Which step of the routine it belongs to."""
    exercise: Exercise
    """The stretch."""
    side: str | None
    """`left`, `right`, or None."""
    rep: int
    """Repetition number, from 1."""
    reps: int
    """How many repetitions the step has."""
    planned_seconds: int
    """Length of the hold."""
    rest_seconds: int
    """Rest after it when another rep of the same step follows."""
    order: str = "alternate"
    """The step's order of sides: `alternate` or `one-side-first` ("one more rep" keeps to it)."""


def expand(routine: Routine, exercises: Mapping[str, Exercise]) -> list[PlannedHold]:
    """Every hold of a routine, in order: step by step, and within a step in its order of sides
    (`alternate`: rep by rep, left before right; `one-side-first`: every rep on the left, then on the right)."""
    holds: list[PlannedHold] = []
    for step_index, step in enumerate(routine.steps):
        exercise = exercises[step.exercise]
        for side, rep in step.holds():
            holds.append(PlannedHold(step_index, exercise, side, rep, step.reps, step.hold_seconds, step.rest_seconds,
                                     step.order))
    return holds


def changes_side(previous: PlannedHold, hold: PlannedHold) -> bool:
    """Whether going from `previous` to `hold` of the same step is a switch of sides.

    The side changes with no new rep begun: the second side of one rep (`alternate`),
    or the first rep of the second side after the last of the first (`one-side-first`).
    From the right side of one rep to the left of the next (`alternate`) is a rest instead.
    """
    return previous.side != hold.side and hold.rep <= previous.rep


def lead_in(previous: PlannedHold | None, hold: PlannedHold, timings: Timings) -> tuple[Phase, int]:
    """The phase before `hold` and its length, given the hold before it."""
    if previous is None or previous.step_index != hold.step_index:
        return Phase.GET_READY, timings.get_ready_seconds
    if changes_side(previous, hold):
        return Phase.SWITCH, timings.switch_seconds
    return Phase.REST, previous.rest_seconds


def plan_seconds(holds: list[PlannedHold], timings: Timings) -> int:
    """Planned length of a whole session: every lead-in and every hold."""
    total = 0
    previous = None
    for hold in holds:
        total += lead_in(previous, hold, timings)[1] + hold.planned_seconds
        previous = hold
    return total


def routine_seconds(routine: Routine, exercises: Mapping[str, Exercise], timings: Timings = Timings()) -> int:
    """Planned length of a routine, as shown in the menu and the builder."""
    return plan_seconds(expand(routine, exercises), timings)


def format_duration(seconds: float) -> str:
    """`75` -> `1:15`; `3725` -> `1:02:05`."""
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
