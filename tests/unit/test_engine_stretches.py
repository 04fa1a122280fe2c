"""The engine's part in asking how each stretch felt: the wait after a step, and shortening or leaving out
a stretch for the rest of the session. Driven by explicit monotonic times; each timeline worked out by hand."""

from __future__ import annotations

import pytest

from tui.domain.engine import HoldFinished, PhaseStarted, SessionEnded, SessionEngine, StepDone, shortened_seconds
from tui.domain.exercises import Exercise
from tui.domain.plan import Phase, Timings, expand
from tui.domain.routines import Routine, Step
from tui.domain.sessions import HoldRecord

ALPHA = Exercise("alpha", "Alpha", "Do alpha.")
BETA = Exercise("beta", "Beta", "Do beta.")
EXERCISES = {e.id: e for e in (ALPHA, BETA)}
T0 = 1000.0

GR, HOLD, SW, REST, DONE = Phase.GET_READY, Phase.HOLD, Phase.SWITCH, Phase.REST, Phase.DONE


def engine_of(*steps: Step, rate: bool = True, timings: Timings = Timings(5, 5)) -> SessionEngine:
    """An engine for a routine of `steps` that waits for a rating after each step when `rate`."""
    engine = SessionEngine(expand(Routine("r", "R", tuple(steps)), EXERCISES), timings)
    engine.rate_steps = rate
    return engine


def phases(events):
    return [(e.phase, e.index, e.at) for e in events if isinstance(e, PhaseStarted)]


def steps_done(events):
    return [(e.step_index, e.exercise, e.at) for e in events if isinstance(e, StepDone)]


def finished(events):
    return [(e.index, e.record) for e in events if isinstance(e, HoldFinished)]


def ended(events):
    return [e.status for e in events if isinstance(e, SessionEnded)]


def rec(exercise, held, planned=10, completed=True, rep=1, side=None):
    return HoldRecord(exercise, side, rep, planned, held, completed)


ALPHA_THEN_BETA = (Step("alpha", 10, reps=2, rest_seconds=5), Step("beta", 10))
"""0-5 get ready, 5-15 alpha 1, 15-20 rest, 20-30 alpha 2 (step 0 done), then get ready and beta."""


# -- the wait after a step --------------------------------------------------------


def test_a_finished_step_waits_for_its_rating_and_the_next_lead_in_starts_whole_at_carry_on():
    engine = engine_of(*ALPHA_THEN_BETA)
    events = engine.start(T0) + engine.tick(T0 + 29.9)
    assert steps_done(events) == []  # a rep of a step is not the step's end
    events = engine.tick(T0 + 40)  # the tick comes late: the question still begins at the hold's end
    assert finished(events) == [(1, rec("alpha", 10.0, rep=2))]
    assert steps_done(events) == [(0, "alpha", T0 + 30)]
    assert phases(events) == []  # the get-ready is announced when it really begins
    assert engine.awaiting_rating == StepDone(0, "alpha", T0 + 30)
    assert engine.paused and engine.index == 2
    snap = engine.snapshot(T0 + 100)
    assert (snap.phase, snap.seconds_left) == (GR, 5.0)  # nothing of the lead-in has run
    assert engine.tick(T0 + 500) == []  # the clock waits however long the question is open

    events = engine.carry_on(T0 + 500)
    assert phases(events) == [(GR, 2, T0 + 500)] and not engine.paused and engine.awaiting_rating is None
    assert phases(engine.tick(T0 + 505)) == [(HOLD, 2, T0 + 505)]
    events = engine.tick(T0 + 515)
    assert steps_done(events) == [(1, "beta", T0 + 515)]  # the last step too, just before the end
    assert ended(events) == ["completed"] and engine.awaiting_rating is None  # nothing is left to wait for


def test_without_ratings_a_step_end_is_reported_but_the_session_runs_straight_on():
    engine = engine_of(*ALPHA_THEN_BETA, rate=False)
    events = engine.start(T0) + engine.tick(T0 + 10_000)
    assert steps_done(events) == [(0, "alpha", T0 + 30), (1, "beta", T0 + 45)]
    assert phases(events)[-3:] == [(GR, 2, T0 + 30), (HOLD, 2, T0 + 35), (DONE, 2, T0 + 45)]
    assert engine.awaiting_rating is None and ended(events) == ["completed"]


