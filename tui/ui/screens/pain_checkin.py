"""PainCheckIn: a 0-10 pain rating, skippable in one key."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from tui.paths import screen_styles
from tui.domain.sessions import parse_pain
from tui.ui.user_text import PlainLabel, PlainStatic, styled
from tui.ui.widgets.digits_field import DigitsField
from tui.ui.screens.steady import SteadyScreen

ONE_MORE_REP = "one-more-rep"
"""What the check-in after a session returns when the user asked for one more rep instead."""


class PainCheckIn(SteadyScreen, ModalScreen["int | str | None"]):
    """Dismisses with the rating, or None when skipped (empty `enter` or `escape`); after a session that ran to
    its end, `r` dismisses with ONE_MORE_REP (the last hold has no time left to press it in)."""

    CSS_PATH = screen_styles("dialogs.tcss")

    BINDINGS = [
        Binding("escape", "skip", "Skip"),
        # Ahead of the field (which would swallow the key), and only when offered.
        Binding("r", "one_more_rep", "One more rep", show=False, priority=True),
    ]

    def __init__(self, when: str, one_more_rep: str = "") -> None:
        super().__init__()
        self.when = when
        """`before` or `after` the session."""
        self.one_more_rep = one_more_rep
        """The stretch `r` would do one more rep of, or '' when none is offered."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield PlainLabel("Pain check-in", classes="dialog-title")
            yield PlainStatic(
                f"How bad is your back pain {'now, before you start' if self.when == 'before' else 'now, after the session'}?\n"
                "0 = no pain, 10 = the worst you can imagine.",
                classes="dialog-body",
            )
            yield DigitsField(placeholder="0-10", id="pain", max_length=3, also=" ", passes="r" if self.one_more_rep else "")
            yield PlainStatic("", id="pain-error", classes="dialog-error")
            yield PlainStatic(styled("[b]enter[/] save    [b]enter[/] on empty or [b]escape[/] skip"), classes="dialog-keys")
            if self.one_more_rep:
                yield PlainStatic(styled("[b]r[/] one more rep of $name first", name=self.one_more_rep),
                                  id="one-more-rep", classes="dialog-keys")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self.one_more_rep) if action == "one_more_rep" else True

    def action_one_more_rep(self) -> None:
        self.dismiss(ONE_MORE_REP)

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
