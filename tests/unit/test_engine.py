"""The session engine, driven by explicit monotonic times (no real clock, no sleeping)."""

from __future__ import annotations


import pytest

from tui.domain.clock import FakeClock
from tui.domain.engine import HoldFinished, PhaseStarted, SessionEnded, SessionEngine
from tui.domain.exercises import Exercise
from tui.domain.plan import Phase, Timings, expand, plan_seconds
from tui.domain.routines import Routine, Step
from tui.domain.sessions import HoldRecord
from tui.storage.library import load_library

ALPHA = Exercise("alpha", "Alpha", "Do alpha.")
BETA = Exercise("beta", "Beta", "Do beta.")
EXERCISES = {e.id: e for e in (ALPHA, BETA)}
T0 = 1000.0

GR, HOLD, SW, REST, DONE = Phase.GET_READY, Phase.HOLD, Phase.SWITCH, Phase.REST, Phase.DONE


def plan_of(*steps: Step):
    """The holds of a routine made of `steps` (exercises alpha and beta)."""
    return expand(Routine("r", "R", tuple(steps)), EXERCISES)


def phases(events):
    """(phase, index, at) of every PhaseStarted event."""
    return [(e.phase, e.index, e.at) for e in events if isinstance(e, PhaseStarted)]


def finished(events):
    """(index, record) of every HoldFinished event."""
    return [(e.index, e.record) for e in events if isinstance(e, HoldFinished)]


def ended(events):
    """Status of every SessionEnded event."""
    return [e.status for e in events if isinstance(e, SessionEnded)]


def rec(exercise="alpha", side=None, rep=1, planned=10, held=10.0, completed=True):
    return HoldRecord(exercise, side, rep, planned, held, completed)


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture(scope="module")
def builtin(library):
    routine = next(r for r in library.routines if r.id == "back-spasm-relief")
    return routine, expand(routine, library.exercises)


def expected_timeline(routine: Routine, timings: Timings, t0: float):
    """The phases a routine should go through, worked out independently of the engine.

    `alternate`: each rep holds left then right, a switch between them, a rest before the
    next rep. `one-side-first`: every rep on the left with rests between, one switch, then
    every rep on the right with rests between.
    """
    out = []
    t = t0
    index = 0
    order = {"both": ["left", "right"], "left": ["left"], "right": ["right"], "none": [None]}
    for step in routine.steps:
        sides = order[step.sides]
        if step.order == "one-side-first":
            holds = [(k, rep) for k in range(len(sides)) for rep in range(1, step.reps + 1)]
        else:
            holds = [(k, rep) for rep in range(1, step.reps + 1) for k in range(len(sides))]
        for n, (k, rep) in enumerate(holds):
            if n == 0:
                lead = (GR, timings.get_ready_seconds)
            elif step.order == "one-side-first" and rep == 1:
                lead = (SW, timings.switch_seconds)  # the one change of side
            elif step.order != "one-side-first" and k > 0:
                lead = (SW, timings.switch_seconds)
            else:
                lead = (REST, step.rest_seconds)
            if lead[1] > 0:
                out.append((lead[0], index, t))
                t += lead[1]
            out.append((HOLD, index, t))
            t += step.hold_seconds
            index += 1
    out.append((DONE, index - 1, t))
    return out, t


# -- basic phase boundaries ---------------------------------------------


def test_empty_plan_is_refused():
    with pytest.raises(ValueError):
        SessionEngine([])


def test_nothing_happens_before_start():
    engine = SessionEngine(plan_of(Step("alpha", 10)))
    assert engine.tick(T0 + 100) == []
    assert not engine.finished and engine.status is None


def test_one_sided_step_phase_boundaries_exactly():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    assert phases(engine.start(T0)) == [(GR, 0, T0)]
    assert engine.start(T0 + 1) == []  # a second start does nothing
    assert engine.tick(T0 + 4.999) == []
    snap = engine.snapshot(T0 + 4.999)
    assert snap.phase is GR and snap.seconds_left == pytest.approx(0.001)

    events = engine.tick(T0 + 5)
    assert phases(events) == [(HOLD, 0, T0 + 5)] and finished(events) == []
    assert engine.tick(T0 + 14.999) == []

    events = engine.tick(T0 + 15)
    assert finished(events) == [(0, rec(rep=1, planned=10, held=10.0))]
    assert phases(events) == [(REST, 1, T0 + 15)]
    assert isinstance(events[0], HoldFinished)  # the record comes before the next phase

    assert phases(engine.tick(T0 + 20)) == [(HOLD, 1, T0 + 20)]
    events = engine.tick(T0 + 30)
    assert finished(events) == [(1, rec(rep=2, planned=10, held=10.0))]
    assert phases(events) == [(DONE, 1, T0 + 30)]
    assert ended(events) == ["completed"] and isinstance(events[-1], SessionEnded)
    assert engine.finished and engine.status == "completed"
    assert engine.tick(T0 + 1000) == []
    assert engine.hold_records() == [rec(rep=1), rec(rep=2)]


def test_both_sides_left_then_right_each_rep_with_a_switch_between():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=3, sides="both")), Timings(5, 4))
    events = engine.start(T0) + engine.tick(T0 + 10_000)
    assert phases(events) == [
        (GR, 0, T0),
        (HOLD, 0, T0 + 5),
        (SW, 1, T0 + 15),
        (HOLD, 1, T0 + 19),
        (REST, 2, T0 + 29),
        (HOLD, 2, T0 + 32),
        (SW, 3, T0 + 42),
        (HOLD, 3, T0 + 46),
        (DONE, 3, T0 + 56),
    ]
    assert [(r.side, r.rep) for _, r in finished(events)] == [("left", 1), ("right", 1), ("left", 2), ("right", 2)]
    assert ended(events) == ["completed"]


@pytest.mark.parametrize("side", ["left", "right"])
def test_one_side_only_has_no_switch(side):
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=3, rest_seconds=2, sides=side)), Timings(5, 5))
    events = engine.start(T0) + engine.tick(T0 + 10_000)
    assert phases(events) == [
        (GR, 0, T0),
        (HOLD, 0, T0 + 5),
        (REST, 1, T0 + 15),
        (HOLD, 1, T0 + 17),
        (REST, 2, T0 + 27),
        (HOLD, 2, T0 + 29),
        (DONE, 2, T0 + 39),
    ]
    assert [(r.side, r.rep) for _, r in finished(events)] == [(side, 1), (side, 2), (side, 3)]


