"""Terminal benchmark (issue 3): bytes sent during a hold, timing accuracy, start-up time.

- Bandwidth: `backrelief start` in an 80x24 pseudo-terminal, counting the bytes it
  writes per second during a long hold (big countdown and the picture of the pose),
  side by side with `termdown 30` in another 80x24 pseudo-terminal over the same
  window of time; then the same at 120x40, where the countdown is taller. Where
  our bytes go is broken down by screen row and by kind (text, colours, cursor moves).
- Timing: a short routine run through the real app (headless, real clock), idle
  and while another process keeps a CPU core busy: how late each hold ends and
  how far the whole routine drifts from its plan.
- Start-up: launch to the routine menu on screen, against a bare Textual app
  showing one line (`bench/bare_app.py`), alternated, median of several runs.

    python -m bench.terminal [--quick] [--only bandwidth|timing|startup]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from bench.pty_tools import PtyRun, pump_all, terminal_env
from bench.report import figure, format_table, median

REPO = Path(__file__).resolve().parent.parent
"""The checkout the benchmark runs from (so `-m bench.bare_app` resolves)."""
COLS, ROWS = 80, 24
"""The pseudo-terminal size of every measurement (the bandwidth is also measured at each of `BANDWIDTH_SIZES`)."""
BANDWIDTH_SIZES = ((80, 24), (120, 40))
"""Sizes the bytes of a hold are counted at: 80x24 (the target: at most termdown's) and 120x40 (taller digits)."""
HOLD_ROUTINE = {
    "format": "backrelief-routine", "version": 1, "name": "Bench long hold",
    "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 40, "reps": 1, "rest_seconds": 0, "sides": "none"}],
}
"""One 40-second hold: the bandwidth is measured inside it."""
TIMING_ROUTINE = {
    "format": "backrelief-routine", "version": 1, "name": "Bench timing",
    "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 2, "reps": 6, "rest_seconds": 1, "sides": "none"}],
}
"""Six holds of 2 s with 1 s rests."""
TIMING_GET_READY = 2
"""Get-ready seconds in the timing run."""
PAUSE_SECONDS = 1.5
"""The pause taken in the middle of the timing run."""
MENU_TEXT = "Routines"
"""Text on the routine menu; start-up ends when it is on screen."""


def _python() -> str:
    return sys.executable


def _env() -> dict[str, str]:
    return terminal_env({"PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")]))})


def _data_dir(parent: Path, name: str, routine: dict | None = None, **settings) -> tuple[Path, str | None]:
    """A fresh data dir whose user has acknowledged the safety note; the id of `routine` if given."""
    from tui.storage.store import Store

    path = parent / name
    store = Store.open(path)
    store.settings.change(safety_acknowledged=True, **{"rate_stretches": False, **settings})
    routine_id = store.routines.import_file(json.dumps(routine)).id if routine else None
    return path, routine_id


