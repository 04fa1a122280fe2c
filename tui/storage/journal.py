"""JournalRepository: finished sessions, one file per month.

Recording a hold never touches these files (holds go to the session's own file
under `active/`). Finishing a session appends it to its month's file (kept in
the line layout of lines.py: the sessions already there are neither read nor
rewritten) and adds its row to the month's summary, so it costs the same
however full the month is. Other changes (an edit, a delete, an import, the
first session of a month written by an older backrelief) rewrite the month's
file whole, which stays small however long the journal grows. Reading keeps
each month parsed in memory and rereads only the months whose file changed.

Listing (the journal screen) reads rows, not sessions: beside each month file
`YYYY-MM.json` sits its summary `YYYY-MM.rows.json`, one short row per session
without its holds, stamped with the (inode, mtime, size) of the month file it
was made from. A summary whose stamp no longer matches (the month changed:
this app, another copy of it, an edit by hand) or that cannot be used is made
again from the month file. A summary also says whether the month file can take
an append as it is, and the next document id: a finish appends only to a
month its summary vouches for, under the month's lock, and otherwise rewrites
it. Summaries are only shortcuts: never reported, never needed; a read-only
data folder just works them out each time.
"""

from __future__ import annotations

import builtins
import json
import os
import re
from contextlib import suppress
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, AbstractSet as Set, Callable, Iterator

from tui.domain.bounds import COUNT_LIMITS, HOLD_SECONDS_LIMITS
from tui.domain.session_rows import SessionRow, session_row
from tui.domain.sessions import STATUSES, Session
from tui.storage.datadir import DataDir
from tui.storage.documents import (event_to_dict, events_from_list, rating_to_dict, ratings_from_list, session_from_dict,
                                   session_to_dict)
from tui.storage.errors import StorageError
from tui.storage.files import (CorruptDataFile, append_line, read_all, read_derived, read_file, transaction, where_id,
                               write_derived)
from tui.storage.unreported import Unreported

if TYPE_CHECKING:
    from tinydb.table import Table

SUMMARY_FORMAT = "backrelief-journal-rows"
"""What a summary file says it is."""
MAX_SECONDS_HELD = COUNT_LIMITS[1] * HOLD_SECONDS_LIMITS[1]
"""The most a session can have held: the most holds, each as long as a hold can be (NaN fails the comparison)."""
SUMMARY_VERSION = 3
"""The summary layout this code writes and reads (another one is made again)."""
TABLE = "sessions"
"""The one table of a month file."""
_MONTH_NAME = re.compile(r"[0-9]{4}-[0-9]{2}\.json")


class SessionNotFound(StorageError, LookupError):
    """No session has the id asked for."""


def month_file(data_dir: DataDir, started_at: datetime) -> Path:
    """The file a session belongs in, by the UTC month it started."""
    moment = started_at.astimezone(timezone.utc)
    return data_dir.journal / f"{moment.year:04d}-{moment.month:02d}.json"


def month_sessions(tables: dict) -> list[Session]:
    """The sessions of a month file's tables, every field checked (ValidationError names the first bad one)."""
    return [session_from_dict(doc, f"session {doc_id}") for doc_id, doc in tables.get("sessions", {}).items()]


def summary_file(path: Path) -> Path:
    """The summary beside a month file."""
    return path.with_name(f"{path.stem}.rows.json")


def _stamp(stat: os.stat_result) -> list[int]:
    # A write replaces the file (a new inode) or appends to it (a larger size), so a new
    # version shows even where timestamps are coarse; an edit in place changes the time or the size.
    return [stat.st_ino, stat.st_mtime_ns, stat.st_size]


def _row_fields(row: SessionRow) -> list:
    return [row.id, row.routine_id, row.routine_name, row.started_at.isoformat(), row.status, row.holds_done,
            row.holds_planned, row.seconds_held, row.pain_before, row.pain_after, row.note,
            [event_to_dict(e) for e in row.events], [rating_to_dict(r) for r in row.step_ratings]]


