"""The routine file (version 1): every limit of PRODUCT.md on both sides, and malformed files."""

from __future__ import annotations

import json

import pytest

from tui.domain.exercises import Exercise
from tui.domain.problems import Problem, ValidationError
from tui.domain.routines import (
    MAX_FILE_BYTES,
    Routine,
    Step,
    check_routine,
    parse_routine_file,
    routine_file_dict,
    validate_routine,
)
from tui.storage.library import load_library

LIBRARY = load_library()
BUILTIN = list(LIBRARY.exercises)
MISSING = object()


def step(**changes):
    """A valid step in file form, with some fields changed (MISSING removes one)."""
    data = {"exercise": "pelvic-tilt", "hold_seconds": 10, "reps": 10, "rest_seconds": 5, "sides": "none"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not MISSING}


def routine_file(**changes):
    """A valid routine file as a dict, with some fields changed (MISSING removes one)."""
    data = {
        "format": "backrelief-routine",
        "version": 1,
        "name": "Morning reset",
        "description": "optional",
        "steps": [step()],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not MISSING}


def parse(data, custom=()):
    raw = data if isinstance(data, (bytes, str)) else json.dumps(data, ensure_ascii=False).encode("utf-8")
    return parse_routine_file(raw, BUILTIN, custom)


def refused(data, field, *words, custom=()):
    """Assert the file is refused with a problem on `field` whose reason has every word."""
    with pytest.raises(ValidationError) as caught:
        parse(data, custom)
    problems = caught.value.problems
    matching = [p for p in problems if p.field == field]
    assert matching, f"no problem on {field!r}: {problems}"
    for word in words:
        assert any(word in p.reason for p in matching), f"{word!r} not in {matching}"
    assert isinstance(caught.value, ValueError)
    return caught.value


def test_the_example_of_the_spec_is_accepted():
    data = {
        "format": "backrelief-routine",
        "version": 1,
        "name": "Morning reset",
        "description": "optional",
        "exercises": [{"id": "cat-cow", "name": "Cat-Cow", "instructions": "..."}],
        "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 10, "reps": 10, "rest_seconds": 5, "sides": "none"}],
    }
    parsed = parse(data)
    assert parsed.name == "Morning reset" and parsed.description == "optional"
    assert parsed.steps == (Step("pelvic-tilt", 10, 10, 5, "none"),)
    assert [e.id for e in parsed.exercises] == ["cat-cow"]


def test_the_message_names_the_field_and_the_reason():
    error = refused(routine_file(steps=[step(), step(hold_seconds=0)]), "steps[1].hold_seconds", "1 to 600", "not 0")
    assert str(error).startswith("steps[1].hold_seconds: ")
    assert str(Problem("steps[1].hold_seconds", "x")) == "steps[1].hold_seconds: x"


def test_every_problem_is_reported():
    error = refused(routine_file(name="", steps=[step(reps=0), step(sides="up")]), "name", "empty")
    fields = [p.field for p in error.problems]
    assert fields == ["name", "steps[0].reps", "steps[1].sides"]


# -- name ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "a" * 60, "  padded  ", "x" * 58 + "  "])
def test_name_within_limits(name):
    assert parse(routine_file(name=name)).name == name.strip()


@pytest.mark.parametrize("name, words", [("", ["empty"]), ("   ", ["empty"]), ("a" * 61, ["61", "60"]), ("é" * 61, ["61"])])
def test_name_out_of_limits(name, words):
    refused(routine_file(name=name), "name", *words)


@pytest.mark.parametrize("name, words", [
    ("bad\x00name", "control character (U+0000)"), ("line\nbreak", "one line"), ("tab\there", "control character (U+0009)"),
    ("bell\x07", "control character (U+0007)"), ("del\x7f", "control character (U+007F)"), ("sep\u2028x", "one line"),
    ("priv\ue000", "control or unprintable"), ("nonchar\uffff", "control or unprintable"),
    ("c1\x85x", "control character (U+0085)"),
])
def test_name_with_unprintable_characters(name, words):
    refused(routine_file(name=name), "name", words)


@pytest.mark.parametrize("name", [5, None, True, ["a"], {"a": 1}])
def test_name_of_the_wrong_type(name):
    refused(routine_file(name=name), "name", "must be text")