def find_termdown() -> str | None:
    """The termdown command beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / "termdown"
    if beside.exists():
        return str(beside)
    return shutil.which("termdown")


# -- where the bytes go --------------------------------------------------------

_TOKEN = re.compile(
    rb"\x1b\[(?P<csi>[0-9;?<>=$ ]*)(?P<final>[@-~])"   # CSI
    rb"|\x1b\](?P<osc>.*?)(?:\x07|\x1b\\)"               # OSC (title, notification)
    rb"|\x1bP.*?\x1b\\"                                  # DCS
    rb"|\x1b[^\[\]P]"                                    # other escapes
    rb"|(?P<ctl>[\x00-\x1a\x1c-\x1f])"                   # C0 controls (BEL, CR, LF, BS)
    rb"|(?P<text>[^\x00-\x1f]+)", re.S)


@dataclass
class ByteBreakdown:
    """Bytes of one output stream, by screen row and by kind."""

    seconds: float
    """Length of the window."""
    by_row: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    """Row (0-based) -> kind -> bytes."""
    by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    """Kind -> bytes: text, colour/style (SGR), cursor, sync, title/OSC, bell, other."""
    writes: int = 0
    """Separate reads of output (roughly: frames)."""
    row_writes: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    """Row -> how many times a cursor move landed on it."""

    @property
    def total(self) -> int:
        """All bytes."""
        return sum(self.by_kind.values())


def break_down(chunks: list[tuple[float, bytes]], seconds: float) -> ByteBreakdown:
    """Attribute every byte to the row the cursor was last moved to, and to a kind."""
    result = ByteBreakdown(seconds=seconds)
    row = -1
    for _, data in chunks:
        result.writes += 1
        for match in _TOKEN.finditer(data):
            size = match.end() - match.start()
            kind = "other"
            if match.group("final") is not None:
                final, params = match.group("final"), match.group("csi")
                if final == b"m":
                    kind = "colour/style (SGR)"
                elif params in (b"?2026", ) and final in b"hl":
                    kind = "sync"
                elif final in b"HfdG":
                    kind = "cursor"
                    numbers = [int(p) for p in params.split(b";") if p.isdigit()]
                    if final in b"Hf":
                        row = (numbers[0] if numbers else 1) - 1
                        result.row_writes[row] += 1
                    elif final == b"d":
                        row = (numbers[0] if numbers else 1) - 1
                        result.row_writes[row] += 1
                else:
                    kind = "other CSI"
            elif match.group("osc") is not None:
                kind = "title/OSC"
            elif match.group("ctl") is not None:
                kind = "bell" if match.group("ctl") == b"\x07" else "cursor"
                if match.group("ctl") == b"\n" and row >= 0:
                    row += 1
            elif match.group("text") is not None:
                kind = "text"
            result.by_kind[kind] += size
            result.by_row[row][kind] += size
    return result


def describe_breakdown(result: ByteBreakdown, screen_lines: list[str]) -> str:
    """A readable table: bytes per second by kind, then by row with what the row shows."""
    per = result.seconds
    lines = [f"{result.total / per:,.0f} B/s in {result.writes / per:.1f} writes/s;  by kind: " + ", ".join(
        f"{kind} {size / per:,.0f}" for kind, size in sorted(result.by_kind.items(), key=lambda kv: -kv[1]))]
    lines.append(" row  B/s  repaints/s  text  SGR  cursor  shows")
    for row in sorted(result.by_row, key=lambda r: -sum(result.by_row[r].values())):
        kinds = result.by_row[row]
        total = sum(kinds.values())
        if total / per < 1:
            continue
        shows = screen_lines[row].strip()[:40] if 0 <= row < len(screen_lines) else "(before the first cursor move)"
        lines.append(f" {row + 1:>3} {total / per:>5,.0f}  {result.row_writes.get(row, 0) / per:>9.1f}  "
                     f"{kinds['text'] / per:>4,.0f} {kinds['colour/style (SGR)'] / per:>4,.0f}  {kinds['cursor'] / per:>6,.0f}  {shows}")
    return "\n".join(lines)


# -- bandwidth -----------------------------------------------------------------

def _in_hold(run: PtyRun) -> bool:
    screen = run.text()
    return re.search(r"\bHOLD\b", screen) is not None and "GET READY" not in screen


def measure_bandwidth(quick: bool = False, verbose: bool = True) -> list[dict]:
    """Bytes per second during a hold, ours and termdown's, over the same window, at each of `BANDWIDTH_SIZES`."""
    rows = []
    for cols, lines in BANDWIDTH_SIZES:
        rows += _bandwidth_at(cols, lines, quick, verbose)
    return rows


