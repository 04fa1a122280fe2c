"""ConfirmDialog: a yes/no question that dismisses with the answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.visual import VisualType

from tui.paths import screen_styles
from tui.ui.user_text import PlainLabel, PlainStatic, styled
from tui.ui.screens.steady import SteadyScreen


class ConfirmDialog(SteadyScreen, ModalScreen[bool]):
    """Asks before something is lost; `y`/`enter` yes, `n`/`escape` no."""

    CSS_PATH = screen_styles("dialogs.tcss")

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, question: VisualType, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text = title
        """The dialog's title."""
        self.question = question
        """What is asked, in a sentence or two: a str is shown as it is (it often holds a name)."""
        self.yes, self.no = yes, no

    @classmethod
    def leave_unsaved(cls, name: str) -> ConfirmDialog:
        """The question asked before an editor's unsaved changes to `name` are thrown away (True: leave)."""
        return cls("Leave without saving?", styled("Your changes to [b]$name[/] are not saved and will be lost.", name=name),
                   "Leave", "Keep editing")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PlainLabel(self.title_text, classes="dialog-title")
            yield PlainStatic(self.question, classes="dialog-body")
            yield PlainStatic(styled("[b]y[/] $yes    [b]n[/] $no", yes=self.yes, no=self.no), classes="dialog-keys")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
