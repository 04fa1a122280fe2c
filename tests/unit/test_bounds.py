"""Numbers and dates on the way in: every bound at, just inside and just outside its limit.

The limits are PRODUCT.md's: a journal session's seconds run 0-86,400 per hold,
its counts 0-10,000, its dates from 1970 to 100 years ahead; every number is
finite. Each is checked where a file or the command line hands it over, with a
message naming the field; nothing past them is stored.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from tui.domain.bounds import (
    COUNT_LIMITS,
    EARLIEST,
    HOLD_SECONDS_LIMITS,
    check_count,
    check_day,
    check_moment,
    check_seconds,
    latest,
    local_moment,
)
from tui.domain.engine import SessionEngine
from tui.domain.exercises import REPS_LIMITS, describe
from tui.domain.logged import parse_logged_time
from tui.domain.plan import Timings, expand
from tui.domain.problems import UnusableNumber, ValidationError, load_json_file, parse_json
from tui.domain.routines import Routine, Step, parse_routine_file
from tui.domain.sessions import parse_pain
from tui.storage.documents import sessions_from_json
from tui.storage.files import CorruptDataFile, DataFileError, read_all, transaction
from tui.storage.library import load_library

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
"""A fixed now for the bounds that move with it."""
HUGE = "1" * 5001
"""A whole number Python's parser will not read (past 4,300 digits)."""
LONG = "1" * 4000
"""A whole number Python reads, and no field can take."""


def refused(call, field: str, *words: str) -> ValidationError:
    """`call()` raises a ValidationError whose first problem names `field` and says `words`."""
    with pytest.raises(ValidationError) as caught:
        call()
    problem = caught.value.problems[0]
    assert problem.field == field, problem
    for word in words:
        assert word in problem.reason, problem
    assert "\n" not in str(caught.value)
    return caught.value


# -- counts and seconds ------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 1, 9_999, 10_000])
def test_a_count_at_and_inside_its_limits(value):
    assert check_count(value, "holds_planned") == value


@pytest.mark.parametrize("value, shown", [(-1, "-1"), (10_001, "10001"), (10**4000, "a 4,001-digit number"),
                                          (-(10**30), "a negative 31-digit number")], ids=["-1", "10001", "huge", "-huge"])
def test_a_count_outside_its_limits(value, shown):
    refused(lambda: check_count(value, "holds_planned"), "holds_planned", "from 0 to 10000", f"not {shown}")


@pytest.mark.parametrize("value, shown", [(1.0, "1.0"), (float("nan"), "NaN"), (float("inf"), "Infinity"),
                                          (True, "true/false"), ("3", "'3'"), (None, "null")])
def test_a_count_that_is_not_a_whole_number(value, shown):
    refused(lambda: check_count(value, "rep"), "rep", "whole number", f"not {shown}")


def test_a_count_with_its_own_low_limit():
    assert check_count(1, "rep", low=1) == 1
    refused(lambda: check_count(0, "rep", low=1), "rep", "from 1 to 10000")


@pytest.mark.parametrize("value", [0, 0.0, 0.1, 86_399.9, 86_400, 86_400.0])
def test_seconds_at_and_inside_their_limits(value):
    assert check_seconds(value, "held_seconds") == value


@pytest.mark.parametrize("value, shown", [
    (-1, "-1"), (-0.001, "-0.001"), (86_400.001, "86400.001"), (86_401, "86401"), (1e308, "1e+308"),
    (float("nan"), "NaN"), (float("inf"), "Infinity"), (float("-inf"), "-Infinity"), (10**5000, "a 5,001-digit number"),
], ids=["-1", "-0.001", "86400.001", "86401", "1e308", "nan", "inf", "-inf", "huge"])
def test_seconds_outside_their_limits_or_not_finite(value, shown):
    refused(lambda: check_seconds(value, "held_seconds"), "held_seconds", "from 0 to 86400", f"not {shown}")


def test_whole_seconds_with_a_low_limit():
    assert check_seconds(1, "planned_seconds", low=1, whole=True) == 1
    assert check_seconds(86_400, "planned_seconds", low=1, whole=True) == 86_400
    refused(lambda: check_seconds(0, "planned_seconds", low=1, whole=True), "planned_seconds", "from 1 to 86400")
    refused(lambda: check_seconds(10.5, "planned_seconds", low=1, whole=True), "planned_seconds", "whole number")


def test_the_limits_are_the_contracts():
    assert HOLD_SECONDS_LIMITS == (0, 86_400) and COUNT_LIMITS == (0, 10_000)


# -- dates ------------------------------------------------------------------------------------


