"""RoutineFileDialog: import or export a routine file at a path the user types.

The reading, checking and writing are `storage.routine_files`, which
`backrelief routines import/export` use too: the same file gets the same message
in both places. Where going on would replace a file or take a routine's name,
the dialog says so and a second enter goes on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from tui.paths import screen_styles
from tui.storage.routine_files import RoutineFileClash, RoutineFileProblem
from tui.ui.user_text import PlainLabel, PlainStatic, styled
from tui.ui.screens.steady import SteadyScreen


class RoutineFileDialog(SteadyScreen, ModalScreen[str | None]):
    """Asks for a path and tries the import or export; stays open with the reason until it works.

    Dismisses with the message to show once it has worked, or None when cancelled.
    """

    CSS_PATH = screen_styles("dialogs.tcss", "builder.tcss")

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
        except RoutineFileClash as error:
            self._replace = path
            message.update(f"{error}. Press enter again to {error.again}.")
            return
        except RoutineFileProblem as error:
            message.update(str(error))
            return
        self.dismiss(done)

    def action_cancel(self) -> None:
        self.dismiss(None)
