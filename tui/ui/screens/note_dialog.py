"""NoteDialog: an optional note for the session."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from tui.paths import screen_styles
from tui.domain.sessions import NOTE_MAX
from tui.domain.text import text_problem
from tui.ui.user_text import PlainLabel, PlainStatic, styled
from tui.ui.screens.steady import SteadyScreen


class NoteDialog(SteadyScreen, ModalScreen[str]):
    """Dismisses with the note ('' when skipped); a note with a control character stays open and says why."""

    CSS_PATH = screen_styles("dialogs.tcss")

    BINDINGS = [Binding("escape", "skip", "Skip")]

    def __init__(self, note: str = "") -> None:
        super().__init__()
        self.note = note
        """The note to start from."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PlainLabel("A note for your journal", classes="dialog-title")
            yield PlainStatic("What helped, what hurt, anything to remember? (optional)", classes="dialog-body")
            yield Input(self.note, placeholder="note", id="note", max_length=NOTE_MAX)
            yield PlainStatic("", id="note-error", classes="dialog-error")
            yield PlainStatic(styled("[b]enter[/] save    [b]escape[/] skip"), classes="dialog-keys")

    @on(Input.Submitted, "#note")
    def submit(self, event: Input.Submitted) -> None:
        note = event.value.strip()
        problem = text_problem(note, multiline=True)
        if problem:  # pasted, most likely: say so, and keep what was typed
            self.query_one("#note-error", PlainStatic).update(f"The note {problem}; take it out to save.")
            return
        self.dismiss(note)

    def action_skip(self) -> None:
        self.dismiss(self.note)

    def typed_answer(self) -> dict[str, str]:
        """The note as typed so far. Asked on a hang-up, so that it is kept (see `BackreliefApp`)."""
        return {"note": self.query_one("#note", Input).value.strip()}
