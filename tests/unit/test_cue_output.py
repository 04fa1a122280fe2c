"""What a cue writes to the terminal and when: the first ring at once, the rest planned, a new cue cutting the old off."""

from __future__ import annotations

import threading
import time

import pytest

from tui.domain import announce
from tui.domain.cues import BellPattern, Moment
from tui.domain.exercises import Exercise
from tui.domain.plan import PlannedHold
from tui.domain.settings import Settings
from tui.ui.cues import BEL, Cues, Ringer, notification_sequence
from tui.ui.speech import SpeechChoice

HOLD = PlannedHold(0, Exercise("side-knee-drop", "Side Knee Drop", "Lie on your back."), "left", 1, 2, 30, 10)


class FakeLater:
    """The event loop's timer, moved by hand: planned calls run when `advance` passes them."""

    def __init__(self) -> None:
        self.now = 0.0
        self.planned: list[list] = []  # [due, callback, cancelled]

    def __call__(self, delay: float, callback):
        entry = [self.now + delay, callback, False]
        self.planned.append(entry)

        class Handle:
            def cancel(self) -> None:
                entry[2] = True

        return Handle()

    def advance(self, seconds: float) -> None:
        """Move time on, running each planned call at its own time."""
        until = self.now + seconds
        while due := [e for e in self.planned if not e[2] and e[0] <= until]:
            entry = min(due, key=lambda e: e[0])
            self.now, entry[2] = entry[0], True
            entry[1]()
        self.now = until

    def run_next_late(self, late: float) -> None:
        """Run the next planned call `late` seconds after its time, as a busy event loop would."""
        entry = min((e for e in self.planned if not e[2]), key=lambda e: e[0])
        self.now, entry[2] = entry[0] + late, True
        entry[1]()


class Terminal(list):
    """What was written, with the fake time it was written at."""

    def __init__(self, later: FakeLater) -> None:
        super().__init__()
        self.later = later

    def __call__(self, text: str) -> None:
        self.append((self.later.now, text))

    def rings(self) -> list[float]:
        return [at for at, text in self for _ in range(text.count(BEL))]


def make_cues(**options) -> tuple[Cues, Terminal, FakeLater]:
    later = FakeLater()
    terminal = Terminal(later)
    return Cues(write=terminal, later=later, in_tmux=False, **options), terminal, later


def test_the_first_ring_goes_out_at_once_and_the_rest_on_the_pattern_s_spacing():
    cues, terminal, later = make_cues()
    cues.cue(announce.switch_sides(HOLD))  # 3 rings, 250 ms apart
    assert terminal.rings() == [0.0]  # nothing waited for: the rest are planned
    later.advance(1.0)
    assert terminal.rings() == [0.0, 0.25, 0.5]


def test_a_late_ring_pushes_the_rest_back_so_no_two_come_closer_than_the_spacing():
    cues, terminal, later = make_cues()
    cues.cue(announce.session_done(3, 3))  # 5 rings, 250 ms apart
    later.advance(0.25)
    later.run_next_late(0.2)  # the third ring, 200 ms late
    later.advance(5)
    rings = terminal.rings()
    assert rings == pytest.approx([0.0, 0.25, 0.7, 0.95, 1.2])
    assert min(b - a for a, b in zip(rings, rings[1:])) >= 0.25 - 1e-9


def test_a_new_cue_cancels_what_is_left_of_the_old_pattern():
    cues, terminal, later = make_cues()
    cues.cue(announce.session_done(3, 3))  # 5 rings, 250 ms apart
    later.advance(0.3)
    cues.cue(announce.get_ready(HOLD, 5))  # 1 ring
    later.advance(2.0)
    assert terminal.rings() == [0.0, 0.25, 0.3]


def test_each_moment_rings_its_own_pattern():
    patterns = {moment: BellPattern(index + 1, 300) for index, moment in enumerate(Moment) if index < 5}
    patterns |= {Moment.HALFWAY: BellPattern(2, 900), Moment.DONE: BellPattern(1, 200)}
    cues, terminal, later = make_cues(patterns=patterns, optional=frozenset(Moment))
    words = {Moment.GET_READY: announce.get_ready(HOLD, 5), Moment.HOLD: announce.hold_starts(HOLD, 1, 2),
             Moment.SWITCH: announce.switch_sides(HOLD), Moment.REST: announce.rest(10, HOLD),
             Moment.LAST_SECONDS: announce.last_seconds(HOLD), Moment.HALFWAY: announce.halfway(HOLD, 15),
             Moment.DONE: announce.session_done(2, 2)}
    for moment, announcement in words.items():
        start = later.now
        cues.cue(announcement)
        later.advance(10)
        rings = [at - start for at in terminal.rings() if at >= start]
        assert rings == pytest.approx(patterns[moment].offsets()), moment


