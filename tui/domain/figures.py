"""Figures: small drawings of a pose, and how they are checked and mirrored.

A figure is a list of lines of plain characters (box drawing, blocks, braille,
letters). It is drawn for the left side, or for a stretch without sides; the
right side is the same drawing mirrored: each line reversed, and every
character that has a mirror image (`╱` and `╲`, `▌` and `▐`, `(` and `)`, the
dots of a braille cell) swapped for it.

A figure may come from a routine file, so it is untrusted: `check_figure`
refuses control characters, bidi controls and zero-width characters (which
would move the cursor, reorder the line or hide text), and anything beyond
PRODUCT.md's size (12 lines of 40 characters).
"""

from __future__ import annotations

import unicodedata
from typing import Any, Iterable

from tui.domain.problems import Problem

FIGURE_MAX_LINES = 12
"""Most lines a figure may have."""
FIGURE_MAX_WIDTH = 40
"""Most characters a line of a figure may have."""

_PAIRS = (
    "╱╲", "╭╮", "╰╯", "◜◝", "◟◞", "▌▐", "▖▗", "▘▝", "▛▜", "▙▟", "▚▞", "▏▕",
    "()", "<>", "/\\", "{}", "[]", "«»", "‹›", "⟨⟩", "⌐¬", "⌊⌋", "⌈⌉", "⌜⌝", "⌞⌟",
    "┌┐", "└┘", "├┤", "┍┑", "┎┒", "┏┓", "┕┙", "┖┚", "┗┛", "┝┥", "┞┦", "┟┧", "┠┨", "┡┩", "┢┪", "┣┫",
    "╒╕", "╓╖", "╔╗", "╘╛", "╙╜", "╚╝", "╞╡", "╟╢", "╠╣", "╴╶", "╸╺", "╼╾", "┭┮", "┱┲", "┵┶", "┹┺", "┽┾", "╃╄", "╅╆",
    "◀▶", "◁▷", "◄►", "◂▸", "◃▹", "←→", "↖↗", "↙↘", "⇐⇒", "↰↱", "↲↳", "↶↷", "↺↻", "⟵⟶", "⬅➡",
    "◢◣", "◤◥", "◸◹", "◺◿", "◖◗", "◐◑", "◧◨", "⎛⎞", "⎝⎠", "⎜⎟", "⎡⎤", "⎣⎦", "⎢⎥", "⎧⎫", "⎩⎭", "⎨⎬",
)
"""Characters that are each other's mirror image, left to right."""
MIRRORED = {pair[0]: pair[1] for pair in _PAIRS} | {pair[1]: pair[0] for pair in _PAIRS}
"""Each character with a mirror image, and that image."""

_BRAILLE = 0x2800
_BRAILLE_SWAPS = ((0, 3), (1, 4), (2, 5), (6, 7))
"""Dot bits of a braille cell that trade places in a mirror: 1-4, 2-5, 3-6, 7-8."""


def mirror_char(char: str) -> str:
    """The mirror image of one character (itself when it has none)."""
    code = ord(char)
    if _BRAILLE <= code <= _BRAILLE + 0xFF:
        dots = code - _BRAILLE
        mirrored = 0
        for a, b in _BRAILLE_SWAPS:
            mirrored |= ((dots >> a) & 1) << b | ((dots >> b) & 1) << a
        return chr(_BRAILLE + mirrored)
    return MIRRORED.get(char, char)


def mirror(lines: Iterable[str]) -> list[str]:
    """A figure mirrored left to right, as one block: shorter lines are padded first, so the drawing keeps its shape."""
    lines = list(lines)
    width = max((len(line) for line in lines), default=0)
    return ["".join(mirror_char(char) for char in reversed(line.ljust(width))).rstrip() for line in lines]


QUADRANTS = " ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█"
"""The quadrant blocks, each at the index of its four quarters as bits: 1 top left, 2 top right, 4 bottom left, 8 bottom right."""


def doubled(lines: Iterable[str]) -> list[str] | None:
    """A drawing made only of quadrant blocks at twice the size, each quarter of a cell a whole cell; None for any other drawing.

    A picture of a pose is read from the floor: where the window has room, twice as large helps.
    """
    lines = list(lines)
    if any(char not in QUADRANTS for line in lines for char in line):
        return None
    out: list[str] = []
    for line in lines:
        bits = [QUADRANTS.index(char) for char in line]
        out.append("".join(("█" if b & 1 else " ") + ("█" if b & 2 else " ") for b in bits).rstrip())
        out.append("".join(("█" if b & 4 else " ") + ("█" if b & 8 else " ") for b in bits).rstrip())
    return without_blank_ends(out)


def without_blank_ends(lines: list[str]) -> list[str]:
    """`lines` without the blank lines above the first line with something on it and below the last."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    return lines[filled[0]:filled[-1] + 1] if filled else []


def figure_for_side(lines: Iterable[str], side: str | None) -> list[str]:
    """The figure as the user should see it: drawn for the left (or no side); mirrored for the right."""
    return mirror(lines) if side == "right" else list(lines)


def character_problem(char: str) -> str | None:
    """Why a character may not be in a figure, or None when it may."""
    category = unicodedata.category(char)
    if category == "Cc":
        return f"contains a control character (U+{ord(char):04X})"
    if category == "Cf":
        # Bidi overrides and isolates, zero-width spaces and joiners are all format characters.
        return f"contains an invisible formatting character (U+{ord(char):04X}), such as a bidi control or a zero-width character"
    if category in ("Mn", "Me"):
        return f"contains a combining character (U+{ord(char):04X}), which has no width of its own"
    if category in ("Cs", "Co", "Zl", "Zp") or 0xFDD0 <= ord(char) <= 0xFDEF or (ord(char) & 0xFFFE) == 0xFFFE:
        return f"contains an unprintable character (U+{ord(char):04X})"
    return None


def check_figure(value: Any, where: str = "figure") -> tuple[tuple[str, ...], list[Problem]]:
    """A figure in its file form (a list of lines), tidied, and its problems.

    Trailing spaces and blank lines at the top and bottom are dropped; an empty
    list (or only blank lines) means no figure. Each problem names the line.
    """
    if not isinstance(value, list):
        kind = "text" if isinstance(value, str) else type(value).__name__ if value is not None else "null"
        return (), [Problem(where, f"must be a list of lines of text, not {kind}")]
    problems: list[Problem] = []
    lines: list[str] = []
    for number, line in enumerate(value):
        field = f"{where}[{number}]"
        if not isinstance(line, str):
            problems.append(Problem(field, "must be a line of text"))
            continue
        reason = next((found for found in map(character_problem, line) if found), None)
        if reason:
            problems.append(Problem(field, reason))
            continue
        line = line.rstrip(" ")
        if len(line) > FIGURE_MAX_WIDTH:
            problems.append(Problem(field, f"is {len(line)} characters long; a line of a figure may have at most {FIGURE_MAX_WIDTH}"))
        lines.append(line)
    lines = without_blank_ends(lines)
    if len(lines) > FIGURE_MAX_LINES:
        problems.append(Problem(where, f"has {len(lines)} lines; a figure may have at most {FIGURE_MAX_LINES}"))
    return (tuple(lines) if not problems else ()), problems


def figure_from_text(text: str) -> list[str]:
    """The lines of a figure typed or pasted as one text (as in the builder)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
