"""The journal's `events` and `step_ratings`: round trip through export and import, older exports unchanged,
CSV cells, and every limit on both sides, each refused with one line naming the field."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from tui.domain.problems import ValidationError
from tui.domain.sessions import NOTE_MAX, HoldRecord, ProblemReport, Session, StepRating
from tui.domain.warning_signs import PROBLEM_KINDS
from tui.storage.documents import (
    CSV_COLUMNS,
    session_from_dict,
    session_to_dict,
    sessions_from_json,
    sessions_to_csv,
    sessions_to_json,
)

UTC = timezone.utc
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def session(**changes) -> Session:
    """A stopped session of four planned holds, two done, with a problem and two ratings."""
    fields = dict(
        id="s1", routine_id="back-spasm-relief", routine_name="Back spasm relief", started_at=START,
        ended_at=START + timedelta(minutes=3), status="stopped", holds_planned=4,
        holds=(HoldRecord("pelvic-tilt", None, 1, 10, 10.0, True), HoldRecord("hamstring-stretch", "left", 1, 20, 5.5, False)),
        pain_before=6, note="",
        events=(ProblemReport(START + timedelta(minutes=2), "leg-pain", "down the left calf"),),
        step_ratings=(StepRating(1, "pelvic-tilt", 2), StepRating(2, "hamstring-stretch", 7)),
    )
    fields.update(changes)
    return Session(**fields)


def document(**changes) -> dict:
    """The export document of `session()`, with some fields changed."""
    doc = session_to_dict(session())
    doc.update(changes)
    return doc


def refused(doc: dict, field: str, words: str) -> str:
    """Import `doc` in a file and check it is refused naming `field`, in one line."""
    with pytest.raises(ValidationError) as caught:
        sessions_from_json(json.dumps([doc]))
    message = str(caught.value)
    assert message.startswith(f"sessions[0].{field}: "), message
    assert words in message and "\n" not in message, message
    return message


# -- the round trip -----------------------------------------------------------------


def test_events_and_ratings_go_through_export_and_import_unchanged():
    original = session()
    doc = session_to_dict(original)
    assert doc["events"] == [{"at": "2026-01-05T08:02:00+00:00", "kind": "leg-pain", "note": "down the left calf"}]
    assert doc["step_ratings"] == [{"step": 1, "exercise": "pelvic-tilt", "discomfort": 2},
                                   {"step": 2, "exercise": "hamstring-stretch", "discomfort": 7}]
    assert sessions_from_json(sessions_to_json([original])) == [original]


def test_every_kind_is_taken():
    events = tuple(ProblemReport(START, kind) for kind in PROBLEM_KINDS)
    assert sessions_from_json(sessions_to_json([session(events=events)]))[0].events == events


def test_a_session_without_any_writes_no_keys_and_an_older_export_imports_unchanged():
    plain = session(events=(), step_ratings=())
    doc = session_to_dict(plain)
    assert "events" not in doc and "step_ratings" not in doc  # older sessions read and write as before
    older = json.dumps([doc])  # what an export before this change looks like
    [imported] = sessions_from_json(older)
    assert imported == plain and (imported.events, imported.step_ratings) == ((), ())
    assert sessions_to_json([imported]) == sessions_to_json(sessions_from_json(older))


@pytest.mark.parametrize("key", ["events", "step_ratings"])
def test_null_or_empty_reads_as_none(key):
    for value in (None, []):
        assert getattr(session_from_dict(document(**{key: value})), key) == ()


def test_csv_has_them_as_json_cells_through_the_formula_guard():
    note = "=HYPERLINK(\"http://example.com\")"
    text = sessions_to_csv([session(events=(ProblemReport(START, "other", note),)), session(id="s2", events=(),
                                                                                           step_ratings=())])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS and CSV_COLUMNS[-2:] == ("events", "step_ratings")
    assert json.loads(rows[0]["events"]) == [{"at": "2026-01-05T08:00:00+00:00", "kind": "other", "note": note}]
    assert json.loads(rows[0]["step_ratings"])[1] == {"step": 2, "exercise": "hamstring-stretch", "discomfort": 7}
    assert (rows[1]["events"], rows[1]["step_ratings"]) == ("[]", "[]")  # like `holds`: a list, even empty
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


# -- limits, accepted at the edge and refused past it ----------------------------------


def test_the_edges_are_accepted():
    events = [{"at": "1970-01-01T00:00:00+00:00", "kind": "other", "note": "x" * NOTE_MAX},
              {"at": "2026-01-05T09:00:00+14:00", "kind": "numbness"}]  # no note: ''
    ratings = [{"step": 1, "exercise": "a", "discomfort": 0}, {"step": 4, "exercise": "a-0-z", "discomfort": 10}]
    imported = session_from_dict(document(events=events, step_ratings=ratings))
    assert imported.events[1].note == "" and [r.discomfort for r in imported.step_ratings] == [0, 10]


@pytest.mark.parametrize(("field", "value", "words"), [
    ("events", {"at": "x"}, "must be a list, not an object"),
    ("events", [{"at": "2026-01-05T08:00:00+00:00", "kind": "other"}] * 101, "has 101 problems; at most 100"),
    ("events[0]", "leg-pain", "must be an object, not text"),
    ("events[0].kind", "cramp", "must be one of sharp-pain, numbness, leg-pain, dizziness, other, not 'cramp'"),
    ("events[0].kind", None, "not null"),
    ("events[0].at", "2026-01-05T08:00:00", "needs a UTC offset"),
    ("events[0].at", "yesterday", "is not an ISO 8601 date and time"),
    ("events[0].at", "1969-12-31T23:59:59+00:00", "must be a date from 1970"),
    ("events[0].at", "2200-01-01T00:00:00+00:00", "must be a date from 1970"),
    ("events[0].at", 1767600000, "must be an ISO 8601 date and time, not a number"),
    ("events[0].note", "x" * (NOTE_MAX + 1), f"must be text of at most {NOTE_MAX} characters"),
    ("events[0].note", 5, f"must be text of at most {NOTE_MAX} characters"),
    ("step_ratings", "7", "must be a list, not text"),
    ("step_ratings", [{"step": 1, "exercise": "a", "discomfort": 1}] * 5, "has 5 ratings; the session has at most 4"),
    ("step_ratings[0]", 7, "must be an object, not a number"),
    ("step_ratings[0].step", 0, "must be a whole number from 1 to 4, not 0"),
    ("step_ratings[0].step", 5, "must be a whole number from 1 to 4, not 5"),
    ("step_ratings[0].step", 1.0, "not 1.0"),
    ("step_ratings[0].step", True, "not true/false"),
    ("step_ratings[1].step", 1, "rates step 1 a second time"),
    ("step_ratings[0].exercise", "Pelvic Tilt", "must be an exercise id"),
    ("step_ratings[0].exercise", "", "must be an exercise id"),
    ("step_ratings[0].exercise", None, "not null"),
    ("step_ratings[0].discomfort", 11, "must be a whole number from 0 to 10, not 11"),
    ("step_ratings[0].discomfort", -1, "not -1"),
    ("step_ratings[0].discomfort", 6.5, "not 6.5"),
    ("step_ratings[0].discomfort", False, "not true/false"),
    ("step_ratings[0].discomfort", "7", "not '7'"),
])
def test_each_limit_is_refused_naming_the_field(field, value, words):
    doc = document()
    base, index, key = re.fullmatch(r"(\w+)(?:\[(\d+)\](?:\.(\w+))?)?", field).groups()
    if index is None:
        doc[base] = value
    else:
        items = [dict(item) for item in doc[base]]
        if key:
            items[int(index)][key] = value
        else:
            items[int(index)] = value
        doc[base] = items
    refused(doc, field, words)


def test_a_step_beyond_the_routine_limit_is_refused_however_many_holds_were_planned():
    ratings = [{"step": 51, "exercise": "a", "discomfort": 1}]
    refused(document(holds_planned=500, step_ratings=ratings), "step_ratings[0].step", "from 1 to 50, not 51")


def test_a_session_with_no_holds_planned_has_no_step_to_rate():
    refused(document(holds_planned=0, holds=[], step_ratings=[{"step": 1, "exercise": "a", "discomfort": 1}]),
            "step_ratings", "has 1 ratings; the session has at most 0 steps")
