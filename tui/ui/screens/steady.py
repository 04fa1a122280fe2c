"""What every screen of the app shares: it is not laid out again when told the size it already has,
nor styled a second time as it first opens.

When a screen opens, its first layout tells the screen its own size (a Resize
event), and Textual's handler then lays out that screen and every screen under
it once more, each at the size it already has: for a dialog over the hold screen
over the menu, three whole layouts and a redraw with nothing changed. Every
dialog, every screen, every time. The terminal's real resizes (a new size) are
handled as before.

And as a screen first becomes the one on top, Textual styles every widget in it
again, though each was styled as it was mounted, a moment before. Later resumes
(back from a screen on top) are left as Textual has them.
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen


class SteadyScreen(Screen):
    """Base of every screen and dialog of the app (first among its bases: `class X(SteadyScreen, ModalScreen[T])`)."""

    _been_on_top = False
    """Whether the screen has been the one on top before."""

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Textual calls this before Screen's own handler, which restyles the whole screen when asked to.
        if not self._been_on_top:
            self._been_on_top = True
            event.refresh_styles = False  # just mounted: every widget has its styles already

    async def _on_resize(self, event: events.Resize) -> None:
        # Textual calls this before Screen's own handler, which lays out this screen and
        # those under it at the size in the event; when each of them already has that size
        # the layout would change nothing, so Screen's handler is skipped.
        if all(screen.outer_size == event.size for screen in (self, *self.app.screen_stack)):
            event.prevent_default()
