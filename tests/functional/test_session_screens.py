"""Pilot tests of a whole session: the menu, the check-ins, the hold screen, and what is stored.

Time comes from the FakeClock: a test moves it with `clock.advance(s)`, then
calls `tick()` on the hold screen (what its timer would do) and lets the app
settle with `pilot.pause()`.
"""

from __future__ import annotations

import json

import pytest
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.textual_view import count_layouts, crashed, set_driver_size
from tui.domain.cues import DEFAULT_PATTERNS, PHASE_MOMENTS, Moment
from tui.domain.plan import Phase
from tui.domain.settings import Settings
from tui.storage.recorder import SessionRecorder
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.hold import HoldScreen
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.note_dialog import NoteDialog
from tui.ui.screens.pain_checkin import PainCheckIn
from tui.ui.screens.safety import SafetyNote
from tui.ui.screens.too_small import TooSmall
from tui.ui.widgets.countdown import BigCountdown

SIZE = (80, 24)
"""The terminal size of most tests: the classic default."""

QUICK_FILE = {
    "format": "backrelief-routine",
    "version": 1,
    "name": "Quick check",
    "steps": [
        {"exercise": "pelvic-tilt", "hold_seconds": 2, "reps": 2, "rest_seconds": 1, "sides": "none"},
        {"exercise": "side-knee-drop", "hold_seconds": 3, "reps": 1, "rest_seconds": 0, "sides": "both"},
    ],
}
"""A short routine: two tilts with a rest between, then one knee drop on each side."""

QUICK_HOLDS = [("pelvic-tilt", None, 1), ("pelvic-tilt", None, 2), ("side-knee-drop", "left", 1), ("side-knee-drop", "right", 1)]
"""(exercise, side, rep) of every hold of the quick routine, in order."""


@pytest.fixture
def quick(store):
    """The quick routine, imported like a user would; get-ready and switch shortened to 2 s."""
    store.settings.change(get_ready_seconds=2, switch_seconds=2)
    return store.routines.import_file(json.dumps(QUICK_FILE))


# -- helpers ---------------------------------------------------------------


def hold_screen(app) -> HoldScreen:
    """The hold screen, wherever it is in the stack."""
    return next(s for s in app.screen_stack if isinstance(s, HoldScreen))


def text_of(screen, selector: str) -> str:
    """The plain text a Static shows."""
    return str(screen.query_one(selector, Static).visual)


def phase_of(app) -> Phase:
    """The phase the hold screen shows now."""
    screen = hold_screen(app)
    return screen.recorder.engine.snapshot(screen.recorder.clock.monotonic()).phase


async def choose(pilot: Pilot, routine_name: str) -> None:
    """Highlight a routine in the menu with `j`/`k`, as a user would."""
    menu = pilot.app.screen
    assert isinstance(menu, MenuScreen)
    names = [r.name for r in menu.routines]
    target = names.index(routine_name)
    while menu.selected.name != routine_name:
        await pilot.press("j" if names.index(menu.selected.name) < target else "k")


async def answer(pilot: Pilot, text: str) -> None:
    """Answer the dialog on top and press enter (an empty text just presses enter).

    A short answer (a pain score) is typed key by key; a longer one (a note) is put in the
    field at once: how a note gets typed is not what these tests are about."""
    if len(text) > 4:
        pilot.app.screen.query_one(Input).value = text
    elif text:
        await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


async def start(pilot: Pilot, routine_name: str, pain_before: str = "") -> HoldScreen:
    """From the menu: pick a routine, press enter, answer the check-in; the hold screen is up."""
    await choose(pilot, routine_name)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PainCheckIn)
    assert pilot.app.screen.when == "before"
    await answer(pilot, pain_before)
    assert isinstance(pilot.app.screen, HoldScreen)
    return pilot.app.screen


async def advance(pilot: Pilot, clock, seconds: float, step: float = 1.0) -> None:
    """Let `seconds` pass on the clock, waking the hold screen every `step` as its timer would."""
    screen = hold_screen(pilot.app)
    while seconds > 1e-9 and not screen.recorder.engine.finished:
        moved = min(step, seconds)
        clock.advance(moved)
        seconds -= moved
        screen.tick()
    clock.advance(max(0.0, seconds))
    await pilot.pause()


async def run_to_end(pilot: Pilot, clock, step: float = 1.0, expect_check_in: bool = True) -> None:
    """Let the clock run until the session ends (and the after check-in is up)."""
    screen = hold_screen(pilot.app)
    for _ in range(10_000):
        if screen.recorder.engine.finished:
            break
        clock.advance(step)
        screen.tick()
    await pilot.pause()
    assert screen.recorder.engine.finished
    if expect_check_in:
        assert isinstance(pilot.app.screen, PainCheckIn), pilot.app.screen_stack
        assert pilot.app.screen.when == "after"


async def finish(pilot: Pilot, pain_after: str = "", note: str = "") -> None:
    """Answer the after check-in and the note; back at the menu."""
    assert isinstance(pilot.app.screen, PainCheckIn)
    await answer(pilot, pain_after)
    assert isinstance(pilot.app.screen, NoteDialog)
    await answer(pilot, note)


