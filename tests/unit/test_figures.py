"""Figures of a pose: mirroring for the right side."""

from __future__ import annotations

import pytest

from tui.domain.figures import MIRRORED, figure_for_side, mirror, mirror_char, without_blank_ends
from tui.storage.library import load_library


def test_mirror_reverses_each_line_as_one_block_and_swaps_pairs():
    drawn = ["  ╭╮", "╱ ▌(", "<]"]
    assert mirror(drawn) == [
        "╭╮",      # "  ╭╮" -> "╭╮  ", trailing spaces dropped
        ")▐ ╲",
        "  [>",    # padded to the block's width first, so it stays at the right
    ]


def test_mirroring_twice_gives_the_drawing_back():
    drawn = ["╭──╮   ◜◝", "│  ╰─╮ ▙▟▖", "╰────╯ ⣇⡸", "/\\ {} ←"]
    assert mirror(mirror(drawn)) == drawn


def test_every_pair_is_swapped_both_ways():
    for char, image in MIRRORED.items():
        assert mirror_char(image) == char and mirror_char(char) == image and char != image


@pytest.mark.parametrize(("cell", "image"), [
    ("⠁", "⠈"),  # dot 1 -> dot 4
    ("⠃", "⠘"),  # dots 1, 2 -> 4, 5
    ("⡀", "⢀"),  # dot 7 -> dot 8
    ("⣿", "⣿"),
    ("⠀", "⠀"),
    ("⡇", "⢸"),  # the left column -> the right column
])
def test_braille_cells_mirror_their_dots(cell, image):
    assert mirror_char(cell) == image and mirror_char(image) == cell


def test_symmetric_characters_stay():
    assert mirror(["─│┼█▀▄ o"]) == ["o ▄▀█┼│─"]


def test_the_right_side_is_the_mirror_and_the_left_or_none_as_drawn():
    drawn = ["╱o", "▌ "]
    assert figure_for_side(drawn, "left") == drawn
    assert figure_for_side(drawn, None) == drawn
    assert figure_for_side(drawn, "right") == ["o╲", " ▐"]


@pytest.mark.parametrize("exercise_id", ["side-knee-drop", "hamstring-stretch"])
def test_the_sided_builtin_figures_differ_between_left_and_right(exercise_id):
    figure = load_library().exercises[exercise_id].figure
    assert figure_for_side(figure, "right") != list(figure)


@pytest.mark.parametrize(("lines", "kept"), [
    (["", "  ", " x ", "", "y", " "], [" x ", "", "y"]),  # blank lines inside stay
    (["a"], ["a"]),
    (["", " "], []),
    ([], []),
])
def test_without_blank_ends_drops_blank_lines_above_and_below_only(lines, kept):
    assert without_blank_ends(lines) == kept
