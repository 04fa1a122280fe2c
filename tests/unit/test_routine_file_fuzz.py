"""Routine files fuzzed: whatever a file holds, the result is a valid routine or a ValidationError naming the field.

Never any other exception. The inputs: arbitrary JSON values; arbitrary bytes; objects
with the routine file's keys and values of any type; valid files with one field given
a wrong type, an out-of-range value, or removed (refused naming that field, unless the
field is optional); valid files, which round-trip through export; and
`backrelief routines import` of all of these, which stores a valid file exactly and
nothing at all from any other. The number of cases of each is set below
(docs/reliability.md quotes them).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import itertools
import json
import operator
import re
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.cli import main
from tui.domain.exercises import (
    HOLD_LIMITS,
    INSTRUCTIONS_MAX,
    NAME_LIMITS,
    ORDERS,
    REPS_LIMITS,
    REST_LIMITS,
    SIDES,
    check_name,
)
from tui.domain.problems import ValidationError
from tui.domain.routines import (
    DESCRIPTION_MAX,
    FILE_FORMAT,
    MAX_FILE_BYTES,
    STEP_LIMITS,
    RoutineFile,
    Routine,
    parse_routine_file,
    routine_file_dict,
    validate_routine,
)
from tui.domain.text import text_problem
from tui.storage.files import read_all
from tui.storage.library import load_library
from tui.storage.store import Store

BUILTIN = sorted(load_library().exercises)
"""Ids of the built-in exercises a step may use."""
BUILTIN_NAMES = {r.name.casefold() for r in load_library().routines}
"""Names no imported routine may take."""

FIELD_PATH = re.compile(r"(file|format|version|name|description|steps|exercises)(\[\d+\])?(\.[a-z_]+)?(\[\d+\])?")
"""What the field of a problem looks like: `name`, `steps[2].reps`, `exercises[0].hold_range[1]`, `exercises[0].figure[11]`."""

ANY_INPUT_CASES = 500
"""Examples of arbitrary JSON, and of arbitrary bytes."""
STRUCTURED_CASES = 300
"""Examples per property built from the format: shaped like a file, one field changed, round trip."""
IMPORT_CASES = 100
"""Examples of `routines import`, each with its own data dir."""
EXAMPLES = itertools.count()


def parse(raw: bytes) -> RoutineFile:
    return parse_routine_file(raw, BUILTIN)


def encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def keys_in(data: Any) -> set[str]:
    """Every key of the file and of the objects in its lists of steps and exercises."""
    if not isinstance(data, dict):
        return set()
    found = set(data)
    for key in ("steps", "exercises"):
        if isinstance(data.get(key), list):
            found |= {k for item in data[key] if isinstance(item, dict) for k in item}
    return found


def check_outcome(raw: bytes, data: Any = None) -> RoutineFile | ValidationError:
    """Parse `raw`: a routine within every limit, or a ValidationError naming a field. Anything else fails."""
    try:
        parsed = parse(raw)
    except ValidationError as error:
        assert error.problems, "a ValidationError with no problem in it"
        for problem in error.problems:
            assert problem.reason.strip()
            # A field of the format, or the unknown key the file has that the format does not.
            assert FIELD_PATH.fullmatch(problem.field) or problem.field in keys_in(data), problem
        assert str(error) == str(error.problems[0])
        return error
    known = BUILTIN + [e.id for e in parsed.exercises]
    validate_routine(Routine("", parsed.name, parsed.steps, parsed.description), known)
    return parsed


# -- arbitrary input ---------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
"""Any JSON value (NaN and infinities included: Python writes and reads them)."""


@settings(max_examples=ANY_INPUT_CASES, deadline=None)
@given(value=json_values)
def test_any_json_value(value):
    check_outcome(encode(value), value)


@settings(max_examples=ANY_INPUT_CASES, deadline=None)
@given(raw=st.binary(max_size=200) | st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes(raw):
    check_outcome(raw)


STEP_KEYS = ("exercise", "hold_seconds", "reps", "rest_seconds", "sides", "order")
EXERCISE_KEYS = ("id", "name", "instructions", "hold_range", "reps_range",
                 "default_hold", "default_reps", "default_rest", "default_sides", "figure")

# Right-looking values mixed with anything at all, so the parser gets past its first checks.
step_values = {
    "exercise": st.sampled_from(BUILTIN) | json_values,
    "hold_seconds": st.integers(-5, 700) | json_values,
    "reps": st.integers(-5, 60) | json_values,
    "rest_seconds": st.integers(-5, 700) | json_values,
    "sides": st.sampled_from(SIDES) | json_values,
    "order": st.sampled_from(ORDERS) | json_values,
}
shaped_steps = st.lists(st.fixed_dictionaries({}, optional=step_values), max_size=4) | json_values
shaped_exercises = st.lists(st.fixed_dictionaries({}, optional={key: json_values for key in EXERCISE_KEYS}), max_size=2)
shaped_files = st.fixed_dictionaries(
    {"format": st.just(FILE_FORMAT) | json_values, "version": st.just(1) | json_values},
    optional={
        "name": st.text(max_size=70) | json_values,
        "description": st.text(max_size=30) | json_values,
        "steps": shaped_steps,
        "exercises": shaped_exercises | json_values,
        "extra": json_values,
    },
)
"""Objects with the routine file's keys and values of any type."""