def step_clock(pilot: Pilot, clock, seconds: float) -> None:
    """Move the clock and wake the hold screen once, without waiting for the app to draw."""
    clock.advance(seconds)
    hold_screen(pilot.app).tick()


async def until_phase(pilot: Pilot, clock, phase: Phase, index: int, limit: int = 200) -> None:
    """Advance in half seconds until the hold screen is in `phase` of hold `index`."""
    engine = hold_screen(pilot.app).recorder.engine
    for _ in range(limit):
        if engine.phase is phase and engine.index == index:
            await pilot.pause()
            return
        step_clock(pilot, clock, 0.5)
    raise AssertionError(f"never reached {phase} of hold {index}")


async def until(pilot: Pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (a busy machine may need several frames)."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()


def only_session(store):
    """The one session in the journal."""
    sessions = store.sessions()
    assert len(sessions) == 1, sessions
    return sessions[0]


def holds_of(session) -> list[tuple]:
    """(exercise, side, rep) of every hold stored."""
    return [(h.exercise, h.side, h.rep) for h in session.holds]


BANNER_COLOURS = {Phase.GET_READY: "warning", Phase.HOLD: "success", Phase.SWITCH: "accent", Phase.REST: "primary",
                  Phase.DONE: "secondary"}
"""The theme colour of each phase's banner."""


def looks(screen: HoldScreen) -> dict[str, object]:
    """What the hold screen shows that tells phases apart."""
    return {
        "banner": text_of(screen, "#phase-banner"),
        "exercise": text_of(screen, "#exercise-line"),
        "next": text_of(screen, "#next-line"),
        "classes": [{c for c in screen.query_one(part).classes if c.startswith("-phase-")}
                    for part in ("#phase-banner", "#hold-middle")],
        "colours": (screen.query_one("#phase-banner").styles.background,
                    screen.query_one("#hold-middle").styles.border_left),
        "countdown": screen.query_one(BigCountdown).text,
    }


# -- whole sessions ----------------------------------------------------------


async def test_a_whole_session_shows_each_phase_rings_each_change_s_pattern_and_is_stored(make_test_app, store, clock, quick,
                                                                                    cue_log):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "Quick check")
        await pilot.press("enter")
        await pilot.pause()
        await answer(pilot, "11")
        assert isinstance(app.screen, PainCheckIn)  # refused, with the reason
        assert text_of(app.screen, "#pain-error") == "Pain must be from 0 to 10, not 11"
        app.screen.query_one(Input).value = ""
        await answer(pilot, "6")
        screen = app.screen
        assert isinstance(screen, HoldScreen)
        assert cue_log == ["\a"]  # get ready: one ring
        seen = {}
        heard = [Moment.GET_READY]
        last, changes = (phase_of(app), screen.recorder.engine.index), 1
        while not screen.recorder.engine.finished:
            seen.setdefault(last[0], looks(screen))
            before = len(cue_log)
            step_clock(pilot, clock, 0.5)
            now = (phase_of(app), screen.recorder.engine.index)
            if now != last:
                last, changes = now, changes + 1
                moment = PHASE_MOMENTS[now[0]]
                heard.append(moment)
                assert cue_log[before:] == ["\a"] * DEFAULT_PATTERNS[moment].rings, f"not the {moment} pattern"
            else:
                assert len(cue_log) == before, f"a ring with no phase change at {now}"
        seen[Phase.DONE] = looks(screen)
        await pilot.pause()
        await finish(pilot, pain_after="3", note="easier after the knee drops")
        assert isinstance(app.screen, MenuScreen)  # 6 -> 3: no safety note
        assert not any(isinstance(s, SafetyNote) for s in app.screen_stack)

    # get ready, hold, rest, hold, get ready, hold, switch, hold, done: each its own pattern
    assert changes == 9
    assert heard == [Moment.GET_READY, Moment.HOLD, Moment.REST, Moment.HOLD, Moment.GET_READY, Moment.HOLD,
                     Moment.SWITCH, Moment.HOLD, Moment.DONE]
    # each later ring planned one spacing after the ring before: hold, rest, hold, hold, switch (2), hold, done (4)
    assert cue_log.delays == [0.25, 0.7, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25]
    assert set(seen) == set(Phase)
    for phase, shown in seen.items():
        assert shown["classes"] == [{f"-phase-{phase.value}"}] * 2  # on the banner and the middle band
    theme = app.get_css_variables()
    for phase, colour in BANNER_COLOURS.items():  # styles/hold.tcss: the banner and the band's edges
        banner, edge = seen[phase]["colours"]
        assert banner == Color.parse(theme[colour])
        assert edge == ("outer", Color.parse(theme["panel" if phase is Phase.DONE else colour]))
    assert seen[Phase.GET_READY]["banner"] == "GET READY"
    assert seen[Phase.GET_READY]["exercise"] == "Pelvic Tilt  ·  rep 1 of 2  ·  hold 1 of 4"
    assert seen[Phase.GET_READY]["next"] == "Up now: Pelvic Tilt, rep 1 of 2, 2 s"
    assert seen[Phase.GET_READY]["countdown"] == "2"
    assert seen[Phase.HOLD]["banner"] == "HOLD"
    assert seen[Phase.HOLD]["next"] == "Next: Pelvic Tilt, rep 2 of 2, 2 s"
    assert seen[Phase.REST]["banner"] == "REST"
    assert seen[Phase.REST]["exercise"] == "Pelvic Tilt  ·  rep 2 of 2  ·  hold 2 of 4"
    assert seen[Phase.SWITCH]["banner"] == "SWITCH SIDES  ·  RIGHT SIDE"
    assert seen[Phase.SWITCH]["next"] == "Up now: Side Knee Drop, right, rep 1 of 1, 3 s"
    assert seen[Phase.DONE]["banner"] == "DONE"
    assert seen[Phase.DONE]["countdown"] == ""
    assert seen[Phase.DONE]["exercise"].startswith("Quick check: 4 of 4 holds")

    session = only_session(store)
    assert session.status == "completed"
    assert session.routine_id == quick.id
    assert (session.pain_before, session.pain_after) == (6, 3)
    assert session.note == "easier after the knee drops"
    assert holds_of(session) == QUICK_HOLDS
    assert all(h.completed and h.held_seconds == h.planned_seconds for h in session.holds)
    assert session.holds_planned == 4
    assert store.journal.list() == [session]
    assert store.active.interrupted() == []


