"""QuietBar: a one-line progress bar that repaints only when a cell changes.

Textual's ProgressBar repaints on every update; over SSH every repaint costs
bytes. This bar redraws only when the number of filled cells changes.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widget import Widget


class QuietBar(Widget):
    """A progress bar of whole cells with a label on its right."""

    DEFAULT_CSS = """
    QuietBar { height: 1; width: 1fr; }
    QuietBar > .quiet-bar--filled { color: $accent; }
    QuietBar > .quiet-bar--empty { color: $panel-lighten-2; }
    """
    COMPONENT_CLASSES = {"quiet-bar--filled", "quiet-bar--empty"}

    progress: reactive[float] = reactive(0.0, layout=False, repaint=False)
    """0..1; only a change of filled cells repaints."""
    label: reactive[str] = reactive("", layout=False)
    """Text after the bar (a percentage, time left)."""
    _cells: reactive[int] = reactive(0, layout=False)
    """Filled cells now shown."""

    def _bar_width(self) -> int:
        return max(0, self.size.width - len(self.label) - 1)

    def watch_progress(self, progress: float) -> None:
        self._cells = round(max(0.0, min(1.0, progress)) * self._bar_width())

    def on_resize(self) -> None:
        self.watch_progress(self.progress)
        self.refresh()

    def render(self):
        from rich.text import Text

        width = self._bar_width()
        cells = min(self._cells, width)
        text = Text(no_wrap=True, overflow="crop")
        text.append("━" * cells, style=self.get_component_rich_style("quiet-bar--filled"))
        text.append("━" * (width - cells), style=self.get_component_rich_style("quiet-bar--empty"))
        if self.label:
            text.append(" " + self.label)
        return text
