"""Progression rules on made-up journals: step up within the ranges, ease off, one change at a time."""

from datetime import datetime, timedelta, timezone

import pytest

from tui.domain.exercises import Exercise
from tui.domain.progression import applied, suggest
from tui.domain.routines import Routine, Step
from tui.domain.sessions import HoldRecord, ProblemReport, Session, StepRating

HAMSTRING = Exercise("hamstring-stretch", "Hamstring Stretch", "Reach.", hold_range=(15, 20), reps_range=(5, 8))
TILT = Exercise("pelvic-tilt", "Pelvic Tilt", "Tilt.", hold_range=(10, 10), reps_range=(1, None))
EXERCISES = {e.id: e for e in (HAMSTRING, TILT)}
START = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


def routine(*steps: Step, routine_id: str = "mine") -> Routine:
    return Routine(routine_id, "Mine", tuple(steps))


def run(routine: Routine, day: int, status: str = "completed", pain: tuple[int | None, int | None] = (4, 3),
        ratings: dict[int, int] | None = None, events: int = 0) -> Session:
    """A session of `routine` on day `day`, every hold as planned, rated as `ratings` says (step -> 0-10)."""
    holds = tuple(
        HoldRecord(step.exercise, side, rep, step.hold_seconds, step.hold_seconds, True)
        for step in routine.steps for rep in range(1, step.reps + 1) for side in step.side_order())
    started = START + timedelta(days=day)
    return Session(
        id=f"s{day}", routine_id=routine.id, routine_name=routine.name, started_at=started,
        ended_at=started + timedelta(minutes=10), status=status, holds_planned=len(holds), holds=holds,
        pain_before=pain[0], pain_after=pain[1],
        step_ratings=tuple(StepRating(n, routine.steps[n - 1].exercise, d) for n, d in (ratings or {}).items()),
        events=tuple(ProblemReport(started, "sharp-pain") for _ in range(events)))


def test_three_calm_completed_sessions_offer_five_seconds_more_hold():
    mine = routine(Step("hamstring-stretch", 15, 5, 10, "both"))
    journal = [run(mine, day, ratings={1: 2}) for day in range(3)]
    offer = suggest(mine, EXERCISES, journal)
    assert offer is not None
    assert (offer.kind, offer.step, offer.field, offer.before, offer.after) == ("step up", 1, "hold_seconds", 15, 20)
    assert "last 3 sessions were completed" in offer.reason and "pain did not rise" in offer.reason
    assert offer.change == "Hamstring Stretch: 15 → 20 s hold"


def test_hold_at_the_top_steps_up_one_rep_and_stops_at_the_top_of_the_reps():
    at_top_hold = routine(Step("hamstring-stretch", 20, 5, 10, "both"))
    offer = suggest(at_top_hold, EXERCISES, [run(at_top_hold, d) for d in range(3)])
    assert offer is not None and (offer.field, offer.before, offer.after) == ("reps", 5, 6)
    at_top = routine(Step("hamstring-stretch", 20, 8, 10, "both"))
    assert suggest(at_top, EXERCISES, [run(at_top, d) for d in range(3)]) is None


def test_a_hold_step_up_never_passes_the_top_of_the_range():
    nearly = routine(Step("hamstring-stretch", 18, 5, 10, "both"))
    offer = suggest(nearly, EXERCISES, [run(nearly, d) for d in range(3)])
    assert offer is not None and (offer.field, offer.after) == ("hold_seconds", 20)


def test_as_needed_reps_step_up_one_at_a_time():
    tilt = routine(Step("pelvic-tilt", 10, 10, 5))
    offer = suggest(tilt, EXERCISES, [run(tilt, d) for d in range(3)])
    assert offer is not None and (offer.field, offer.before, offer.after) == ("reps", 10, 11)


