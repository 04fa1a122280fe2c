"""Rules the command line and the app share: one function each, so the two cannot drift."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tui.domain.logged import parse_logged_time
from tui.domain.sessions import NOTE_MAX, note_problem
from tui.storage.documents import export_format, journal_export_text


@pytest.mark.parametrize("name, expected", [
    ("sessions.csv", "csv"), ("Sessions.JSON", "json"), ("journal", None), ("notes.txt", None), ("", None),
    (None, None), ("archive.2026.csv", "csv"),
])
def test_the_export_format_comes_from_the_file_extension(name, expected):
    assert export_format(name) == expected


def test_the_export_text_is_csv_or_json_of_every_session():
    assert journal_export_text([], "json") == "[]\n"
    assert journal_export_text([], "csv").startswith("id,routine_id,")


def test_a_typed_note_is_refused_for_its_length_or_a_control_character():
    assert note_problem("x" * NOTE_MAX) is None
    assert note_problem("x" * (NOTE_MAX + 1)) == f"is {NOTE_MAX + 1} characters long; at most {NOTE_MAX}"
    assert note_problem("two\nlines") is None
    assert note_problem("a\x1b[31m") is not None


def test_a_logged_time_is_local_unless_an_offset_is_given_and_never_in_the_future():
    now = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    assert parse_logged_time("2026-02-28T08:30Z", now) == datetime(2026, 2, 28, 8, 30, tzinfo=timezone.utc)
    with pytest.raises(ValueError, match="is in the future"):
        parse_logged_time("2026-03-02 08:30+00:00", now)
    with pytest.raises(ValueError, match="is not a date and time"):
        parse_logged_time("yesterday", now)