def _bandwidth_at(cols: int, lines: int, quick: bool, verbose: bool) -> list[dict]:
    """Bytes per second during a hold at one size, ours and termdown's, over the same window."""
    window = 10.0 if quick else 25.0
    settle = 1.5  # the phase change repaints the whole screen: start counting after it
    termdown = find_termdown()
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-bw-") as tmp:
        data_dir, routine_id = _data_dir(Path(tmp), "data", HOLD_ROUTINE)
        ours = PtyRun([_python(), "-m", "tui", "--data-dir", str(data_dir), "start", routine_id],
                      cols, lines, env=_env(), cwd=str(REPO))
        other = None
        try:
            ours.wait_for_text("Pain check-in", 30)
            ours.pump(0.3)
            ours.send("\r")  # skip the check-in
            ours.wait_for(_in_hold, 30)
            if termdown:
                other = PtyRun([termdown, "30"], cols, lines, env=_env(), cwd=tmp)
            pump_all([r for r in (ours, other) if r], settle)
            start = time.monotonic()
            pump_all([r for r in (ours, other) if r], window)
            end = time.monotonic()
            ours_bytes = ours.bytes_between(start, end)
            breakdown = break_down(ours.output_between(start, end), end - start)
            screen = ours.lines()
            other_bytes = other.bytes_between(start, end) if other else None
            other_alive = other is not None and other.process.poll() is None
        finally:
            ours.close()
            if other:
                other.close()
    seconds = end - start
    ours_rate = ours_bytes / seconds
    summary = f"{breakdown.writes / seconds:.1f} writes/s; " + ", ".join(
        f"{kind} {size / seconds:,.0f}" for kind, size in sorted(breakdown.by_kind.items(), key=lambda kv: -kv[1])) + " B/s"
    rows = []
    size = f"{cols}x{lines}"
    target = "<= 1x (issue: termdown ~220 B/s)" if (cols, lines) == (80, 24) else "reference (taller digits)"
    if other_bytes is not None and other_alive:
        rows.append(figure(f"bytes/s during a hold, {size} (backrelief start)", ours_rate, "B/s",
                           "termdown 30, same size, same window", other_bytes / seconds, target,
                           note=f"counted over {seconds:.1f} s of a 40 s hold, the picture of the pose on screen; {summary}"))
        rows.append(figure(f"bytes/s, termdown 30 (reference), {size}", other_bytes / seconds, "B/s"))
    else:
        reason = "termdown is not installed (pip install termdown)" if not termdown else "termdown ended early"
        rows.append(figure(f"bytes/s during a hold, {size} (backrelief start)", ours_rate, "B/s",
                           target="<= 220 B/s (termdown in the issue)", note=f"no termdown figure: {reason}; {summary}"))
    if verbose:
        print(f"Where the bytes of the hold screen go at {size} (per second of the window):")
        print(describe_breakdown(breakdown, screen))
        print()
    return rows


# -- timing --------------------------------------------------------------------

