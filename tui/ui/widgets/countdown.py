"""BigCountdown: the seconds left, in a pyfiglet font that fits the space it has."""

from __future__ import annotations

from functools import lru_cache

from textual.reactive import reactive
from textual.widget import Widget

FALLBACK_FONTS = ("big", "standard", "small")
"""Fonts to try, largest first, after the user's choice."""


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


def fit_countdown(text: str, width: int, height: int, preferred: str = "big") -> list[str]:
    """The largest rendering of `text` that fits `width` x `height`: figlet fonts, then plain text."""
    fonts = [preferred] + [f for f in FALLBACK_FONTS if f != preferred] if preferred != "digits" else []
    for font in fonts:
        lines = render_figlet(text, font)
        if len(lines) <= height and (not lines or len(lines[0]) <= width):
            return lines
    return [text[:max(1, width)]]


def format_seconds(seconds_left: float) -> str:
    """Whole seconds left, rounded up, as `42` or `1:05`."""
    whole = int(-(-seconds_left // 1)) if seconds_left > 0 else 0
    if whole >= 60:
        return f"{whole // 60}:{whole % 60:02d}"
    return str(whole)


class BigCountdown(Widget):
    """Shows a short text (the seconds left) as large as the widget allows."""

    DEFAULT_CSS = """
    BigCountdown { height: 1fr; min-height: 1; content-align: center middle; text-align: center; }
    """

    text: reactive[str] = reactive("", layout=False)
    """What to show; a change repaints, the same text does not."""
    font: reactive[str] = reactive("big")
    """The preferred pyfiglet font, or `digits`."""

    def render(self) -> str:
        lines = fit_countdown(self.text, self.size.width, self.size.height, self.font)
        return "\n".join(lines)
