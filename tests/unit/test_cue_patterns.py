"""Bell patterns: their defaults told apart by ear, typing one, storing one, and where the in-hold cues fall."""

from __future__ import annotations

import pytest

from tui.domain.cues import (
    DEFAULT_PATTERNS,
    LAST_SECONDS_MIN_HOLD,
    LONG_HOLD_SECONDS,
    BellPattern,
    Moment,
    in_hold_moments,
    parse_pattern,
)
from tui.domain.problems import ValidationError
from tui.domain.settings import PATTERN_FIELDS, Settings, pattern_field


def test_every_moment_has_a_default_pattern_of_its_own():
    patterns = [DEFAULT_PATTERNS[moment] for moment in Moment]
    # Told apart by count, or by pace when the count is the same.
    assert len({(p.rings, p.spacing_ms if p.rings > 1 else None) for p in patterns}) == len(Moment)
    for pattern in patterns:
        assert pattern.problems("x") == []
        assert pattern.rings == 1 or pattern.spacing_ms >= 200  # wide enough for every terminal to ring each


def test_a_pattern_says_when_each_ring_sounds_and_how_it_reads():
    assert BellPattern(3, 250).offsets() == [0.0, 0.25, 0.5]
    assert BellPattern(1, 700).offsets() == [0.0]
    assert BellPattern(3, 1000).describe() == "3 rings, 1000 ms apart"
    assert BellPattern(1, 250).describe() == "1 ring"
    assert BellPattern(2, 700).text() == "2 x 700"
    assert BellPattern(1, 700).text() == "1"


@pytest.mark.parametrize(("typed", "pattern"), [
    ("3 x 250", BellPattern(3, 250)),
    ("3x250", BellPattern(3, 250)),
    (" 2 X 700 ms ", BellPattern(2, 700)),
    ("4×300ms", BellPattern(4, 300)),
    ("1", BellPattern(1, 400)),  # one ring keeps the spacing it had, for a later change to more rings
    ("1 x 900", BellPattern(1, 900)),
])
def test_typed_patterns_are_read(typed, pattern):
    assert parse_pattern(typed, keep_spacing=400) == pattern


@pytest.mark.parametrize(("typed", "says"), [
    ("", "Type rings x milliseconds"),
    ("three", "Type rings x milliseconds"),
    ("3 x", "Type rings x milliseconds"),
    ("3", "Say how far apart the 3 rings are"),
    ("0", "Use 1-5 rings, 200-2000 ms apart, not 0"),
    ("6 x 250", "Use 1-5 rings, 200-2000 ms apart, not 6 x 250"),
    ("3 x 100", "Use 1-5 rings, 200-2000 ms apart, not 3 x 100"),  # some terminals would ring once
    ("2 x 2500", "not 2 x 2500"),
])
def test_bad_patterns_are_refused_saying_why(typed, says):
    with pytest.raises(ValueError) as error:
        parse_pattern(typed)
    assert says in str(error.value)


def test_settings_hold_a_pattern_per_moment_and_store_them_as_plain_numbers():
    settings = Settings()
    assert {PATTERN_FIELDS[name] for name in PATTERN_FIELDS} == set(Moment)
    assert pattern_field(Moment.LAST_SECONDS) == "bell_last_seconds"
    assert settings.pattern(Moment.SWITCH) == DEFAULT_PATTERNS[Moment.SWITCH]
    stored = Settings(bell_rest=BellPattern(4, 500)).to_dict()
    assert stored["bell_rest"] == {"rings": 4, "spacing_ms": 500}
    assert Settings.from_dict(stored).bell_rest == BellPattern(4, 500)
    # Older settings files have no patterns: the defaults are used.
    assert Settings.from_dict({"bell": False}).bell_done == DEFAULT_PATTERNS[Moment.DONE]


@pytest.mark.parametrize("stored", [
    {"rings": 9, "spacing_ms": 250},
    {"rings": 2, "spacing_ms": 50},
    {"rings": "2", "spacing_ms": 250},
    {"rings": True, "spacing_ms": 250},
    {"rings": 2},
    "2 x 250",
    None,
])
def test_stored_patterns_that_cannot_be_used_are_named(stored):
    with pytest.raises(ValidationError) as error:
        Settings.from_dict({"bell_hold": stored})
    assert error.value.problems[0].field == "bell_hold"


def test_the_optional_moments_are_off_until_turned_on():
    assert Settings().optional_moments() == frozenset()
    assert Settings(last_seconds_cue=True).optional_moments() == {Moment.LAST_SECONDS}
    assert Settings(halfway_cue=True, last_seconds_cue=True).optional_moments() == {Moment.LAST_SECONDS, Moment.HALFWAY}
    with pytest.raises(ValidationError):
        Settings(halfway_cue="yes").check()  # type: ignore[arg-type]


def test_in_hold_moments_fall_at_three_seconds_left_and_halfway_of_a_long_hold():
    assert in_hold_moments(30, last_seconds=True, halfway=True) == [(15.0, Moment.HALFWAY), (3.0, Moment.LAST_SECONDS)]
    assert in_hold_moments(25, last_seconds=False, halfway=True) == [(12.5, Moment.HALFWAY)]  # not on a whole second
    assert in_hold_moments(30, last_seconds=False, halfway=False) == []
    # A long hold is 20 s or more; the count needs a hold of 6 s, so it never comes before halfway.
    assert LONG_HOLD_SECONDS == 20 and LAST_SECONDS_MIN_HOLD == 6
    assert in_hold_moments(19, last_seconds=True, halfway=True) == [(3.0, Moment.LAST_SECONDS)]
    assert in_hold_moments(20, last_seconds=False, halfway=True) == [(10.0, Moment.HALFWAY)]
    assert in_hold_moments(6, last_seconds=True, halfway=True) == [(3.0, Moment.LAST_SECONDS)]
    assert in_hold_moments(5, last_seconds=True, halfway=True) == []
