"""RoutineRepository: built-in and custom routines and exercises."""

from __future__ import annotations

import builtins
from dataclasses import replace
from typing import Any, Callable, Collection

from tui.domain.exercises import NAME_LIMITS, Exercise, describe, exercise_from_dict, exercise_to_dict, slugify
from tui.domain.problems import Problem, ValidationError
from tui.domain.routines import (
    Routine,
    check_routine,
    parse_routine_file,
    routine_file_dict,
    routine_from_dict,
    routine_to_dict,
    validate_routine,
)
from tui.domain.text import json_text
from tui.storage.datadir import DataDir
from tui.storage.errors import StorageError
from tui.storage.files import DataFileError, read_all, transaction, where_id
from tui.storage.library import Library


class RoutineNotFound(StorageError, LookupError):
    """No routine has the id or name asked for (or, in another case, more than one has)."""


class RoutineNameTaken(ValidationError):
    """An imported routine has the name of one already there; `copy_name` is the name a copy would get."""

    def __init__(self, problem: Problem, copy_name: str) -> None:
        super().__init__(problem)
        self.copy_name = copy_name


class RoutineRepository:
    """Reads and writes custom routines and exercises; built-ins come from the library."""

    def __init__(self, data_dir: DataDir, library: Library) -> None:
        self.data_dir = data_dir
        """Where the routines file lives."""
        self.library = library
        """The built-in exercises and routines."""

    # -- reading -------------------------------------------------------

    def _custom(self) -> tuple[list[Routine], list[Exercise]]:
        tables = read_all(self.data_dir.routines)
        try:
            exercises = [exercise_from_dict(doc, stored=True) for doc in tables.get("exercises", {}).values()]
            known = set(self.library.exercises) | {e.id for e in exercises}
            routines = [_stored_routine(doc_id, doc, known) for doc_id, doc in tables.get("routines", {}).items()]
        except ValidationError as error:
            # Valid JSON, but a document is not a routine or exercise (edited by hand?):
            # say so rather than crash, and leave the file as it is for the user to repair.
            raise DataFileError(" ".join(
                f"Data file {self.data_dir.routines} holds a routine or exercise that cannot be read "
                f"({error}); it was left untouched: repair it or move it aside.".split()
            )) from None
        return routines, exercises

    def list(self) -> list[Routine]:
        """Built-in routines first, then the user's, by name."""
        custom, _ = self._custom()
        return list(self.library.routines) + sorted(custom, key=lambda r: r.name.casefold())

    def custom_exercises(self) -> builtins.list[Exercise]:
        """The user's own exercises, by name."""
        return sorted(self._custom()[1], key=lambda e: e.name.casefold())

    def exercises(self) -> dict[str, Exercise]:
        """Every exercise by id: built-in first, then custom."""
        found = dict(self.library.exercises)
        for exercise in self.custom_exercises():
            found.setdefault(exercise.id, exercise)
        return found

    def get(self, key: str) -> Routine:
        """A routine by id or name: exactly as typed first, then in any case when only one matches.

        RoutineNotFound says what was asked, and which routines it could mean when it is ambiguous.
        """
        routines = self.list()
        for exact in (lambda r: r.id == key, lambda r: r.name == key):
            found = [r for r in routines if exact(r)]
            if found:
                return found[0]
        folded = key.casefold()
        found = [r for r in routines if folded in (r.id.casefold(), r.name.casefold())]
        if len(found) == 1:
            return found[0]
        if found:
            names = ", ".join(repr(r.name) for r in found)
            raise RoutineNotFound(f"{key!r} could mean any of {names}: type the name in its exact case, or the id")
        raise RoutineNotFound(f"no routine with the id or name {key!r} (see 'backrelief routines list')")

    def users_of(self, exercise_id: str) -> builtins.list[Routine]:
        """Routines that use an exercise."""
        return [r for r in self.list() if any(s.exercise == exercise_id for s in r.steps)]

    # -- writing -------------------------------------------------------

    def save(self, routine: Routine) -> Routine:
        """Store a custom routine (new when its id is empty); returns it with its id.

        Raises ValidationError when it breaks a limit or takes another routine's name.
        """
        if routine.builtin or routine.id in {r.id for r in self.library.routines}:
            raise ValidationError(Problem("routine", "built-in routines are read-only; duplicate it to change it"))
        with transaction(self.data_dir.routines) as db:
            custom = {doc["id"]: doc for doc in db.table("routines").all()}
            known = set(self.library.exercises) | {doc["id"] for doc in db.table("exercises").all()}
            validate_routine(routine, known)
            name = routine.name.strip()
            taken = any(r.name.casefold() == name.casefold() for r in self.library.routines) or any(
                d["name"].casefold() == name.casefold() and d["id"] != routine.id for d in custom.values())
            if taken:
                raise ValidationError(Problem("name", f"a routine named {name!r} already exists"))
            if not routine.id:
                routine = replace(routine, id=self._new_id(name, set(custom)))
            routine = replace(routine, name=name, builtin=False)
            db.table("routines").upsert(routine_to_dict(routine), where_id(routine.id))
        return routine

    def _new_id(self, name: str, custom_ids: set[str]) -> str:
        return free_id(slugify(name), custom_ids | {r.id for r in self.library.routines})

    def duplicate(self, key: str) -> Routine:
        """Store a custom copy of any routine under a free name (`Name (copy)`); returns the copy."""
        original = self.get(key)
        with transaction(self.data_dir.routines) as db:
            custom = {doc["id"]: doc for doc in db.table("routines").all()}
            taken = {r.name.casefold() for r in self.library.routines}
            taken |= {doc["name"].casefold() for doc in custom.values()}
            name = copy_name(original.name, taken)
            known = set(self.library.exercises) | {doc["id"] for doc in db.table("exercises").all()}
            copy = replace(original, id=self._new_id(name, set(custom)), name=name, builtin=False)
            validate_routine(copy, known, stored=True)  # a copy of what is stored, even from before a rule
            db.table("routines").upsert(routine_to_dict(copy), where_id(copy.id))
        return copy

    def delete(self, key: str) -> Routine:
        """Delete a custom routine; built-ins refuse."""
        routine = self.get(key)
        if routine.builtin:
            raise ValidationError(Problem("routine", f"{routine.name!r} is built in and cannot be deleted"))
        with transaction(self.data_dir.routines) as db:
            db.table("routines").remove(where_id(routine.id))
        return routine

    def save_exercise(self, exercise: Exercise) -> Exercise:
        """Store a custom exercise (new when its id is empty)."""
        with transaction(self.data_dir.routines) as db:
            table = db.table("exercises")
            ids = {doc["id"] for doc in table.all()}
            if exercise.id in self.library.exercises:
                raise ValidationError(Problem("exercise", "built-in exercises are read-only"))
            if not exercise.id:
                exercise = replace(exercise, id=free_id(slugify(exercise.name), ids | set(self.library.exercises)))
            checked = exercise_from_dict(exercise_to_dict(exercise))
            table.upsert(exercise_to_dict(checked), where_id(checked.id))
        return checked

    def delete_exercise(self, exercise_id: str) -> None:
        """Delete a custom exercise; refuses, naming them, while routines use it."""
        users = self.users_of(exercise_id)
        if users:
            names = ", ".join(repr(r.name) for r in users)
            raise ValidationError(Problem("exercise", f"is used by {names}; remove it from those routines first"))
        with transaction(self.data_dir.routines) as db:
            db.table("exercises").remove(where_id(exercise_id))

    # -- files ---------------------------------------------------------

    def export_file(self, key: str) -> dict[str, Any]:
        """The routine file (version 1) of a routine."""
        routine = self.get(key)
        return routine_file_dict(routine, self.custom_exercises())

    def import_file(self, raw: bytes | str, as_copy: bool = False) -> Routine:
        """Check a routine file and store it with its exercises; nothing is stored when it is refused.

        A routine whose name is taken is refused (RoutineNameTaken), or, `as_copy`,
        stored under the copy's name ("Name (copy)"). A custom exercise whose id is
        taken by another one is stored under a new id, unless an earlier import
        already stored the same exercise under one: that one is used again.
        """
        custom = {e.id: e for e in self.custom_exercises()}
        parsed = parse_routine_file(raw, self.library.exercises, custom)
        renames: dict[str, str] = {}
        with transaction(self.data_dir.routines) as db:
            table = db.table("exercises")
            stored: dict[str, dict[str, Any]] = {doc["id"]: doc for doc in table.all()}
            for exercise in parsed.exercises:
                document = exercise_to_dict(exercise)
                if exercise.id in stored and stored[exercise.id] != document:
                    # Same id, other content: keep both under distinct ids (the same rename as last time, if any).
                    renames[exercise.id] = free_id(
                        exercise.id, stored.keys() | set(self.library.exercises),
                        reuse=lambda candidate: stored.get(candidate) == {**document, "id": candidate})
                    document["id"] = renames[exercise.id]
                stored[document["id"]] = document
                table.upsert(document, where_id(document["id"]))
            steps = tuple(replace(s, exercise=renames.get(s.exercise, s.exercise)) for s in parsed.steps)
            routine = Routine(id="", name=parsed.name, description=parsed.description, steps=steps)
            custom_routines = {doc["id"]: doc for doc in db.table("routines").all()}
            taken = {r.name.casefold() for r in self.library.routines} | {d["name"].casefold() for d in custom_routines.values()}
            if parsed.name.casefold() in taken:
                copy = copy_name(parsed.name, taken)
                if not as_copy:
                    raise RoutineNameTaken(Problem("name", f"a routine named {parsed.name!r} already exists; "
                                                           f"import it as a copy named {copy!r}, or rename it in the file"), copy)
                routine = replace(routine, name=copy)
            routine = replace(routine, id=self._new_id(routine.name, set(custom_routines)))
            db.table("routines").upsert(routine_to_dict(routine), where_id(routine.id))
        return routine


