"""Pilot tests of the hold screen's safety net: `!` (something is wrong) in every phase with every kind, and the
question after each step (how did that stretch feel?) with its offer at 6 or more; each checked against what
was stored, what was shown, and the holds that followed.

Time comes from the FakeClock, moved by the helpers of test_session_screens.
"""

from __future__ import annotations

import json

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.textual_view import notifications
from tests.functional.test_session_screens import (  # noqa: F401 - `quick` is a fixture
    QUICK_HOLDS,
    SIZE,
    finish,
    hold_screen,
    only_session,
    quick,
    run_to_end,
    start,
    step_clock,
    until_phase,
)
from tests.functional.test_warning_sign_screens import shown, words
from tui.domain.plan import Phase
from tui.domain.warning_signs import PROBLEM_KINDS, advice_for, tiers_to_check
from tui.ui.screens.hold import HoldScreen
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.pain_checkin import PainCheckIn
from tui.ui.screens.problem_advice import ProblemAdviceScreen
from tui.ui.screens.problem_dialog import KEYS, ProblemDialog
from tui.ui.screens.step_rating import StepRatingDialog
from tui.ui.screens.stretch_offer import StretchOffer
from tui.ui.widgets.fitting_footer import FittingFooter
from tests.functional.test_hold_layout import screen_text

PHASES = {
    "get-ready": (Phase.GET_READY, 0),
    "hold": (Phase.HOLD, 0),
    "rest": (Phase.REST, 1),
    "switch": (Phase.SWITCH, 3),
    "paused": (Phase.HOLD, 1),
}
"""Where in the quick routine each test presses `!`: (phase, hold index)."""

