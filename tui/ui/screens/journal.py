"""JournalScreen: every session, newest first, in one table; details, add, edit, delete, filter, export, stats.

The rows (SessionRow: a session without its holds, from the month summaries)
are kept once, in `sessions`; the table (a VirtualTable) draws the few on
screen from that same list, so ten years cost what a screenful costs to show.
A session's holds are read when its details (or its editor) are opened.

The months are read on the event loop, a few milliseconds at a time, in the
order the user needs them: the newest until a screenful (drawn before anything
else is read), then the oldest until a screenful (so `End` lands at once),
then those between, newest first, each put in where it belongs. No thread:
one parsing JSON holds Python's lock and keeps the screen from drawing.
"""

from __future__ import annotations

import asyncio
import gc
import time
from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from tui.domain.journal_filter import JournalFilter
from tui.domain.plan import format_duration
from tui.domain.session_rows import SessionRow, session_row
from tui.domain.sessions import Session
from tui.domain.text import safe_text
from tui.paths import screen_styles
from tui.storage.errors import StorageError
from tui.storage.store import Store
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.journal_export import JournalExportDialog
from tui.ui.screens.journal_filter import JournalFilterDialog
from tui.ui.screens.session_details import SessionDetails, pain_text
from tui.ui.screens.session_editor import TIME_FORMAT, SessionEditor
from tui.ui.screens.stats import StatsScreen
from tui.ui.user_text import PlainStatic, plain_rich, styled
from tui.ui.widgets.fitting_footer import FittingFooter
from tui.ui.widgets.title_bar import TitleBar
from tui.ui.widgets.virtual_table import Column, VirtualTable
from tui.ui.screens.steady import SteadyScreen

if TYPE_CHECKING:
    from tui.ui.app import BackreliefApp

ROUTINE_WIDTH = 24
"""Longest routine name shown in full in the table."""
ROUTINE_MIN_WIDTH = 8
"""Narrowest the routine column gets in a narrow terminal (then names are cut)."""
NOTE_WIDTH = 40
"""Longest part of a note shown in the table (details show all of it)."""
NOTE_MIN_WIDTH = 10
"""Narrowest note column worth showing."""
PAIN_WIDTH = len("10 → 10")
"""The widest pain change: always shown in full."""
WHEN_WIDTH = len("2026-01-05 07:00")
"""A start time."""
FIRST_ROWS = 80
"""Rows read before the first are drawn, and from the oldest end after: more than a tall screen shows."""
READ_SLICE = 0.002
"""Seconds of reading between two turns of the event loop (keys and repaints go between)."""
SHOW_EVERY = 0.2
"""Seconds between two puttings of the rows read meanwhile into the table (each redraws it)."""
COLLECT_AFTER = 1000
"""Rows read in the background from which the read ends with a full pass of the cycle collector (see `_read`)."""
LOADING_DELAY = 0.25
"""Seconds of reading before the screen says it is reading (a small journal never flashes the message)."""


def clip(text: str, width: int) -> Text:
    """`text` on one line of at most `width` cells, with an ellipsis when cut; plain, harmless Text, never markup."""
    line = plain_rich(" ".join(safe_text(text, multiline=False).split()))
    line.no_wrap = True
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


def when_text(session: Session | SessionRow) -> str:
    """When a session began, in local time, as the table shows it."""
    return session.started_at.astimezone().strftime(TIME_FORMAT)


def holds_text(session: Session | SessionRow) -> str:
    """`25/25`: holds done of those planned."""
    return f"{session.holds_done}/{session.holds_planned}"


def routine_cell(session: Session | SessionRow) -> Text:
    """The routine's name on one line, cut at ROUTINE_WIDTH."""
    return clip(session.routine_name, ROUTINE_WIDTH)


def held_text(session: Session | SessionRow) -> str:
    """`7:30`: the time spent holding."""
    return format_duration(session.seconds_held)


def note_cell(session: Session | SessionRow) -> Text:
    """The note on one line, cut at NOTE_WIDTH (details show all of it)."""
    return clip(session.note, NOTE_WIDTH)


def journal_columns(widths: dict[str, int]) -> list[Column[SessionRow]]:
    """The table's columns; `widths` are what the rows read so far need (routine, status, holds, held).

    When, Routine and Pain stay at every width (pain is what the journal is
    for); Note goes first as the terminal narrows, then Held, Holds, Status.
    """
    return [
        Column("when", "When", when_text, WHEN_WIDTH, keep=True),
        Column("routine", "Routine", routine_cell, widths.get("routine", 7), keep=True, min_width=ROUTINE_MIN_WIDTH),
        Column("status", "Status", status_cell, widths.get("status", 6), drop=4),
        Column("holds", "Holds", holds_text, widths.get("holds", 5), drop=3),
        Column("held", "Held", held_text, widths.get("held", 4), drop=2),
        Column("pain", "Pain", pain_change, PAIN_WIDTH, keep=True),
        Column("note", "Note", note_cell, NOTE_MIN_WIDTH, drop=1, grow_to=NOTE_WIDTH),
    ]


