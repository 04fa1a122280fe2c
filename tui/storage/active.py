"""Sessions under way: one small file each, so recording a hold stays cheap.

A running session holds an exclusive lock on its `.owner` file for as long as
it runs. The kernel drops that lock when the process ends in any way (exit,
hang-up, SIGKILL), so a session file whose lock can be taken belongs to a
process that is gone: that session was interrupted, and can be resumed or
closed. Another copy of the app still running its own session keeps its lock,
and so its session is left alone.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.domain.exercises import Exercise, exercise_from_dict, exercise_to_dict
from tui.domain.routines import Routine, routine_from_dict, routine_to_dict
from tui.domain.sessions import HoldRecord, Session
from tui.storage.datadir import DataDir
from tui.storage.documents import format_time, hold_from_dict, hold_to_dict, parse_time
from tui.storage.files import DataFileError, cannot_write, document, ensure_dir, open_lock_file, read_all, transaction

HEADER_ID = 1
"""Document id of the header in the `session` table."""


@dataclass(frozen=True)
class InterruptedSession:
    """A session whose process is gone, with what is needed to resume it."""

    session: Session
    """The session as the journal shows it (status `interrupted`)."""
    routine: Routine
    """The routine as it was run (with any extra reps)."""
    exercises: dict[str, Exercise]
    """Custom exercises it uses, kept in case they were since deleted."""
    position: int
    """Index of the hold that was under way."""
    records: dict[int, HoldRecord]
    """Holds done, by plan index."""


def _try_lock(path: Path) -> int | None:
    """Open and lock `path` without waiting; the fd, or None when another process holds it.

    Raises UnsafeDataFile when `path` is a symbolic link or not a regular file.
    """
    fd = open_lock_file(path)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


class ActiveSession:
    """A session under way, owned by this process."""

    def __init__(self, path: Path, owner_fd: int, session: Session) -> None:
        self.path = path
        """The session's file."""
        self._owner_fd: int | None = owner_fd
        """The locked owner file; closing it lets others see the session as interrupted."""
        self.session = session
        """The header as last stored (holds are stored apart)."""

    @property
    def owned(self) -> bool:
        """Whether this process still holds the session."""
        return self._owner_fd is not None

    def record_hold(self, index: int, record: HoldRecord, position: int | None = None) -> None:
        """Store one hold as it finishes (and where the session is now)."""
        with transaction(self.path) as db:
            db.table("holds").upsert(document(hold_to_dict(record), doc_id=index + 1))
            if position is not None:
                db.table("session").update({"position": position, "updated_at": _now()}, doc_ids=[HEADER_ID])

    def set_position(self, position: int) -> None:
        """Store which hold is under way."""
        with transaction(self.path) as db:
            db.table("session").update({"position": position, "updated_at": _now()}, doc_ids=[HEADER_ID])

    def update(self, routine: Routine | None = None, **fields: Any) -> None:
        """Store changes to the header: pain, note, holds planned, or the routine after 'one more rep'."""
        changes: dict[str, Any] = {"updated_at": _now()}
        for key, value in fields.items():
            if key not in ("pain_before", "pain_after", "note", "holds_planned"):
                raise KeyError(key)
            changes[key] = value
        self.session = replace(self.session, **fields)
        if routine is not None:
            changes["routine"] = routine_to_dict(routine)
        with transaction(self.path) as db:
            db.table("session").update(changes, doc_ids=[HEADER_ID])

    def finish(self, session: Session, journal: "Any") -> Session:
        """Move the finished session into the journal, then forget the file."""
        journal.add(session)
        self.discard()
        return session

    def discard(self) -> None:
        """Delete the session's file and let go of it."""
        for path in (self.path, Path(f"{self.path}.lock"), self.path.with_suffix(".owner")):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
        self.release()

    def release(self) -> None:
        """Let go without deleting: the session now reads as interrupted."""
        if self._owner_fd is not None:
            os.close(self._owner_fd)
            self._owner_fd = None