def _row_from_fields(fields: object) -> SessionRow:
    """A row from its summary fields; ValueError when they are not what this code writes."""
    if type(fields) is not list or len(fields) != 13:
        raise ValueError("not a row")
    sid, routine_id, name, started, status, done, planned, held, before, after, note, events, ratings = fields
    low, high = COUNT_LIMITS
    # Plain comparisons, not helpers: this runs for every row of ten years.
    if (type(sid) is not str or type(routine_id) is not str or type(name) is not str or type(note) is not str
            or type(started) is not str or status not in STATUSES
            or type(done) is not int or not low <= done <= high or type(planned) is not int or not low <= planned <= high
            or (before is not None and (type(before) is not int or not 0 <= before <= 10))
            or (after is not None and (type(after) is not int or not 0 <= after <= 10))
            or type(held) not in (int, float) or not 0 <= held <= MAX_SECONDS_HELD):
        raise ValueError("not a row")
    moment = datetime.fromisoformat(started)
    if moment.tzinfo is None:
        raise ValueError("not a row")
    # Events and ratings are rare and short: checked as a session's are (ValidationError is a ValueError).
    return SessionRow(sid, routine_id, name, moment, status, done, planned, float(held), before, after, note,
                      events_from_list(events, "summary") if events else (),
                      ratings_from_list(ratings, "summary", planned) if ratings else ())


def _summary(data: bytes | None) -> dict | None:
    """A summary file's document when it is one this code writes (its rows not yet checked), else None."""
    if data is None:
        return None
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not (isinstance(raw, dict) and raw.get("format") == SUMMARY_FORMAT and raw.get("version") == SUMMARY_VERSION
            and isinstance(raw.get("rows"), list)):
        return None
    next_id = raw.get("next_id")
    if next_id is not None and (type(next_id) is not int or not 1 <= next_id < 10 ** 17):
        return None
    return raw


def _summary_rows(data: bytes | None, stamp: list[int]) -> list[SessionRow] | None:
    """The rows of a summary made from the month file as it is now, or None when it must be made again."""
    raw = _summary(data)
    if raw is None or raw.get("source") != stamp:
        return None
    try:
        return [_row_from_fields(fields) for fields in raw["rows"]]
    except (ValueError, TypeError, RecursionError):
        return None


def _summary_bytes(stamp: list[int], rows: list[list], next_id: int | None) -> bytes:
    """A summary: rows (as `_row_fields` gives them) newest first; `next_id` None when the month takes no append."""
    document = {"format": SUMMARY_FORMAT, "version": SUMMARY_VERSION, "source": stamp, "next_id": next_id,
                "rows": rows}
    return json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _newest_first(rows: list[SessionRow]) -> list[SessionRow]:
    return sorted(rows, key=lambda r: r.started_at, reverse=True)


def _next_id(tables: dict) -> int:
    """The document id TinyDB would give the month's next session."""
    return max((int(doc_id) for doc_id in tables.get(TABLE, {})), default=0) + 1


