"""Expanding a routine into holds, its planned length, and durations as shown."""

from __future__ import annotations

import pytest

from tui.domain.exercises import Exercise
from tui.domain.plan import Phase, Timings, expand, format_duration, lead_in, plan_seconds, routine_seconds
from tui.domain.routines import Routine, Step
from tui.storage.library import load_library


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture(scope="module")
def builtin(library):
    return next(r for r in library.routines if r.id == "back-spasm-relief")


def test_builtin_routine_expands_to_25_holds_in_order(library, builtin):
    holds = expand(builtin, library.exercises)
    assert len(holds) == 25
    got = [(h.exercise.id, h.side, h.rep, h.reps, h.planned_seconds) for h in holds]
    expected = []
    for rep in (1, 2):
        expected += [("side-knee-drop", "left", rep, 2, 30), ("side-knee-drop", "right", rep, 2, 30)]
    expected += [("pelvic-tilt", None, rep, 10, 10) for rep in range(1, 11)]
    # The hamstring stretch is one-side-first: every rep on the left, then every rep on the right.
    expected += [("hamstring-stretch", "left", rep, 5, 20) for rep in range(1, 6)]
    expected += [("hamstring-stretch", "right", rep, 5, 20) for rep in range(1, 6)]
    expected += [("prayer-pose", None, 1, 1, 30)]
    assert got == expected
    assert [h.step_index for h in holds] == [0] * 4 + [1] * 10 + [2] * 10 + [3]
    assert holds[0].exercise is library.exercises["side-knee-drop"]


def test_builtin_routine_lasts_ten_minutes_and_a_third_with_default_timings(library, builtin):
    assert Timings() == Timings(get_ready_seconds=5, switch_seconds=5)
    # Holds: 4 x 30 + 10 x 10 + 10 x 20 + 30 = 450 s. Rests: 1 x 10 (knee drops) + 9 x 5 (tilts)
    # + 8 x 10 (hamstrings: four between the left reps, four between the right) = 135 s.
    # Lead-ins: 4 get-readies and 3 switches (2 knee drops, 1 hamstring) of 5 s = 35 s.
    assert routine_seconds(builtin, library.exercises) == 620
    assert routine_seconds(builtin, library.exercises, Timings()) == 620
    assert routine_seconds(builtin, library.exercises, Timings(0, 0)) == 620 - 20 - 15
    assert routine_seconds(builtin, library.exercises, Timings(10, 5)) == 640
    assert routine_seconds(builtin, library.exercises, Timings(5, 10)) == 635


def test_plan_seconds_counts_every_lead_in_and_hold():
    ex = {"a": Exercise("a", "A", ""), "b": Exercise("b", "B", "")}
    routine = Routine("r", "R", (Step("a", 10, reps=3, rest_seconds=4, sides="none"), Step("b", 7, reps=2, rest_seconds=0, sides="both")))
    holds = expand(routine, ex)
    assert [(h.exercise.id, h.side, h.rep) for h in holds] == [
        ("a", None, 1), ("a", None, 2), ("a", None, 3),
        ("b", "left", 1), ("b", "right", 1), ("b", "left", 2), ("b", "right", 2),
    ]
    timings = Timings(3, 2)
    # a: 3 + 10 + 4 + 10 + 4 + 10 ; b: 3 + 7 + 2 + 7 + 0 + 7 + 2 + 7
    assert plan_seconds(holds, timings) == 41 + 35
    assert plan_seconds([], timings) == 0


def test_lead_in_before_each_hold():
    ex = {"a": Exercise("a", "A", "")}
    holds = expand(Routine("r", "R", (Step("a", 10, reps=2, rest_seconds=6, sides="both"),)), ex)
    timings = Timings(4, 2)
    assert lead_in(None, holds[0], timings) == (Phase.GET_READY, 4)
    assert lead_in(holds[0], holds[1], timings) == (Phase.SWITCH, 2)
    assert lead_in(holds[1], holds[2], timings) == (Phase.REST, 6)


def test_one_side_first_holds_every_rep_on_the_left_then_on_the_right():
    ex = {"a": Exercise("a", "A", "")}
    step = Step("a", 10, reps=3, rest_seconds=6, sides="both", order="one-side-first")
    holds = expand(Routine("r", "R", (step,)), ex)
    assert [(h.side, h.rep, h.reps, h.order) for h in holds] == [
        ("left", 1, 3, "one-side-first"), ("left", 2, 3, "one-side-first"), ("left", 3, 3, "one-side-first"),
        ("right", 1, 3, "one-side-first"), ("right", 2, 3, "one-side-first"), ("right", 3, 3, "one-side-first"),
    ]
    timings = Timings(4, 2)
    leads = [lead_in(previous, hold, timings) for previous, hold in zip([None, *holds], holds)]
    # Rests between the reps of one side, and one switch, between the last left and the first right.
    assert leads == [(Phase.GET_READY, 4), (Phase.REST, 6), (Phase.REST, 6),
                     (Phase.SWITCH, 2), (Phase.REST, 6), (Phase.REST, 6)]
    assert plan_seconds(holds, timings) == 4 + 60 + 4 * 6 + 2


@pytest.mark.parametrize("sides", ["none", "left", "right"])
def test_one_side_first_on_a_step_without_two_sides_is_as_alternate(sides):
    ex = {"a": Exercise("a", "A", "")}
    one = expand(Routine("r", "R", (Step("a", 10, reps=3, rest_seconds=6, sides=sides, order="one-side-first"),)), ex)
    other = expand(Routine("r", "R", (Step("a", 10, reps=3, rest_seconds=6, sides=sides),)), ex)
    assert [(h.side, h.rep) for h in one] == [(h.side, h.rep) for h in other]
    assert plan_seconds(one, Timings()) == plan_seconds(other, Timings())


def test_one_rep_of_each_side_is_the_same_in_both_orders():
    ex = {"a": Exercise("a", "A", "")}
    for order in ("alternate", "one-side-first"):
        holds = expand(Routine("r", "R", (Step("a", 10, reps=1, rest_seconds=6, sides="both", order=order),)), ex)
        assert [(h.side, h.rep) for h in holds] == [("left", 1), ("right", 1)]
        assert lead_in(holds[0], holds[1], Timings(4, 2)) == (Phase.SWITCH, 2)


@pytest.mark.parametrize("sides, order", [("none", [None]), ("both", ["left", "right"]), ("left", ["left"]), ("right", ["right"])])
def test_sides_order(sides, order):
    assert list(Step("a", 5, sides=sides).side_order()) == order


@pytest.mark.parametrize(
    "seconds, shown",
    [
        (0, "0:00"),
        (5, "0:05"),
        (59, "0:59"),
        (60, "1:00"),
        (75, "1:15"),
        (600, "10:00"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (3725, "1:02:05"),
        (36000, "10:00:00"),
        (4.4, "0:04"),
        (4.6, "0:05"),
        (-3, "0:00"),
    ],
)
def test_format_duration(seconds, shown):
    assert format_duration(seconds) == shown
