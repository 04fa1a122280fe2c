"""RoutineDraft: the routine the builder is editing, kept as the user typed it.

Numbers stay text until they are checked, so a half-typed value is never
lost and never stored: the domain's own checks (`check_routine`) decide what
is valid, and this module only turns their problems into words for each field.
No Textual here, so it is tested like the domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from tui.domain.exercises import Exercise
from tui.domain.plan import Timings, routine_seconds
from tui.domain.problems import Problem, ValidationError
from tui.domain.routines import Routine, Step, check_routine, check_step
from tui.domain.whole_numbers import whole_or_text

STEP_FIELDS = {"hold": "hold_seconds", "reps": "reps", "rest": "rest_seconds", "sides": "sides", "order": "order"}
"""The builder's name for each step field, and the domain's."""
_STEP_PATH = re.compile(r"^steps\[(\d+)\](?:\.(\w+))?$")
"""A problem's field path inside a step: `steps[2].reps`."""


@dataclass
class StepDraft:
    """One step as typed: the numbers are still text."""

    exercise: str
    """Id of the exercise."""
    hold: str
    """Hold seconds, as typed."""
    reps: str
    """Repetitions, as typed."""
    rest: str
    """Rest seconds between reps, as typed."""
    sides: str
    """`none`, `both`, `left` or `right`."""
    order: str = "alternate"
    """With both sides: `alternate` or `one-side-first`."""

    @classmethod
    def from_step(cls, step: Step) -> "StepDraft":
        """The draft of a stored step."""
        return cls(step.exercise, str(step.hold_seconds), str(step.reps), str(step.rest_seconds), step.sides, step.order)

    @classmethod
    def for_exercise(cls, exercise: Exercise, rest_seconds: int) -> "StepDraft":
        """A new step with the exercise's recommended hold, reps and sides."""
        return cls(exercise.id, str(exercise.default_hold), str(exercise.default_reps), str(rest_seconds),
                   exercise.default_sides)

    def to_dict(self) -> dict[str, Any]:
        """The step in its file form, numbers parsed where they can be."""
        return {
            "exercise": self.exercise,
            "hold_seconds": whole_or_text(self.hold),
            "reps": whole_or_text(self.reps),
            "rest_seconds": whole_or_text(self.rest),
            "sides": self.sides,
            "order": self.order,
        }

    def to_step(self) -> Step | None:
        """The step, or None while any of its values is not valid."""
        data = self.to_dict()
        if check_step(data, "step", [self.exercise]):
            return None
        return Step(self.exercise, data["hold_seconds"], data["reps"], data["rest_seconds"], self.sides, self.order)


@dataclass
class RoutineDraft:
    """A routine as the builder holds it: its id (empty until first saved), name, description and steps."""

    id: str = ""
    """Id of the stored routine; empty for one never saved."""
    name: str = ""
    """Name, as typed."""
    description: str = ""
    """Description, as typed."""
    steps: list[StepDraft] = field(default_factory=list)
    """The steps, in order."""

    @classmethod
    def from_routine(cls, routine: Routine) -> "RoutineDraft":
        """The draft of a stored routine."""
        return cls(routine.id, routine.name, routine.description, [StepDraft.from_step(s) for s in routine.steps])

    def state(self) -> tuple:
        """Everything the user can change, to tell whether anything was."""
        return (self.name, self.description, tuple(
            (s.exercise, s.hold, s.reps, s.rest, s.sides, s.order) for s in self.steps
        ))

    def problems(self, known_exercises: Iterable[str], other_names: Iterable[str] = ()) -> list[Problem]:
        """Every reason the routine cannot be saved yet (the domain's checks, plus a name another routine has)."""
        found = check_routine(self.name, self.description, [s.to_dict() for s in self.steps], known_exercises)
        name = self.name.strip()
        if name and name.casefold() in {n.casefold() for n in other_names}:
            found.insert(0, Problem("name", f"a routine named {name!r} already exists"))
        return found

    def to_routine(self, known_exercises: Iterable[str]) -> Routine:
        """The routine to store; raises ValidationError while anything is invalid."""
        known = list(known_exercises)
        found = self.problems(known)
        if found:
            raise ValidationError(found)
        steps = tuple(s.to_step() for s in self.steps)
        return Routine(id=self.id, name=self.name.strip(), steps=steps,  # type: ignore[arg-type]
                       description=self.description.strip())

    def total_seconds(self, exercises: Mapping[str, Exercise], timings: Timings) -> tuple[int, int]:
        """Planned length of the valid steps, and how many steps were left out as not valid yet."""
        valid = [step for step in (s.to_step() for s in self.steps) if step is not None and step.exercise in exercises]
        routine = Routine(id="", name="", steps=tuple(valid))
        return routine_seconds(routine, exercises, timings), len(self.steps) - len(valid)


def step_problem_index(path: str) -> tuple[int, str] | None:
    """(step index, builder field) of a problem inside a step, or None.

    The field is `hold`, `reps`, `rest`, `sides`, `exercise`, or '' for the step as a whole.
    """
    match = _STEP_PATH.match(path)
    if not match:
        return None
    domain_field = match.group(2) or ""
    builder_field = next((k for k, v in STEP_FIELDS.items() if v == domain_field), domain_field)
    return int(match.group(1)), builder_field


def field_label(path: str) -> str:
    """A problem's field in the user's words: `steps[2].reps` -> `Step 3 reps`."""
    inside = step_problem_index(path)
    if inside is not None:
        index, name = inside
        return f"Step {index + 1} {name}".rstrip()
    return path[:1].upper() + path[1:]


def describe_problem(problem: Problem) -> str:
    """One problem as a sentence the user can act on."""
    return f"{field_label(problem.field)}: {problem.reason}"
