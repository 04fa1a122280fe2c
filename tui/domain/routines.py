"""Routines: ordered steps of exercises, their limits, and the routine file format."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

from tui.domain.exercises import (
    HOLD_LIMITS,
    ORDERS,
    REPS_LIMITS,
    REST_LIMITS,
    SIDES,
    Exercise,
    check_name,
    check_text,
    check_whole,
    describe,
    exercise_from_dict,
    exercise_to_dict,
    type_name,
)
from tui.domain.problems import Problem, ValidationError, load_json_file
from tui.domain.text import text_problem

FILE_FORMAT = "backrelief-routine"
"""The `format` field of a routine file."""
FILE_VERSION = 1
"""The routine file version this code writes and reads."""
MAX_FILE_BYTES = 1024 * 1024
"""Largest routine file accepted."""
STEP_LIMITS = (1, 50)
"""How many steps a routine may have."""
DESCRIPTION_MAX = 500
"""Longest description a routine may carry."""
EXERCISE_FILE_FIELDS = frozenset(
    {"id", "name", "instructions", "hold_range", "reps_range", "default_hold", "default_reps", "default_rest", "default_sides", "sides",
     "figure"}
)
"""Fields an exercise in a routine file may have (not `builtin`: a file cannot make one read-only)."""
STEP_FIELDS = frozenset({"exercise", "hold_seconds", "reps", "rest_seconds", "sides", "order"})
"""Fields a step may have; `order` is optional (older files have none)."""


@dataclass(frozen=True)
class Step:
    """One exercise in a routine, with its timing."""

    exercise: str
    """Id of the exercise."""
    hold_seconds: int
    """Length of each hold."""
    reps: int = 1
    """How many times the hold is done (per side when `sides` is both)."""
    rest_seconds: int = 0
    """Rest between reps."""
    sides: str = "none"
    """`none`, `both` (the left and the right side), `left` or `right`."""
    order: str = "alternate"
    """With both sides: `alternate` (left, right, left, right) or `one-side-first` (every rep on the left, then every rep on the right)."""

    def side_order(self) -> tuple[str | None, ...]:
        """The sides each rep holds, in order; None means the stretch has no side."""
        if self.sides == "both":
            return ("left", "right")
        if self.sides in ("left", "right"):
            return (self.sides,)
        return (None,)

    def holds(self) -> list[tuple[str | None, int]]:
        """(side, rep) of every hold of the step, in the order they are held."""
        if self.order == "one-side-first":
            return [(side, rep) for side in self.side_order() for rep in range(1, self.reps + 1)]
        return [(side, rep) for rep in range(1, self.reps + 1) for side in self.side_order()]


@dataclass(frozen=True)
class Routine:
    """A named sequence of steps."""

    id: str
    """Stable id (`back-spasm-relief`)."""
    name: str
    """Name shown to the user; unique among routines."""
    steps: tuple[Step, ...]
    """The steps, in order."""
    description: str = ""
    """What the routine is for."""
    builtin: bool = field(default=False, compare=False)
    """Shipped with the app, and so read-only."""

    def with_steps(self, steps: Iterable[Step]) -> "Routine":
        """A copy with other steps."""
        return replace(self, steps=tuple(steps))


def check_step(data: Any, where: str, known_exercises: Iterable[str]) -> list[Problem]:
    """Problems with one step in its stored or file form."""
    if not isinstance(data, Mapping):
        return [Problem(where, f"must be an object, not {type_name(data)}")]
    problems: list[Problem] = []
    exercise = data.get("exercise")
    if not isinstance(exercise, str) or not exercise:
        problems.append(Problem(f"{where}.exercise", f"must be an exercise id, not {describe(exercise)}"))
    elif exercise not in set(known_exercises):
        problems.append(Problem(f"{where}.exercise", f"unknown exercise {exercise!r}"))
    for key, limits, required in (
        ("hold_seconds", HOLD_LIMITS, True),
        ("reps", REPS_LIMITS, False),
        ("rest_seconds", REST_LIMITS, False),
    ):
        if key not in data:
            if required:
                problems.append(Problem(f"{where}.{key}", "is missing"))
            continue
        problems += check_whole(data[key], f"{where}.{key}", limits, "seconds" if "seconds" in key else "")
    sides = data.get("sides", "none")
    if sides not in SIDES:
        problems.append(Problem(f"{where}.sides", f"must be one of {', '.join(SIDES)}, not {describe(sides)}"))
    order = data.get("order", "alternate")
    if order not in ORDERS:
        problems.append(Problem(f"{where}.order", f"must be one of {', '.join(ORDERS)}, not {describe(order)}"))
    unknown = set(data) - STEP_FIELDS
    if unknown:
        problems.append(Problem(where, f"unknown field {sorted(unknown)[0]!r}"))
    return problems


def step_from_dict(data: Mapping[str, Any]) -> Step:
    """A step from a dict already checked by `check_step`."""
    return Step(
        exercise=data["exercise"],
        hold_seconds=int(data["hold_seconds"]),
        reps=int(data.get("reps", 1)),
        rest_seconds=int(data.get("rest_seconds", 0)),
        sides=data.get("sides", "none"),
        order=data.get("order", "alternate"),
    )


def step_to_dict(step: Step) -> dict[str, Any]:
    """The stored and file form of a step; `order` only when it is not the default, so files stay as older versions wrote them."""
    data: dict[str, Any] = {
        "exercise": step.exercise,
        "hold_seconds": step.hold_seconds,
        "reps": step.reps,
        "rest_seconds": step.rest_seconds,
        "sides": step.sides,
    }
    if step.order != "alternate":
        data["order"] = step.order
    return data


def check_routine(name: Any, description: Any, steps: Any, known_exercises: Iterable[str],
                  stored: bool = False) -> list[Problem]:
    """Every problem with a routine's name, description and steps.

    `stored`: the routine is read from the data dir (see `check_name`).
    """
    known = set(known_exercises)
    problems = check_name(name, stored=stored)
    problems += check_text(description, "description", DESCRIPTION_MAX, stored)
    if not isinstance(steps, list):
        problems.append(Problem("steps", f"must be a list, not {type_name(steps)}"))
        return problems
    low, high = STEP_LIMITS
    if not low <= len(steps) <= high:
        problems.append(Problem("steps", f"has {len(steps)} steps; a routine needs {low} to {high}"))
    for index, step in enumerate(steps[: high + 1]):
        problems += check_step(step, f"steps[{index}]", known)
    return problems


def validate_routine(routine: Routine, known_exercises: Iterable[str], stored: bool = False) -> None:
    """Raise ValidationError when a routine breaks any limit (`stored`: see `check_name`)."""
    problems = check_routine(
        routine.name, routine.description, [step_to_dict(s) for s in routine.steps], known_exercises, stored
    )
    if problems:
        raise ValidationError(problems)


def routine_from_dict(data: Mapping[str, Any], builtin: bool = False) -> Routine:
    """A routine from its stored form (already valid)."""
    return Routine(
        id=data["id"],
        name=data["name"],
        description=data.get("description", "") or "",
        steps=tuple(step_from_dict(s) for s in data["steps"]),
        builtin=builtin,
    )


def routine_to_dict(routine: Routine) -> dict[str, Any]:
    """The stored form of a routine."""
    return {
        "id": routine.id,
        "name": routine.name,
        "description": routine.description,
        "steps": [step_to_dict(s) for s in routine.steps],
    }


@dataclass(frozen=True)
class RoutineFile:
    """What a routine file holds once parsed and checked."""

    name: str
    """The routine's name."""
    description: str
    """The routine's description."""
    steps: tuple[Step, ...]
    """The steps."""
    exercises: tuple[Exercise, ...]
    """Custom exercises the file defines."""