def test_name_missing():
    refused(routine_file(name=MISSING), "name", "must be text", "null")


@pytest.mark.parametrize(
    "name",
    [
        "Étirements du matin",
        "Rückenübungen",
        "腰痛のストレッチ",
        "허리 스트레칭",
        "تمارين الظهر",
        "שגרת בוקר",
        "Утренняя разминка",
        "योग",
        "Morning 🧘 reset",
        "🧘‍♀️🙏🏽",  # zero-width joiner, variation selector, skin tone
        "Ω≈ç√",
    ],
)
def test_names_in_any_script_are_accepted(name):
    assert parse(routine_file(name=name)).name == name


def test_a_name_with_bidi_marks_is_refused_though_its_script_is_right_to_left():
    # Marks are invisible: "Back spasm relief" with one would look like the built-in routine.
    refused(routine_file(name="\u200fשגרה\u200f"), "name", "bidi control (U+200F RIGHT-TO-LEFT MARK)")


# -- description ---------------------------------------------------------


def test_description_is_optional_and_may_be_null():
    assert parse(routine_file(description=MISSING)).description == ""
    assert parse(routine_file(description=None)).description == ""
    assert parse(routine_file(description="d" * 500)).description == "d" * 500


def test_bad_description():
    refused(routine_file(description="d" * 501), "description", "501", "500")
    refused(routine_file(description=3), "description", "must be text")


# -- steps ----------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 50])
def test_step_count_within_limits(count):
    assert len(parse(routine_file(steps=[step()] * count)).steps) == count


@pytest.mark.parametrize("count", [0, 51, 200])
def test_step_count_out_of_limits(count):
    refused(routine_file(steps=[step()] * count), "steps", f"has {count} steps", "1 to 50")


@pytest.mark.parametrize("steps, words", [(None, ["must be a list", "null"]), ({"0": {}}, ["must be a list", "object"]), ("x", ["must be a list"])])
def test_steps_of_the_wrong_type(steps, words):
    refused(routine_file(steps=steps), "steps", *words)


def test_steps_missing():
    refused(routine_file(steps=MISSING), "steps", "must be a list")


@pytest.mark.parametrize("item, words", [(5, ["object", "number"]), ("pelvic-tilt", ["object", "text"]), (None, ["object", "null"]), ([], ["object", "list"])])
def test_a_step_of_the_wrong_type(item, words):
    refused(routine_file(steps=[step(), item]), "steps[1]", *words)


LIMITS = [
    # field, good values, bad values, words in the reason
    ("hold_seconds", [1, 2, 599, 600], [0, -1, 601, 10_000], "1 to 600"),
    ("rest_seconds", [0, 1, 600], [-1, 601], "0 to 600"),
    ("reps", [1, 50], [0, 51, -5], "1 to 50"),
]


@pytest.mark.parametrize("field, good", [(f, g) for f, goods, _, _ in LIMITS for g in goods])
def test_step_numbers_within_limits(field, good):
    parsed = parse(routine_file(steps=[step(**{field: good})]))
    assert getattr(parsed.steps[0], field) == good


@pytest.mark.parametrize("field, bad, words", [(f, b, w) for f, _, bads, w in LIMITS for b in bads])
def test_step_numbers_out_of_limits(field, bad, words):
    refused(routine_file(steps=[step(**{field: bad})]), f"steps[0].{field}", words, f"not {bad}")


@pytest.mark.parametrize("field", ["hold_seconds", "rest_seconds", "reps"])
@pytest.mark.parametrize("bad", [10.5, "10", True, False, None, [10], {"s": 10}, 0.001])
def test_step_numbers_must_be_whole_numbers(field, bad):
    refused(routine_file(steps=[step(**{field: bad})]), f"steps[0].{field}", "whole number")


@pytest.mark.parametrize("raw_number", ["1e400", "NaN", "Infinity", "-Infinity"])
def test_step_numbers_that_are_not_finite(raw_number):
    raw = json.dumps(routine_file(steps=[step(hold_seconds=123456789)])).replace("123456789", raw_number)
    refused(raw.encode(), "steps[0].hold_seconds", "whole number")


