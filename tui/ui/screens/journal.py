"""JournalScreen: every session, newest first, in one table; details, add, edit, delete, filter, export, stats.

The table is a single DataTable whatever the journal's size (no widget per
row). It lists rows (SessionRow: no holds), read off the UI thread from the
month summaries, newest month first: the first screenful goes in as soon as
the newest months are read, whatever their dates, and the rest in chunks
between which keys and repaints get through. A session's holds are read when
its details (or its editor) are opened. Changes to one session touch only its
row; only adding one refills the table, to keep the order.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.worker import get_current_worker

from tui.domain.plan import format_duration
from tui.domain.session_rows import SessionRow, session_row
from tui.domain.sessions import Session
from tui.domain.text import safe_text
from tui.paths import screen_styles
from tui.storage.errors import StorageError
from tui.storage.store import Store
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.journal_export import JournalExportDialog
from tui.ui.screens.journal_filter import JournalFilter, JournalFilterDialog
from tui.ui.screens.session_details import SessionDetails, pain_text
from tui.ui.screens.session_editor import TIME_FORMAT, SessionEditor
from tui.ui.screens.stats import StatsScreen
from tui.ui.user_text import PlainStatic, PlainTable, plain_rich, styled
from tui.ui.widgets.title_bar import TitleBar
from tui.ui.widgets.fitting_footer import FittingFooter

if TYPE_CHECKING:
    from tui.ui.app import BackreliefApp

COLUMNS = (
    ("When", "when"), ("Routine", "routine"), ("Status", "status"), ("Holds", "holds"),
    ("Held", "held"), ("Pain", "pain"), ("Note", "note"),
)
"""The table's columns: (heading, key)."""
ROUTINE_WIDTH = 24
"""Longest routine name shown in full in the table."""
NOTE_WIDTH = 40
"""Longest part of a note shown in the table (details show all of it)."""
FIRST_ROWS = 80
"""Rows put in the table at once: more than the tallest screen shows."""
CHUNK_ROWS = 100
"""Rows added per turn of the event loop after the first ones."""
READ_PAUSE = 0.002
"""Seconds the reading thread lets go between months: parsing holds Python's lock, which the screen needs to draw."""
FIRST_DRAW_WAIT = 1.0
"""Most seconds the reading thread waits for the first rows to be drawn before it reads on."""
LOADING_DELAY = 0.25
"""Seconds of reading before the screen says it is reading (a small journal never flashes the message)."""


def clip(text: str, width: int) -> Text:
    """`text` on one line of at most `width` cells, with an ellipsis when cut; plain, harmless Text, never markup."""
    line = Text(" ".join(safe_text(text, multiline=False).split()), no_wrap=True)
    line.truncate(width, overflow="ellipsis")
    return line


def pain_change(session: Session | SessionRow) -> str:
    """`6 → 3`, with dashes for skipped ratings."""
    return f"{pain_text(session.pain_before)} → {pain_text(session.pain_after)}"


def status_cell(session: Session | SessionRow) -> Text:
    """The status, marked `!` when something was reported wrong during the session (details say what)."""
    cell = Text(session.status)
    if session.events:
        cell.append(" !", style="bold red")
    return cell


def row_cells(session: Session | SessionRow, shared: dict[tuple[str, str], Text] | None = None) -> tuple[Text, ...]:
    """The table cells of one session, as Text: never read as markup, and cheaper to draw than strings.

    `shared`: cells already made, by column and text. Most cells of a long journal
    repeat (a status, `25/25`, `6 → 3`, an empty note): one Text each is drawn as
    well as thousands, and ten years of rows take a fraction of the memory.
    """
    def cell(column: str, text: str, make: Callable[[str], Text] = Text) -> Text:
        if shared is None:
            return make(text)
        found = shared.get((column, text))
        if found is None:
            found = shared[(column, text)] = make(text)
        return found

    return (
        Text(session.started_at.astimezone().strftime(TIME_FORMAT)),
        cell("routine", session.routine_name, lambda name: clip(name, ROUTINE_WIDTH)),
        cell("status", session.status, lambda _status: status_cell(session)) if not session.events else status_cell(session),
        cell("holds", f"{session.holds_done}/{session.holds_planned}"),
        cell("held", format_duration(session.seconds_held)),
        cell("pain", pain_change(session)),
        cell("note", session.note, lambda note: clip(note, NOTE_WIDTH)),
    )


WAIT_FOR_JOURNAL = ("add", "edit", "delete", "filter", "clear_filter", "export", "stats", "oldest")
"""Actions that need the whole journal: a key for one while it is read runs once it is in."""


