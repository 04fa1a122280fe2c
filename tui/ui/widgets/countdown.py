"""BigCountdown: the seconds left, as large as the space allows, in solid blocks or a pyfiglet font.

Someone lying on the floor a metre or two away must read it, so the default
grows with the window: block digits 7 rows tall at 80x24, 11 at 120x40, more
in a larger window; in a small one, a smaller pyfiglet font, then plain digits.

Over SSH every repainted cell costs bytes, and Textual sends a widget's whole
row from its left edge when it repaints. So the digits live in a child exactly
their own size, centred in the countdown's space, that keeps its size while the
number of characters stays the same and repaints only the rows whose text
changed. Those rows are drawn in the terminal's own colours, with no colour
codes: a colour costs some 20 bytes on every row a second changes, which alone
would double what a new second sends (see `CountdownGlyphs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tui.domain.figures import without_blank_ends

FALLBACK_FONTS = ("big", "standard", "small", "future")
"""Fonts from largest to smallest: the user's choice, then the smaller ones after it."""
CHARACTERS = "0123456789:"
"""Every character a countdown can show."""


@lru_cache(maxsize=16)
def _figlet(font: str) -> Any:  # a pyfiglet Figlet (pyfiglet has no types)
    from pyfiglet import Figlet  # imported late: only the hold screen needs it

    return Figlet(font=font, width=1000)


BLOCK_GLYPHS: dict[str, tuple[str, ...]] = {
    "0": (".##.", "#..#", "#..#", "#..#", "#..#", "#..#", ".##."),
    "1": ("..#.", ".##.", "#.#.", "..#.", "..#.", "..#.", "..#."),
    "2": (".##.", "#..#", "...#", "..#.", ".#..", "#...", "####"),
    "3": ("###.", "...#", "...#", ".##.", "...#", "...#", "###."),
    "4": ("#..#", "#..#", "#..#", "####", "...#", "...#", "...#"),
    "5": ("####", "#...", "###.", "...#", "...#", "#..#", ".##."),
    "6": (".##.", "#...", "#...", "###.", "#..#", "#..#", ".##."),
    "7": ("####", "...#", "...#", "..#.", ".#..", ".#..", ".#.."),
    "8": (".##.", "#..#", "#..#", ".##.", "#..#", "#..#", ".##."),
    "9": (".##.", "#..#", "#..#", ".###", "...#", "...#", ".##."),
    ":": (".", ".", "#", ".", "#", ".", "."),
}
"""The block digits, drawn for this project on a grid 4 wide and 7 tall (`#` is ink).

Rows 0, 3 and 6 hold the horizontal strokes; rows 1, 2, 4 and 5 the upright ones,
which grow when the digits grow, so the strokes keep one thickness. Four columns
rather than five: every cell of ink is 3 bytes over the wire, and a new second
resends the rows of the digit that changed.
"""
BAR_ROWS = (0, 3, 6)
"""The rows of a block glyph with the horizontal strokes."""


@dataclass(frozen=True)
class BlockSize:
    """One size of the block digits."""

    stem_rows: int
    """Terminal rows for each upright row of the glyph grid."""
    pixel_cols: int
    """Terminal columns for each column of the grid (and the gap between glyphs)."""
    bar_rows: int
    """Terminal rows for each horizontal-stroke row of the grid."""
    min_room: int
    """Rows the countdown must have before this size is used: a bigger size costs bytes every
    second, so it waits until the window is clearly larger (80x24 gives the countdown 13 rows)."""

    @property
    def name(self) -> str:
        """The font name of this size, as `fonts_to_try` lists it: `blocks-7`."""
        return f"blocks-{self.rows}"

    @property
    def rows(self) -> int:
        """How tall the digits are."""
        return len(BAR_ROWS) * self.bar_rows + (7 - len(BAR_ROWS)) * self.stem_rows


BLOCK_SIZES = (
    BlockSize(stem_rows=1, pixel_cols=2, bar_rows=1, min_room=7),
    BlockSize(stem_rows=2, pixel_cols=2, bar_rows=1, min_room=18),
    BlockSize(stem_rows=3, pixel_cols=3, bar_rows=1, min_room=36),
    BlockSize(stem_rows=4, pixel_cols=4, bar_rows=2, min_room=48),
)
"""Block sizes from smallest to largest: 7, 11, 15 and 22 rows."""
BLOCK_FONTS = {size.name: size for size in BLOCK_SIZES}
"""Each block size by its font name."""
INK = "█"
"""The ink of a block digit: one solid cell."""


