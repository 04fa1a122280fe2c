"""How the journal screen reads a long history: newest months first whatever their dates, End to the oldest, holds read on opening."""

from __future__ import annotations

import asyncio
import gc
import time
from datetime import datetime, timedelta, timezone

import pytest

from tui.domain.logged import logged_session
from tui.domain.plan import Timings
from tui.domain.session_rows import SessionRow
from tui.storage.store import Store
from tui.ui.screens import journal as journal_screen
from tui.ui.screens.journal import JournalScreen
from tui.ui.screens.session_details import SessionDetails
from tui.ui.widgets.virtual_table import VirtualTable

UTC = timezone.utc


@pytest.fixture(autouse=True)
def utc_local_time(local_time):
    local_time("UTC")


def history(store: Store, days: int, last: datetime) -> list[str]:
    """One logged session a day for `days` days up to `last`; their ids, newest first."""
    routine = store.routines.get("back-spasm-relief")
    exercises = store.routines.exercises()
    sessions = [logged_session(routine, exercises, Timings(), last - timedelta(days=day), 5, 3, f"day {day}",
                               session_id=f"d{day:04d}") for day in range(days)]
    store.journal.merge(sessions)
    return [s.id for s in sessions]


def table(app) -> VirtualTable:
    return app.screen.query_one("#journal-table", VirtualTable)


def row_ids(app) -> list[str]:
    return [row.id for row in table(app).rows]


async def until(pilot, ready, tries: int = 2000) -> None:
    for _ in range(tries):
        if ready():
            return
        await pilot.pause(0.01)
    raise AssertionError("never happened")


async def soon(ready, tries: int = 2000) -> None:
    """Until `ready()`, without Pilot's waits (a Pilot key press waits until the app is idle: the read is over by then)."""
    for _ in range(tries):
        if ready():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("never happened")


def all_read(app) -> bool:
    return isinstance(app.screen, JournalScreen) and not app.screen.reading


async def test_a_history_that_ended_long_ago_shows_its_newest_rows_before_the_rest_is_read(store, make_test_app, monkeypatch):
    ids = history(store, 400, datetime(2024, 6, 30, 8, tzinfo=UTC))  # the clock says 2026: nothing in "recent weeks"
    drawn: list[list[str]] = []
    wait_for_drawing = JournalScreen._drawn

    async def spy(self):
        drawn.append([row.id for row in self.table.rows])  # what the first frame shows the table holding
        await wait_for_drawing(self)

    monkeypatch.setattr(JournalScreen, "_drawn", spy)
    app = make_test_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("J")
        await until(pilot, lambda: all_read(app))
        # First a screenful from the newest months alone, then every row, in order.
        [first] = drawn
        assert journal_screen.FIRST_ROWS <= len(first) < len(ids) and first == ids[:len(first)]
        assert row_ids(app) == ids
        assert all(isinstance(row, SessionRow) for row in app.screen.sessions)
        assert table(app).rows is app.screen.sessions  # the rows are kept once: the table draws from the list


def slow_months(monkeypatch, seconds: float) -> None:
    """Each month takes `seconds` to read (a slow disk), a month a turn of the event loop."""
    monkeypatch.setattr(journal_screen, "READ_SLICE", 0.0)
    read_month = Store._month_rows

    def slow(self, path, interrupted):
        time.sleep(seconds)
        return read_month(self, path, interrupted)

    monkeypatch.setattr(Store, "_month_rows", slow)


def when_run(monkeypatch, app, action: str) -> list[tuple[bool, int]]:
    """Each time the table runs `action`: whether the journal was still being read, and the rows in by then."""
    seen: list[tuple[bool, int]] = []
    run = getattr(VirtualTable, action)

    def spy(table):
        seen.append((app.screen.reading, table.row_count))
        run(table)

    monkeypatch.setattr(VirtualTable, action, spy)
    return seen


async def test_end_goes_to_the_oldest_session_before_the_years_between_are_read(store, make_test_app, monkeypatch):
    ids = history(store, 700, datetime(2026, 1, 4, 8, tzinfo=UTC))
    slow_months(monkeypatch, 0.02)  # 24 months: End comes while the months between are read
    app = make_test_app()
    ends = when_run(monkeypatch, app, "action_last")
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_journal()
        await soon(lambda: isinstance(app.screen, JournalScreen) and app.screen.is_mounted and table(app).row_count > 0)
        app.simulate_key("end")
        await soon(lambda: all_read(app))
        await soon(lambda: ends)
        [(reading, rows_in)] = ends
        assert reading and rows_in < len(ids)  # the oldest row came before the months between
        # The months between went in above it: the cursor stayed on the oldest row, every row once, in order.
        assert table(app).cursor_value.id == ids[-1] and table(app).cursor_row == len(ids) - 1
        assert row_ids(app) == ids
        await pilot.pause()
        drawn = [table(app).render_line(y).text for y in range(table(app).size.height)]
        assert "2024-02-05 08:00" in [line for line in drawn if line.strip()][-1]  # the oldest, drawn at the bottom
        await pilot.press("home")
        assert table(app).cursor_row == 0 and "2026-01-04 08:00" in table(app).render_line(1).text


async def test_keys_are_answered_while_the_journal_is_read(store, make_test_app, monkeypatch):
    """Reading runs on the event loop a slice at a time: a key pressed meanwhile is answered between slices."""
    ids = history(store, 700, datetime(2026, 1, 4, 8, tzinfo=UTC))
    slow_months(monkeypatch, 0.02)  # 24 months take half a second
    app = make_test_app()
    downs = when_run(monkeypatch, app, "action_cursor_down")
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_journal()
        await soon(lambda: isinstance(app.screen, JournalScreen) and app.screen.is_mounted and table(app).row_count > 0)
        app.simulate_key("down")
        await soon(lambda: all_read(app))
        await pilot.pause()
        [(reading, rows_in)] = downs
        assert reading and rows_in < len(ids)
        assert table(app).cursor_value.id == ids[1]


async def test_details_read_the_holds_of_the_session_opened(store, make_test_app):
    ids = history(store, 40, datetime(2026, 1, 4, 8, tzinfo=UTC))
    app = make_test_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("J")
        await until(pilot, lambda: all_read(app) and table(app).row_count == len(ids))
        table(app).move_cursor(30)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionDetails))
        opened = app.screen.session
        assert opened.id == ids[30] and len(opened.holds) == 25


@pytest.mark.parametrize("limit, collected", [(100, True), (1000, False)])
async def test_a_long_read_ends_with_a_full_pass_of_the_cycle_collector(store, make_test_app, monkeypatch, limit, collected):
    # From COLLECT_AFTER rows, the read's last step is a full collection: every row is in, the screen still reading.
    ids = history(store, 120, datetime(2026, 1, 4, 8, tzinfo=UTC))
    monkeypatch.setattr(journal_screen, "COLLECT_AFTER", limit)
    app = make_test_app()
    at_the_end: list[bool] = []

    def seen(phase: str, info: dict) -> None:
        screen = app.screen
        if phase == "start" and info["generation"] == 2 and isinstance(screen, JournalScreen):
            at_the_end.append(screen.reading and len(screen.sessions) == len(ids))

    gc.callbacks.append(seen)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("J")
            await until(pilot, lambda: all_read(app))
    finally:
        gc.callbacks.remove(seen)
    assert any(at_the_end) is collected
