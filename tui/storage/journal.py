"""JournalRepository: finished sessions, one file per month.

Recording a hold never touches these files (holds go to the session's own file
under `active/`); finishing a session rewrites only its month's file, which
stays small however long the journal grows. Reading keeps each month parsed in
memory and rereads only the months whose file changed.

Listing (the journal screen) reads rows, not sessions: beside each month file
`YYYY-MM.json` sits its summary `YYYY-MM.rows.json`, one short row per session
without its holds, stamped with the (inode, mtime, size) of the month file it
was made from. A summary whose stamp no longer matches (the month changed:
this app, another copy of it, an edit by hand) or that cannot be used is made
again from the month file. Summaries are only shortcuts: never reported, never
needed; a read-only data folder just works them out each time.
"""

from __future__ import annotations

import builtins
import json
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import AbstractSet as Set, Iterator

from tui.domain.bounds import COUNT_LIMITS, HOLD_SECONDS_LIMITS
from tui.domain.session_rows import SessionRow, session_row
from tui.domain.sessions import STATUSES, Session
from tui.storage.datadir import DataDir
from tui.storage.documents import (event_to_dict, events_from_list, rating_to_dict, ratings_from_list, session_from_dict,
                                   session_to_dict)
from tui.storage.errors import StorageError
from tui.storage.files import CorruptDataFile, read_all, read_derived, transaction, where_id, write_derived
from tui.storage.unreported import Unreported

SUMMARY_FORMAT = "backrelief-journal-rows"
"""What a summary file says it is."""
MAX_SECONDS_HELD = COUNT_LIMITS[1] * HOLD_SECONDS_LIMITS[1]
"""The most a session can have held: the most holds, each as long as a hold can be (NaN fails the comparison)."""
SUMMARY_VERSION = 2
"""The summary layout this code writes and reads (another one is made again)."""


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
    # Every write is an atomic replace, so a new inode marks a new version even where
    # timestamps are coarse; an edit in place changes the time or the size.
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


def _summary_rows(data: bytes | None, stamp: list[int]) -> list[SessionRow] | None:
    """The rows of a summary made from the month file as it is now, or None when it must be made again."""
    if data is None:
        return None
    try:
        raw = json.loads(data)
        if not (isinstance(raw, dict) and raw.get("format") == SUMMARY_FORMAT
                and raw.get("version") == SUMMARY_VERSION and raw.get("source") == stamp):
            return None
        rows = raw.get("rows")
        if not isinstance(rows, list):
            return None
        return [_row_from_fields(fields) for fields in rows]
    except (ValueError, TypeError, RecursionError):
        return None


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
        # Every write is an atomic replace, so a new inode marks a new version even where
        # timestamps are coarse.
        key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached and cached[0] == key:
            return cached[1]
        sessions: list[Session] = []
        # Valid JSON but not sessions within the limits (edited by hand, a future-dated import
        # of an old version): the month is damaged, moved aside and said, the rest still reads.
        read_all(path, check=lambda tables: sessions.extend(month_sessions(tables)))
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
                read_all(path, check=lambda tables: sessions.extend(month_sessions(tables)))
            except CorruptDataFile:
                self._rows.pop(path, None)
                raise
            rows = sorted((session_row(s) for s in sessions), key=lambda r: r.started_at, reverse=True)
            document = {"format": SUMMARY_FORMAT, "version": SUMMARY_VERSION, "source": stamp,
                        "rows": [_row_fields(row) for row in rows]}
            write_derived(summary, json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8"))
        self._rows[path] = (stamp, rows)
        return rows

    def rows_by_month(self) -> Iterator[list[SessionRow]]:
        """Each month's rows, newest month first (so the rows come newest first overall), whatever their dates."""
        for path in reversed(self.months()):
            yield self.month_rows(path)

    def months(self) -> list[Path]:
        """The month files, oldest first."""
        if not self.data_dir.journal.is_dir():
            return []
        return sorted(p for p in self.data_dir.journal.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9].json"))

    def list(self, since: date | None = None, limit: int | None = None) -> list[Session]:
        """Finished sessions, newest first."""
        sessions: list[Session] = []
        # Files go by UTC month but `since` is a local day, which can begin up to a day
        # earlier in UTC (offsets reach +14:00): start from the month of the day before.
        first = None if since is None else since - timedelta(days=1)
        for path in self.months():
            if first is not None and path.stem < f"{first.year:04d}-{first.month:02d}":
                continue  # a whole month before `since`
            try:
                sessions.extend(self._month_sessions(path))
            except CorruptDataFile as error:
                # Moved aside already; the rest of the journal still reads.
                self.problems.add(str(error))
        if since is not None:
            sessions = [s for s in sessions if s.started_at.astimezone().date() >= since]
        sessions.sort(key=lambda s: s.started_at, reverse=True)
        return sessions if limit is None else sessions[:limit]

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
        """Store a finished session (replacing one with the same id in its month)."""
        with transaction(month_file(self.data_dir, session.started_at), check=month_sessions) as db:
            db.table("sessions").upsert(session_to_dict(session), where_id(session.id))
        return session

    def update(self, session: Session, near: datetime | None = None) -> Session:
        """Store changes to a session, moving it if its start moved to another month (`near`: as for `get`)."""
        old = self.get(session.id, near)
        old_path = month_file(self.data_dir, old.started_at)
        if old_path != month_file(self.data_dir, session.started_at):
            self.add(session)
            with transaction(old_path, check=month_sessions) as db:
                db.table("sessions").remove(where_id(session.id))
            return session
        return self.add(session)

    def delete(self, session_id: str, near: datetime | None = None) -> Session:
        """Remove a session (`near`: as for `get`)."""
        old = self.get(session_id, near)
        with transaction(month_file(self.data_dir, old.started_at), check=month_sessions) as db:
            db.table("sessions").remove(where_id(session_id))
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
            with transaction(path, check=month_sessions) as db:
                table = db.table("sessions")
                stored = {doc["id"] for doc in table.all()}
                table.insert_multiple(session_to_dict(s) for s in group if s.id not in stored)
        return sum(len(g) for g in by_month.values()), skipped
