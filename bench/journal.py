"""Journal benchmark (issue 4), headless: the journal screen's own work and the stats as the history grows.

Nothing here is what the user sees on a terminal: the app runs headless and a
figure ends when rows are in the journal's table (its list of rows), not drawn.
`bench.journal_screen` measures from the key press to the rows drawn on a real
pseudo-terminal's screen; every figure here is labelled "headless".

Three data dirs hold an empty, a one-year (365 sessions) and a ten-year (3,650
sessions) journal, one session a day of the built-in routine (25 holds each),
with a mix of statuses, ratings and notes. For each, in a headless app on a
freshly opened data dir (nothing cached), it times:

- opening the journal (`J` from the menu) until its table holds a screenful of
  rows: the newest months are read first; nothing is drawn yet, so this is not
  the wait the user sees (a reference only); baseline: the same at empty history;
- opening it until every row is in the table (the months are read on the event
  loop a slice at a time, keys answered between); baseline: `json.loads` of the
  same sessions' export;
- opening it again in the same app (month files cached), until every row is in;
- a page-down through the filled table (cursor, scroll and the lines now on
  screen rendered), averaged over eight; baseline: the same at one year;
- the stats (`compute_stats` over the sessions, as the stats screen does);
  baseline: `json.loads` of the same sessions' export;
- the trend advice as start-up works it out (a freshly opened data dir: the
  last few weeks' month summaries read, then the rules); baselines: reading every
  month as the start-up check does, and the same advice at one year.

Each figure is a median of several runs; `run()` returns them for `python -m bench`.

    python -m bench.journal [--quick]
"""

from __future__ import annotations

import asyncio
import json
import random
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Static

from bench.report import bench_main, figure, median, timed
from tui.domain.clock import FakeClock
from tui.domain.plan import expand
from tui.domain.sessions import STATUSES, HoldRecord, Session
from tui.domain.stats import compute_stats
from tui.domain.trends import LOOKBACK, trend_advice
from tui.storage.documents import sessions_to_json
from tui.storage.store import Store
from tui.ui.app import make_app
from tui.ui.widgets.virtual_table import VirtualTable

HISTORIES = (("empty", 0), ("one-year", 365), ("ten-year", 3650))
"""Journal sizes measured: name and sessions, one a day."""
NOW = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
"""The app's (fake) clock: the last session is the day before."""
SIZE = (120, 40)
"""The headless terminal."""
PAGES = 8
"""Page-downs in the scrolling figure: few enough that the one-year table (about ten pages) does not run out."""
FIRST_SCREENFUL = 30
"""Rows that fill the table of a 40-line terminal: the journal has 'opened' once these are in."""
NOTES = ("", "", "stiff this morning", 'better after the second "hamstring", thanks', "背中が少し楽になった")
"""Notes the generated sessions pick from."""


def generated_sessions(store: Store, count: int, seed: int = 4) -> list[Session]:
    """`count` sessions of the built-in routine, one a day up to yesterday, of every status."""
    rng = random.Random(seed)
    routine = store.routines.get("back-spasm-relief")
    plan = expand(routine, store.routines.exercises())
    sessions = []
    for day in range(count, 0, -1):
        started = (NOW - timedelta(days=day)).replace(hour=7, minute=rng.randrange(60))
        status = rng.choice(STATUSES[:2] * 8 + STATUSES)
        done = len(plan) if status in ("completed", "logged") else rng.randrange(1, len(plan))
        holds = tuple(HoldRecord(h.exercise.id, h.side, h.rep, h.planned_seconds,
                                 h.planned_seconds + rng.choice((0.0, 0.4, -0.6)), True) for h in plan[:done])
        before = rng.choice((None, 3, 4, 5, 6, 7, 8))
        after = None if before is None or rng.random() < 0.1 else max(0, before - rng.randrange(0, 4))
        sessions.append(Session(
            id=f"bench-{day:05d}", routine_id=routine.id, routine_name=routine.name, started_at=started,
            ended_at=started + timedelta(minutes=10), status=status, holds_planned=len(plan), holds=holds,
            pain_before=before, pain_after=after, note=rng.choice(NOTES),
        ))
    return sessions


class BareScreen(Screen[None]):
    """The cheapest screen to push: one line of text (the fixed cost of any screen)."""

    def compose(self):
        yield Static("bare screen")


async def _until(ready, limit: float = 120.0) -> float:
    """Seconds until `ready()` holds, looking every millisecond (the app runs meanwhile)."""
    start = time.perf_counter()
    while not ready():
        if time.perf_counter() - start > limit:
            raise TimeoutError("the journal did not fill")
        await asyncio.sleep(0.001)
    return time.perf_counter() - start