def test_the_earliest_moment_is_the_start_of_1970_in_utc():
    assert check_moment(EARLIEST, "started_at", NOW) == EARLIEST
    refused(lambda: check_moment(EARLIEST - timedelta(seconds=1), "started_at", NOW), "started_at",
            "from 1970 to 2126", "1969-12-31T23:59:59+00:00")


def test_offsets_count_at_the_earliest_moment():
    # Midnight at +14:00 is still 1969 in UTC; late 1969 at -12:00 is already 1970.
    refused(lambda: check_moment(datetime.fromisoformat("1970-01-01T00:00:00+14:00"), "started_at", NOW), "started_at")
    late = datetime.fromisoformat("1969-12-31T12:00:00-12:00")
    assert check_moment(late, "started_at", NOW) == late


def test_the_latest_moment_is_a_hundred_years_from_now():
    assert latest(NOW) == NOW.replace(year=2126)
    assert check_moment(NOW.replace(year=2126), "ended_at", NOW)
    refused(lambda: check_moment(NOW.replace(year=2126) + timedelta(seconds=1), "ended_at", NOW), "ended_at",
            "from 1970 to 2126, 100 years from now")


def test_a_hundred_years_from_the_29th_of_february():
    leap = datetime(2000, 2, 29, 12, 0, tzinfo=timezone.utc)  # 2100 is not a leap year
    assert latest(leap) == datetime(2100, 2, 28, 12, 0, tzinfo=timezone.utc)
    assert latest(datetime(2096, 2, 29, tzinfo=timezone.utc)) == datetime(2196, 2, 29, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-12:00",
                                  "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59+14:00"])
def test_dates_at_the_ends_of_the_calendar_are_refused_not_crashed_on(text):
    refused(lambda: check_moment(datetime.fromisoformat(text), "started_at", NOW), "started_at", text)


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00", "1969-12-31T23:59:59", "9999-12-31T23:59:59", "2127-01-01T00:00:00"])
def test_a_local_time_is_checked_before_it_is_converted(text, local_time):
    local_time("Pacific/Kiritimati")  # +14:00: the year-1 and year-9999 conversions overflow here
    refused(lambda: local_moment(datetime.fromisoformat(text), "--at", NOW), "--at")


def test_a_local_time_inside_the_bounds_gets_the_local_offset(local_time):
    local_time("Pacific/Kiritimati")
    moment = local_moment(datetime(2025, 6, 1, 8, 0), "--at", NOW)
    assert moment.utcoffset() == timedelta(hours=14)


@pytest.mark.parametrize("day, good", [(date(1970, 1, 1), True), (date(1969, 12, 31), False), (date(1, 1, 1), False),
                                       (date(2126, 1, 5), True), (date(2126, 1, 6), False), (date(9999, 12, 31), False)])
def test_a_day_from_1970_to_a_hundred_years_ahead(day, good):
    if good:
        assert check_day(day, "--since", NOW) == day
    else:
        refused(lambda: check_day(day, "--since", NOW), "--since", "from 1970-01-01 to 2126-01-05")


@pytest.mark.parametrize("text, words", [("0001-01-01 00:00", "from 1970 on"), ("1969-12-31 23:59+00:00", "from 1970 on"),
                                         ("9999-12-31 23:59", "in the future")])
def test_a_logged_time_out_of_bounds_is_said_in_the_users_words(text, words):
    with pytest.raises(ValueError, match=words):
        parse_logged_time(text, NOW)


# -- JSON numbers ---------------------------------------------------------------------------


def test_nan_and_infinities_reach_the_field_readers_as_floats():
    assert str(parse_json('[NaN, Infinity, -Infinity, 1e400]')) == "[nan, inf, -inf, inf]"


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_read_strictly_nan_and_infinities_are_refused_naming_where(token):
    with pytest.raises(UnusableNumber) as caught:
        parse_json('{"sessions": {"1": {"holds": [{"held_seconds": %s}]}}}' % token, strict=True)
    assert caught.value.path == "sessions['1'].holds[0].held_seconds"
    assert caught.value.reason == f"{token} is not a number JSON allows"


def test_a_whole_number_too_long_to_read_is_refused_naming_where():
    with pytest.raises(UnusableNumber) as caught:
        parse_json('[{"id": "a"}, {"id": "b", "holds_planned": %s}]' % HUGE, root="sessions")
    assert caught.value.path == "sessions[1].holds_planned"
    assert caught.value.reason == "a 5,001-digit number is too long to read"
    assert HUGE not in str(caught.value)


def test_the_longest_whole_number_python_reads_is_read():
    assert parse_json(f"[{'9' * 4300}]")[0] == 10**4300 - 1


def test_a_key_that_is_not_a_name_is_quoted_in_the_path():
    with pytest.raises(UnusableNumber) as caught:
        parse_json('{"a b": [%s]}' % HUGE)
    assert caught.value.path == "['a b'][0]"


