"""ProblemAdvice: what to do after the `!` key, the warning signs that need a doctor first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from tui.domain.warning_signs import NOT_A_DIAGNOSIS, advice_for, tiers_to_check
from tui.ui.user_text import PlainLabel, PlainStatic, styled
from tui.ui.screens.scrolling_dialog import ScrollingDialog
from tui.ui.widgets.dialog_scroll import DialogScroll
from tui.ui.widgets.warning_sign_list import WarningSignList


class ProblemAdviceScreen(ScrollingDialog[None]):
    """The advice for one kind of problem; `enter` or `escape` goes on (the session is already stopped)."""

    BINDINGS = [Binding("enter,escape,space", "done", "Go on")]

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.advice = advice_for(kind)
        """The advice for what was reported."""

    def compose(self) -> ComposeResult:
        tiers = tiers_to_check(self.advice)
        most_serious = tiers[0].id if tiers else ""
        with Vertical(classes=f"dialog warning-advice problem-advice {most_serious}"):
            yield PlainLabel(f"You reported {self.advice.label}: the session is stopped", classes="dialog-title")
            with DialogScroll():
                if tiers:
                    yield PlainStatic("First: do you also have any of these?", classes="dialog-warning")
                    yield WarningSignList(tiers, classes="dialog-body")
                    yield PlainStatic("If not:", classes="dialog-warning")
                yield PlainStatic(self.advice.advice, classes="dialog-body", id="problem-advice-text")
                yield PlainStatic(NOT_A_DIAGNOSIS, classes="dialog-note")
            yield PlainStatic(styled("[b]enter[/] go on"), classes="dialog-keys")

    def action_done(self) -> None:
        self.dismiss(None)