def test_rest_zero_skips_the_rest_phase():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=3, rest_seconds=0)), Timings(5, 5))
    events = engine.start(T0) + engine.tick(T0 + 10_000)
    assert phases(events) == [
        (GR, 0, T0),
        (HOLD, 0, T0 + 5),
        (HOLD, 1, T0 + 15),
        (HOLD, 2, T0 + 25),
        (DONE, 2, T0 + 35),
    ]


def test_get_ready_zero_starts_the_hold_at_once():
    engine = SessionEngine(plan_of(Step("alpha", 10), Step("beta", 7)), Timings(get_ready_seconds=0, switch_seconds=5))
    events = engine.start(T0)
    assert phases(events) == [(HOLD, 0, T0)]
    snap = engine.snapshot(T0)
    assert snap.phase is HOLD and snap.seconds_left == 10
    events = engine.tick(T0 + 10_000)
    # no get-ready before the second step either
    assert phases(events) == [(HOLD, 1, T0 + 10), (DONE, 1, T0 + 17)]


def test_switch_zero_goes_straight_to_the_other_side():
    engine = SessionEngine(plan_of(Step("alpha", 10, sides="both")), Timings(5, 0))
    events = engine.start(T0) + engine.tick(T0 + 10_000)
    assert phases(events) == [(GR, 0, T0), (HOLD, 0, T0 + 5), (HOLD, 1, T0 + 15), (DONE, 1, T0 + 25)]


def test_a_new_step_starts_with_a_get_ready_not_the_rest():
    plan = plan_of(Step("alpha", 10, reps=2, rest_seconds=8), Step("beta", 6, reps=1, rest_seconds=9))
    engine = SessionEngine(plan, Timings(get_ready_seconds=3, switch_seconds=5))
    events = engine.start(T0) + engine.tick(T0 + 10_000)
    assert phases(events) == [
        (GR, 0, T0),
        (HOLD, 0, T0 + 3),
        (REST, 1, T0 + 13),
        (HOLD, 1, T0 + 21),
        (GR, 2, T0 + 31),  # get ready for beta: 3 s, not alpha's 8 s rest
        (HOLD, 2, T0 + 34),
        (DONE, 2, T0 + 40),
    ]
    assert [r.exercise for _, r in finished(events)] == ["alpha", "alpha", "beta"]
    assert T0 + 40 == T0 + plan_seconds(plan, Timings(3, 5))


def test_snapshot_fields_during_a_session():
    plan = plan_of(Step("alpha", 10, reps=2, rest_seconds=5), Step("beta", 6))
    engine = SessionEngine(plan)
    engine.start(T0)
    snap = engine.snapshot(T0 + 2)
    assert (snap.phase, snap.index, snap.hold, snap.next_hold) == (GR, 0, plan[0], plan[1])
    assert snap.seconds_left == 3 and snap.phase_length == 5
    assert snap.phase_progress == pytest.approx(0.4)
    assert snap.holds_total == 3 and not snap.paused
    engine.tick(T0 + 31)
    snap = engine.snapshot(T0 + 31)
    assert (snap.phase, snap.index, snap.hold, snap.next_hold) == (GR, 2, plan[2], None)
    assert snap.seconds_left == 4
    engine.tick(T0 + 100)
    snap = engine.snapshot(T0 + 100)
    assert snap.phase is DONE and snap.seconds_left == 0 and snap.routine_seconds_left == 0
    assert snap.routine_progress == 1.0 and snap.phase_progress == 1.0


# -- pause and resume -----------------------------------------------------


def test_time_paused_does_not_count_and_seconds_left_is_frozen():
    engine = SessionEngine(plan_of(Step("alpha", 10)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 7)
    assert engine.pause(T0 + 7) == []
    for t in (T0 + 7, T0 + 20, T0 + 100):
        snap = engine.snapshot(t)
        assert snap.paused and snap.phase is HOLD and snap.seconds_left == 8
        assert snap.routine_seconds_left == 8
    assert engine.tick(T0 + 100) == []
    engine.pause(T0 + 50)  # pausing again does not move the pause
    assert engine.resume(T0 + 100) == []
    snap = engine.snapshot(T0 + 100)
    assert not snap.paused and snap.seconds_left == 8
    assert engine.tick(T0 + 107.999) == []
    events = engine.tick(T0 + 108)
    assert finished(events) == [(0, rec(held=10.0))]
    assert phases(events) == [(DONE, 0, T0 + 108)]
    assert ended(events) == ["completed"]


def test_pause_moves_on_phases_that_ended_before_it():
    engine = SessionEngine(plan_of(Step("alpha", 10)), Timings(5, 5))
    engine.start(T0)
    events = engine.pause(T0 + 6)  # the get-ready ended at +5: the hold is under way
    assert phases(events) == [(HOLD, 0, T0 + 5)]
    assert engine.snapshot(T0 + 60).seconds_left == 9


def test_pause_during_get_ready_and_toggle():
    engine = SessionEngine(plan_of(Step("alpha", 10)), Timings(5, 5))
    engine.start(T0)
    engine.toggle_pause(T0 + 2)
    assert engine.paused
    assert engine.snapshot(T0 + 30).seconds_left == 3
    engine.toggle_pause(T0 + 30)
    assert not engine.paused
    assert engine.tick(T0 + 32.9) == []
    assert phases(engine.tick(T0 + 33)) == [(HOLD, 0, T0 + 33)]


def test_several_pauses_add_up():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    engine.pause(T0 + 1)
    engine.resume(T0 + 4)  # 3 s
    engine.pause(T0 + 10)
    engine.resume(T0 + 20)  # 10 s
    engine.pause(T0 + 25)
    engine.resume(T0 + 26)  # 1 s
    events = engine.tick(T0 + 10_000)
    assert phases(events)[-1] == (DONE, 1, T0 + 30 + 14)
    assert [r.held_seconds for r in engine.hold_records()] == [10.0, 10.0]


# -- skip -------------------------------------------------------------------


def test_skip_in_a_hold_records_it_not_completed_with_the_time_held():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 8.5)
    events = engine.skip(T0 + 8.5)
    assert finished(events) == [(0, rec(rep=1, held=3.5, completed=False))]
    assert phases(events) == [(REST, 1, T0 + 8.5)]
    events = engine.tick(T0 + 10_000)
    assert phases(events) == [(HOLD, 1, T0 + 13.5), (DONE, 1, T0 + 23.5)]
    # It ran to its end: completed, with the skipped hold recorded as not done.
    assert ended(events) == ["completed"] and engine.status == "completed"
    assert [r.completed for r in engine.hold_records()] == [False, True]