def measure(rows: Sequence[SessionRow], widths: dict[str, int]) -> bool:
    """Widen `widths` to what `rows` need (a few passes over plain fields, no cells made); whether any grew."""
    if not rows:
        return False
    needed = {
        "routine": min(ROUTINE_WIDTH, max(cell_len(clip(name, ROUTINE_WIDTH).plain)
                                          for name in {r.routine_name for r in rows})),
        "status": max(len(status) + (2 if flagged else 0)
                      for status, flagged in {(r.status, bool(r.events)) for r in rows}),
        "holds": len(f"{max(r.holds_done for r in rows)}/{max(r.holds_planned for r in rows)}"),
        "held": len(format_duration(max(r.seconds_held for r in rows))),
    }
    grew = False
    for key, width in needed.items():
        if width > widths.get(key, 0):
            widths[key] = width
            grew = True
    return grew


def newest_first_index(rows: Sequence[SessionRow], row: SessionRow) -> int:
    """Where `row` goes in `rows` (newest first) to keep them in order: after those that began at the same time."""
    return bisect_right(rows, -row.started_at.timestamp(), key=lambda r: -r.started_at.timestamp())


WAIT_FOR_JOURNAL = ("add", "edit", "delete", "filter", "clear_filter", "export", "stats")
"""Actions that need the whole journal: a key for one while it is read runs once it is in."""