def test_a_whole_float_is_taken_as_that_number():
    parsed = parse(routine_file(steps=[step(hold_seconds=10.0, reps=3.0, rest_seconds=0.0)]))
    assert parsed.steps[0] == Step("pelvic-tilt", 10, 3, 0, "none")
    assert type(parsed.steps[0].hold_seconds) is int and type(parsed.steps[0].reps) is int


@pytest.mark.parametrize("sides", ["none", "both", "left", "right"])
def test_every_sides_value(sides):
    assert parse(routine_file(steps=[step(sides=sides)])).steps[0].sides == sides


@pytest.mark.parametrize("sides", ["Both", "LEFT", "", "up", "left,right", None, 1, True, ["left"]])
def test_bad_sides(sides):
    refused(routine_file(steps=[step(sides=sides)]), "steps[0].sides", "none, both, left, right")


def test_optional_step_fields_default():
    parsed = parse(routine_file(steps=[step(reps=MISSING, rest_seconds=MISSING, sides=MISSING)]))
    assert parsed.steps[0] == Step("pelvic-tilt", 10, reps=1, rest_seconds=0, sides="none")


def test_hold_seconds_missing():
    refused(routine_file(steps=[step(hold_seconds=MISSING)]), "steps[0].hold_seconds", "missing")


@pytest.mark.parametrize("exercise, words", [(MISSING, ["exercise id", "null"]), ("", ["exercise id"]), (3, ["exercise id"]), (None, ["exercise id"])])
def test_step_exercise_missing_or_wrong_type(exercise, words):
    refused(routine_file(steps=[step(exercise=exercise)]), "steps[0].exercise", *words)


@pytest.mark.parametrize("exercise", ["cat-cow", "Pelvic-Tilt", "pelvic tilt", "Pelvic Tilt"])
def test_unknown_exercise(exercise):
    refused(routine_file(steps=[step(exercise=exercise)]), "steps[0].exercise", "unknown exercise", repr(exercise))


def test_the_users_own_exercises_are_known():
    data = routine_file(steps=[step(exercise="my-stretch")])
    refused(data, "steps[0].exercise", "unknown exercise")
    assert parse(data, custom=["my-stretch"]).steps[0].exercise == "my-stretch"


def test_unknown_field_in_a_step():
    refused(routine_file(steps=[step(colour="red")]), "steps[0]", "unknown field", "'colour'")
    refused(routine_file(steps=[step(hold=10)]), "steps[0]", "unknown field", "'hold'")


# -- the file as a whole --------------------------------------------------------


def test_unknown_top_level_field():
    refused(routine_file(colour="red"), "colour", "not a field")
    refused(routine_file(Steps=[step()]), "Steps", "not a field")
    refused(routine_file(**{"": 1}), "file", "named ''", "not a field")  # a blank name is quoted, not lost
    refused(routine_file(**{" ": 1}), "file", "named ' '", "not a field")


def test_an_id_field_is_tolerated():
    assert parse(routine_file(id="morning-reset")).name == "Morning reset"


@pytest.mark.parametrize("value, words", [([], ["JSON object", "list"]), ("x", ["JSON object", "text"]), (5, ["JSON object"]), (None, ["JSON object", "null"])])
def test_file_that_is_not_an_object(value, words):
    refused(value if not isinstance(value, str) else json.dumps(value).encode(), "file", *words)


@pytest.mark.parametrize("fmt", [MISSING, "backrelief-library", "backrelief", "", None, 1])
def test_wrong_format(fmt):
    refused(routine_file(format=fmt), "format", "'backrelief-routine'")


@pytest.mark.parametrize("version", [MISSING, 2, 0, "1", True, None, 1.5])
def test_wrong_version(version):
    refused(routine_file(version=version), "version", "must be 1")


@pytest.mark.parametrize("raw", [b"", b"{", b"{not json}", b"name: x", b'{"format": "backrelief-routine",}', b"\x00\x00"])
def test_not_json(raw):
    refused(raw, "file", "not valid JSON")


def test_not_json_as_text():
    refused("{oops", "file", "not valid JSON", "line 1")


def test_not_utf8():
    raw = json.dumps(routine_file(name="Café"), ensure_ascii=False).encode("latin-1")
    refused(raw, "file", "not UTF-8")