async def test_the_built_in_routine_runs_to_the_end(make_test_app, store, clock):
    routine = store.routines.get("back-spasm-relief")
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, routine.name)
        await run_to_end(pilot, clock, step=7.0)
        await finish(pilot)
        assert isinstance(app.screen, MenuScreen)
    session = only_session(store)
    planned = sum(step.reps * (2 if step.sides == "both" else 1) for step in routine.steps)
    assert session.status == "completed"
    assert session.holds_planned == planned == len(session.holds)
    assert all(h.completed and h.held_seconds == h.planned_seconds for h in session.holds)
    assert (session.pain_before, session.pain_after, session.note) == (None, None, "")


async def test_start_with_the_bell_off_and_every_question_skipped(make_test_app, store, clock, quick, cue_log):
    app = make_test_app(settings=Settings(bell=False, safety_acknowledged=True, rate_stretches=False), start_routine=quick)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PainCheckIn)  # `backrelief start` goes straight to the check-in
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HoldScreen)
        await run_to_end(pilot, clock)
        await answer(pilot, "")  # enter on an empty field skips too
        assert isinstance(app.screen, NoteDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
    assert cue_log == []
    session = only_session(store)
    assert session.status == "completed"
    assert (session.pain_before, session.pain_after, session.note) == (None, None, "")


async def test_the_safety_note_comes_first_on_the_first_run_and_only_then(make_test_app, store, clock, quick):
    store.settings.change(safety_acknowledged=False)
    app = make_test_app(start_routine=quick)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SafetyNote)
        assert app.screen.reason == ""
        assert not store.settings.load().safety_acknowledged
        await pilot.press("escape", "space")  # neither says "I have read it"
        await pilot.pause()
        assert isinstance(app.screen, SafetyNote)
        assert not store.settings.load().safety_acknowledged
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "WarningSignQuestion"  # then the warning signs (their own tests)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PainCheckIn) and app.screen.when == "before"
    assert store.settings.load().safety_acknowledged
    again = make_test_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, MenuScreen)
        assert not any(isinstance(s, SafetyNote) for s in again.screen_stack)
    assert store.sessions() == []


# -- stop, skip, back, pause, + and one more rep -----------------------------------


async def test_time_paused_does_not_count_and_escape_then_y_stops(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        await until_phase(pilot, clock, Phase.HOLD, 0)
        await advance(pilot, clock, 1.0)
        middle = screen.query_one("#hold-middle")
        hold_edge = middle.styles.border_left
        await pilot.press("space")
        await pilot.pause()
        assert "PAUSED" in text_of(screen, "#phase-banner")
        assert middle.has_class("-paused") and middle.styles.border_left != hold_edge  # the band's edges go grey
        await advance(pilot, clock, 120.0, step=30.0)
        assert phase_of(app) is Phase.HOLD and screen.recorder.engine.index == 0
        assert screen.query_one(BigCountdown).text == "1"
        await pilot.press("space")
        await pilot.pause()
        assert "PAUSED" not in text_of(screen, "#phase-banner")
        assert not middle.has_class("-paused") and middle.styles.border_left == hold_edge
        await advance(pilot, clock, 0.5, 0.5)
        assert phase_of(app) is Phase.HOLD  # half a second of the hold still to go

        await until_phase(pilot, clock, Phase.HOLD, 1)
        await advance(pilot, clock, 1.0)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")  # keep going: nothing changes
        await pilot.pause()
        assert app.screen is screen and not screen.recorder.engine.finished
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PainCheckIn)
        # The truth, not "well done": stopped after the one hold done of four.
        assert text_of(screen, "#phase-banner") == "STOPPED"
        assert text_of(screen, "#exercise-line") == "Quick check: stopped after 1 of 4 holds, 0:03 held"
        assert "Well done" not in text_of(screen, "#instructions")
        assert "kept in your journal" in text_of(screen, "#instructions")
        await finish(pilot)
        assert isinstance(app.screen, MenuScreen)
    session = only_session(store)
    assert session.status == "stopped"
    assert holds_of(session) == QUICK_HOLDS[:2]
    first, second = session.holds
    assert first.completed and first.held_seconds == 2.0  # not 122
    assert not second.completed and second.held_seconds == 1.0
    assert session.holds_planned == 4


