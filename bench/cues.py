"""Cue benchmark (issue 12): how soon each moment's bells, and its spoken words, start after the moment's instant.

`backrelief start` runs in an 80x24 pseudo-terminal through a routine in which
every kind of moment happens (get ready, holds on both sides, switch, rest,
halfway through a 20 s hold, its last three seconds, done), with notifications
on (each names its cue in the byte stream), the optional cues on, and speech
on: the speech command is `tests/e2e/fake_speech.py`, which records the
instant it started. Idle, then with every CPU core busy (one busy process per
core).

- Bell latency: from each moment's planned instant to the arrival of the first
  BEL of its pattern in the byte stream, read with its arrival time.
- Ring spacing: how much closer two rings of one pattern came than its spacing
  (a terminal may merge bells that come too close).
- Speech latency: from the planned instant to the moment the speech program's
  process was created (the kernel's record of it, read by the fake program; on
  Linux, rounded up to the next 10 ms tick), which is when the app started it:
  the fake's own interpreter start-up is not the app's doing. Where /proc is
  missing, the fake's first instant is used instead (start-up included). The
  baseline is the same program started by a bare `Popen` in the same run.

Planned instants are the routine's timeline (every phase length is known)
counted from one start: the latest start that makes no cue early, that is, the
cue that came soonest counts as on time. The app starts the session's clock and
writes the first cue in one step, so this start is the real one to within the
write path (a millisecond or two), and any lateness the other cues show is
their own.

    python -m bench.cues [--quick]
"""

from __future__ import annotations

import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.pty_tools import PtyRun, pump_all, terminal_env
from bench.report import bench_main, figure, median

REPO = Path(__file__).resolve().parent.parent
"""The checkout the benchmark runs from."""
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # the stream reader and the fake speech program live with the e2e tests

from tests.e2e.cue_stream import cues_heard  # noqa: E402
from tui.domain.cues import DEFAULT_PATTERNS, Moment  # noqa: E402

FAKE_SPEECH = REPO / "tests" / "e2e" / "fake_speech.py"
"""A speech program that records when it started."""
COLS, ROWS = 80, 24
"""The pseudo-terminal size."""
ROUTINE = {
    "format": "backrelief-routine", "version": 1, "name": "Bench cues",
    "steps": [
        {"exercise": "side-knee-drop", "hold_seconds": 2, "reps": 2, "rest_seconds": 1, "sides": "both"},
        {"exercise": "pelvic-tilt", "hold_seconds": 20, "reps": 1, "rest_seconds": 0, "sides": "none"},
    ],
}
"""Every moment: get ready, hold, switch, hold, rest, hold, switch, hold, get ready, hold, halfway, 3-2-1, done."""
GET_READY = 5
"""Get-ready seconds: the default. The first paint of the hold screen can hold the event loop up for a moment on
a busy machine (about 0.1 s at a load of 10 on 2 cores); a get-ready of 1 s would put the first hold's cue in it."""
SWITCH = 1
"""Switch-sides seconds (short, to keep the run short)."""
PLAN = [0, 5, 7, 8, 10, 11, 13, 14, 16, 21, 31, 38, 41]
"""Seconds from the first cue to each cue, as planned (see ROUTINE, GET_READY and SWITCH)."""
BELL_TARGET_MS = 50
"""Every bell pattern starts within this of its moment."""
SPEECH_TARGET_MS = 100
"""Every spoken cue starts its program within this of its moment."""
SPACING_TARGET_MS = 50
"""Most two rings of a pattern may come closer than its spacing, as read (the first ring can wait behind a frame
in the terminal's write queue): with the 200 ms floor on spacing, no two bells then come closer than 150 ms."""
CHECK_IN_SECONDS = 2.0
"""How long the benchmark takes to answer the pain check-in, as a person reading it would. Answered at once, the
first hold's cue can meet the app's own start-up work (the screens' stylesheets are read just after the first frame)."""
TITLE_MOMENTS = {"Get ready": Moment.GET_READY, "Hold": Moment.HOLD, "Switch sides": Moment.SWITCH, "Rest": Moment.REST,
                 "Halfway": Moment.HALFWAY, "3 seconds left": Moment.LAST_SECONDS, "Done": Moment.DONE}
"""The moment each notification title names (`Hold 3 of 5` is a hold)."""


def _env() -> dict[str, str]:
    return terminal_env({"PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")]))})


def _fake_command(log: Path) -> list[str]:
    return [sys.executable, "-S", str(FAKE_SPEECH), str(log), "60"]


def _data_dir(parent: Path, log: Path) -> tuple[Path, str]:
    from tui.storage.store import Store

    store = Store.open(parent / "data")
    store.settings.change(safety_acknowledged=True, rate_stretches=False, get_ready_seconds=GET_READY,
                          switch_seconds=SWITCH,
                          notifications=True, last_seconds_cue=True, halfway_cue=True, speech=True,
                          speech_command=shlex.join(_fake_command(log)))
    return parent / "data", store.routines.import_file(json.dumps(ROUTINE)).id


