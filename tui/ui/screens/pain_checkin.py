"""PainCheckIn: a 0-10 pain rating, skippable in one key."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from tui.domain.sessions import parse_pain
from tui.ui.user_text import PlainLabel, PlainStatic, styled


class PainCheckIn(ModalScreen[int | None]):
    """Dismisses with the rating, or None when skipped (empty `enter` or `escape`)."""

    BINDINGS = [Binding("escape", "skip", "Skip")]

    def __init__(self, when: str) -> None:
        super().__init__()
        self.when = when
        """`before` or `after` the session."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PlainLabel("Pain check-in", classes="dialog-title")
            yield PlainStatic(
                f"How bad is your back pain {'now, before you start' if self.when == 'before' else 'now, after the session'}?\n"
                "0 = no pain, 10 = the worst you can imagine.",
                classes="dialog-body",
            )
            yield Input(placeholder="0-10", id="pain", max_length=3, restrict=r"[0-9 ]*")
            yield PlainStatic("", id="pain-error", classes="dialog-error")
            yield PlainStatic(styled("[b]enter[/] save    [b]enter[/] on empty or [b]escape[/] skip"), classes="dialog-keys")

    @on(Input.Submitted, "#pain")
    def submit(self, event: Input.Submitted) -> None:
        try:
            value = parse_pain(event.value)
        except ValueError as error:
            self.query_one("#pain-error", PlainStatic).update(str(error).capitalize())  # it quotes what was typed
            return
        self.dismiss(value)

    def action_skip(self) -> None:
        self.dismiss(None)

    def typed_answer(self) -> dict[str, int]:
        """The rating typed so far, as the session field it would set; empty when none is usable.

        Asked on a hang-up, so that what the user typed is kept (see `BackreliefApp`)."""
        try:
            value = parse_pain(self.query_one("#pain", Input).value)
        except ValueError:
            return {}
        return {} if value is None else {f"pain_{self.when}": value}