async def _timed_session(busy: bool, quick: bool) -> dict:
    """Run the timing routine through the real app (headless, real clock); when each event was handled."""
    from tui.domain.clock import SystemClock
    from tui.domain.engine import HoldFinished, PhaseStarted, SessionEnded
    from tui.domain.plan import Phase, lead_in
    from tui.storage.recorder import SessionRecorder
    from tui.storage.store import Store
    from tui.ui.app import make_app
    from tui.ui.cues import Cues
    from tui.ui.screens.hold import HoldScreen

    routine_file = json.loads(json.dumps(TIMING_ROUTINE))
    if quick:
        routine_file["steps"][0]["reps"] = 4
    handled: list[tuple[float, object]] = []
    toggles: list[float] = []
    original_handle = HoldScreen._handle
    original_toggle = SessionRecorder.toggle_pause

    def recording_handle(screen, events):  # the moment the screen handles each event
        now = time.monotonic()
        handled.extend((now, event) for event in events)
        return original_handle(screen, events)

    def recording_toggle(recorder):
        toggles.append(time.monotonic())
        return original_toggle(recorder)

    # Busy means a busy process on every core: one alone leaves the app a core of its own on any multi-core machine.
    hogs = [subprocess.Popen([_python(), "-c", "while True: pass"]) for _ in range(os.cpu_count() or 1)] if busy else []
    HoldScreen._handle = recording_handle
    SessionRecorder.toggle_pause = recording_toggle
    try:
        with tempfile.TemporaryDirectory(prefix="backrelief-bench-timing-") as tmp:
            data_dir, routine_id = _data_dir(Path(tmp), "data", routine_file, get_ready_seconds=TIMING_GET_READY, bell=False)
            store = Store.open(data_dir)
            routine = store.routines.get(routine_id)
            app = make_app(store, clock=SystemClock(), start_routine=routine, cues=Cues(write=lambda text: None, bell=False))
            async with app.run_test(size=(COLS, ROWS)) as pilot:
                await _wait(lambda: type(app.screen).__name__ == "PainCheckIn", 20)
                await pilot.press("enter")
                await _wait(lambda: isinstance(app.screen, HoldScreen), 20)
                screen = app.screen
                plan = screen.recorder.engine.plan
                middle = len(plan) // 2
                await _wait(lambda: any(isinstance(e, PhaseStarted) and e.phase is Phase.HOLD and e.index == middle
                                        for _, e in handled), 60)
                await asyncio.sleep(0.5)
                await pilot.press("space")
                await asyncio.sleep(PAUSE_SECONDS)
                await pilot.press("space")
                await _wait(lambda: any(isinstance(e, SessionEnded) for _, e in handled), 60)
                timings = screen.recorder.engine.timings
    finally:
        HoldScreen._handle = original_handle
        SessionRecorder.toggle_pause = original_toggle
        for hog in hogs:
            hog.kill()
            hog.wait()

    start = next(e.at for _, e in handled if isinstance(e, PhaseStarted))
    pause = (toggles[1] - toggles[0]) if len(toggles) >= 2 else 0.0
    paused_at = toggles[0] if toggles else float("inf")
    # The plan: every lead-in and hold back to back from the start, shifted by the pause once it happened.
    planned_ends, planned_starts, moment, previous = {}, {}, start, None
    for index, hold in enumerate(plan):
        phase, length = lead_in(previous, hold, timings)
        planned_starts[(phase, index)] = moment
        moment += length
        planned_starts[(Phase.HOLD, index)] = moment
        moment += hold.planned_seconds
        planned_ends[index] = moment
        previous = hold

    def shifted(planned: float) -> float:
        return planned + pause if planned > paused_at else planned

    hold_errors = [at - shifted(planned_ends[e.index]) for at, e in handled if isinstance(e, HoldFinished)]
    phase_errors = [at - shifted(planned_starts[(e.phase, e.index)]) for at, e in handled
                    if isinstance(e, PhaseStarted) and (e.phase, e.index) in planned_starts and e.at > start]
    ended = next(at for at, e in handled if isinstance(e, SessionEnded))
    planned_total = moment - start + pause
    return {
        "holds": len(hold_errors),
        "max_hold_error": max(abs(x) for x in hold_errors),
        "max_phase_error": max((abs(x) for x in phase_errors), default=0.0),
        "drift": (ended - start) - planned_total,
        "planned_total": planned_total,
        "pause": pause,
    }


async def _wait(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.01)


def measure_timing(quick: bool = False) -> list[dict]:
    """Hold-end error and whole-routine drift, idle and with a busy process on every core."""
    rows = []
    for busy in (False, True):
        result = asyncio.run(_timed_session(busy, quick))
        load = f"a busy process on each of {os.cpu_count()} cores" if busy else "idle"
        rows.append(figure(f"latest hold end, headless app: handler run after the planned moment ({load}, {result['holds']} holds)",
                           result["max_hold_error"] * 1000, "ms", target="<= 50 ms",
                           note=f"latest phase start {result['max_phase_error'] * 1000:.1f} ms"))
        rows.append(figure(f"whole-routine drift ({load}, planned {result['planned_total']:.1f} s incl. {result['pause']:.2f} s pause)",
                           result["drift"], "s", target="|value| <= 0.2 s"))
    return rows


