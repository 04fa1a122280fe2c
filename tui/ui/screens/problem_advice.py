"""ProblemAdvice: what to do after the `!` key, the warning signs that need a doctor first."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui.domain.warning_signs import NOT_A_DIAGNOSIS, TIERS, ProblemAdvice, Tier, advice_for
from tui.ui.widgets.dialog_scroll import SHORT_WINDOW, DialogScroll
from tui.ui.widgets.warning_sign_list import WarningSignList


def tiers_to_check(advice: ProblemAdvice) -> tuple[Tier, ...]:
    """The tiers of the warning signs that can come with this problem, each with only those signs, most serious first."""
    return tuple(replace(tier, signs=signs) for tier in TIERS
                 if (signs := tuple(s for s in advice.signs if s.tier == tier.id)))


class ProblemAdviceScreen(ModalScreen[None]):
    """The advice for one kind of problem; `enter` or `escape` goes on (the session is already stopped)."""

    BINDINGS = [Binding("enter,escape,space", "done", "Go on")]

    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_WINDOW, "-tall")]

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.advice = advice_for(kind)
        """The advice for what was reported."""

    def compose(self) -> ComposeResult:
        tiers = tiers_to_check(self.advice)
        most_serious = tiers[0].id if tiers else ""
        with Vertical(classes=f"dialog warning-advice problem-advice {most_serious}"):
            yield Label(f"You reported {self.advice.label}: the session is stopped", classes="dialog-title")
            with DialogScroll():
                if tiers:
                    yield Static("First: do you also have any of these?", classes="dialog-warning", markup=False)
                    yield WarningSignList(tiers, classes="dialog-body")
                    yield Static("If not:", classes="dialog-warning", markup=False)
                yield Static(self.advice.advice, classes="dialog-body", id="problem-advice-text", markup=False)
                yield Static(NOT_A_DIAGNOSIS, classes="dialog-note", markup=False)
            yield Static("[b]enter[/] go on", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one(DialogScroll).focus()

    def on_resize(self) -> None:
        self.query_one(DialogScroll).fit()

    def action_done(self) -> None:
        self.dismiss(None)
