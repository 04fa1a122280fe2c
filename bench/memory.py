"""Memory benchmark (issue 7): the peak memory a user sees, at empty and at ten-year history, against a bare Textual app.

Every command runs directly (no shell in between) on its own 80x24
pseudo-terminal, and the figure is the peak resident set size of that process:
`VmHWM` in `/proc/PID/status`, read while it still runs, just before it is stopped.

- bare: the one-line Textual app of `bench/bare_app.py`, once its line is on screen;
- empty: `python -m tui --data-dir` a fresh data dir (the `backrelief`
  command; safety note already acknowledged, as in the start-up benchmark),
  once the routine menu is on screen; then, in the same process, the journal
  (`J`), its stats (`t`), back to the menu and the first routine started, its
  check-in skipped, held for 2 s;
- ten-year: the same over 3,650 sessions (the start-up benchmark's ten-year
  journal, built by `bench.storage.generated_sessions`). The journal fills its
  table in the background, newest first: it counts as loaded once `ctrl+end`
  brings the oldest session's row on screen.

The three are alternated, a median of three runs (one with `--quick`) after a
warm-up run. Get-ready is set to 1 s in the data dirs to keep the runs short (the
hold screen is the same). Linux only: other systems have no `/proc/PID/status`.

    python -m bench.memory [--quick]
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.bare_app import READY_TEXT
from bench.pty_tools import PtyRun
from bench.report import bench_main, figure, median
from bench.storage import generated_sessions
from bench.terminal import COLS, MENU_TEXT, REPO, ROWS, _data_dir, _env, _python

TEN_YEARS = 3650
"""Sessions in the ten-year journal, one a day."""
SETTLE = 0.5
"""Seconds of output read after a screen appears, so its first repaints and timers are counted."""
HOLD_SECONDS = 2.0
"""How long the hold screen is kept in a hold before the peak is read."""
GET_READY_SECONDS = 1
"""Get-ready before the first hold in the benchmark's data dirs."""
STAGES = ("menu", "journal", "stats", "hold")
"""Where the app's peak is read along the way, in order; the last is its figure."""
KEY_END = "\x1b[F"
"""What an xterm sends for End."""
ALL_IN = 3.0
"""Seconds read after the oldest row shows: the months between are in by then (ten years take well under one)."""
"""What an xterm sends for ctrl+end: the journal table's cursor to its last row."""
ESCAPE = "\x1b"
"""The escape key: back one screen."""
WAIT = 60.0
"""Seconds any one screen may take to appear before the run is given up as broken."""


def peak_rss_mib(pid: int) -> float:
    """The peak resident set size of process `pid` so far (VmHWM), in MiB. Raises when there is none to read."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError as error:
        raise RuntimeError(f"cannot read the memory of process {pid}: {error}") from error
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            kib = line.split()[1]
            return int(kib) / 1024
    raise RuntimeError(f"process {pid} has no VmHWM line in /proc/{pid}/status (has it exited?)")


def _peak(run: PtyRun) -> float:
    """The peak of the running command; an error naming what it shows if it has already ended."""
    if run.process.poll() is not None:
        raise RuntimeError(f"{' '.join(run.argv)} exited ({run.process.returncode}) before its memory was read;"
                           f" screen:\n{run.text()}")
    return peak_rss_mib(run.process.pid)


def _show(run: PtyRun, text: str) -> None:
    """Wait until `text` is on screen, then read output for SETTLE seconds."""
    run.wait_for_text(text, WAIT)
    run.pump(SETTLE)


def _to_last_row(run: PtyRun, last_row: str) -> None:
    """Press End in the journal until `last_row` is on screen, then read on while the rest comes in.

    The journal reads its newest months, then its oldest (so End lands at once), then those between a
    slice at a time on the event loop: ALL_IN seconds after the oldest shows, every row is in.
    """
    deadline = time.monotonic() + WAIT
    while last_row not in run.text():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the journal's last row ({last_row}) not seen within {WAIT} s; screen:\n{run.text()}")
        run.send(KEY_END)
        run.pump(0.2)
    run.pump(ALL_IN)


def _in_hold(run: PtyRun) -> bool:
    screen = run.text()
    return re.search(r"\bHOLD\b", screen) is not None and "GET READY" not in screen


def measure_bare() -> float:
    """Peak MiB of the bare Textual app, once its line is on screen."""
    with PtyRun([_python(), "-m", "bench.bare_app"], COLS, ROWS, env=_env(), cwd=str(REPO)) as run:
        _show(run, READY_TEXT)
        return _peak(run)


def measure_app(data_dir: Path, last_row: str) -> dict[str, float]:
    """Peak MiB of the app after each of STAGES; `last_row` is on screen once the journal has every row in."""
    with PtyRun([_python(), "-m", "tui", "--data-dir", str(data_dir)], COLS, ROWS, env=_env(), cwd=str(REPO)) as run:
        peaks = {}
        _show(run, MENU_TEXT)
        peaks["menu"] = _peak(run)
        run.send("J")
        run.wait_for_text("— journal", WAIT)
        _to_last_row(run, last_row)
        run.pump(SETTLE)
        peaks["journal"] = _peak(run)
        run.send("t")
        _show(run, "— stats")
        peaks["stats"] = _peak(run)
        run.send(ESCAPE)
        run.wait_for_text("— journal", WAIT)
        run.send(ESCAPE)
        run.wait_for(lambda r: MENU_TEXT in r.text() and "— journal" not in r.text(), WAIT)
        run.pump(SETTLE)
        run.send("\r")  # start the routine under the cursor
        run.wait_for_text("Pain check-in", WAIT)
        run.pump(0.3)
        run.send("\r")  # skip the check-in
        run.wait_for(_in_hold, WAIT)
        run.pump(HOLD_SECONDS)
        peaks["hold"] = _peak(run)
        return peaks


def _ten_year_template(parent: Path) -> tuple[Path, str]:
    """A data dir with the ten-year journal; the journal table's text for its oldest session."""
    from tui.storage.store import Store
    from tui.ui.screens.journal import when_text

    path, _ = _data_dir(parent, "ten-year-template", get_ready_seconds=GET_READY_SECONDS)
    store = Store.open(path)
    sessions = generated_sessions(TEN_YEARS, store.routines.get("back-spasm-relief"), store, datetime.now(timezone.utc))
    added, _ = store.journal.merge(sessions)
    assert added == TEN_YEARS, f"seeded {added} of {TEN_YEARS} sessions"
    oldest = min(sessions, key=lambda s: s.started_at)
    return path, when_text(oldest)


