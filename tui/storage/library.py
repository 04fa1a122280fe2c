"""The built-in library: the stretches and routines shipped in `data/`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tui.domain.exercises import Exercise, exercise_from_dict
from tui.domain.routines import Routine, routine_from_dict, validate_routine
from tui.paths import library_dir


@dataclass(frozen=True)
class Library:
    """Built-in exercises and routines (read-only)."""

    exercises: dict[str, Exercise]
    """Built-in exercises by id, in the order shipped."""
    routines: tuple[Routine, ...]
    """Built-in routines, in the order shipped."""


def load_library(folder: Path | None = None) -> Library:
    """Read and check the shipped library; a broken shipped file is a bug, so it raises."""
    folder = folder or library_dir()
    raw_exercises = json.loads((folder / "exercises.json").read_text(encoding="utf-8"))["exercises"]
    exercises: dict[str, Exercise] = {}
    for index, item in enumerate(raw_exercises):
        exercise = exercise_from_dict({**item, "builtin": True}, f"exercises[{index}]")
        exercises[exercise.id] = exercise
    routines = []
    for item in json.loads((folder / "routines.json").read_text(encoding="utf-8"))["routines"]:
        routine = routine_from_dict(item, builtin=True)
        validate_routine(routine, exercises)
        routines.append(routine)
    return Library(exercises=exercises, routines=tuple(routines))


def safety_note(folder: Path | None = None) -> str:
    """The safety note every user must see."""
    return ((folder or library_dir()) / "safety.txt").read_text(encoding="utf-8").strip()
