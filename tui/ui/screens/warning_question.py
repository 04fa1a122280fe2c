"""WarningSignQuestion: on first run, does any emergency or urgent warning sign apply? One key answers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from tui.domain.warning_signs import (
    EMERGENCY,
    NONE_APPLIES,
    NOT_A_DIAGNOSIS,
    NOT_A_DIAGNOSIS_SHORT,
    SCREENED_TIERS,
    URGENT,
    tier,
)
from tui.ui.screens.scrolling_dialog import ScrollingDialog
from tui.ui.widgets.dialog_scroll import DialogScroll
from tui.ui.widgets.warning_sign_list import WarningSignList
from tui.ui.user_text import PlainLabel, PlainStatic, styled


class WarningSignQuestion(ScrollingDialog[str]):
    """Dismisses with `emergency`, `urgent` or `none`.

    Escape is not an answer: a person who presses it by habit is told which keys
    answer, and nothing is recorded. `q` leaves the app without an answer (the
    question comes back next time).
    """

    BINDINGS = [
        Binding("e", f"answer('{EMERGENCY}')", "An emergency sign"),
        Binding("u", f"answer('{URGENT}')", "An urgent sign"),
        Binding("n", f"answer('{NONE_APPLIES}')", "None of these"),
        Binding("escape", "not_an_answer", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog warning-question"):
            yield PlainLabel("Before you start: warning signs", classes="dialog-title")
            with DialogScroll():
                yield PlainStatic(f"Do you have any of these now? {NOT_A_DIAGNOSIS_SHORT}", classes="dialog-body")
                yield WarningSignList(tuple(tier(t) for t in SCREENED_TIERS), classes="dialog-body")
                yield PlainStatic(NOT_A_DIAGNOSIS, classes="dialog-note")
            yield PlainStatic("", id="question-hint", classes="dialog-error hint")
            yield PlainStatic(styled("[b]e[/] an emergency sign   [b]u[/] an urgent sign   [b]n[/] none of these   [b]q[/] quit"),
                         classes="dialog-keys")

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    def action_not_an_answer(self) -> None:
        self.show_hint("#question-hint", "Please answer with e, u or n: escape does not skip this.")
