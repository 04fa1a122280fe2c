"""One rule for whole numbers typed anywhere, and one way of saying what is wrong."""

from __future__ import annotations

import pytest

from tui.domain.exercises import check_whole
from tui.domain.whole_numbers import UNBOUNDED, parse_whole, whole_or_text


@pytest.mark.parametrize("text, expected", [("7", 7), (" 12 ", 12), ("007", 7), ("0", 0), ("0" * 5000 + "3", 3)])
def test_ascii_digits_with_spaces_around_and_leading_zeros_are_read(text, expected):
    assert parse_whole(text, (0, 600)) == expected


@pytest.mark.parametrize("text, shown", [
    ("x", "'x'"), ("", "''"), ("+5", "'+5'"), ("-1", "'-1'"), ("1_0", "'1_0'"), ("4.5", "'4.5'"), ("٣", "'٣'"),
    ("\u00b9", "'\u00b9'"), ("1 0", "'1 0'"), ("a" * 40, repr("a" * 17 + "...")),
])
def test_anything_but_digits_is_not_a_whole_number(text, shown):
    with pytest.raises(ValueError) as error:
        parse_whole(text, (1, 600))
    assert str(error.value) == f"must be a whole number from 1 to 600, not {shown}"


@pytest.mark.parametrize("text, shown", [("601", "601"), ("0", "0"), ("99999", "99999"), ("9" * 5001, "a 5,001-digit number")])
def test_a_whole_number_out_of_range_says_the_range_and_the_number(text, shown):
    with pytest.raises(ValueError) as error:
        parse_whole(text, (1, 600))
    assert str(error.value) == f"must be from 1 to 600, not {shown}"


def test_a_unit_and_an_open_upper_end_are_said_in_the_same_form():
    with pytest.raises(ValueError, match=r"^must be from 0 to 30 seconds, not 45$"):
        parse_whole("45", (0, 30), "seconds")
    with pytest.raises(ValueError, match=r"^must be a whole number of seconds from 0 to 30, not 'x'$"):
        parse_whole("x", (0, 30), "seconds")
    with pytest.raises(ValueError, match=r"^must be 1 or more, not 0$"):
        parse_whole("0", (1, None))
    assert parse_whole("9" * 30, (1, None)) == UNBOUNDED


def test_numbers_read_from_files_are_said_the_same_way_as_typed_ones():
    [bad] = check_whole(601, "hold", (1, 600), "seconds")
    assert bad.reason == "must be from 1 to 600 seconds, not 601"
    with pytest.raises(ValueError) as typed:
        parse_whole("601", (1, 600), "seconds")
    assert str(typed.value) == bad.reason


def test_a_draft_keeps_what_is_not_a_whole_number_as_typed():
    assert whole_or_text(" 42 ") == 42
    assert whole_or_text("4.5") == "4.5"
    assert whole_or_text("9" * 40) == "9" * 40
