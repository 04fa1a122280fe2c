"""StepRatingDialog: how much did that stretch hurt? One key, 0-10, after the last hold of a step."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from tui.paths import screen_styles
from tui.domain.discomfort import BANDS
from tui.ui.user_text import PlainLabel, PlainStatic, plain_rich
from tui.ui.window import SHORT_WINDOW
from tui.ui.screens.steady import SteadyScreen

TEN_KEY = "t"
"""The key for 10: every other rating is a single digit, so 10 gets a key of its own."""
PROBLEM = "problem"
"""What the dialog dismisses with when `!` is pressed in it: something is wrong, not a rating."""


def legend() -> Text:
    """The traffic light in words (it reads the same without colour): `0-3 fine · 4-5 ... · 6-10 ...`."""
    text = Text()
    for index, band in enumerate(BANDS):
        if index:
            text.append("  ·  ", style="dim")
        text.append(f"{band.low}-{band.high}", style="bold")
        text.append(f" {band.meaning}")
    return text


class StepRatingDialog(SteadyScreen, ModalScreen[int | str | None]):
    """Dismisses with the rating (0-10), None when skipped (`enter` or `escape`), or PROBLEM on `!`."""

    CSS_PATH = screen_styles("dialogs.tcss")

    BINDINGS = [
        *(Binding(str(digit), f"rate({digit})", show=False) for digit in range(10)),
        Binding(TEN_KEY, "rate(10)", show=False),
        Binding("enter,escape", "skip", show=False),
        Binding("exclamation_mark", "problem", show=False),
    ]

    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_WINDOW, "-tall")]
    """In a short window the dialog drops its padding."""

    def __init__(self, exercise_name: str, session_waits: bool = True) -> None:
        super().__init__()
        self.exercise_name = exercise_name
        """The stretch just done, as the user knows it."""
        self.session_waits = session_waits
        """Whether more of the session is waiting for the answer (not after the last step)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog step-rating"):
            yield PlainLabel("How did that stretch feel?", classes="dialog-title")
            question = Text("Discomfort during ")
            question.append(plain_rich(self.exercise_name, style="bold"))  # a name from a file: plain, harmless
            question.append(", from 0 (none) to 10 (the worst you can imagine)?")
            yield PlainStatic(question, classes="dialog-body")
            yield PlainStatic(legend(), classes="dialog-body")
            if self.session_waits:
                yield PlainStatic("The session waits for your answer.", classes="dialog-note")
            yield PlainStatic(Text.assemble(("0-9", "bold"), " rate   ", (TEN_KEY, "bold"), " 10   ",
                                       ("enter/esc", "bold"), " skip   ", ("!", "bold"), " something is wrong"),
                         classes="dialog-keys")

    def action_rate(self, value: int) -> None:
        self.dismiss(value)

    def action_skip(self) -> None:
        self.dismiss(None)

    def action_problem(self) -> None:
        self.dismiss(PROBLEM)