def test_skipping_the_last_hold_ends_the_session_completed():
    engine = SessionEngine(plan_of(Step("alpha", 10)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 6)
    events = engine.skip(T0 + 6)
    assert finished(events) == [(0, rec(held=1.0, completed=False))]
    assert phases(events) == [(DONE, 0, T0 + 6)] and ended(events) == ["completed"]
    assert engine.finished


def test_skip_in_a_get_ready_passes_over_its_hold_in_one_press():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    events = engine.skip(T0 + 2)
    # Hold 0 is passed over (never begun: 0 s, not done); the rest before hold 1 begins now.
    assert finished(events) == [(0, rec(held=0.0, completed=False))]
    assert phases(events) == [(REST, 1, T0 + 2)]
    events = engine.tick(T0 + 10_000)
    assert phases(events) == [(HOLD, 1, T0 + 7), (DONE, 1, T0 + 17)]
    assert ended(events) == ["completed"]
    assert [r.completed for r in engine.hold_records()] == [False, True]


def test_skip_in_a_rest_passes_over_the_hold_after_it():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=3, rest_seconds=5), Step("beta", 6)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 16)  # GR 0-5, a1 5-15, rest before a2 15-20
    events = engine.skip(T0 + 16)
    assert finished(events) == [(1, rec(rep=2, held=0.0, completed=False))]
    assert phases(events) == [(REST, 2, T0 + 16)]  # the rest before a3 (after a2, passed over)
    events = engine.skip(T0 + 17)  # and a3 too: on to beta's get-ready
    assert finished(events) == [(2, rec(rep=3, held=0.0, completed=False))]
    assert phases(events) == [(GR, 3, T0 + 17)]


def test_skip_in_a_switch_passes_over_the_second_side():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=3, sides="both")), Timings(5, 4))
    engine.start(T0)
    engine.tick(T0 + 16)  # GR 0-5, left 1 5-15, switch 15-19
    assert engine.snapshot(T0 + 16).phase is SW
    events = engine.skip(T0 + 16)
    assert finished(events) == [(1, rec(side="right", held=0.0, completed=False))]
    assert phases(events) == [(REST, 2, T0 + 16)]  # right 1 -> left 2 is a rest
    assert engine.snapshot(T0 + 16).hold.side == "left" and engine.snapshot(T0 + 16).hold.rep == 2


def test_skip_in_a_lead_in_keeps_a_record_done_before():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 16)  # a1 done; in the rest before a2
    engine.back(T0 + 16)  # back to a1's get-ready
    events = engine.skip(T0 + 17)
    assert finished(events) == [(0, rec())]  # the hold done earlier stays done
    assert phases(events) == [(REST, 1, T0 + 17)]


def test_skip_in_the_last_lead_in_ends_the_session():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 17)  # the rest before the last hold
    events = engine.skip(T0 + 17)
    assert finished(events) == [(1, rec(rep=2, held=0.0, completed=False))]
    assert phases(events) == [(DONE, 1, T0 + 17)] and ended(events) == ["completed"]


def test_start_hold_now_cuts_a_lead_in_short():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    events = engine.start_hold_now(T0 + 2)
    assert phases(events) == [(HOLD, 0, T0 + 2)] and finished(events) == []
    assert engine.start_hold_now(T0 + 3) == []  # in a hold: nothing
    events = engine.tick(T0 + 12)
    assert finished(events) == [(0, rec(held=10.0))]  # the hold itself is still whole
    assert phases(events) == [(REST, 1, T0 + 12)]
    events = engine.start_hold_now(T0 + 13)  # cut the rest short
    assert phases(events) == [(HOLD, 1, T0 + 13)]
    events = engine.tick(T0 + 10_000)
    assert phases(events) == [(DONE, 1, T0 + 23)] and ended(events) == ["completed"]
    assert all(r.completed for r in engine.hold_records())


def test_skip_while_paused_stays_paused():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 9)
    engine.pause(T0 + 9)
    events = engine.skip(T0 + 30)
    assert finished(events) == [(0, rec(held=4.0, completed=False))]
    snap = engine.snapshot(T0 + 60)
    assert snap.paused and snap.phase is REST and snap.seconds_left == 5
    engine.resume(T0 + 60)
    assert phases(engine.tick(T0 + 65)) == [(HOLD, 1, T0 + 65)]


# -- back ---------------------------------------------------------------------


def test_back_from_a_hold_redoes_the_previous_hold():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=3, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 22)  # hold 1 under way (20-30)
    events = engine.back(T0 + 22)
    # the previous hold starts again from its lead-in (the get-ready of the step)
    assert phases(events) == [(GR, 0, T0 + 22)] and finished(events) == []
    assert engine.index == 0
    assert 1 not in engine.records  # the cut-off hold leaves no record
    events = engine.tick(T0 + 10_000)
    assert phases(events) == [
        (HOLD, 0, T0 + 27),
        (REST, 1, T0 + 37),
        (HOLD, 1, T0 + 42),
        (REST, 2, T0 + 52),
        (HOLD, 2, T0 + 57),
        (DONE, 2, T0 + 67),
    ]
    assert [i for i, _ in finished(events)] == [0, 1, 2]
    assert engine.status == "completed"


def test_back_into_the_middle_of_a_step_uses_that_holds_lead_in():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5, sides="both")), Timings(5, 3))
    engine.start(T0)
    # GR 0-5, L1 5-15, SW 15-18, R1 18-28, REST 28-33, L2 33-43
    engine.tick(T0 + 35)
    assert phases(engine.back(T0 + 35)) == [(SW, 1, T0 + 35)]  # back to right 1, after a switch
    assert phases(engine.back(T0 + 36)) == [(GR, 0, T0 + 36)]
    assert phases(engine.back(T0 + 37)) == [(GR, 0, T0 + 37)]  # cannot go before the first hold


