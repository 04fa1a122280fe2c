"""Store: every repository of one data dir, opened together."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, TypeVar

from tui.domain.routines import Routine
from tui.domain.schedule import DoneCounts, Progress, progress
from tui.storage.datadir import DataDir
from tui.storage.files import CorruptDataFile, read_all
from tui.storage.library import Library, load_library
from tui.storage.plans import PlanRepository
from tui.storage.reminders import ReminderLog
from tui.storage.routines import RoutineRepository, copy_name
from tui.storage.screenings import ScreeningRepository
from tui.storage.settings import SettingsRepository

if TYPE_CHECKING:
    from tui.domain.progression import Suggestion
    from tui.domain.session_rows import SessionRow
    from tui.domain.sessions import Session
    from tui.storage.active import ActiveSessionStore, InterruptedSession
    from tui.storage.journal import JournalRepository


_Listed = TypeVar("_Listed", "Session", "SessionRow")


def _with_interrupted(finished: list[_Listed], interrupted: list[_Listed], since: date | None) -> list[_Listed]:
    """The journal's sessions and the interrupted ones not yet in it (begun on local day `since` or later), newest first."""
    known = {item.id for item in finished}
    extra = [item for item in interrupted
             if item.id not in known and (since is None or item.started_at.astimezone().date() >= since)]
    return sorted(finished + extra, key=lambda item: item.started_at, reverse=True)


