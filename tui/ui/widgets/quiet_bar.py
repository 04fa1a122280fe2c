"""QuietBar: a one-line progress bar that repaints only the cells that change.

Textual's ProgressBar repaints on every update; over SSH every byte counts.
Textual also resends a widget's line from the widget's left edge up to the last
changed cell, so the bar is built of short stretches and a separate label: a
bar that fills by a cell resends a few cells, and a new label never resends
the bar.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.geometry import Region
from textual.reactive import reactive
from textual.widget import Widget

STRETCHES = 6
"""How many pieces the cells of a bar are split into."""


class BarStretch(Widget):
    """A piece of a QuietBar's cells; filled as far as the bar's progress reaches into it."""

    DEFAULT_CSS = """
    BarStretch { width: 1fr; height: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.shown = 0
        """Filled cells shown now."""

    def filled(self) -> int:
        """Filled cells this piece should show."""
        bar = self.parent
        if not isinstance(bar, QuietBar):
            return 0
        before = 0
        for piece in bar.pieces:
            if piece is self:
                break
            before += piece.size.width
        return max(0, min(self.size.width, bar.filled_cells() - before))

    def update_cells(self) -> None:
        """Repaint just the cells that changed, if any."""
        filled = self.filled()
        if filled != self.shown:
            low, high = sorted((self.shown, filled))
            self.shown = filled
            self.refresh(Region(low, 0, high - low, 1))

    def render(self) -> Text:
        bar = self.parent if isinstance(self.parent, QuietBar) else self  # the bar's styles: its component classes
        width = self.size.width
        self.shown = filled = self.filled()
        text = Text(no_wrap=True, overflow="crop")
        text.append("━" * filled, style=bar.get_component_rich_style("quiet-bar--filled"))
        text.append("━" * (width - filled), style=bar.get_component_rich_style("quiet-bar--empty"))
        return text


class BarLabel(Widget):
    """The label of a QuietBar, one space from the cells; repaints only the characters that changed."""

    DEFAULT_CSS = """
    BarLabel { width: 0; height: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        """The label shown now, with its leading space."""

    def show(self, label: str) -> None:
        """Show `label`; a longer or shorter one lays the bar out again."""
        text = f" {label}" if label else ""
        old, self.text = self.text, text
        if len(old) != len(text):
            self.styles.width = len(text)
            self.refresh(layout=True)
            return
        changed = [i for i, (a, b) in enumerate(zip(old, text)) if a != b]
        if changed:
            self.refresh(Region(changed[0], 0, changed[-1] - changed[0] + 1, 1))

    def render(self) -> Text:
        return Text(self.text, no_wrap=True, overflow="crop")


class QuietBar(Widget):
    """A progress bar of whole cells with a label on its right."""

    DEFAULT_CSS = """
    QuietBar { height: 1; width: 1fr; layout: horizontal; }
    QuietBar > .quiet-bar--filled { color: $accent; }
    QuietBar > .quiet-bar--empty { color: $panel-lighten-2; }
    """
    COMPONENT_CLASSES = {"quiet-bar--filled", "quiet-bar--empty"}

    progress: reactive[float] = reactive(0.0, layout=False, repaint=False)
    """0..1; only a change of filled cells repaints, and only those cells."""
    label: reactive[str] = reactive("", layout=False, repaint=False)
    """Text after the bar (a percentage, time left); only changed characters repaint."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None,
                 disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.pieces = [BarStretch() for _ in range(STRETCHES)]
        """The stretches of cells, left to right."""
        self._label = BarLabel()

    def compose(self) -> ComposeResult:
        yield from self.pieces
        yield self._label

    def filled_cells(self) -> int:
        """Filled cells of the whole bar for the progress now."""
        total = sum(piece.size.width for piece in self.pieces)
        return round(max(0.0, min(1.0, self.progress)) * total)

    def on_mount(self) -> None:
        self._show()

    def on_resize(self) -> None:
        self.call_after_refresh(self._show)  # the pieces know their new widths after the layout

    def watch_progress(self) -> None:
        self._show()

    def watch_label(self) -> None:
        self._show()

    def _show(self) -> None:
        if not self._label.is_mounted:
            return  # not composed yet: on_mount shows it
        self._label.show(self.label)
        for piece in self.pieces:
            piece.update_cells()
