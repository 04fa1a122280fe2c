"""The recorder's safety operations, with no UI: a problem reported with `!`, a rating after a step, a stretch
shortened or left out; each on disk at once, through a full disk, a hang-up and a resume."""

from __future__ import annotations

import errno
import json
from datetime import datetime, timezone

import pytest

from tests.functional.test_full_disk import disk  # noqa: F401 - the fixture that fills the disk
from tui.domain.clock import FakeClock
from tui.domain.plan import Timings
from tui.domain.routines import Routine, Step
from tui.domain.sessions import ProblemReport, StepRating
from tui.storage.recorder import SessionRecorder

TIMINGS = Timings(get_ready_seconds=5, switch_seconds=5)
UTC = timezone.utc


@pytest.fixture
def routine(store) -> Routine:
    """Pelvic tilt (2 x 4 s, 1 s rest), cat-cow... no: prayer pose 6 s, then pelvic tilt again (4 s)."""
    return store.routines.save(Routine("", "Repeats", (
        Step("pelvic-tilt", 4, reps=2, rest_seconds=1),
        Step("prayer-pose", 6),
        Step("pelvic-tilt", 4),
    )))


def header(recorder: SessionRecorder) -> dict:
    """The session's file header, as another process reads it."""
    return json.loads(recorder.active.path.read_text())["session"]["1"]


def through_first_step(recorder: SessionRecorder, clock: FakeClock) -> None:
    """Start, and run to the end of step 1 (5 s get ready, 4 s, 1 s rest, 4 s)."""
    recorder.start()
    clock.advance(14)
    recorder.tick()


def test_a_reported_problem_is_on_disk_with_its_time_and_stops_the_session(store, clock, routine):
    recorder = SessionRecorder.begin(store, clock, routine, TIMINGS, pain_before=5)
    recorder.start()
    clock.advance(7)
    recorder.tick()
    events = recorder.report_problem("other", "  my foot went numb  ")
    assert recorder.engine.finished and recorder.engine.status == "stopped"
    assert events and recorder.engine.hold_records()[0].held_seconds == 2.0  # the hold under way is kept
    assert header(recorder)["events"] == [{"at": clock.now().isoformat(timespec="seconds"), "kind": "other",
                                           "note": "my foot went numb"}]
    session = recorder.finish()
    assert session.status == "stopped"
    assert session.events == (ProblemReport(clock.now(), "other", "my foot went numb"),)
    assert store.journal.get(session.id).events == session.events


def test_report_problem_refuses_an_unknown_kind_and_records_nothing(store, clock, routine):
    recorder = SessionRecorder.begin(store, clock, routine, TIMINGS)
    recorder.start()
    with pytest.raises(ValueError, match="kind must be one of sharp-pain"):
        recorder.report_problem("cramp")
    assert not recorder.engine.finished and header(recorder)["events"] == []


def test_ratings_are_kept_one_per_step_and_a_hang_up_keeps_them(store, clock, routine):
    recorder = SessionRecorder.begin(store, clock, routine, TIMINGS, rate_steps=True)
    through_first_step(recorder, clock)
    assert recorder.unrated is not None and recorder.unrated.step_index == 0
    assert recorder.engine.paused
    with pytest.raises(ValueError, match="from 0 to 10"):
        recorder.rate_step(0, 11)
    assert recorder.rate_step(0, 4) is None  # below 6: nothing to offer
    change = recorder.rate_step(0, 6)  # changed their mind: one rating a step
    assert change is not None and change.offered and (change.exercise, change.holds_to_come) == ("pelvic-tilt", 1)
    assert header(recorder)["step_ratings"] == [{"step": 1, "exercise": "pelvic-tilt", "discomfort": 6}]
    recorder.carry_on()
    assert recorder.unrated is None and not recorder.engine.paused
    recorder.interrupt()  # a hang-up
    [found] = store.active.interrupted()
    assert found.session.step_ratings == (StepRating(1, "pelvic-tilt", 6),)


def test_a_stretch_left_out_and_one_shortened_stay_so_after_a_resume(store, clock, routine):
    recorder = SessionRecorder.begin(store, clock, routine, TIMINGS, rate_steps=True)
    through_first_step(recorder, clock)
    recorder.rate_step(0, 8)
    assert recorder.holds_to_come("pelvic-tilt") == 1 and recorder.holds_to_come("prayer-pose") == 1
    recorder.shorten_stretch("prayer-pose")
    recorder.leave_out_stretch("pelvic-tilt")
    assert header(recorder)["stretch_changes"] == {"shortened": ["prayer-pose"], "left_out": ["pelvic-tilt"]}
    recorder.interrupt()

    later = FakeClock(start=datetime(2026, 1, 5, 9, tzinfo=UTC))
    resumed = SessionRecorder.resume(store, later, recorder.session.id, TIMINGS, rate_steps=True)
    assert resumed is not None and resumed.engine.index == 2
    resumed.start()
    later.advance(5 + 4)  # get ready, then prayer pose: 4 s now, not 6
    resumed.tick()
    # The last step (pelvic tilt again) is left out: the session is over, with nothing to ask about it.
    assert resumed.engine.finished and resumed.unrated is not None and resumed.unrated.exercise == "prayer-pose"
    session = resumed.finish()
    assert [(h.exercise, h.planned_seconds, h.held_seconds, h.completed) for h in session.holds] == [
        ("pelvic-tilt", 4, 4.0, True), ("pelvic-tilt", 4, 4.0, True),
        ("prayer-pose", 6, 4.0, False),  # shortened: cut short against the routine's plan
        ("pelvic-tilt", 4, 0.0, False),  # left out: skipped
    ]
    assert session.step_ratings == (StepRating(1, "pelvic-tilt", 8),)
    assert session.status == "completed"  # it ran to its end; the holds say what was cut short or left out


def test_with_the_disk_full_a_problem_and_a_rating_wait_in_memory_and_reach_the_disk_later(store, clock, routine,
                                                                                          disk):  # noqa: F811
    recorder = SessionRecorder.begin(store, clock, routine, TIMINGS, rate_steps=True)
    through_first_step(recorder, clock)
    disk.failing = errno.ENOSPC
    recorder.rate_step(0, 3)
    recorder.carry_on()
    recorder.report_problem("dizziness")
    assert not recorder.saved and header(recorder)["events"] == [] and header(recorder)["step_ratings"] == []
    disk.failing = None
    assert recorder.retry()
    assert [e["kind"] for e in header(recorder)["events"]] == ["dizziness"]
    assert header(recorder)["step_ratings"] == [{"step": 1, "exercise": "pelvic-tilt", "discomfort": 3}]
    session = recorder.finish()
    assert store.journal.get(session.id).events[0].kind == "dizziness"
