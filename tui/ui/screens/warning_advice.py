"""WarningSignAdvice: what to do when a warning sign applies, said first; going on is the person's choice."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from tui.domain.warning_signs import NOT_A_DIAGNOSIS, Tier
from tui.ui.user_text import PlainLabel, PlainStatic, styled
from tui.ui.screens.scrolling_dialog import ScrollingDialog
from tui.ui.widgets.dialog_scroll import DialogScroll
from tui.ui.widgets.warning_sign_list import WarningSignList


class WarningSignAdvice(ScrollingDialog[bool]):
    """Dismisses True when the person chooses to go on (`g`), False to quit (`q`).

    Escape does neither: going on after being told to get help must be chosen, not fallen into.
    """

    BINDINGS = [
        Binding("g", "go_on", "Go on anyway"),
        Binding("q", "quit", "Quit"),
        Binding("escape", "not_an_answer", show=False),
    ]

    def __init__(self, tier: Tier, going_on_to: str = "the app") -> None:
        super().__init__()
        self.tier = tier
        """The tier whose sign applies."""
        self.going_on_to = going_on_to
        """What `g` leads to, in a few words: "the app", "the session"."""

    def compose(self) -> ComposeResult:
        with Vertical(classes=f"dialog warning-advice {self.tier.id}"):
            yield PlainLabel("What to do now", classes="dialog-title")
            with DialogScroll():
                yield PlainStatic(self.tier.advice, classes="dialog-warning")
                yield PlainStatic("You said one of these applies to you:", classes="dialog-body")
                yield WarningSignList((self.tier,), classes="dialog-body")
                yield PlainStatic(NOT_A_DIAGNOSIS, classes="dialog-note")
            yield PlainStatic("", id="advice-hint", classes="dialog-error hint")
            yield PlainStatic(styled("[b]g[/] go on to $target anyway   [b]q[/] quit backrelief", target=self.going_on_to), classes="dialog-keys")

    def action_go_on(self) -> None:
        self.dismiss(True)

    def action_quit(self) -> None:
        self.dismiss(False)

    def action_not_an_answer(self) -> None:
        self.show_hint("#advice-hint", "Press g to go on anyway, or q to quit.")