async def test_skip_goes_to_the_next_hold_from_every_phase_in_one_press(make_test_app, store, clock, quick):
    # Quick check: get ready, tilt 1, rest, tilt 2, get ready, knee drop left, switch, knee drop right.
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        engine = screen.recorder.engine
        assert (phase_of(app), engine.index) == (Phase.GET_READY, 0)
        await pilot.press("l")  # in a get-ready: tilt 1 is passed over, on to the rest before tilt 2
        await pilot.pause()
        assert (phase_of(app), engine.index) == (Phase.REST, 1)
        assert text_of(screen, "#phase-banner") == "REST"
        await pilot.press("right")  # in a rest: tilt 2 is passed over, on to the knee drop's get-ready
        await pilot.pause()
        assert (phase_of(app), engine.index) == (Phase.GET_READY, 2)
        assert text_of(screen, "#phase-banner") == "GET READY  ·  LEFT SIDE"
        await until_phase(pilot, clock, Phase.HOLD, 2)
        await advance(pilot, clock, 1.0)
        await pilot.press("right")  # in a hold: it ends, not completed; on to the switch
        await pilot.pause()
        assert (phase_of(app), engine.index) == (Phase.SWITCH, 3)
        await pilot.press("l")  # in the switch: the right side is passed over, and that was the last hold
        await pilot.pause()
        assert engine.finished and isinstance(app.screen, PainCheckIn)
        # It ran to its end: completed, and the done screen says how many holds were skipped.
        assert text_of(screen, "#phase-banner") == "DONE"
        assert text_of(screen, "#exercise-line") == "Quick check: 0 of 4 holds (4 skipped), 0:01 held"
        assert "Well done" not in text_of(screen, "#instructions")
        await finish(pilot)
    session = only_session(store)
    assert session.status == "completed"
    assert holds_of(session) == QUICK_HOLDS
    assert [(h.held_seconds, h.completed) for h in session.holds] == [(0.0, False), (0.0, False), (1.0, False), (0.0, False)]


