"""BigCountdown: the seconds left, in a pyfiglet font that fits the space it has.

Over SSH every repainted cell costs bytes, and Textual sends a widget's whole
area when it repaints. So the digits live in a child exactly their own size,
centred in the countdown's space, that keeps its size while the number of
characters stays the same and repaints only the rows whose text changed.
"""

from __future__ import annotations

from functools import lru_cache

from rich.text import Text
from textual.app import ComposeResult
from textual.geometry import Region
from textual.reactive import reactive
from textual.widget import Widget

FALLBACK_FONTS = ("big", "standard", "small", "future")
"""Fonts from largest to smallest: the user's choice, then the smaller ones after it."""
CHARACTERS = "0123456789:"
"""Every character a countdown can show."""


@lru_cache(maxsize=16)
def _figlet(font: str):
    from pyfiglet import Figlet  # imported late: only the hold screen needs it

    return Figlet(font=font, width=1000)


@lru_cache(maxsize=512)
def render_figlet(text: str, font: str) -> list[str]:
    """The lines of `text` in a figlet font, without blank lines above or below."""
    lines = _figlet(font).renderText(text).rstrip("\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    width = max((len(line) for line in lines), default=0)
    return [line.ljust(width) for line in lines]


ROOMY_FONT = "ansi_regular"
"""Solid block digits the default font grows into when the window has room for them."""
ROOMY_HEIGHT = 16
"""Rows the countdown needs before the default font grows (an 80x24 terminal gives it about 12)."""


def fonts_to_try(preferred: str, height: int = 0) -> list[str]:
    """The preferred font, then each smaller one; plain digits come after all of them.

    The default font (`future`, three rows, light over SSH) grows into solid
    five-row digits when the window is tall enough to make three rows look lost.
    """
    if preferred == "digits":
        return []
    fonts = list(FALLBACK_FONTS[FALLBACK_FONTS.index(preferred):]) if preferred in FALLBACK_FONTS else [preferred, *FALLBACK_FONTS]
    if preferred == "future" and height >= ROOMY_HEIGHT:
        fonts.insert(0, ROOMY_FONT)
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


def steady_countdown(text: str, width: int, height: int, preferred: str = "future") -> list[str]:
    """Like `fit_countdown`, but padded to a size that stays the same while the shape of `text` does.

    Every text of one shape (`42` and `17`, or `1:05` and `9:59`) gets lines of the
    same width and number, the digits centred in them, so a new second changes the
    characters inside a fixed box and never the box itself.
    """
    if not text:
        return []
    shape = "".join(":" if ch == ":" else "0" for ch in text)
    for font in fonts_to_try(preferred, height):
        slot_width, slot_height = _slot(shape, font)
        lines = render_figlet(text, font)
        slot_width = max(slot_width, len(lines[0]))
        if slot_height <= height and slot_width <= width:
            left = (slot_width - len(lines[0])) // 2
            lines = [(" " * left + line).ljust(slot_width) for line in lines]
            return lines + [" " * slot_width] * (slot_height - len(lines))
    return [text[:max(1, width)]]


def format_seconds(seconds_left: float) -> str:
    """Whole seconds left, rounded up, as `42` or `1:05`."""
    whole = int(-(-seconds_left // 1)) if seconds_left > 0 else 0
    if whole >= 60:
        return f"{whole // 60}:{whole % 60:02d}"
    return str(whole)


class CountdownGlyphs(Widget):
    """The lines of the countdown, in a box exactly their size; repaints only rows that changed."""

    DEFAULT_CSS = """
    CountdownGlyphs { width: 0; height: 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        """The lines shown now, all of one width."""

    def show(self, lines: list[str]) -> None:
        """Show `lines`: a new size lays the box out again; the same size repaints what changed.

        Textual resends a row from the widget's left edge, so a changed row is resent
        up to its last changed character only. The box has one blank column more on
        the right, so that point never touches the next widget (which would cost a
        pointless cursor move per row).
        """
        lines = [line + " " for line in lines]
        old, self.lines = self.lines, lines
        width = len(lines[0]) if lines else 0
        if len(old) != len(lines) or (old and len(old[0]) != width):
            self.styles.width = width
            self.styles.height = len(lines)
            self.refresh(layout=True)
            return
        for y, (before, after) in enumerate(zip(old, lines)):
            changed = [x for x, (a, b) in enumerate(zip(before, after)) if a != b]
            if changed:
                self.refresh(Region(0, y, changed[-1] + 1, 1))

    def render(self) -> Text:
        return Text("\n".join(self.lines), no_wrap=True, overflow="crop")


class BigCountdown(Widget):
    """Shows a short text (the seconds left) as large as the widget allows, centred."""

    DEFAULT_CSS = """
    BigCountdown { height: 1fr; min-height: 1; align: center middle; }
    """

    text: reactive[str] = reactive("", layout=False, repaint=False)
    """What to show; a change repaints the rows it changes, the same text nothing."""
    font: reactive[str] = reactive("future", repaint=False)
    """The preferred pyfiglet font, or `digits`."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None,
                 disabled: bool = False) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._glyphs = CountdownGlyphs()

    def compose(self) -> ComposeResult:
        yield self._glyphs

    def on_mount(self) -> None:
        self._show()

    def watch_text(self) -> None:
        self._show()

    def watch_font(self) -> None:
        self._show()

    def on_resize(self) -> None:
        self._show()

    def _show(self) -> None:
        if not self._glyphs.is_mounted:
            return  # not composed yet: on_mount shows it
        size = self.content_size
        self._glyphs.show(steady_countdown(self.text, size.width, size.height, self.font))
