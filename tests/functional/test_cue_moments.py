"""Pilot tests of the cues inside a session: which moments get one, when the hold screen wakes for them, what is said.

The hold screen is driven only by its own wake-ups here: `follow_timer` moves the
fake clock by exactly the delay the screen planned, then wakes it. A cue that
falls between whole seconds (halfway through 25 s) is only given on time if the
screen planned a wake-up for it.
"""

from __future__ import annotations

import json

import pytest

from tui.domain.plan import Phase
from tui.ui.screens.hold import HoldScreen
from tui.ui.screens.pain_checkin import PainCheckIn
from tui.ui.speech import SpeechChoice

SIZE = (80, 24)

LONG_FILE = {
    "format": "backrelief-routine", "version": 1, "name": "Long holds",
    "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 25, "reps": 1, "rest_seconds": 0, "sides": "none"},
              {"exercise": "side-knee-drop", "hold_seconds": 4, "reps": 1, "rest_seconds": 0, "sides": "left"}],
}
"""A 25-second hold (halfway at 12.5 s left, the count at 3 s), then one too short for either."""


@pytest.fixture
def long_holds(store):
    store.settings.change(get_ready_seconds=2, switch_seconds=2, notifications=True)
    return store.routines.import_file(json.dumps(LONG_FILE))


async def start(pilot, app) -> HoldScreen:
    """`backrelief start`: skip the check-in; the hold screen is up."""
    await pilot.pause()
    assert isinstance(app.screen, PainCheckIn)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, HoldScreen)
    return app.screen


def follow_timer(screen: HoldScreen, clock) -> float:
    """Move the clock to the screen's next planned wake-up and wake it there; the seconds moved."""
    assert screen._timer is not None, "the screen planned no wake-up"
    delay = screen._wake_delay
    clock.advance(delay)
    screen.tick()
    return delay


def moments_heard(cue_log) -> list[str]:
    """The notification title of each cue written so far (notifications are on in these tests)."""
    return [text.split("\x1b]9;", 1)[1].split(":", 1)[0] for text in cue_log if "\x1b]9;" in text]


def seconds_left(screen: HoldScreen) -> float:
    return screen.recorder.engine.snapshot(screen.recorder.clock.monotonic()).seconds_left


async def test_halfway_and_the_count_come_at_their_instants_once_each(make_test_app, store, clock, cue_log, long_holds):
    store.settings.change(halfway_cue=True, last_seconds_cue=True)
    app = make_test_app(start_routine=long_holds)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, app)
        engine = screen.recorder.engine
        heard_at: dict[str, float] = {}
        for _ in range(200):
            if engine.finished:
                break
            before = len(moments_heard(cue_log))
            follow_timer(screen, clock)
            for title in moments_heard(cue_log)[before:]:
                heard_at.setdefault(title, seconds_left(screen))
                if title in ("Halfway", "3 seconds left"):
                    assert engine.phase is Phase.HOLD and engine.index == 0
        await pilot.pause()
    assert moments_heard(cue_log) == ["Get ready", "Hold 1 of 2", "Halfway", "3 seconds left", "Get ready", "Hold 2 of 2",
                                      "Done"]
    # Each was given within a few milliseconds of its instant, though 12.5 s is no whole second.
    assert heard_at["Halfway"] == pytest.approx(12.5, abs=0.005)
    assert heard_at["3 seconds left"] == pytest.approx(3.0, abs=0.005)
    written = "".join(cue_log)
    assert "\x1b]9;Halfway: 13 seconds left of Pelvic Tilt\x1b\\" in written
    assert "\x1b]777;notify;3 seconds left;Pelvic Tilt\x1b\\" in written
    # The count's pattern: one ring a second (3, 2, 1), planned after its first.
    assert cue_log.rings() == 1 + 2 + 4 + 3 + 1 + 2 + 5


async def test_the_in_hold_cues_stay_silent_when_off_and_wake_the_screen_only_on_whole_seconds(
        make_test_app, clock, cue_log, long_holds):
    app = make_test_app(start_routine=long_holds)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, app)
        delays = []
        while not screen.recorder.engine.finished:
            delays.append(follow_timer(screen, clock))
        await pilot.pause()
    assert moments_heard(cue_log) == ["Get ready", "Hold 1 of 2", "Get ready", "Hold 2 of 2", "Done"]
    # One wake-up a second, just after each whole second: none between them for a cue that is off.
    assert all(0.99 < delay < 1.01 for delay in delays), sorted(delays)[:3]


async def test_time_added_in_the_last_seconds_brings_the_count_again_at_the_new_end(make_test_app, store, clock, cue_log,
                                                                                   long_holds):
    store.settings.change(last_seconds_cue=True)
    app = make_test_app(start_routine=long_holds)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, app)
        while not (screen.recorder.engine.phase is Phase.HOLD and seconds_left(screen) < 2.5):
            follow_timer(screen, clock)
        assert moments_heard(cue_log).count("3 seconds left") == 1
        await pilot.press("plus")  # +10 s: the end, and so the count, moves on
        await pilot.pause()
        while screen.recorder.engine.index == 0:
            follow_timer(screen, clock)
        await pilot.pause()
    assert moments_heard(cue_log).count("3 seconds left") == 2


class FakeSpeaker:
    """Takes the place of the speech program: keeps what it was asked to say, and how often it was cut off."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.said: list[str] = []
        self.problem = None

    def say(self, text: str) -> None:
        self.said.append(text)

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


async def test_spoken_cues_say_each_moment_and_a_stopped_session_says_it_stopped(make_test_app, store, clock, cue_log,
                                                                                 long_holds):
    store.settings.change(speech=True, last_seconds_cue=True, halfway_cue=True)
    app = make_test_app(start_routine=long_holds)
    app.cues.choose_speech = lambda line: SpeechChoice(["speak", "{text}"], "found")
    speaker = FakeSpeaker(["speak", "{text}"])
    app.cues.speaker = speaker  # type: ignore[assignment]
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, app)
        while screen.recorder.engine.index == 0:
            follow_timer(screen, clock)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # "Stop"
        await pilot.pause()
    assert speaker.said == ["Get ready: Pelvic tilt.", "Pelvic tilt, twenty-five seconds", "Halfway", "Three, two, one",
                            "Get ready: Side knee drop, left side.", "Stopped. How is your pain now?"]
    assert "\x1b]9;Stopped: after 1 of 2 holds\x1b\\" in "".join(cue_log)