async def test_enter_starts_the_hold_now_in_a_lead_in_and_a_completed_session_says_well_done(
        make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        engine = screen.recorder.engine
        assert screen.check_action("start_now", ()) is True
        await pilot.press("enter")  # in the get-ready: tilt 1 starts now
        await pilot.pause()
        assert (phase_of(app), engine.index) == (Phase.HOLD, 0)
        assert screen.check_action("start_now", ()) is False  # not offered in a hold
        await pilot.press("enter")  # nothing in a hold
        await pilot.pause()
        assert (phase_of(app), engine.index) == (Phase.HOLD, 0)
        await run_to_end(pilot, clock)
        assert text_of(screen, "#exercise-line") == "Quick check: 4 of 4 holds, 0:10 held"
        assert text_of(screen, "#instructions").startswith("Well done.")
        await finish(pilot)
    session = only_session(store)
    assert session.status == "completed" and all(h.completed for h in session.holds)


async def test_the_stop_question_stops_the_countdown_and_keep_going_goes_on_from_there(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        engine = screen.recorder.engine
        await until_phase(pilot, clock, Phase.HOLD, 0)
        await advance(pilot, clock, 0.5)  # 1.5 s of the 2 s tilt left
        shown = screen.query_one(BigCountdown).text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        for _ in range(6):  # a minute passes while it asks; the screen wakes as its timer would
            step_clock(pilot, clock, 10.0)
        await pilot.pause()
        snap = engine.snapshot(clock.monotonic())
        assert (snap.phase, snap.index, snap.seconds_left, snap.paused) == (Phase.HOLD, 0, 1.5, True)
        assert screen.query_one(BigCountdown).text == shown == "2"
        await pilot.press("n")  # keep going
        await pilot.pause()
        assert app.screen is screen and not engine.paused
        assert engine.snapshot(clock.monotonic()).seconds_left == 1.5
        await advance(pilot, clock, 1.0)
        assert screen.query_one(BigCountdown).text == "1"
        await advance(pilot, clock, 0.5)
        assert (phase_of(app), engine.index) == (Phase.REST, 1)

        # Paused before the question, it stays paused after "keep going".
        await pilot.press("space")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert engine.paused and "PAUSED" in text_of(screen, "#phase-banner")
        await pilot.press("space")
        await run_to_end(pilot, clock)
        await finish(pilot)
    session = only_session(store)
    assert session.status == "completed"
    assert session.holds[0].held_seconds == 2.0 and session.holds[0].completed  # not 62 s


async def test_back_runs_the_previous_hold_again(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        for key in ("left", "h"):
            await until_phase(pilot, clock, Phase.HOLD, 1)
            assert "rep 2 of 2" in text_of(screen, "#exercise-line")
            await pilot.press(key)
            await pilot.pause()
            assert screen.recorder.engine.index == 0
            assert phase_of(app) is Phase.GET_READY  # it leads in again
            assert "rep 1 of 2" in text_of(screen, "#exercise-line")
        await run_to_end(pilot, clock)
        await finish(pilot)
    session = only_session(store)
    assert session.status == "completed"
    assert holds_of(session) == QUICK_HOLDS
    assert all(h.completed and h.held_seconds == h.planned_seconds for h in session.holds)


async def test_plus_adds_ten_seconds_and_r_one_more_rep(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        await until_phase(pilot, clock, Phase.HOLD, 0)
        await pilot.press("plus")
        await pilot.pause()
        assert screen.query_one(BigCountdown).text == "12"
        await advance(pilot, clock, 11.0)
        assert phase_of(app) is Phase.HOLD and screen.recorder.engine.index == 0
        await until_phase(pilot, clock, Phase.HOLD, 1)
        await pilot.press("r")
        await pilot.pause()
        assert "rep 2 of 3  ·  hold 2 of 5" in text_of(screen, "#exercise-line")
        assert text_of(screen, "#next-line") == "Next: Pelvic Tilt, rep 3 of 3, 2 s"
        await run_to_end(pilot, clock)
        await finish(pilot)
    session = only_session(store)
    assert session.status == "completed"
    assert session.holds_planned == 5
    assert holds_of(session) == QUICK_HOLDS[:2] + [("pelvic-tilt", None, 3)] + QUICK_HOLDS[2:]
    assert [h.held_seconds for h in session.holds] == [12.0, 2.0, 2.0, 3.0, 3.0]
    assert all(h.completed for h in session.holds)


async def test_one_more_rep_can_follow_the_very_last_hold_from_the_check_in_after(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        await run_to_end(pilot, clock)  # the last hold ends the session: no time to press r in it
        assert "r one more rep of Side Knee Drop" in text_of(app.screen, "#one-more-rep")
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen and not screen.recorder.engine.finished  # under way again, lead-in first
        assert "rep 2 of 2" in text_of(screen, "#exercise-line")
        await run_to_end(pilot, clock)
        assert not app.screen.query("#one-more-rep") or "Side Knee Drop" in text_of(app.screen, "#one-more-rep")
        await finish(pilot, "2")
    session = only_session(store)
    assert session.status == "completed" and session.pain_after == 2
    assert holds_of(session) == QUICK_HOLDS + [("side-knee-drop", "left", 2), ("side-knee-drop", "right", 2)]
    assert session.holds_done == session.holds_planned == 6
    assert all(h.completed for h in session.holds)


async def test_a_stopped_session_offers_no_rep_after_it(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "Quick check")
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, PainCheckIn) and not app.screen.query("#one-more-rep")
        await pilot.press("r")  # nothing: the field takes digits only
        await pilot.pause()
        assert isinstance(app.screen, PainCheckIn)
        await finish(pilot)
    assert only_session(store).status == "stopped"


# -- safety ----------------------------------------------------------------------


async def test_severe_pain_shows_the_safety_note_before_and_after(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose(pilot, "Quick check")
        await pilot.press("enter")
        await pilot.pause()
        await answer(pilot, "8")
        assert isinstance(app.screen, SafetyNote)
        assert app.screen.reason == "You rated your pain 8 out of 10."
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HoldScreen)
        await run_to_end(pilot, clock)
        await finish(pilot, pain_after="5")  # lower, but 8 before was severe
        assert isinstance(app.screen, SafetyNote)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
    assert (only_session(store).pain_before, only_session(store).pain_after) == (8, 5)


async def test_rising_pain_shows_the_safety_note_once_the_session_is_stored(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "Quick check", pain_before="3")
        await run_to_end(pilot, clock)
        await finish(pilot, pain_after="5")
        assert isinstance(app.screen, SafetyNote)
        assert app.screen.reason == "Your pain went up during this session (from 3 to 5)."
        assert [(s.pain_before, s.pain_after) for s in store.journal.list()] == [(3, 5)]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)


# -- interrupted sessions ----------------------------------------------------------


def interrupted_session(store, clock, routine, holds_done: int, pain_before: int | None = 4) -> str:
    """Run `holds_done` holds of `routine` outside the app, then let go as a hang-up would."""
    recorder = SessionRecorder.begin(store, clock, routine, store.settings.load().timings(), pain_before)
    recorder.start()
    while len(recorder.engine.records) < holds_done:
        clock.advance(0.5)
        recorder.tick()
    recorder.interrupt()
    return recorder.session.id


async def test_an_interrupted_session_is_offered_and_resumed_to_the_end(make_test_app, store, clock, quick):
    session_id = interrupted_session(store, clock, quick, holds_done=2)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, MenuScreen)
        assert menu.query_one("#resume-banner", Static).display
        banner = text_of(menu, "#resume-banner")
        assert "Quick check" in banner and "2 of 4 holds done" in banner
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HoldScreen)
        assert screen.recorder.session.id == session_id
        assert phase_of(app) is Phase.GET_READY  # a resumed session eases back in
        assert screen.recorder.engine.index == 2
        assert text_of(screen, "#exercise-line").startswith("Side Knee Drop  ·  rep 1 of 1  ·  hold 3 of 4")
        await run_to_end(pilot, clock)
        await finish(pilot, pain_after="2")
        assert isinstance(app.screen, MenuScreen)
        assert not app.screen.query_one("#resume-banner", Static).display
    session = only_session(store)
    assert session.id == session_id
    assert session.status == "completed"
    assert holds_of(session) == QUICK_HOLDS
    assert all(h.completed for h in session.holds)
    assert (session.pain_before, session.pain_after) == (4, 2)
    assert store.active.interrupted() == []


async def test_interrupted_sessions_are_closed_into_the_journal_newest_first(make_test_app, store, clock, quick):
    older = interrupted_session(store, clock, quick, holds_done=1)
    clock.advance(60)
    newest = interrupted_session(store, clock, store.routines.get("back-spasm-relief"), holds_done=1)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Back spasm relief" in text_of(app.screen, "#resume-banner")
        await pilot.press("c")
        await pilot.pause()
        assert "Quick check" in text_of(app.screen, "#resume-banner")
        assert [s.id for s in store.journal.list()] == [newest]
        await pilot.press("c")
        await pilot.pause()
        assert not app.screen.query_one("#resume-banner", Static).display
        await pilot.press("r")  # nothing left to resume
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
    stored = store.journal.list()
    assert [s.id for s in stored] == [newest, older]
    assert {s.status for s in stored} == {"interrupted"}
    assert holds_of(stored[1]) == QUICK_HOLDS[:1]
    assert store.active.interrupted() == []


# -- terminal size -----------------------------------------------------------------


def size_messages(app) -> int:
    """How many 'make the window larger' screens are in the stack."""
    return sum(isinstance(s, TooSmall) for s in app.screen_stack)


async def resized(pilot: Pilot, width: int, height: int, done) -> None:
    """Resize, then let the app run until `done()` holds: the app checks the size after the
    repaint that follows a resize, which comes later on a busy machine."""
    await pilot.resize_terminal(width, height)
    await until(pilot, done)


async def too_small(pilot: Pilot, width: int = 30, height: int = 8) -> None:
    """Shrink the terminal below the usable size and wait until the size message is on top."""
    await resized(pilot, width, height, lambda: isinstance(pilot.app.screen, TooSmall))


async def grown(pilot: Pilot, width: int = SIZE[0], height: int = SIZE[1]) -> None:
    """Grow the terminal back and wait until no size message is left in the stack."""
    await resized(pilot, width, height, lambda: size_messages(pilot.app) == 0)


async def test_a_too_small_terminal_gets_a_message_that_goes_when_it_grows(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=(30, 8)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmall)
        assert text_of(app.screen, "#too-small-message") == "Make the window larger\n(30x8, needs 40x12)"
        await resized(pilot, 45, 9, lambda: isinstance(app.screen, TooSmall)
                      and "45x9" in text_of(app.screen, "#too-small-message"))
        assert isinstance(app.screen, TooSmall)
        assert "(45x9, needs 40x12)" in text_of(app.screen, "#too-small-message")
        await resized(pilot, *SIZE, lambda: isinstance(app.screen, MenuScreen))
        assert isinstance(app.screen, MenuScreen)
        assert size_messages(app) == 0
        await resized(pilot, 39, 30, lambda: isinstance(app.screen, TooSmall))
        assert isinstance(app.screen, TooSmall)
        assert size_messages(app) == 1


STORM = [(1, 1), (300, 100), (2, 50), (200, 3), (39, 11), (40, 12), (80, 24), (13, 7), (120, 40), (41, 5),
         (60, 16), (1, 100), (300, 1), (45, 13), (250, 60), (10, 10), (39, 12), (40, 11), (100, 30), (3, 3)]
"""Sizes for a resize storm: tiny, huge, thin, flat, and either side of the smallest usable size."""


async def resize_storm(pilot: Pilot, one_at_a_time=((1, 1), (300, 100), (39, 12), (2, 50), (40, 12))) -> None:
    """Every size of STORM in a burst the app takes in all at once, then a few sizes one at a time."""
    from textual import events
    from textual.geometry import Size

    for width, height in STORM:
        set_driver_size(pilot.app, width, height)  # what the headless driver reports
        pilot.app.post_message(events.Resize(Size(width, height), Size(width, height)))
    await pilot.pause()
    for width, height in one_at_a_time:
        await pilot.resize_terminal(width, height)


async def test_a_resize_storm_on_the_menu_does_not_crash(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await resize_storm(pilot)
        await pilot.resize_terminal(*SIZE)
        assert isinstance(app.screen, MenuScreen)
        assert size_messages(app) == 0
        await start(pilot, "Quick check")


async def test_a_resize_storm_on_the_hold_screen_does_not_crash_or_lose_time(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        for width, height in ((300, 100), (1, 1), (40, 12), (39, 11)):
            await pilot.resize_terminal(width, height)
            step_clock(pilot, clock, 0.5)
        await resize_storm(pilot, one_at_a_time=((2, 50), (200, 3)))
        await pilot.resize_terminal(*SIZE)
        assert app.screen is screen
        assert size_messages(app) == 0
        await run_to_end(pilot, clock)
        await finish(pilot)
        assert isinstance(app.screen, MenuScreen)
    session = only_session(store)
    assert session.status == "completed"
    assert all(h.held_seconds == h.planned_seconds for h in session.holds)


async def test_a_wake_up_while_the_widgets_are_not_in_moves_the_session_on_and_waits_to_draw(
        make_test_app, store, clock, cue_log, quick):
    # The app takes a screen down widgets first, the screen after them; a wake-up planned
    # before that (the app ending mid-session) can come in between. Here it comes with the
    # bars gone: the session still moves on and cues, and the drawing waits for the next one.
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        assert phase_of(app) is Phase.GET_READY
        await screen.query_one("#hold-bars").remove()
        cues_before = len(cue_log)
        clock.advance(2.25)  # past the two-second get-ready
        screen._wake()  # as the event loop runs it
        await pilot.pause()
        assert crashed(app) is None
        assert phase_of(app) is Phase.HOLD
        assert len(cue_log) > cues_before  # the hold's start was cued all the same
        assert screen._timer is not None  # the next wake-up is planned
        assert text_of(screen, "#phase-banner").startswith("GET READY")  # not drawn on half a screen
        await pilot.press("space")  # a key still works: the pause is taken and nothing is drawn
        assert screen.recorder.engine.paused and crashed(app) is None


async def test_dialogs_covered_by_the_size_message_come_back_as_they_were(make_test_app, store, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "Quick check", pain_before="3")
        await run_to_end(pilot, clock)
        await pilot.press("7")
        await too_small(pilot)
        assert isinstance(app.screen, TooSmall)
        await grown(pilot)
        assert isinstance(app.screen, PainCheckIn)
        assert app.screen.query_one(Input).value == "7"
        await answer(pilot, "")
        assert isinstance(app.screen, NoteDialog)
        await too_small(pilot)  # covered for real, not resized back before the size was checked
        await grown(pilot)
        assert isinstance(app.screen, NoteDialog)
        await answer(pilot, "")
        assert isinstance(app.screen, SafetyNote)  # 3 -> 7 is rising pain
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))
        assert isinstance(app.screen, MenuScreen)
        assert size_messages(app) == 0
        await too_small(pilot)
        assert isinstance(app.screen, TooSmall) and size_messages(app) == 1
        await grown(pilot)
        assert isinstance(app.screen, MenuScreen) and size_messages(app) == 0
    assert only_session(store).pain_after == 7


async def test_dialogs_wait_under_the_size_message_at_the_start_and_the_end(make_test_app, store, clock, quick):
    app = make_test_app(start_routine=quick)
    async with app.run_test(size=(30, 8)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmall)  # over the check-in that `start` opened
        await pilot.resize_terminal(*SIZE)
        assert isinstance(app.screen, PainCheckIn)
        await answer(pilot, "2")
        assert isinstance(app.screen, HoldScreen)
        await pilot.resize_terminal(30, 8)
        assert isinstance(app.screen, TooSmall)
        await run_to_end(pilot, clock, expect_check_in=False)
        assert isinstance(app.screen, TooSmall)  # the after check-in waits under the message
        assert any(isinstance(s, PainCheckIn) for s in app.screen_stack)
        await pilot.press("escape", "enter")  # keys do not reach a dialog the user cannot see
        await pilot.resize_terminal(*SIZE)
        assert isinstance(app.screen, PainCheckIn)
        await finish(pilot, pain_after="1", note="small window")
        assert isinstance(app.screen, MenuScreen)
        assert not any(isinstance(s, (HoldScreen, TooSmall)) for s in app.screen_stack)
    session = only_session(store)
    assert (session.status, session.pain_before, session.pain_after, session.note) == ("completed", 2, 1, "small window")


@pytest.mark.parametrize("key", ["question_mark"], ids=["help"])  # the stop question stops the clock: nothing ends under it
async def test_a_session_that_ends_under_a_dialog_still_goes_back_to_the_menu(make_test_app, store, clock, quick, key):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        await until_phase(pilot, clock, Phase.HOLD, 3)
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is not screen
        await advance(pilot, clock, 5.0)  # the last hold ends while the dialog is open
        assert screen.recorder.engine.finished
        await until(pilot, lambda: isinstance(app.screen, PainCheckIn))
        await finish(pilot)
        assert isinstance(app.screen, MenuScreen), app.screen_stack
        assert not any(isinstance(s, HoldScreen) for s in app.screen_stack)
    assert only_session(store).status == "completed"


# -- start-up: the other screens' styles come after the menu ----------------------------


def _read_styles(app) -> set[str]:
    from tui.paths import styles_dir

    return {name for name in ("app.tcss", "dialogs.tcss", "menu.tcss", "hold.tcss", "settings.tcss",
                              "journal.tcss", "builder.tcss")
            if app.stylesheet.has_source(str(styles_dir() / name), "")}


async def test_the_menu_comes_up_with_its_own_styles_only_and_a_screen_reads_its_own_when_opened(
        make_test_app, monkeypatch):
    import tui.ui.app

    monkeypatch.setattr(tui.ui.app, "LATER_STYLES_DELAY", 600.0)  # not within this test
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, MenuScreen)
        assert _read_styles(app) == {"app.tcss", "menu.tcss"}
        await pilot.press("J")
        await pilot.pause()
        assert type(app.screen).__name__ == "JournalScreen"
        assert "journal.tcss" in _read_styles(app)
        table = app.screen.query_one("#journal-table")
        assert str(table.styles.height) == "1fr"  # a journal.tcss rule applies to the screen that read it


