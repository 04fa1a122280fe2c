"""WarningSignsScreen: every warning sign that needs a doctor, what to do for each tier, and the sources."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from tui.domain.warning_signs import NOT_A_DIAGNOSIS
from tui.ui.user_text import PlainLabel, PlainStatic, styled
from tui.ui.screens.scrolling_dialog import ScrollingDialog
from tui.ui.widgets.dialog_scroll import DialogScroll
from tui.ui.widgets.warning_sign_list import WarningSignList


class WarningSignsScreen(ScrollingDialog[None]):
    """All three tiers (from the palette, the menu's `w` or the advice banner); escape or q closes it."""

    BINDINGS = [Binding("escape,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog warning-signs"):
            yield PlainLabel("Warning signs that need a doctor", classes="dialog-title")
            with DialogScroll():
                yield PlainStatic(NOT_A_DIAGNOSIS, classes="dialog-warning")
                yield WarningSignList(sources=True)
            yield PlainStatic(styled("[b]up/down[/] scroll    [b]escape[/] close"), classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
