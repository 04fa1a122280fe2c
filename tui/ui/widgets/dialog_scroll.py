"""DialogScroll: the part of a dialog that scrolls, so its title and keys always show."""

from __future__ import annotations

from textual.containers import VerticalScroll


class DialogScroll(VerticalScroll):
    """Takes the height its content needs, but never more than the screen leaves once the dialog's
    other lines (title, hints, keys) and frame are counted: those stay in view at any size.

    Textual sizes an auto-height dialog to its content and then clips it at the
    screen's edge, which would cut off the key line; a fractional height would
    instead stretch every dialog to the full screen. The owning screen calls
    `fit` when its size or the other lines change.
    """

    DEFAULT_CSS = """
    DialogScroll {
        height: auto;
    }
    """

    MIN_LINES = 2
    """The fewest lines it shrinks to, however small the screen."""

    FIT_PASSES = 3
    """Layouts to wait through at most: the other lines' heights settle only once the new width is laid out."""

    def fit(self) -> None:
        """Set the largest height that leaves the dialog's other lines on screen (after the next layout)."""
        self.call_after_refresh(self._fit, self.FIT_PASSES)

    def _fit(self, passes: int) -> None:
        dialog = self.parent
        if dialog is None or not self.is_mounted:
            return
        others = sum(child.outer_size.height + child.styles.margin.height
                     for child in dialog.children if child is not self and child.display)
        room = self.screen.size.height - dialog.styles.gutter.height - others - self.styles.margin.height
        height = max(self.MIN_LINES, room)
        if self.styles.max_height is None or self.styles.max_height.value != height:
            self.styles.max_height = height
        if passes > 1:  # a line just shown or rewrapped may not be laid out yet: look again after the next layout
            self.call_after_refresh(self._fit, passes - 1)
