"""Untrusted text made harmless: the one rule for every string from a file, the journal, the command line or the keyboard.

A terminal obeys control characters: ESC starts sequences that set the window
title, write the clipboard (OSC 52), make hyperlinks (OSC 8) or clear the
screen, and 0x9b is the same CSI in 8 bits. Bidi controls reorder what is
shown, and zero-width characters hide inside a name so that it looks like
another. So text is never shown as it came:

- `safe_text` is what may be shown: C0 controls and DEL become their control
  pictures (ESC shows as ␛), C1 controls, unpaired surrogates, bidi controls
  and invisible characters become U+FFFD. Each takes one cell, so the text
  looks odd rather than hiding anything. A newline stays in multi-line text
  (a tab too, which Textual and terminals only turn into spaces); in one-line
  text both become a space.
- `text_problem` is why a name or a text field must be refused on the way in.
- `json_text` writes JSON that stays valid and round-trips exactly, with every
  such character written as a \\uXXXX escape, so printing it is harmless too.

Emoji are text, not tricks: a zero-width joiner between two pictographs
(👨‍👩‍👧), a variation selector after a pictograph or keycap base (❤️, 1️⃣)
and the tag characters of a subdivision flag (🏴 England) are kept. Anywhere
else they are shown as U+FFFD, and refused in names. ZWNJ (U+200C), which
Persian and Indic writing use between letters, is treated as invisible: a
Latin name can be spoofed with it, and names here are short labels.

No Textual here: the command line and the app share it.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from typing import Any, Iterator

REPLACEMENT = "\ufffd"
"""What a character that cannot be shown safely becomes (one cell, and plainly not part of the text)."""

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Marks, embeddings, overrides and isolates: they change the order text is shown in."""

ZWJ = "\u200d"
"""Zero-width joiner: kept between two pictographs (an emoji sequence)."""
VARIATION_SELECTORS = frozenset("\ufe0e\ufe0f")
"""Text and emoji presentation selectors: kept after a pictograph or a keycap base."""
KEYCAP_BASES = frozenset("0123456789#*")
"""Characters a variation selector and U+20E3 turn into a keycap emoji."""
BLACK_FLAG = "\U0001f3f4"
"""The base of subdivision flags, which tag characters follow."""

_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x200B, 0x200D), (0x2060, 0x2065), (0x206A, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFFB), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
"""Unicode's default-ignorable code points other than the bidi controls (drawn as nothing at all), and the
interlinear annotation marks (which hide the text between them in some renderers)."""

_LINE_BREAKS = "\n\u2028\u2029"
"""What ends a line: newline, and Unicode's line and paragraph separators."""


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
                   for low, high in ranges)


# The patterns below are compiled when first used (`functools.cache`): ASCII text, all that the menu's first
# frame shows, needs none of them, and compiling them took a millisecond and a half of every start-up.


@functools.cache
def _suspect() -> re.Pattern[str]:
    """Every character that may need replacing; text without one (nearly all text) is returned as it is."""
    return re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029"
                      + "".join(re.escape(c) for c in sorted(BIDI_CONTROLS)) + _char_class(_INVISIBLE_RANGES) + "]")


@functools.cache
def _printable_suspect() -> re.Pattern[str]:
    """The invisible characters Python counts as printable (selectors, fillers): every other suspect is not."""
    return re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u3164\ufe00-\ufe0f\uffa0"
                      "\U000e0100-\U000e01ef]")

_INVISIBLE = frozenset(chr(cp) for low, high in _INVISIBLE_RANGES for cp in range(low, high + 1) if high < 0x10000)
"""The invisible characters of the Basic Multilingual Plane (the others are tested by range)."""


def _is_invisible(char: str) -> bool:
    return char in _INVISIBLE or 0x1BCA0 <= ord(char) <= 0x1BCA3 or 0x1D173 <= ord(char) <= 0x1D17A \
        or 0xE0000 <= ord(char) <= 0xE0FFF


def is_pictograph(char: str) -> bool:
    """Whether `char` is an emoji-like pictograph (the parts of an emoji sequence)."""
    code = ord(char)
    if 0x1F000 <= code <= 0x1FAFF:
        return True
    return code in (0xA9, 0xAE) or (0x2000 <= code <= 0x32FF and unicodedata.category(char) == "So")


def _emoji_part(text: str, index: int) -> bool:
    """Whether the invisible character at `index` belongs to an emoji sequence and so may stay."""
    char = text[index]
    before = text[index - 1] if index > 0 else ""
    if char in VARIATION_SELECTORS:
        return bool(before) and (is_pictograph(before) or before in KEYCAP_BASES)
    if char == ZWJ:
        base = text[index - 2] if before in VARIATION_SELECTORS and index > 1 else before
        after = text[index + 1] if index + 1 < len(text) else ""
        return bool(base) and bool(after) and is_pictograph(base) and is_pictograph(after)
    if 0xE0020 <= ord(char) <= 0xE007F:
        start = index
        while start > 0 and 0xE0020 <= ord(text[start - 1]) <= 0xE007E:
            start -= 1
        return start > 0 and text[start - 1] == BLACK_FLAG
    return False