# -- start-up ------------------------------------------------------------------

def _time_to_text(argv: list[str], text: str) -> float:
    with PtyRun(argv, COLS, ROWS, env=_env(), cwd=str(REPO)) as run:
        return run.wait_for_text(text, 60) - run.started_at


def measure_startup(quick: bool = False, verbose: bool = True) -> list[dict]:
    """Launch to routine menu (fresh data dir, and a ten-year journal) against a bare Textual app, alternated."""
    from bench.bare_app import READY_TEXT
    from bench.storage import generated_sessions
    from tui.storage.store import Store

    runs = 3 if quick else 7
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-start-") as tmp:
        fresh, _ = _data_dir(Path(tmp), "fresh")
        full, _ = _data_dir(Path(tmp), "ten-year")
        store = Store.open(full)
        routine = store.routines.get("back-spasm-relief")
        store.journal.merge(generated_sessions(3650, routine, store, datetime.now(timezone.utc)))
        commands = {
            "ours": ([_python(), "-m", "tui", "--data-dir", str(fresh)], MENU_TEXT),
            "ours, ten-year journal": ([_python(), "-m", "tui", "--data-dir", str(full)], MENU_TEXT),
            "bare": ([_python(), "-m", "bench.bare_app"], READY_TEXT),
        }
        for argv, text in commands.values():
            _time_to_text(argv, text)  # warm-up: byte-compile, fill the disk cache
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (argv, text) in commands.items():
                times[name].append(_time_to_text(argv, text))
    ours, full_times, bare = times["ours"], times["ours, ten-year journal"], times["bare"]
    if verbose:
        print("Start-up, seconds per run:", "; ".join(f"{k}: " + ", ".join(f"{x:.2f}" for x in v) for k, v in times.items()))
        print(import_breakdown())
        print()
    return [
        figure(f"start-up to the routine menu, 80x24 (median of {runs})", median(ours), "s",
               "bare Textual app showing one line", median(bare), "<= 1.2x (issue 15)"),
        figure("start-up to the routine menu, ten-year journal (3,650 sessions)", median(full_times), "s",
               "same, fresh data dir", median(ours), "<= 1.2x (about the same)"),
    ]


def import_breakdown() -> str:
    """Where the import time of the app goes (one `python -X importtime` run): own time by package."""
    result = subprocess.run([_python(), "-X", "importtime", "-c", "import tui.cli, tui.ui.app"],
                            capture_output=True, text=True, env=_env(), cwd=str(REPO))
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].split(":")[-1].strip().isdigit():
            rows.append((int(parts[0].split(":")[-1]), parts[2].strip()))
    groups: dict[str, int] = defaultdict(int)
    for own, name in rows:
        top = name.split(".")[0]
        groups["tui.ui" if name.startswith("tui.ui") else top if top in ("tui", "textual", "rich") else "other"] += own
    ours = sorted(((own, name) for own, name in rows if name.startswith("tui")), reverse=True)[:8]
    return ("Import time of `import tui.cli, tui.ui.app` by package (own time): "
            + ", ".join(f"{k} {v / 1000:.0f} ms" for k, v in sorted(groups.items(), key=lambda kv: -kv[1]))
            + "\n  slowest of ours: " + ", ".join(f"{name} {own / 1000:.0f} ms" for own, name in ours))


# -- all -----------------------------------------------------------------------

PARTS = {"bandwidth": measure_bandwidth, "timing": measure_timing, "startup": measure_startup}
"""Each measurement by name."""


def run(quick: bool = False, only: str | None = None) -> list[dict]:
    """Measure and return the figures (see the module docstring)."""
    rows = []
    for name, measure in PARTS.items():
        if only is None or only == name:
            rows += measure(quick=quick)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the terminal figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.terminal", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, shorter windows")
    parser.add_argument("--only", choices=sorted(PARTS), help="run one measurement")
    args = parser.parse_args(argv)
    print(format_table(run(quick=args.quick, only=args.only)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