async def test_a_dialog_opened_before_the_later_styles_are_read_has_its_look(make_test_app, monkeypatch):
    import tui.ui.app

    monkeypatch.setattr(tui.ui.app, "LATER_STYLES_DELAY", 600.0)  # not within this test
    app = make_test_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert "dialogs.tcss" not in _read_styles(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert "dialogs.tcss" in _read_styles(app)
        assert str(app.screen.query_one(".dialog").styles.width) == "90"  # `.dialog.help` in dialogs.tcss


def app_screen_classes() -> set[type]:
    """Every Screen subclass the app defines (each module of tui.ui.screens imported first)."""
    import importlib
    import pkgutil

    from textual.screen import Screen

    import tui.ui.screens

    for info in pkgutil.iter_modules(tui.ui.screens.__path__):
        importlib.import_module(f"tui.ui.screens.{info.name}")
    found, todo = set(), [Screen]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("tui."):
                found.add(sub)
    return found


def test_every_dialog_names_the_dialog_styles():
    """A dialog is a ModalScreen: each names dialogs.tcss, read when it first opens (start-up does not read it)."""
    from textual.screen import ModalScreen

    from tui.paths import styles_dir

    dialogs = {screen for screen in app_screen_classes()
               if issubclass(screen, ModalScreen) and screen.__name__ != "TooSmall"}
    assert len(dialogs) >= 20
    missing = sorted(d.__name__ for d in dialogs if styles_dir() / "dialogs.tcss" not in list(d.CSS_PATH or []))
    assert missing == []


async def test_the_other_screens_styles_are_read_soon_after_the_first_frame(make_test_app, monkeypatch):
    import tui.ui.app

    monkeypatch.setattr(tui.ui.app, "LATER_STYLES_DELAY", 0.05)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            if len(_read_styles(app)) == 7:
                break
            await pilot.pause(0.05)
        assert _read_styles(app) == {"app.tcss", "dialogs.tcss", "menu.tcss", "hold.tcss", "settings.tcss",
                                     "journal.tcss", "builder.tcss"}
        assert isinstance(app.screen, MenuScreen)


async def test_the_terminal_telling_the_same_size_again_lays_nothing_out_again(make_test_app, monkeypatch):
    from textual import events
    from textual.geometry import Size

    laid_out: list[Size] = []
    monkeypatch.setattr(MenuScreen, "on_resize", lambda self: laid_out.append(self.size))
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        laid_out.clear()
        for _ in range(3):  # what the driver does at start-up: the size it already said
            app.post_message(events.Resize(Size(100, 30), Size(100, 30)))
            await pilot.pause()
        assert laid_out == []
        await pilot.resize_terminal(90, 28)  # a real change still goes through
        await pilot.pause()
        assert laid_out and laid_out[-1] == Size(90, 28)


async def test_a_screen_opening_lays_out_no_screen_again_at_the_size_it_already_has(make_test_app, monkeypatch):
    """A new screen's first layout tells it its own size; Textual's handler would then lay out it and every
    screen under it again at that same size (tui/ui/screens/steady.py). A real resize still reaches them all."""
    from textual.geometry import Size

    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        # The recent weeks read after start-up (1 s in) change what the menu shows, and so its layout:
        # on a busy machine that can land while help is open. Counted from after it.
        await until(pilot, lambda: app.trends_ready)
        await pilot.pause()
        laid_out = count_layouts(monkeypatch)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert "MenuScreen" not in laid_out  # under the dialog, at the size it had
        assert "HelpScreen" in laid_out
        laid_out.clear()
        await pilot.resize_terminal(90, 28)
        await pilot.pause()
        assert {"MenuScreen", "HelpScreen"} <= set(laid_out)
        assert [screen.outer_size for screen in app.screen_stack] == [Size(90, 28)] * len(app.screen_stack)


def test_every_screen_and_dialog_is_a_steady_screen():
    """Each screen of the app skips the layout a same-size resize would repeat (see the test above)."""
    from tui.ui.screens.steady import SteadyScreen

    screens = app_screen_classes() - {SteadyScreen}
    assert len(screens) >= 25
    assert sorted(s.__name__ for s in screens if not issubclass(s, SteadyScreen)) == []


async def test_a_screen_opening_is_styled_once_not_again_as_it_comes_on_top(make_test_app, monkeypatch):
    """Its widgets are styled as they mount; Textual would style the whole screen again as it first resumes
    (tui/ui/screens/steady.py). Its look is still its stylesheet's."""
    from textual.app import App

    restyled: list[str] = []
    update_styles = App.update_styles

    def counted(app, node, animate=True):
        restyled.append(type(node).__name__)
        return update_styles(app, node, animate)

    app = make_test_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(App, "update_styles", counted)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert "HelpScreen" not in restyled
        assert str(app.screen.query_one(".dialog").styles.width) == "90"  # `.dialog.help` in dialogs.tcss