def test_a_file_that_is_one_huge_number_is_the_files_problem():
    refused(lambda: load_json_file(HUGE, "a routine file"), "file", "5,001-digit")
    refused(lambda: load_json_file(f"[{HUGE}]", "a routine file"), "file", "5,001-digit")


def test_describe_keeps_numbers_short():
    assert describe(10**19) == "10000000000000000000"
    assert describe(10**20) == "a 21-digit number"
    assert describe(float("nan")) == "NaN" and describe(2.5) == "2.5"


# -- a journal import --------------------------------------------------------------------


def session_doc(**changes) -> dict:
    doc = {"id": "s1", "routine_id": "r", "routine_name": "R", "started_at": "2025-01-05T08:00:00+00:00",
           "ended_at": "2025-01-05T08:10:00+00:00", "status": "completed", "holds_planned": 1,
           "holds": [{"exercise": "pelvic-tilt", "side": None, "rep": 1, "planned_seconds": 10, "held_seconds": 10.0,
                      "completed": True}]}
    holds = {k: changes.pop(k) for k in ("rep", "planned_seconds", "held_seconds") if k in changes}
    doc["holds"][0].update(holds)
    doc.update(changes)
    return doc


def import_text(**changes) -> str:
    return json.dumps([session_doc(**changes)])


GOOD_EDGES = [
    {"holds_planned": 0}, {"holds_planned": 10_000}, {"rep": 1}, {"rep": 10_000},
    {"planned_seconds": 1}, {"planned_seconds": 86_400}, {"held_seconds": 0}, {"held_seconds": 86_400},
    {"started_at": "1970-01-01T00:00:00+00:00", "ended_at": None},
    {"started_at": "1969-12-31T12:00:00-12:00", "ended_at": "1970-01-01T14:00:00+14:00"},  # both 1970 in UTC
]


