"""How the journal screen reads a long history: newest months first whatever their dates, End to the oldest, holds read on opening."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from textual.widgets import DataTable

from tui.domain.logged import logged_session
from tui.domain.plan import Timings
from tui.domain.session_rows import SessionRow
from tui.storage.store import Store
from tui.ui.screens import journal as journal_screen
from tui.ui.screens.journal import JournalScreen
from tui.ui.screens.session_details import SessionDetails

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


def table(app) -> DataTable:
    return app.screen.query_one("#journal-table", DataTable)


async def until(pilot, ready, tries: int = 2000) -> None:
    for _ in range(tries):
        if ready():
            return
        await pilot.pause(0.01)
    raise AssertionError("never happened")


async def test_a_history_that_ended_long_ago_shows_its_newest_rows_before_the_rest_is_read(store, make_test_app, monkeypatch):
    ids = history(store, 400, datetime(2024, 6, 30, 8, tzinfo=UTC))  # the clock says 2026: nothing in "recent weeks"
    firsts: list[tuple[int, bool]] = []
    loaded = JournalScreen._loaded

    def spy(self, sessions, problem, select, complete):
        firsts.append((len(sessions), complete))
        loaded(self, sessions, problem, select, complete)

    monkeypatch.setattr(JournalScreen, "_loaded", spy)
    app = make_test_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("J")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen) and not app.screen.reading
                    and table(app).row_count == len(ids))
        # First a screenful from the newest months alone, then every row.
        assert firsts[0][1] is False and journal_screen.FIRST_ROWS <= firsts[0][0] < len(ids)
        assert firsts[-1] == (len(ids), True)
        assert [key.value for key in table(app).rows] == ids
        assert all(isinstance(row, SessionRow) for row in app.screen.sessions)


async def test_end_goes_to_the_oldest_session_even_before_every_row_is_in(store, make_test_app, monkeypatch):
    ids = history(store, 700, datetime(2026, 1, 4, 8, tzinfo=UTC))
    monkeypatch.setattr(journal_screen, "CHUNK_ROWS", 1)  # the table fills one row per turn: End comes mid-fill
    app = make_test_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("J")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen) and table(app).row_count > 0)
        await pilot.press("end")
        await until(pilot, lambda: table(app).cursor_row == len(ids) - 1 and table(app).row_count == len(ids))
        assert table(app).coordinate_to_cell_key((table(app).cursor_row, 0)).row_key.value == ids[-1]
        await pilot.pause()
        assert table(app).row_count == len(ids)  # no row twice once the fill would have gone on
        assert [key.value for key in table(app).rows] == ids


async def test_details_read_the_holds_of_the_session_opened(store, make_test_app):
    ids = history(store, 40, datetime(2026, 1, 4, 8, tzinfo=UTC))
    app = make_test_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("J")
        await until(pilot, lambda: isinstance(app.screen, JournalScreen) and not app.screen.reading
                    and table(app).row_count == len(ids))
        table(app).move_cursor(row=30)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SessionDetails))
        opened = app.screen.session
        assert opened.id == ids[30] and len(opened.holds) == 25
