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
    """Between the left and the right side of one rep."""


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


def expand(routine: Routine, exercises: Mapping[str, Exercise]) -> list[PlannedHold]:
    """Every hold of a routine, in order: step by step, rep by rep, left before right."""
    holds: list[PlannedHold] = []
    for step_index, step in enumerate(routine.steps):
        exercise = exercises[step.exercise]
        for rep in range(1, step.reps + 1):
            for side in step.side_order():
                holds.append(
                    PlannedHold(step_index, exercise, side, rep, step.reps, step.hold_seconds, step.rest_seconds)
                )
    return holds


def lead_in(previous: PlannedHold | None, hold: PlannedHold, timings: Timings) -> tuple[Phase, int]:
    """The phase before `hold` and its length, given the hold before it."""
    if previous is None or previous.step_index != hold.step_index:
        return Phase.GET_READY, timings.get_ready_seconds
    if previous.rep == hold.rep:
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