class JournalRepository:
    """Adds, changes, removes and lists finished sessions."""

    def __init__(self, data_dir: DataDir, unreported: Unreported | None = None) -> None:
        self.data_dir = data_dir
        """Where the journal lives."""
        self._cache: dict[Path, tuple[tuple[int, int, int], list[Session]]] = {}
        """Parsed months, by file, with the (inode, mtime, size) they were read at."""
        self.problems = unreported if unreported is not None else Unreported()
        """Month files found unreadable (and moved aside) while listing, not yet reported."""
        self._rows: dict[Path, tuple[list[int], list[SessionRow]]] = {}
        """Each month's rows, newest first, by month file, with the stamp of the file they came from."""

    def _month_sessions(self, path: Path) -> list[Session]:
        try:
            stat = path.stat()
        except FileNotFoundError:
            self._cache.pop(path, None)
            return []
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)  # see _stamp
        cached = self._cache.get(path)
        if cached and cached[0] == key:
            return cached[1]
        sessions: list[Session] = []
        # Valid JSON but not sessions within the limits (edited by hand, a future-dated import
        # of an old version): the month is damaged, moved aside and said, the rest still reads.
        read_all(path, check=lambda tables: sessions.extend(month_sessions(tables)), lines=TABLE)
        self._cache[path] = (key, sessions)
        return sessions

    def month_rows(self, path: Path) -> list[SessionRow]:
        """A month's rows, newest first: from memory, else its summary, else its file (then the summary is saved).

        A month file that breaks the rules is moved aside as `list` does (the
        message goes to `problems`) and has no rows.
        """
        try:
            return self.checked_month_rows(path)
        except CorruptDataFile as error:
            self.problems.add(str(error))
            return []

    def checked_month_rows(self, path: Path) -> list[SessionRow]:
        """As `month_rows`, but a damaged month raises CorruptDataFile (moved aside by then).

        A month whose summary matches it was checked when the summary was made,
        so checking the journal this way reads only the months changed since.
        """
        try:
            stat = path.stat()
        except FileNotFoundError:
            self._rows.pop(path, None)
            return []
        stamp = _stamp(stat)  # taken before reading: a newer file read under an older stamp is only made again
        cached = self._rows.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        summary = summary_file(path)
        rows = _summary_rows(read_derived(summary), stamp)
        if rows is None:
            sessions: list[Session] = []
            try:
                loaded = read_file(path, check=lambda tables: sessions.extend(month_sessions(tables)), lines=TABLE)
            except CorruptDataFile:
                self._rows.pop(path, None)
                raise
            rows = _newest_first([session_row(s) for s in sessions])
            next_id = _next_id(loaded.tables) if loaded.appendable else None
            write_derived(summary, _summary_bytes(stamp, [_row_fields(row) for row in rows], next_id))
        self._rows[path] = (stamp, rows)
        return rows

    def rows_by_month(self) -> Iterator[list[SessionRow]]:
        """Each month's rows, newest month first (so the rows come newest first overall), whatever their dates."""
        for path in reversed(self.months()):
            yield self.month_rows(path)

    def months(self, since: str = "") -> list[Path]:
        """The month files, oldest first; `since` ("YYYY-MM"): that month's and later ones only.

        A listing of names: the months left out cost no stat and no path.
        """
        folder = self.data_dir.journal
        try:
            names = os.listdir(folder)
        except OSError:  # no journal yet (or not a folder)
            return []
        return [folder / name for name in sorted(n for n in names if n >= since and _MONTH_NAME.fullmatch(n))]

    def list(self, since: date | None = None, limit: int | None = None) -> list[Session]:
        """Finished sessions, newest first."""
        sessions: list[Session] = []
        # Files go by UTC month but `since` is a local day, which can begin up to a day
        # earlier in UTC (offsets reach +14:00): start from the month of the day before.
        first = None if since is None else since - timedelta(days=1)
        for path in self.months("" if first is None else f"{first.year:04d}-{first.month:02d}"):
            try:
                sessions.extend(self._month_sessions(path))
            except CorruptDataFile as error:
                # Moved aside already; the rest of the journal still reads.
                self.problems.add(str(error))
        if since is not None:
            sessions = [s for s in sessions if s.started_at.astimezone().date() >= since]
        sessions.sort(key=lambda s: s.started_at, reverse=True)
        return sessions if limit is None else sessions[:limit]

    def rows(self, since: date, until: datetime) -> builtins.list[SessionRow]:
        """Sessions begun on the local day `since` or later and at `until` or before, as rows without holds.

        Newest first, read from the month summaries: what a figure of the last
        weeks needs (pain, dates) without parsing every hold. The month files
        are found by name, from the one `since` can begin in to the one of
        `until`, so the folder is not listed and the cost does not grow with the
        years kept.
        """
        first = since - timedelta(days=1)  # as in `list`: a local day can begin a day earlier in UTC
        last = until.astimezone(timezone.utc)
        year, month = first.year, first.month
        rows: builtins.list[SessionRow] = []
        while (year, month) <= (last.year, last.month):
            rows += self.month_rows(month_file(self.data_dir, datetime(year, month, 1, tzinfo=timezone.utc)))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        rows = [row for row in rows if row.started_at <= until and row.started_at.astimezone().date() >= since]
        rows.sort(key=lambda row: row.started_at, reverse=True)
        return rows

    def ids(self) -> set[str]:
        """Ids of every stored session."""
        return {s.id for s in self.list()}

    def in_month(self, session_id: str, near: datetime) -> Session | None:
        """The session with this id in the month file of `near` (when it started), or None."""
        try:
            sessions = self._month_sessions(month_file(self.data_dir, near))
        except CorruptDataFile as error:
            self.problems.add(str(error))
            return None
        return next((s for s in sessions if s.id == session_id), None)

    def get(self, session_id: str, near: datetime | None = None) -> Session:
        """A session by id; `near`, when known, is when it started: only its month is read then."""
        found = None if near is None else self.in_month(session_id, near)
        if found is not None:
            return found
        for session in self.list():
            if session.id == session_id:
                return session
        raise SessionNotFound(f"no session with the id {session_id!r}")

    def add(self, session: Session) -> Session:
        """Store a finished session (replacing one with the same id in its month).

        A session new to a month its summary vouches for is appended to it;
        otherwise the month is written whole.
        """
        path = month_file(self.data_dir, session.started_at)
        if not self._append(path, session):
            self._rewrite(path, lambda table: table.upsert(session_to_dict(session), where_id(session.id)))
        return session

    def _append(self, path: Path, session: Session) -> bool:
        """Append `session` to its month file and its row to the summary; False (nothing written) when the
        summary cannot vouch for the month as it is (missing, stale, the month not in the line layout) or
        the month already has a session of this id."""
        summary = _summary(read_derived(summary_file(path)))
        if summary is None or summary.get("next_id") is None:
            return False
        rows: list = summary["rows"]
        try:
            if any(fields[0] == session.id for fields in rows):
                return False  # a replacement: the month is written whole
        except (TypeError, IndexError, KeyError):
            return False
        fields = session_to_dict(session)
        try:
            stored = session_from_dict(fields, "session")  # as the next reader of the month will find it
        except ValueError:
            return False  # outside the journal's rules: written whole, as ever, and the next read says what is wrong
        row = session_row(stored)
        next_id, source = summary["next_id"], summary["source"]

        def vouch(stat: os.stat_result) -> bool:
            return _stamp(stat) == source

        def saved(stat: os.stat_result) -> None:
            stamp = _stamp(stat)
            placed: list[list] | None
            try:
                placed = _placed(rows, row)
            except (ValueError, TypeError, IndexError):
                placed = None  # rows not of our making: the next reader makes the summary again
            if placed is None or not write_derived(summary_file(path), _summary_bytes(stamp, placed, next_id + 1)):
                # `backrelief status` trusts an unchanged journal folder; a month appended to changes only
                # its own file, and the summary's rename is what changes the folder.
                with suppress(OSError):
                    os.utime(self.data_dir.journal)
            cached = self._cache.get(path)
            if cached is not None and list(cached[0]) == source:
                self._cache[path] = ((stat.st_ino, stat.st_mtime_ns, stat.st_size), [*cached[1], stored])
            self._rows.pop(path, None)

        return append_line(path, TABLE, next_id, fields, vouch, saved) is not None

    def _rewrite(self, path: Path, change: Callable[[Table], object]) -> None:
        """Write a month file whole, in the line layout, with `change` made to its sessions; then its summary."""
        after: dict[str, dict] = {}

        def saved(stat: os.stat_result) -> None:
            try:
                sessions = month_sessions(after)
            except ValueError:
                return  # not a month of sessions after all: the next reader says so
            rows = _newest_first([session_row(s) for s in sessions])
            appendable = set(after) <= {TABLE}
            write_derived(summary_file(path), _summary_bytes(_stamp(stat), [_row_fields(r) for r in rows],
                                                             _next_id(after) if appendable else None))

        with transaction(path, check=month_sessions, lines=TABLE, saved=saved) as db:
            change(db.table(TABLE))
            for name in db.tables():
                after[name] = {str(doc.doc_id): dict(doc) for doc in db.table(name).all()}

    def update(self, session: Session, near: datetime | None = None) -> Session:
        """Store changes to a session, moving it if its start moved to another month (`near`: as for `get`)."""
        old = self.get(session.id, near)
        old_path = month_file(self.data_dir, old.started_at)
        if old_path != month_file(self.data_dir, session.started_at):
            self.add(session)
            self._rewrite(old_path, lambda table: table.remove(where_id(session.id)))
            return session
        self._rewrite(old_path, lambda table: table.upsert(session_to_dict(session), where_id(session.id)))
        return session

    def delete(self, session_id: str, near: datetime | None = None) -> Session:
        """Remove a session (`near`: as for `get`)."""
        old = self.get(session_id, near)
        self._rewrite(month_file(self.data_dir, old.started_at), lambda table: table.remove(where_id(session_id)))
        return old

    def merge(self, sessions: builtins.list[Session], skip_ids: Set[str] = frozenset()) -> tuple[int, int]:
        """Add sessions whose id is not already stored; returns (added, skipped).

        Sessions are grouped by month so each month file is rewritten once.
        """
        present = self.ids() | set(skip_ids)
        by_month: dict[Path, list[Session]] = {}
        skipped = 0
        for session in sessions:
            if session.id in present:
                skipped += 1
                continue
            present.add(session.id)
            by_month.setdefault(month_file(self.data_dir, session.started_at), []).append(session)
        for path, group in sorted(by_month.items()):
            def insert(table: Table, group: list[Session] = group) -> None:
                stored = {doc["id"] for doc in table.all()}
                table.insert_multiple(session_to_dict(s) for s in group if s.id not in stored)
            self._rewrite(path, insert)
        return sum(len(g) for g in by_month.values()), skipped


def _placed(rows: list[list], row: SessionRow) -> list[list]:
    """A summary's rows with `row` in its place, newest first (ValueError or TypeError: a row not of our making)."""
    if not rows or datetime.fromisoformat(rows[0][3]) < row.started_at:
        at = 0  # the usual case: the session just finished is the month's newest
    else:
        at = next((i for i, fields in enumerate(rows) if datetime.fromisoformat(fields[3]) < row.started_at), len(rows))
    return [*rows[:at], _row_fields(row), *rows[at:]]
