"""The words of each moment: numbers in words, sides, plurals, and the written and spoken form of every cue."""

from __future__ import annotations

import pytest

from tui.domain import announce
from tui.domain.cues import Moment
from tui.domain.exercises import Exercise
from tui.domain.plan import Phase, PlannedHold

KNEE_DROP = Exercise(id="side-knee-drop", name="Side Knee Drop", instructions="Lie on your back,\n knees bent.")
TILT = Exercise(id="pelvic-tilt", name="Pelvic Tilt", instructions="")


def hold(exercise: Exercise = KNEE_DROP, side: str | None = "left", seconds: int = 30, rep: int = 1,
         reps: int = 3) -> PlannedHold:
    return PlannedHold(step_index=0, exercise=exercise, side=side, rep=rep, reps=reps, planned_seconds=seconds,
                       rest_seconds=10)


@pytest.mark.parametrize(("number", "words"), [
    (0, "zero"), (1, "one"), (7, "seven"), (13, "thirteen"), (19, "nineteen"), (20, "twenty"), (21, "twenty-one"),
    (45, "forty-five"), (90, "ninety"), (100, "one hundred"), (101, "one hundred one"), (130, "one hundred thirty"),
    (600, "six hundred"), (999, "nine hundred ninety-nine"), (1000, "one thousand"),
    (10_000, "ten thousand"), (86_400, "eighty-six thousand four hundred"), (1_000_001, "one million one"),
    (-3, "minus three"),
])
def test_numbers_in_words(number, words):
    assert announce.number_words(number) == words


def test_counts_agree_with_their_number():
    assert announce.counted(1, "second") == "1 second"
    assert announce.counted(0, "hold") == "0 holds"
    assert announce.counted(2, "rep") == "2 reps"
    assert announce.counted_words(1, "second") == "one second"
    assert announce.counted_words(30, "second") == "thirty seconds"
    assert announce.duration(45) == "45 seconds"
    assert announce.duration(60) == "1 minute"
    assert announce.duration(125) == "2 minutes 5 seconds"
    assert announce.duration(61) == "1 minute 1 second"
    assert announce.duration_words(600) == "ten minutes"
    assert announce.duration_words(90) == "one minute thirty seconds"
    assert announce.duration_words(1) == "one second"


def test_sides_and_names_read_as_phrases():
    assert announce.side_text("left") == "left side"
    assert announce.side_text(None) == ""
    assert announce.sentence_case("Side Knee Drop") == "Side knee drop"
    assert announce.sentence_case("Cat-Cow Stretch") == "Cat-Cow stretch"  # the first word as it is written
    assert announce.sentence_case("Deep Cat-Cow") == "Deep cat-cow"
    assert announce.sentence_case("McKenzie Press-Up") == "McKenzie press-up"  # not "Mckenzie"
    assert announce.sentence_case("Knees to the USA") == "Knees to the USA"


def test_a_hold_starting():
    words = announce.hold_starts(hold(), 1, 25)
    assert words.moment is Moment.HOLD
    assert words.written == "Hold 1 of 25: Side Knee Drop, left side, 30 seconds. Lie on your back, knees bent."
    assert words.spoken == "Side knee drop, left side, thirty seconds"
    assert (words.title, words.body) == ("Hold 1 of 25", "Side Knee Drop, left side, 30 seconds")
    no_sides = announce.hold_starts(hold(TILT, side=None, seconds=1), 2, 2)
    assert no_sides.written == "Hold 2 of 2: Pelvic Tilt, 1 second"  # no instructions: no trailing full stop
    assert no_sides.spoken == "Pelvic tilt, one second"


def test_get_ready_switch_and_rest():
    ready = announce.get_ready(hold(), 5)
    assert (ready.moment, ready.written, ready.spoken) == (
        Moment.GET_READY, "Get ready 5 seconds: Side Knee Drop, left side", "Get ready: Side knee drop, left side.")
    switch = announce.switch_sides(hold(side="right"))
    assert (switch.moment, switch.written, switch.spoken) == (
        Moment.SWITCH, "Switch to the right side", "Switch to the right side")
    assert switch.body == "Side Knee Drop, right side next"
    rest = announce.rest(10, hold(side="left", rep=2))
    assert (rest.moment, rest.written, rest.spoken) == (Moment.REST, "Rest 10 seconds", "Rest, ten seconds")
    assert rest.body == "10 seconds, then Side Knee Drop, left side"
    assert announce.rest(1, hold()).spoken == "Rest, one second"


def test_phase_started_picks_the_words_of_each_phase():
    assert announce.phase_started(Phase.HOLD, hold(), 3, 9, 30).written.startswith("Hold 3 of 9: ")
    assert announce.phase_started(Phase.GET_READY, hold(), 1, 9, 5).moment is Moment.GET_READY
    assert announce.phase_started(Phase.SWITCH, hold(side="right"), 2, 9, 5).moment is Moment.SWITCH
    assert announce.phase_started(Phase.REST, hold(), 2, 9, 7).written == "Rest 7 seconds"
    with pytest.raises(ValueError):
        announce.phase_started(Phase.DONE, hold(), 9, 9, 0)


def test_in_hold_moments_and_time_left():
    count = announce.last_seconds(hold())
    assert (count.moment, count.written, count.spoken) == (Moment.LAST_SECONDS, "3 seconds left", "Three, two, one")
    half = announce.halfway(hold(seconds=25), 12.5)
    assert (half.moment, half.written, half.spoken) == (Moment.HALFWAY, "Halfway: 13 seconds left", "Halfway")
    left = announce.seconds_left(10)
    assert (left.moment, left.written, left.spoken) == (None, "10 seconds left", "ten seconds left")
    assert announce.seconds_left(1).written == "1 second left"


def test_the_end_tells_the_truth():
    done = announce.session_done(25, 25)
    assert (done.moment, done.written, done.spoken) == (Moment.DONE, "Done: 25 of 25 holds", "Done. How is your pain now?")
    assert announce.session_done(1, 1).written == "Done: 1 of 1 hold"
    skipped = announce.session_done(20, 27)  # ran to its end, seven holds skipped
    assert (skipped.title, skipped.body, skipped.written) == ("Done", "20 of 27 holds (7 skipped)",
                                                              "Done: 20 of 27 holds (7 skipped)")
    stopped = announce.session_done(5, 27, stopped=True)
    assert (stopped.title, stopped.written, stopped.spoken) == (
        "Stopped", "Stopped after 5 of 27 holds", "Stopped. How is your pain now?")
