"""Plain mode's lines, driven by a fake clock: what is said, when, how often, and what is stored.

`PlainSession` runs against a scripted terminal: its key waits move the fake
clock instead of sleeping, so a minute-long session runs in milliseconds and
every line's time is exact.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.domain.clock import FakeClock
from tui.domain.engine import SessionEngine
from tui.domain.exercises import Exercise
from tui.domain.plan import Timings, expand
from tui.domain.routines import Routine, Step
from tui.plain.narration import MAX_LINES, NOTE, WINDOW_SECONDS, Line, LineGate, Narrator
from tui.plain.session import PlainSession
from tui.plain.terminal import decode_keys
from tui.storage.store import Store

T0 = 1000.0
ALPHA = Exercise("alpha", "Alpha", "Do alpha.")


class ScriptedTerminal:
    """Keys at set clock times; every line written, with the clock time it was written at."""

    def __init__(self, clock: FakeClock, script: list[tuple[float, list[str]]]) -> None:
        self.clock = clock
        self.script = sorted(script)
        self.lines: list[tuple[float, str]] = []
        self.raw = ""
        self.rings: list[tuple[float, int]] = []

    def __enter__(self) -> "ScriptedTerminal":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def check(self) -> None:
        pass

    def keys(self, timeout: float | None) -> list[str]:
        now = self.clock.monotonic()
        if self.script and (timeout is None or self.script[0][0] <= now + timeout):
            at, keys = self.script.pop(0)
            self.clock.advance(max(0.0, at - now))
            return list(keys)
        if timeout is None:
            raise AssertionError(f"waiting for a key with none left in the script; lines so far: {self.lines}")
        self.clock.advance(timeout)
        return []

    def write_line(self, text: str, bell: bool = False) -> None:
        self.lines.append((self.clock.monotonic(), text))
        self.raw += text + "\n"

    def write(self, text: str) -> None:
        self.raw += text

    def ring(self, pattern) -> None:
        self.rings.append((self.clock.monotonic(), pattern.rings))


ROUTINE = {
    "format": "backrelief-routine", "version": 1, "name": "Plain unit",
    "steps": [
        {"exercise": "pelvic-tilt", "hold_seconds": 12, "reps": 1, "rest_seconds": 0, "sides": "none"},
        {"exercise": "side-knee-drop", "hold_seconds": 5, "reps": 1, "rest_seconds": 0, "sides": "both"},
    ],
}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "data")
    store.settings.change(get_ready_seconds=2, switch_seconds=2, safety_acknowledged=True, rate_stretches=False)
    store.routines.import_file(json.dumps(ROUTINE).encode())
    return store


def run(store: Store, script: list[tuple[float, list[str]]], **settings) -> tuple[ScriptedTerminal, int]:
    clock = FakeClock()
    if settings:
        store.settings.change(**settings)
    terminal = ScriptedTerminal(clock, script)
    status = PlainSession(store, clock, store.routines.get("plain-unit"), store.settings.load(), terminal,
                          sleep=clock.advance).run()
    return terminal, status


def session_lines(terminal: ScriptedTerminal) -> list[tuple[float, str]]:
    """The lines from the first get-ready to the session's last, times from T0, instructions cut off."""
    start = next(i for i, (_, text) in enumerate(terminal.lines) if text.startswith("Get ready"))
    end = next(i for i, (_, text) in enumerate(terminal.lines) if text.startswith(("Done", "Stopped after")))
    return [(round(at - T0, 1), text.split(". ")[0]) for at, text in terminal.lines[start:end + 1]]


def test_a_whole_session_says_each_moment_once_at_its_time_and_is_stored(store):
    terminal, status = run(store, [(T0, ["enter"]), (T0 + 100, ["3", "enter", "o", "k", "enter"])])
    assert status == 0
    assert session_lines(terminal) == [
        (0.0, "Get ready 2 seconds: Pelvic Tilt"),
        (2.0, "Hold 1 of 3: Pelvic Tilt, 12 seconds"),
        (4.0, "10 seconds left"),
        (11.0, "3 seconds left"),
        (14.0, "Get ready 2 seconds: Side Knee Drop, left side"),
        (16.0, "Hold 2 of 3: Side Knee Drop, left side, 5 seconds"),
        (21.0, "Switch to the right side"),
        (23.0, "Hold 3 of 3: Side Knee Drop, right side, 5 seconds"),
        (28.0, "Done: 3 of 3 holds"),
    ]
    assert terminal.lines[-1][1] == "Saved: Plain unit, 3 of 3 holds, completed."
    [session] = store.sessions()
    assert (session.status, session.holds_done, session.pain_after, session.note) == ("completed", 3, 3, "ok")
    # Every phase rang its own pattern (default bells: get ready 1, hold 2, switch 3, done 5); 3-2-1 is off.
    assert [rings for _, rings in terminal.rings] == [1, 2, 1, 2, 3, 2, 5]
    assert "\x1b" not in terminal.raw  # no cursor movement, no colour