def test_back_from_a_rest_redoes_the_hold_just_done_and_replaces_its_record():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 8)
    engine.skip(T0 + 8)  # hold 0 cut short after 3 s; rest 8-13
    assert engine.records[0] == rec(held=3.0, completed=False)
    events = engine.back(T0 + 9)
    assert phases(events) == [(GR, 0, T0 + 9)]
    events = engine.tick(T0 + 24)
    assert finished(events) == [(0, rec(held=10.0, completed=True))]
    assert engine.records[0].completed
    events = engine.tick(T0 + 10_000)
    assert ended(events) == ["completed"]  # the redone hold counts
    assert engine.hold_records() == [rec(rep=1), rec(rep=2)]


def test_a_completed_hold_redone_and_skipped_keeps_its_best_record():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 16)  # hold 0 done; rest
    engine.back(T0 + 16)  # a get-ready of 5 s, then the redo from T0 + 21
    engine.tick(T0 + 21)
    events = engine.skip(T0 + 23)  # skip the redo after 2 s
    assert finished(events) == [(0, rec(held=10.0, completed=True))]
    engine.tick(T0 + 10_000)
    assert engine.status == "completed"


# -- add time -----------------------------------------------------------------


def test_add_time_extends_the_hold_and_shows_in_held_seconds():
    engine = SessionEngine(plan_of(Step("alpha", 10)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 7)
    assert engine.add_time(T0 + 7) == []
    snap = engine.snapshot(T0 + 7)
    assert snap.phase_length == 20 and snap.seconds_left == 18
    assert snap.routine_seconds_left == 18
    assert engine.tick(T0 + 15) == []  # the old end passes
    assert engine.tick(T0 + 24.999) == []
    events = engine.tick(T0 + 25)
    assert finished(events) == [(0, rec(planned=10, held=20.0, completed=True))]
    assert phases(events) == [(DONE, 0, T0 + 25)]


def test_add_time_twice_and_with_a_custom_amount():
    engine = SessionEngine(plan_of(Step("alpha", 10)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 6)
    engine.add_time(T0 + 6)
    engine.add_time(T0 + 6, seconds=3)
    events = engine.tick(T0 + 10_000)
    assert finished(events)[0][1].held_seconds == 23.0
    assert phases(events) == [(DONE, 0, T0 + 28)]


def test_add_time_in_a_get_ready_delays_the_hold():
    engine = SessionEngine(plan_of(Step("alpha", 10)), Timings(5, 5))
    engine.start(T0)
    engine.add_time(T0 + 1)
    assert engine.snapshot(T0 + 1).seconds_left == 14
    assert engine.tick(T0 + 14.9) == []
    events = engine.tick(T0 + 10_000)
    assert phases(events) == [(HOLD, 0, T0 + 15), (DONE, 0, T0 + 25)]
    assert engine.hold_records() == [rec(held=10.0)]


def test_add_time_while_paused_then_resume():
    engine = SessionEngine(plan_of(Step("alpha", 10)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 10)
    engine.pause(T0 + 10)  # 5 s in, 5 left
    engine.add_time(T0 + 40)
    assert engine.snapshot(T0 + 50).seconds_left == 15
    engine.resume(T0 + 50)
    assert phases(engine.tick(T0 + 10_000)) == [(DONE, 0, T0 + 65)]


# -- one more rep ---------------------------------------------------------------


def test_one_more_rep_in_a_hold():
    plan = plan_of(Step("alpha", 10, reps=2, rest_seconds=5), Step("beta", 6))
    engine = SessionEngine(plan, Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 7)
    assert engine.one_more_rep(T0 + 7) == []  # the hold under way goes on
    snap = engine.snapshot(T0 + 7)
    assert snap.phase is HOLD and snap.index == 0 and snap.seconds_left == 8
    assert snap.hold.reps == 3 and snap.holds_total == 4
    assert [(h.exercise.id, h.rep, h.reps) for h in engine.plan] == [
        ("alpha", 1, 3),
        ("alpha", 2, 3),
        ("alpha", 3, 3),
        ("beta", 1, 1),
    ]
    events = engine.tick(T0 + 10_000)
    assert phases(events) == [
        (REST, 1, T0 + 15),
        (HOLD, 1, T0 + 20),
        (REST, 2, T0 + 30),
        (HOLD, 2, T0 + 35),
        (GR, 3, T0 + 45),
        (HOLD, 3, T0 + 50),
        (DONE, 3, T0 + 56),
    ]
    assert [(r.exercise, r.rep) for r in engine.hold_records()] == [("alpha", 1), ("alpha", 2), ("alpha", 3), ("beta", 1)]
    assert engine.status == "completed"


def test_one_more_rep_after_the_last_rep_of_a_step():
    plan = plan_of(Step("alpha", 10, reps=2, rest_seconds=5), Step("beta", 6))
    engine = SessionEngine(plan, Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 32)  # alpha's reps done at +30: the get-ready for beta is under way
    assert engine.snapshot(T0 + 32).phase is GR
    events = engine.one_more_rep(T0 + 32)
    # the get-ready gives way to a rest before the new rep of alpha
    assert phases(events) == [(REST, 2, T0 + 32)]
    snap = engine.snapshot(T0 + 32)
    assert snap.hold.exercise.id == "alpha" and (snap.hold.rep, snap.hold.reps) == (3, 3)
    assert snap.next_hold.exercise.id == "beta"
    events = engine.tick(T0 + 10_000)
    assert phases(events) == [
        (HOLD, 2, T0 + 37),
        (GR, 3, T0 + 47),
        (HOLD, 3, T0 + 52),
        (DONE, 3, T0 + 58),
    ]
    assert [(r.exercise, r.rep) for r in engine.hold_records()] == [("alpha", 1), ("alpha", 2), ("alpha", 3), ("beta", 1)]


def test_one_more_rep_in_a_rest_between_reps_adds_at_the_end_of_the_step():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 16)  # rest before rep 2
    assert engine.one_more_rep(T0 + 16) == []  # the rest goes on
    snap = engine.snapshot(T0 + 16)
    assert snap.phase is REST and snap.index == 1 and snap.hold.reps == 3 and snap.seconds_left == 4
    events = engine.tick(T0 + 10_000)
    assert [h.rep for _, h in finished(events)] == [2, 3]
    assert phases(events)[-1] == (DONE, 2, T0 + 45)


def test_one_more_rep_on_a_two_sided_step_adds_left_and_right():
    plan = plan_of(Step("alpha", 10, reps=1, rest_seconds=4, sides="both"), Step("beta", 6))
    engine = SessionEngine(plan, Timings(5, 3))
    engine.start(T0)
    engine.tick(T0 + 7)  # left 1
    engine.one_more_rep(T0 + 7)
    assert [(h.exercise.id, h.side, h.rep, h.reps) for h in engine.plan] == [
        ("alpha", "left", 1, 2),
        ("alpha", "right", 1, 2),
        ("alpha", "left", 2, 2),
        ("alpha", "right", 2, 2),
        ("beta", None, 1, 1),
    ]
    assert engine.snapshot(T0 + 7).hold.reps == 2
    events = engine.tick(T0 + 10_000)
    assert phases(events) == [
        (SW, 1, T0 + 15),
        (HOLD, 1, T0 + 18),
        (REST, 2, T0 + 28),
        (HOLD, 2, T0 + 32),
        (SW, 3, T0 + 42),
        (HOLD, 3, T0 + 45),
        (GR, 4, T0 + 55),
        (HOLD, 4, T0 + 60),
        (DONE, 4, T0 + 66),
    ]


def test_one_more_rep_on_a_one_sided_step_adds_that_side_only():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=1, sides="right")), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 6)
    engine.one_more_rep(T0 + 6)
    assert [(h.side, h.rep, h.reps) for h in engine.plan] == [("right", 1, 2), ("right", 2, 2)]


