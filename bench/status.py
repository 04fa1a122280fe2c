"""Status benchmark (issue 14): `backrelief status` start-up against `python3 -c "import json"`, at ten years.

A tmux status bar or a shell prompt runs `status` every few seconds, so what it
costs is its start-up. The target: at most 1.5x the start-up of
`python3 -c "import json"` (the same interpreter), measured side by side.

The data dir holds a ten-year journal (3,650 sessions, one a day of the
built-in routine's 25 holds, built by `bench.storage.generated_sessions`) and a
plan of one session a day, from 00:00 to 24:00, followed for those ten years:
every day kept, so the streak is the longest there can be and the most days
to walk; and a session is due (today has none yet), so `status` prints its
line and looks for a running session. The journal was written a few seconds
before, as a status bar usually finds it. `status` runs once first, as a
status bar's first tick does, counting the journal into its cache (that run is
timed on its own). Then the commands run in turn, run after run, so load on a shared
machine falls on all of them alike:

- `python3 -c "import json"`: the baseline;
- `backrelief status` as the installed console script runs it (a script
  importing `tui.launcher` and calling `main`, as pip writes it);
- `python -m tui status`.

Bytecode is compiled and kept (in a temporary `PYTHONPYCACHEPREFIX`), as pip
does when it installs the package; the first round is a warm-up. Figures are
medians: wall-clock time, and CPU time (user + system, less disturbed by other
work on the machine).

    python -m bench.status [--quick]
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.report import bench_main, figure, median
from tui.storage.glance import SETTLED_SECONDS

REPO = Path(__file__).resolve().parent.parent
"""The checkout measured."""
TARGET = 1.5
"""At most this many times the baseline's start-up."""
SESSIONS = 3650
"""Ten years of one session a day."""
CONSOLE_SCRIPT = """\
import re
import sys
from tui.launcher import main
if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
    sys.exit(main())
"""
"""What pip writes as the `backrelief` command (entry point `tui.launcher:main`)."""


def _ten_years(root: Path) -> None:
    """A data dir with ten years of daily sessions and a plan kept every one of those days."""
    from bench.storage import generated_sessions
    from tui.domain.schedule import make_plan
    from tui.storage.store import Store

    store = Store.open(root)
    routine = store.routines.get("back-spasm-relief")
    now = datetime.now(timezone.utc)
    added, _ = store.journal.merge(generated_sessions(SESSIONS, routine, store, now))
    assert added == SESSIONS, f"seeded {added} of {SESSIONS}"
    first = (now - timedelta(days=SESSIONS)).date()
    store.plans.set(make_plan(routine.id, routine.name, 1, "daily", "0-24"), first)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of one run, and what it printed."""
    cpu, wall = _cpu(), time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    if done.returncode != 0:
        raise RuntimeError(f"{argv} failed: {done.stderr.strip()}")
    return wall, cpu, done.stdout


def run(quick: bool = False) -> list[dict]:
    """Measure and return the figures (see the module docstring)."""
    runs = 11 if quick else 41
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-status-") as tmp:
        root = Path(tmp) / "ten-year"
        _ten_years(root)
        script = Path(tmp) / "backrelief"
        script.write_text(CONSOLE_SCRIPT)
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env.update({"PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])),
                    "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache"), "BACKRELIEF_DATA_DIR": str(root)})
        commands = {
            "baseline": [sys.executable, "-c", "import json"],
            "script": [sys.executable, str(script), "status"],
            "module": [sys.executable, "-m", "tui", "status"],
        }
        # As a status bar finds it: the journal last written a while ago (a folder changed in the last
        # few seconds is not trusted to vouch for the cache: see tui/storage/glance.py).
        time.sleep(SETTLED_SECONDS + 1)
        first_wall, _, line = _timed(commands["script"], env)  # counts ten years into the cache
        expected = f"Back spasm relief due · 0/1 today · {SESSIONS}-day streak\n"
        if line != expected:
            raise RuntimeError(f"status printed {line!r}, expected {expected!r}")
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for round_ in range(runs + 1):
            for name, argv in commands.items():
                wall, cpu, _ = _timed(argv, env)
                if round_:  # the first round only warms the caches
                    walls[name].append(wall)
                    cpus[name].append(cpu)
        baseline_wall, baseline_cpu = median(walls["baseline"]), median(cpus["baseline"])

    ms = 1000.0
    target = f"<= {TARGET}x"

    def verdict(value: float, baseline: float) -> str:
        ratio = value / baseline
        return f"{'meets' if ratio <= TARGET else 'MISSES'} the target ({ratio:.2f}x; median of {runs} runs)"

    rows = []
    for name, label in (("script", "`backrelief status` (console script)"), ("module", "`python -m tui status`")):
        rows.append(figure(f"{label} start-up, ten-year journal", median(walls[name]) * ms, "ms",
                           'python3 -c "import json"', baseline_wall * ms, target,
                           note=verdict(median(walls[name]), baseline_wall)))
        rows.append(figure(f"{label} CPU time, ten-year journal", median(cpus[name]) * ms, "ms",
                           'python3 -c "import json"', baseline_cpu * ms, target,
                           note=verdict(median(cpus[name]), baseline_cpu)))
    rows.append(figure("`backrelief status` first run, ten-year journal (counts it into the cache)", first_wall * ms,
                       "ms", 'python3 -c "import json"', baseline_wall * ms, "",
                       note="once, and again only for the month files that changed"))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the status figures."""
    return bench_main("python -m bench.status", __doc__, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
