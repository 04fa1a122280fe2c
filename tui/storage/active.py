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
import threading
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Collection, Mapping

from tui.domain.bounds import check_count
from tui.domain.exercises import ID_PATTERN, Exercise, describe, exercise_from_dict, exercise_to_dict, type_name
from tui.domain.problems import Problem, ValidationError
from tui.domain.routines import STEP_LIMITS, Routine, check_routine, routine_from_dict, routine_to_dict
from tui.domain.sessions import HoldRecord, Session
from tui.storage.datadir import DataDir
from tui.storage.documents import format_time, hold_from_dict, hold_to_dict, parse_time, session_from_dict, session_to_dict
from tui.storage.files import DataFileError, cannot_write, document, ensure_dir, open_lock_file, read_all, transaction
from tui.storage.unreported import Unreported

HEADER_ID = 1
"""Document id of the header in the `session` table."""
SESSION_FIELDS = ("pain_before", "pain_after", "note", "holds_planned", "events", "step_ratings")
"""Fields of the session that change while it runs, kept in the header."""
HEADER_FIELDS = ("id", "routine_id", "routine_name", "started_at", *SESSION_FIELDS)
"""The session's fields the header keeps, each as `session_to_dict` writes it (its holds are stored apart,
its status and end follow from the file)."""
STRETCH_CHANGES = ("shortened", "left_out")
"""What the header's `stretch_changes` may hold: exercises whose holds were shortened or left out for the rest of
the session (after a stretch was rated 6 or more), so a resumed session goes on with them changed."""


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
    shortened: frozenset[str] = frozenset()
    """Exercises whose holds are shortened for the rest of the session."""
    left_out: frozenset[str] = frozenset()
    """Exercises left out for the rest of the session."""


_PROBING = threading.Lock()
"""Held while this process looks at owner files, so that two of its threads (the menu, and a
reader of the journal in the background) never take each other's brief look for another process."""


def _try_lock(path: Path) -> int | None:
    """Open and lock `path` without waiting; the fd, or None when another process holds it.

    Raises UnsafeDataFile when `path` is a symbolic link or not a regular file, and
    DataFileError when it cannot be made (a read-only folder, no room).
    """
    with _PROBING:
        try:
            return _try_lock_now(path)
        except OSError as error:
            raise DataFileError(f"Cannot use the session's owner file {path}: {error.strerror or error}") from error


def _try_lock_now(path: Path) -> int | None:
    fd = open_lock_file(path)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


