"""What every screen of the app shares: it is not laid out again when told the size it already has.

When a screen opens, its first layout tells the screen its own size (a Resize
event), and Textual's handler then lays out that screen and every screen under
it once more, each at the size it already has: for a dialog over the hold screen
over the menu, three whole layouts and a redraw with nothing changed. Every
dialog, every screen, every time. The terminal's real resizes (a new size) are
handled as before.
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen


class SteadyScreen(Screen):
    """Base of every screen and dialog of the app (first among its bases: `class X(SteadyScreen, ModalScreen[T])`)."""

    async def _on_resize(self, event: events.Resize) -> None:
        # Textual calls this before Screen's own handler, which lays out this screen and
        # those under it at the size in the event; when each of them already has that size
        # the layout would change nothing, so Screen's handler is skipped.
        if all(screen.outer_size == event.size for screen in (self, *self.app.screen_stack)):
            event.prevent_default()