@dataclass
class Store:
    """The repositories of one data dir.

    The journal and the sessions under way (`journal`, `active`) are opened when
    first used: their modules (sessions, holds, the journal's documents) are
    the menu's first frame's largest import, and a start with no interrupted
    session and no plan for today needs neither (see `interrupted`).
    """

    data_dir: DataDir
    """The layout of the data dir."""
    library: Library
    """Built-in exercises and routines."""
    routines: RoutineRepository
    """Custom routines and exercises."""
    settings: SettingsRepository
    """The user's settings."""
    screenings: ScreeningRepository
    """Answers to the warning-sign question."""
    plans: PlanRepository
    """How often each routine is to be done."""
    reminders: ReminderLog
    """The slots `backrelief remind` has told the user about."""
    _journal: JournalRepository | None = field(default=None, repr=False, compare=False)
    """The journal, once opened (see `journal`)."""
    _active: ActiveSessionStore | None = field(default=None, repr=False, compare=False)
    """The sessions under way, once opened (see `active`)."""
    _opening: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    """Held while `journal` or `active` is first made (the journal check runs in a thread of its own)."""

    @property
    def journal(self) -> JournalRepository:
        """Finished sessions."""
        with self._opening:
            if self._journal is None:
                from tui.storage.journal import JournalRepository

                self._journal = JournalRepository(self.data_dir)
            return self._journal

    @property
    def active(self) -> ActiveSessionStore:
        """Sessions under way or interrupted."""
        with self._opening:
            if self._active is None:
                from tui.storage.active import ActiveSessionStore

                self._active = ActiveSessionStore(self.data_dir, self.library.exercises)
            return self._active

    def interrupted(self) -> list[InterruptedSession]:
        """Interrupted sessions, newest first (`ActiveSessionStore.interrupted`); none without a session file,
        which is found without opening the sessions under way."""
        if self._active is None and not any(self.data_dir.active.glob("*.json")):
            return []
        return self.active.interrupted()

    @classmethod
    def open(cls, root: Path, library: Library | None = None) -> "Store":
        """Open (and create, 0700) a data dir."""
        data_dir = DataDir(Path(root)).create()
        library = library or load_library()
        return cls(
            data_dir=data_dir,
            library=library,
            routines=RoutineRepository(data_dir, library),
            settings=SettingsRepository(data_dir),
            screenings=ScreeningRepository(data_dir),
            plans=PlanRepository(data_dir),
            reminders=ReminderLog(data_dir),
        )

    def take_problems(self) -> list[str]:
        """Messages about data found unusable since the last call (settings, session files, journal months)."""
        opened = [repository for repository in (self._active, self._journal) if repository is not None]
        return self.settings.problems.take() + [message for repository in opened for message in repository.problems.take()]

    def check(self, journal: bool = True) -> list[str]:
        """Read every data file once; return a message for each unreadable one.

        `journal=False` checks only the small files the menu needs at once; the
        whole check also makes the journal's files 0600 (DataDir.tighten_journal).
        Each unreadable file has been moved aside by then (see files.CorruptDataFile),
        so the app can carry on with the rest and tell the user what happened.
        A file from a newer backrelief raises NewerDataFile: nothing may touch it.
        """
        messages: list[str] = []
        paths = [self.data_dir.settings, self.data_dir.routines, self.data_dir.screenings, self.data_dir.plans]
        if self.data_dir.active.is_dir():
            paths += sorted(self.data_dir.active.glob("*.json"))
        months = self.journal.months() if journal else []  # the slow part, which the app does after the menu shows
        if journal:
            self.data_dir.tighten_journal()
        for path in paths:
            try:
                read_all(path)
            except CorruptDataFile as error:
                messages.append(str(error))
        for path in months:
            try:
                # A month's sessions must be within the journal's rules too, or the month is damaged. A month
                # whose summary still matches was checked when the summary was made: only changed ones are read.
                self.journal.checked_month_rows(path)
            except CorruptDataFile as error:
                messages.append(str(error))
        return messages

    def sessions(self, since: date | None = None, limit: int | None = None) -> list[Session]:
        """The journal as the user sees it: finished sessions and interrupted ones, newest first."""
        merged = _with_interrupted(self.journal.list(since=since), [i.session for i in self.active.interrupted()], since)
        return merged if limit is None else merged[:limit]

    def rows(self, since: date, until: datetime) -> list[SessionRow]:
        """As `sessions`, from the local day `since` to `until`, as rows without holds (see JournalRepository.rows)."""
        from tui.domain.session_rows import session_row

        interrupted = [session_row(i.session) for i in self.active.interrupted() if i.session.started_at <= until]
        return _with_interrupted(self.journal.rows(since, until), interrupted, since)

    def plan_progress(self, now: datetime, zone: tzinfo) -> dict[str, Progress]:
        """Where each plan followed today stands at `now`, by routine id; only today's sessions are read."""
        today = now.astimezone(zone).date()
        plans = self.plans.current(today)
        if not plans:
            return {}
        # `since` is a day in the system's zone, which may be behind `zone`: a day more, then counted in `zone`.
        counts = DoneCounts.from_sessions(self.journal.list(since=today - timedelta(days=1)), zone)
        return {p.routine_id: progress(p, counts.on(p.routine_id, today), now, zone) for p in plans}

    def suggestions(self, routines: list[Routine], today: date) -> dict[str, Suggestion]:
        """The progression offered for each routine (by id), from the sessions of the last LOOKBACK_DAYS days."""
        from tui.domain.progression import LOOKBACK_DAYS, suggest  # once the recent weeks are read, after the first frame

        sessions = self.journal.list(since=today - timedelta(days=LOOKBACK_DAYS))
        exercises = self.routines.exercises()
        found = {r.id: suggest(r, exercises, sessions) for r in routines}
        return {rid: offer for rid, offer in found.items() if offer is not None}

    def accept_suggestion(self, routine: Routine, suggestion: Suggestion, today: date) -> Routine:
        """Make the suggested change to the user's own routine, and return it.

        A built-in routine is read-only: the first change makes the user's copy,
        `Name (mine)`, and the built-in's plan moves to it from `today` on.
        """
        from tui.domain.progression import applied

        changed = applied(routine, suggestion)
        if not routine.builtin:
            return self.routines.save(changed)
        name = copy_name(routine.name, {r.name.casefold() for r in self.routines.list()}, label="mine")
        copy = self.routines.save(Routine(id="", name=name, steps=changed.steps, description=routine.description))
        self.plans.move(routine.id, copy.id, copy.name, today)
        return copy
    def row_months(self) -> list[Callable[[], list[SessionRow]]]:
        """The journal as the user sees it, as rows without holds: one reader per month, newest month first.

        Calling a reader reads that month's rows, newest first, interrupted
        sessions in with their month. Nothing is read until then, so a caller
        takes the months it needs in the order it needs them (the journal screen:
        the newest, then the oldest, then those between).
        """
        from tui.domain.session_rows import session_row
        from tui.storage.journal import month_file

        extra: dict[Path, list[SessionRow]] = {}
        for interrupted in self.active.interrupted():
            row = session_row(interrupted.session)
            extra.setdefault(month_file(self.data_dir, row.started_at), []).append(row)
        paths = sorted(set(self.journal.months()) | set(extra), reverse=True)
        return [partial(self._month_rows, path, extra.get(path, [])) for path in paths]

    def _month_rows(self, path: Path, interrupted: list[SessionRow]) -> list[SessionRow]:
        rows = self.journal.month_rows(path)
        if interrupted:
            known = {row.id for row in rows}
            more = [row for row in interrupted if row.id not in known]
            rows = sorted(rows + more, key=lambda row: row.started_at, reverse=True)
        return rows

    def rows_by_month(self) -> Iterator[list[SessionRow]]:
        """Each month's rows (see `row_months`), newest month first; reading stops where the caller stops asking."""
        for read in self.row_months():
            yield read()

    def _settle(self, session_id: str) -> None:
        """Move an interrupted session into the journal so it can be edited like the rest."""
        if any(i.session.id == session_id for i in self.active.interrupted()):
            self.active.close(session_id, self.journal)

    def update_session(self, session: Session, near: datetime | None = None) -> Session:
        """Store changes to a journal entry (`near`: when it started before the change, if known)."""
        self._settle(session.id)
        return self.journal.update(session, near)

    def delete_session(self, session_id: str, near: datetime | None = None) -> Session:
        """Remove a journal entry (`near`: when it started, if known)."""
        self._settle(session_id)
        return self.journal.delete(session_id, near)

    def get_session(self, session_id: str, near: datetime | None = None) -> Session:
        """One journal entry by id, holds and all; `near` (when it started) spares reading other months."""
        from tui.storage.journal import SessionNotFound

        try:
            return self.journal.get(session_id, near)
        except SessionNotFound:
            interrupted = [i.session for i in self.active.interrupted() if i.session.id == session_id]
            if interrupted:
                return interrupted[0]
            raise
