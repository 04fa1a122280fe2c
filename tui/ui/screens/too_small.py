"""TooSmall: shown over everything while the terminal is below a usable size."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.color import Color
from textual.screen import ModalScreen

from tui.ui.user_text import PlainStatic
from tui.ui.window import MIN_HEIGHT, MIN_WIDTH
from tui.ui.screens.steady import SteadyScreen


class TooSmall(SteadyScreen, ModalScreen[None]):
    """Asks for a larger window; the session keeps its time underneath.

    It acts only while it is the top screen: a screen's `dismiss` pops whatever
    is on top, so dismissing from under a dialog would close the dialog
    instead. When a dialog opens over it (the app then puts a fresh message on
    top if the window is still small), it turns see-through and waits; back on
    top, it goes at once if the window has grown meanwhile.
    """

    def compose(self) -> ComposeResult:
        yield PlainStatic("", id="too-small-message")

    def on_mount(self) -> None:
        self.update_message()

    def on_resize(self) -> None:
        self.update_message()

    def on_screen_suspend(self) -> None:
        # Covered: show nothing, so a dialog over it shows what is under it, not a stale size.
        self.styles.background = Color(0, 0, 0, 0)
        self.query_one("#too-small-message", PlainStatic).display = False

    def on_screen_resume(self) -> None:
        self.update_message()

    def update_message(self) -> None:
        """Say how large the window is, or go away once it is large enough."""
        if self.app.screen is not self:
            return
        width, height = self.app.size
        if width >= MIN_WIDTH and height >= MIN_HEIGHT:
            self.dismiss(None)
            return
        self.styles.clear_rule("background")
        message = self.query_one("#too-small-message", PlainStatic)
        message.display = True
        message.update(f"Make the window larger\n({width}x{height}, needs {MIN_WIDTH}x{MIN_HEIGHT})")
