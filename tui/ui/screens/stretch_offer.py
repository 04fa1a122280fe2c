"""StretchOffer: a stretch rated 6 or more comes again in this session; shorten it, leave it out, or carry on?"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from tui.ui.user_text import PlainLabel, PlainStatic, plain_rich
from tui.ui.widgets.dialog_scroll import SHORT_WINDOW

SHORTEN = "shorten"
"""Hold the stretch a third shorter for the rest of the session."""
LEAVE_OUT = "leave-out"
"""Leave the stretch out for the rest of the session."""
CARRY_ON = "carry-on"
"""Change nothing."""


def times(count: int) -> str:
    """`once`, `twice`, `3 more times`."""
    return {1: "once more", 2: "twice more"}.get(count, f"{count} more times")


class StretchOffer(ModalScreen[str]):
    """Dismisses with SHORTEN (`s`), LEAVE_OUT (`l`) or CARRY_ON (`c`, or `escape`: nothing is changed unasked)."""

    BINDINGS = [
        Binding("s", f"choose('{SHORTEN}')", show=False),
        Binding("l", f"choose('{LEAVE_OUT}')", show=False),
        Binding("c,escape", f"choose('{CARRY_ON}')", show=False),
    ]

    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_WINDOW, "-tall")]
    """In a short window the dialog drops its padding."""

    def __init__(self, exercise_name: str, rating: int, holds_to_come: int, seconds: int, shorter: int) -> None:
        super().__init__()
        self.exercise_name = exercise_name
        """The stretch rated."""
        self.rating = rating
        """Its rating, 6-10."""
        self.holds_to_come = holds_to_come
        """How many of its holds are still ahead."""
        self.seconds = seconds
        """How long the next of them is planned to be."""
        self.shorter = shorter
        """How long it would be, shortened."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog stretch-offer"):
            yield PlainLabel(f"{self.rating} out of 10: change that stretch?", classes="dialog-title")
            body = Text("At 6 or more, a stretch should be changed or left out for now. ")
            body.append(plain_rich(self.exercise_name, style="bold"))  # a name from a file: plain, harmless
            body.append(f" comes {times(self.holds_to_come)} in this session.")
            yield PlainStatic(body, classes="dialog-body")
            choices = Text()
            choices.append(" s ", style="bold reverse")
            choices.append(f"  shorten it: hold {self.shorter} s instead of {self.seconds} s\n")
            choices.append(" l ", style="bold reverse")
            choices.append("  leave it out for the rest of this session\n")
            choices.append(" c ", style="bold reverse")
            choices.append("  carry on as planned")
            yield PlainStatic(choices, classes="dialog-body")
            yield PlainStatic("Your journal shows what was changed.", classes="dialog-note")
            yield PlainStatic(Text.assemble(("s l c", "bold"), " choose    ", ("escape", "bold"), " carry on as planned"),
                         classes="dialog-keys")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
