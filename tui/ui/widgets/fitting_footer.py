"""FittingFooter: one line of the keys that work now, each shown whole or not at all.

Textual's Footer lays its keys out as widgets in a row that scrolls sideways: at
a narrow width the last key is cut ("? He") and the command palette's key,
docked on the right, leaves a stray letter of what lies under it ("^p palettel").
This footer builds its line from the screen's active bindings each time it is
drawn, keeps help (`?`) and the way back (`esc`) first, and drops any other key
that does not fit whole, the command palette's first.
"""

from __future__ import annotations

from typing import Any

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

KEPT_KEYS = ("question_mark", "escape")
"""Keys shown whenever anything is: help, and the way back."""
GAPS = ("  ", " ")
"""Between two keys: two spaces, or one where that shows more keys."""


@dataclass(frozen=True)
class FooterItem:
    """One key as the footer shows it."""

    key: str
    """The key pressed when the item is clicked."""
    key_display: str
    """How the key reads: `?`, `esc`, `^s`."""
    description: str
    """What it does, in a word or two."""
    kept: bool
    """Whether it stays at any width (help, escape)."""

    @property
    def width(self) -> int:
        """Cells it takes."""
        return cell_len(self.key_display) + (1 + cell_len(self.description) if self.description else 0)


def fitting(items: list[FooterItem], width: int) -> tuple[list[FooterItem], str]:
    """The items shown in `width` cells, in their order, and the gap between them: the kept ones first claim
    room, then the others in turn, each whole, up to the first that does not fit."""
    best: tuple[list[FooterItem], str] = ([], GAPS[0])
    for gap in GAPS:
        chosen = _fitting(items, width, cell_len(gap))
        if _score(chosen) > _score(best[0]):
            best = chosen, gap
    return best


def _score(chosen: list[FooterItem]) -> tuple[int, int]:
    """Help and the way back count first, then how many keys show."""
    return sum(item.kept for item in chosen), len(chosen)


def _fitting(items: list[FooterItem], width: int, gap: int) -> list[FooterItem]:
    def cost(chosen: list[FooterItem]) -> int:
        return sum(item.width for item in chosen) + gap * max(0, len(chosen) - 1)

    chosen = [item for item in items if item.kept]
    if cost(chosen) > width:
        while chosen and cost(chosen) > width:
            chosen.pop()
        return chosen
    for item in items:  # in the bindings' order, which is their order of importance: none jumps the queue
        if not item.kept:
            if cost(chosen + [item]) > width:
                break
            chosen.append(item)
    return [item for item in items if item in chosen]


class FittingFooter(Widget, can_focus=False):
    """The keys of the screen's active bindings on one line; a click presses the key."""

    DEFAULT_CSS = """
    FittingFooter {
        dock: bottom;
        height: 1;
        padding: 0 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    FittingFooter > .fitting-footer--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    """

    COMPONENT_CLASSES = {"fitting-footer--key"}

    def __init__(self, show_command_palette: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.show_command_palette = show_command_palette
        """Whether ctrl+p is offered (last, when there is room)."""
        self._spans: list[tuple[int, int, str]] = []
        """(start, end, key) of each item drawn, for clicks."""
        self.shown: list[FooterItem] = []
        """The items drawn last."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def items(self) -> list[FooterItem]:
        """Every key to show now, in the order the bindings give (one per action, its first key)."""
        by_action: dict[str, list[Binding]] = {}
        palette: Binding | None = None
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = binding if enabled else None
                continue
            if binding.show and enabled:
                by_action.setdefault(binding.action.removeprefix("app."), []).append(binding)
        items = [
            FooterItem(bindings[0].key, self.app.get_key_display(bindings[0]), bindings[0].description,
                       any(b.key in KEPT_KEYS for b in bindings))
            for bindings in by_action.values()
        ]
        if palette is not None and self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            items.append(FooterItem(palette.key, self.app.get_key_display(palette), palette.description, False))
        return items

    def render(self) -> Text:
        key_style = self.get_component_rich_style("fitting-footer--key")
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        self.shown, gap = fitting(self.items(), self.content_region.width or self.size.width)
        for number, item in enumerate(self.shown):
            if number:
                line.append(gap)
            start = line.cell_len
            line.append(item.key_display, key_style)
            if item.description:
                line.append(" " + item.description)
            self._spans.append((start, line.cell_len, item.key))
        return line

    def on_click(self, event: events.Click) -> None:
        x = event.x - self.styles.padding.left
        for start, end, key in self._spans:
            if start <= x < end:
                event.stop()
                self.app.simulate_key(key)
                return