def parse_routine_file(raw: bytes | str, builtin_exercises: Iterable[str], custom_exercises: Iterable[str] = ()) -> RoutineFile:
    """Check a routine file and return its content, or raise ValidationError naming the field.

    Steps may use built-in ids, ids of the user's custom exercises, and ids the
    file itself defines under `exercises`.
    """
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_FILE_BYTES:
        raise ValidationError(Problem("file", f"is {size:,} bytes; a routine file may be at most {MAX_FILE_BYTES:,} bytes (1 MiB)"))
    data = load_json_file(raw, "a routine file")
    if not isinstance(data, dict):
        raise ValidationError(Problem("file", f"must hold a JSON object, not {type_name(data)}"))
    if data.get("format") != FILE_FORMAT:
        raise ValidationError(Problem("format", f"must be {FILE_FORMAT!r}, not {describe(data.get('format'))}"))
    version = data.get("version")
    if version != FILE_VERSION or isinstance(version, bool):
        raise ValidationError(Problem("version", f"must be {FILE_VERSION}, not {describe(version)} (this file may come from a newer backrelief)"))
    unknown = set(data) - {"format", "version", "name", "description", "exercises", "steps", "id"}
    if unknown:
        name = sorted(unknown)[0]
        if not name.strip() or text_problem(name):  # a blank key would name nothing, an odd one must be seen: quote it
            raise ValidationError(Problem("file", f"has a field named {name!r}, which is not a field of a routine file"))
        raise ValidationError(Problem(name, "is not a field of a routine file"))
    builtin_ids = set(builtin_exercises)
    exercises: list[Exercise] = []
    raw_exercises = data.get("exercises", [])
    if not isinstance(raw_exercises, list):
        raise ValidationError(Problem("exercises", f"must be a list, not {type_name(raw_exercises)}"))
    if len(raw_exercises) > STEP_LIMITS[1]:
        raise ValidationError(Problem("exercises", f"defines {len(raw_exercises)} exercises; at most {STEP_LIMITS[1]}"))
    for index, item in enumerate(raw_exercises):
        extra = sorted(set(item) - EXERCISE_FILE_FIELDS) if isinstance(item, dict) else []
        if extra:
            raise ValidationError(Problem(f"exercises[{index}]", f"unknown field {extra[0]!r}"))
        exercise = exercise_from_dict(item, f"exercises[{index}]")
        if exercise.id in builtin_ids:
            raise ValidationError(Problem(f"exercises[{index}].id", f"{exercise.id!r} is a built-in exercise; give yours another id"))
        if any(e.id == exercise.id for e in exercises):
            raise ValidationError(Problem(f"exercises[{index}].id", f"{exercise.id!r} is defined twice"))
        exercises.append(exercise)
    known = builtin_ids | set(custom_exercises) | {e.id for e in exercises}
    problems = check_routine(data.get("name"), data.get("description", ""), data.get("steps"), known)
    if problems:
        raise ValidationError(problems)
    return RoutineFile(
        name=data["name"].strip(),
        description=(data.get("description") or "").strip(),
        steps=tuple(step_from_dict(s) for s in data["steps"]),
        exercises=tuple(exercises),
    )


def routine_file_dict(routine: Routine, custom_exercises: Iterable[Exercise]) -> dict[str, Any]:
    """The routine file (version 1) for a routine and the custom exercises it uses."""
    used = {s.exercise for s in routine.steps}
    file: dict[str, Any] = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "name": routine.name,
    }
    if routine.description:
        file["description"] = routine.description
    exercises = [exercise_to_dict(e) for e in custom_exercises if e.id in used]
    if exercises:
        file["exercises"] = exercises
    file["steps"] = [step_to_dict(s) for s in routine.steps]
    return file