def has_proc_memory() -> bool:
    """Whether this system reports peak memory the way the benchmark reads it."""
    try:
        return "VmHWM:" in Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False


def _ratio_line(label: str, value: float, bare: float) -> str:
    return f"{label} {value:.1f} MiB = {value / bare:.2f}x bare {bare:.1f} MiB"


def run(quick: bool = False, verbose: bool = True) -> list[dict]:
    """Measure and return the figures (see the module docstring)."""
    if not has_proc_memory():
        print("bench.memory: no VmHWM in /proc/self/status on this system (Linux only): nothing measured")
        return []
    runs = 1 if quick else 3
    bare: list[float] = []
    peaks: dict[str, dict[str, list[float]]] = {"empty": {s: [] for s in STAGES}, "ten-year": {s: [] for s in STAGES}}
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-memory-") as tmp:
        root = Path(tmp)
        template, oldest_row = _ten_year_template(root)
        no_sessions = "No sessions yet"
        # Warm-up: byte-compile and fill the disk cache, so the first measured run is not the odd one out.
        measure_bare()
        measure_app(_data_dir(root, "warm-up", get_ready_seconds=GET_READY_SECONDS)[0], no_sessions)
        for index in range(runs):  # alternated, so a busy moment of the machine hits all alike
            bare.append(measure_bare())
            empty, _ = _data_dir(root, f"empty-{index}", get_ready_seconds=GET_READY_SECONDS)
            # A fresh copy each run: a run leaves its session behind (interrupted), which would change the next.
            full = Path(shutil.copytree(template, root / f"ten-year-{index}"))
            for name, data_dir, last_row in (("empty", empty, no_sessions), ("ten-year", full, oldest_row)):
                for stage, value in measure_app(data_dir, last_row).items():
                    peaks[name][stage].append(value)

    base = median(bare)
    at = {name: {stage: median(values) for stage, values in stages.items()} for name, stages in peaks.items()}
    if verbose:
        print("Peak RSS (VmHWM), MiB per run: bare " + ", ".join(f"{x:.1f}" for x in bare))
        for name, stages in peaks.items():
            print(f"  {name}: " + "; ".join(f"{s} " + ", ".join(f"{x:.1f}" for x in v) for s, v in stages.items()))
        for name in peaks:
            print(" ", _ratio_line(f"{name}, at the menu:", at[name]["menu"], base))
            print(" ", _ratio_line(f"{name}, after journal, stats and hold:", at[name]["hold"], base))
        print()

    def steps(name: str) -> str:
        return "peak after each step (median): " + ", ".join(f"{s} {at[name][s]:.1f}" for s in STAGES) + " MiB"

    bare_words = "bare Textual app showing one line"
    hold = f"{HOLD_SECONDS:.0f} s"
    ten = f"ten-year ({TEN_YEARS:,} sessions)"
    return [
        figure(f"peak RSS, bare Textual app showing one line, 80x24 (median of {runs})", base, "MiB",
               target="reference"),
        figure("peak RSS at the routine menu, empty (0 sessions)", at["empty"]["menu"], "MiB", bare_words, base),
        figure(f"peak RSS at the routine menu, {ten}", at["ten-year"]["menu"], "MiB", bare_words, base),
        figure(f"peak RSS after journal, stats and a {hold} hold, empty (0 sessions)", at["empty"]["hold"], "MiB",
               bare_words, base, note=steps("empty")),
        figure(f"peak RSS after journal (all {TEN_YEARS:,} rows), stats and a {hold} hold, {ten}",
               at["ten-year"]["hold"], "MiB", bare_words, base, note=steps("ten-year")),
        figure(f"peak RSS after journal, stats and a {hold} hold, ten-year vs empty", at["ten-year"]["hold"], "MiB",
               "same steps at empty history", at["empty"]["hold"]),
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the memory figures."""
    return bench_main("python -m bench.memory", __doc__, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
