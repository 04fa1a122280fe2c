"""Per-exercise discomfort from the step ratings: averages, the trend (last 5 against the 5 before), the
traffic-light bands, and the count of problems reported with `!`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tui.domain.discomfort import (
    BANDS,
    CARRY_ON,
    CHANGE_FROM,
    LEAVE_OUT,
    SHORTEN,
    band_for,
    discomfort_by_exercise,
    problem_counts,
    stretch_change,
    times,
)
from tui.domain.sessions import ProblemReport, Session, StepRating
from tui.domain.warning_signs import PROBLEM_KINDS

START = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)


def session(day: int, *ratings: tuple[str, int], events: tuple[str, ...] = ()) -> Session:
    """A session on day `day`, its steps rated in order, with problems of `events` kinds."""
    began = START + timedelta(days=day)
    return Session(
        id=f"d{day}", routine_id="r", routine_name="R", started_at=began, ended_at=began, status="completed",
        holds_planned=10, step_ratings=tuple(StepRating(i + 1, ex, value) for i, (ex, value) in enumerate(ratings)),
        events=tuple(ProblemReport(began, kind) for kind in events),
    )


@pytest.mark.parametrize(("value", "band"), [
    (0, "ok"), (3, "ok"), (3.49, "ok"), (3.5, "watch"), (4, "watch"), (5, "watch"), (5.49, "watch"),
    (5.5, "change"), (6, "change"), (10, "change"),
])
def test_bands_follow_the_traffic_light_an_average_rounded_half_up(value, band):
    assert band_for(value).id == band


def test_the_bands_cover_0_to_10_without_a_gap_and_6_is_where_the_offer_starts():
    assert [(b.low, b.high) for b in BANDS] == [(0, 3), (4, 5), (6, 10)]
    assert CHANGE_FROM == 6


def test_average_and_trend_per_exercise_in_the_order_sessions_happened():
    # Given newest first, as the journal lists them: the figures go by when each session happened.
    hamstring = [8, 7, 7, 6, 7, 5, 4, 4, 3, 4]  # oldest to newest: 7.0 in the first five, 4.0 in the last five
    sessions = [session(day, ("hamstring-stretch", value), ("pelvic-tilt", 2)) for day, value in enumerate(hamstring)]
    figures = {f.exercise: f for f in discomfort_by_exercise(reversed(sessions))}
    ham = figures["hamstring-stretch"]
    assert (ham.ratings, ham.average, ham.recent, ham.earlier, ham.latest) == (10, 5.5, 4.0, 7.0, 4)
    assert ham.trend == "easing" and ham.band.id == "watch"
    tilt = figures["pelvic-tilt"]
    assert (tilt.average, tilt.recent, tilt.earlier, tilt.trend, tilt.band.id) == (2.0, 2.0, 2.0, "steady", "ok")


def test_rising_steady_and_no_trend_yet():
    rising = [session(day, ("a", value)) for day, value in enumerate([2, 2, 2, 2, 2, 3, 3, 3, 3, 3])]
    [a] = discomfort_by_exercise(rising)
    assert (a.earlier, a.recent, a.trend) == (2.0, 3.0, "rising")
    almost = [session(day, ("a", value)) for day, value in enumerate([2, 2, 2, 2, 2, 3, 3, 3, 3, 2])]
    assert discomfort_by_exercise(almost)[0].trend == "steady"  # 2.8 against 2.0: less than a point
    few = [session(day, ("a", value)) for day, value in enumerate([6, 7, 7])]
    [a] = discomfort_by_exercise(few)
    assert (a.recent, a.earlier, a.trend, a.band.id) == (pytest.approx(20 / 3), None, None, "change")


def test_only_ten_ratings_count_for_the_trend_and_a_short_earlier_run_still_compares():
    values = [10, 10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]  # 13 ratings: the first three are past both windows
    [a] = discomfort_by_exercise([session(day, ("a", v)) for day, v in enumerate(values)])
    assert (a.earlier, a.recent, a.trend) == (1.0, 1.0, "steady")
    six = [session(day, ("a", v)) for day, v in enumerate([9, 2, 2, 2, 2, 2])]
    assert discomfort_by_exercise(six)[0].earlier == 9.0  # one rating before the last five


def test_two_steps_of_one_stretch_in_a_session_count_in_step_order():
    figures = {f.exercise: f for f in discomfort_by_exercise([session(0, ("a", 1), ("b", 5), ("a", 9))])}
    assert (figures["a"].ratings, figures["a"].latest, figures["a"].average) == (2, 9, 5.0)


def test_the_stretch_that_hurts_most_now_comes_first():
    sessions = [session(0, ("calm", 1), ("sore", 7), ("middle", 4))]
    assert [f.exercise for f in discomfort_by_exercise(sessions)] == ["sore", "middle", "calm"]
    assert discomfort_by_exercise([]) == ()


def test_problem_counts_every_kind_in_order():
    counts = problem_counts([session(0, events=("dizziness", "leg-pain")), session(1, events=("leg-pain",)),
                             session(2)])
    assert list(counts) == list(PROBLEM_KINDS)
    assert counts == {"sharp-pain": 0, "numbness": 0, "leg-pain": 2, "dizziness": 1, "other": 0}


# -- what the `!` key asks and says, for every front end (the hold screen and plain mode) ---------


def test_every_kind_has_its_own_key_and_advice_text_with_the_emergency_signs_first():
    from tui.domain.warning_signs import NOT_A_DIAGNOSIS, PROBLEM_KEYS, advice_for, problem_advice_text, tiers_to_check

    assert list(PROBLEM_KEYS) == list(PROBLEM_KINDS)
    assert len(set(PROBLEM_KEYS.values())) == len(PROBLEM_KEYS)
    for kind in PROBLEM_KINDS:
        advice = advice_for(kind)
        tiers = tiers_to_check(advice)
        assert tiers[0].id == "emergency"
        assert [s for t in tiers for s in t.signs] == list(advice.signs)  # each sign once, under its own tier
        text = problem_advice_text(kind)
        places = [text.index(f"{t.title}: {t.action}") for t in tiers]
        assert places == sorted(places)
        assert text.index("First: do you also have any of these?") < places[0]
        assert places[-1] < text.index(advice.advice) < text.index(NOT_A_DIAGNOSIS)
        assert text.startswith(f"You reported {advice.label}")
    with pytest.raises(KeyError):
        problem_advice_text("broken-toe")


# -- what a rating brings during a session: the one rule the app and plain mode both ask -------------------


def waiting_after_first_step():
    """alpha 30 s, beta 10 s, alpha 9 s twice: the engine waits for the rating of step 0 (alpha)."""
    from tui.domain.engine import SessionEngine
    from tui.domain.exercises import Exercise
    from tui.domain.plan import Timings, expand
    from tui.domain.routines import Routine, Step

    exercises = {e.id: e for e in (Exercise("alpha", "Alpha Stretch", "Do alpha."), Exercise("beta", "Beta", "Do beta."))}
    routine = Routine("r", "R", (Step("alpha", 30), Step("beta", 10), Step("alpha", 9, reps=2, rest_seconds=5)))
    engine = SessionEngine(expand(routine, exercises), Timings(5, 5))
    engine.rate_steps = True
    engine.start(1000.0)
    engine.tick(1035.0)  # 0-5 get ready, 5-35 alpha: step 0 done
    assert engine.awaiting_rating is not None and engine.awaiting_rating.step_index == 0
    return engine


@pytest.mark.parametrize("rating", [0, 3, 5])
def test_below_six_a_rating_brings_nothing(rating):
    assert stretch_change(waiting_after_first_step(), 0, rating, 1036.0) is None


def test_at_six_or_more_a_stretch_that_comes_again_is_offered_a_change_in_these_words():
    change = stretch_change(waiting_after_first_step(), 0, 6, 1036.0)
    assert change is not None and change.offered
    assert (change.exercise, change.exercise_name, change.rating, change.holds_to_come) == ("alpha", "Alpha Stretch", 6, 2)
    assert (change.seconds, change.shorter) == (9, 6)  # its next hold, not the one just done (30 s)
    assert change.question == "6 out of 10: change that stretch?"
    assert change.why == "At 6 or more, a stretch should be changed or left out for now."
    assert change.comes_again == "comes twice more in this session."
    assert change.choices == ((SHORTEN, "shorten it: hold 6 s instead of 9 s"),
                              (LEAVE_OUT, "leave it out for the rest of this session"),
                              (CARRY_ON, "carry on as planned"))
    assert change.done(SHORTEN) == "Alpha Stretch is shorter from now on."
    assert change.done(LEAVE_OUT) == "Alpha Stretch is left out from now on."
    assert change.done(CARRY_ON) == ""


def test_at_six_or_more_a_stretch_that_does_not_come_again_gets_advice_for_next_time():
    engine = waiting_after_first_step()
    engine.carry_on(1036.0)
    engine.tick(1051.0)  # 36-41 get ready, 41-51 beta: step 1 done, and beta is not in the routine again
    change = stretch_change(engine, 1, 10, 1052.0)
    assert change is not None and not change.offered
    assert (change.holds_to_come, change.seconds) == (0, 0)
    assert change.next_time == "Beta: 10 of 10. Next time, shorten it or leave it out (edit the routine)."


def test_a_stretch_already_left_out_is_not_offered_again():
    engine = waiting_after_first_step()
    engine.leave_out_stretch("alpha", 1036.0)
    change = stretch_change(engine, 0, 8, 1037.0)
    assert change is not None and not change.offered


@pytest.mark.parametrize(("count", "said"), [(1, "once more"), (2, "twice more"), (3, "3 more times")])
def test_how_often_a_stretch_comes_again_is_said_in_words(count, said):
    assert times(count) == said
