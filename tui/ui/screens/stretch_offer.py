"""StretchOffer: a stretch rated 6 or more comes again in this session; shorten it, leave it out, or carry on?"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from tui.paths import screen_styles
from tui.domain.discomfort import CARRY_ON, LEAVE_OUT, SHORTEN, StretchChange
from tui.ui.user_text import PlainLabel, PlainStatic, plain_rich
from tui.ui.window import SHORT_WINDOW
from tui.ui.screens.steady import SteadyScreen

KEYS = {SHORTEN: "s", LEAVE_OUT: "l", CARRY_ON: "c"}
"""The key of each choice."""


class StretchOffer(SteadyScreen, ModalScreen[str]):
    """Dismisses with SHORTEN (`s`), LEAVE_OUT (`l`) or CARRY_ON (`c`, or `escape`: nothing is changed unasked)."""

    CSS_PATH = screen_styles("dialogs.tcss")

    BINDINGS = [
        Binding(KEYS[SHORTEN], f"choose('{SHORTEN}')", show=False),
        Binding(KEYS[LEAVE_OUT], f"choose('{LEAVE_OUT}')", show=False),
        Binding(f"{KEYS[CARRY_ON]},escape", f"choose('{CARRY_ON}')", show=False),
    ]

    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_WINDOW, "-tall")]
    """In a short window the dialog drops its padding."""

    def __init__(self, change: StretchChange) -> None:
        super().__init__()
        self.change = change
        """What is offered, and its words (see tui.domain.discomfort)."""

    def compose(self) -> ComposeResult:
        change = self.change
        with Vertical(classes="dialog stretch-offer"):
            yield PlainLabel(change.question, classes="dialog-title")
            body = Text(f"{change.why} ")
            body.append(plain_rich(change.exercise_name, style="bold"))  # a name from a file: plain, harmless
            body.append(f" {change.comes_again}")
            yield PlainStatic(body, classes="dialog-body")
            choices = Text("\n").join(Text.assemble((f" {KEYS[choice]} ", "bold reverse"), f"  {words}")
                                      for choice, words in change.choices)
            yield PlainStatic(choices, classes="dialog-body")
            yield PlainStatic("Your journal shows what was changed.", classes="dialog-note")
            yield PlainStatic(Text.assemble((" ".join(KEYS.values()), "bold"), " choose    ", ("escape", "bold"), " carry on as planned"),
                         classes="dialog-keys")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