def test_deeply_nested_json_is_refused_not_crashing():
    refused(b"[" * 200_000, "file")
    refused(b'{"a":' * 100_000, "file")


def _padded(size: int) -> bytes:
    raw = json.dumps(routine_file()).encode()
    return raw[:-1] + b" " * (size - len(raw)) + b"}"


def test_file_of_exactly_1_mib_is_accepted():
    raw = _padded(MAX_FILE_BYTES)
    assert len(raw) == MAX_FILE_BYTES == 1024 * 1024
    assert parse(raw).name == "Morning reset"


def test_file_over_1_mib_is_refused():
    raw = _padded(MAX_FILE_BYTES + 1)
    refused(raw, "file", "1 MiB")
    refused(raw.decode(), "file", "1 MiB")
    # size is measured in bytes, not characters
    text = json.dumps(routine_file(description="é"), ensure_ascii=False).replace("é", "é" * 600_000)
    assert len(text) < MAX_FILE_BYTES < len(text.encode())
    refused(text, "file", "1 MiB")


# -- custom exercises defined in the file ----------------------------------------------


def test_custom_exercise_defined_in_the_file():
    data = routine_file(
        exercises=[{"id": "cat-cow", "name": "Cat-Cow", "instructions": "Arch, then round.", "hold_range": [5, 10], "reps_range": [5, None]}],
        steps=[step(exercise="cat-cow", hold_seconds=5), step()],
    )
    parsed = parse(data)
    assert [s.exercise for s in parsed.steps] == ["cat-cow", "pelvic-tilt"]
    (ex,) = parsed.exercises
    assert (ex.id, ex.name, ex.instructions, ex.hold_range, ex.reps_range) == ("cat-cow", "Cat-Cow", "Arch, then round.", (5, 10), (5, None))
    assert not ex.builtin


def test_custom_exercise_reusing_a_builtin_id():
    data = routine_file(exercises=[{"id": "pelvic-tilt", "name": "My tilt"}])
    refused(data, "exercises[0].id", "'pelvic-tilt'", "built-in")


def test_custom_exercise_defined_twice():
    ex = {"id": "cat-cow", "name": "Cat-Cow"}
    refused(routine_file(exercises=[ex, ex], steps=[step(exercise="cat-cow")]), "exercises[1].id", "twice")


@pytest.mark.parametrize(
    "exercise, field",
    [
        ({"id": "Cat Cow", "name": "Cat-Cow"}, "exercises[0].id"),
        ({"name": "Cat-Cow"}, "exercises[0].id"),
        ({"id": "cat-cow"}, "exercises[0].name"),
        ({"id": "cat-cow", "name": "x" * 61}, "exercises[0].name"),
        ({"id": "cat-cow", "name": "Cat\x00Cow"}, "exercises[0].name"),
        ({"id": "cat-cow", "name": "Cat-Cow", "hold_range": [0, 10]}, "exercises[0].hold_range[0]"),
        ({"id": "cat-cow", "name": "Cat-Cow", "default_sides": "up"}, "exercises[0].default_sides"),
        ("cat-cow", "exercises[0]"),
    ],
)
def test_bad_custom_exercise(exercise, field):
    refused(routine_file(exercises=[exercise], steps=[step()]), field)


def test_unknown_field_in_a_custom_exercise():
    refused(routine_file(exercises=[{"id": "cat-cow", "name": "Cat-Cow", "colour": "red"}]), "exercises[0]", "unknown field", "'colour'")
    # a file cannot make its exercise a read-only built-in
    refused(routine_file(exercises=[{"id": "cat-cow", "name": "Cat-Cow", "builtin": True}]), "exercises[0]", "'builtin'")


def test_exercises_of_the_wrong_type_or_too_many():
    refused(routine_file(exercises={"id": "x"}), "exercises", "must be a list")
    many = [{"id": f"ex-{i}", "name": f"Ex {i}"} for i in range(51)]
    refused(routine_file(exercises=many), "exercises", "51")
    assert len(parse(routine_file(exercises=many[:50])).exercises) == 50