NOTE = "my foot went cold"
"""What the person types after `o` (something else)."""
TYPED_IN = "hold"
"""The phase whose matrix row types NOTE key by key; the others put it in the field at once."""


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys, letting the app settle after each (dialogs open from workers)."""
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    await pilot.pause()


async def report(pilot: Pilot, kind: str, type_note: bool = True) -> None:
    """In the `!` dialog: answer `kind` (for `other`, with NOTE, typed key by key or, with
    `type_note` False, put in the field at once where typing is not what a test is about)."""
    assert isinstance(pilot.app.screen, ProblemDialog)
    await press(pilot, KEYS[kind])
    if kind == "other":
        field = pilot.app.screen.query_one("#problem-note", Input)
        assert field.has_focus
        if type_note:
            await pilot.press(*NOTE)
        else:
            field.value = NOTE
        await press(pilot, "enter")


def check_advice(app, kind: str) -> None:
    """The advice for `kind` is up: the warning signs that can come with it first, most serious tier first."""
    screen = app.screen
    assert isinstance(screen, ProblemAdviceScreen), app.screen_stack
    text = shown(screen)
    advice = advice_for(kind)
    tiers = tiers_to_check(advice)
    assert tiers[0].id == "emergency"  # every kind asks about an emergency sign first
    first = text.index("First: do you also have any of these?")
    places = [text.index(f"{tier.title}: {tier.action}") for tier in tiers]
    assert first < places[0] and places == sorted(places)
    for sign in advice.signs:
        assert words(sign.text) in text
    assert places[-1] < text.index(words(advice.advice))  # what to do otherwise comes after the signs


@pytest.mark.parametrize("where", list(PHASES))
async def test_the_problem_key_in_each_phase_with_each_kind_stops_stores_and_advises(make_test_app, store, clock,
                                                                                    quick, where):
    phase, index = PHASES[where]
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        for number, kind in enumerate(PROBLEM_KINDS, 1):
            screen = await start(pilot, "Quick check")
            await until_phase(pilot, clock, phase, index)
            if where == "paused":
                step_clock(pilot, clock, 0.5)
                await press(pilot, "space")
            elif phase is Phase.HOLD:
                step_clock(pilot, clock, 0.5)  # half a second into the hold
            engine = screen.recorder.engine
            held_before = len(engine.records)
            await press(pilot, "exclamation_mark")
            assert isinstance(app.screen, ProblemDialog) and engine.paused
            clock.advance(30)  # the clock stands still while the person decides
            await report(pilot, kind, type_note=where == TYPED_IN)  # typing it in one phase is enough
            check_advice(app, kind)
            # Stored before the advice shows, as stopped: closing the window now loses nothing.
            stored = store.journal.get(screen.recorder.session.id)
            assert stored.status == "stopped"
            await press(pilot, "enter")
            assert isinstance(app.screen, MenuScreen)  # no pain check-in or note after a problem
            sessions = store.sessions()
            assert len(sessions) == number
            session = sessions[0]
            assert session == stored
            [event] = session.events
            assert (event.kind, event.at) == (kind, clock.now().replace(microsecond=0))  # kept to the second
            assert event.note == (NOTE if kind == "other" else "")
            assert session.pain_after is None and session.step_ratings == ()
            if phase is Phase.HOLD:  # the hold under way is kept, cut short at what was held
                cut = session.holds[index]
                assert (cut.held_seconds, cut.completed) == (0.5, False)
                assert len(session.holds) == held_before + 1
            else:
                assert len(session.holds) == held_before == index


async def test_escape_cancels_and_the_session_goes_on_from_where_it_was(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        await until_phase(pilot, clock, Phase.HOLD, 0)
        step_clock(pilot, clock, 0.5)
        engine = screen.recorder.engine
        await press(pilot, "exclamation_mark")
        clock.advance(20)
        await press(pilot, "o")  # something else: the note line opens
        await press(pilot, "escape")  # back to the choices, not out: one key never resumes by mistake
        assert isinstance(app.screen, ProblemDialog) and not app.screen.asking_for_note
        await press(pilot, "escape")
        assert app.screen is screen and not engine.paused
        assert engine.snapshot(clock.monotonic()).seconds_left == pytest.approx(1.5)  # the 20 s did not count
        # Paused by the user: still paused after escape.
        await press(pilot, "space", "exclamation_mark", "escape")
        assert app.screen is screen and engine.paused
        await press(pilot, "space")
        await run_to_end(pilot, clock)
        await finish(pilot, "2")
    session = only_session(store)
    assert session.status == "completed" and session.events == ()


async def test_problem_key_is_in_the_footer_at_every_width_and_in_help(make_test_app, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "Quick check")
        for width, height in ((120, 40), (80, 24), (60, 16), (40, 12)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            footer = app.screen.query_one(FittingFooter)
            assert ("!", "Problem") in [(item.key_display, item.description) for item in footer.shown], width
            assert "! Problem" in screen_text(app)[footer.region.y], width
        await pilot.resize_terminal(*SIZE)
        await press(pilot, "question_mark")
        assert "something is wrong: pauses, asks what happened" in shown(app.screen)


# -- how each stretch felt -----------------------------------------------------------------------


REPEATS = {
    "format": "backrelief-routine", "version": 1, "name": "Repeats",
    "steps": [
        {"exercise": "hamstring-stretch", "hold_seconds": 3, "reps": 1, "rest_seconds": 0, "sides": "none"},
        {"exercise": "pelvic-tilt", "hold_seconds": 2, "reps": 1, "rest_seconds": 0, "sides": "none"},
        {"exercise": "hamstring-stretch", "hold_seconds": 6, "reps": 2, "rest_seconds": 1, "sides": "none"},
    ],
}
"""A hamstring stretch that comes back in the third step: what the offer at 6 or more changes."""


@pytest.fixture
def rating_on(store):
    """The question after each stretch on, as a new user has it; get-ready and switch 2 s."""
    store.settings.change(rate_stretches=True, get_ready_seconds=2, switch_seconds=2)


@pytest.fixture
def repeats(store, rating_on):
    return store.routines.import_file(json.dumps(REPEATS))


async def until_question(pilot: Pilot, clock, limit: int = 400) -> StepRatingDialog:
    """Let the clock run in half seconds until the question after a step is up.

    The app is let draw only once the session waits for an answer (or has ended): the
    question opens from a worker then. Drawing every half second in between would test
    nothing more and cost a frame each."""
    engine = hold_screen(pilot.app).recorder.engine
    for _ in range(limit):
        if isinstance(pilot.app.screen, StepRatingDialog):
            return pilot.app.screen
        if engine.awaiting_rating is None and not engine.finished:
            step_clock(pilot, clock, 0.5)
        else:
            await pilot.pause()
    raise AssertionError(f"no question; {pilot.app.screen_stack}")


async def test_a_key_rates_each_step_the_next_lead_in_waits_and_the_last_comes_before_pain_after(
        make_test_app, store, clock, quick, rating_on):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        engine = screen.recorder.engine
        dialog = await until_question(pilot, clock)
        assert "Pelvic Tilt" in shown(dialog) and engine.index == 2 and engine.paused
        assert len(engine.records) == 2  # both tilts held before the question
        assert "WAITING FOR YOUR ANSWER" in shown(screen)
        clock.advance(120)  # two minutes to answer: not counted
        screen.tick()
        await pilot.pause()
        assert isinstance(app.screen, StepRatingDialog)
        await press(pilot, "3")
        assert app.screen is screen and not engine.paused
        snap = engine.snapshot(clock.monotonic())
        assert (snap.phase, snap.index, snap.seconds_left) == (Phase.GET_READY, 2, 2.0)  # the lead-in, whole
        dialog = await until_question(pilot, clock)  # after the knee drops: the last step, the session is over
        assert engine.finished and "Side Knee Drop" in shown(dialog)
        assert "The session waits" not in shown(dialog)
        await press(pilot, "t")  # ten
        assert isinstance(app.screen, PainCheckIn)
        told = " ".join(notifications(app))
        assert "Side Knee Drop: 10 of 10. Next time, shorten it or leave it out" in told
        await finish(pilot, "4", "ok")
    session = only_session(store)
    assert [(r.step, r.exercise, r.discomfort) for r in session.step_ratings] == [
        (1, "pelvic-tilt", 3), (2, "side-knee-drop", 10)]
    assert session.status == "completed" and session.pain_after == 4
    assert [(h.exercise, h.side, h.rep) for h in session.holds] == QUICK_HOLDS


async def test_enter_and_escape_skip_the_question(make_test_app, store, clock, quick, rating_on):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "Quick check")
        await until_question(pilot, clock)
        await press(pilot, "enter")
        await until_question(pilot, clock)
        await press(pilot, "escape")
        assert isinstance(app.screen, PainCheckIn)
        await finish(pilot)
    session = only_session(store)
    assert session.step_ratings == () and session.status == "completed"


async def test_with_the_setting_off_nothing_is_asked(make_test_app, store, clock, quick):
    assert not store.settings.load().rate_stretches
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "Quick check")
        await run_to_end(pilot, clock)  # straight to the pain check-in
        await finish(pilot)
    assert only_session(store).step_ratings == ()


async def test_the_setting_is_on_for_a_new_user_and_a_switch_in_settings(make_test_app, store):
    from tui.domain.settings import Settings

    assert Settings().rate_stretches
    store.settings.change(rate_stretches=True)
    app = make_test_app()
    async with app.run_test(size=(100, 60)) as pilot:
        await press(pilot, "s")
        switch = app.screen.query_one("#rate_stretches")
        switch.focus()
        await press(pilot, "space")
        assert not store.settings.load().rate_stretches and not app.settings.rate_stretches


async def rate_first_step(pilot: Pilot, clock, rating: str) -> StretchOffer:
    """Start Repeats and rate its first step (the hamstring stretch): the offer is up."""
    await start(pilot, "Repeats")
    await until_question(pilot, clock)
    await press(pilot, rating)
    offer = pilot.app.screen
    assert isinstance(offer, StretchOffer), pilot.app.screen_stack
    text = shown(offer)
    assert f"{rating} out of 10: change that stretch?" in text
    assert "Hamstring Stretch comes twice more in this session" in text
    assert "shorten it: hold 4 s instead of 6 s" in text
    return offer


def held(session) -> list[tuple]:
    """(exercise, planned, held, completed) of every stored hold."""
    return [(h.exercise, h.planned_seconds, h.held_seconds, h.completed) for h in session.holds]


async def finish_repeats(pilot: Pilot, clock) -> None:
    """Let the session run, skipping every question and check-in, to the menu."""
    for _ in range(400):
        screen = pilot.app.screen
        if isinstance(screen, MenuScreen):
            return
        if isinstance(screen, HoldScreen):
            engine = screen.recorder.engine
            if engine.awaiting_rating is None and not engine.finished:
                step_clock(pilot, clock, 0.5)  # as in until_question: drawn once something opens
            else:
                await pilot.pause()
        else:
            await press(pilot, "escape")
    raise AssertionError(f"never back at the menu: {pilot.app.screen_stack}")


async def test_at_6_or_more_shorten_makes_its_later_holds_a_third_shorter(make_test_app, store, clock, repeats):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await rate_first_step(pilot, clock, "7")
        await press(pilot, "s")
        screen = hold_screen(app)
        assert app.screen is screen and not screen.recorder.engine.paused
        await until_question(pilot, clock)  # after the tilt
        await press(pilot, "enter")
        dialog = await until_question(pilot, clock)  # after the hamstring stretches: the end
        await press(pilot, "escape")
        assert dialog is not app.screen
        await finish(pilot)
    session = only_session(store)
    assert held(session) == [
        ("hamstring-stretch", 3, 3.0, True), ("pelvic-tilt", 2, 2.0, True),
        ("hamstring-stretch", 6, 4.0, False), ("hamstring-stretch", 6, 4.0, False),  # 4 s of 6: cut short
    ]
    assert [(r.step, r.discomfort) for r in session.step_ratings] == [(1, 7)]


async def test_at_6_or_more_leave_out_skips_its_later_holds_and_asks_about_the_rest(make_test_app, store, clock,
                                                                                  repeats):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await rate_first_step(pilot, clock, "9")
        await press(pilot, "l")
        dialog = await until_question(pilot, clock)  # after the tilt, the last step left: the session is over
        assert "Pelvic Tilt" in shown(dialog) and hold_screen(app).recorder.engine.finished
        await press(pilot, "2")
        await finish(pilot)
    session = only_session(store)
    assert held(session) == [
        ("hamstring-stretch", 3, 3.0, True), ("pelvic-tilt", 2, 2.0, True),
        ("hamstring-stretch", 6, 0.0, False), ("hamstring-stretch", 6, 0.0, False),  # left out: skipped
    ]
    assert session.status == "completed" and session.holds_done == 2  # ran to its end, a stretch left out
    assert [(r.step, r.exercise, r.discomfort) for r in session.step_ratings] == [
        (1, "hamstring-stretch", 9), (2, "pelvic-tilt", 2)]


@pytest.mark.parametrize("key", ["c", "escape"])
async def test_at_6_or_more_carry_on_changes_nothing(make_test_app, store, clock, repeats, key):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await rate_first_step(pilot, clock, "6")
        await press(pilot, key)
        await finish_repeats(pilot, clock)
    session = only_session(store)
    assert [h[1:] for h in held(session)] == [(3, 3.0, True), (2, 2.0, True), (6, 6.0, True), (6, 6.0, True)]
    assert session.status == "completed"


async def test_below_6_there_is_no_offer(make_test_app, store, clock, repeats):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "Repeats")
        await until_question(pilot, clock)
        await press(pilot, "5")
        assert isinstance(app.screen, HoldScreen)


async def test_problem_key_in_the_question_reports_and_escape_there_returns_to_it(make_test_app, store, clock,
                                                                                 repeats):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "Repeats")
        await until_question(pilot, clock)
        await press(pilot, "exclamation_mark")
        assert isinstance(app.screen, ProblemDialog)
        await press(pilot, "escape")
        assert isinstance(app.screen, StepRatingDialog)  # back to the question, the session still waiting
        await press(pilot, "exclamation_mark", "l")
        check_advice(app, "leg-pain")
        await press(pilot, "enter")
        assert isinstance(app.screen, MenuScreen)
    session = only_session(store)
    assert session.status == "stopped" and [e.kind for e in session.events] == ["leg-pain"]
    assert session.step_ratings == () and len(session.holds) == 1


# -- the journal, its details and the stats show what was stored ---------------------------------


def rendered(widget) -> str:
    """What a widget draws, lines joined by a space, spaces evened out."""
    from textual.geometry import Region

    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return " ".join(" ".join(strip.text for strip in lines).split())


async def test_the_journal_its_details_and_the_stats_show_the_problem_and_the_ratings(make_test_app, store, clock,
                                                                                     quick, rating_on):
    from tui.ui.screens.journal import JournalScreen
    from tui.ui.screens.session_details import SessionDetails
    from tui.ui.screens.stats import StatsScreen
    from tui.ui.widgets.virtual_table import VirtualTable
    from tui.ui.widgets.stretch_feel import StretchFeel

    app = make_test_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start(pilot, "Quick check")
        await until_question(pilot, clock)  # after the tilts
        await press(pilot, "7")  # the tilt does not come again: a word for next time, no offer
        await until_phase(pilot, clock, Phase.HOLD, 2)
        await press(pilot, "exclamation_mark")
        await report(pilot, "other")
        reported_at = clock.now().astimezone().strftime("%H:%M")
        await press(pilot, "enter")
        assert isinstance(app.screen, MenuScreen)
        session = only_session(store)
        assert session.id == screen.recorder.session.id

        await press(pilot, "J")
        journal = app.screen
        assert isinstance(journal, JournalScreen)
        for _ in range(50):
            if journal.query_one(VirtualTable).row_count:
                break
            await pilot.pause(0.02)
        table = journal.query_one(VirtualTable)
        cells = table.shown_cells(table.index_of(session.id))
        assert "stopped !" in cells

        await press(pilot, "enter")
        assert isinstance(app.screen, SessionDetails)
        details = shown(app.screen)
        assert f"Something was wrong (!) at {reported_at}: something else: {NOTE}" in details
        assert "How each stretch felt (0-10): step 1 Pelvic Tilt 7 change" in details
        await press(pilot, "escape", "t")

        assert isinstance(app.screen, StatsScreen)
        feel = rendered(app.screen.query_one(StretchFeel))
        assert "Pelvic Tilt 1 7.0 7.0 - - change" in feel  # rated once: no trend yet
        assert "Reported with ! (something wrong): 1 (1 something else)" in feel