class ActiveSession:
    """A session under way, owned by this process."""

    def __init__(self, path: Path, owner_fd: int, session: Session, header: dict[str, Any]) -> None:
        self.path = path
        """The session's file."""
        self._owner_fd: int | None = owner_fd
        """The locked owner file; closing it lets others see the session as interrupted."""
        self.session = session
        """The header as last changed (holds are stored apart)."""
        self.header = header
        """The header document as last changed, written whole by `save_all` (after a failed write, say)."""

    @property
    def owned(self) -> bool:
        """Whether this process still holds the session."""
        return self._owner_fd is not None

    # Each change is made to `header` first, then written: when the write fails, `save_all`
    # can still write everything later.

    def record_hold(self, index: int, record: HoldRecord, position: int | None = None) -> None:
        """Store one hold as it finishes (and where the session is now)."""
        changes = self._change(position=position) if position is not None else None
        with transaction(self.path) as db:
            db.table("holds").upsert(document(hold_to_dict(record), doc_id=index + 1))
            if changes is not None:
                db.table("session").update(changes, doc_ids=[HEADER_ID])

    def set_position(self, position: int) -> None:
        """Store which hold is under way."""
        changes = self._change(position=position)
        with transaction(self.path) as db:
            db.table("session").update(changes, doc_ids=[HEADER_ID])

    def update(self, routine: Routine | None = None, stretch_changes: Mapping[str, Collection[str]] | None = None,
               **fields: Any) -> None:
        """Store changes to the header: pain, note, holds planned, problems reported, steps rated, the routine
        after 'one more rep', or the stretches shortened or left out."""
        changes = self.remember(routine, stretch_changes, **fields)
        with transaction(self.path) as db:
            db.table("session").update(changes, doc_ids=[HEADER_ID])

    def remember(self, routine: Routine | None = None, stretch_changes: Mapping[str, Collection[str]] | None = None,
                 **fields: Any) -> dict[str, Any]:
        """Make `update`'s changes in memory only (the next write takes them along); returns them."""
        for key in fields:
            if key not in SESSION_FIELDS:
                raise KeyError(key)
        self.session = replace(self.session, **fields)
        stored = {key: value for key, value in _header_fields(self.session).items() if key in fields}
        if routine is not None:
            stored["routine"] = routine_to_dict(routine)
        if stretch_changes is not None:
            stored["stretch_changes"] = {key: sorted(stretch_changes.get(key, ())) for key in STRETCH_CHANGES}
        return self._change(**stored)

    def remember_position(self, position: int) -> None:
        """Make `set_position`'s change in memory only (the next write takes it along)."""
        self._change(position=position)

    def _change(self, **fields: Any) -> dict[str, Any]:
        changes = {**fields, "updated_at": _now()}
        self.header.update(changes)
        return changes

    def save_all(self, records: Mapping[int, HoldRecord]) -> None:
        """Write the whole file at once: the header as it is in memory and these holds (by plan index)."""
        with transaction(self.path) as db:
            db.table("session").upsert(document(self.header, doc_id=HEADER_ID))
            if "holds" in db.tables():
                db.drop_table("holds")
            for index in sorted(records):
                db.table("holds").insert(document(hold_to_dict(records[index]), doc_id=index + 1))

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

    def __init__(self, data_dir: DataDir, builtin_exercises: Collection[str],
                 unreported: Unreported | None = None) -> None:
        self.data_dir = data_dir
        """Where the `active/` folder is."""
        self.builtin_exercises = frozenset(builtin_exercises)
        """Ids of the built-in exercises, which a session's routine may use besides the ones its file keeps."""
        self.problems = unreported if unreported is not None else Unreported()
        """Session files found unusable while looking for interrupted sessions, not yet reported
        (the menu looks again each time it shows: each is kept once)."""

    def _paths(self, session_id: str) -> tuple[Path, Path]:
        folder = self.data_dir.active
        return folder / f"{session_id}.json", folder / f"{session_id}.owner"

    def begin(self, session: Session, routine: Routine, exercises: dict[str, Exercise], write: bool = True) -> ActiveSession:
        """Own a new session and create its file; `write=False` leaves the writing to the caller (`save_all`)."""
        try:
            ensure_dir(self.data_dir.active)
        except OSError as error:
            raise DataFileError(f"Cannot use data folder {self.data_dir.active}: {error.strerror or error}") from error
        path, owner = self._paths(session.id)
        fd = _try_lock(owner)
        if fd is None:
            raise RuntimeError(f"session {session.id} is already under way")
        custom = {e.id: exercise_to_dict(e) for e in exercises.values() if not e.builtin and any(s.exercise == e.id for s in routine.steps)}
        header = {
            **_header_fields(session),
            "updated_at": _now(),
            "position": 0,
            "routine": routine_to_dict(routine),
            "exercises": custom,
        }
        active = ActiveSession(path, fd, session, header)
        if write:
            try:
                active.save_all({})
            except BaseException:
                active.release()
                raise
        return active

    def _load(self, path: Path) -> tuple[InterruptedSession, dict[str, Any]]:
        """The session in `path`, every field checked (ValidationError names the first bad one), and its header."""
        tables = read_all(path)
        header = tables.get("session", {}).get(str(HEADER_ID))
        if not isinstance(header, dict):
            raise ValidationError(Problem("", "no session header"))
        exercises = _stored_exercises(header.get("exercises"))
        routine = self._stored_routine(header.get("routine"), exercises)
        plan_length = sum(step.reps * len(step.side_order()) for step in routine.steps)
        records: dict[int, HoldRecord] = {}
        for doc_id, doc in tables.get("holds", {}).items():
            index = int(doc_id) - 1  # files.py has checked that document ids are numbers
            if not 0 <= index < plan_length:
                raise ValidationError(Problem("holds", f"has hold {describe(int(doc_id))}; the routine has {plan_length}"))
            records[index] = hold_from_dict(doc, f"holds[{index}]")
        started = parse_time(header.get("started_at"), "started_at")
        updated = parse_time(header.get("updated_at") or header.get("started_at"), "updated_at")
        fields = {key: header.get(key) for key in HEADER_FIELDS}
        try:
            session = session_from_dict({**fields, "status": "interrupted", "started_at": format_time(started),
                                         "ended_at": format_time(max(updated, started)),
                                         "holds": [hold_to_dict(records[i]) for i in sorted(records)]}, "header")
        except ValidationError as error:  # the header's fields are the file's own: name them bare
            raise ValidationError([Problem(p.field.removeprefix("header."), p.reason) for p in error.problems]) from None
        position = header.get("position", 0)
        check_count(position, "position", 0, max(plan_length - 1, 0))
        changes = _stretch_changes(header.get("stretch_changes"))
        state = InterruptedSession(session=session, routine=routine, exercises=exercises, position=position,
                                   records=records, shortened=changes["shortened"], left_out=changes["left_out"])
        return state, header

    def _stored_routine(self, doc: Any, exercises: dict[str, Exercise]) -> Routine:
        """The routine a session's file keeps, checked as a saved one is (so its plan stays within the limits)."""
        if not isinstance(doc, dict):
            raise ValidationError(Problem("routine", f"must be an object, not {type_name(doc)}"))
        problems = check_routine(doc.get("name"), doc.get("description"), doc.get("steps"),
                                 self.builtin_exercises | set(exercises), stored=True)
        routine_id = doc.get("id")
        if not isinstance(routine_id, str) or not routine_id:
            problems.insert(0, Problem("id", f"must be non-empty text, not {describe(routine_id)}"))
        if problems:
            raise ValidationError([Problem(f"routine.{p.field}", p.reason) for p in problems])
        return routine_from_dict(doc)

    def interrupted(self) -> list[InterruptedSession]:
        """Sessions whose process is gone, newest first. Unreadable ones are skipped."""
        found: list[InterruptedSession] = []
        if not self.data_dir.active.is_dir():
            return found
        for path in self.data_dir.active.glob("*.json"):
            with _PROBING:  # the look and the reading, before another thread of ours looks
                owner = path.with_suffix(".owner")
                try:
                    fd = _try_lock_now(owner)
                except DataFileError as error:  # a link or a FIFO planted as the owner file
                    self.problems.add(str(error))
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
                        found.append(self._load(path)[0])
                except _UNUSABLE as error:
                    self._unusable(path, error)
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
            state, header = self._load(path)
        except _UNUSABLE as error:
            os.close(fd)
            self._unusable(path, error)
            return None
        except BaseException:
            os.close(fd)
            raise
        active = ActiveSession(path, fd, state.session, header)
        with suppress(DataFileError):  # only the time stamp: the next write (or save_all) brings it
            active.set_position(state.position)
        return active, state

    def _unusable(self, path: Path, error: Exception) -> None:
        """Say (once) that a session file cannot be used; it is left as it is."""
        if isinstance(error, DataFileError):  # moved aside when damaged; left alone when newer or a directory
            self.problems.add(str(error))
            return
        # Anything but a ValidationError is a check this module lacks: say which file, not what
        # Python said about its content.
        reason = str(error) if isinstance(error, ValidationError) else "its content is not a session backrelief can read"
        self.problems.add(" ".join(
            f"Data file {path} holds a session that cannot be read ({reason}); "
            "it was left untouched: repair it or move it aside.".split()
        ))

    def close(self, session_id: str, journal: Any) -> Session | None:
        """Move an interrupted session into the journal as `interrupted`."""
        claimed = self.claim(session_id)
        if claimed is None:
            return None
        active, state = claimed
        try:
            return active.finish(state.session, journal)
        except OSError as error:
            raise DataFileError(f"Could not close the session: {error.strerror or error}") from error
        finally:
            active.release()  # on failure too: the session stays interrupted, to close or resume later