class JournalScreen(Screen[None]):
    """The journal: a table of sessions and the keys to look into and change them."""

    CSS_PATH = screen_styles("journal.tcss")

    BINDINGS = [
        Binding("enter", "details", "Details", priority=True),
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("x", "delete", "Delete"),
        Binding("f", "filter", "Filter"),
        Binding("c", "clear_filter", "Clear filter", show=False),  # the filter line above the table shows it
        Binding("E", "export", "Export"),
        Binding("t", "stats", "Stats"),
        Binding("R", "export_report", "Report", show=False),  # the footer is full at 80 columns; stats shows it
        Binding("end", "oldest", "Oldest", show=False, priority=True),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
        Binding("escape,q", "back", "Back"),
    ]

    app: BackreliefApp  # typed: data-file warnings and the clock come from this app

    def __init__(self, store: Store, report: Callable[[Screen[None]], None]) -> None:
        super().__init__()
        self.store = store
        """The data dir's repositories: the journal and what its rows refer to."""
        self.report = report
        """Asks where to write the report for a clinician, over the screen it is given (`R`)."""
        self.sessions: list[SessionRow] = []
        """Every session in the journal as a row (no holds), newest first."""
        self.shown: list[SessionRow] = []
        """The rows that pass the filter, in table order (the same objects as in `sessions`)."""
        self.filter = JournalFilter()
        """What the table is narrowed to."""
        self.reading = False
        """Whether the journal is being read; changes wait until it is in (not `loading`: Textual's spinner)."""
        self._cells: dict[tuple[str, str], Text] = {}
        """Table cells already made, shared by the rows that show the same text (see `row_cells`)."""
        self._first_drawn = threading.Event()
        """Set once the first rows read are on screen: the reading thread waits for it before reading the rest."""
        self._after_loading: str | None = None
        """An action whose key came while the journal was read, run once it is in (a key is never lost)."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield PlainStatic(id="journal-filter")
        yield PlainTable(id="journal-table", cursor_type="row", zebra_stripes=True)
        yield PlainStatic(id="journal-empty")
        # Its own keys fill an 80-column footer; ctrl+p still opens the palette (help lists it).
        yield FittingFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "journal"
        self.query_one(PlainTable).add_columns(*COLUMNS)
        self.load()
        self.query_one(PlainTable).focus()

    # -- reading and showing -------------------------------------------

    def load(self, select: str | None = None) -> None:
        """Read the journal (interrupted sessions included) off the UI thread, newest months first, then show it."""
        self.reading = True
        self.refresh_bindings()
        self.set_timer(LOADING_DELAY, self.show_filter)
        self._read(select)

    @work(thread=True, exclusive=True, group="journal-read")
    def _read(self, select: str | None) -> None:
        # Month files go newest first, so the first screenful is the newest month or two, whatever its dates.
        worker = get_current_worker()
        rows: list[SessionRow] = []
        sent = False
        try:
            for month in self.store.rows_by_month():
                if worker.is_cancelled:
                    return  # the screen was closed while reading
                rows.extend(month)
                if not sent and len(rows) >= FIRST_ROWS:
                    self._first_drawn.clear()
                    self.app.call_from_thread(self._loaded, list(rows), None, select, False)
                    sent = True
                    self._first_drawn.wait(FIRST_DRAW_WAIT)  # the screen draws them before the rest is read
                time.sleep(READ_PAUSE)  # let the screen draw between months (the thread holds the GIL while parsing)
        except StorageError as error:
            self.app.call_from_thread(self._loaded, [], error, select, True)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._loaded, rows, None, select, True)

    def _loaded(self, sessions: list[SessionRow], problem: Exception | None, select: str | None, complete: bool) -> None:
        if not self.is_attached:
            return  # closed between the read and now
        if not complete:
            self.call_after_refresh(self._first_drawn.set)
        self.reading = not complete and problem is None
        if not self.reading and self._after_loading is not None:
            action, self._after_loading = self._after_loading, None
            self.call_after_refresh(self.run_action, action)  # once the rows below are in
        if problem is not None:
            self.notify(f"Cannot read the journal: {problem}", severity="error")
        self.app.report_data_problems()  # months moved aside by this read
        table = self.query_one(PlainTable)
        shown_ids = [key.value for key in table.rows]
        self.sessions = sessions
        if complete and problem is None and shown_ids and select in (None, *shown_ids):
            # The recent sessions already shown are the newest of the whole journal: add the older ones after them.
            shown = [s for s in sessions if self.filter.matches(s)] if self.filter.active else list(sessions)
            if [s.id for s in shown[:len(shown_ids)]] == shown_ids:
                self.shown = shown
                self._fill(shown, len(shown_ids))
                self.show_filter()
                self.refresh_bindings()
                return
        self.show(select)

    def show(self, select: str | None = None) -> None:
        """Fill the table with the sessions that pass the filter; put the cursor on `select` if shown."""
        self.shown = [s for s in self.sessions if self.filter.matches(s)] if self.filter.active else list(self.sessions)
        table = self.query_one(PlainTable)
        table.clear()
        ids = [s.id for s in self.shown]
        at = ids.index(select) if select in ids else None
        first = max(FIRST_ROWS, (at or 0) + FIRST_ROWS // 2)
        for session in self.shown[:first]:
            table.add_row(*row_cells(session, self._cells), key=session.id)
        if at is not None:
            table.move_cursor(row=at)
        self._fill(self.shown, first)
        self.show_filter()
        self.refresh_bindings()

    @work(exclusive=True, group="journal-fill")
    async def _fill(self, sessions: list[SessionRow], start: int) -> None:
        """Add the rest of the rows a chunk at a time; a newer fill (a new filter) cancels this one."""
        table = self.query_one(PlainTable)
        for chunk in range(start, len(sessions), CHUNK_ROWS):
            await asyncio.sleep(0)  # keys and repaints go first
            for session in sessions[chunk:chunk + CHUNK_ROWS]:
                table.add_row(*row_cells(session, self._cells), key=session.id)

    def show_filter(self) -> None:
        """The filter line above the table, and the message when the table is empty."""
        line = self.query_one("#journal-filter", PlainStatic)
        if self.filter.active:
            line.update(Text.assemble(
                ("Filter: ", "bold"), plain_rich(self.filter.describe()),
                f"   {len(self.shown)} of {len(self.sessions)} sessions   ",
                ("f", "bold"), " change  ", ("c", "bold"), " clear",
            ))
        line.display = self.filter.active
        empty = self.query_one("#journal-empty", PlainStatic)
        if self.reading:
            empty.update("Reading older sessions…" if self.shown else "Reading your journal…")
        elif not self.sessions:
            empty.update(styled("No sessions yet. Start a routine from the menu, or press [b]a[/] to add one you did away from the app."))
        elif not self.shown:
            empty.update(styled("No sessions match the filter. Press [b]c[/] to clear it or [b]f[/] to change it."))
        empty.display = not self.shown or self.reading

    @property
    def selected(self) -> SessionRow | None:
        """The session under the cursor."""
        table = self.query_one(PlainTable)
        if not self.shown or table.row_count == 0:
            return None
        row_key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key
        return next((s for s in self.shown if s.id == row_key.value), None)

    def _wait_for_journal(self, action: str) -> bool:
        """Whether `action` must wait for the journal to be read; if so it runs once it is (the last key wins)."""
        if not self.reading:
            return False
        self._after_loading = action
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.reading and action in WAIT_FOR_JOURNAL:
            return True if action != "clear_filter" else self.filter.active  # taken now, run once the journal is in
        if action == "clear_filter":
            return self.filter.active
        if action in ("details", "edit", "delete"):
            return True if self.shown else None  # shown dimmed while there is nothing to act on
        return True

    def _full(self, row: SessionRow) -> Session | None:
        """The session of a row, holds and all, read now from its month file; None (and said why) if it cannot be."""
        try:
            return self.store.get_session(row.id, near=row.started_at)
        except StorageError as error:
            self.notify(f"Cannot read this session: {error}", severity="error")
            return None

    def _replace(self, stored: Session) -> None:
        """Put a changed session in the lists and its row."""
        session = session_row(stored)
        self.sessions = [session if s.id == session.id else s for s in self.sessions]
        self.shown = [session if s.id == session.id else s for s in self.shown]
        table = self.query_one(PlainTable)
        if session.id in table.rows:
            for (_, key), value in zip(COLUMNS, row_cells(session, self._cells)):
                table.update_cell(session.id, key, value)

    # -- actions -------------------------------------------------------

    @on(PlainTable.RowSelected, "#journal-table")
    def action_details(self) -> None:
        row = self.selected
        session = None if row is None else self._full(row)
        if session is not None:
            self.app.push_screen(SessionDetails(session, self.store.routines.exercises()))

    def action_add(self) -> None:
        if self._wait_for_journal("add"):
            return
        routines = self.store.routines
        editor = SessionEditor(routines=routines.list(), now=self.app.clock.now(), exercises=routines.exercises(),
                               timings=self.app.settings.timings())
        self.app.push_screen(editor, self._added)

    def _added(self, session: Session | None) -> None:
        if session is None:
            return
        try:
            self.store.journal.add(session)
        except StorageError as error:
            self.notify(f"Nothing was saved: {error}", severity="error")
            return
        if not self.filter.matches(session):
            self.filter = JournalFilter()
            self.notify("The filter was cleared to show the session you added.")
        self.load(select=session.id)
        self.notify(f"Added: {session.routine_name}, {session.started_at.astimezone().strftime(TIME_FORMAT)}.")

    def action_edit(self) -> None:
        if self._wait_for_journal("edit"):
            return
        row = self.selected
        session = None if row is None else self._full(row)
        if row is not None and session is not None:
            self.app.push_screen(SessionEditor(session), lambda edited: self._edited(edited, row))

    def _edited(self, session: Session | None, row: SessionRow) -> None:
        if session is None:
            return
        try:
            stored = self.store.update_session(session, near=row.started_at)
        except StorageError as error:
            self.notify(f"Nothing was changed: {error}", severity="error")
            return
        self._replace(stored)
        self.notify("Saved your changes.")

    def action_delete(self) -> None:
        if self._wait_for_journal("delete"):
            return
        session = self.selected
        if session is None:
            return
        when = session.started_at.astimezone().strftime(TIME_FORMAT)
        question = Text.assemble(
            "Delete the session of ", plain_rich(session.routine_name, "bold"), f" on {when}? ",
            "Its holds, pain ratings and note are removed for good.",
        )
        self.app.push_screen(ConfirmDialog("Delete this session?", question, "Delete", "Keep it"),
                             lambda yes: self._delete(session) if yes else None)

    def _delete(self, session: SessionRow) -> None:
        try:
            self.store.delete_session(session.id, near=session.started_at)
        except StorageError as error:
            self.notify(f"Nothing was deleted: {error}", severity="error")
            return
        self.sessions = [s for s in self.sessions if s.id != session.id]
        self.shown = [s for s in self.shown if s.id != session.id]
        table = self.query_one(PlainTable)
        if session.id in table.rows:
            table.remove_row(session.id)
        self.show_filter()
        self.refresh_bindings()
        self.notify(f"Deleted: {session.routine_name}, {session.started_at.astimezone().strftime(TIME_FORMAT)}.")

    def action_filter(self) -> None:
        if self._wait_for_journal("filter"):
            return
        routines: dict[str, str] = {}
        for session in self.sessions:  # newest first: each routine keeps its latest name
            routines.setdefault(session.routine_id, session.routine_name)
        options = sorted(routines.items(), key=lambda item: item[1].casefold())
        self.app.push_screen(JournalFilterDialog(self.filter, options), self._filtered)

    def _filtered(self, chosen: JournalFilter | None) -> None:
        if chosen is not None:
            self.filter = chosen
            self.show()

    def action_clear_filter(self) -> None:
        if self._wait_for_journal("clear_filter"):
            return
        if self.filter.active:
            self.filter = JournalFilter()
            self.show()

    def action_export(self) -> None:
        if self._wait_for_journal("export"):
            return
        try:
            sessions = self.store.sessions()  # what `backrelief journal export` writes, read now
        except StorageError as error:
            self.notify(f"Cannot read the journal: {error}", severity="error")
            return
        name = f"backrelief-journal-{self.app.clock.now().astimezone().date().isoformat()}"
        self.app.push_screen(JournalExportDialog(sessions, name), self._exported)

    def _exported(self, result: tuple[Path, int] | None) -> None:
        if result is not None:
            path, count = result
            self.notify(f"Exported {count} sessions to {path}.")

    def action_stats(self) -> None:
        if self._wait_for_journal("stats"):
            return
        today = self.app.clock.now().astimezone().date()
        try:
            plans = self.store.plans.history()
        except StorageError as error:
            self.app.warn_data_file(str(error))
            plans = None
        self.app.push_screen(StatsScreen(self.shown, today, self.filter.describe() if self.filter.active else "",
                                         plans=plans, zone=self.app.zone,
                                         exercises=self.store.routines.exercises(), report=self.report))

    def action_move(self, delta: int) -> None:
        table = self.query_one(PlainTable)
        if delta > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def action_export_report(self) -> None:
        """Write the report to take to a clinician (see tui/report.py)."""
        self.report(self)

    def action_oldest(self) -> None:
        """The cursor to the last row (the oldest session): the rows still to come go in at once first."""
        if self._wait_for_journal("oldest"):
            return
        table = self.query_one(PlainTable)
        if table.row_count < len(self.shown):
            self.workers.cancel_group(self, "journal-fill")
            for session in self.shown[table.row_count:]:
                table.add_row(*row_cells(session, self._cells), key=session.id)
        table.action_scroll_bottom()

    def action_back(self) -> None:
        self.dismiss(None)
