"""The journal screen, driven with keys on a seeded history: rows, details, add/edit/delete, filters, stats, export.

The seed is worked out by hand (the FakeClock's now is Monday 2026-01-05 08:00 UTC):

    id    began (UTC)         routine            status       pain    holds
    mon   2026-01-05 07:00    Back spasm relief  completed    6 -> 3  all 25
    sun   2026-01-04 18:30    Back spasm relief  stopped      7 -> 6  5 (the 5th cut short)
    sat   2026-01-03 09:00    Back spasm relief  interrupted  6 -> -  2 (an active file, not the journal)
    fri   2026-01-02 08:00    Morning reset      logged       5 -> 2  all 25
    tue   2025-12-30 08:00    Back spasm relief  completed    8 -> 4  all 25
    old   2025-12-20 08:00    Morning reset      completed    - -> -  all 25

Every routine here has the 25 holds (7:30 of holding) of the built-in one, so:
streak now 4 (2-5 Jan), longest 4; this week 1 session, last week 4 (sun, sat, fri, tue);
relief: Morning reset +3.0 over 1, Back spasm relief (3+1+4)/3 over 3.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static, TextArea

from tests.textual_view import notifications
from tui.cli import main as cli_main
from tui.domain.logged import logged_session
from tui.domain.plan import Timings
from tui.domain.sessions import Session
from tui.storage.documents import CSV_COLUMNS, session_to_dict, sessions_to_json
from tui.storage.store import Store
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.journal import JournalScreen
from tui.ui.screens.journal_export import JournalExportDialog
from tui.ui.screens.journal_filter import JournalFilterDialog
from tui.ui.screens.session_details import SessionDetails
from tui.ui.screens.session_editor import SessionEditor
from tui.ui.screens.stats import StatsScreen
from tui.ui.widgets.virtual_table import VirtualTable

UTC = timezone.utc
NOTES = {
    "mon": "Felt looser, thanks",
    "sun": 'tight, "very" sore,\nstopped after the tilts; 背中が痛い',
    "fri": "on the train, seat back, ça va",
}
"""Notes with commas, quotes, a newline and non-Latin text."""


@pytest.fixture(autouse=True)
def utc_local_time(local_time):
    """Local time is UTC here, so days and times read the same on every machine."""
    local_time("UTC")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def seed(store: Store) -> dict[str, Session]:
    """The history above: five sessions in the journal, one interrupted in `active/`."""
    routine = store.routines.get("back-spasm-relief")
    exercises = store.routines.exercises()
    timings = Timings()
    morning = replace(routine, id="morning-reset", name="Morning reset")

    def done(sid, when, status, before, after, note="", of=routine):
        return replace(logged_session(of, exercises, timings, at(when), before, after, note, session_id=sid), status=status)

    full = done("sun", "2026-01-04T18:30", "stopped", 7, 6, NOTES["sun"])
    cut = replace(full.holds[4], held_seconds=4.5, completed=False)
    sessions = {
        "mon": done("mon", "2026-01-05T07:00", "completed", 6, 3, NOTES["mon"]),
        "sun": replace(full, holds=full.holds[:4] + (cut,), ended_at=at("2026-01-04T18:35")),
        "fri": done("fri", "2026-01-02T08:00", "logged", 5, 2, NOTES["fri"], of=morning),
        "tue": done("tue", "2025-12-30T08:00", "completed", 8, 4),
        "old": done("old", "2025-12-20T08:00", "completed", None, None, of=morning),
    }
    store.journal.add(sessions.pop("mon"))
    store.journal.merge(list(sessions.values()))
    # An interrupted session: begun, two holds stored, then its process "died" (the lock let go).
    start = done("sat", "2026-01-03T09:00", "completed", 6, None)
    active = store.active.begin(replace(start, holds=()), routine, exercises)
    for index, hold in enumerate(start.holds[:2]):
        active.record_hold(index, hold, position=index + 1)
    active.release()
    return {s.id: s for s in store.sessions()}


def table(app) -> VirtualTable:
    return app.screen.query_one("#journal-table", VirtualTable)


def row_ids(app) -> list[str]:
    return [row.id for row in table(app).rows]


def row_text(app, sid: str) -> list[str]:
    """The cells of a session's row as they fit their columns now."""
    return table(app).shown_cells(table(app).index_of(sid))


def headings(app) -> list[str]:
    """The heading line as drawn."""
    return table(app).render_line(0).text.split()


