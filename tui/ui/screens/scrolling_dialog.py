"""ScrollingDialog: a dialog whose body scrolls in a DialogScroll, so its title and keys stay in view at any size."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from tui.paths import screen_styles
from tui.ui.user_text import PlainStatic
from tui.ui.widgets.dialog_scroll import DialogScroll
from tui.ui.window import SHORT_WINDOW
from tui.ui.screens.steady import SteadyScreen

Result = TypeVar("Result")


class ScrollingDialog(SteadyScreen, ModalScreen[Result]):
    """A dialog with one DialogScroll: it has the focus (so up/down scroll it) and is fitted again whenever
    the screen's size or the dialog's other lines change. Subclasses compose the dialog around it."""

    CSS_PATH = screen_styles("dialogs.tcss")

    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_WINDOW, "-tall")]
    """In a short window the dialog drops its padding."""

    def on_mount(self) -> None:
        self.query_one(DialogScroll).focus()

    def on_resize(self) -> None:
        self.query_one(DialogScroll).fit()

    def show_hint(self, selector: str, text: str) -> None:
        """Show `text` in the hint line `selector` (hidden until then), leaving the keys in view."""
        hint = self.query_one(selector, PlainStatic)
        hint.display = True
        hint.update(text)
        self.query_one(DialogScroll).fit()
