"""PosePanel: the picture of the pose beside (or above) the big countdown, when there is room for both.

The countdown comes first: the picture shows only where it leaves the countdown
the size it would have alone. Beside it when the width allows, above it when
the height does, else not at all; twice as large where the window has room for
that (a picture made of quadrant blocks). The picture changes only when the exercise or
the side does, and the layout is worked out again only then, on a resize, or
when the countdown's number of characters changes (`1:00` to `59`): never on an
ordinary second, which stays a repaint of the digits alone.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widget import Widget

from tui.domain.figures import doubled
from tui.ui.user_text import PlainStatic, plain_rich
from tui.ui.widgets.countdown import BigCountdown, steady_countdown

GAP_COLUMNS = 4
"""Columns between the picture and the countdown beside it."""
GAP_ROWS = 1
"""Rows between the picture and the countdown below it."""


def shape_of(text: str) -> str:
    """What decides the countdown's size: its characters, every digit alike (`42` and `17` are both `00`)."""
    return "".join(":" if char == ":" else "0" for char in text)


def placement(figure: list[str], countdown: str, width: int, height: int, font: str) -> str:
    """Where a picture of this size goes: `beside`, `above`, or `hidden`, so the countdown keeps the size it has alone."""
    if not figure or not countdown:
        return "hidden"
    figure_width = max(cell_len(line) for line in figure)
    alone = steady_countdown(countdown, width, height, font)
    if len(figure) <= height and steady_countdown(countdown, width - figure_width - GAP_COLUMNS, height, font) == alone:
        return "beside"
    below = height - len(figure) - GAP_ROWS
    if figure_width <= width and len(alone) <= below and steady_countdown(countdown, width, below, font) == alone:
        return "above"
    return "hidden"


def arrange(figure: list[str], countdown: str, width: int, height: int, font: str) -> tuple[str, list[str]]:
    """Where the picture goes and the lines it is drawn with: twice as large if that fits, else as drawn."""
    large = doubled(figure) if figure else None
    if large:
        where = placement(large, countdown, width, height, font)
        if where != "hidden":
            return where, large
    return placement(figure, countdown, width, height, font), figure


class PosePanel(Widget):
    """The picture of the pose and the big countdown, arranged to fit."""

    DEFAULT_CSS = """
    PosePanel { layout: horizontal; align: center middle; height: 1fr; }
    PosePanel.-above { layout: vertical; }
    PosePanel > #pose-figure { width: auto; height: auto; }
    PosePanel.-beside > #pose-figure { margin: 0 4 0 0; height: 1fr; content-align-vertical: middle; }
    PosePanel.-above > #pose-figure { margin: 0 0 1 0; width: 100%; text-align: center; }
    PosePanel.-hidden > #pose-figure { display: none; }
    PosePanel > BigCountdown { width: 1fr; height: 1fr; }
    PosePanel.-above > BigCountdown { width: 100%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="-hidden")
        self.figure: list[str] = []
        """The picture of the pose shown now (already mirrored for the side), as drawn."""
        self.drawn: list[str] = []
        """The lines on screen now: the picture as drawn, or twice as large."""
        self._shape = ""
        """The shape of the countdown text the layout was worked out for."""
        self._placement = "hidden"
        """Where the picture is now: `beside`, `above` or `hidden`."""

    def compose(self) -> ComposeResult:
        yield PlainStatic(id="pose-figure")
        yield BigCountdown(id="countdown")

    @property
    def countdown(self) -> BigCountdown:
        """The big countdown."""
        return self.query_one(BigCountdown)

    @property
    def placement(self) -> str:
        """Where the picture is now: `beside`, `above` or `hidden`."""
        return self._placement

    def show(self, figure: list[str], countdown: str) -> None:
        """Show the picture and the seconds left; lays out again only when the picture or the countdown's shape changes."""
        if figure != self.figure:
            self.figure = figure
            self._shape = shape_of(countdown)
            self._arrange(countdown)
        elif shape_of(countdown) != self._shape:
            self._shape = shape_of(countdown)
            self._arrange(countdown)
        self.countdown.text = countdown

    def on_resize(self) -> None:
        self._arrange(self.countdown.text)

    def _arrange(self, countdown: str) -> None:
        size = self.content_size
        where, drawn = arrange(self.figure, countdown, size.width, size.height, self.countdown.font)
        if drawn != self.drawn:
            self.drawn = drawn
            # Plain text made harmless, never markup: a custom exercise's drawing came from a file.
            text = plain_rich("\n".join(drawn), multiline=True)
            text.no_wrap, text.overflow = True, "crop"
            self.query_one("#pose-figure", PlainStatic).update(text)
        if where != self._placement:
            self.remove_class(f"-{self._placement}", update=False)
            self.add_class(f"-{where}")
            self._placement = where