def test_the_optional_moments_are_silent_until_turned_on():
    cues, terminal, later = make_cues()
    cues.cue(announce.last_seconds(HOLD))
    cues.cue(announce.halfway(HOLD, 15))
    cues.cue(announce.seconds_left(10))  # a plain line, never a cue
    assert terminal == []
    cues.optional = frozenset({Moment.LAST_SECONDS})
    cues.cue(announce.last_seconds(HOLD))
    later.advance(5)
    assert terminal.rings() == [0.0, 1.0, 2.0]  # one ring a second: 3, 2, 1


def test_notifications_carry_each_moment_s_own_text():
    cues, terminal, later = make_cues(bell=False, notifications=True)
    cues.cue(announce.hold_starts(HOLD, 1, 25))
    cues.cue(announce.rest(10, HOLD))
    later.advance(5)
    written = "".join(text for _, text in terminal)
    assert BEL not in written  # the bell is off; the OSC strings end with ESC \
    assert written == (
        "\x1b]9;Hold 1 of 25: Side Knee Drop, left side, 30 seconds\x1b\\"
        "\x1b]777;notify;Hold 1 of 25;Side Knee Drop, left side, 30 seconds\x1b\\"
        "\x1b]9;Rest: 10 seconds, then Side Knee Drop, left side\x1b\\"
        "\x1b]777;notify;Rest;10 seconds, then Side Knee Drop, left side\x1b\\")


def test_inside_tmux_notifications_are_wrapped_and_control_characters_made_harmless():
    wrapped = notification_sequence("Hold", "Knee\x07;drop\x1b", in_tmux=True)
    # The name's controls show as their pictures (see safe_text); only the sequence's own ESCs remain.
    assert wrapped.startswith("\x1bPtmux;\x1b\x1b]9;Hold: Knee\u2407,drop\u241b\x1b\x1b\\\x1b\\")
    assert "\x07" not in wrapped


class FakeSpeaker:
    """Takes the place of a speech program."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.said: list[str] = []
        self.stopped = 0
        self.problem = None

    def say(self, text: str) -> None:
        self.said.append(text)

    def stop(self) -> None:
        self.stopped += 1

    def close(self) -> None:
        self.stopped += 1


def test_speech_says_the_spoken_words_after_the_first_ring():
    speaker = FakeSpeaker(["say", "{text}"])
    cues, terminal, later = make_cues(speaker=speaker)
    cues.cue(announce.hold_starts(HOLD, 1, 25))
    assert terminal.rings() == [0.0]
    assert speaker.said == ["Side knee drop, left side, thirty seconds"]


def test_settings_take_effect_at_once():
    cues, terminal, later = make_cues(choose_speech=lambda line: SpeechChoice(["espeak-ng", "{text}"], "found"))
    cues.configure(Settings(bell_hold=BellPattern(4, 400), halfway_cue=True, notifications=True))
    assert cues.patterns[Moment.HOLD] == BellPattern(4, 400)
    assert cues.wants(Moment.HALFWAY) and not cues.wants(Moment.LAST_SECONDS)
    assert cues.speaker is None  # speech is off by default
    cues.configure(Settings(speech=True))
    assert cues.speaker is not None and cues.speaker.command == ["espeak-ng", "{text}"]
    speaker = cues.speaker
    cues.configure(Settings(speech=True, bell=False))
    assert cues.speaker is speaker  # the same program: kept
    cues.configure(Settings(speech=False))
    assert cues.speaker is None
    nothing = make_cues(choose_speech=lambda line: SpeechChoice(None, "No speech program found"))[0]
    nothing.configure(Settings(speech=True))
    assert nothing.speaker is None


def test_the_ringer_rings_on_its_own_thread_while_the_main_thread_is_busy():
    written: list[tuple[float, str]] = []
    ringer = Ringer()
    cues = Cues(write=lambda text: written.append((time.monotonic(), threading.current_thread().name)), later=ringer,
                in_tmux=False)
    try:
        cues.cue(announce.switch_sides(HOLD))  # 3 rings, 250 ms apart
        busy_until = time.monotonic() + 1.0
        while time.monotonic() < busy_until:  # the event loop drawing a screen, say: it never lets go
            pass
        assert [name for _, name in written] == [threading.current_thread().name, "bell-ringer", "bell-ringer"]
        gaps = [b - a for (a, _), (b, _) in zip(written, written[1:])]
        assert all(gap >= 0.25 for gap in gaps), gaps  # never closer than the spacing
        cues.cue(announce.session_done(1, 1))  # 5 rings...
        cues.cue(announce.get_ready(HOLD, 5))  # ...called off at once by a cue of one ring
        time.sleep(0.6)
        assert len(written) == 3 + 1 + 1
    finally:
        cues.close()
    thread = ringer._thread
    assert thread is not None
    thread.join(timeout=5)
    assert not thread.is_alive()  # closing the cues ends the ringer's thread
