"""Journal screen benchmark (issue 15): from a key press to the rows drawn, in a real pseudo-terminal.

`python -m tui` runs on its own 120x40 pseudo-terminal; its output is read with
pyte, and every figure runs from the moment the key is written to the terminal
to the moment the rows it brings are on the pyte screen. Three data dirs: one
session, ten years (3,650 sessions, one a day, 25 holds each: the built-in
routine) and twenty years (7,300). One session in seven is of a second routine,
so filtering by routine has something to narrow. Each run is one process:

1. the routine menu, then SETTLE seconds for start-up's background check of the data files;
2. `J` until the newest session's row is on screen (first rows);
3. `End` until the oldest session's row is on screen;
4. the filter dialog (`f`), the second routine picked, `ctrl+s` until the filter
   line and the newest matching row are on screen (filter by routine);
5. the filter cleared (`f`, `ctrl+r`), then a 31-day span typed into the day fields,
   `enter` until its newest row and count are on screen (filter by date);
6. peak memory (VmHWM) at the menu (before `J`) and with the journal open, every row in (read once the
   routine filter's count of all sessions is drawn).

Every data dir has had its month summaries made before the timed runs, as a
daily user's has (the app makes them on its first look at the journal). The runs are alternated between
the histories, a median of three (one with `--quick`).

    python -m bench.journal_screen [--quick]
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.memory import has_proc_memory, peak_rss_mib
from bench.pty_tools import PtyRun
from bench.report import bench_main, figure, median
from bench.terminal import MENU_TEXT, REPO, _data_dir, _env, _python

COLS, ROWS = 120, 40
"""The terminal the issue measured in."""
HISTORIES = (("one session", 1), ("ten years", 3650), ("twenty years", 7300))
"""Journal sizes: name and sessions, one a day."""
END = datetime(2026, 1, 4, 7, 0, tzinfo=timezone.utc)
"""The last session's start: the histories end the day before the bench's fixed 'now' would."""
SECOND_ROUTINE = ("morning-reset", "Morning reset")
"""One session in seven is of this routine (id, name)."""
SPAN_DAYS = 31
"""Days in the date filter's span."""
SETTLE = 2.5
"""Seconds read at the menu before `J`: start-up's background look at the data files (it starts a second after
the app does and reads every month's summary, a tenth of a second at twenty years on an idle machine) is done by
then, so neither the first rows nor the menu's peak memory catch it half-way, whichever history is measured."""
WAIT = 60.0
"""Seconds a screen may take before the run is given up as broken."""
KEY_END = "\x1b[F"
"""What an xterm sends for End."""
CTRL_S, CTRL_R, TAB, ENTER, DOWN = "\x13", "\x12", "\t", "\r", "\x1b[B"


def history(store, count: int, seed: int = 15) -> list:
    """`count` sessions of the built-in routine's 25 holds, one a day up to END, one in seven of SECOND_ROUTINE."""
    from tui.domain.plan import expand
    from tui.domain.sessions import STATUSES, HoldRecord, Session

    rng = random.Random(seed)
    routine = store.routines.get("back-spasm-relief")
    plan = expand(routine, store.routines.exercises())
    sessions = []
    for day in range(count):
        started = (END - timedelta(days=day)).replace(minute=rng.randrange(60))
        status = rng.choice(STATUSES[:2] * 8 + STATUSES)
        done = len(plan) if status in ("completed", "logged") else rng.randrange(1, len(plan))
        holds = tuple(HoldRecord(h.exercise.id, h.side, h.rep, h.planned_seconds,
                                 h.planned_seconds + rng.choice((0.0, 0.4, -0.6)), True) for h in plan[:done])
        before = rng.choice((None, 3, 4, 5, 6, 7, 8))
        after = None if before is None else max(0, before - rng.randrange(0, 4))
        rid, name = SECOND_ROUTINE if day % 7 == 3 else (routine.id, routine.name)
        sessions.append(Session(
            id=f"bench-{day:05d}", routine_id=rid, routine_name=name, started_at=started,
            ended_at=started + timedelta(minutes=10), status=status, holds_planned=len(plan), holds=holds,
            pain_before=before, pain_after=after, note=rng.choice(("", "stiff this morning", "better after"))))
    return sessions


