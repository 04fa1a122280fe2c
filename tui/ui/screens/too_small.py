"""TooSmall: shown over everything while the terminal is below a usable size."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH = 40
"""Narrowest usable terminal."""
MIN_HEIGHT = 12
"""Shortest usable terminal."""


class TooSmall(ModalScreen[None]):
    """Asks for a larger window; the session keeps its time underneath."""

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small-message")

    def on_mount(self) -> None:
        self.update_message()

    def on_resize(self) -> None:
        self.update_message()

    def on_screen_resume(self) -> None:
        self.update_message()

    def update_message(self) -> None:
        """Say how large the window is, or go away once it is large enough."""
        width, height = self.app.size
        if width >= MIN_WIDTH and height >= MIN_HEIGHT:
            if self.is_current:
                self.dismiss(None)
            return
        self.query_one("#too-small-message", Static).update(
            f"Make the window larger\n({width}x{height}, needs {MIN_WIDTH}x{MIN_HEIGHT})"
        )
