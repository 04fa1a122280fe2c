"""Pilot tests of the warning signs: the first-run question, what a "yes" shows, the screen with all
three tiers (palette, menu, help), and the menu's advice to see a clinician, checked against what was stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Static

import tui.ui.app as app_module
from tui.domain.plan import Timings
from tui.domain.sessions import Session
from tui.domain.trends import DISMISS_FOR
from tui.domain.warning_signs import NOT_A_DIAGNOSIS, SOURCES, TIERS, tier
from tui.storage.recorder import SessionRecorder
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.pain_checkin import PainCheckIn
from tui.ui.screens.safety import SafetyNote
from tui.ui.screens.warning_advice import WarningSignAdvice
from tui.ui.screens.warning_question import WarningSignQuestion
from tui.ui.screens.warning_signs import WarningSignsScreen

SIZE = (80, 24)
"""The terminal size of these tests."""


@pytest.fixture
def first_run(store):
    """A data dir whose user has not yet read the safety note (so has not been asked either)."""
    store.settings.change(safety_acknowledged=False)
    return store


@pytest.fixture(autouse=True)
def quick_trends(monkeypatch):
    """Work out the trend advice a moment after start-up rather than a second (the delay is real time)."""
    monkeypatch.setattr(app_module, "JOURNAL_CHECK_DELAY", 0.05)


def shown(screen) -> str:
    """Every text widget's text on `screen`, whole (scrolled out of view or not), spaces and line breaks as one space."""
    parts = []
    for widget in screen.query(Static):
        if widget.display:
            lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
            parts.append(" ".join(strip.text for strip in lines))
    return " ".join(" ".join(parts).split())


def words(text: str) -> str:
    """Text with its spaces evened out, to look for in `shown`."""
    return " ".join(text.split())


async def past_the_safety_note(pilot: Pilot) -> None:
    """First run: the safety note is up; acknowledge it and land on the warning-sign question."""
    await pilot.pause()
    assert isinstance(pilot.app.screen, SafetyNote)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, WarningSignQuestion)


def answers(store) -> list[tuple]:
    """(time, answer) of every stored answer, oldest first."""
    return [(a.at, a.answer) for a in store.screenings.list()]


# -- the first-run question ------------------------------------------------------------


async def test_first_run_asks_after_the_safety_note_and_none_of_these_goes_to_the_menu(make_test_app, first_run, clock):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await past_the_safety_note(pilot)
        text = shown(app.screen)
        for each in (tier("emergency"), tier("urgent")):
            assert words(f"{each.title}: {each.action}") in text
            assert all(words(s.text) in text for s in each.signs)
        assert words(tier("soon").signs[0].text) not in text  # asked about only what matters before a first stretch
        assert words(NOT_A_DIAGNOSIS) in text
        assert answers(first_run) == [] and not first_run.settings.load().safety_acknowledged
        clock.advance(42)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
    assert answers(first_run) == [(clock.now(), "none")]
    assert first_run.settings.load().safety_acknowledged
    again = make_test_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, MenuScreen)  # asked once
    assert len(answers(first_run)) == 1


async def test_escape_is_not_an_answer(make_test_app, first_run):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await past_the_safety_note(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WarningSignQuestion)
        assert "escape does not skip this" in shown(app.screen)
        assert answers(first_run) == []
        await pilot.press("q")  # leaving without an answer: asked again next time
        await pilot.pause()
    assert answers(first_run) == []
    assert not first_run.settings.load().safety_acknowledged
    again = make_test_app()
    async with again.run_test(size=SIZE) as pilot:
        await past_the_safety_note(pilot)


async def test_an_emergency_sign_says_what_to_do_first_then_the_person_may_go_on(make_test_app, first_run, clock):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await past_the_safety_note(pilot)
        await pilot.press("e")
        await pilot.pause()
        advice = app.screen
        assert isinstance(advice, WarningSignAdvice) and advice.tier.id == "emergency"
        text = shown(advice)
        first = text.index("Call your emergency number or go to an emergency department now. Do not do the stretches.")
        assert first < text.index("You said one of these applies")  # what to do comes first
        assert words(NOT_A_DIAGNOSIS) in text
        assert answers(first_run) == [(clock.now(), "emergency")]  # recorded as soon as it is given
        await pilot.press("escape")  # going on must be chosen, not fallen into
        await pilot.pause()
        assert app.screen is advice
        assert "Press g to go on anyway" in shown(advice)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
    assert answers(first_run) == [(clock.now(), "emergency")]
    assert first_run.settings.load().safety_acknowledged


async def test_an_emergency_sign_and_quit_leaves_the_answer_and_asks_again_next_time(make_test_app, first_run):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await past_the_safety_note(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert [a for _, a in answers(first_run)] == ["emergency"]
    assert not first_run.settings.load().safety_acknowledged


async def test_backrelief_start_asks_before_the_session_and_an_urgent_sign_goes_on_to_it(make_test_app, first_run,
                                                                                         clock):
    routine = first_run.routines.get("back-spasm-relief")
    app = make_test_app(start_routine=routine)
    async with app.run_test(size=SIZE) as pilot:
        await past_the_safety_note(pilot)
        assert app.recorder is None and not any(isinstance(s, PainCheckIn) for s in app.screen_stack)
        await pilot.press("u")
        await pilot.pause()
        advice = app.screen
        assert isinstance(advice, WarningSignAdvice) and advice.tier.id == "urgent"
        text = shown(advice)
        assert text.startswith("What to do now See a doctor today")
        assert "g go on to the session anyway" in text
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, PainCheckIn) and app.screen.when == "before"
    assert answers(first_run) == [(clock.now(), "urgent")]
    assert first_run.settings.load().safety_acknowledged


# -- all three tiers: palette, menu, help ---------------------------------------------------