@settings(max_examples=STRUCTURED_CASES, deadline=None)
@given(data=shaped_files)
def test_json_shaped_like_a_routine_file(data):
    check_outcome(encode(data), data)


# -- valid files and one field changed -------------------------------------------------

names = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cf", "Zl", "Zp")), min_size=1, max_size=60).filter(
    lambda text: check_name(text) == [])
texts = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp")) | st.just("\n"), max_size=40).filter(
    lambda text: text_problem(text.strip(), multiline=True) is None)
"""Descriptions and instructions a file may hold: newlines, but no control, bidi or invisible character."""
id_tails = st.text(string.ascii_lowercase + string.digits + "-", max_size=15)
custom_ids = st.builds(operator.add, st.sampled_from(string.ascii_lowercase), id_tails).filter(lambda i: i not in BUILTIN)


figures = st.lists(st.text("╱╲╭╮╰╯▌▐▀▄█⣿⡇ o()/\\_-|" + string.ascii_letters, max_size=40), max_size=12)
"""Drawings within the limits: up to 12 lines of up to 40 printable characters."""


def at_and_around(low: int, high: int) -> list[int]:
    """Each end of a range, one below it and one above it: where an off-by-one shows."""
    return sorted({low - 1, low, low + 1, high - 1, high, high + 1})


@functools.cache  # built once: drawing from a new strategy each time costs more than the draw
def whole(limits: tuple[int, int]) -> st.SearchStrategy[int]:
    """Any whole number within `limits`, its ends and their neighbours drawn often."""
    inside = [value for value in at_and_around(*limits) if limits[0] <= value <= limits[1]]
    return st.sampled_from(inside) | st.integers(*limits)


@functools.cache
def reps_high_from(low: int) -> st.SearchStrategy[int | None]:
    """The top of a reps range starting at `low`, or none."""
    return st.none() | st.integers(low, REPS_LIMITS[1])


hold_pairs = st.lists(whole(HOLD_LIMITS), min_size=2, max_size=2)
sides = st.sampled_from(SIDES)
orders = st.sampled_from(ORDERS)
left_out_of_exercises = st.sets(st.sampled_from(EXERCISE_KEYS[2:]))
custom_id_lists = st.lists(custom_ids, max_size=3, unique=True)
step_counts = st.integers(1, 6)
coins = st.booleans()
# The strategies a composite draws from are built once, not at every draw: Hypothesis checks each new
# strategy before its first draw, which cost more than the drawing itself (the draws are the same).