def test_keys_skip_add_time_and_pause_as_on_the_hold_screen(store):
    terminal, _ = run(store, [
        (T0, ["enter"]),
        (T0 + 3, ["+"]),            # the 12 s hold becomes 22 s: "10 seconds left" comes again later
        (T0 + 5, ["space"]),        # paused: no time lines while it is
        (T0 + 50, ["space"]),
        (T0 + 60, ["right"]),       # skip the rest of the hold
        (T0 + 200, ["enter", "enter"]),
    ])
    lines = session_lines(terminal)
    texts = [text for _, text in lines]
    assert texts[:6] == ["Get ready 2 seconds: Pelvic Tilt", "Hold 1 of 3: Pelvic Tilt, 12 seconds", "+10 seconds",
                         "20 seconds left", "Paused", "Going on: 19 seconds left"]
    assert all(not (5 < at < 50) for at, _ in lines[5:])  # nothing said while paused
    assert (59.0, "10 seconds left") in lines  # 19 s left at 50
    assert "Hold 2 of 3: Side Knee Drop, left side, 5 seconds" in texts
    assert texts[-1] == "Done: 3 of 3 holds"  # skipped after 13 s of a 12 s hold (+10 s): it was held in full


def test_keys_pressed_before_a_question_are_not_taken_as_its_answer(store):
    # Skipping through everything at once: the session ends, and the skips left over are not a pain rating.
    terminal, status = run(store, [(T0, ["enter"]), (T0 + 3, ["l"] * 9), (T0 + 100, ["4", "enter", "enter"])])
    assert status == 0
    [session] = store.sessions()
    assert (session.status, session.pain_after) == ("completed", 4)  # ran to its end, every hold skipped


def test_a_burst_of_keys_never_gives_more_than_three_lines_a_second(store):
    terminal, _ = run(store, [(T0, ["enter"]), (T0 + 3, ["l"] * 3 + ["left"] * 4 + ["+"] * 5),
                              (T0 + 100, ["enter", "enter"])])
    times = [at for at, _ in terminal.lines]
    for index, at in enumerate(times):
        assert sum(1 for other in times[index:] if other - at < 1.0) <= MAX_LINES, terminal.lines
    # What waited was merged: the newest state is said, not every state passed through.
    burst = [text for at, text in terminal.lines if T0 + 3 <= at < T0 + 5]
    assert len(burst) <= 2 * MAX_LINES


def test_something_is_wrong_stops_the_session_says_the_advice_and_records_the_event(store):
    terminal, status = run(store, [(T0, ["enter"]), (T0 + 5, ["!", "2"]), (T0 + 100, ["enter", "enter"])])
    assert status == 0
    texts = [text for _, text in terminal.lines]
    asked = next(i for i, text in enumerate(texts) if text.startswith("Something is wrong?"))
    assert "2: numbness or tingling" in texts[asked]
    assert texts[asked + 1].startswith("Emergency: if you also have numbness or tingling around your genitals")
    assert any(text.startswith("Otherwise: Stop the stretch") for text in texts)
    assert "Stopped after 0 of 3 holds" in texts
    [session] = store.sessions()
    assert session.status == "stopped"
    assert [(event.kind, event.at) for event in session.events] == [("numbness", FakeClock().now().replace(second=5))]


def test_a_rating_of_six_or_more_offers_to_shorten_the_stretch_for_the_rest_of_the_session(tmp_path):
    store = Store.open(tmp_path / "data")
    store.settings.change(get_ready_seconds=0, switch_seconds=0, safety_acknowledged=True, rate_stretches=True)
    routine = {**ROUTINE, "steps": [
        {"exercise": "pelvic-tilt", "hold_seconds": 3, "reps": 1, "rest_seconds": 0, "sides": "none"},
        {"exercise": "side-knee-drop", "hold_seconds": 3, "reps": 1, "rest_seconds": 0, "sides": "both"},
        {"exercise": "pelvic-tilt", "hold_seconds": 9, "reps": 1, "rest_seconds": 0, "sides": "none"},
    ]}
    store.routines.import_file(json.dumps(routine).encode())
    terminal, _ = run(store, [(T0, ["enter"]), (T0 + 3.5, ["1", "0"]), (T0 + 4, ["s"]), (T0 + 10.5, ["enter"]),
                              (T0 + 100, ["enter", "enter"])])
    texts = [text for _, text in terminal.lines]
    assert "How did Pelvic Tilt feel? Discomfort 0-10, enter skips:" in texts
    assert "10" in texts and "skipped" in texts
    assert texts[texts.index("10") + 1:texts.index("10") + 3] == [
        "10 out of 10: change that stretch? At 6 or more, a stretch should be changed or left out for now. "
        "Pelvic Tilt comes once more in this session. s: shorten it: hold 6 s instead of 9 s, "
        "o: leave it out for the rest of this session, enter: carry on as planned.",
        "Pelvic Tilt is shorter from now on.",
    ]
    assert any(text.startswith("Hold 4 of 4: Pelvic Tilt, 6 seconds") for text in texts)  # 9 s a third shorter
    [session] = store.sessions()
    assert [(r.step, r.exercise, r.discomfort) for r in session.step_ratings] == [(1, "pelvic-tilt", 10)]