def test_a_step_cannot_use_an_exercise_the_file_does_not_define():
    data = routine_file(exercises=[{"id": "cat-cow", "name": "Cat-Cow"}], steps=[step(exercise="bird-dog")])
    refused(data, "steps[0].exercise", "unknown exercise")


# -- check_routine and validate_routine on Routine objects ------------------------------------------


def test_validate_routine():
    good = Routine("r", "R", (Step("pelvic-tilt", 10, 10, 5, "none"),))
    validate_routine(good, BUILTIN)
    with pytest.raises(ValidationError) as caught:
        validate_routine(good.with_steps([Step("pelvic-tilt", 601)]), BUILTIN)
    assert caught.value.problems[0].field == "steps[0].hold_seconds"
    with pytest.raises(ValidationError) as caught:
        validate_routine(good.with_steps([]), BUILTIN)
    assert caught.value.problems[0].field == "steps"
    with pytest.raises(ValidationError):
        validate_routine(good.with_steps([Step("nope", 10)]), BUILTIN)
    assert check_routine("R", "", [{"exercise": "pelvic-tilt", "hold_seconds": 10}], BUILTIN) == []


def test_builtin_routines_are_valid():
    for routine in LIBRARY.routines:
        validate_routine(routine, BUILTIN)
        assert routine.builtin


# -- round trip -------------------------------------------------------------------------------------


def _round_trip(routine, custom=()):
    file = routine_file_dict(routine, custom)
    raw = json.dumps(file, ensure_ascii=False, indent=2).encode("utf-8")
    return file, parse_routine_file(raw, BUILTIN)


def test_round_trip_of_the_builtin_routine():
    routine = LIBRARY.routines[0]
    file, parsed = _round_trip(routine)
    assert file["format"] == "backrelief-routine" and file["version"] == 1
    assert "exercises" not in file
    assert (parsed.name, parsed.description, parsed.steps) == (routine.name, routine.description, routine.steps)


def test_round_trip_with_custom_exercises_and_every_side():
    cat = Exercise("cat-cow", "Cat-Cow", "Arch, then round.", (5, 10), (5, None), 10, 8, 3, "none")
    unused = Exercise("unused", "Unused", "")
    routine = Routine(
        "r",
        "腰のストレッチ 🧘 Rückenübung",
        (
            Step("cat-cow", 5, 8, 3, "none"),
            Step("hamstring-stretch", 600, 50, 600, "both"),
            Step("side-knee-drop", 1, 1, 0, "left"),
            Step("side-knee-drop", 30, 2, 10, "right"),
        ),
        description="Pour le matin — שלום",
    )
    file, parsed = _round_trip(routine, [cat, unused])
    assert [e["id"] for e in file["exercises"]] == ["cat-cow"]  # only the exercises the routine uses
    assert (parsed.name, parsed.description, parsed.steps) == (routine.name, routine.description, routine.steps)
    assert parsed.exercises == (cat,)


def test_round_trip_without_a_description():
    routine = Routine("r", "R", (Step("prayer-pose", 30),))
    file, parsed = _round_trip(routine)
    assert "description" not in file
    assert parsed.description == "" and parsed.steps == routine.steps


# -- a step's order of sides, an exercise's figure ---------------------------------


@pytest.mark.parametrize("order", ["alternate", "one-side-first"])
def test_every_order_value(order):
    parsed = parse(routine_file(steps=[step(sides="both", order=order)]))
    assert parsed.steps[0].order == order


def test_a_step_without_order_alternates():
    parsed = parse(routine_file(steps=[step(sides="both")]))
    assert parsed.steps[0] == Step("pelvic-tilt", 10, 10, 5, "both", "alternate")


@pytest.mark.parametrize("order", ["Alternate", "one side first", "", "left-first", None, 1, True, ["alternate"]])
def test_bad_order(order):
    refused(routine_file(steps=[step(sides="both", order=order)]), "steps[0].order", "alternate, one-side-first")


def test_order_round_trips_and_alternate_is_not_written():
    routine = Routine("r", "Round trip", (Step("pelvic-tilt", 10, 2, 5, "both", "one-side-first"),
                                          Step("pelvic-tilt", 10, 2, 5, "both")))
    file = routine_file_dict(routine, [])
    assert file["steps"][0]["order"] == "one-side-first"
    assert "order" not in file["steps"][1]  # as older versions wrote it
    assert parse(file).steps == routine.steps