async def _app_run(root: Path, count: int, pages: int) -> dict[str, float]:
    """One app on a freshly opened data dir: cold open, warm reopen, scrolling, and a bare screen push."""
    from tui.ui.screens.journal import JournalScreen

    store = Store.open(root)
    app = make_app(store, clock=FakeClock(start=NOW))
    times: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()

        def rows(at_least: int, complete: bool = True):
            def ready() -> bool:
                screen = app.screen
                return isinstance(screen, JournalScreen) and screen.is_mounted \
                    and not (complete and screen.reading) and screen.query_one(VirtualTable).row_count >= at_least
            return ready

        start = time.perf_counter()
        app.action_journal()
        times["first"] = await _until(rows(min(count, FIRST_SCREENFUL), complete=False))
        await _until(rows(count))
        times["cold"] = time.perf_counter() - start
        app.pop_screen()
        await pilot.pause()
        start = time.perf_counter()
        app.action_journal()
        await _until(rows(count))
        times["warm"] = time.perf_counter() - start
        if count:
            # What a page-down costs the user: the cursor and scroll move, then the visible rows are drawn.
            await pilot.pause()  # the table's own bookkeeping of the last rows added is done
            table = app.screen.query_one(VirtualTable)
            region = Region(0, 0, table.size.width, table.size.height)
            start = time.perf_counter()
            for _ in range(pages):
                table.action_page_down()
                await asyncio.sleep(0)
                table.render_lines(region)
            times["scroll"] = time.perf_counter() - start
        app.pop_screen()
        await pilot.pause()
        start = time.perf_counter()
        app.push_screen(BareScreen())
        times["bare"] = await _until(lambda: isinstance(app.screen, BareScreen) and app.screen.is_mounted)
    return times


def _trend_advice_cold(root: Path) -> object:
    """What start-up does for the trend advice, on a freshly opened data dir (nothing cached)."""
    store = Store.open(root)
    return trend_advice(store.rows((NOW - LOOKBACK).astimezone().date(), NOW), NOW)


def run(quick: bool = False) -> list[dict]:
    """Measure and return the figures (see the module docstring)."""
    runs = 2 if quick else 5
    pages = PAGES
    measured: dict[str, dict[str, list[float]]] = {}
    loads: dict[str, list[float]] = {}
    stats_times: dict[str, list[float]] = {}
    trend_times: dict[str, list[float]] = {}
    check_times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-journal-") as tmp:
        for name, count in HISTORIES:
            root = Path(tmp) / name
            store = Store.open(root)
            store.settings.change(safety_acknowledged=True)
            if count:
                store.journal.merge(generated_sessions(store, count))
            sessions = store.sessions()
            assert len(sessions) == count, f"seeded {len(sessions)} of {count}"
            exported = sessions_to_json(sessions)
            today = NOW.date()
            loads[name] = [timed(lambda: json.loads(exported)) for _ in range(runs * 3)]
            stats_times[name] = [timed(lambda: compute_stats(sessions, today)) for _ in range(runs * 3)]
            trend_times[name] = [timed(lambda: _trend_advice_cold(root)) for _ in range(runs * 3)]
            check_times[name] = [timed(lambda: Store.open(root).check()) for _ in range(runs)]
            measured[name] = {}
        for _ in range(runs):  # the histories in turn, so that each ratio's two sides are taken side by side
            for name, count in HISTORIES:
                for key, value in asyncio.run(_app_run(Path(tmp) / name, count, pages)).items():
                    measured[name].setdefault(key, []).append(value)

    ms = 1000.0
    rows = []
    first_at_empty = median(measured["empty"]["first"])
    rows.append(figure("headless: open the journal, empty (0 sessions)", first_at_empty * ms, "ms", "push a one-line screen",
                       median(measured["empty"]["bare"]) * ms, "",
                       note="the fixed cost of the journal screen (header, table, footer, a read of the data dir)"))
    for name, count in HISTORIES[1:]:
        label = f"{name} ({count:,} sessions)"
        rows.append(figure(f"headless, nothing drawn: J until the table holds its first {FIRST_SCREENFUL} rows, {label}",
                           median(measured[name]["first"]) * ms, "ms", "same at empty history", first_at_empty * ms,
                           "reference (not the user's wait: bench.journal_screen times the rows on screen)"))
        rows.append(figure(f"headless: open the journal until every row is in the table, {label}", median(measured[name]["cold"]) * ms,
                           "ms", "json.loads of the same sessions' export", median(loads[name]) * ms, "",
                           note="reads every month's rows (its summary, made again where the month changed), newest "
                                "and oldest months first, on the event loop; keys are answered meanwhile" if name == HISTORIES[-1][0] else ""))
        rows.append(figure(f"headless: reopen the journal until every row is in the table, {label}",
                           median(measured[name]["warm"]) * ms, "ms", "the first open, same history",
                           median(measured[name]["cold"]) * ms, "< 1x"))
    for name, count in HISTORIES[1:]:
        rows.append(figure(f"headless: a page-down (cursor, scroll, the new rows rendered), {name} ({count:,} sessions)",
                           median(measured[name]["scroll"]) / pages * ms, "ms", "same at one-year",
                           median(measured["one-year"]["scroll"]) / pages * ms, "<= 1.2x (about the same)"))
    for name, count in HISTORIES:
        label = f"stats, {name} ({count:,} sessions)"
        if count:
            rows.append(figure(label, median(stats_times[name]) * ms, "ms", "json.loads of the same sessions' export",
                               median(loads[name]) * ms, "< 1x (one pass, no rereading)"))
        else:
            rows.append(figure(label, median(stats_times[name]) * ms, "ms"))
    one_year = median(trend_times["one-year"])
    for name, count in HISTORIES[1:]:
        label = f"trend advice at start-up, {name} ({count:,} sessions)"
        rows.append(figure(label, median(trend_times[name]) * ms, "ms", "start-up's check of every month file",
                           median(check_times[name]) * ms, "< 1x (falling as history grows)"))
    rows.append(figure("trend advice at start-up, ten-year against one-year", median(trend_times["ten-year"]) * ms,
                       "ms", "same at one-year", one_year * ms, "<= 1.2x (the last weeks' months only)"))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the journal figures."""
    return bench_main("python -m bench.journal", __doc__, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