def error_text(screen, field: str) -> str:
    widget = screen.query_one(f"#{field}-error", Static)
    return str(widget.render()) if widget.display else ""


async def settle(pilot) -> None:
    """Wait until the journal has been read and every row is in the table."""
    while True:
        await pilot.pause()
        busy = [w for w in pilot.app.workers if w.group == "journal-read" and w.is_running]
        if not busy:
            return
        await pilot.app.workers.wait_for_complete(busy)


async def open_journal(pilot):
    await pilot.press("J")
    await settle(pilot)
    assert isinstance(pilot.app.screen, JournalScreen)


async def move_to(pilot, sid: str) -> None:
    table(pilot.app).move_cursor(table(pilot.app).index_of(sid))
    await pilot.pause()


# -- the table -----------------------------------------------------------------


async def test_the_table_lists_every_session_newest_first_with_the_interrupted_one(store, make_test_app):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await open_journal(pilot)
        assert row_ids(app) == ["mon", "sun", "sat", "fri", "tue", "old"]
        assert headings(app) == ["When", "Routine", "Status", "Holds", "Held", "Pain", "Note"]
        assert row_text(app, "mon") == ["2026-01-05 07:00", "Back spasm relief", "completed", "25/25", "7:30", "6 → 3", NOTES["mon"]]
        assert row_text(app, "sun") == ["2026-01-04 18:30", "Back spasm relief", "stopped", "4/25", "2:04",
                                        "7 → 6", "tight, \"very\" sore, stopped after the t…"]
        assert row_text(app, "sat")[2:6] == ["interrupted", "2/25", "1:00", "6 → -"]
        assert row_text(app, "old")[5:] == ["- → -", ""]
        assert not app.screen.query_one("#journal-filter").display


async def test_markup_in_a_note_is_shown_as_typed(store, make_test_app):
    routine = store.routines.get("back-spasm-relief")
    store.journal.add(logged_session(routine, store.routines.exercises(), Timings(), at("2026-01-05T07:00"),
                                     note="[b]not bold[/b] [red]", session_id="x"))
    app = make_test_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await open_journal(pilot)
        assert row_text(app, "x")[6] == "[b]not bold[/b] [red]"


async def test_an_empty_journal_says_how_to_fill_it(make_test_app):
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        assert table(app).row_count == 0
        empty = app.screen.query_one("#journal-empty", Static)
        assert empty.display and "press a to add" in str(empty.render())
        await pilot.press("x", "e", "enter")  # nothing to act on: nothing opens
        assert isinstance(app.screen, JournalScreen)


async def test_q_and_escape_go_back_to_the_menu(store, make_test_app):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        for key in ("q", "escape"):
            await open_journal(pilot)
            await pilot.press(key)
            assert not isinstance(app.screen, JournalScreen)


# -- details -------------------------------------------------------------------


async def test_enter_shows_each_hold_of_the_session(store, make_test_app):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_journal(pilot)
        await pilot.press("down")  # to "sun"
        await pilot.press("enter")
        details = app.screen
        assert isinstance(details, SessionDetails) and details.session.id == "sun"
        holds = details.query_one("#holds-table", DataTable)
        rows = [[str(c) for c in holds.get_row_at(i)] for i in range(holds.row_count)]
        assert rows == [
            ["1", "Side Knee Drop", "left", "1", "30 s", "30 s", "yes"],
            ["2", "Side Knee Drop", "right", "1", "30 s", "30 s", "yes"],
            ["3", "Side Knee Drop", "left", "2", "30 s", "30 s", "yes"],
            ["4", "Side Knee Drop", "right", "2", "30 s", "30 s", "yes"],
            ["5", "Pelvic Tilt", "", "1", "10 s", "4.5 s", "cut short"],
        ]
        summary = str(details.query_one("#session-summary", Static).render())
        assert "2026-01-04 18:30 to 18:35" in summary and "stopped" in summary
        assert "4 of 25 holds done, 2:04 held" in summary and "pain 7 → 6" in summary
        assert NOTES["sun"] in summary
        await pilot.press("end")
        assert holds.cursor_row == 4
        await pilot.press("home")
        assert holds.cursor_row == 0
        await pilot.press("escape")
        assert isinstance(app.screen, JournalScreen)


# -- add -----------------------------------------------------------------------