def test_a_step_skipped_without_holding_is_not_asked_about():
    engine = engine_of(Step("alpha", 10), Step("beta", 10))
    engine.start(T0)
    events = engine.skip(T0 + 1)  # from the get-ready: the whole hold is skipped, in one press
    assert finished(events) == [(0, rec("alpha", 0.0, completed=False))]
    assert steps_done(events) == [] and engine.awaiting_rating is None
    assert phases(events)[-1] == (GR, 1, T0 + 1)


def test_a_step_cut_short_by_skip_is_asked_about_and_a_users_pause_outlasts_the_question():
    engine = engine_of(*ALPHA_THEN_BETA)
    engine.start(T0)
    engine.tick(T0 + 25)  # 5 s into alpha 2
    engine.pause(T0 + 25)
    events = engine.skip(T0 + 60)  # skipped while paused: 5 s held
    assert finished(events) == [(1, rec("alpha", 5.0, rep=2, completed=False))]
    assert steps_done(events) == [(0, "alpha", T0 + 25)]
    events = engine.carry_on(T0 + 90)
    assert phases(events) == [(GR, 2, T0 + 90)]
    assert engine.paused  # the user paused: the answer does not start the clock
    assert engine.snapshot(T0 + 200).seconds_left == 5.0
    assert phases(engine.resume(T0 + 200) + engine.tick(T0 + 205)) == [(HOLD, 2, T0 + 205)]


def test_stop_while_waiting_ends_the_session_without_recording_more():
    engine = engine_of(*ALPHA_THEN_BETA)
    engine.start(T0)
    engine.tick(T0 + 30)
    assert engine.awaiting_rating is not None
    events = engine.stop(T0 + 31)
    assert finished(events) == [] and ended(events) == ["stopped"]
    assert engine.awaiting_rating is None and len(engine.hold_records()) == 2


# -- shortening a stretch ----------------------------------------------------------


@pytest.mark.parametrize(("planned", "shorter"), [(30, 20), (20, 13), (10, 7), (3, 2), (2, 1), (1, 1), (600, 400)])
def test_shortened_seconds_is_a_third_off_and_never_below_a_second(planned, shorter):
    assert shortened_seconds(planned) == shorter


def test_shortening_a_stretch_shortens_its_holds_still_ahead_and_records_them_cut_short():
    # alpha, beta, alpha: the third step repeats the stretch rated in the first.
    engine = engine_of(Step("alpha", 30), Step("beta", 10), Step("alpha", 30, reps=2, rest_seconds=5))
    engine.start(T0)
    engine.tick(T0 + 35)  # 0-5 get ready, 5-35 alpha: step 0 done
    assert engine.holds_to_come("alpha", T0 + 35) == 2
    assert engine.holds_to_come("beta", T0 + 35) == 1
    engine.shorten_stretch("alpha", T0 + 36)
    events = engine.carry_on(T0 + 36) + engine.tick(T0 + 51)  # 36-41 get ready, 41-51 beta
    assert steps_done(events) == [(1, "beta", T0 + 51)]
    events = engine.carry_on(T0 + 60) + engine.tick(T0 + 10_000)
    # 60-65 get ready, 65-85 alpha (20 s, not 30), 85-90 rest, 90-110 alpha
    assert phases(events) == [(GR, 2, T0 + 60), (HOLD, 2, T0 + 65), (REST, 3, T0 + 85), (HOLD, 3, T0 + 90),
                              (DONE, 3, T0 + 110)]
    assert finished(events) == [(2, rec("alpha", 20.0, planned=30, completed=False, rep=1)),
                                (3, rec("alpha", 20.0, planned=30, completed=False, rep=2))]
    assert engine.hold_records()[0] == rec("alpha", 30.0, planned=30)  # the hold before the change is as it was
    assert ended(events) == ["completed"]  # ran to its end; the shortened holds say they were cut short


def test_shortening_a_hold_begun_this_instant_shortens_it_too():
    engine = engine_of(Step("alpha", 30), timings=Timings(0, 0))
    engine.start(T0)
    assert engine.phase is HOLD
    engine.shorten_stretch("alpha", T0)
    assert engine.snapshot(T0).seconds_left == 20.0
    assert finished(engine.tick(T0 + 20)) == [(0, rec("alpha", 20.0, planned=30, completed=False))]


