"""The one way text reaches the screen: whatever a user, a file or the journal gave is shown plain and harmless.

A routine name such as `Hip [/x]` is text, not Textual markup (read as markup it
crashes the screen, `Morning [v2]` loses `[v2]`, `[link=...]` becomes a live
hyperlink), and a description may carry escape sequences that would retitle,
clear or read the user's terminal. Three rules, all kept here:

1. **A str on screen is the characters it holds.** The widgets of this package
   (`PlainStatic`, `PlainLabel`, `PlainOptionList`, `PlainSelect`, and `PlainTable`
   in `user_text.table`, apart so that start-up does not load Textual's DataTable)
   never read a str as markup, and make it harmless as they show it. Our own
   styling is written as a literal markup template for `styled`, whose `$name`
   placeholders are filled with plain text: `styled("Delete [b]$name[/]?", name=routine.name)`.
   `plain(text)` is user text as Content, for anything else that takes Content.
   Toasts (`BackreliefApp.notify`) and the title bar are plain too.
2. **Harmless means `safe_text`** (`tui.domain.text`, shared with the command
   line): controls show as their pictures (ESC as ␛), bidi controls and
   invisible characters as U+FFFD, before anything is measured or laid out.
3. **Whatever slips past is stopped.** `HarmlessText`, a line filter on every
   line the app draws, drops any control, bidi or invisible character still
   there (the value of an input field, a widget of Textual's showing stored
   text) and any hyperlink. It is the last guard, not the way: it cannot show
   what it drops.

`tests/unit/test_user_text_boundary.py` reads every module of `tui/ui` outside this package and
fails when one imports Textual's Static, Label, DataTable, OptionList or Select,
escapes markup by hand, turns markup on, or builds markup from anything but a
literal.
"""

from __future__ import annotations

from typing import Any, Iterable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.content import Content
from textual.filter import LineFilter
from textual.fuzzy import Matcher
from textual.widget import Widget
from textual.widgets import Label, OptionList, Select, Static
from textual.widgets._select import SelectOverlay

from tui.domain.text import REPLACEMENT, is_harmless, safe_text, unsafe_characters


def plain(text: str, style: str = "", multiline: bool = True) -> Content:
    """User text as Content: never markup, made harmless; `multiline` False puts it on one line."""
    shown = safe_text(text, multiline)
    return Content.styled(shown, style) if style else Content(shown)


def plain_rich(text: str, style: str = "", multiline: bool = False) -> Text:
    """User text as a Rich Text (a table cell, a Select option), made harmless; one line unless `multiline`."""
    return Text(safe_text(text, multiline), style=style)


def styled(template: str, **values: Any) -> Content:
    """Our own markup `template`, a literal, with each `$name` filled by a value shown as plain, harmless text.

    The values are put in after the markup is read, so `[` in one is a bracket.
    """
    return Content.from_markup(template, **{name: safe_text(str(value)) for name, value in values.items()})


def highlighted(matcher: Matcher, text: str) -> Content:
    """What `Matcher.highlight` gives the command palette, for user text: Textual's own reads it as markup."""
    shown = safe_text(text, multiline=False)
    content = Content(shown)
    score, offsets = matcher.fuzzy_search.match(matcher.query, shown)
    if score:
        for offset in offsets:
            if not shown[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _shown(content: Any, multiline: bool = True) -> Any:
    """A str as plain, harmless Content; anything else (Content, a Rich renderable) as it is."""
    return plain(content, multiline=multiline) if isinstance(content, str) else content


class _ShowsPlainText:
    """For a Static or Label: a str given to the constructor or to `update` is shown as plain, harmless text."""

    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs["markup"] = False
        super().__init__(_shown(content), **kwargs)  # type: ignore[call-arg]

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        """Show `content`: a str as the characters it holds (harmless), Content or a Rich renderable as it is."""
        super().update(_shown(content), layout=layout)  # type: ignore[misc]


class PlainStatic(_ShowsPlainText, Static):
    """Textual's Static, except that a str is shown as it is (made harmless), never read as markup."""


class PlainLabel(_ShowsPlainText, Label):
    """Textual's Label, except that a str is shown as it is (made harmless), never read as markup."""


class PlainOptionList(OptionList):
    """Textual's OptionList, except that a str prompt is shown as it is, never read as markup.

    Build prompts from user text with `plain` or `styled`: they make it harmless
    where this can only keep it from being markup.
    """

    def __init__(self, *content: Any, **kwargs: Any) -> None:
        kwargs["markup"] = False
        super().__init__(*content, **kwargs)


def _select_options(options: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    # Rich Text rather than Content: Select's type-to-search reads the text of a Text prompt.
    return [(plain_rich(prompt) if isinstance(prompt, str) else prompt, value) for prompt, value in options]


MIN_LIST_LINES = 3
"""The fewest lines an open Select's list shrinks to, however little room its dialog leaves."""


class PlainSelect(Select):
    """Textual's Select, except that str option prompts are shown as they are (made harmless), never as markup."""

    def __init__(self, options: Iterable[tuple[Any, Any]], **kwargs: Any) -> None:
        super().__init__(_select_options(options), **kwargs)

    def set_options(self, options: Iterable[tuple[Any, Any]]) -> None:
        """Replace the options; str prompts are plain text."""
        super().set_options(_select_options(options))

    def _watch_expanded(self, expanded: bool) -> None:
        super()._watch_expanded(expanded)
        if expanded:
            self._fit_list()

    def _fit_list(self) -> None:
        """Keep the open list inside its dialog's frame (or above the footer): Textual lets it run over the
        border, which then looked broken ("╰───logged───╯"); a list with less room scrolls instead."""
        frame = next((node for node in self.ancestors if isinstance(node, Widget) and node.has_class("dialog")), None)
        if frame is not None:
            bottom = frame.region.bottom - (1 if frame.styles.border_bottom[0] else 0)
        else:
            bottom = self.screen.size.height - 1  # the footer's line
        room = bottom - self.region.bottom
        self.query_one(SelectOverlay).styles.max_height = max(MIN_LIST_LINES, min(12, room))


def drawable(text: str) -> str:
    """`text` as the line filter lets it reach the terminal: unsafe characters taking no cell dropped,
    any that takes a cell (a soft hyphen) shown as U+FFFD, so the line keeps the width it was laid out with."""
    if is_harmless(text):
        return text
    found = [index for index, _kind in unsafe_characters(text)]
    if not found:
        return text
    pieces: list[str] = []
    last = 0
    for index in found:
        pieces.append(text[last:index])
        pieces.append(REPLACEMENT if cell_len(text[index]) else "")
        last = index + 1
    pieces.append(text[last:])
    return "".join(pieces)


_NO_STYLE = Style()
"""The style given to a segment that has none."""


class HarmlessText(LineFilter):
    """The last guard on every line the app draws: no control, bidi or invisible character, and no hyperlink."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        """The segments of one line, with anything a terminal would act on taken out."""
        cleaned: list[Segment] | None = None
        for index, segment in enumerate(segments):
            text, style, control = segment
            if style is not None and style.link is None and is_harmless(text):  # nearly every segment
                if cleaned is not None:
                    cleaned.append(segment)
                continue
            shown = drawable(text)
            # No style at all becomes the empty one: the filters after this one (NO_COLOR's) expect a style.
            unlinked = _NO_STYLE if style is None else style.update_link(None) if style.link is not None else style
            if shown is not text or unlinked is not style:
                if cleaned is None:
                    cleaned = list(segments[:index])
                cleaned.append(Segment(shown, unlinked, control))
            elif cleaned is not None:
                cleaned.append(segment)
        return segments if cleaned is None else cleaned