def test_a_rating_of_six_or_more_for_a_stretch_that_does_not_come_again_gets_advice_for_next_time(tmp_path):
    # As the app says it: nothing is left to change in this session, so the advice is for the routine.
    store = Store.open(tmp_path / "data")
    store.settings.change(get_ready_seconds=0, switch_seconds=0, safety_acknowledged=True, rate_stretches=True)
    routine = {**ROUTINE, "steps": [
        {"exercise": "side-knee-drop", "hold_seconds": 3, "reps": 1, "rest_seconds": 0, "sides": "none"},
        {"exercise": "pelvic-tilt", "hold_seconds": 3, "reps": 1, "rest_seconds": 0, "sides": "none"},
    ]}
    store.routines.import_file(json.dumps(routine).encode())
    terminal, _ = run(store, [(T0, ["enter"]), (T0 + 3.5, ["7"]), (T0 + 100, ["enter", "enter"])])
    texts = [text for _, text in terminal.lines]
    assert texts[texts.index("7") + 1] == "Side Knee Drop: 7 of 10. Next time, shorten it or leave it out (edit the routine)."
    assert not any("change that stretch?" in text for text in texts)
    [session] = store.sessions()
    assert [(r.step, r.exercise, r.discomfort) for r in session.step_ratings] == [(1, "side-knee-drop", 7)]


def test_untrusted_names_and_instructions_reach_the_terminal_harmless(tmp_path):
    store = Store.open(tmp_path / "data")
    store.settings.change(get_ready_seconds=0, switch_seconds=0, safety_acknowledged=True, rate_stretches=False)
    clock = FakeClock()
    plan = expand(Routine("r", "R", (Step("alpha", 1),)), {"alpha": ALPHA})
    narrator = Narrator(SessionEngine(plan, Timings(0, 0)))
    narrator.engine.plan[0] = plan[0].__class__(**{**plan[0].__dict__, "exercise": Exercise("alpha", "A\x1b]0;x\x07", "go\x1b[2J")})
    [line] = narrator.for_events(narrator.engine.start(clock.monotonic()))
    from tui.plain.terminal import PlainTerminal
    import os

    read, write = os.pipe()
    out = PlainTerminal(in_fd=read, out_fd=write)
    out.write_line(line.text)
    os.close(write)
    written = os.read(read, 4096).decode()
    os.close(read)
    out.restore()
    assert "\x1b" not in written and "\x07" not in written and written.endswith("\n")
    assert "A␛]0;x␇" in written


def test_time_lines_come_each_ten_seconds_and_at_the_last_three():
    plan = expand(Routine("r", "R", (Step("alpha", 45),)), {"alpha": ALPHA})
    narrator = Narrator(SessionEngine(plan, Timings(0, 0)))
    assert narrator.marks(45) == [40, 30, 20, 10, 3]
    assert narrator.marks(12) == [10, 3] and narrator.marks(11) == [3] and narrator.marks(5) == []
    narrator.for_events(narrator.engine.start(T0))
    said = []
    now = T0
    while (due := narrator.next_due(now)) is not None and due <= T0 + 45:
        now = due + 0.001
        said += [(round(now - T0), line.text) for line in narrator.for_time(now)]
    assert said == [(5, "40 seconds left"), (15, "30 seconds left"), (25, "20 seconds left"), (35, "10 seconds left"),
                    (42, "3 seconds left")]
    # About 80 bytes in a 45 s hold: far under 100 bytes a second.
    assert sum(len(text) + 1 for _, text in said) / 45 < 5


def test_the_gate_merges_waiting_lines_by_slot_and_keeps_a_phase_line_over_a_time_line():
    gate = LineGate()
    for text in ("a", "b", "c"):
        gate.offer(Line(text, slot=NOTE))
        assert [line.text for line in gate.take(T0)] == [text]
    gate.offer(Line("Hold 2"))
    gate.offer(Line("10 seconds left", weak=True))  # does not replace the hold's line
    gate.offer(Line("+10 seconds", slot=NOTE))
    gate.offer(Line("One more rep added", slot=NOTE))  # replaces the note that waited
    assert gate.take(T0 + 0.5) == [] and gate.next_free(T0 + 0.5) == T0 + WINDOW_SECONDS
    assert gate.take(T0 + 1.0) == []  # a second and a little more: see WINDOW_SECONDS
    assert [line.text for line in gate.take(T0 + WINDOW_SECONDS)] == ["Hold 2", "One more rep added"]


def test_keys_are_decoded_from_what_the_terminal_sends():
    assert decode_keys("\x1b[C\x1bOD l+ \r\x7f!\x1b") == ["right", "left", "space", "l", "+", "space", "enter",
                                                               "backspace", "!", "escape"]
    assert decode_keys("\x1b[15~q") == ["q"]  # F5 is passed over whole