async def fill(pilot, values: dict[str, str]) -> None:
    """Put values in fields by id: short ones (pain) typed key by key, longer ones (days, paths, notes) set at once."""
    screen = pilot.app.screen
    for field, value in values.items():
        widget = screen.query_one(f"#{field}")
        widget.focus()
        await pilot.pause()
        if isinstance(widget, TextArea):
            widget.load_text(value if len(value) > 4 else "")
        else:
            widget.value = value if len(value) > 4 else ""
        if value and len(value) <= 4:
            await pilot.press(*value)


async def test_add_a_logged_session_like_backrelief_log_makes(store, make_test_app, data_dir):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        await pilot.press("a")
        editor = app.screen
        assert isinstance(editor, SessionEditor)
        assert editor.query_one("#when", Input).value == "2026-01-05 08:00"  # now, by default
        assert editor.query_one("#routine", Select).value == "back-spasm-relief"
        await fill(pilot, {"when": "2026-01-05 06:15", "pain-before": "5", "pain-after": "2"})
        editor.query_one("#note", TextArea).focus()
        await pilot.press(*"on the floor, 2 reps")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        [new_id] = set(row_ids(app)) - {"mon", "sun", "sat", "fri", "tue", "old"}
        assert row_ids(app) == ["mon", new_id, "sun", "sat", "fri", "tue", "old"]
        assert table(app).cursor_row == 1  # on the session just added
        assert row_text(app, new_id) == ["2026-01-05 06:15", "Back spasm relief", "logged", "25/25", "7:30",
                                         "5 → 2", "on the floor, 2 reps"]
    added = store.journal.get(new_id)
    assert (added.status, added.pain_before, added.pain_after, added.note) == ("logged", 5, 2, "on the floor, 2 reps")
    assert added.started_at == at("2026-01-05T06:15")
    # `backrelief log` builds the same holds and end time for the same routine and start.
    assert cli_main(["--data-dir", str(data_dir), "log", "back-spasm-relief", "--at", "2026-01-05T06:15:00+00:00"]) == 0
    logged = next(s for s in store.journal.list() if s.id not in (new_id, "mon", "sun", "fri", "tue", "old"))
    assert (logged.holds, logged.holds_planned, logged.ended_at) == (added.holds, added.holds_planned, added.ended_at)


BAD_VALUES = [
    ({"pain-before": "11"}, "pain-before", "Pain must be from 0 to 10, not 11"),
    ({"pain-after": "x"}, "pain-after", "Pain must be a whole number from 0 to 10, not 'x'"),
    ({"when": "2026-01-06 08:00"}, "when", "2026-01-06 08:00 is in the future"),
    ({"when": "yesterday"}, "when", "'yesterday' is not a date and time; type it like 2026-01-31 08:30"),
    ({"when": "2026-02-30 08:00"}, "when", "'2026-02-30 08:00' is not a date and time"),
    ({"when": ""}, "when", "Type the date and time it began"),
]
"""Bad values for a new session: (typed, the field that says so, what it says)."""


async def test_bad_values_are_refused_by_the_field_and_nothing_is_stored(store, make_test_app):
    seed(store)
    before = sessions_to_json(store.sessions())
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        for values, field, message in BAD_VALUES:
            await pilot.press("a")
            await fill(pilot, values)
            await pilot.press("ctrl+s")
            editor = app.screen
            assert isinstance(editor, SessionEditor), values  # still open
            assert message in error_text(editor, field)
            others = [f for f in ("when", "pain-before", "pain-after", "note") if f != field]
            assert all(error_text(editor, f) == "" for f in others)
            await pilot.press("escape")
            assert isinstance(app.screen, JournalScreen)
        assert sessions_to_json(store.sessions()) == before
        # Corrected, the same dialog stores it (enter in a field saves too).
        await pilot.press("a")
        await fill(pilot, {"pain-after": "12"})
        await pilot.press("enter")
        assert "not 12" in error_text(app.screen, "pain-after")
        await fill(pilot, {"pain-after": "1"})
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
    [added] = [s for s in store.sessions() if s.id not in ("mon", "sun", "sat", "fri", "tue", "old")]
    assert (added.pain_before, added.pain_after, added.started_at) == (None, 1, at("2026-01-05T08:00"))


# -- edit ----------------------------------------------------------------------


