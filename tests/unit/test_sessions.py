"""Sessions: pain ratings, the safety advice, and what a session adds up to."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tui.domain.sessions import STATUSES, HoldRecord, Session, needs_safety_advice, parse_pain


@pytest.mark.parametrize(
    "before, after, advise",
    [
        (None, None, False),
        (7, None, False),
        (None, 7, False),
        (8, None, True),
        (None, 8, True),
        (10, 10, True),
        (9, 2, True),  # severe before, even if it eased
        (2, 9, True),
        (3, 4, True),  # rose
        (0, 1, True),
        (4, 4, False),
        (5, 3, False),
        (7, 7, False),
        (0, 0, False),
    ],
)
def test_needs_safety_advice(before, after, advise):
    assert needs_safety_advice(before, after) is advise


@pytest.mark.parametrize("text, value", [("", None), ("   ", None), ("0", 0), ("10", 10), (" 7 ", 7), ("05", 5)])
def test_parse_pain_accepts(text, value):
    assert parse_pain(text) == value


@pytest.mark.parametrize("text", ["11", "-1", "100", "x", "5.5", "seven", "1 0", "5%"])
def test_parse_pain_refuses(text):
    with pytest.raises(ValueError) as caught:
        parse_pain(text)
    assert "0" in str(caught.value) and "10" in str(caught.value)


def test_parse_pain_message_shows_what_was_typed():
    with pytest.raises(ValueError, match="'x'"):
        parse_pain("x")
    with pytest.raises(ValueError, match="not 11"):
        parse_pain("11")


def test_session_totals_and_pain_change():
    holds = (
        HoldRecord("pelvic-tilt", None, 1, 10, 10.0, True),
        HoldRecord("pelvic-tilt", None, 2, 10, 4.26, False),
        HoldRecord("hamstring-stretch", "left", 1, 20, 25.0, True),
    )
    at = datetime(2026, 1, 5, 8, tzinfo=timezone.utc)
    session = Session("s1", "back-spasm-relief", "Back spasm relief", at, None, "stopped", 25, holds, 6, 4)
    assert session.holds_done == 2
    assert session.seconds_held == 39.3
    assert session.pain_change == 2
    assert session.with_changes(pain_after=None).pain_change is None
    assert session.with_changes(note="ok").note == "ok" and session.note == ""
    assert STATUSES == ("completed", "stopped", "interrupted", "logged")
