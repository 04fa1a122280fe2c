"""Progression: when a routine's stretch may be held a little longer, or should be eased off.

Each exercise has a recommended hold and number of reps (`Exercise.hold_range`,
`reps_range`, from the library). The journal says how the last sessions of a
routine went. From those two, `suggest` offers at most one change at a time:

- **step up** when the last `STEP_UP_SESSIONS` sessions of the routine, run with
  the step as it is planned now, were all completed, the stretch felt
  `CALM_DISCOMFORT` or less wherever it was rated, pain did not rise (not during
  any of them, nor from the first to the last), and no problem was reported with
  `!`. The hold grows by `HOLD_STEP` seconds up to the top of its range; once it
  is there, the reps grow by one, up to theirs.
- **ease off** when the stretch was rated `HIGH_DISCOMFORT` or more in each of
  the last `EASE_OFF_RATINGS` sessions that rated it at its present level. The
  reps go down by one toward the bottom of their range; once they are there,
  the hold shortens by `HOLD_STEP` seconds toward the bottom of its range. That
  is the step-up path walked back, so easing off undoes the latest step up.

Ease off comes before step up, and the earlier step before the later one. Only
sessions run at the step's present hold and reps count, so after any change the
next one waits for sessions at the new level. Pure: no clock, no files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping

from tui.domain.exercises import REPS_LIMITS, Exercise
from tui.domain.routines import Routine, Step
from tui.domain.sessions import Session

STEP_UP_SESSIONS = 3
"""How many sessions in a row must have gone well before a step up is offered."""
CALM_DISCOMFORT = 3
"""A stretch rated at most this (0-10) went well."""
HIGH_DISCOMFORT = 6
"""A stretch rated at least this (0-10) was too much."""
EASE_OFF_RATINGS = 2
"""How many ratings in a row at HIGH_DISCOMFORT or more make the app offer to ease off."""
HOLD_STEP = 5
"""Seconds a hold grows or shrinks by in one change."""
LOOKBACK_DAYS = 60
"""Only sessions this recent count: a step up after weeks away would be a step into the unknown."""
RUN_STATUSES = ("completed", "stopped", "interrupted")
"""Sessions run in the app (a logged one has no holds or ratings to judge by)."""


@dataclass(frozen=True)
class Suggestion:
    """One change to one step of a routine, and why."""

    kind: str
    """`step up` or `ease off`."""
    step: int
    """Which step, counted from 1."""
    exercise: str
    """The step's exercise id."""
    exercise_name: str
    """The exercise's name, for the message."""
    field: str
    """`hold_seconds` or `reps`."""
    before: int
    """The value now."""
    after: int
    """The value offered."""
    reason: str
    """Why, in a sentence the user reads."""

    @property
    def change(self) -> str:
        """The change in a few words: `Hamstring Stretch: 5 → 6 reps`."""
        unit = " s hold" if self.field == "hold_seconds" else " reps"
        return f"{self.exercise_name}: {self.before} → {self.after}{unit}"

    @property
    def headline(self) -> str:
        """`Step up` or `Ease off`, then the change."""
        return f"{self.kind.capitalize()} (step {self.step}) {self.change}"


def ran_at_level(session: Session, step: Step) -> bool:
    """Whether `session` ran `step` at its present hold and reps (a hold of it planned that long, up to its last rep)."""
    reps = [h.rep for h in session.holds if h.exercise == step.exercise and h.planned_seconds == step.hold_seconds]
    return bool(reps) and max(reps) >= step.reps


def rating_of(session: Session, number: int, step: Step) -> int | None:
    """How step `number` (from 1) felt in `session`, 0-10, or None when it was not rated."""
    for rating in session.step_ratings:
        if rating.step == number and rating.exercise == step.exercise:
            return rating.discomfort
    return None


def _pain_steady(sessions: list[Session]) -> bool:
    """No session's pain went up during it, and pain before the last is no higher than before the first."""
    if any(s.pain_before is not None and s.pain_after is not None and s.pain_after > s.pain_before for s in sessions):
        return False
    befores = [s.pain_before for s in sessions if s.pain_before is not None]
    return len(befores) < 2 or befores[-1] <= befores[0]


