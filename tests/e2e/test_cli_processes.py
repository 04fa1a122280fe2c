"""Real processes on one data dir: two command lines logging at once, and a session killed mid-hold."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.domain.clock import FakeClock
from tui.domain.plan import Timings
from tui.domain.routines import Routine, Step
from tui.storage.recorder import SessionRecorder
from tui.storage.store import Store

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]

LOGGER = textwrap.dedent("""
    # Wait for the go, then run `backrelief log` COUNT times in this process.
    import sys
    from tui.cli import main

    data_dir, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(count):
        at = f"2026-01-{1 + i % 28:02d}T08:{i % 60:02d}:00+00:00"
        code = main(["log", "back-spasm-relief", "--note", f"{name} {i}", "--at", at, "--data-dir", data_dir])
        if code != 0:
            sys.exit(code)
""")

RECORDER = textwrap.dedent("""
    # Record holds through SessionRecorder until killed; "ack N" once hold N is stored.
    import sys
    from tui.domain.clock import FakeClock
    from tui.domain.engine import HoldFinished
    from tui.domain.plan import Timings
    from tui.storage.recorder import SessionRecorder
    from tui.storage.store import Store

    store = Store.open(sys.argv[1])
    clock = FakeClock()
    recorder = SessionRecorder.begin(store, clock, store.routines.get("long"), Timings(0, 0), pain_before=7)
    print(f"session {recorder.session.id}", flush=True)
    recorder.start()
    while not recorder.engine.finished:
        clock.advance(1)
        for event in recorder.tick():
            if isinstance(event, HoldFinished):
                print(f"ack {event.index}", flush=True)
""")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "BACKRELIEF_DATA_DIR"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env())


def test_two_command_lines_logging_at_once_lose_nothing(tmp_path):
    data = tmp_path / "data"
    children = [_spawn(LOGGER, str(data), name, "20") for name in ("left", "right")]
    for child in children:
        assert child.stdout.readline() == "ready\n", child.stderr.read()
    for child in children:  # both start together
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert err == ""
        assert len(out.split()) == 20  # one id per session
    sessions = Store.open(data).sessions()
    print(f"\ntwo command lines logging at once: 2 processes x 20 sessions, {len(sessions)} stored, "
          f"{len({s.note for s in sessions})} distinct")
    assert len(sessions) == 40
    assert sorted(s.note for s in sessions) == sorted(f"{n} {i}" for n in ("left", "right") for i in range(20))
    assert len({s.id for s in sessions}) == 40
    assert all(s.status == "logged" for s in sessions)


def _long_routine(store: Store) -> Routine:
    """10 steps of 50 one-second holds: far more than a child gets through before the kill."""
    return store.routines.save(Routine(id="", name="Long", steps=tuple(
        Step(exercise, hold_seconds=1, reps=50) for exercise in ["pelvic-tilt", "prayer-pose"] * 5)))


def _kill_while_recording(data: Path, rng: random.Random) -> tuple[str, set[int]]:
    """Start a recording child, SIGKILL it after a random number of acks; (session id, acked holds)."""
    child = _spawn(RECORDER, str(data))
    first = child.stdout.readline()
    assert first.startswith("session "), child.stderr.read()
    acked: set[int] = set()
    for _ in range(rng.randint(1, 60)):
        line = child.stdout.readline()
        assert line.startswith("ack "), child.stderr.read()
        acked.add(int(line.split()[1]))
    child.send_signal(signal.SIGKILL)
    child.wait()
    for line in child.stdout.read().splitlines():  # acks printed before the kill landed
        if line.startswith("ack "):
            acked.add(int(line.split()[1]))
    for stream in (child.stdin, child.stdout, child.stderr):
        stream.close()
    return first.split()[1], acked


def test_a_killed_session_shows_interrupted_with_every_acknowledged_hold(tmp_path, rng):
    data = tmp_path / "data"
    store = Store.open(data)
    _long_routine(store)
    killed = {}  # after a number of acks drawn afresh each run (see tests/conftest.py)
    for _ in range(4):
        session_id, acked = _kill_while_recording(data, rng)
        killed[session_id] = acked
    store = Store.open(data)
    shown = {s.id: s for s in store.sessions()}
    acked = sum(len(holds) for holds in killed.values())
    stored = sum(len(shown[k].holds) for k in killed if k in shown)
    lost = sum(len(holds - set(range(len(shown[k].holds)))) if k in shown else len(holds) for k, holds in killed.items())
    print(f"\nsessions killed mid-hold: {len(killed)} kills, {acked} holds acknowledged, {stored} stored, {lost} lost")
    assert set(shown) == set(killed)
    for session_id, acked in killed.items():
        session = shown[session_id]
        assert session.status == "interrupted"
        assert session.pain_before == 7
        # Every acknowledged hold is there; at most the one being written when the kill came is extra.
        assert len(acked) <= len(session.holds) <= len(acked) + 1
        assert sorted(acked) == list(range(len(acked)))
        assert all(h.completed and h.held_seconds == 1 for h in session.holds)
        assert session.holds_planned == 500
    # Each can be resumed from where it stopped, then closed into the journal.
    first = next(iter(killed))
    resumed = SessionRecorder.resume(store, FakeClock(), first, Timings(0, 0))
    assert resumed is not None
    assert resumed.engine.index == len(shown[first].holds)
    assert resumed.engine.hold_records() == list(shown[first].holds)
    resumed.interrupt()
    for session_id in killed:
        assert store.active.close(session_id, store.journal) is not None
    assert {s.id: len(s.holds) for s in store.journal.list()} == {k: len(shown[k].holds) for k in killed}
    assert store.active.interrupted() == []
    assert sorted(s.id for s in store.sessions()) == sorted(killed)  # each once
