"""The one rule for untrusted text: `safe_text` for showing it, `text_problem` for refusing it, `json_text` for JSON."""

from __future__ import annotations

import json
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.domain.exercises import check_name, check_text, exercise_from_dict
from tui.domain.problems import ValidationError
from tui.domain.text import (
    BIDI_CONTROLS,
    REPLACEMENT,
    is_harmless,
    json_text,
    safe_text,
    text_problem,
    unsafe_characters,
)

C0 = [chr(code) for code in range(0x20)]
C1 = [chr(code) for code in range(0x80, 0xA0)]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e", "\u3164", "\ufe0f",
              "\U000e0001", "\U000e0041", "\U000e0100", "\U0001bca0", "\U0001d173"]
"""Invisible characters, from every kind Unicode has (joiners, spaces, fillers, selectors, tags)."""
HOSTILE = {
    "window title": "\x1b]0;pwned\x07",
    "clipboard write": "\x1b]52;c;ZWNobyBwd25lZA==\x07",
    "hyperlink": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "clear screen": "\x1b[2J\x1b[H",
    "8-bit CSI": "\x9b2J",
    "8-bit OSC": "\x9d0;pwned\x9c",
}
"""Sequences a terminal acts on, as data would carry them."""

FORBIDDEN = set(C0) | {"\x7f"} | set(C1) | set(BIDI_CONTROLS) | {"\u2028", "\u2029"}
"""Characters `safe_text` never lets through (newline and tab aside, in multi-line text)."""


def acts_on_terminal(text: str) -> set[str]:
    return {char for char in text if char in FORBIDDEN or 0xD800 <= ord(char) <= 0xDFFF}


# -- showing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("char", [c for c in C0 if c not in "\n\t"])
def test_every_c0_control_shows_as_its_control_picture(char):
    shown = safe_text(f"a{char}b")
    assert shown == f"a{chr(0x2400 + ord(char))}b"
    assert safe_text(f"a{char}b", multiline=False) == shown


def test_delete_shows_as_its_picture():
    assert safe_text("a\x7fb") == "a\u2421b"


@pytest.mark.parametrize("char", C1)
def test_every_c1_control_shows_as_the_replacement_character(char):
    assert safe_text(f"a{char}b") == f"a{REPLACEMENT}b"


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_terminal_sequences_are_shown_not_obeyed(kind):
    shown = safe_text(HOSTILE[kind])
    assert not acts_on_terminal(shown)
    assert len(shown) == len(HOSTILE[kind])  # every character is still there, one for one


def test_the_window_title_sequence_reads_as_what_it_is():
    assert safe_text("Stretch\x1b]0;pwned\x07") == "Stretch␛]0;pwned␇"


@pytest.mark.parametrize("char", sorted(BIDI_CONTROLS))
def test_bidi_controls_are_made_visible(char):
    assert safe_text(f"relief{char}fake") == f"relief{REPLACEMENT}fake"


@pytest.mark.parametrize("char", ZERO_WIDTH)
def test_invisible_characters_are_made_visible(char):
    # "Back spasm relief" with a hidden character must not look like the built-in routine.
    assert safe_text(f"Back spasm{char} relief") == f"Back spasm{REPLACEMENT} relief"


@pytest.mark.parametrize("emoji", [
    "👨\u200d👩\u200d👧",  # a family: joiners between pictographs
    "🧘\u200d♀\ufe0f🙏🏽",  # joiner, emoji presentation, skin tone
    "❤\ufe0f\u200d🔥",  # a joiner after a presentation selector
    "1\ufe0f\u20e3",  # a keycap
    "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # England: tags after the black flag
])
def test_emoji_sequences_are_kept_whole(emoji):
    assert safe_text(emoji) == emoji
    assert text_problem(f"Morning {emoji}") is None


@pytest.mark.parametrize("text", ["a\u200db", "👨\u200d", "\u200d👩", "a\ufe0f", "x\U000e0041", "🏴\U000e007f\U000e0041"])
def test_emoji_parts_outside_emoji_are_made_visible(text):
    assert REPLACEMENT in safe_text(text)
    assert "invisible character" in text_problem(text)


def test_multi_line_text_keeps_its_lines_and_tabs():
    assert safe_text("one\r\ntwo\nthree\u2028four\tfive") == "one\ntwo\nthree\nfour\tfive"
    assert safe_text("carriage\rreturn") == "carriage␍return"  # alone, CR would overwrite the line


def test_one_line_text_turns_line_breaks_and_tabs_into_spaces():
    assert safe_text("one\r\ntwo\nthree\u2029four\tfive", multiline=False) == "one two three four five"


def test_unpaired_surrogates_become_replacement_characters_that_can_be_printed():
    shown = safe_text("a\ud800b\udfffc")
    assert shown == f"a{REPLACEMENT}b{REPLACEMENT}c"
    shown.encode("utf-8")


def test_ordinary_text_comes_back_as_the_same_object():
    text = "Morning [v2] · Étirement 腰痛 🧘 [link='https://x'] $name"
    assert safe_text(text) is text


@settings(max_examples=400, deadline=None)
@given(text=st.text(st.characters(codec=None), max_size=40), multiline=st.booleans())
def test_any_text_is_safe_to_print_and_keeps_its_length(text, multiline):
    shown = safe_text(text, multiline)
    allowed = {"\n", "\t"} if multiline else set()
    assert not acts_on_terminal(shown) - allowed
    assert not (set(shown) - allowed) & (set(C0))
    shown.encode("utf-8")
    assert len(shown) == len(text) - text.count("\r\n")
    assert safe_text(shown, multiline) == shown
    assert [kind for _, kind in unsafe_characters(shown, True) if kind != "control"] == []