def is_harmless(text: str) -> bool:
    """Whether `text` holds nothing that `safe_text` would change even on one line; quick for ordinary text.

    False may still be harmless (an emoji sequence, a non-breaking space): it
    only means a closer look is needed.
    """
    if text.isprintable():  # in C: no control, format, separator or surrogate character
        return text.isascii() or _printable_suspect().search(text) is None
    return False


def unsafe_characters(text: str, multiline: bool = False) -> Iterator[tuple[int, str]]:
    """(index, kind) of each character of `text` that must not be shown as it is.

    Kinds: `line break` (only when not `multiline`; CR LF is one), `control`,
    `bidi`, `invisible`, `surrogate`. A tab is a `control` here; `safe_text`
    shows it as whitespace.
    """
    for match in _suspect().finditer(text):
        index = match.start()
        char = match.group()
        code = ord(char)
        if char in _LINE_BREAKS:
            if not multiline:
                yield index, "line break"
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            if not (multiline and char == "\r" and text[index + 1:index + 2] == "\n"):  # a Windows line end
                yield index, "control"
        elif 0xD800 <= code <= 0xDFFF:
            yield index, "surrogate"
        elif char in BIDI_CONTROLS:
            yield index, "bidi"
        elif _is_invisible(char) and not _emoji_part(text, index):
            yield index, "invisible"


def _shown_as(char: str, multiline: bool) -> str:
    code = ord(char)
    if char in _LINE_BREAKS:
        return "\n" if multiline else " "
    if char == "\t":
        return "\t" if multiline else " "
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures block: ␀ ... ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT


def safe_text(text: str, multiline: bool = True) -> str:
    """`text` as it may be shown on a terminal: nothing in it can act as a control, reorder or hide.

    `multiline` keeps line breaks (CR LF and U+2028/U+2029 become newlines) and
    tabs; otherwise each line break or tab becomes a space, for a table cell or
    a one-line message.
    """
    if is_harmless(text) or _suspect().search(text) is None:
        return text
    text = text.replace("\r\n", "\n")  # a Windows line end is one line break
    pieces: list[str] = []
    last = 0
    for index, kind in unsafe_characters(text, multiline):
        pieces.append(text[last:index])
        pieces.append(_shown_as(text[index], multiline))
        last = index + 1
    pieces.append(text[last:])
    shown = "".join(pieces)
    if multiline:
        shown = shown.replace("\u2028", "\n").replace("\u2029", "\n")
    return shown


def character_name(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`, or just `U+001B` for characters Unicode gives no name."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


_REASONS = {
    "line break": "must be on one line",
    "control": "contains a control character ({name})",
    "surrogate": "contains an unpaired surrogate ({name}), which is not text",
    "bidi": "contains a bidi control ({name}), which changes the order text is shown in",
    "invisible": "contains an invisible character ({name})",
}
"""Why a field is refused, by the kind of the first character found."""


def text_problem(text: str, multiline: bool = False) -> str | None:
    """Why `text` may not be stored as a name (one line) or a text field (`multiline`), or None.

    Line ends (LF, or CR LF as a Windows editor writes them) are the only
    controls a multi-line field takes; tabs and lone carriage returns are
    refused like every other control character.
    """
    for index, kind in unsafe_characters(text, multiline):
        return _REASONS[kind].format(name=character_name(text[index]))
    return None


@functools.cache
def _json_escaped() -> re.Pattern[str]:
    """What `json_text` writes as an escape: JSON itself already escapes C0, quotes and backslashes."""
    return re.compile("[\x7f-\x9f\ud800-\udfff\u2028\u2029"
                      + "".join(re.escape(c) for c in sorted(BIDI_CONTROLS)) + _char_class(_INVISIBLE_RANGES) + "]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # JSON escapes only 16-bit units: a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(value: Any, indent: int | None = 2) -> str:
    """`value` as JSON text that is safe to print and reads back exactly as it was.

    Letters of every script stay as they are (not `\\u` escapes); C1 controls,
    bidi controls, invisible characters, U+2028/U+2029 and unpaired surrogates
    become `\\uXXXX`, so no terminal acts on them and no JavaScript parser
    stumbles on them. They can only occur inside JSON strings, where the escape
    means the same character.
    """
    return _json_escaped().sub(_json_escape, json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False))


def cell_width(text: str) -> int:
    """How many terminal columns `text` takes (made safe first): CJK and most emoji take two, joiners
    and combining marks none. For lining up columns in plain text tables."""
    width = 0
    joined = False  # the character after a zero-width joiner is drawn into the emoji before it
    for char in text:
        if joined or 0x1F3FB <= ord(char) <= 0x1F3FF:  # (a skin tone too)
            joined = False
            continue
        if char == ZWJ:
            joined = True
            continue
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf") or char in VARIATION_SELECTORS:
            continue
        wide = unicodedata.east_asian_width(char) in ("W", "F") or 0x1F300 <= ord(char) <= 0x1FAFF
        width += 2 if wide else 1
    return width


def pad_cells(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal columns (`str.ljust` counts characters, not columns)."""
    return text + " " * max(0, width - cell_width(text))
