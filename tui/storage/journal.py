"""JournalRepository: finished sessions, one file per month.

Recording a hold never touches these files (holds go to the session's own file
under `active/`); finishing a session rewrites only its month's file, which
stays small however long the journal grows. Reading keeps each month parsed in
memory and rereads only the months whose file changed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from tui.domain.sessions import Session
from tui.storage.datadir import DataDir
from tui.storage.documents import session_from_dict, session_to_dict
from tui.storage.files import CorruptDataFile, read_all, transaction, where_id


class SessionNotFound(LookupError):
    """No session has the id asked for."""


def month_file(data_dir: DataDir, started_at: datetime) -> Path:
    """The file a session belongs in, by the UTC month it started."""
    moment = started_at.astimezone(timezone.utc)
    return data_dir.journal / f"{moment.year:04d}-{moment.month:02d}.json"


def month_sessions(tables: dict) -> list[Session]:
    """The sessions of a month file's tables, every field checked (ValidationError names the first bad one)."""
    return [session_from_dict(doc, f"session {doc_id}") for doc_id, doc in tables.get("sessions", {}).items()]


class JournalRepository:
    """Adds, changes, removes and lists finished sessions."""

    def __init__(self, data_dir: DataDir) -> None:
        self.data_dir = data_dir
        """Where the journal lives."""
        self._cache: dict[Path, tuple[tuple[int, int, int], list[Session]]] = {}
        """Parsed months, by file, with the (inode, mtime, size) they were read at."""
        self.problems: list[str] = []
        """Month files found unreadable (and moved aside) while listing, not yet reported."""

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
                self.problems.append(str(error))
        if since is not None:
            sessions = [s for s in sessions if s.started_at.astimezone().date() >= since]
        sessions.sort(key=lambda s: s.started_at, reverse=True)
        return sessions if limit is None else sessions[:limit]

    def take_problems(self) -> list[str]:
        """Messages about month files that could not be read since the last call (each moved aside)."""
        problems, self.problems = self.problems, []
        return problems

    def ids(self) -> set[str]:
        """Ids of every stored session."""
        return {s.id for s in self.list()}

    def get(self, session_id: str) -> Session:
        """A session by id."""
        for session in self.list():
            if session.id == session_id:
                return session
        raise SessionNotFound(f"no session with the id {session_id!r}")

    def add(self, session: Session) -> Session:
        """Store a finished session (replacing one with the same id in its month)."""
        with transaction(month_file(self.data_dir, session.started_at), check=month_sessions) as db:
            db.table("sessions").upsert(session_to_dict(session), where_id(session.id))
        return session

    def update(self, session: Session) -> Session:
        """Store changes to a session, moving it if its start moved to another month."""
        old = self.get(session.id)
        old_path = month_file(self.data_dir, old.started_at)
        if old_path != month_file(self.data_dir, session.started_at):
            self.add(session)
            with transaction(old_path, check=month_sessions) as db:
                db.table("sessions").remove(where_id(session.id))
            return session
        return self.add(session)

    def delete(self, session_id: str) -> Session:
        """Remove a session."""
        old = self.get(session_id)
        with transaction(month_file(self.data_dir, old.started_at), check=month_sessions) as db:
            db.table("sessions").remove(where_id(session_id))
        return old

    def merge(self, sessions: list[Session], skip_ids: set[str] = frozenset()) -> tuple[int, int]:
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
