"""JournalExportDialog: write the whole journal to a CSV or JSON file the user names.

The file holds exactly what `backrelief journal export` writes: every session
(the journal's filter does not apply), through the same converters and the
same writer (a file is replaced whole; a FIFO or device is written into).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input

from tui.domain.sessions import Session
from tui.paths import screen_styles
from tui.storage.documents import export_format, journal_export_text
from tui.storage.output import write_export
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.user_text import PlainLabel, PlainSelect, PlainStatic, styled
from tui.ui.widgets.form_scroll import FormScroll
from tui.ui.screens.steady import SteadyScreen

def write_problem(path: Path, error: OSError, file_format: str = "csv") -> str:
    """Why a file could not be written, in a sentence that names the path."""
    if isinstance(error, IsADirectoryError):
        return f"{path} is a folder; add a file name, like {path / f'journal.{file_format}'}"
    if isinstance(error, FileNotFoundError):
        return f"The folder {path.parent} does not exist"
    if isinstance(error, NotADirectoryError):
        return f"{path.parent} is not a folder"
    if isinstance(error, PermissionError):
        return f"No permission to write {path}"
    if error.errno == errno.ENXIO:  # a FIFO: the app cannot wait for a reader
        return f"Nothing is reading from {path}; start the program that reads it, then export again"
    return f"Cannot write {path}: {error.strerror or error}"


class JournalExportDialog(SteadyScreen, ModalScreen[tuple[Path, int] | None]):
    """Dismisses with (the file written, sessions in it), or None when cancelled."""

    HEADING = "Export the journal"
    """The dialog's title."""
    FORMAT_CHOICES = (("CSV (spreadsheets)", "csv"), ("JSON (journal import)", "json"))
    """The formats offered, as (what the list shows, the file extension)."""

    CSS_PATH = screen_styles("dialogs.tcss", "journal.tcss")

    BINDINGS = [
        Binding("ctrl+s", "export", "Export"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, sessions: list[Session], default_name: str) -> None:
        super().__init__()
        self.sessions = sessions
        """Every session, newest first (what the command line exports)."""
        self.default_name = default_name
        """The file name offered, without its extension."""

    def compose(self) -> ComposeResult:
        with FormScroll(classes="dialog journal-form"):
            yield PlainLabel(self.HEADING, classes="dialog-title")
            yield PlainStatic(f"{self.explanation()} A relative path starts in {os.getcwd()}.", classes="dialog-body")
            with Horizontal(classes="form-row"):
                yield PlainLabel("Format", classes="form-label")
                yield PlainSelect(list(self.FORMAT_CHOICES), value=self.FORMAT_CHOICES[0][1], allow_blank=False,
                                  id="export-format", compact=True)
            with Horizontal(classes="form-row"):
                yield PlainLabel("File", classes="form-label")
                first = self.FORMAT_CHOICES[0][1]
                yield Input(f"{self.default_name}.{first}", placeholder=f"journal.{first}", id="export-path", compact=True)
            yield PlainStatic("", id="export-path-error", classes="form-error")
            yield PlainStatic(styled("[b]tab[/] next field   [b]enter[/] in the file name, or [b]ctrl+s[/]: export   [b]escape[/] cancel"), classes="dialog-keys")

    def explanation(self) -> str:
        """What the file will hold, in a sentence."""
        return f"Writes all {len(self.sessions)} sessions, the same file `backrelief journal export` makes."

    def export_count(self) -> int:
        """How many sessions the file holds."""
        return len(self.sessions)

    def file_text(self, file_format: str) -> str:
        """The file's content in `file_format`."""
        return journal_export_text(self.sessions, file_format)

    def on_mount(self) -> None:
        # The choice first: enter in the file field writes at once, so the format is not left to chance.
        self.query_one("#export-format", PlainSelect).focus()

    @on(PlainSelect.Changed, "#export-format")
    def format_changed(self, event: PlainSelect.Changed) -> None:
        """Keep the file's extension in step with the format while it is one of ours."""
        path = self.query_one("#export-path", Input)
        stem, dot, extension = path.value.rpartition(".")
        if dot and extension.lower() in {value for _, value in self.FORMAT_CHOICES} and extension.lower() != event.value:
            path.value = f"{stem}.{event.value}"

    @on(Input.Changed, "#export-path")
    def path_changed(self, event: Input.Changed) -> None:
        """A file name ending in .csv or .json chooses that format (as `journal export -o` does)."""
        extension = export_format(event.value)
        chooser = self.query_one("#export-format", PlainSelect)
        if extension is not None and chooser.value != extension:
            chooser.value = extension

    def _show_error(self, message: str) -> None:
        error = self.query_one("#export-path-error", PlainStatic)
        error.update(message)
        error.display = bool(message)

    @on(Input.Submitted, "#export-path")
    def action_export(self) -> None:
        self.export()

    @work(exclusive=True)
    async def export(self) -> None:
        """Check the path, ask before replacing a file, write it whole, and dismiss."""
        typed = self.query_one("#export-path", Input).value.strip()
        if not typed:
            self._show_error("Type the name of the file to write")
            return
        path = Path(typed).expanduser()
        file_format = str(self.query_one("#export-format", PlainSelect).value)  # never blank: a format is always chosen
        if path.is_dir():
            self._show_error(write_problem(path, IsADirectoryError(21, "is a directory"), file_format))
            return
        if path.is_file():  # a FIFO or a device is written into, not replaced: nothing to ask
            replace = await self.app.push_screen_wait(
                ConfirmDialog("Replace the file?", f"{path} already exists. Replace it with the export?", "Replace", "Keep it"))
            if not replace:
                return
        try:
            write_export(path, self.file_text(file_format), wait_for_reader=False)
        except OSError as error:
            self._show_error(write_problem(path, error, file_format))
            return
        self.dismiss((path.resolve(), self.export_count()))

    def action_cancel(self) -> None:
        self.dismiss(None)