@settings(max_examples=400, deadline=None)
@given(text=st.text(st.characters(codec=None), max_size=40))
def test_the_quick_look_never_passes_what_would_be_changed(text):
    if is_harmless(text):
        assert safe_text(text, multiline=False) == text
        assert list(unsafe_characters(text)) == []


@pytest.mark.parametrize("char", ["\u034f", "\u115f", "\u17b4", "\u180b", "\u3164", "\ufe00", "\uffa0", "\U000e0100"])
def test_the_quick_look_knows_the_invisible_characters_python_calls_printable(char):
    assert char.isprintable()
    assert not is_harmless(f"name{char}")


def test_every_format_character_is_either_shown_as_it_is_or_handled():
    # A newer Unicode may add format characters: each must be placed on purpose.
    visible_on_purpose = {0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2,
                          0x110BD, 0x110CD, *range(0x13430, 0x13440)}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) == "Cf" and code not in visible_on_purpose:
            assert safe_text(f"a{char}b") == f"a{REPLACEMENT}b", f"U+{code:04X} {unicodedata.name(char, '')}"


# -- refusing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, words", [
    ("a\x1bb", "control character (U+001B)"),
    ("a\x9bb", "control character (U+009B)"),
    ("a\tb", "control character (U+0009)"),
    ("a\nb", "must be on one line"),
    ("a\u202eb", "bidi control (U+202E RIGHT-TO-LEFT OVERRIDE)"),
    ("a\u200bb", "invisible character (U+200B ZERO WIDTH SPACE)"),
    ("a\ud800b", "unpaired surrogate (U+D800)"),
])
def test_a_one_line_text_problem_names_the_character(text, words):
    assert words in text_problem(text)


def test_multi_line_text_takes_line_ends_and_nothing_else_of_the_controls():
    assert text_problem("one\ntwo", multiline=True) is None
    assert text_problem("one\r\ntwo", multiline=True) is None  # as a Windows editor writes it
    assert "U+000D" in text_problem("one\rtwo", multiline=True)  # alone, it overwrites the line
    assert "U+0009" in text_problem("one\ttwo", multiline=True)
    assert "U+202E" in text_problem("one\u202etwo", multiline=True)


@pytest.mark.parametrize("name", ["Hip [/x]", "Quick [/] test", "Morning [v2]", "[link='https://x']x[/link]"])
def test_markup_lookalikes_are_ordinary_names(name):
    assert check_name(name) == []


@pytest.mark.parametrize("bad", ["Back\u200b spasm relief", "Back spasm relief\u202e", "title\x1b]0;x\x07"])
def test_a_name_is_refused_naming_its_field(bad):
    (problem,) = check_name(bad, "exercises[2].name")
    assert problem.field == "exercises[2].name"
    assert "character" in problem.reason or "control" in problem.reason


def test_a_text_field_is_refused_naming_its_field():
    (problem,) = check_text("Lie down.\x1b[2J", "description", 500)
    assert (problem.field, problem.reason) == ("description", "contains a control character (U+001B)")
    assert check_text("Lie down.\nBreathe.", "description", 500) == []


def test_exercise_instructions_refuse_a_control_character_naming_the_field():
    with pytest.raises(ValidationError) as caught:
        exercise_from_dict({"id": "lie-down", "name": "Lie down", "instructions": "Breathe.\x9b2J"}, "exercises[0]")
    assert str(caught.value) == "exercises[0].instructions: contains a control character (U+009B)"


def test_what_is_already_stored_is_read_by_the_rules_it_was_stored_under():
    # Stored before the rule: readable (and shown through the boundary), not a damaged file.
    stored = {"id": "lie-down", "name": "Lie\u200b down", "instructions": "Breathe.\t\x1b[2J"}
    assert exercise_from_dict(stored, stored=True).name == "Lie\u200b down"
    with pytest.raises(ValidationError):
        exercise_from_dict(stored)


# -- JSON ----------------------------------------------------------------------------------------


def test_json_escapes_what_a_terminal_would_act_on():
    value = {"note": "".join(HOSTILE.values()) + "\u202e\u200b\u2028\u2029\x7f\U000e0041"}
    text = json_text(value)
    assert not acts_on_terminal(text) - {"\n"}
    assert not {c for c in text if 0xE0000 <= ord(c) <= 0xE0FFF or c in "\u200b\x7f"}
    assert "\\u009b" in text and "\\u202e" in text and "\\u2028" in text and "\\udb40\\udc41" in text
    assert json.loads(text) == value


def test_json_keeps_letters_of_every_script_as_they_are():
    value = {"name": "Étirement 腰痛 שגרה 🧘\u200d♀\ufe0f"}
    assert "腰痛 שגרה" in json_text(value)
    assert json.loads(json_text(value)) == value


def test_json_with_an_unpaired_surrogate_is_valid_utf8_and_reads_back_the_same():
    value = ["a\ud800b"]
    text = json_text(value)
    text.encode("utf-8")
    assert json.loads(text) == value


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(st.characters(codec=None)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(st.characters(codec=None), max_size=5), inner,
                                                                   max_size=3),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None)
@given(value=json_values, indent=st.sampled_from([None, 2]))
def test_any_json_round_trips_exactly_and_is_safe_to_print(value, indent):
    text = json_text(value, indent=indent)
    assert json.loads(text) == value
    assert not acts_on_terminal(text) - {"\n"}
    text.encode("utf-8")