def render_blocks(text: str, size: BlockSize) -> list[str]:
    """`text` (digits and colons) in block digits of one size."""
    gap = " " * size.pixel_cols
    lines = []
    for row in range(7):
        cells = [
            "".join(INK * size.pixel_cols if pixel == "#" else " " * size.pixel_cols for pixel in BLOCK_GLYPHS[char][row])
            for char in text
        ]
        line = gap.join(cells)
        lines += [line] * (size.bar_rows if row in BAR_ROWS else size.stem_rows)
    return lines


@lru_cache(maxsize=512)
def render_figlet(text: str, font: str) -> list[str]:
    """The lines of `text` in a figlet font (or a block size), without blank lines above or below."""
    if font in BLOCK_FONTS:
        return render_blocks(text, BLOCK_FONTS[font])
    lines = without_blank_ends(_figlet(font).renderText(text).rstrip("\n").split("\n"))
    width = max((len(line) for line in lines), default=0)
    return [line.ljust(width) for line in lines]


ROOMY_FONT = "ansi_regular"
"""Solid five-row digits: the default between the block digits and `future`."""


def fonts_to_try(preferred: str, height: int = 0) -> list[str]:
    """The preferred font, then each smaller one; plain digits come after all of them.

    The default (`future`) uses the space there is: the largest block digits the
    countdown's `height` has room for, then solid five-row digits, then `future`
    (three rows). A font the user chose stays that font, smaller ones after it.
    """
    if preferred == "digits":
        return []
    fonts = list(FALLBACK_FONTS[FALLBACK_FONTS.index(preferred):]) if preferred in FALLBACK_FONTS else [preferred, *FALLBACK_FONTS]
    if preferred == "future":
        roomy = [size.name for size in reversed(BLOCK_SIZES) if height >= size.min_room]
        fonts[:0] = [*roomy, ROOMY_FONT]
    return fonts


def fit_countdown(text: str, width: int, height: int, preferred: str = "future") -> list[str]:
    """The largest rendering of `text` that fits `width` x `height`: figlet fonts, then plain text."""
    for font in fonts_to_try(preferred, height):
        lines = render_figlet(text, font)
        if len(lines) <= height and (not lines or len(lines[0]) <= width):
            return lines
    return [text[:max(1, width)]]


@lru_cache(maxsize=64)
def _slot(shape: str, font: str) -> tuple[int, int]:
    """Width and height that hold any text of this shape (`00:00`: a digit or a colon each) in `font`."""
    widest = {kind: max(len(render_figlet(ch, font)[0]) for ch in chars)
              for kind, chars in (("0", "0123456789"), (":", ":"))}
    return sum(widest[ch] for ch in shape), len(render_figlet(CHARACTERS, font))


def steady_layout(text: str, width: int, height: int, preferred: str = "future") -> tuple[list[str], list[int]]:
    """`steady_countdown`'s lines, and where each character's columns begin (block digits) or just [0].

    A changed row is resent from the left edge of the widget that holds it, so
    each block digit gets a widget of its own: a new second resends the rows of
    the digit that changed, not the digits before it.
    """
    if not text:
        return [], [0]
    shape = "".join(":" if ch == ":" else "0" for ch in text)
    for font in fonts_to_try(preferred, height):
        slot_width, slot_height = _slot(shape, font)
        lines = render_figlet(text, font)
        slot_width = max(slot_width, len(lines[0]))
        if slot_height <= height and slot_width <= width:
            left = (slot_width - len(lines[0])) // 2
            lines = [(" " * left + line).ljust(slot_width) for line in lines]
            lines += [" " * slot_width] * (slot_height - len(lines))
            if font in BLOCK_FONTS:
                size = BLOCK_FONTS[font]
                starts = [0]
                for char in text[:-1]:
                    starts.append(starts[-1] + len(BLOCK_GLYPHS[char][0]) * size.pixel_cols + size.pixel_cols)
                return lines, starts
            return lines, [0]
    return [text[:max(1, width)]], [0]


def steady_countdown(text: str, width: int, height: int, preferred: str = "future") -> list[str]:
    """Like `fit_countdown`, but padded to a size that stays the same while the shape of `text` does.

    Every text of one shape (`42` and `17`, or `1:05` and `9:59`) gets lines of the
    same width and number, the digits centred in them, so a new second changes the
    characters inside a fixed box and never the box itself.
    """
    return steady_layout(text, width, height, preferred)[0]