def test_shortening_leaves_a_hold_under_way_alone():
    engine = engine_of(Step("alpha", 30, reps=2), rate=False, timings=Timings(0, 0))
    engine.start(T0)
    engine.shorten_stretch("alpha", T0 + 1)
    assert engine.snapshot(T0 + 1).seconds_left == 29.0
    assert finished(engine.tick(T0 + 30)) == [(0, rec("alpha", 30.0, planned=30))]
    assert finished(engine.tick(T0 + 50)) == [(1, rec("alpha", 20.0, planned=30, completed=False, rep=2))]


def test_a_shortened_hold_held_for_its_whole_plan_with_added_time_counts_as_completed():
    engine = engine_of(Step("alpha", 30), timings=Timings(0, 0))
    engine.start(T0)
    engine.shorten_stretch("alpha", T0)
    engine.add_time(T0 + 1)  # 20 + 10 = 30 s: the routine's plan after all
    assert finished(engine.tick(T0 + 30)) == [(0, rec("alpha", 30.0, planned=30))]
    assert engine.status == "completed"


# -- leaving a stretch out ----------------------------------------------------------


def test_leaving_a_stretch_out_records_its_holds_ahead_as_skipped_and_goes_on_with_the_rest():
    engine = engine_of(Step("alpha", 10), Step("alpha", 10, reps=2, rest_seconds=5), Step("beta", 10))
    engine.start(T0)
    engine.tick(T0 + 15)  # 0-5 get ready, 5-15 alpha: step 0 done, waiting
    assert engine.holds_to_come("alpha", T0 + 15) == 2
    engine.leave_out_stretch("alpha", T0 + 16)
    assert engine.holds_to_come("alpha", T0 + 16) == 0
    assert engine.snapshot(T0 + 16).routine_seconds_left == 15.0  # only beta's get-ready and hold are ahead
    events = engine.carry_on(T0 + 20)
    assert finished(events) == [(1, rec("alpha", 0.0, completed=False)),
                                (2, rec("alpha", 0.0, completed=False, rep=2))]
    assert steps_done(events) == []  # nothing of a left-out step is held: nothing to ask
    assert phases(events) == [(GR, 3, T0 + 20)]  # straight to beta's get-ready
    events = engine.tick(T0 + 35)
    assert finished(events) == [(3, rec("beta", 10.0))]
    assert ended(events) == ["completed"]  # ran to its end; the skipped holds are not completed
    assert [r.completed for r in engine.hold_records()] == [True, False, False, True]


def test_leaving_out_the_last_stretch_ends_the_session_at_the_answer():
    engine = engine_of(Step("alpha", 10), Step("beta", 10))
    engine.start(T0)
    engine.tick(T0 + 15)
    engine.leave_out_stretch("beta", T0 + 16)
    events = engine.carry_on(T0 + 16)
    assert finished(events) == [(1, rec("beta", 0.0, completed=False))]
    assert phases(events) == [(DONE, 1, T0 + 16)] and ended(events) == ["completed"]


def test_leaving_out_a_stretch_during_its_lead_in_moves_on_at_once():
    engine = engine_of(Step("alpha", 10), Step("beta", 10), rate=False)
    engine.start(T0)
    engine.tick(T0 + 17)  # 15-20 beta's get-ready
    events = engine.leave_out_stretch("beta", T0 + 17)
    assert finished(events) == [(1, rec("beta", 0.0, completed=False))] and ended(events) == ["completed"]


def test_a_resumed_session_goes_on_with_its_stretches_left_out_and_shortened():
    plan = expand(Routine("r", "R", (Step("alpha", 10), Step("beta", 30), Step("alpha", 10))), EXERCISES)
    engine = SessionEngine(plan, Timings(5, 5), records={0: rec("alpha", 10.0)}, start_index=1)
    engine.left_out.add("alpha")
    engine.shorten_stretch("beta", T0)
    events = engine.start(T0) + engine.tick(T0 + 10_000)
    assert phases(events) == [(GR, 1, T0), (HOLD, 1, T0 + 5), (DONE, 2, T0 + 25)]
    assert finished(events) == [(1, rec("beta", 20.0, planned=30, completed=False)),
                                (2, rec("alpha", 0.0, completed=False))]