def _speech_starts(log: Path) -> list[dict]:
    lines = log.read_text().splitlines() if log.exists() else []
    return [event for event in map(json.loads, lines) if event["event"] == "start"]


def _started(event: dict) -> float:
    """When a speech program was started: its process's creation if known, else its first instant."""
    return event["created"] if event.get("created") is not None else event["at"]


def fake_start_up(runs: int = 5) -> float:
    """Seconds from a bare `Popen` of the fake speech program to its start (see `_started`), median of `runs`."""
    times = []
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-fake-") as tmp:
        log = Path(tmp) / "log"
        for run in range(runs):
            before = time.monotonic()
            process = subprocess.Popen([*_fake_command(log)[:-1], "0", f"run {run}"], stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            process.wait()
            times.append(_started(_speech_starts(log)[-1]) - before)
    return median(times)


def measure_session() -> dict:
    """One session through every moment: each cue's bell latency, ring spacing and speech latency, in seconds."""
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-cues-") as tmp:
        log = Path(tmp) / "speech.jsonl"
        data_dir, routine_id = _data_dir(Path(tmp), log)
        run = PtyRun([sys.executable, "-m", "tui", "--data-dir", str(data_dir), "start", routine_id], COLS, ROWS,
                     env=_env(), cwd=str(REPO))
        try:
            run.wait_for_text("Pain check-in", 60)
            pump_all([run], CHECK_IN_SECONDS)
            run.send("\r")
            run.wait_for_text("after the session", PLAN[-1] + 60)
            pump_all([run], 1.5)  # the last pattern's later rings
        finally:
            run.close()
        heard = cues_heard(run.chunks)
        spoken = _speech_starts(log)
    if len(heard) != len(PLAN) or len(spoken) != len(PLAN):
        raise RuntimeError(f"expected {len(PLAN)} cues, heard {[c.title for c in heard]}, spoke {len(spoken)}")
    start = min(cue.rings[0] - planned for cue, planned in zip(heard, PLAN))
    bells = [cue.rings[0] - (start + planned) for cue, planned in zip(heard, PLAN)]
    speech = [_started(event) - (start + planned) for event, planned in zip(spoken, PLAN)]
    interpreter = [event["at"] - _started(event) for event in spoken]
    closer = [_spacing(cue.title) - gap for cue in heard for gap in cue.gaps()]
    return {"bells": bells, "speech": speech, "closer": closer, "titles": [cue.title for cue in heard],
            "rings": sum(len(cue.rings) for cue in heard), "interpreter": median(interpreter),
            "created": all(event.get("created") is not None for event in spoken)}


def _spacing(title: str) -> float:
    """Seconds between rings of the pattern of the moment a notification title names (the defaults are in use)."""
    moment = TITLE_MOMENTS["Hold" if title.startswith("Hold ") else title]
    return DEFAULT_PATTERNS[moment].spacing_ms / 1000


def _busy_processes() -> list[subprocess.Popen[bytes]]:
    """One process spinning on each CPU core this benchmark may use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cores)]


def run(quick: bool = False) -> list[dict]:
    """Measure and return the figures (see the module docstring)."""
    rows = []
    for busy in (False, True):
        hogs = _busy_processes() if busy else []
        try:
            baseline = fake_start_up(3 if quick else 5)
            result = measure_session()
        finally:
            for hog in hogs:
                hog.kill()
                hog.wait()
        load = f"every core busy ({len(hogs)} busy processes)" if busy else "idle"
        bells, speech, closer = result["bells"], result["speech"], result["closer"]
        worst_bell = max(range(len(bells)), key=lambda i: bells[i])
        worst_speech = max(range(len(speech)), key=lambda i: speech[i])
        count = len(bells)
        rows.append(figure(f"bell pattern start after its moment, latest of {count} cues ({load})", bells[worst_bell] * 1000,
                           "ms", target=f"<= {BELL_TARGET_MS} ms",
                           note=f"median {statistics.median(bells) * 1000:.1f} ms; latest: {result['titles'][worst_bell]}; "
                                f"{result['rings']} rings read from the pty"))
        rows.append(figure(f"ring spacing: most two rings came closer than their pattern's spacing ({load})",
                           max(closer, default=0.0) * 1000, "ms", target=f"<= {SPACING_TARGET_MS} ms",
                           note=f"{len(closer)} gaps between rings; the widest was "
                                f"{-min(closer, default=0.0) * 1000:.1f} ms over its spacing"))
        started = ("its process created (10 ms ticks, rounded up)" if result["created"]
                   else "its first instant (no /proc here: its Python start-up included)")
        rows.append(figure(f"speech program start after its moment, latest of {count} cues ({load})",
                           speech[worst_speech] * 1000, "ms", "a bare Popen of the same program", baseline * 1000,
                           f"<= {SPEECH_TARGET_MS} ms",
                           note=f"median {statistics.median(speech) * 1000:.1f} ms; latest: {result['titles'][worst_speech]}; "
                                f"started = {started}; the fake's Python then took a median "
                                f"{result['interpreter'] * 1000:.0f} ms more to run its first line"))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the cue figures."""
    return bench_main("python -m bench.cues", __doc__ or "", run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