@pytest.mark.parametrize("changes", GOOD_EDGES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_a_journal_import_at_every_limit_is_taken(changes):
    [session] = sessions_from_json(import_text(**changes))
    assert session.id == "s1"


BAD_EDGES = [
    ({"holds_planned": -1}, "sessions[0].holds_planned", "not -1"),
    ({"holds_planned": 10_001}, "sessions[0].holds_planned", "not 10001"),
    ({"rep": 0}, "sessions[0].holds[0].rep", "not 0"),
    ({"rep": 10_001}, "sessions[0].holds[0].rep", "not 10001"),
    ({"planned_seconds": 0}, "sessions[0].holds[0].planned_seconds", "not 0"),
    ({"planned_seconds": 86_401}, "sessions[0].holds[0].planned_seconds", "not 86401"),
    ({"held_seconds": -0.5}, "sessions[0].holds[0].held_seconds", "not -0.5"),
    ({"held_seconds": 86_400.5}, "sessions[0].holds[0].held_seconds", "not 86400.5"),
    ({"held_seconds": 1e308}, "sessions[0].holds[0].held_seconds", "not 1e+308"),
    ({"started_at": "1969-12-31T23:59:59+00:00", "ended_at": None}, "sessions[0].started_at", "1969-12-31T23:59:59+00:00"),
    ({"started_at": "1970-01-01T00:00:00+14:00", "ended_at": None}, "sessions[0].started_at", "from 1970"),
    ({"ended_at": "2200-01-01T00:00:00+00:00"}, "sessions[0].ended_at", "100 years from now"),
    ({"started_at": "0001-01-01T00:00:00+14:00", "ended_at": None}, "sessions[0].started_at", "from 1970"),
    ({"started_at": "9999-12-31T23:59:59-12:00", "ended_at": None}, "sessions[0].started_at", "from 1970"),
]


@pytest.mark.parametrize("changes, field, words", BAD_EDGES, ids=[f for _, f, _ in BAD_EDGES])
def test_a_journal_import_past_any_limit_is_refused_naming_the_field(changes, field, words):
    refused(lambda: sessions_from_json(import_text(**changes)), field, words)


@pytest.mark.parametrize("token, field, shown", [
    ("NaN", "sessions[0].holds[0].held_seconds", "NaN"), ("Infinity", "sessions[0].holds[0].held_seconds", "Infinity"),
    ("-Infinity", "sessions[0].holds[0].held_seconds", "-Infinity"), ("1e400", "sessions[0].holds[0].held_seconds", "Infinity"),
])
def test_a_journal_import_with_a_number_that_is_not_finite(token, field, shown):
    text = import_text(held_seconds=123456.789).replace("123456.789", token)
    refused(lambda: sessions_from_json(text), field, f"not {shown}")


@pytest.mark.parametrize("key, field", [("holds_planned", "sessions[0].holds_planned"), ("rep", "sessions[0].holds[0].rep")])
def test_a_journal_import_with_huge_whole_numbers(key, field):
    long = import_text(**{key: 123456789}).replace("123456789", LONG)
    refused(lambda: sessions_from_json(long), field, "a 4,000-digit number")
    huge = import_text(**{key: 123456789}).replace("123456789", HUGE)
    error = refused(lambda: sessions_from_json(huge), field, "5,001-digit number is too long to read")
    assert HUGE[:100] not in str(error)


def test_a_journal_import_with_more_holds_than_a_session_can_have():
    doc = session_doc()
    doc["holds"] = doc["holds"] * 10_001
    refused(lambda: sessions_from_json(json.dumps([doc])), "sessions[0].holds", "at most 10,000")


# -- routine files keep their own limits -------------------------------------------------


@pytest.mark.parametrize("number, shown", [(LONG, "a 4,000-digit number"), (HUGE, "5,001-digit number is too long"),
                                           ("1e308", "not 1e+308"), ("NaN", "not NaN")], ids=["long", "huge", "1e308", "NaN"])
def test_a_routine_file_with_a_huge_or_non_finite_number(number, shown):
    raw = json.dumps({"format": "backrelief-routine", "version": 1, "name": "Hostile",
                      "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 123456789}]}).replace("123456789", number)
    refused(lambda: parse_routine_file(raw, load_library().exercises), "steps[0].hold_seconds", shown)


# -- typed numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, words", [("11", "not 11"), ("100", "not 100"), (HUGE, "not a 5,001-digit number")],
                         ids=["11", "100", "huge"])
def test_a_pain_rating_past_ten(text, words):
    with pytest.raises(ValueError, match=words):
        parse_pain(text)


def test_a_pain_rating_with_leading_zeros_is_that_number():
    assert parse_pain("0" * 5000 + "7") == 7 and parse_pain("0" * 5000) == 0


# -- what the app makes itself stays within the bounds ---------------------------------------


def test_one_more_rep_stops_at_the_routines_limit():
    exercises = load_library().exercises
    routine = Routine("r", "R", (Step("pelvic-tilt", 5, reps=REPS_LIMITS[1] - 1),))
    engine = SessionEngine(expand(routine, exercises), Timings(0, 0))
    engine.start(0.0)
    for _ in range(3):
        engine.one_more_rep(0.0)
    assert len(engine.plan) == REPS_LIMITS[1] and engine.plan[-1].reps == REPS_LIMITS[1]


def test_added_time_stops_at_a_day():
    exercises = load_library().exercises
    engine = SessionEngine(expand(Routine("r", "R", (Step("pelvic-tilt", 600),)), exercises), Timings(0, 0))
    engine.start(0.0)
    for _ in range(9000):
        engine.add_time(0.0)
    assert engine.snapshot(0.0).phase_length <= HOLD_SECONDS_LIMITS[1]
    assert engine.snapshot(0.0).phase_length > HOLD_SECONDS_LIMITS[1] - 10


# -- data files on disk -------------------------------------------------------------------------


@pytest.mark.parametrize("content, reason", [
    (b'{"sessions": {"1": {"held": NaN}}}', "not valid JSON: sessions['1'].held: NaN is not a number JSON allows"),
    (b'{"sessions": {"1": {"held": -Infinity}}}', "-Infinity is not a number JSON allows"),
    (b'{"sessions": {"1": {"n": ' + HUGE.encode() + b'}}}', "a 5,001-digit number is too long to read"),
    (b'{"sessions": {"' + b"1" * 19 + b'": {}}}', "document id '1111111111111111111' that is not a number"),
    (b'{"sessions": {"' + HUGE.encode() + b'": {}}}', "(5,001 characters) that is not a number"),
    (b'{"_meta": {"schema": ' + LONG.encode() + b'}, "x": {}}', "no valid schema version"),
], ids=["nan", "-infinity", "huge-number", "long-id", "huge-id", "huge-schema"])
def test_a_data_file_with_unusable_numbers_is_moved_aside(tmp_path, content, reason):
    path = tmp_path / "2025-01.json"
    path.write_bytes(content)
    with pytest.raises(CorruptDataFile) as caught:
        read_all(path)
    assert reason in str(caught.value) and HUGE[:100] not in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not path.exists() and caught.value.backup.read_bytes() == content


def test_a_data_file_is_never_written_with_a_number_json_does_not_allow(tmp_path):
    path = tmp_path / "settings.json"
    with transaction(path) as db:
        db.table("settings").insert({"x": 1})
    before = path.read_bytes()
    with pytest.raises(DataFileError, match="not finite"):
        with transaction(path) as db:
            db.table("settings").insert({"x": float("inf")})
    assert path.read_bytes() == before