def test_one_more_rep_shifts_the_records_after_it():
    plan = plan_of(Step("alpha", 10, reps=2, rest_seconds=5), Step("beta", 6, reps=2, rest_seconds=2))
    engine = SessionEngine(plan, Timings(5, 5))
    engine.start(T0)
    # GR 0-5, a1 5-15, R 15-20, a2 20-30, GR 30-35, b1 35-41, R 41-43, b2 43-49
    engine.tick(T0 + 44)
    assert sorted(engine.records) == [0, 1, 2]
    engine.back(T0 + 44)  # to b1 (index 2)
    engine.back(T0 + 45)  # to a2 (index 1): a rest before it
    assert engine.snapshot(T0 + 45).phase is REST and engine.index == 1
    engine.one_more_rep(T0 + 46)
    # b1's record moved with its hold, from index 2 to 3; the new rep has none yet
    assert sorted(engine.records) == [0, 1, 3]
    assert engine.records[3] == rec("beta", planned=6, held=6.0)
    assert engine.plan[3].exercise.id == "beta"
    engine.tick(T0 + 10_000)
    assert sorted(engine.records) == [0, 1, 2, 3, 4]
    assert [(r.exercise, r.rep, r.completed) for r in engine.hold_records()] == [
        ("alpha", 1, True),
        ("alpha", 2, True),
        ("alpha", 3, True),
        ("beta", 1, True),
        ("beta", 2, True),
    ]
    assert engine.status == "completed"


def test_one_more_rep_during_the_first_get_ready_adds_to_the_first_step():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=1), Step("beta", 5)), Timings(5, 5))
    engine.start(T0)
    engine.one_more_rep(T0 + 1)
    assert [(h.exercise.id, h.rep, h.reps) for h in engine.plan] == [("alpha", 1, 2), ("alpha", 2, 2), ("beta", 1, 1)]
    assert engine.snapshot(T0 + 1).phase is GR and engine.index == 0


# -- one side first ----------------------------------------------------------------
# alpha both sides, 3 reps of 10 s, rest 4 s, one-side-first; beta 6 s; get ready 5 s, switch 3 s.
# Worked out by hand:
#   GR 0 (0-5), L1 0 (5-15), REST 1 (15-19), L2 1 (19-29), REST 2 (29-33), L3 2 (33-43),
#   SW 3 (43-46), R1 3 (46-56), REST 4 (56-60), R2 4 (60-70), REST 5 (70-74), R3 5 (74-84),
#   GR 6 (84-89), beta 6 (89-95), DONE at 95.


def one_side_first_plan(reps=3):
    return plan_of(Step("alpha", 10, reps=reps, rest_seconds=4, sides="both", order="one-side-first"), Step("beta", 6))


def test_one_side_first_timeline():
    engine = SessionEngine(one_side_first_plan(), Timings(5, 3))
    events = engine.start(T0) + engine.tick(T0 + 10_000)
    assert phases(events) == [
        (GR, 0, T0), (HOLD, 0, T0 + 5), (REST, 1, T0 + 15), (HOLD, 1, T0 + 19), (REST, 2, T0 + 29), (HOLD, 2, T0 + 33),
        (SW, 3, T0 + 43), (HOLD, 3, T0 + 46), (REST, 4, T0 + 56), (HOLD, 4, T0 + 60), (REST, 5, T0 + 70),
        (HOLD, 5, T0 + 74), (GR, 6, T0 + 84), (HOLD, 6, T0 + 89), (DONE, 6, T0 + 95),
    ]
    assert [(r.side, r.rep) for _, r in finished(events)] == [
        ("left", 1), ("left", 2), ("left", 3), ("right", 1), ("right", 2), ("right", 3), (None, 1)]
    assert ended(events) == ["completed"]


def test_one_side_first_routine_progress_and_seconds_left():
    plan = one_side_first_plan()
    engine = SessionEngine(plan, Timings(5, 3))
    engine.start(T0)
    assert plan_seconds(plan, Timings(5, 3)) == 95
    for t in (0, 14, 44, 57, 90):
        engine.tick(T0 + t)
        snap = engine.snapshot(T0 + t)
        assert snap.routine_seconds_left == pytest.approx(95 - t)
        assert snap.routine_progress == pytest.approx(t / 95)
        if t == 44:
            assert snap.phase is SW and snap.hold.side == "right" and snap.hold.rep == 1