class JournalScreen(SteadyScreen, Screen[None]):
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
        """Every session in the journal as a row (no holds), newest first: the one list of them."""
        self.shown: list[SessionRow] = self.sessions
        """The rows that pass the filter, in table order: `sessions` itself when nothing is filtered."""
        self.filter = JournalFilter()
        """What the table is narrowed to."""
        self.reading = False
        """Whether the journal is being read; changes wait until it is in (not `loading`: Textual's spinner)."""
        self.ends_read = False
        """Whether the newest and the oldest rows are in (`End` waits for this only)."""
        self._split = 0
        """Where in `sessions` the months still to read go (between the newest and the oldest read)."""
        self._shown_split = 0
        """The same place in `shown`, when it is a list of its own."""
        self._widths: dict[str, int] = {}
        """The widths the rows read so far need (see `measure`)."""
        self._after_loading: str | None = None
        """An action whose key came while the journal was read, run once it is in (a key is never lost)."""
        self._pending: list[tuple[int, int]] = []
        """Where rows went into `shown` since the table was last told: (index, how many)."""
        self._slow_read = False
        """Whether reading has taken longer than LOADING_DELAY (then the screen says it is reading)."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield PlainStatic(id="journal-filter")
        yield VirtualTable(journal_columns(self._widths), key=lambda row: row.id, id="journal-table")
        yield PlainStatic(id="journal-empty")
        # Its own keys fill an 80-column footer; ctrl+p still opens the palette (help lists it).
        yield FittingFooter(show_command_palette=False)

    @property
    def table(self) -> VirtualTable[SessionRow]:
        """The table of sessions."""
        return self.query_one("#journal-table", VirtualTable)

    def on_mount(self) -> None:
        self.sub_title = "journal"
        self.load()
        self.table.focus()

    # -- reading and showing -------------------------------------------

    def load(self) -> None:
        """Read the journal (interrupted sessions included), newest months first, then show it."""
        self.reading = True
        self.ends_read = False
        self.sessions = self.shown = []
        self._split = self._shown_split = 0
        self.table.set_rows(self.shown)
        self.refresh_bindings()
        self._slow_read = False
        self.show_filter()  # before the first frame: no filter line, no message yet
        self.set_timer(LOADING_DELAY, self._reading_slowly)
        try:
            months = self.store.row_months()
            # The newest months until a screenful, whatever their dates, now: the first frame shows them.
            newest, screenful = 0, max(FIRST_ROWS, self.app.size.height)
            while newest < len(months) and len(self.sessions) < screenful:
                self._take(months[newest](), advance=True)
                newest += 1
            self._taken()
        except StorageError as error:
            self.notify(f"Cannot read the journal: {error}", severity="error")
            self._all_read()
            return
        self._read(months, newest)

    def _reading_slowly(self) -> None:
        """Still reading after LOADING_DELAY: say so under the rows already in."""
        self._slow_read = True
        self.show_filter()

    # A description of our own: Textual's default is the repr of every argument, here hundreds of month
    # readers each carrying the whole store's repr (megabytes at twenty years, for a debugging label).
    @work(exclusive=True, group="journal-read", description="reading the journal")
    async def _read(self, months: list[Callable[[], list[SessionRow]]], newest: int) -> None:
        """The rest of the months, once the newest (`months[:newest]`) are drawn."""
        oldest = len(months)  # read so far: months[:newest] and months[oldest:]
        screenful = max(FIRST_ROWS, self.app.size.height)
        try:
            await self._drawn()
            # The oldest months until a screenful: `End` need not wait for the years between.
            tail = 0
            while newest < oldest and tail < screenful:
                oldest -= 1
                rows = months[oldest]()
                self._take(rows, advance=False)  # before the older ones already in
                tail += len(rows)
            self._taken()
            self.ends_read = True
            if self._after_loading == "oldest":
                self._after_loading = None
                self.action_oldest()
            # The months between, newest first, a slice of time at a time; they go into the table
            # together every SHOW_EVERY (each time redraws it), so a long history costs few redraws.
            between: list[SessionRow] = []
            shown_at = time.perf_counter()
            while newest < oldest:
                started = time.perf_counter()
                while True:  # at least a month a turn
                    between.extend(months[newest]())
                    newest += 1
                    if newest == oldest or time.perf_counter() - started >= READ_SLICE:
                        break
                if newest == oldest or time.perf_counter() - shown_at >= SHOW_EVERY:
                    self._take(between, advance=True)
                    self._taken()
                    between, shown_at = [], time.perf_counter()
                await asyncio.sleep(0)  # keys and repaints go first
                if not self.is_attached:
                    return  # the screen was closed meanwhile
        except StorageError as error:
            self.notify(f"Cannot read the journal: {error}", severity="error")
        self._taken()
        if len(self.sessions) >= COLLECT_AFTER:
            # Years of rows have just become long-lived objects. Python's next full pass of the cycle collector
            # would come at the next burst of allocation, which is the user's next key (at twenty years, 9-15 ms
            # inside the filter's redraw): it runs here instead, while the user is reading the first rows.
            gc.collect()
        self._all_read()

    async def _drawn(self) -> None:
        """Until the screen has drawn what is in the table now."""
        drawn = asyncio.Event()
        self.call_after_refresh(drawn.set)
        await drawn.wait()

    def _take(self, rows: list[SessionRow], advance: bool) -> None:
        """Put a month's rows in where the unread months go; `advance`: the next month read is older than these."""
        self.sessions[self._split:self._split] = rows
        if self.shown is not self.sessions:
            passed = self.filter.select(rows)
            self.shown[self._shown_split:self._shown_split] = passed
            self._pending.append((self._shown_split, len(passed)))
            if advance:
                self._shown_split += len(passed)
        else:
            self._pending.append((self._split, len(rows)))
        if advance:
            self._split += len(rows)
        if measure(rows, self._widths):
            self.table.set_columns(journal_columns(self._widths))

    def _taken(self) -> None:
        """Tell the table where rows went in since it was last told."""
        table = self.table
        for at, count in self._pending:
            table.rows_inserted(at, count)
        self._pending.clear()

    def _all_read(self) -> None:
        self.reading = False
        self.ends_read = True
        self.app.report_data_problems()  # months moved aside by this read
        self.show_filter()
        self.refresh_bindings()
        if self._after_loading is not None:
            action, self._after_loading = self._after_loading, None
            self.call_after_refresh(self.run_action, action)

    def show(self, keep: str | None = None) -> None:
        """Show the sessions that pass the filter; the cursor on `keep` if shown, else on the newest."""
        self.shown = self.filter.select(self.sessions) if self.filter.active else self.sessions
        table = self.table
        table.set_rows(self.shown, keep=keep)
        if keep is None or table.index_of(keep) is None:
            table.move_cursor(0)
        self.show_filter()
        self.refresh_bindings()

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
            empty.display = self._slow_read
            return
        if not self.sessions:
            empty.update(styled("No sessions yet. Start a routine from the menu, or press [b]a[/] to add one you did away from the app."))
        elif not self.shown:
            empty.update(styled("No sessions match the filter. Press [b]c[/] to clear it or [b]f[/] to change it."))
        empty.display = not self.shown

    @property
    def selected(self) -> SessionRow | None:
        """The session under the cursor."""
        return self.table.cursor_value

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

    def _put(self, row: SessionRow) -> None:
        """Put a new or changed row in its place among the rows (newest first) and the cursor on it."""
        for rows in (self.sessions,) if self.shown is self.sessions else (self.sessions, self.shown):
            old = next((index for index, r in enumerate(rows) if r.id == row.id), None)
            if old is not None:
                del rows[old]
            if rows is self.sessions or self.filter.matches(row):
                rows.insert(newest_first_index(rows, row), row)
        if measure([row], self._widths):
            self.table.set_columns(journal_columns(self._widths))
        self.table.set_rows(self.shown, keep=row.id)
        self.show_filter()
        self.refresh_bindings()

    # -- actions -------------------------------------------------------

    @on(VirtualTable.RowSelected, "#journal-table")
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
            self.shown = self.sessions
            self.notify("The filter was cleared to show the session you added.")
        self._put(session_row(session))
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
        self._put(session_row(stored))
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
        for rows in (self.sessions,) if self.shown is self.sessions else (self.sessions, self.shown):
            rows[:] = [row for row in rows if row.id != session.id]
        self.table.set_rows(self.shown)  # the cursor on the row that came after it
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
        table = self.table
        if delta > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def action_export_report(self) -> None:
        """Write the report to take to a clinician (see tui/report.py)."""
        self.report(self)

    def action_oldest(self) -> None:
        """The cursor to the last row (the oldest session), once the oldest months are read (at once, or soon)."""
        if not self.ends_read:
            self._after_loading = "oldest"
            return
        self.table.action_last()

    def action_back(self) -> None:
        self.dismiss(None)