_UNUSABLE = (DataFileError, ValueError, LookupError, TypeError, AttributeError)
"""What reading a session file that is not as this module wrote it may raise."""


def _stored_exercises(doc: Any) -> dict[str, Exercise]:
    """The custom exercises a session's file keeps, by id, checked."""
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise ValidationError(Problem("exercises", f"must be an object, not {type_name(doc)}"))
    exercises = {}
    for key, item in doc.items():
        exercise = exercise_from_dict(item, f"exercises[{key!r}]", stored=True)
        if exercise.id != key:
            raise ValidationError(Problem(f"exercises[{key!r}].id", f"must be {key!r}, not {exercise.id!r}"))
        exercises[key] = exercise
    return exercises


def _header_fields(session: Session) -> dict[str, Any]:
    """The fields of HEADER_FIELDS as `session_to_dict` writes them (no problems or ratings: empty lists)."""
    document = session_to_dict(session)
    return {key: document.get(key, []) for key in HEADER_FIELDS}


def _stretch_changes(doc: Any) -> dict[str, frozenset[str]]:
    """The header's `stretch_changes`, checked: for each of STRETCH_CHANGES, a list of exercise ids (absent: none)."""
    if doc is None:
        return {key: frozenset() for key in STRETCH_CHANGES}
    if not isinstance(doc, dict):
        raise ValidationError(Problem("stretch_changes", f"must be an object, not {type_name(doc)}"))
    changes = {}
    for key in STRETCH_CHANGES:
        ids = doc.get(key, [])
        if not isinstance(ids, list) or len(ids) > STEP_LIMITS[1]:
            raise ValidationError(Problem(f"stretch_changes.{key}", f"must be a list of at most {STEP_LIMITS[1]} "
                                                                   "exercise ids"))
        for index, ex_id in enumerate(ids):
            if not isinstance(ex_id, str) or not ID_PATTERN.fullmatch(ex_id):
                raise ValidationError(Problem(f"stretch_changes.{key}[{index}]",
                                              f"must be an exercise id, not {describe(ex_id)}"))
        changes[key] = frozenset(ids)
    return changes


def _now() -> str:
    return format_time(datetime.now().astimezone())