def _stepped_up(step: Step, exercise: Exercise) -> tuple[str, int] | None:
    """The field and value one step up within the ranges, or None at the top of both."""
    hold_low, hold_high = exercise.hold_range
    if step.hold_seconds < hold_high:
        return "hold_seconds", min(hold_high, step.hold_seconds + HOLD_STEP)
    reps_high = exercise.reps_range[1] if exercise.reps_range[1] is not None else REPS_LIMITS[1]
    if step.reps < reps_high:
        return "reps", step.reps + 1
    return None


def _eased_off(step: Step, exercise: Exercise) -> tuple[str, int] | None:
    """The field and value one step down toward the bottom of the ranges, or None at the bottom of both."""
    reps_low = exercise.reps_range[0]
    if step.reps > reps_low:
        return "reps", step.reps - 1
    hold_low = exercise.hold_range[0]
    if step.hold_seconds > hold_low:
        return "hold_seconds", max(hold_low, step.hold_seconds - HOLD_STEP)
    return None


def suggest(routine: Routine, exercises: Mapping[str, Exercise], sessions: Iterable[Session]) -> Suggestion | None:
    """The one change to offer for `routine` after `sessions` (any order, any routine), or None."""
    mine = sorted((s for s in sessions if s.routine_id == routine.id and s.status in RUN_STATUSES),
                  key=lambda s: s.started_at)
    for number, step in enumerate(routine.steps, 1):
        exercise = exercises.get(step.exercise)
        if exercise is None:
            continue
        at_level = [s for s in mine if ran_at_level(s, step)]
        ratings = [r for r in (rating_of(s, number, step) for s in at_level) if r is not None]
        recent = ratings[-EASE_OFF_RATINGS:]
        if len(recent) == EASE_OFF_RATINGS and all(r >= HIGH_DISCOMFORT for r in recent):
            change = _eased_off(step, exercise)
            if change is not None:
                felt = " and ".join(str(r) for r in recent)
                return Suggestion(
                    "ease off", number, step.exercise, exercise.name, change[0], getattr(step, change[0]), change[1],
                    f"it felt {felt} out of 10 the last {EASE_OFF_RATINGS} times you rated it "
                    f"({HIGH_DISCOMFORT} or more is too much)")
    for number, step in enumerate(routine.steps, 1):
        exercise = exercises.get(step.exercise)
        if exercise is None:
            continue
        last = mine[-STEP_UP_SESSIONS:]
        if len(last) < STEP_UP_SESSIONS or not all(ran_at_level(s, step) for s in last):
            continue
        if any(s.status != "completed" or s.events for s in last) or not _pain_steady(last):
            continue
        ratings = [r for r in (rating_of(s, number, step) for s in last) if r is not None]
        if any(r > CALM_DISCOMFORT for r in ratings):
            continue
        change = _stepped_up(step, exercise)
        if change is not None:
            felt = f", it felt {CALM_DISCOMFORT} or less out of 10" if ratings else ""
            return Suggestion(
                "step up", number, step.exercise, exercise.name, change[0], getattr(step, change[0]), change[1],
                f"your last {STEP_UP_SESSIONS} sessions were completed{felt}, and your pain did not rise")
    return None


def applied(routine: Routine, suggestion: Suggestion) -> Routine:
    """`routine` with the suggested change made to its step (the id and name as they are)."""
    steps = list(routine.steps)
    step = steps[suggestion.step - 1]
    if step.exercise != suggestion.exercise or getattr(step, suggestion.field) != suggestion.before:
        raise ValueError("the routine has changed since the suggestion was made")
    change: dict[str, Any] = {suggestion.field: suggestion.after}  # hold_seconds or reps: a whole number either way
    steps[suggestion.step - 1] = replace(step, **change)
    return replace(routine, steps=tuple(steps))
