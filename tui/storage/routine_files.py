"""Routine files the user names: read, checked and stored on import; written on export.

`backrelief routines import/export` and the menu's import and export dialog both
come here, so the same file gets the same message in both places. A file is read
up to MAX_FILE_BYTES + 1 bytes (one more says it is too large) and checked by
`RoutineRepository.import_file`; an export is written by `output.write_export`
(a file replaced whole, a FIFO or device written into).

What goes wrong with a file the user named is a RoutineFileProblem: one line that
names the file. Where going on would replace a file or take a routine's name, a
RoutineFileClash says what going on would do (`again`), for the caller to offer.
"""

from __future__ import annotations

import errno
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tui.domain.problems import ValidationError
from tui.domain.routines import MAX_FILE_BYTES, Routine
from tui.storage.errors import StorageError
from tui.storage.output import write_export
from tui.storage.routines import RoutineNameTaken, RoutineNotFound, RoutineRepository, export_json


class RoutineFileProblem(StorageError):
    """A file the user named could not be read, used or written; `str()` is one line naming it."""


class RoutineFileClash(RoutineFileProblem):
    """Going on would replace a file or take a routine's name: `again` says what asking again does."""

    def __init__(self, message: str, again: str, copy_name: str | None = None) -> None:
        super().__init__(message)
        self.again = again
        """What trying again with leave does, in the user's words: `replace it`, `import it as 'Calm (copy)'`."""
        self.copy_name = copy_name
        """On import: the name the routine gets as a copy."""


@contextmanager
def named_file_problems(path: Path) -> Iterator[None]:
    """What the file system says about a file the user named, as one RoutineFileProblem line."""
    try:
        yield
    except RoutineFileProblem:
        raise
    except StorageError as error:  # a data file behind the routines: said as it is
        raise RoutineFileProblem(str(error.args[0] if isinstance(error, LookupError) and error.args else error)) from None
    except OSError as error:
        if error.errno == errno.ENXIO:  # a FIFO nobody reads, opened without waiting
            raise RoutineFileProblem(f"nothing is reading from {path}; start the program that reads it first") from None
        raise RoutineFileProblem(f"cannot use {path}: {error.strerror or error}") from None
    except ValueError:  # a NUL in the path
        raise RoutineFileProblem(f"cannot use {path!r}: a file name cannot hold that character") from None


def read_named_file(path: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of a file the user named (one more than allowed says it is too large)."""
    with named_file_problems(path):
        if path.is_dir():
            raise RoutineFileProblem(f"{path} is a directory, not a file")
        with open(path, "rb") as handle:
            return handle.read(limit + 1)


def import_routine_file(routines: RoutineRepository, path: Path, as_copy: bool = False,
                        raw: bytes | None = None) -> Routine:
    """Check and store the routine file at `path` (or its bytes, `raw`, read already from stdin).

    A routine whose name is taken raises RoutineFileClash offering the copy, which
    `as_copy` stores under the copy's name; anything else wrong, RoutineFileProblem.
    """
    if raw is None:
        raw = read_named_file(path, MAX_FILE_BYTES)
    with named_file_problems(path):
        try:
            return routines.import_file(raw, as_copy=as_copy)
        except RoutineNameTaken as taken:
            raise RoutineFileClash(f"{path}: {taken}", f"import it as {taken.copy_name!r}", taken.copy_name) from None
        except ValidationError as error:
            raise RoutineFileProblem(f"{path}: {error}") from None


def export_routine_file(routines: RoutineRepository, key: str, path: Path, replace: bool = True,
                        wait_for_reader: bool = True) -> Path:
    """Write the routine file of a routine (id or name) to `path`; returns where it went.

    Without `replace`, a regular file already there raises RoutineFileClash (a FIFO
    or a device is written into, never replaced). `wait_for_reader` false: a FIFO
    nobody reads is refused at once (the app cannot wait).
    """
    with named_file_problems(path):
        try:
            routine = routines.get(key)
        except RoutineNotFound as error:
            raise RoutineFileProblem(str(error.args[0] if error.args else error)) from None
        if path.is_dir():
            raise RoutineFileProblem(f"{path} is a directory; type a file name, e.g. {path / (routine.id + '.json')}")
        if path.is_file() and not replace:
            raise RoutineFileClash(f"{path} already exists", "replace it")
        if not path.parent.is_dir():
            raise RoutineFileProblem(f"cannot use {path}: there is no folder {path.parent}")
        document = routines.export_file(routine.id)
        write_export(path, export_json(document), wait_for_reader=wait_for_reader)
        return path.resolve()