def _stored_routine(doc_id: str, doc: dict[str, Any], known_exercises: set[str]) -> Routine:
    """A routine from its stored document, checked as a saved one was; ValidationError names the field."""
    routine_id = doc.get("id")
    problems = []
    if not isinstance(routine_id, str) or not routine_id:
        problems.append(Problem("id", f"must be non-empty text, not {describe(routine_id)}"))
    problems += check_routine(doc.get("name"), doc.get("description"), doc.get("steps"), known_exercises, stored=True)
    if problems:
        raise ValidationError(Problem(f"routine {doc_id}, {problems[0].field}", problems[0].reason))
    return routine_from_dict(doc)


def free_id(base: str, taken: Collection[str], reuse: Callable[[str], bool] = lambda candidate: False) -> str:
    """`base`, `base-2`, `base-3`, ...: the first id not in `taken`, or the first taken one `reuse` accepts."""
    candidate, n = base, 2
    while candidate in taken and not reuse(candidate):
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def copy_name(name: str, taken: set[str], label: str = "copy") -> str:
    """`Name (copy)`, `Name (copy 2)`, ... (or another `label`): the first not in `taken` (casefolded),
    within the name limit."""
    n = 1
    while True:
        suffix = f" ({label})" if n == 1 else f" ({label} {n})"
        candidate = name[: NAME_LIMITS[1] - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in taken:
            return candidate
        n += 1


def export_json(file: dict[str, Any]) -> str:
    """A routine file as text, safe to print (see `json_text`)."""
    return json_text(file) + "\n"