def custom_exercise(**changes):
    data = {"id": "wall-lean", "name": "Wall lean", "instructions": "Lean on the wall."}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not MISSING}


def with_exercise(**changes):
    return routine_file(exercises=[custom_exercise(**changes)], steps=[step(exercise="wall-lean", sides="both")])


def test_a_figure_of_twelve_lines_of_forty_characters_is_accepted():
    figure = ["╱" * 40] + ["x" * 40] * 10 + ["end"]
    parsed = parse(with_exercise(figure=figure))
    assert parsed.exercises[0].figure == tuple(figure)


def test_a_figure_is_tidied_trailing_spaces_and_blank_edges():
    parsed = parse(with_exercise(figure=["", "  o  ", " /|\\   ", "  ", ""]))
    assert parsed.exercises[0].figure == ("  o", " /|\\")


@pytest.mark.parametrize("figure", [[], [""], ["   ", ""], None])
def test_an_empty_figure_is_no_figure(figure):
    assert parse(with_exercise(figure=figure)).exercises[0].figure == ()


def test_an_exercise_without_figure_reads_and_writes_unchanged():
    parsed = parse(with_exercise())
    assert parsed.exercises[0].figure == ()
    routine = Routine("r", "R", parsed.steps)
    assert "figure" not in routine_file_dict(routine, parsed.exercises)["exercises"][0]


def test_a_figure_is_exported_and_read_back():
    routine = Routine("r", "R", (Step("wall-lean", 10, sides="both"),))
    drawn = Exercise("wall-lean", "Wall lean", "Lean.", figure=("╭─╮", "╰─╯ ▌"))
    file = routine_file_dict(routine, [drawn])
    assert file["exercises"][0]["figure"] == ["╭─╮", "╰─╯ ▌"]
    assert parse(json.loads(json.dumps(file))).exercises[0].figure == drawn.figure


def test_a_figure_of_thirteen_lines_is_refused():
    refused(with_exercise(figure=["x"] * 13), "exercises[0].figure", "13 lines", "at most 12")


def test_a_line_of_forty_one_characters_is_refused():
    refused(with_exercise(figure=["ok", "y" * 41]), "exercises[0].figure[1]", "41 characters", "at most 40")


@pytest.mark.parametrize(("char", "words"), [
    ("\x1b", ["control"]), ("\t", ["control"]), ("\n", ["control"]), ("\x07", ["control"]), ("\x9b", ["control"]),
    ("\u202e", ["bidi"]), ("\u2066", ["bidi"]), ("\u200b", ["zero-width"]), ("\u200d", ["zero-width"]),
    ("\ufeff", ["zero-width"]), ("\u0301", ["combining"]), ("\ue000", ["unprintable"]),
])
def test_controls_bidi_and_zero_width_characters_in_a_figure_are_refused(char, words):
    refused(with_exercise(figure=["ok", f"a{char}b"]), "exercises[0].figure[1]", f"U+{ord(char):04X}", *words)


@pytest.mark.parametrize("figure", ["line one\nline two", 3, {"0": "x"}, True])
def test_a_figure_must_be_a_list_of_lines(figure):
    refused(with_exercise(figure=figure), "exercises[0].figure", "list of lines")


def test_a_line_of_a_figure_must_be_text():
    refused(with_exercise(figure=["ok", 7]), "exercises[0].figure[1]", "line of text")


def test_every_builtin_exercise_has_a_figure_within_the_limits():
    for exercise in LIBRARY.exercises.values():
        assert 3 <= len(exercise.figure) <= 12, exercise.id
        assert all(len(line) <= 40 for line in exercise.figure), exercise.id


def test_the_builtin_routine_holds_the_hamstrings_one_side_first():
    routine = next(r for r in LIBRARY.routines if r.id == "back-spasm-relief")
    orders = {s.exercise: s.order for s in routine.steps}
    assert orders == {"side-knee-drop": "alternate", "pelvic-tilt": "alternate",
                      "hamstring-stretch": "one-side-first", "prayer-pose": "alternate"}
