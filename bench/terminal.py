"""Terminal benchmark (issue 3): bytes sent during a hold, timing accuracy, start-up time.

- Bandwidth: `backrelief start` in an 80x24 pseudo-terminal, counting the bytes it
  writes per second during a long hold (big countdown and the picture of the pose),
  side by side with `termdown 30` in another 80x24 pseudo-terminal over the same
  window of time; then the same at 120x40, where the countdown is taller. Where
  our bytes go is broken down by screen row and by kind (text, colours, cursor moves).
- Timing: `backrelief start` through a short routine in a pseudo-terminal, idle
  and with a busy process on every core: how late each hold's end is heard (the
  first bell of the next cue, read from the terminal's byte stream) and how far
  the whole routine drifts from its plan.
- Start-up: launch to the routine menu on screen, against a bare Textual app
  showing one line (`bench/bare_app.py`), alternated, median of several runs.

    python -m bench.terminal [--quick] [--only bandwidth|timing|startup]
"""

from __future__ import annotations

import argparse
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
CHECK_IN_SECONDS = 2.0
"""How long the timing run takes to answer the pain check-in, as a person reading it would."""
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
    at_target_size = (cols, lines) == (80, 24)  # the figure is termdown's at 80x24; 120x40 has taller digits
    target = "<= 1x (issue: termdown ~220 B/s)" if at_target_size else "reference (taller digits)"
    if other_bytes is not None and other_alive:
        rows.append(figure(f"bytes/s during a hold, {size} (backrelief start)", ours_rate, "B/s",
                           "termdown 30, same size, same window", other_bytes / seconds, target,
                           note=f"counted over {seconds:.1f} s of a 40 s hold, the picture of the pose on screen; {summary}"))
        rows.append(figure(f"bytes/s, termdown 30 (reference), {size}", other_bytes / seconds, "B/s"))
    else:
        reason = "termdown is not installed (pip install termdown)" if not termdown else "termdown ended early"
        rows.append(figure(f"bytes/s during a hold, {size} (backrelief start)", ours_rate, "B/s",
                           target="<= 220 B/s (termdown in the issue)" if at_target_size else target,
                           note=f"no termdown figure: {reason}; {summary}"))
    if verbose:
        print(f"Where the bytes of the hold screen go at {size} (per second of the window):")
        print(describe_breakdown(breakdown, screen))
        print()
    return rows


# -- timing --------------------------------------------------------------------

def _cores() -> int:
    """The CPU cores this benchmark may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _timed_session(busy: bool, quick: bool) -> dict:
    """`backrelief start` through the timing routine in a pseudo-terminal, bells and notifications on.

    Each moment is read where the user hears it: the arrival of its first bell in the
    terminal's byte stream (the notification written with it names the moment). A hold
    ends when the cue after it (a rest, or done) rings. Planned instants count from the
    first cue (the get-ready's, written in the same step that starts the session's
    clock: the latest start that makes no cue early, as bench/cues.py counts), shifted
    by the pause once it was taken; the pause lasts from one space key written to the
    terminal to the other.
    """
    sys.path.insert(0, str(REPO))  # the stream reader lives with the e2e tests
    from tests.e2e.cue_stream import cues_heard

    routine_file = json.loads(json.dumps(TIMING_ROUTINE))
    if quick:
        routine_file["steps"][0]["reps"] = 4
    holds = routine_file["steps"][0]["reps"]
    middle = holds // 2
    hold, rest = routine_file["steps"][0]["hold_seconds"], routine_file["steps"][0]["rest_seconds"]
    # Busy means a busy process on every core: one alone leaves the app a core of its own on any multi-core machine.
    hogs = [subprocess.Popen([_python(), "-c", "while True: pass"]) for _ in range(_cores())] if busy else []
    try:
        with tempfile.TemporaryDirectory(prefix="backrelief-bench-timing-") as tmp:
            data_dir, routine_id = _data_dir(Path(tmp), "data", routine_file, get_ready_seconds=TIMING_GET_READY,
                                             bell=True, notifications=True)
            with PtyRun([_python(), "-m", "tui", "--data-dir", str(data_dir), "start", str(routine_id)], COLS, ROWS,
                        env=_env(), cwd=str(REPO)) as run:
                run.wait_for_text("Pain check-in", 60)
                run.pump(CHECK_IN_SECONDS)
                run.send("\r")
                run.wait_for(lambda r: any(c.title.startswith(f"Hold {middle + 1} ") for c in cues_heard(r.chunks)), 60)
                run.pump(0.5)
                run.send(" ")
                paused_at = time.monotonic()
                run.pump(PAUSE_SECONDS)
                run.send(" ")
                pause = time.monotonic() - paused_at
                run.wait_for_text("after the session", 60)
                run.pump(0.5)
                heard = cues_heard(run.chunks)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    cues = [cue for cue in heard if cue.rings]
    # Seconds from the first cue to each cue as planned: the get-ready, then each hold's start and its end (the
    # rest after it, or done); the cues after the hold the pause was taken in come that much later.
    planned = [0.0]
    for index in range(holds):
        hold_start = TIMING_GET_READY + index * (hold + rest)
        planned += [hold_start, hold_start + hold]
    planned = [at + (pause if number > 1 + 2 * middle else 0.0) for number, at in enumerate(planned)]
    titles = [cue.title for cue in cues]
    if len(cues) != len(planned) or not all(titles[1 + 2 * i].startswith("Hold ") for i in range(holds)):
        raise RuntimeError(f"expected a get-ready and {holds} holds with a cue after each, heard {titles}")
    # The latest start that makes no cue early (as bench/cues.py counts): the first cue's own bell may wait
    # behind the first frame, and every later cue would then look early by as much.
    start = min(cue.rings[0] - at for cue, at in zip(cues, planned))
    hold_errors = [cues[2 + 2 * i].rings[0] - (start + planned[2 + 2 * i]) for i in range(holds)]
    planned_total = planned[-1]
    return {
        "holds": holds,
        "max_hold_error": max(hold_errors),
        "drift": cues[-1].rings[0] - cues[0].rings[0] - planned_total,
        "planned_total": planned_total,
        "pause": pause,
        "rings": sum(len(cue.rings) for cue in cues),
    }


def measure_timing(quick: bool = False) -> list[dict]:
    """Hold-end lateness and whole-routine drift, heard as bells in a pseudo-terminal, idle and with a busy process on every core."""
    rows = []
    for busy in (False, True):
        result = _timed_session(busy, quick)
        load = f"a busy process on each of {_cores()} cores" if busy else "idle"
        rows.append(figure(f"latest hold end: its planned instant to the next cue's first bell in the pty's bytes "
                           f"({load}, {result['holds']} holds)",
                           result["max_hold_error"] * 1000, "ms", target="<= 50 ms",
                           note=f"{result['rings']} rings read; planned instants count from the latest start that "
                                f"makes no cue early"))
        rows.append(figure(f"whole-routine drift: first bell to the done bell against the plan "
                           f"({load}, planned {result['planned_total']:.1f} s incl. {result['pause']:.2f} s pause)",
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

    runs = 3 if quick else 11  # alternated; a median of many, as a start-up of 0.2 s moves with any load on the machine
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
        figure(f"start-up: process started to the routine menu on the pty's screen, 80x24 (median of {runs})",
               median(ours), "s", "bare Textual app: process started to its one line on screen", median(bare),
               "<= 1.2x (issue 15)"),
        figure("start-up: process started to the routine menu on screen, ten-year journal (3,650 sessions)",
               median(full_times), "s", "same, fresh data dir", median(ours), "<= 1.2x (about the same)"),
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
