"""Plain mode benchmark (issue 12): lines a second at the busiest moment, and bytes a second during holds.

`backrelief start ROUTINE --plain` runs in an 80x24 pseudo-terminal through a
routine with get-ready, holds on both sides, a switch and a rest; every chunk it
writes is kept with its arrival time.

- Lines a second, peak: the most newlines that arrived within any one second of
  the session (the limit is 3), once over the plain session and once with a
  burst of keys (skip, back, +10 s, one more rep: 30 keys in one write) in a
  long hold, the worst a user can do.
- Bytes a second during a hold: each hold's bytes from its first line to the
  next phase's line, over the hold's length (the limit is 100 on average), with
  and without the hold's opening line (which carries the instructions once).
- Baseline: `termdown N` (a big-digit countdown) in the same pseudo-terminal over
  the same length, as the hold screen's own benchmark uses.

    python -m bench.plain [--quick]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from bench.pty_tools import PtyRun, pump_all, terminal_env
from bench.report import bench_main, figure
from bench.terminal import find_termdown

REPO = Path(__file__).resolve().parent.parent
"""The checkout the benchmark runs from."""
COLS, ROWS = 80, 24
"""The pseudo-terminal size."""
PHASE_STARTS = (b"Get ready", b"Hold ", b"Switch", b"Rest ", b"Done", b"Stopped")
"""How the lines that start a phase begin."""


def _routine(hold: int) -> dict:
    return {
        "format": "backrelief-routine", "version": 1, "name": "Bench plain",
        "steps": [
            {"exercise": "pelvic-tilt", "hold_seconds": hold, "reps": 2, "rest_seconds": 5, "sides": "none"},
            {"exercise": "side-knee-drop", "hold_seconds": hold, "reps": 1, "rest_seconds": 0, "sides": "both"},
        ],
    }


def _data_dir(parent: Path, routine: dict) -> tuple[Path, str]:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from tui.storage.store import Store

    store = Store.open(parent / "data")
    store.settings.change(safety_acknowledged=True, get_ready_seconds=3, switch_seconds=3, rate_stretches=False)
    return parent / "data", store.routines.import_file(json.dumps(routine).encode()).id


def _start(data_dir: Path, routine_id: str) -> PtyRun:
    env = terminal_env({"PYTHONPATH": str(REPO)})
    run = PtyRun([sys.executable, "-m", "tui", "--data-dir", str(data_dir), "start", routine_id, "--plain"],
                 COLS, ROWS, env=env, cwd=str(REPO))
    run.wait_for(lambda r: b"Enter skips:" in _bytes(r), 30)
    run.send("\r")  # no pain rating
    return run


def _bytes(run: PtyRun) -> bytes:
    return b"".join(data for _, data in run.chunks)


def lines_with_times(chunks: list[tuple[float, bytes]]) -> list[tuple[float, bytes]]:
    """Each complete line written, with the arrival time of its newline."""
    lines: list[tuple[float, bytes]] = []
    pending = b""
    for at, data in chunks:
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            lines.append((at, line.replace(b"\x07", b"").strip(b"\r") + b"\n"))
    return lines


def peak_lines_per_second(lines: list[tuple[float, bytes]]) -> int:
    """The most lines within any one second."""
    times = [at for at, _ in lines]
    return max((sum(1 for other in times[i:] if other - at < 1.0) for i, at in enumerate(times)), default=0)


def hold_rates(lines: list[tuple[float, bytes]]) -> list[tuple[float, float]]:
    """For each hold, bytes a second over its length: (with its opening line, without it)."""
    rates = []
    for index, (at, line) in enumerate(lines):
        if not line.startswith(b"Hold "):
            continue
        end = next((t for t, other in lines[index + 1:] if other.startswith(PHASE_STARTS)), None)
        if end is None or end <= at:
            continue
        inside = sum(len(other) for t, other in lines[index + 1:] if t < end)
        rates.append(((inside + len(line)) / (end - at), inside / (end - at)))
    return rates


def _termdown_rate(seconds: float) -> float | None:
    termdown = find_termdown()
    if not termdown:
        return None
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-plain-td-") as tmp:
        run = PtyRun([termdown, str(int(seconds) + 5)], COLS, ROWS, env=terminal_env(), cwd=tmp)
        try:
            pump_all([run], 1.5)
            start = time.monotonic()
            pump_all([run], seconds)
            return run.bytes_between(start, time.monotonic()) / seconds
        finally:
            run.close()


def run(quick: bool = False) -> list[dict]:
    """The plain-mode figures."""
    hold = 12 if quick else 30
    rows = []
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-plain-") as tmp:
        data_dir, routine_id = _data_dir(Path(tmp), _routine(hold))
        with _start(data_dir, routine_id) as session:
            session.wait_for(lambda r: b"after the session?" in _bytes(r), hold * 6 + 60)
            lines = lines_with_times(session.chunks)
            session.send("\r\r")
        start = next(at for at, line in lines if line.startswith(b"Get ready"))
        in_session = [(at, line) for at, line in lines if at >= start]
        rates = hold_rates(in_session)
        baseline = _termdown_rate(min(hold, 15))
        rows.append(figure(f"plain mode: lines in the busiest second of a session ({len(rates)} holds of {hold} s)",
                           peak_lines_per_second(in_session), "lines", target="<= 3"))
        rows.append(figure("plain mode: bytes/s during a hold, worst hold (opening line included)",
                           max(r[0] for r in rates), "B/s", "termdown, same pty", baseline, "<= 100"))
        rows.append(figure("plain mode: bytes/s during a hold, worst hold (after its opening line)",
                           max(r[1] for r in rates), "B/s", "termdown, same pty", baseline, "<= 100"))

        # The worst a user can do: a burst of keys in one write, in a long hold.
        data_dir, routine_id = _data_dir(Path(tmp) / "burst", _routine(60))
        with _start(data_dir, routine_id) as session:
            session.wait_for(lambda r: b"Hold 1 of" in _bytes(r), 30)
            session.pump(1.2)
            burst_at = time.monotonic()
            session.send("l+r" * 6 + "\x1b[D" * 6 + " " * 6)
            session.pump(4.0)
            burst = [(at, line) for at, line in lines_with_times(session.chunks) if at >= burst_at]
        rows.append(figure("plain mode: lines in the busiest second after a burst of 30 keys",
                           peak_lines_per_second(burst), "lines", target="<= 3",
                           note=f"{len(burst)} lines in the 4 s after the burst"))
    return rows


if __name__ == "__main__":
    raise SystemExit(bench_main("python -m bench.plain", __doc__ or "", run))