async def test_edit_refuses_bad_values_then_changes_pain_and_note_only(store, make_test_app):
    original = seed(store)["sun"]
    before = sessions_to_json(store.sessions())
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        await move_to(pilot, "sun")
        await pilot.press("e")
        editor = app.screen
        assert isinstance(editor, SessionEditor)
        assert editor.query_one("#pain-before", Input).value == "7"
        assert editor.query_one("#note", TextArea).text == NOTES["sun"]
        await fill(pilot, {"pain-before": "11", "note": "x" * 2001})
        await pilot.press("ctrl+s")
        assert app.screen is editor
        assert "not 11" in error_text(editor, "pain-before")
        assert "2001 characters long; at most 2000" in error_text(editor, "note")
        assert sessions_to_json(store.sessions()) == before
        await fill(pilot, {"pain-before": "7", "pain-after": "3", "note": "better by evening"})
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, JournalScreen)
        assert row_text(app, "sun")[5:] == ["7 → 3", "better by evening"]
    assert store.journal.get("sun") == replace(original, pain_after=3, note="better by evening")


async def test_editing_an_interrupted_session_moves_it_into_the_journal(store, make_test_app):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        await move_to(pilot, "sat")
        await pilot.press("e")
        await fill(pilot, {"pain-after": "4"})
        await pilot.press("ctrl+s")
        assert row_text(app, "sat")[2:6] == ["interrupted", "2/25", "1:00", "6 → 4"]
    assert store.active.interrupted() == []
    assert (store.journal.get("sat").status, store.journal.get("sat").pain_after) == ("interrupted", 4)


# -- delete --------------------------------------------------------------------


async def test_delete_asks_first_and_keeps_the_session_on_no(store, make_test_app):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        await move_to(pilot, "fri")
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Morning reset" in str(app.screen.question) and "2026-01-02 08:00" in str(app.screen.question)
        await pilot.press("n")
        assert "fri" in row_ids(app)
        await pilot.press("x")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        assert row_ids(app) == ["mon", "sun", "sat", "tue", "old"]
        assert [s.id for s in store.sessions()] == ["mon", "sun", "sat", "tue", "old"]
        # An interrupted one goes with its file in `active/`.
        await move_to(pilot, "sat")
        await pilot.press("x", "y")
        assert row_ids(app) == ["mon", "sun", "tue", "old"]
    assert [s.id for s in store.sessions()] == ["mon", "sun", "tue", "old"]
    assert store.active.interrupted() == []


# -- filters -------------------------------------------------------------------


async def choose(pilot, select_id: str, steps_down: int) -> None:
    """Open a Select with enter, move down from its current option, pick with enter."""
    pilot.app.screen.query_one(f"#{select_id}", Select).focus()
    await pilot.pause()
    await pilot.press("enter", *["down"] * steps_down, "enter")


async def test_filter_by_routine_with_its_stats_then_clear(store, make_test_app):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await open_journal(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, JournalFilterDialog)
        await choose(pilot, "filter-routine", 2)  # any, Back spasm relief, Morning reset
        await pilot.press("ctrl+s")
        assert row_ids(app) == ["fri", "old"]
        line = app.screen.query_one("#journal-filter", Static)
        assert line.display and "routine Morning reset" in str(line.render()) and "2 of 6 sessions" in str(line.render())
        # Stats follow the filter: 2 Jan and 20 Dec, neither yesterday nor today.
        await pilot.press("t")
        stats = app.screen.stats
        assert (stats.sessions, stats.current_streak, stats.longest_streak) == (2, 0, 1)
        assert "routine Morning reset" in str(app.screen.query_one("#stats-scope").render())
        await pilot.press("escape")
        await pilot.press("c")
        await pilot.pause()
        assert row_ids(app) == ["mon", "sun", "sat", "fri", "tue", "old"]
        assert not line.display


async def test_filter_by_status(store, make_test_app):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        for steps, expected in ((3, ["sat"]), (2, ["sun"])):  # any, completed, stopped, interrupted, logged
            await pilot.press("c", "f")  # from no filter
            await pilot.pause()
            await choose(pilot, "filter-status", steps)
            await pilot.press("ctrl+s")
            assert row_ids(app) == expected
        await pilot.press("f")
        await pilot.press("ctrl+r")  # the dialog's own "clear all"
        await pilot.pause()
        assert len(row_ids(app)) == 6