def assert_every_sign_and_source(text: str) -> None:
    for each in TIERS:
        assert words(f"{each.title}: {each.action}") in text, each.id
        for sign in each.signs:
            assert words(sign.text) in text, sign.id
    for source in SOURCES:
        assert words(f"{source.name}: {source.where}") in text
    assert "NICE guideline NG59" in text and "NHS" in text
    assert words(NOT_A_DIAGNOSIS) in text


async def test_the_palette_opens_the_warning_signs(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"warning signs")
        await pilot.pause(0.3)  # the palette searches in the background
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, WarningSignsScreen)
        assert_every_sign_and_source(shown(app.screen))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)


async def test_w_in_the_menu_opens_them_and_q_closes(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WarningSignsScreen)
        assert "up/down scroll escape close" in shown(app.screen)  # the keys stay in view on a small screen
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)


async def test_help_lists_the_signs_and_their_sources(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = shown(app.screen)
    assert_every_sign_and_source(text)
    assert "w warning signs that need a doctor" in text


# -- the advice to see a clinician ------------------------------------------------------------


def add_sessions(store, clock, *rows: tuple[float, int | None]) -> None:
    """Journal sessions begun (days ago, pain before) relative to the clock."""
    for days, before in rows:
        start = clock.now() - timedelta(days=days)
        store.journal.add(Session(id=f"s-{days}", routine_id="back-spasm-relief", routine_name="Back spasm relief",
                                  started_at=start, ended_at=start + timedelta(minutes=10), status="logged",
                                  holds_planned=25, pain_before=before))


RISING = [(27, 5), (25, 5), (22, 6), (20, 5), (18, 5), (12, 6), (10, 6), (8, 6), (5, 7), (3, 6), (1, 6)]
"""Pain before: 5.2 on average 15-28 days ago (26 over 5), 6.2 in the last 14 days (37 over 6)."""


async def until_advice_worked_out(pilot: Pilot) -> None:
    """Wait for the background look at the journal (started a moment after the first frame)."""
    app = pilot.app
    for _ in range(100):
        await pilot.pause(0.05)
        if app._trends_started and not any(w.group == "trends" for w in app.workers):
            await pilot.pause()
            return
    raise AssertionError("the trend advice was never worked out")


def banner(app) -> Static | None:
    """The advice banner when it shows."""
    widget = app.screen.query_one("#advice-banner", Static)
    return widget if widget.display else None


async def test_rising_pain_shows_advice_with_its_numbers_and_h_hides_it_for_a_week(make_test_app, store, clock):
    add_sessions(store, clock, *RISING)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await until_advice_worked_out(pilot)
        assert app.trend_advice.rule == "rising"
        assert words(str(banner(app).visual)) == (
            "Time to see a clinician about your back. Pain before sessions: 6.2 average in the last 2 weeks, "
            "5.2 the 2 weeks before. w warning signs h hide for a week")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WarningSignsScreen)
        await pilot.press("escape")
        await pilot.pause()
        await until_advice_worked_out(pilot)  # worked out again on the way back: still there
        assert banner(app) is not None
        await pilot.press("h")
        await pilot.pause()
        assert banner(app) is None
    assert store.settings.load().advice_dismissed == clock.now()

    clock.advance((DISMISS_FOR - timedelta(minutes=1)).total_seconds())
    within_the_week = make_test_app()
    async with within_the_week.run_test(size=SIZE) as pilot:
        await until_advice_worked_out(pilot)
        assert within_the_week.trend_advice is not None and banner(within_the_week) is None

    clock.advance(60)
    add_sessions(store, clock, (1, 7), (2, 7))  # still rising a week on
    a_week_on = make_test_app()
    async with a_week_on.run_test(size=SIZE) as pilot:
        await until_advice_worked_out(pilot)
        assert banner(a_week_on) is not None


async def test_the_advice_fits_a_small_window_beside_the_resume_banner(make_test_app, store, clock):
    add_sessions(store, clock, (0.5, 9), (2, 8))
    recorder = SessionRecorder.begin(store, clock, store.routines.get("back-spasm-relief"), Timings(5, 5))
    recorder.start()
    recorder.interrupt()  # as a hang-up leaves it: the menu offers to resume it
    app = make_test_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await until_advice_worked_out(pilot)
        assert app.screen.query_one("#resume-banner", Static).display
        assert words(str(banner(app).visual)) == "See a clinician: pain 8+ in 2 sessions this week. w signs h hide"
        assert banner(app).size.height <= 3
        assert app.screen.query_one("#routine-list").size.height >= 3  # the routines still show


async def test_no_advice_for_improving_pain(make_test_app, store, clock):
    add_sessions(store, clock, (20, 7), (18, 7), (16, 7), (13, 6), (11, 6), (9, 6), (6, 4), (4, 4), (2, 3))
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await until_advice_worked_out(pilot)
        assert app.trend_advice is None and banner(app) is None


async def test_the_advice_waits_for_the_first_frame_and_reads_only_recent_months(make_test_app, store, clock,
                                                                                 monkeypatch):
    add_sessions(store, clock, *RISING, (400, 3), (800, 2))  # and two sessions in months long past
    read = []
    month_sessions = store.journal._month_sessions
    monkeypatch.setattr(store.journal, "_month_sessions", lambda path: read.append(path.stem) or month_sessions(path))
    monkeypatch.setattr(app_module, "JOURNAL_CHECK_DELAY", 60.0)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        assert app.trend_advice is None and banner(app) is None and read == []  # nothing read for the first frame
        app._check_journal_files()  # what the timer does
        await until_advice_worked_out(pilot)
        assert banner(app) is not None
    assert set(read) == {"2025-12", "2026-01"}  # the clock says 5 January 2026: four weeks back is December
