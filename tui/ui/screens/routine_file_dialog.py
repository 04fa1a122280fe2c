"""RoutineFileDialog: import or export a routine file at a path the user types.

Import reads and checks the file exactly as `backrelief routines import` does
(at most MAX_FILE_BYTES + 1 bytes, `RoutineRepository.import_file`), so the
same file gets the same message in both places. Export writes what
`backrelief routines export` writes, the same way (`storage.output.write_export`).
"""

from __future__ import annotations

import errno
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from tui.domain.problems import ValidationError
from tui.domain.routines import MAX_FILE_BYTES, Routine
from tui.paths import screen_styles
from tui.storage.files import DataFileError
from tui.storage.output import write_export
from tui.storage.routines import RoutineNotFound, export_json
from tui.storage.store import Store
from tui.ui.user_text import PlainLabel, PlainStatic, styled


class RoutineFileProblem(Exception):
    """Why a routine file could not be read or written, in one line for the user."""


class RoutineFileExists(RoutineFileProblem):
    """The export would replace a file that is already there."""


@contextmanager
def _file_problems(path: Path) -> Iterator[None]:
    """What the file system or the data files say about `path`, as one RoutineFileProblem line."""
    try:
        yield
    except DataFileError as error:
        raise RoutineFileProblem(str(error)) from None
    except OSError as error:
        if error.errno == errno.ENXIO:  # a FIFO: the app cannot wait for a reader
            raise RoutineFileProblem(f"nothing is reading from {path}; start the program that reads it first") from None
        raise RoutineFileProblem(f"cannot use {path}: {error.strerror or error}") from None
    except ValueError:  # a NUL in the path
        raise RoutineFileProblem(f"cannot use {path!r}: a file name cannot hold that character") from None


def import_routine_file(store: Store, path: Path) -> Routine:
    """Check and store the routine file at `path`; raises RoutineFileProblem saying what is wrong."""
    with _file_problems(path):
        if path.is_dir():
            raise RoutineFileProblem(f"{path} is a directory, not a file")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        try:
            return store.routines.import_file(raw)
        except ValidationError as error:  # a ValueError too: said here, with the file's name
            raise RoutineFileProblem(f"{path}: {error}") from None


def export_routine_file(store: Store, routine_id: str, path: Path, replace: bool = False) -> Path:
    """Write the routine file of a routine to `path`; returns where it went.

    Refuses (RoutineFileExists) to replace a file unless `replace` is true.
    """
    with _file_problems(path):
        if path.is_dir():
            raise RoutineFileProblem(f"{path} is a directory; type a file name, e.g. {path / (routine_id + '.json')}")
        if path.is_file() and not replace:  # a FIFO or a device is written into, not replaced
            raise RoutineFileExists(f"{path} already exists. Press enter again to replace it.")
        if not path.parent.is_dir():
            raise RoutineFileProblem(f"cannot use {path}: there is no folder {path.parent}")
        try:
            document = store.routines.export_file(routine_id)
        except RoutineNotFound as error:
            raise RoutineFileProblem(str(error.args[0] if error.args else error)) from None
        write_export(path, export_json(document), wait_for_reader=False)
        return path.resolve()


class RoutineFileDialog(ModalScreen[str | None]):
    """Asks for a path and tries the import or export; stays open with the reason until it works.

    Dismisses with the message to show once it has worked, or None when cancelled.
    """

    CSS_PATH = screen_styles("builder.tcss")

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, question: str, attempt: Callable[[Path, bool], str], path: str = "") -> None:
        super().__init__()
        self.title_text = title
        """The dialog's title."""
        self.question = question
        """What to type."""
        self.attempt = attempt
        """Does the import or export for a path (the flag: replace an existing file); returns what to tell the user."""
        self.path = path
        """The path to start from."""
        self._replace: Path | None = None
        """A path the user was warned exists; a second enter on it replaces it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog routine-file"):
            yield PlainLabel(self.title_text, classes="dialog-title")
            yield PlainStatic(self.question, classes="dialog-body")
            yield Input(self.path, placeholder="path of the file", id="routine-path", compact=True)
            yield PlainStatic(id="routine-path-message", classes="dialog-error")
            yield PlainStatic(styled("[b]enter[/] go    [b]escape[/] cancel"), classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#routine-path", Input).focus()

    @on(Input.Changed, "#routine-path")
    def path_changed(self) -> None:
        self._replace = None
        self.query_one("#routine-path-message", PlainStatic).update("")

    @on(Input.Submitted, "#routine-path")
    def submit(self, event: Input.Submitted) -> None:
        message = self.query_one("#routine-path-message", PlainStatic)
        typed = event.value.strip()
        if not typed:
            message.update("Type the path of a file.")
            return
        path = Path(typed).expanduser()
        try:
            done = self.attempt(path, path == self._replace)
        except RoutineFileExists as error:
            self._replace = path
            message.update(str(error))
            return
        except RoutineFileProblem as error:
            message.update(str(error))
            return
        self.dismiss(done)

    def action_cancel(self) -> None:
        self.dismiss(None)