@pytest.mark.parametrize(("at", "phase", "skipped", "then"), [
    (2, GR, 0, (REST, 1)),     # the get-ready: L1 passed over, the rest before L2
    (16, REST, 1, (REST, 2)),  # a rest between lefts: L2 passed over
    (44, SW, 3, (REST, 4)),    # the switch: R1 passed over, the rest before R2
    (57, REST, 4, (REST, 5)),  # a rest between rights: R2 passed over
    (71, REST, 5, (GR, 6)),    # the last rest: R3 passed over, beta's get-ready
])
def test_one_side_first_skip_from_each_lead_in_passes_one_hold(at, phase, skipped, then):
    plan = one_side_first_plan()
    engine = SessionEngine(plan, Timings(5, 3))
    engine.start(T0)
    engine.tick(T0 + at)
    assert engine.snapshot(T0 + at).phase is phase
    events = engine.skip(T0 + at)
    hold = plan[skipped]
    assert finished(events) == [(skipped, rec(side=hold.side, rep=hold.rep, held=0.0, completed=False))]
    assert phases(events) == [(then[0], then[1], T0 + at)]


def test_one_side_first_skip_in_the_last_left_hold_goes_to_the_switch():
    engine = SessionEngine(one_side_first_plan(), Timings(5, 3))
    engine.start(T0)
    engine.tick(T0 + 40)
    events = engine.skip(T0 + 40)
    assert finished(events) == [(2, rec(side="left", rep=3, held=7.0, completed=False))]
    assert phases(events) == [(SW, 3, T0 + 40)]


def test_one_side_first_back_from_the_first_right_hold_redoes_the_last_left():
    engine = SessionEngine(one_side_first_plan(), Timings(5, 3))
    engine.start(T0)
    engine.tick(T0 + 50)  # R1 under way
    events = engine.back(T0 + 50)
    assert phases(events) == [(REST, 2, T0 + 50)]  # L3's own lead-in: the rest after L2
    assert engine.snapshot(T0 + 50).hold.side == "left" and engine.snapshot(T0 + 50).hold.rep == 3
    events = engine.tick(T0 + 54) + engine.tick(T0 + 64)
    assert phases(events) == [(HOLD, 2, T0 + 54), (SW, 3, T0 + 64)]


def test_one_side_first_one_more_rep_on_the_left_adds_one_to_each_side():
    engine = SessionEngine(one_side_first_plan(), Timings(5, 3))
    engine.start(T0)
    engine.tick(T0 + 20)  # L2 under way
    assert engine.one_more_rep_refused() is None
    assert engine.one_more_rep(T0 + 20) == []
    assert [(h.side, h.rep, h.reps) for h in engine.plan] == [
        ("left", 1, 4), ("left", 2, 4), ("left", 3, 4), ("left", 4, 4),
        ("right", 1, 4), ("right", 2, 4), ("right", 3, 4), ("right", 4, 4), (None, 1, 1)]
    assert engine.index == 1
    events = engine.tick(T0 + 10_000)
    # L2 ends at 29; rests of 4 s between lefts, then the switch before R1
    assert phases(events)[:6] == [(REST, 2, T0 + 29), (HOLD, 2, T0 + 33), (REST, 3, T0 + 43), (HOLD, 3, T0 + 47),
                                  (SW, 4, T0 + 57), (HOLD, 4, T0 + 60)]
    assert [(r.side, r.rep) for r in engine.hold_records()] == [
        ("left", 1), ("left", 2), ("left", 3), ("left", 4), ("right", 1), ("right", 2), ("right", 3), ("right", 4),
        (None, 1)]
    assert engine.status == "completed"
    # The plan is the expansion of the routine with one rep more, so a resumed session finds the same holds.
    assert [(h.side, h.rep) for h in engine.plan] == [(h.side, h.rep) for h in one_side_first_plan(reps=4)]


def test_one_side_first_one_more_rep_in_the_switch_becomes_the_upcoming_left_rep():
    engine = SessionEngine(one_side_first_plan(), Timings(5, 3))
    engine.start(T0)
    engine.tick(T0 + 44)  # the switch after L3
    events = engine.one_more_rep(T0 + 44)
    # L4 goes just before R1: it is the hold coming up now, after a rest, not the switch.
    assert phases(events) == [(REST, 3, T0 + 44)]
    snap = engine.snapshot(T0 + 44)
    assert (snap.hold.side, snap.hold.rep, snap.hold.reps) == ("left", 4, 4) and snap.seconds_left == 4
    events = engine.tick(T0 + 48) + engine.tick(T0 + 58)
    assert phases(events) == [(HOLD, 3, T0 + 48), (SW, 4, T0 + 58)]


@pytest.mark.parametrize("at", [50, 57, 80])  # R1 held, the rest before R2, R3 held
def test_one_side_first_one_more_rep_is_refused_once_the_left_side_is_done(at):
    engine = SessionEngine(one_side_first_plan(), Timings(5, 3))
    engine.start(T0)
    engine.tick(T0 + at)
    before = list(engine.plan)
    assert "left side of Alpha is done" in engine.one_more_rep_refused()
    assert engine.one_more_rep(T0 + at) == []
    assert engine.plan == before


def test_alternate_one_more_rep_is_never_refused():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=4, sides="both")), Timings(5, 3))
    engine.start(T0)
    for t in (1, 7, 16, 25, 40, 50):
        engine.tick(T0 + t)
        assert engine.one_more_rep_refused() is None


# -- stop -------------------------------------------------------------------------


def test_stop_in_a_hold_records_the_partial_hold():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 9.25)
    events = engine.stop(T0 + 9.25)
    assert finished(events) == [(0, rec(held=4.25, completed=False))]
    assert phases(events) == [(DONE, 0, T0 + 9.25)]
    assert ended(events) == ["stopped"] and isinstance(events[-1], SessionEnded)
    assert engine.finished and engine.status == "stopped"
    # nothing more happens once it is over
    for action in (engine.tick, engine.skip, engine.back, engine.add_time, engine.one_more_rep, engine.stop, engine.pause):
        assert action(T0 + 100) == []
    assert engine.snapshot(T0 + 100).phase is DONE and not engine.paused


def test_stop_in_a_lead_in_records_nothing_more():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    events = engine.stop(T0 + 17)  # the tick inside stop finishes hold 0 first
    assert finished(events) == [(0, rec())]
    assert phases(events) == [(HOLD, 0, T0 + 5), (REST, 1, T0 + 15), (DONE, 1, T0 + 17)]
    assert ended(events) == ["stopped"]
    assert engine.hold_records() == [rec()]