@functools.cache
def usable_exercises(ids: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(BUILTIN + list(ids))


@st.composite
def custom_exercise(draw, exercise_id: str) -> dict:
    hold = sorted(draw(hold_pairs))
    reps_low = draw(whole(REPS_LIMITS))
    reps_high = draw(reps_high_from(reps_low))
    exercise = {"id": exercise_id, "name": draw(names), "instructions": draw(texts),
                "hold_range": hold, "reps_range": [reps_low, reps_high], "default_hold": draw(whole(HOLD_LIMITS)),
                "default_reps": draw(whole(REPS_LIMITS)), "default_rest": draw(whole(REST_LIMITS)),
                "default_sides": draw(sides), "figure": draw(figures)}
    optional = draw(left_out_of_exercises)
    return {k: v for k, v in exercise.items() if k not in optional}


@st.composite
def valid_files(draw) -> dict:
    """A routine file within every limit, with custom exercises and optional fields sometimes left out."""
    ids = draw(custom_id_lists)
    exercises = [draw(custom_exercise(i)) for i in ids]
    usable = usable_exercises(tuple(ids))
    steps = []
    for _ in range(draw(step_counts)):
        step = {"exercise": draw(usable), "hold_seconds": draw(whole(HOLD_LIMITS))}
        if draw(coins):
            step["reps"] = draw(whole(REPS_LIMITS))
        if draw(coins):
            step["rest_seconds"] = draw(whole(REST_LIMITS))
        if draw(coins):
            step["sides"] = draw(sides)
        if draw(coins):
            step["order"] = draw(orders)
        steps.append(step)
    data = {"format": FILE_FORMAT, "version": 1, "name": draw(names)}
    if draw(coins):
        data["description"] = draw(texts)  # the longest ones: see out_of_range
    if exercises or draw(coins):
        data["exercises"] = exercises
    data["steps"] = steps
    return data


INTEGER = "integer"
"""Field kinds: how to give each a wrong type or an out-of-range value."""
FIELDS = {
    "format": ("constant", True), "version": (INTEGER, True), "name": ("name", True),
    "description": ("description", False), "steps": ("steps", True), "exercises": ("exercises", False),
    "exercise": ("exercise", True), "hold_seconds": (INTEGER, True), "reps": (INTEGER, False),
    "rest_seconds": (INTEGER, False), "sides": ("sides", False), "order": ("order", False), "figure": ("figure", False),
    "id": ("id", True), "instructions": ("instructions", False), "hold_range": ("range", False),
    "reps_range": ("range", False), "default_hold": (INTEGER, False), "default_reps": (INTEGER, False),
    "default_rest": (INTEGER, False), "default_sides": ("sides", False),
}
"""Field name -> (kind, required)."""
LIMITS = {"version": (1, 1), "hold_seconds": HOLD_LIMITS, "reps": REPS_LIMITS, "rest_seconds": REST_LIMITS,
          "default_hold": HOLD_LIMITS, "default_reps": REPS_LIMITS, "default_rest": REST_LIMITS}

not_whole = (st.text(max_size=5) | st.booleans() | st.none() | st.lists(st.integers(), max_size=2)
             | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
             | st.floats().filter(lambda f: not f.is_integer()))
"""Values no whole-number field takes (a whole float such as 10.0 is taken as 10)."""
not_text = st.integers() | st.booleans() | st.lists(st.text(max_size=3), max_size=2) | st.floats() | st.dictionaries(
    st.text(max_size=3), st.text(max_size=3), max_size=2)


@functools.cache
def wrong_type(kind: str) -> st.SearchStrategy[Any]:
    if kind == INTEGER:
        return not_whole
    if kind in ("steps", "exercises"):
        return st.text(max_size=5) | st.integers() | st.booleans() | st.dictionaries(st.text(max_size=3), st.integers())
    if kind == "range":
        not_a_pair = st.lists(st.integers(1, 9), min_size=3, max_size=4)
        return not_text | not_a_pair | st.tuples(st.text(max_size=2), st.none())
    if kind == "constant":
        return json_values.filter(lambda v: v != FILE_FORMAT)
    if kind == "figure":  # null is no figure, as good as leaving it out
        return st.text(max_size=5) | st.integers() | st.booleans() | st.dictionaries(st.text(max_size=3), st.integers())
    return not_text if kind == "description" else not_text | st.none()  # a description may be null


UNSAFE_TEXTS = ("title \x1b]0;pwned\x07", "csi \x9b2J", "tab\there", "lone\rcr", "rtl \u202eevil", "zero\u200bwidth",
                "tag \U000e0041", "del \x7f")
"""Text no name or text field takes: controls (but newline), bidi controls, invisible characters."""


@functools.cache
def out_of_range(kind: str, name: str) -> st.SearchStrategy[Any]:
    if kind == INTEGER:
        low, high = LIMITS[name]
        return st.sampled_from([low - 1, high + 1]) | st.integers(max_value=low - 1) | st.integers(min_value=high + 1)
    return {
        "constant": st.text(max_size=20).filter(lambda t: t != FILE_FORMAT),
        "name": st.sampled_from(["", "   ", "x" * 61, "tab\there", "bell\x07", "two\nlines", *UNSAFE_TEXTS]),
        "description": st.sampled_from(["d" * (DESCRIPTION_MAX + 1), *UNSAFE_TEXTS]),
        "instructions": st.sampled_from(["i" * 2001, *UNSAFE_TEXTS]),
        "sides": st.text(max_size=8).filter(lambda t: t not in SIDES),
        "order": st.text(max_size=16).filter(lambda t: t not in ORDERS),
        "figure": st.sampled_from([["x"] * 13, ["ok", "y" * 41], ["a\x1bb"], ["\u202eab"], ["z\u200b"], ["tab\there"], [3]]),
        "exercise": st.just("no-such-exercise"),
        "id": st.sampled_from(["Upper", "has space", "-dash-first", "", "x" * 61, BUILTIN[0]]),
        "range": st.sampled_from([[0, 10], [10, 601], [30, 10]]),
        "steps": st.sampled_from([0, 51]).map(lambda n: [{"exercise": BUILTIN[0], "hold_seconds": 10}] * n),
        "exercises": st.just([{"id": f"extra-{n}", "name": f"Extra {n}"} for n in range(51)]),
    }[kind]


def paths_of(data: dict) -> list[tuple[Any, Any, str, str]]:
    """Every field of the file: (container, key, field path, field name)."""
    found = [(data, key, key, key) for key in data]
    for i, step in enumerate(data["steps"]):
        found += [(step, key, f"steps[{i}].{key}", key) for key in step]
    for j, exercise in enumerate(data.get("exercises", [])):
        found += [(exercise, key, f"exercises[{j}].{key}", key) for key in exercise]
    return found


@st.composite
def changed_files(draw) -> tuple[dict, str, str, str]:
    """A valid file with one field changed: (file, how, field path, field name)."""
    data = draw(valid_files())
    container, key, path, name = draw(st.sampled_from(paths_of(data)))
    kind, _ = FIELDS[name]
    how = draw(st.sampled_from(["wrong type", "out of range", "missing"]))
    if how == "missing":
        del container[key]
    elif how == "wrong type":
        container[key] = draw(wrong_type(kind))
    else:
        container[key] = draw(out_of_range(kind, name))
    return data, how, path, name


def check_change(data: dict, how: str, path: str, name: str) -> RoutineFile | ValidationError:
    """Refused with a problem on the changed field, except where the change leaves a valid file."""
    outcome = check_outcome(encode(data), data)
    _, required = FIELDS[name]
    if how == "missing" and not required:
        uses_custom = name == "exercises" and any(s["exercise"] not in BUILTIN for s in data["steps"])
        if not uses_custom:
            assert isinstance(outcome, RoutineFile), outcome  # an optional field: its default is taken
            return outcome
        # Without its exercises, the steps that used them are the problem.
        assert isinstance(outcome, ValidationError)
        assert all(p.field.startswith("steps[") and "unknown exercise" in p.reason for p in outcome.problems)
        return outcome
    assert isinstance(outcome, ValidationError), f"{how} {path} was accepted"
    fields = [p.field for p in outcome.problems]
    assert any(field == path or field.startswith(f"{path}[") for field in fields), (path, fields)
    return outcome


@settings(max_examples=STRUCTURED_CASES, deadline=None)
@given(change=changed_files())
def test_one_field_changed_is_refused_naming_that_field(change):
    check_change(*change)


@settings(max_examples=STRUCTURED_CASES, deadline=None)
@given(data=valid_files())
def test_a_valid_file_round_trips(data):
    parsed = check_outcome(encode(data), data)
    assert isinstance(parsed, RoutineFile)
    assert [(s.exercise, s.hold_seconds) for s in parsed.steps] == [
        (s["exercise"], s["hold_seconds"]) for s in data["steps"]]
    assert [e.id for e in parsed.exercises] == [e["id"] for e in data.get("exercises", [])]
    routine = Routine("", parsed.name, parsed.steps, parsed.description)
    exported = routine_file_dict(routine, parsed.exercises)
    again = parse(encode(exported))
    used = {s.exercise for s in parsed.steps}
    assert again == RoutineFile(parsed.name, parsed.description, parsed.steps,
                                tuple(e for e in parsed.exercises if e.id in used))


# -- every limit, at and around both of its ends -----------------------------------------

LIMIT_CASES = 10
"""Valid files per limit; each value at or next to that limit is put into every one of them."""
CHECKED_EXERCISE = "limit-check"
"""The custom exercise a limit of an exercise field is tried on (drawn ids never take it)."""


def checked_exercise(data: dict) -> dict:
    """A custom exercise put first in the file's `exercises`; its fields are the ones tried."""
    exercise = {"id": CHECKED_EXERCISE, "name": "Limit check"}
    data["exercises"] = [exercise, *data.get("exercises", [])]
    return exercise


def step_field(key: str):
    def put(data: dict, value: int) -> None:
        data["steps"][0][key] = value
    return put, lambda parsed: getattr(parsed.steps[0], key)


def exercise_field(key: str, make=lambda value: value):
    def put(data: dict, value: int) -> None:
        checked_exercise(data)[key] = make(value)
    return put


def first_exercise(parsed: RoutineFile) -> Any:
    return parsed.exercises[0]


def put_steps(data: dict, count: int) -> None:
    data["steps"] = [data["steps"][i % len(data["steps"])] for i in range(count)]


def put_exercises(data: dict, count: int) -> None:
    """`count` custom exercises and no others, so every step uses a built-in one."""
    data["exercises"] = [{"id": f"extra-{n}", "name": f"Extra {n}"} for n in range(count)]
    for step in data["steps"]:
        if step["exercise"] not in BUILTIN:
            step["exercise"] = BUILTIN[0]


def put_name(data: dict, length: int) -> None:
    data["name"] = "n" * length


def put_description(data: dict, length: int) -> None:
    data["description"] = "d" * length


def put_version(data: dict, version: int) -> None:
    data["version"] = version


def padded_to(size: int):
    """The file padded with trailing spaces (valid JSON) to exactly `size` bytes."""
    return lambda raw: raw + b" " * (size - len(raw))


LIMIT_FIELDS = [
    # (field path the problem names, (low, high), put(file, value), read(parsed) the value, or None)
    ("steps[0].hold_seconds", HOLD_LIMITS, *step_field("hold_seconds")),
    ("steps[0].reps", REPS_LIMITS, *step_field("reps")),
    ("steps[0].rest_seconds", REST_LIMITS, *step_field("rest_seconds")),
    ("exercises[0].default_hold", HOLD_LIMITS, exercise_field("default_hold"), lambda p: first_exercise(p).default_hold),
    ("exercises[0].default_reps", REPS_LIMITS, exercise_field("default_reps"), lambda p: first_exercise(p).default_reps),
    ("exercises[0].default_rest", REST_LIMITS, exercise_field("default_rest"), lambda p: first_exercise(p).default_rest),
    ("exercises[0].hold_range[0]", HOLD_LIMITS, exercise_field("hold_range", lambda v: [v, HOLD_LIMITS[1]]),
     lambda p: first_exercise(p).hold_range[0]),
    ("exercises[0].hold_range[1]", HOLD_LIMITS, exercise_field("hold_range", lambda v: [HOLD_LIMITS[0], v]),
     lambda p: first_exercise(p).hold_range[1]),
    ("exercises[0].reps_range[0]", REPS_LIMITS, exercise_field("reps_range", lambda v: [v, None]),
     lambda p: first_exercise(p).reps_range[0]),
    ("exercises[0].reps_range[1]", REPS_LIMITS, exercise_field("reps_range", lambda v: [REPS_LIMITS[0], v]),
     lambda p: first_exercise(p).reps_range[1]),
    ("name", NAME_LIMITS, put_name, lambda p: len(p.name)),
    ("exercises[0].name", NAME_LIMITS, exercise_field("name", lambda n: "e" * n), lambda p: len(first_exercise(p).name)),
    # Ids are 1-60 characters; a leading digit keeps the tried id apart from every drawn one.
    ("exercises[0].id", (1, 60), exercise_field("id", lambda n: "7" * n), lambda p: len(first_exercise(p).id)),
    ("description", (0, DESCRIPTION_MAX), put_description, lambda p: len(p.description)),
    ("exercises[0].instructions", (0, INSTRUCTIONS_MAX), exercise_field("instructions", lambda n: "i" * n),
     lambda p: len(first_exercise(p).instructions)),
    ("steps", STEP_LIMITS, put_steps, lambda p: len(p.steps)),
    ("exercises", (0, STEP_LIMITS[1]), put_exercises, lambda p: len(p.exercises)),
    ("version", (1, 1), put_version, None),
    ("file", (0, MAX_FILE_BYTES), None, None),
]
"""Every limit of a routine file: the field it is on, its range, how to set it, how to read it back."""

SIZES = {"name", "exercises[0].name", "exercises[0].id", "description", "exercises[0].instructions", "steps",
         "exercises", "file"}
"""The limits on a length or a count."""


def tried_values(field: str, limits: tuple[int, int]) -> list[int]:
    """Each end of the limit, one below it and one above it (a length is never below 0; the
    smallest files are tried everywhere else, so `file` is tried at its upper end only)."""
    values = at_and_around(*limits)
    if field in SIZES:
        values = [value for value in values if value >= 0]
    if field == "file":
        values = [value for value in values if value > MAX_FILE_BYTES - 2]
    return values


def test_every_limit_is_tried_at_and_around_both_ends():
    tried = {(field, value) for field, limits, _, _ in LIMIT_FIELDS for value in tried_values(field, limits)}
    assert {("steps[0].hold_seconds", 599), ("steps[0].hold_seconds", 600), ("steps[0].hold_seconds", 601)} <= tried
    assert {("steps[0].rest_seconds", -1), ("steps[0].rest_seconds", 0), ("steps[0].rest_seconds", 1)} <= tried
    assert {("name", 0), ("name", 1), ("name", 2), ("name", 59), ("name", 60), ("name", 61)} <= tried
    assert {("file", MAX_FILE_BYTES - 1), ("file", MAX_FILE_BYTES), ("file", MAX_FILE_BYTES + 1)} <= tried
    for field, (low, high), _, _ in LIMIT_FIELDS:  # every limit, above its top, at it and below it
        assert {(field, high - 1), (field, high), (field, high + 1)} <= tried, field
        if field != "file":
            assert (field, low) in tried and (field, low + 1) in tried and ((field, low - 1) in tried or low == 0)


@settings(max_examples=LIMIT_CASES, deadline=None)
@given(data=valid_files())
@pytest.mark.parametrize(("field", "limits", "put", "read"), LIMIT_FIELDS, ids=[case[0] for case in LIMIT_FIELDS])
def test_a_value_at_or_next_to_a_limit_is_taken_exactly_when_within_it(data, field, limits, put, read):
    low, high = limits
    for value in tried_values(field, limits):
        trial = copy.deepcopy(data)
        if put is not None:
            put(trial, value)
        raw = encode(trial)
        if field == "file":
            raw = padded_to(value)(raw)
            assert len(raw) == value
        outcome = check_outcome(raw, trial)
        if low <= value <= high:
            assert isinstance(outcome, RoutineFile), f"{field} = {value} is within {low}-{high} but was refused: {outcome}"
            if read is not None:
                assert read(outcome) == value
        else:
            assert isinstance(outcome, ValidationError), f"{field} = {value} is outside {low}-{high} but was taken"
            assert field in [problem.field for problem in outcome.problems], (value, outcome.problems)


# -- through the command line ------------------------------------------------------------

any_file = (
    valid_files().map(lambda data: ("valid", encode(data)))
    | changed_files().map(lambda change: ("changed", encode(change[0])))
    | shaped_files.map(lambda data: ("shaped", encode(data)))
    | st.binary(max_size=100).map(lambda raw: ("bytes", raw))
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("import-fuzz")


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


@settings(max_examples=IMPORT_CASES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=any_file)
def test_routines_import_stores_a_valid_file_exactly_and_nothing_else(folder, case):
    _, raw = case
    number = next(EXAMPLES)  # a fresh data dir for every example, shrinking included
    data_dir, file = folder / f"data-{number}", folder / f"routine-{number}.json"
    file.write_bytes(raw)
    status, out, err = run("routines", "import", str(file), "--data-dir", str(data_dir))
    outcome = check_outcome(raw, _loads(raw))
    if isinstance(outcome, RoutineFile) and outcome.name.casefold() in BUILTIN_NAMES:
        assert status == 1 and "already exists" in err
        outcome = None
    if isinstance(outcome, RoutineFile):
        assert (status, err) == (0, ""), err
        stored = Store.open(data_dir).routines.get(out.strip())
        assert (stored.name, stored.description, stored.steps) == (outcome.name, outcome.description, outcome.steps)
    else:
        assert status == 1 and out == ""
        assert err.count("\n") == 1 and "Traceback" not in err
        assert err.startswith(f"backrelief: error: {file}: ")
        assert read_all(data_dir / "routines.json") == {}  # nothing stored, not even its exercises


def _loads(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None