async def test_filter_by_days_and_refuse_bad_days(store, make_test_app):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        await pilot.press("f")
        await fill(pilot, {"filter-since": "2026-01-02", "filter-until": "2026-01-04"})
        await pilot.press("enter")
        assert row_ids(app) == ["sun", "sat", "fri"]
        assert "from 2026-01-02 to 2026-01-04" in str(app.screen.query_one("#journal-filter").render())
        # Bad days: a message by the field, the filter in force stays as it was.
        for values, field, message in (
            ({"filter-since": "2026-13-01"}, "filter-since", "'2026-13-01' is not a date; type it like 2026-01-31"),
            ({"filter-since": "2026-01-05", "filter-until": "2026-01-01"}, "filter-until", "The last day comes before the first"),
        ):
            await pilot.press("f")
            await fill(pilot, values)
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, JournalFilterDialog)
            assert message in error_text(app.screen, field)
            await pilot.press("escape")
            assert row_ids(app) == ["sun", "sat", "fri"]
        await pilot.press("f")
        await fill(pilot, {"filter-since": "2026-01-04", "filter-until": ""})
        await pilot.press("enter")
        assert row_ids(app) == ["mon", "sun"]
        # A range with nothing in it says so.
        await pilot.press("f")
        await fill(pilot, {"filter-since": "2025-01-01", "filter-until": "2025-01-31"})
        await pilot.press("enter")
        assert row_ids(app) == []
        assert "No sessions match the filter" in str(app.screen.query_one("#journal-empty").render())


# -- stats ---------------------------------------------------------------------


async def test_stats_of_the_seed_against_the_hand_worked_figures(store, make_test_app):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_journal(pilot)
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        stats = screen.stats
        assert (stats.today.isoformat(), stats.current_streak, stats.longest_streak) == ("2026-01-05", 4, 4)
        assert stats.sessions == 6
        assert stats.by_status == {"completed": 3, "stopped": 1, "interrupted": 1, "logged": 1}
        assert stats.seconds_held == 4 * 450 + 124.5 + 60  # four full, the stopped one, the interrupted one
        this_week, last_week = stats.weeks[-1], stats.weeks[-2]
        assert (this_week.start.isoformat(), this_week.sessions, this_week.minutes_held) == ("2026-01-05", 1, 7.5)
        assert (this_week.pain_before, this_week.pain_after) == (6, 3)
        assert (last_week.sessions, last_week.seconds_held) == (4, 124.5 + 60 + 450 + 450)
        assert last_week.pain_before == pytest.approx((7 + 6 + 5 + 8) / 4)
        assert last_week.pain_after == pytest.approx((6 + 2 + 4) / 3)
        assert [(r.routine_name, r.sessions, round(r.average_drop, 2)) for r in stats.relief] == [
            ("Morning reset", 1, 3.0), ("Back spasm relief", 3, round(8 / 3, 2))]
        summary = str(screen.query_one("#stats-summary", Static).render())
        assert "4 days now, longest 4 days" in summary
        assert "3 completed, 1 logged" in summary and "1 stopped early, 1 interrupted" in summary
        assert "stats" in screen.sub_title
        await pilot.press("q")
        assert isinstance(app.screen, JournalScreen)


# -- export --------------------------------------------------------------------


async def export_from_screen(pilot, path: str, file_format: str) -> None:
    await pilot.press("E")
    dialog = pilot.app.screen
    assert isinstance(dialog, JournalExportDialog)
    if file_format == "json":
        await choose(pilot, "export-format", 1)
        assert dialog.query_one("#export-path", Input).value.endswith(".json")  # the extension follows
    await fill(pilot, {"export-path": path})
    await pilot.press("enter")


async def export_both_ways(pilot, data_dir: Path, folder: Path, file_format: str) -> Path:
    """Export from the screen and from the command line; check they are the same bytes; the screen's file."""
    screen_file, cli_file = folder / f"screen.{file_format}", folder / f"cli.{file_format}"
    await export_from_screen(pilot, str(screen_file), file_format)
    assert isinstance(pilot.app.screen, JournalScreen)
    assert cli_main(["--data-dir", str(data_dir), "journal", "export", "--format", file_format, "-o", str(cli_file)]) == 0
    assert screen_file.read_bytes() == cli_file.read_bytes()
    assert screen_file.stat().st_mode & 0o777 == 0o600
    return screen_file


async def test_json_export_is_the_command_lines_and_round_trips_through_journal_import(
        store, make_test_app, data_dir, tmp_path):
    originals = seed(store)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        exported = await export_both_ways(pilot, data_dir, tmp_path, "json")
    other = tmp_path / "other-data"
    assert cli_main(["--data-dir", str(other), "journal", "import", str(exported)]) == 0
    imported = Store.open(other).sessions()
    assert [session_to_dict(s) for s in imported] == [session_to_dict(s) for s in originals.values()]
    assert {s.id: s.note for s in imported} == {**{k: "" for k in originals}, **NOTES}
    assert sessions_to_json(imported) == exported.read_text(encoding="utf-8")


