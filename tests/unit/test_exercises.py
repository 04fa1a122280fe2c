"""Exercises: the built-in library's recommended ranges and the advice the builder shows."""

from __future__ import annotations

import pytest

from tui.domain.exercises import Exercise, exercise_from_dict, exercise_to_dict, slugify
from tui.domain.problems import ValidationError
from tui.storage.library import load_library


@pytest.fixture(scope="module")
def exercises():
    return load_library().exercises


def test_the_four_builtins_in_order_with_the_timings_of_the_spec(exercises):
    assert list(exercises) == ["side-knee-drop", "pelvic-tilt", "hamstring-stretch", "prayer-pose"]
    shape = {
        e.id: (e.hold_range, e.reps_range, e.default_hold, e.default_reps, e.default_sides) for e in exercises.values()
    }
    assert shape == {
        "side-knee-drop": ((30, 30), (1, None), 30, 2, "both"),
        "pelvic-tilt": ((10, 10), (1, None), 10, 10, "none"),
        "hamstring-stretch": ((15, 20), (5, 8), 20, 5, "both"),
        "prayer-pose": ((30, 30), (1, 1), 30, 1, "none"),
    }
    assert all(e.builtin and e.instructions for e in exercises.values())


@pytest.mark.parametrize("seconds, warns", [(1, True), (14, True), (15, False), (18, False), (20, False), (21, True), (600, True)])
def test_hamstring_hold_advice(exercises, seconds, warns):
    advice = exercises["hamstring-stretch"].hold_advice(seconds)
    if warns:
        assert advice is not None and "Hamstring Stretch" in advice and "15-20 s" in advice
    else:
        assert advice is None


@pytest.mark.parametrize("reps, warns", [(1, True), (4, True), (5, False), (8, False), (9, True), (50, True)])
def test_hamstring_reps_advice(exercises, reps, warns):
    advice = exercises["hamstring-stretch"].reps_advice(reps)
    if warns:
        assert advice is not None and "5-8" in advice
    else:
        assert advice is None


def test_single_value_ranges_say_one_value(exercises):
    assert exercises["prayer-pose"].hold_advice(30) is None
    assert "(30 s)" in exercises["prayer-pose"].hold_advice(29)
    assert "(30 s)" in exercises["side-knee-drop"].hold_advice(31)
    assert exercises["pelvic-tilt"].hold_advice(10) is None
    assert "(10 s)" in exercises["pelvic-tilt"].hold_advice(11)
    assert exercises["prayer-pose"].reps_advice(1) is None
    assert "(1)" in exercises["prayer-pose"].reps_advice(2)


def test_open_ended_reps_never_warn_above(exercises):
    # "until the discomfort eases" / "as needed": no upper bound
    for ex_id in ("side-knee-drop", "pelvic-tilt"):
        assert exercises[ex_id].reps_advice(1) is None
        assert exercises[ex_id].reps_advice(50) is None
        assert "1 or more" in exercises[ex_id].reps_advice(0)


def test_exercise_round_trips_through_its_dict(exercises):
    for exercise in exercises.values():
        again = exercise_from_dict(exercise_to_dict(exercise))
        assert again == exercise and not again.builtin


def test_exercise_from_dict_defaults():
    ex = exercise_from_dict({"id": "cat-cow", "name": " Cat-Cow ", "instructions": " Arch. "})
    assert (ex.name, ex.instructions) == ("Cat-Cow", "Arch.")
    assert ex.hold_range == (1, 600) and ex.reps_range == (1, None)
    assert ex.default_hold == 600 and ex.default_reps == 1 and ex.default_sides == "none"


@pytest.mark.parametrize(
    "data, field",
    [
        ("x", "exercise"),
        ({"id": "Bad Id", "name": "X"}, "exercise.id"),
        ({"id": "", "name": "X"}, "exercise.id"),
        ({"id": "x", "name": ""}, "exercise.name"),
        ({"id": "x", "name": "X", "instructions": 5}, "exercise.instructions"),
        ({"id": "x", "name": "X", "instructions": "a" * 2001}, "exercise.instructions"),
        ({"id": "x", "name": "X", "hold_range": [20, 10]}, "exercise.hold_range"),
        ({"id": "x", "name": "X", "hold_range": [0, 10]}, "exercise.hold_range[0]"),
        ({"id": "x", "name": "X", "hold_range": 10}, "exercise.hold_range"),
        ({"id": "x", "name": "X", "reps_range": [1, 51]}, "exercise.reps_range[1]"),
        ({"id": "x", "name": "X", "default_sides": "up"}, "exercise.default_sides"),
        ({"id": "x", "name": "X", "default_hold": 601}, "exercise.default_hold"),
        ({"id": "x", "name": "X", "default_rest": -1}, "exercise.default_rest"),
        ({"id": "x", "name": "X", "default_reps": True}, "exercise.default_reps"),
    ],
)
def test_bad_exercises_name_the_field(data, field):
    with pytest.raises(ValidationError) as caught:
        exercise_from_dict(data)
    assert field in [p.field for p in caught.value.problems]


@pytest.mark.parametrize("name, slug", [("Morning reset", "morning-reset"), ("Café  Stretch!", "cafe-stretch"), ("日本", "routine"), ("  --x--  ", "x")])
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_exercise_equality_ignores_builtin():
    assert Exercise("a", "A", "", builtin=True) == Exercise("a", "A", "")


def test_an_id_with_a_trailing_newline_is_refused():
    exercise_from_dict({"id": "wall-lean", "name": "Wall lean", "instructions": "Lean."})
    with pytest.raises(ValidationError) as caught:
        exercise_from_dict({"id": "wall-lean\n", "name": "Wall lean", "instructions": "Lean."})
    assert caught.value.problems[0].field.endswith("id")