@pytest.mark.parametrize("spoiler", [
    "two sessions only", "one stopped", "discomfort 4", "pain rose during one",
    "pain before rose from the first to the last", "a problem reported", "another routine",
])
def test_no_step_up_unless_every_condition_holds(spoiler):
    mine = routine(Step("hamstring-stretch", 15, 5, 10, "both"))
    journal = [run(mine, day, ratings={1: 3}) for day in range(3)]
    if spoiler == "two sessions only":
        journal = journal[1:]
    elif spoiler == "one stopped":
        journal[1] = run(mine, 1, status="stopped")
    elif spoiler == "discomfort 4":
        journal[2] = run(mine, 2, ratings={1: 4})
    elif spoiler == "pain rose during one":
        journal[0] = run(mine, 0, pain=(3, 5))
    elif spoiler == "pain before rose from the first to the last":
        journal[2] = run(mine, 2, pain=(6, 6))
    elif spoiler == "a problem reported":
        journal[1] = run(mine, 1, events=1)
    elif spoiler == "another routine":
        other = routine(Step("hamstring-stretch", 15, 5, 10, "both"), routine_id="other")
        journal[0] = run(other, 0)
    assert suggest(mine, EXERCISES, journal) is None


def test_unrated_stretches_and_skipped_pain_do_not_stop_a_step_up():
    mine = routine(Step("hamstring-stretch", 15, 5, 10, "both"))
    journal = [run(mine, day, pain=(None, None)) for day in range(3)]
    offer = suggest(mine, EXERCISES, journal)
    assert offer is not None and offer.kind == "step up" and "felt" not in offer.reason


def test_only_the_last_three_count_and_only_at_the_present_level():
    before = routine(Step("hamstring-stretch", 15, 5, 10, "both"))
    after = routine(Step("hamstring-stretch", 20, 5, 10, "both"))
    # A bad session long ago does not matter; sessions at the old hold do not count for the new one.
    journal = [run(before, 0, status="stopped")] + [run(before, d) for d in range(1, 4)]
    assert suggest(before, EXERCISES, journal).after == 20
    assert suggest(after, EXERCISES, journal) is None
    journal += [run(after, d) for d in range(4, 7)]
    offer = suggest(after, EXERCISES, journal)
    assert offer is not None and (offer.field, offer.after) == ("reps", 6)


def test_rated_six_twice_in_a_row_eases_off_reps_first_toward_the_bottom():
    mine = routine(Step("pelvic-tilt", 10, 3, 5), Step("hamstring-stretch", 20, 7, 10, "both"))
    journal = [run(mine, 0, ratings={2: 7}), run(mine, 1, ratings={2: 6})]
    offer = suggest(mine, EXERCISES, journal)
    assert offer is not None
    assert (offer.kind, offer.step, offer.field, offer.before, offer.after) == ("ease off", 2, "reps", 7, 6)
    assert "7 and 6 out of 10" in offer.reason


def test_ease_off_shortens_the_hold_once_the_reps_are_at_the_bottom_and_stops_there():
    low_reps = routine(Step("hamstring-stretch", 20, 5, 10, "both"))
    offer = suggest(low_reps, EXERCISES, [run(low_reps, d, ratings={1: 8}) for d in range(2)])
    assert offer is not None and (offer.field, offer.after) == ("hold_seconds", 15)
    bottom = routine(Step("hamstring-stretch", 15, 5, 10, "both"))
    assert suggest(bottom, EXERCISES, [run(bottom, d, ratings={1: 8}) for d in range(2)]) is None


def test_one_high_rating_or_two_apart_do_not_ease_off():
    mine = routine(Step("hamstring-stretch", 20, 7, 10, "both"))
    assert suggest(mine, EXERCISES, [run(mine, 0, ratings={1: 9})]) is None
    journal = [run(mine, 0, ratings={1: 7}), run(mine, 1, ratings={1: 2}), run(mine, 2, ratings={1: 6})]
    assert suggest(mine, EXERCISES, journal) is None


def test_ease_off_comes_before_a_step_up_of_another_step():
    mine = routine(Step("pelvic-tilt", 10, 3, 5), Step("hamstring-stretch", 20, 7, 10, "both"))
    journal = [run(mine, d, ratings={1: 1, 2: 6}) for d in range(3)]
    offer = suggest(mine, EXERCISES, journal)
    assert offer is not None and (offer.kind, offer.step) == ("ease off", 2)


def test_applied_changes_one_step_and_refuses_a_stale_suggestion():
    mine = routine(Step("pelvic-tilt", 10, 3, 5), Step("hamstring-stretch", 15, 5, 10, "both"))
    offer = suggest(mine, EXERCISES, [run(mine, d) for d in range(3)])
    assert offer is not None and offer.step == 1 and offer.field == "reps"
    changed = applied(mine, offer)
    assert changed.steps[0].reps == 4 and changed.steps[1] == mine.steps[1]
    with pytest.raises(ValueError):
        applied(changed, offer)