def test_stop_while_paused_records_the_time_held_before_the_pause():
    engine = SessionEngine(plan_of(Step("alpha", 10)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 8)
    engine.pause(T0 + 8)
    events = engine.stop(T0 + 500)
    assert finished(events) == [(0, rec(held=3.0, completed=False))]
    assert engine.status == "stopped"


def test_stopping_after_every_hold_completed_is_still_stopped_on_request():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 25)  # second hold under way
    events = engine.stop(T0 + 25)
    assert ended(events) == ["stopped"]
    assert [r.completed for r in engine.hold_records()] == [True, False]


# -- the built-in routine: events, progress, drift ---------------------------------------


def test_builtin_routine_phase_by_phase(builtin):
    routine, plan = builtin
    timings = Timings()
    expected, end = expected_timeline(routine, timings, T0)
    assert end == T0 + 620 == T0 + plan_seconds(plan, timings)
    # a few boundaries by hand: side knee drops, then the pelvic tilts' get-ready
    assert expected[:9] == [
        (GR, 0, T0),
        (HOLD, 0, T0 + 5),
        (SW, 1, T0 + 35),
        (HOLD, 1, T0 + 40),
        (REST, 2, T0 + 70),
        (HOLD, 2, T0 + 80),
        (SW, 3, T0 + 110),
        (HOLD, 3, T0 + 115),
        (GR, 4, T0 + 145),
    ]
    # The hamstrings (holds 14-23) after the tilts (150-295): five on the left with rests,
    # one switch, five on the right; then the prayer pose.
    hamstrings = [entry for entry in expected if 14 <= entry[1] <= 23]
    assert hamstrings[:4] == [(GR, 14, T0 + 295), (HOLD, 14, T0 + 300), (REST, 15, T0 + 320), (HOLD, 15, T0 + 330)]
    assert hamstrings[9:14] == [(HOLD, 18, T0 + 420), (SW, 19, T0 + 440), (HOLD, 19, T0 + 445),
                                (REST, 20, T0 + 465), (HOLD, 20, T0 + 475)]
    assert hamstrings[-1] == (HOLD, 23, T0 + 565)
    assert [plan[i].side for i in range(14, 24)] == ["left"] * 5 + ["right"] * 5
    assert expected[-3:] == [(GR, 24, T0 + 585), (HOLD, 24, T0 + 590), (DONE, 24, T0 + 620)]
    engine = SessionEngine(plan, timings)
    events = engine.start(T0)
    t = T0
    while not engine.finished:
        t += 0.5
        events += engine.tick(t)
    assert phases(events) == expected
    holds = finished(events)
    assert [i for i, _ in holds] == list(range(25))
    assert all(r.completed and r.held_seconds == r.planned_seconds for _, r in holds)
    assert ended(events) == ["completed"] and isinstance(events[-1], SessionEnded)
    assert sum(isinstance(e, PhaseStarted) and e.phase is HOLD for e in events) == 25


def test_routine_progress_is_monotonic_and_seconds_left_counts_down(builtin):
    routine, plan = builtin
    engine = SessionEngine(plan)
    engine.start(T0)
    start = engine.snapshot(T0)
    assert start.routine_progress == 0.0
    assert start.routine_seconds_left == plan_seconds(plan, Timings()) == 620
    last = -1.0
    t = T0
    while t < T0 + 621:
        engine.tick(t)
        snap = engine.snapshot(t)
        assert snap.routine_progress >= last
        assert 0.0 <= snap.routine_progress <= 1.0
        # without pauses or changes, the estimate is exact
        assert snap.routine_seconds_left == pytest.approx(max(0.0, 620 - (t - T0)), abs=1e-9)
        last = snap.routine_progress
        t += 0.25
    assert engine.finished and last == 1.0


def test_routine_progress_follows_the_whole_planned_time(builtin):
    _, plan = builtin
    engine = SessionEngine(plan)
    engine.start(T0)
    total = plan_seconds(plan, Timings())
    # Lead-ins count too: the bar moves while getting ready, switching and resting.
    assert engine.snapshot(T0 + 4).routine_progress == pytest.approx(4 / total)
    engine.tick(T0 + 20)
    assert engine.snapshot(T0 + 20).routine_progress == pytest.approx(20 / total)
    engine.tick(T0 + 37)  # in the switch after the first 30 s hold
    snap = engine.snapshot(T0 + 37)
    assert snap.phase is Phase.SWITCH
    assert snap.routine_progress == pytest.approx(37 / total)
    assert snap.routine_progress == pytest.approx(1 - snap.routine_seconds_left / total)


def test_no_drift_with_irregular_ticks(builtin, rng):
    # `rng`: fresh tick lengths each run, its seed printed (see tests/conftest.py).
    routine, plan = builtin
    expected, end = expected_timeline(routine, Timings(), T0)
    for _ in range(5):
        clock = FakeClock()
        engine = SessionEngine(plan)
        events = engine.start(clock.monotonic())
        while not engine.finished:
            clock.advance(rng.uniform(0, 3))
            events += engine.tick(clock.monotonic())
        assert phases(events) == expected  # every boundary exactly as planned
        assert phases(events)[-1][2] == end == T0 + 620
        assert all(r.held_seconds == r.planned_seconds and r.completed for r in engine.hold_records())


def test_no_drift_with_one_tick_at_the_very_end(builtin):
    routine, plan = builtin
    expected, _ = expected_timeline(routine, Timings(), T0)
    engine = SessionEngine(plan)
    events = engine.start(T0)
    events += engine.tick(T0 + 619.999)
    assert not engine.finished and engine.snapshot(T0 + 619.999).index == 24
    events += engine.tick(T0 + 620)
    assert phases(events) == expected and engine.status == "completed"


def test_a_very_late_tick_ends_at_the_planned_time_not_the_tick(builtin):
    routine, plan = builtin
    expected, _ = expected_timeline(routine, Timings(), T0)
    engine = SessionEngine(plan)
    events = engine.start(T0) + engine.tick(T0 + 86_400)
    assert phases(events) == expected
    assert len(finished(events)) == 25 and ended(events) == ["completed"]