async def test_csv_export_is_the_command_lines_and_parses_back_to_every_field(store, make_test_app, data_dir, tmp_path):
    originals = seed(store)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        exported = await export_both_ways(pilot, data_dir, tmp_path, "csv")
    with open(exported, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["id"] for r in rows] == list(originals)
    for row in rows:
        expected = session_to_dict(originals[row["id"]])
        for column in ("holds", "events", "step_ratings"):  # lists as JSON; a session without one has []
            assert json.loads(row.pop(column)) == expected.pop(column, [])
        assert row == {k: "" if v is None else str(v) for k, v in expected.items()}
    assert rows[1]["note"] == NOTES["sun"]  # commas, quotes, newline and Japanese intact


async def test_the_export_dialog_starts_on_the_format_and_the_file_name_can_choose_it(store, make_test_app, tmp_path):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        await pilot.press("E")
        dialog = app.screen
        chooser = dialog.query_one("#export-format")
        assert app.focused is chooser and chooser.value == "csv"
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#export-path")
        for name, chosen in (("mine.json", "json"), ("mine.JSON.csv", "csv"), ("mine.txt", "csv")):
            await fill(pilot, {"export-path": str(tmp_path / name)})
            await pilot.pause()
            assert chooser.value == chosen, name
        await fill(pilot, {"export-path": str(tmp_path / "mine.json")})
        await pilot.press("enter")
    assert json.loads((tmp_path / "mine.json").read_text(encoding="utf-8"))


async def test_export_asks_before_replacing_a_file_and_keeps_it_when_told(store, make_test_app, tmp_path):
    seed(store)
    existing = tmp_path / "mine.csv"
    existing.write_text("mine, not the journal's\n", encoding="utf-8")
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        await pilot.press("E")
        dialog = app.screen
        await fill(pilot, {"export-path": str(existing)})
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)  # asked, nothing written yet
        assert existing.read_text(encoding="utf-8") == "mine, not the journal's\n"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is dialog
        assert existing.read_text(encoding="utf-8") == "mine, not the journal's\n"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is not dialog
    assert existing.read_text(encoding="utf-8").startswith("id,")


async def test_export_refuses_bad_paths_with_a_clear_message(store, make_test_app, tmp_path, monkeypatch):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        await pilot.press("E")
        dialog = app.screen
        for path, message in (
            (str(tmp_path), f"{tmp_path} is a folder; add a file name"),
            (str(tmp_path / "missing" / "j.csv"), f"The folder {tmp_path / 'missing'} does not exist"),
            ("", "Type the name of the file to write"),
        ):
            await fill(pilot, {"export-path": path})
            await pilot.press("enter")
            assert app.screen is dialog
            assert message in error_text(dialog, "export-path")

        def refuse(path, text, wait_for_reader=True):
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr("tui.ui.screens.journal_export.write_export", refuse)
        await fill(pilot, {"export-path": str(tmp_path / "locked.csv")})
        await pilot.press("enter")
        assert f"No permission to write {tmp_path / 'locked.csv'}" in error_text(dialog, "export-path")
    assert list(tmp_path.glob("*.csv")) == [] and not (tmp_path / "missing").exists()


async def test_export_asks_before_replacing_a_file(store, make_test_app, tmp_path):
    seed(store)
    target = tmp_path / "journal.csv"
    target.write_text("keep me", encoding="utf-8")
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        await export_from_screen(pilot, str(target), "csv")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert isinstance(app.screen, JournalExportDialog)
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
    assert target.read_text(encoding="utf-8").startswith("id,routine_id,")


async def test_a_month_the_journal_screen_moves_aside_is_reported_there(store, make_test_app, monkeypatch):
    import tui.ui.app

    monkeypatch.setattr(tui.ui.app, "JOURNAL_CHECK_DELAY", 600.0)  # the screen reads the month first
    broken = store.data_dir.journal / "2025-01.json"
    broken.write_text('{"sessions": {"1": {"id": ')
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("J")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, JournalScreen)
        for _ in range(100):
            if not screen.reading and any(str(broken) in message for message in notifications(app)):
                break
            await pilot.pause(0.05)
        about_it = [message for message in notifications(app) if str(broken) in message]
        assert len(about_it) == 1 and "moved aside" in about_it[0]
        assert not broken.exists()
        assert list(store.data_dir.journal.glob("2025-01.json.corrupt-*"))
