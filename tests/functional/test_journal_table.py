"""The journal's table at every width: which columns stay, the pain cell in full after an edit, moving with keys and the mouse.

Widths follow issue 16: at 60 columns Pain had gone off screen, and after
editing pain to 10 the cell showed `10 →` until the journal was reopened.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from textual.widgets import DataTable, Input

from tui.domain.logged import logged_session
from tui.domain.plan import Timings
from tui.storage.store import Store
from tui.ui.screens.journal import JournalScreen
from tui.ui.screens.session_details import SessionDetails
from tui.ui.screens.session_editor import SessionEditor
from tui.ui.widgets.virtual_table import Column, VirtualTable, fit_columns

UTC = timezone.utc
LAST = datetime(2026, 1, 4, 8, 0, tzinfo=UTC)
"""The newest session's start (the FakeClock says 2026-01-05 08:00)."""


@pytest.fixture(autouse=True)
def utc_local_time(local_time):
    local_time("UTC")


def history(store: Store, days: int) -> list[str]:
    """One session a day up to LAST, pain 6 -> 3 and a note, the second one interrupted; their ids, newest first."""
    routine = store.routines.get("back-spasm-relief")
    exercises = store.routines.exercises()
    sessions = [logged_session(routine, exercises, Timings(), LAST - timedelta(days=day), 6, 3, f"note of day {day}",
                               session_id=f"d{day:03d}") for day in range(days)]
    if days > 1:  # the longest status: the width a real journal's Status column takes
        sessions[1] = replace(sessions[1], status="interrupted")
    store.journal.merge(sessions)
    return [s.id for s in sessions]


def table(app) -> VirtualTable:
    return app.screen.query_one("#journal-table", VirtualTable)


def drawn(app) -> list[str]:
    """The table's lines as drawn now."""
    return [table(app).render_line(y).text for y in range(table(app).size.height)]


async def open_journal(pilot) -> None:
    await pilot.press("J")
    while True:
        await pilot.pause()
        busy = [w for w in pilot.app.workers if w.group == "journal-read" and w.is_running]
        if not busy:
            break
        await pilot.app.workers.wait_for_complete(busy)
    assert isinstance(pilot.app.screen, JournalScreen) and not pilot.app.screen.reading


WIDTHS = [
    (120, ["When", "Routine", "Status", "Holds", "Held", "Pain", "Note"]),
    (80, ["When", "Routine", "Status", "Holds", "Held", "Pain"]),
    (60, ["When", "Routine", "Status", "Pain"]),
    (40, ["When", "Routine", "Pain"]),
]
"""Terminal width, and the columns the journal shows there: Note goes first, then Held, Holds, Status."""


@pytest.mark.parametrize("width, headings", WIDTHS, ids=[str(w) for w, _ in WIDTHS])
async def test_columns_are_chosen_by_width_and_pain_always_shows_in_full(store, make_test_app, width, headings):
    history(store, 30)
    app = make_test_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await open_journal(pilot)
        lines = drawn(app)
        assert lines[0].split() == headings
        first = lines[1]
        assert "2026-01-04 08:00" in first and "6 → 3" in first
        assert len(first.rstrip()) <= table(app).size.width  # nothing pushed past the edge
        if width >= 60:
            assert "Back spasm relief" in first
        else:
            assert "Back spas…" in first  # the routine narrows; pain does not
        if "Note" in headings:
            assert "note of day 0" in first


async def test_the_columns_follow_a_resize(store, make_test_app):
    history(store, 5)
    app = make_test_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await open_journal(pilot)
        assert "Note" in drawn(app)[0]
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        assert drawn(app)[0].split() == ["When", "Routine", "Status", "Pain"]


@pytest.mark.parametrize("width", [120, 60, 40])
async def test_the_pain_cell_shows_both_ratings_in_full_after_an_edit(store, make_test_app, width):
    ids = history(store, 30)
    app = make_test_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await open_journal(pilot)
        table(app).move_cursor(2)
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, SessionEditor)
        for field in ("pain-before", "pain-after"):
            editor.query_one(f"#{field}", Input).value = "10"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        assert table(app).cursor_value.id == ids[2]  # the cursor stays on the row edited
        [line] = [line for line in drawn(app) if "2026-01-02 08:00" in line]
        assert "10 → 10" in line
        assert "10 → 10" in table(app).shown_cells(2)
    assert (store.journal.get(ids[2]).pain_before, store.journal.get(ids[2]).pain_after) == (10, 10)