def test_no_drift_with_pauses(builtin, rng):
    routine, plan = builtin
    clock = FakeClock()
    engine = SessionEngine(plan)
    engine.start(clock.monotonic())
    paused_total = 0.0
    end_at = None
    while not engine.finished:
        clock.advance(rng.uniform(0, 3))
        events = engine.tick(clock.monotonic())
        if rng.random() < 0.1 and not engine.finished:
            events += engine.pause(clock.monotonic())
            if not engine.finished:
                began = clock.monotonic()
                clock.advance(rng.uniform(0.1, 20))
                paused_total += clock.monotonic() - began
                events += engine.resume(clock.monotonic())
        for e in events:
            if isinstance(e, PhaseStarted) and e.phase is DONE:
                end_at = e.at
    assert paused_total > 20
    assert end_at == pytest.approx(T0 + 620 + paused_total, abs=1e-6)
    assert all(abs(r.held_seconds - r.planned_seconds) < 0.05 and r.completed for r in engine.hold_records())
    assert engine.status == "completed"


# -- resuming an interrupted session ------------------------------------------------------------


def test_resumed_engine_starts_with_a_get_ready_and_continues_from_that_hold(builtin):
    _, plan = builtin
    # pelvic tilts are holds 4-13; interrupted during the third (index 6)
    done = {
        i: HoldRecord(h.exercise.id, h.side, h.rep, h.planned_seconds, float(h.planned_seconds), True)
        for i, h in enumerate(plan[:6])
    }
    engine = SessionEngine(plan, Timings(get_ready_seconds=5, switch_seconds=5), records=done, start_index=6)
    events = engine.start(T0)
    # a get-ready, though a rest would normally come before this hold
    assert phases(events) == [(GR, 6, T0)]
    snap = engine.snapshot(T0)
    assert snap.index == 6 and snap.hold.exercise.id == "pelvic-tilt" and snap.hold.rep == 3
    # a get-ready, then everything from hold 6 on: 5 + 8 tilts and 7 rests + 145 + 290 + 35 (the hamstrings: a get-ready, 10 holds, 8 rests, 1 switch)
    assert snap.routine_seconds_left == plan_seconds(plan[6:], Timings()) == 5 + 80 + 35 + 290 + 35
    events = engine.tick(T0 + 5)
    assert phases(events) == [(HOLD, 6, T0 + 5)]
    events = engine.tick(T0 + 100_000)
    assert [i for i, _ in finished(events)] == list(range(6, 25))
    assert sorted(engine.records) == list(range(25))
    assert engine.status == "completed"


def test_resumed_engine_seconds_left_matches_the_rest_of_the_plan(builtin):
    _, plan = builtin
    timings = Timings()
    engine = SessionEngine(plan, timings, records={}, start_index=4)  # at the first pelvic tilt
    engine.start(T0)
    assert engine.snapshot(T0).routine_seconds_left == plan_seconds(plan[4:], timings)
    engine.tick(T0 + 100_000)
    # It ran to its end (the side knee drops before it were never recorded, and are not in it).
    assert engine.status == "completed"
    assert sorted(engine.records) == list(range(4, len(plan)))


def test_resumed_engine_redoes_the_interrupted_hold():
    plan = plan_of(Step("alpha", 10, reps=3, rest_seconds=5))
    partial = {0: rec(rep=1), 1: rec(rep=2, held=4.0, completed=False)}
    engine = SessionEngine(plan, Timings(3, 5), records=partial, start_index=1)
    events = engine.start(T0)
    assert phases(events) == [(GR, 1, T0)]
    events = engine.tick(T0 + 100)
    assert phases(events) == [(HOLD, 1, T0 + 3), (REST, 2, T0 + 13), (HOLD, 2, T0 + 18), (DONE, 2, T0 + 28)]
    assert engine.hold_records() == [rec(rep=1), rec(rep=2), rec(rep=3)]
    assert engine.status == "completed"


def test_resumed_engine_with_no_get_ready_starts_the_hold():
    plan = plan_of(Step("alpha", 10, reps=2, rest_seconds=5))
    engine = SessionEngine(plan, Timings(0, 5), records={0: rec()}, start_index=1)
    assert phases(engine.start(T0)) == [(HOLD, 1, T0)]


def test_start_index_out_of_range_is_clamped():
    plan = plan_of(Step("alpha", 10, reps=2, rest_seconds=5))
    engine = SessionEngine(plan, records={0: rec()}, start_index=99)
    assert phases(engine.start(T0)) == [(GR, 1, T0)]


def test_skip_in_time_added_after_the_planned_hold_counts_as_completed():
    engine = SessionEngine(plan_of(Step("alpha", 10)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 6)
    engine.add_time(T0 + 6)  # 20 s now
    events = engine.skip(T0 + 18)  # 13 s held: more than the 10 planned
    assert finished(events) == [(0, rec(held=13.0, completed=True))]
    assert ended(events) == ["completed"]


def test_skip_in_time_added_before_the_planned_end_is_not_completed():
    engine = SessionEngine(plan_of(Step("alpha", 10)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 6)
    engine.add_time(T0 + 6)
    events = engine.skip(T0 + 14)  # 9 s of 10
    assert finished(events) == [(0, rec(held=9.0, completed=False))]
    assert ended(events) == ["completed"]  # ran to its end; the hold itself is not done


def test_stop_in_time_added_records_the_hold_completed_but_the_session_stopped():
    engine = SessionEngine(plan_of(Step("alpha", 10)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 6)
    engine.add_time(T0 + 6)
    events = engine.stop(T0 + 17)
    assert finished(events) == [(0, rec(held=12.0, completed=True))]
    assert ended(events) == ["stopped"]


def test_routine_progress_does_not_run_ahead_in_time_added():
    engine = SessionEngine(plan_of(Step("alpha", 10, reps=2, rest_seconds=5)), Timings(5, 5))
    engine.start(T0)
    engine.tick(T0 + 10)
    # Planned: 5 get ready + 10 hold + 5 rest + 10 hold = 30 s; 10 s gone.
    assert engine.snapshot(T0 + 10).routine_progress == pytest.approx(10 / 30)
    engine.add_time(T0 + 10)
    engine.tick(T0 + 20)  # 15 s into a hold of 10 + 10
    snap = engine.snapshot(T0 + 20)
    assert snap.routine_seconds_left == 5 + 5 + 10
    # The added time pushes the end back, so the bar must not run ahead of it.
    assert snap.phase is HOLD and snap.routine_progress == pytest.approx(10 / 30)
