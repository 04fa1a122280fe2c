"""SafetyNote: the medical safety note, until the user acknowledges it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from tui.paths import screen_styles
from tui.ui.user_text import PlainLabel, PlainStatic, styled
from tui.ui.screens.steady import SteadyScreen


class SafetyNote(SteadyScreen, ModalScreen[bool]):
    """Shows the safety note (and why, when pain was high); dismisses True when read."""

    CSS_PATH = screen_styles("dialogs.tcss")

    BINDINGS = [
        Binding("enter", "ok", "I understand"),
        # Escape is a way out elsewhere; here it must not count as having read the note.
        Binding("escape", "not_yet", "Not read yet", show=False),
    ]

    def __init__(self, note: str, reason: str = "") -> None:
        super().__init__()
        self.note = note
        """The safety note."""
        self.reason = reason
        """Why it is shown now (severe or rising pain), or '' on first run."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog safety"):
            yield PlainLabel("Please read: safety", classes="dialog-title")
            if self.reason:
                yield PlainStatic(self.reason, classes="dialog-warning")
            yield PlainStatic(self.note, classes="dialog-body")
            yield PlainStatic(styled("[b]enter[/] I understand"), classes="dialog-keys")

    def action_ok(self) -> None:
        self.dismiss(True)

    def action_not_yet(self) -> None:
        self.notify("Press enter once you have read the note (ctrl+q quits).", timeout=4)
