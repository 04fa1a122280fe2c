"""TitleBar: the one-line title at the top of each screen."""

from __future__ import annotations

from tui.ui.user_text import PlainStatic


class TitleBar(PlainStatic):
    """The app's name and what the screen is, on one line; follows the screen's title and sub-title.

    One widget where Textual's `Header` mounts four (icon, title, clock space and
    the bar itself): the first frame of the menu comes sooner, and nothing here
    is clickable in a keyboard-first app.
    """

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._show, init=False)
            self.watch(owner, "sub_title", self._show, init=False)
        self._show()

    def _show(self) -> None:
        screen = self.screen
        title = screen.title if screen.title is not None else self.app.title
        sub_title = screen.sub_title if screen.sub_title is not None else self.app.sub_title
        self.update(self.app.format_title(title, sub_title))