def format_seconds(seconds_left: float) -> str:
    """Whole seconds left, rounded up, as `42` or `1:05`."""
    whole = int(-(-seconds_left // 1)) if seconds_left > 0 else 0
    if whole >= 60:
        return f"{whole // 60}:{whole % 60:02d}"
    return str(whole)


class CountdownGlyphs(Widget):
    """Some columns of the countdown's lines (one block digit, or all of a figlet font's), in a box
    exactly their size; repaints only the rows that changed.

    Each row is one segment with no style of its own, so it is sent as bare text
    in the terminal's own colours (the countdown's band has them too): no colour
    codes per row. Muted (paused), the rows are dim, which costs only while paused.
    """

    DEFAULT_CSS = """
    CountdownGlyphs { width: 0; height: 0; }
    """

    def __init__(self, lines: list[str], style: Style | None) -> None:
        super().__init__()
        self.lines: list[str] = lines
        """The lines shown now, all of one width."""
        self.style: Style | None = style
        """The style of every row: None (the terminal's colours), or dim while paused."""
        self.styles.width = len(lines[0]) if lines else 0
        self.styles.height = len(lines)

    def set_style(self, style: Style | None) -> None:
        """Draw every row in `style` from now on."""
        if style != self.style:
            self.style = style
            self.refresh()

    def show(self, lines: list[str]) -> None:
        """Show `lines` of the same size as before, repainting each changed row up to its last changed character."""
        old, self.lines = self.lines, lines
        for y, (before, after) in enumerate(zip(old, lines)):
            changed = [x for x, (a, b) in enumerate(zip(before, after)) if a != b]
            if changed:
                self.refresh(Region(0, y, changed[-1] + 1, 1))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y >= len(self.lines):
            return Strip.blank(width)
        return Strip([Segment(self.lines[y][:width], self.style)], width)


class CountdownRow(Widget):
    """The countdown's lines as a row of `CountdownGlyphs`, one per block digit: a box exactly their size.

    The box keeps its size while the number of characters stays the same; a new
    size (or font) builds the row again. It has one blank column more on the right,
    so a changed row never ends against the next widget (which would cost a
    pointless cursor move per row).
    """

    DEFAULT_CSS = """
    CountdownRow { width: auto; height: auto; layout: horizontal; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        """The lines shown now, all of one width (with the blank column)."""
        self.starts: list[int] = [0]
        """Where each part's columns begin."""
        self.style: Style | None = None
        """The style of every row: None (the terminal's colours), or dim while paused."""
        self.parts: list[CountdownGlyphs] = []
        """The widgets of the parts, left to right (the old ones may still be leaving the DOM)."""

    def set_muted(self, muted: bool) -> None:
        """Dim the digits (paused) or not."""
        self.style = Style(dim=True) if muted else None
        for part in self.parts:
            part.set_style(self.style)

    def _parts(self, lines: list[str], starts: list[int]) -> list[list[str]]:
        ends = [*starts[1:], len(lines[0]) if lines else 0]
        return [[line[start:end] for line in lines] for start, end in zip(starts, ends)]

    def show(self, lines: list[str], starts: list[int]) -> None:
        """Show `lines`, cut into parts at `starts`."""
        lines = [line + " " for line in lines]
        old, old_starts = self.lines, self.starts
        self.lines, self.starts = lines, starts
        parts = self._parts(lines, starts)
        same_box = len(old) == len(lines) and old_starts == starts and bool(old) and len(old[0]) == len(lines[0])
        if same_box and self.parts:
            for part, part_lines in zip(self.parts, parts):
                part.show(part_lines)
            return
        if self.is_mounted:
            self.remove_children()
            self.parts = [CountdownGlyphs(part_lines, self.style) for part_lines in parts]
            self.mount_all(self.parts)


class BigCountdown(Widget):
    """Shows a short text (the seconds left) as large as the widget allows, centred."""

    DEFAULT_CSS = """
    BigCountdown { height: 1fr; min-height: 1; align: center middle; }
    """

    text: reactive[str] = reactive("", layout=False, repaint=False)
    """What to show; a change repaints the rows it changes, the same text nothing."""
    font: reactive[str] = reactive("future", repaint=False)
    """The preferred pyfiglet font, or `digits`."""
    muted: reactive[bool] = reactive(False, repaint=False)
    """Whether the digits are dimmed (the session is paused)."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None,
                 disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._glyphs = CountdownRow()

    def compose(self) -> ComposeResult:
        yield self._glyphs


    def on_mount(self) -> None:
        self._show()

    def watch_text(self) -> None:
        self._show()

    def watch_font(self) -> None:
        self._show()

    def watch_muted(self, muted: bool) -> None:
        self._glyphs.set_muted(muted)

    def on_resize(self) -> None:
        self._show()

    def _show(self) -> None:
        if not self._glyphs.is_mounted:
            return  # not composed yet: on_mount shows it
        size = self.content_size
        self._glyphs.show(*steady_layout(self.text, size.width, size.height, self.font))
