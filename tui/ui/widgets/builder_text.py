"""BuilderText: a line of text that repaints only when what it says changes."""

from __future__ import annotations

from typing import Any

from textual.content import Content

from tui.ui.user_text import PlainStatic


def _looks(content: str | Content) -> tuple:
    # Content compares by its text alone; the styles count too.
    if isinstance(content, Content):
        return ("content", content.plain, tuple(content.spans))
    return ("text", content)


class BuilderText(PlainStatic):
    """Static text for the builder's messages; the builder rechecks on every key, so unchanged text is not resent."""

    def __init__(self, content: str | Content = "", **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self.shown = _looks(content)
        """What the text says now, and how."""

    def say(self, content: str | Content) -> None:
        """Show `content` (a str as plain text; styling through `styled`), unless it is already shown."""
        looks = _looks(content)
        if looks != self.shown:
            self.shown = looks
            self.update(content)