def _when(session) -> str:
    """The text of a session's When cell, as the table shows it."""
    from tui.ui.screens.journal import when_text

    return when_text(session)


class Expected:
    """What the screen must show at each step, worked out from the generated history."""

    def __init__(self, sessions: list) -> None:
        ordered = sorted(sessions, key=lambda s: s.started_at, reverse=True)
        self.newest = _when(ordered[0])
        self.oldest = _when(ordered[-1])
        second = [s for s in ordered if s.routine_id == SECOND_ROUTINE[0]]
        self.routine_count = f"{len(second)} of {len(ordered)} sessions"
        self.routine_newest = _when(second[0]) if second else ""
        middle = ordered[len(ordered) // 2].started_at.astimezone().date()
        self.since, self.until = middle - timedelta(days=SPAN_DAYS - 1), middle
        spanned = [s for s in ordered if self.since <= s.started_at.astimezone().date() <= self.until]
        self.span_count = f"{len(spanned)} of {len(ordered)} sessions"
        self.span_newest = _when(spanned[0])


def _press_until(run: PtyRun, keys: str, *texts: str) -> float:
    """Write `keys`, read until every one of `texts` is on screen: the seconds in between."""
    run.send(keys)
    pressed = time.monotonic()
    return run.wait_for(lambda r: all(text in r.text() for text in texts), WAIT) - pressed


def measure(data_dir: Path, expected: Expected, full: bool) -> dict[str, float]:
    """One process on `data_dir`: the seconds of each step, and the peaks (MiB) at the menu and in the journal."""
    with PtyRun([_python(), "-m", "tui", "--data-dir", str(data_dir)], COLS, ROWS, env=_env(), cwd=str(REPO)) as run:
        result: dict[str, float] = {}
        run.wait_for_text(MENU_TEXT, WAIT)
        run.pump(SETTLE)
        result["menu_mib"] = peak_rss_mib(run.process.pid)
        result["first"] = _press_until(run, "J", expected.newest)
        if not full:
            return result
        result["end"] = _press_until(run, KEY_END, expected.oldest)
        run.send("f")
        run.wait_for_text("Filter the journal", WAIT)
        run.send(ENTER)  # open the routine list: any routine, then the routines by name
        run.pump(0.3)
        run.send(DOWN + DOWN)
        run.pump(0.2)
        run.send(ENTER)
        run.wait_for_text(SECOND_ROUTINE[1], WAIT)
        run.pump(0.2)
        result["routine"] = _press_until(run, CTRL_S, expected.routine_count, expected.routine_newest)
        # The count ("N of all sessions") is drawn only once every month is read: the peak so far is that of
        # the journal open with every row in (and the filter dialog, which counts against us).
        result["journal_mib"] = peak_rss_mib(run.process.pid)
        run.send("f")
        run.wait_for_text("Filter the journal", WAIT)
        run.pump(0.2)
        run.send(CTRL_R)
        run.wait_for(lambda r: "Filter:" not in r.text() and "Filter the journal" not in r.text(), WAIT)
        run.send("f")
        run.wait_for_text("Filter the journal", WAIT)
        run.pump(0.2)
        run.send(TAB + TAB + expected.since.isoformat() + TAB + expected.until.isoformat())
        run.wait_for_text(expected.until.isoformat(), WAIT)
        run.pump(0.2)
        result["date"] = _press_until(run, ENTER, expected.span_count, expected.span_newest)
        return result


def run(quick: bool = False) -> list[dict]:
    """Measure and return the figures (see the module docstring)."""
    from tui.storage.store import Store

    if not has_proc_memory():
        print("bench.journal_screen: no VmHWM in /proc/self/status on this system (Linux only): nothing measured")
        return []
    runs = 1 if quick else 3
    measured: dict[str, dict[str, list[float]]] = {name: {} for name, _ in HISTORIES}
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-journal-screen-") as tmp:
        dirs: dict[str, tuple[Path, Expected]] = {}
        for name, count in HISTORIES:
            path, _ = _data_dir(Path(tmp), name.replace(" ", "-"))
            store = Store.open(path)
            sessions = history(store, count)
            added, _ = store.journal.merge(sessions)
            assert added == count, f"seeded {added} of {count}"
            dirs[name] = (path, Expected(sessions))
        for name, (path, expected) in dirs.items():
            measure(path, expected, full=name != HISTORIES[0][0])  # warm-up: summaries, bytecode
        for index in range(runs):
            for name, (path, expected) in dirs.items():
                # A fresh copy each run: a run's own files do not carry into the next. A copy has new inodes,
                # so its summaries are made again first, as the app's start-up look at the files would.
                copy = Path(shutil.copytree(path, Path(tmp) / f"{name}-{index}".replace(" ", "-")))
                Store.open(copy).check()
                for key, value in measure(copy, expected, full=name != HISTORIES[0][0]).items():
                    measured[name].setdefault(key, []).append(value)
    at = {name: {key: median(values) for key, values in figures.items()} for name, figures in measured.items()}
    print("seconds / MiB per run: " + "; ".join(
        f"{name}: " + ", ".join(f"{k} " + "/".join(f"{v:.3f}" for v in vs) for k, vs in figs.items())
        for name, figs in measured.items()))
    ms = 1000.0
    one, ten, twenty = (at[name] for name, _ in HISTORIES)
    where = f"{COLS}x{ROWS} pty, key written until the rows are on the pyte screen, median of {runs}"
    rows = [
        figure("first rows: J at the menu until the newest row is drawn, one session", one["first"] * ms, "ms",
               target="reference", note=where),
        figure("first rows: J at the menu until the newest row is drawn, ten years (3,650 sessions of 25 holds)",
               ten["first"] * ms, "ms", "same, one session", one["first"] * ms, "<= 1.5x (issue 15)"),
        figure("first rows, ten years: the same figure against its own limit", ten["first"] * ms, "ms",
               target="< 300 ms (issue 15)"),
        figure("first rows, twenty years (7,300 sessions)", twenty["first"] * ms, "ms", "same, ten years",
               ten["first"] * ms, "<= 1.2x (issue 15: cost does not grow with history)"),
        figure("End in the journal until the oldest row is drawn, ten years", ten["end"] * ms, "ms",
               target="< 1000 ms (issue 15)", note="pressed once the first rows show; the rest are read meanwhile"),
        figure("End until the oldest row is drawn, twenty years", twenty["end"] * ms, "ms", "same, ten years",
               ten["end"] * ms, "<= 1.2x (issue 15)"),
        figure("filter by routine: ctrl+s in the filter until its rows and count are drawn, ten years",
               ten["routine"] * ms, "ms", target="< 300 ms (issue 15)"),
        figure("filter by routine, twenty years", twenty["routine"] * ms, "ms", "same, ten years",
               ten["routine"] * ms, "<= 1.2x (issue 15)"),
        figure(f"filter by date ({SPAN_DAYS} days): enter in the filter until its rows and count are drawn, ten years",
               ten["date"] * ms, "ms", target="< 300 ms (issue 15)"),
        figure("filter by date, twenty years", twenty["date"] * ms, "ms", "same, ten years", ten["date"] * ms,
               "<= 1.2x (issue 15)"),
        figure("peak RSS with the journal open (every row in), ten years, above the menu's", ten["journal_mib"]
               - ten["menu_mib"], "MiB", target="<= 15 MiB (issue 15)",
               note=f"peak RSS (VmHWM) at the menu {ten['menu_mib']:.1f} MiB, journal open {ten['journal_mib']:.1f} MiB"),
        figure("peak RSS with the journal open, twenty years, above the menu's", twenty["journal_mib"]
               - twenty["menu_mib"], "MiB", "same, ten years", ten["journal_mib"] - ten["menu_mib"],
               "<= 1.2x (issue 15)", note=f"menu {twenty['menu_mib']:.1f} MiB, journal {twenty['journal_mib']:.1f} MiB"),
    ]
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    return bench_main("python -m bench.journal_screen", __doc__, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