class ActiveSessionStore:
    """Begins sessions, finds interrupted ones, resumes or closes them."""

    def __init__(self, data_dir: DataDir) -> None:
        self.data_dir = data_dir
        """Where the `active/` folder is."""
        self.problems: list[str] = []
        """Session files found unusable while looking for interrupted sessions, not yet reported."""

    def take_problems(self) -> list[str]:
        """Messages about session files that could not be read since the last call."""
        problems, self.problems = self.problems, []
        return problems

    def _problem(self, message: str) -> None:
        if message not in self.problems:  # the menu looks again each time it shows: say it once
            self.problems.append(message)

    def _paths(self, session_id: str) -> tuple[Path, Path]:
        folder = self.data_dir.active
        return folder / f"{session_id}.json", folder / f"{session_id}.owner"

    def begin(self, session: Session, routine: Routine, exercises: dict[str, Exercise]) -> ActiveSession:
        """Create the file of a new session and own it."""
        ensure_dir(self.data_dir.active)
        path, owner = self._paths(session.id)
        fd = _try_lock(owner)
        if fd is None:
            raise RuntimeError(f"session {session.id} is already under way")
        custom = {e.id: exercise_to_dict(e) for e in exercises.values() if not e.builtin and any(s.exercise == e.id for s in routine.steps)}
        header = {
            "id": session.id,
            "routine_id": session.routine_id,
            "routine_name": session.routine_name,
            "started_at": format_time(session.started_at),
            "updated_at": _now(),
            "holds_planned": session.holds_planned,
            "pain_before": session.pain_before,
            "pain_after": session.pain_after,
            "note": session.note,
            "position": 0,
            "routine": routine_to_dict(routine),
            "exercises": custom,
        }
        try:
            with transaction(path) as db:
                db.table("session").upsert(document(header, doc_id=HEADER_ID))
        except BaseException:
            os.close(fd)
            raise
        return ActiveSession(path, fd, session)

    def _load(self, path: Path) -> InterruptedSession:
        tables = read_all(path)
        header = tables.get("session", {}).get(str(HEADER_ID))
        if not isinstance(header, dict):
            raise ValueError("no session header")
        records = {int(k) - 1: hold_from_dict(v, f"{path.name}: hold") for k, v in tables.get("holds", {}).items()}
        exercises = {k: exercise_from_dict(v) for k, v in (header.get("exercises") or {}).items()}
        started = parse_time(header["started_at"], "started_at")
        updated = parse_time(header.get("updated_at") or header["started_at"], "updated_at")
        session = Session(
            id=header["id"],
            routine_id=header["routine_id"],
            routine_name=header["routine_name"],
            started_at=started,
            ended_at=max(updated, started),
            status="interrupted",
            holds_planned=int(header["holds_planned"]),
            holds=tuple(records[i] for i in sorted(records)),
            pain_before=header.get("pain_before"),
            pain_after=header.get("pain_after"),
            note=header.get("note") or "",
        )
        return InterruptedSession(
            session=session,
            routine=routine_from_dict(header["routine"]),
            exercises=exercises,
            position=int(header.get("position", 0)),
            records=records,
        )

    def interrupted(self) -> list[InterruptedSession]:
        """Sessions whose process is gone, newest first. Unreadable ones are skipped."""
        found = []
        if not self.data_dir.active.is_dir():
            return found
        for path in self.data_dir.active.glob("*.json"):
            owner = path.with_suffix(".owner")
            try:
                fd = _try_lock(owner)
            except DataFileError as error:  # a link or a FIFO planted as the owner file
                self._problem(str(error))
                continue
            except OSError as error:
                if not cannot_write(error):
                    raise
                # A read-only folder with no owner file: a running session makes its owner
                # file before its session file, so nobody runs this one.
                fd = None
            else:
                if fd is None:
                    continue  # another copy of the app is running it
            try:
                if path.exists():
                    found.append(self._load(path))
            except DataFileError as error:  # moved aside when damaged; left alone when newer or a directory
                self._problem(str(error))
            except (ValueError, KeyError, TypeError) as error:
                reason = f"missing {error}" if isinstance(error, KeyError) else str(error)
                self._problem(" ".join(
                    f"Data file {path} holds a session that cannot be read ({reason}); "
                    "it was left untouched: repair it or move it aside.".split()
                ))
            finally:
                if fd is not None:
                    os.close(fd)
        found.sort(key=lambda s: s.session.started_at, reverse=True)
        return found

    def claim(self, session_id: str) -> tuple[ActiveSession, InterruptedSession] | None:
        """Own an interrupted session to resume it; None if it is gone or another process has it."""
        path, owner = self._paths(session_id)
        fd = _try_lock(owner)
        if fd is None:
            return None
        try:
            if not path.exists():
                os.close(fd)
                return None
            state = self._load(path)
        except BaseException:
            os.close(fd)
            raise
        active = ActiveSession(path, fd, state.session)
        with transaction(path) as db:
            db.table("session").update({"updated_at": _now()}, doc_ids=[HEADER_ID])
        return active, state

    def close(self, session_id: str, journal: Any) -> Session | None:
        """Move an interrupted session into the journal as `interrupted`."""
        claimed = self.claim(session_id)
        if claimed is None:
            return None
        active, state = claimed
        return active.finish(state.session, journal)


def _now() -> str:
    return format_time(datetime.now().astimezone())