async def test_keys_move_through_a_long_journal(store, make_test_app):
    ids = history(store, 200)
    app = make_test_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await open_journal(pilot)
        page = table(app).size.height - 1  # rows on screen under the heading
        assert table(app).cursor_row == 0
        await pilot.press("down", "j", "down")
        assert table(app).cursor_row == 3
        await pilot.press("k", "up")
        assert table(app).cursor_row == 1
        await pilot.press("pagedown")
        assert table(app).cursor_row == 1 + page
        await pilot.press("pageup")
        assert table(app).cursor_row == 1
        await pilot.press("end")
        assert table(app).cursor_value.id == ids[-1]
        assert "2025-06-19 08:00" in [line for line in drawn(app) if line.strip()][-1]  # the oldest, drawn
        await pilot.press("up")
        assert table(app).cursor_value.id == ids[-2]
        await pilot.press("home")
        assert table(app).cursor_row == 0 and "2026-01-04 08:00" in drawn(app)[1]


async def test_a_click_moves_the_cursor_and_a_second_opens_the_details(store, make_test_app):
    ids = history(store, 30)
    app = make_test_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await open_journal(pilot)
        await pilot.click("#journal-table", offset=(5, 3))  # the heading's line, then rows 0, 1, 2
        assert table(app).cursor_value.id == ids[2] and isinstance(app.screen, JournalScreen)
        await pilot.click("#journal-table", offset=(5, 3))
        assert isinstance(app.screen, SessionDetails) and app.screen.session.id == ids[2]


@pytest.mark.parametrize("size", [(80, 16), (40, 12)], ids=["80x16", "40x12"])
async def test_home_in_the_details_goes_back_to_the_first_hold(store, make_test_app, size):
    history(store, 3)
    app = make_test_app()
    async with app.run_test(size=size) as pilot:
        await open_journal(pilot)
        await pilot.press("enter")
        holds = app.screen.query_one("#holds-table", DataTable)
        assert holds.row_count == 25
        await pilot.press("end")
        # The last hold, and the columns left as they were: at 40 columns the hold's number and exercise stay in view.
        assert holds.cursor_row == 24 and holds.scroll_y > 0 and holds.scroll_x == 0
        await pilot.press("home")
        assert holds.cursor_row == 0 and holds.scroll_y == 0


async def test_a_filter_shows_its_newest_rows_and_end_its_oldest(store, make_test_app):
    ids = history(store, 120)
    app = make_test_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await open_journal(pilot)
        await pilot.press("end")  # the cursor far down before the filter
        await pilot.press("f")
        app.screen.query_one("#filter-since", Input).value = "2025-10-01"
        app.screen.query_one("#filter-until", Input).value = "2025-10-31"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [row.id for row in table(app).rows] == [i for i in ids if "2025-10-01" <= day(store, i) <= "2025-10-31"]
        assert table(app).cursor_row == 0 and "2025-10-31 08:00" in drawn(app)[1]
        await pilot.press("end")
        assert table(app).cursor_value.id == ids[95]  # 1 October
        assert "2025-10-01 08:00" in [line for line in drawn(app) if line.strip()][-1]
        await pilot.press("c")
        await pilot.pause()
        assert table(app).row_count == len(ids)


def day(store: Store, sid: str) -> str:
    return store.journal.get(sid).started_at.date().isoformat()


def test_fit_drops_columns_by_rank_and_narrows_only_kept_ones():
    def column(key, width, **kwargs):
        return Column(key, key.upper(), str, width, **kwargs)

    columns = [column("a", 10, keep=True), column("b", 12, keep=True, min_width=4), column("c", 6, drop=2),
               column("d", 6, drop=1, grow_to=20), column("e", 3, keep=True)]
    # edge 1, gaps of 2: a b c d e at natural widths take 1+10+2+12+2+6+2+6+2+3 = 46
    assert [(c.key, w) for c, w in fit_columns(columns, 60)] == [("a", 10), ("b", 12), ("c", 6), ("d", 20), ("e", 3)]
    assert [(c.key, w) for c, w in fit_columns(columns, 46)] == [("a", 10), ("b", 12), ("c", 6), ("d", 6), ("e", 3)]
    assert [(c.key, w) for c, w in fit_columns(columns, 45)] == [("a", 10), ("b", 12), ("c", 6), ("e", 3)]
    assert [(c.key, w) for c, w in fit_columns(columns, 37)] == [("a", 10), ("b", 12), ("e", 3)]
    assert [(c.key, w) for c, w in fit_columns(columns, 25)] == [("a", 10), ("b", 7), ("e", 3)]
    assert [(c.key, w) for c, w in fit_columns(columns, 10)] == [("a", 10), ("b", 4), ("e", 3)]
