"""SessionRecorder: runs the engine of one session and stores every hold as it finishes.

It is the bridge between the pure engine and the disk, with no UI in it, so the
hold screen, the tests and the benchmarks all drive sessions the same way.

A write that fails (a full disk, a disk error) never stops the session: the
session goes on in memory, `unsaved` says why the disk is behind, and the next
write, or `retry()`, writes the whole session file at once. A finished session
waits in memory, pain rating and note included, until the journal takes it.
"""

from __future__ import annotations

import errno
import uuid
from contextlib import suppress
from dataclasses import replace
from typing import Any, Callable

from tui.domain.clock import Clock
from tui.domain.discomfort import StretchChange, stretch_change
from tui.domain.engine import Event, HoldFinished, PhaseStarted, SessionEngine, StepDone
from tui.domain.plan import Timings, expand
from tui.domain.routines import Routine
from tui.domain.sessions import DISCOMFORT_LIMITS, NOTE_MAX, ProblemReport, Session, StepRating
from tui.domain.warning_signs import PROBLEM_KINDS
from tui.storage.active import ActiveSession
from tui.storage.files import DataFileError
from tui.storage.store import Store

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
"""Errors that mean there is no room left to write (the disk, or the user's quota)."""


def is_disk_full(error: BaseException) -> bool:
    """Whether a storage error comes down to a full disk (or quota)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in DISK_FULL:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class SessionRecorder:
    """One session under way: the engine, its file, and what the user said."""

    def __init__(self, store: Store, clock: Clock, engine: SessionEngine, active: ActiveSession,
                 session: Session, routine: Routine) -> None:
        self.store = store
        """Where the session is stored."""
        self.clock = clock
        """Where time comes from."""
        self.engine = engine
        """The state machine that times the session."""
        self.active = active
        """The session's own file, locked by this process."""
        self.session = session
        """The session header as it started (holds are in the engine)."""
        self.routine = routine
        """The routine as run, with any extra reps."""
        self._position = engine.index
        """Hold index last stored as the one under way."""
        self.listener: Callable[[list[Event]], None] | None = None
        """Told of what happened before it is stored: the hold screen gives its cue then, not after a disk write."""
        self.unsaved: DataFileError | None = None
        """Why the disk does not have the session as it is in memory, or None when it does."""
        self.ended: Session | None = None
        """The session as the journal is to hold it, once `finish` has been called."""
        self.holds_on_disk: set[int] = set(engine.records)
        """Plan indexes of the holds the session's file has (what an interrupted session would keep)."""
        self.file_exists = True
        """Whether the session's file has been written at all (`begin` writes it first)."""
        self.file_current = True
        """Whether the session's file has everything in memory (`unsaved` may still be set once ended)."""
        self.answers: dict[str, Any] = {}
        """What the user has answered at the end so far (`pain_after`), kept by `interrupt` too."""
        self.unrated: StepDone | None = None
        """The step just done whose question (how did it feel?) is still to be answered, when ratings are asked."""

    @classmethod
    def begin(cls, store: Store, clock: Clock, routine: Routine, timings: Timings,
              pain_before: int | None = None, rate_steps: bool = False) -> "SessionRecorder":
        """Start a new session of `routine` (its file is written before the first hold); `rate_steps`: wait
        after each step while the user says how the stretch felt (see `rate_step`)."""
        exercises = store.routines.exercises()
        plan = expand(routine, exercises)
        session = Session(
            id=uuid.uuid4().hex, routine_id=routine.id, routine_name=routine.name,
            started_at=clock.now(), ended_at=None, status="interrupted",
            holds_planned=len(plan), pain_before=pain_before,
        )
        active = store.active.begin(session, routine, exercises, write=False)
        recorder = cls(store, clock, SessionEngine(plan, timings), active, session, routine)
        recorder.engine.rate_steps = rate_steps
        recorder.file_exists = False
        recorder._write(lambda: active.save_all({}), remember=lambda: None)
        return recorder

    @classmethod
    def resume(cls, store: Store, clock: Clock, session_id: str, timings: Timings,
               rate_steps: bool = False) -> "SessionRecorder | None":
        """Take over an interrupted session from the hold that was under way, its stretches still shortened
        or left out as they were; None if it is gone."""
        claimed = store.active.claim(session_id)
        if claimed is None:
            return None
        active, state = claimed
        exercises = {**store.routines.exercises(), **state.exercises}
        plan = expand(state.routine, exercises)
        engine = SessionEngine(plan, timings, records=state.records, start_index=state.position)
        engine.rate_steps = rate_steps
        engine.left_out.update(state.left_out)
        for exercise in sorted(state.shortened):
            engine.shorten_stretch(exercise, clock.monotonic())
        return cls(store, clock, engine, active, state.session, state.routine)

    # -- driving -------------------------------------------------------

    def start(self) -> list[Event]:
        """Start the clock."""
        return self.apply(self.engine.start(self.clock.monotonic()))

    def tick(self) -> list[Event]:
        """Move the engine to now and store what finished."""
        return self.apply(self.engine.tick(self.clock.monotonic()))

    def apply(self, events: list[Event]) -> list[Event]:
        """Store the holds that finished, and where the session now is."""
        if self.listener is not None and events:
            self.listener(events)
        for event in events:
            if isinstance(event, HoldFinished):
                self._position = position = self.engine.index if not self.engine.finished else event.index
                index, record = event.index, event.record
                if self._write(lambda: self.active.record_hold(index, record, position=position),
                               remember=lambda: self.active.remember_position(position)):
                    self.holds_on_disk.add(index)
            elif isinstance(event, StepDone) and self.engine.rate_steps:
                self.unrated = event
            elif isinstance(event, PhaseStarted) and event.index != self._position and not self.engine.finished:
                self._position = position = event.index
                self._write(lambda: self.active.set_position(position),
                            remember=lambda: self.active.remember_position(position))
        return events

    def toggle_pause(self) -> list[Event]:
        """Pause or resume."""
        return self.apply(self.engine.toggle_pause(self.clock.monotonic()))

    def skip(self) -> list[Event]:
        """Skip to the next hold."""
        return self.apply(self.engine.skip(self.clock.monotonic()))

    def start_hold_now(self) -> list[Event]:
        """Cut a get-ready, switch or rest short and start its hold."""
        return self.apply(self.engine.start_hold_now(self.clock.monotonic()))

    def back(self) -> list[Event]:
        """Go back one hold."""
        return self.apply(self.engine.back(self.clock.monotonic()))

    def add_time(self) -> list[Event]:
        """Add ten seconds to the phase under way."""
        return self.apply(self.engine.add_time(self.clock.monotonic()))

    def one_more_rep(self) -> list[Event]:
        """One more rep of the current step; the stored routine and plan grow with it."""
        return self._grown(self.engine.one_more_rep)

    def one_more_rep_after_end(self) -> list[Event]:
        """One more rep of the last step once the session ran to its end; it is under way again."""
        return self._grown(self.engine.one_more_rep_after_end)

    def _grown(self, grow: Callable[[float], list[Event]]) -> list[Event]:
        """Let the engine add holds; the stored routine and plan grow with them."""
        before = len(self.engine.plan)
        events = grow(self.clock.monotonic())
        if len(self.engine.plan) != before:
            counts: dict[int, int] = {}
            for hold in self.engine.plan:
                counts[hold.step_index] = hold.reps
            steps = [replace(step, reps=counts.get(i, step.reps)) for i, step in enumerate(self.routine.steps)]
            self.routine = self.routine.with_steps(steps)
            routine, planned = self.routine, len(self.engine.plan)
            self._write(lambda: self.active.update(routine=routine, holds_planned=planned),
                        remember=lambda: self.active.remember(routine=routine, holds_planned=planned))
        return self.apply(events)

    def stop(self) -> list[Event]:
        """End the session early."""
        return self.apply(self.engine.stop(self.clock.monotonic()))

    # -- something is wrong, and how each stretch felt -------------------

    def report_problem(self, kind: str, note: str = "") -> list[Event]:
        """The "something is wrong" key: record what happened (one of PROBLEM_KINDS, a note in the person's
        words) with the time, then stop the session (a session already over keeps its status)."""
        if kind not in PROBLEM_KINDS:
            raise ValueError(f"kind must be one of {', '.join(PROBLEM_KINDS)}, not {kind!r}")
        note = note.strip()
        if len(note) > NOTE_MAX:
            raise ValueError(f"a note is at most {NOTE_MAX} characters")
        events = (*self.session.events, ProblemReport(at=self.clock.now(), kind=kind, note=note))
        self._set_session(events=events)
        self.unrated = None  # no question about a stretch after this
        return self.stop()

    def rate_step(self, step_index: int, discomfort: int) -> StretchChange | None:
        """Keep how step `step_index` (from 0, as the engine counts) felt, 0-10; a second rating of it replaces
        the first. What the rating brings is returned (see `stretch_change`): the session waits for `carry_on`,
        so the offer to change the stretch can come first."""
        low, high = DISCOMFORT_LIMITS
        if isinstance(discomfort, bool) or not isinstance(discomfort, int) or not low <= discomfort <= high:
            raise ValueError(f"discomfort must be a whole number from {low} to {high}, not {discomfort!r}")
        exercise = self.routine.steps[step_index].exercise
        ratings = tuple(r for r in self.session.step_ratings if r.step != step_index + 1)
        self._set_session(step_ratings=(*ratings, StepRating(step_index + 1, exercise, discomfort)))
        return stretch_change(self.engine, step_index, discomfort, self.clock.monotonic())

    def holds_to_come(self, exercise: str) -> int:
        """How many holds of `exercise` are still ahead in this session (what shortening or leaving it out changes)."""
        return self.engine.holds_to_come(exercise, self.clock.monotonic())

    def shorten_stretch(self, exercise: str) -> list[Event]:
        """Hold `exercise` a third shorter for the rest of the session (kept for a resume)."""
        events = self.engine.shorten_stretch(exercise, self.clock.monotonic())
        self._store_stretch_changes()
        return self.apply(events)

    def leave_out_stretch(self, exercise: str) -> list[Event]:
        """Leave `exercise` out for the rest of the session: its holds are recorded as skipped (kept for a resume)."""
        events = self.engine.leave_out_stretch(exercise, self.clock.monotonic())
        self._store_stretch_changes()
        return self.apply(events)

    def carry_on(self) -> list[Event]:
        """The question after a step is answered or skipped: the session goes on (the next lead-in starts now)."""
        self.unrated = None
        return self.apply(self.engine.carry_on(self.clock.monotonic()))

    def _set_session(self, **fields: Any) -> None:
        """Change the session's problems or ratings, in memory and on disk."""
        self.session = replace(self.session, **fields)
        self._write(lambda: self.active.update(**fields), remember=lambda: self.active.remember(**fields))

    def _store_stretch_changes(self) -> None:
        changes = {"shortened": set(self.engine.shortened), "left_out": set(self.engine.left_out)}
        self._write(lambda: self.active.update(stretch_changes=changes),
                    remember=lambda: self.active.remember(stretch_changes=changes))

    # -- ending --------------------------------------------------------

    def result(self, pain_after: int | None = None, note: str | None = None) -> Session:
        """The session as the journal will hold it."""
        return replace(
            self.session,
            ended_at=self.clock.now(),
            status=self.engine.status or "stopped",
            holds_planned=len(self.engine.plan),
            holds=tuple(self.engine.hold_records()),
            pain_after=self.session.pain_after if pain_after is None else pain_after,
            note=self.session.note if note is None else note,
        )

    def finish(self, pain_after: int | None = None, note: str | None = None) -> Session:
        """Store the finished session in the journal and remove its file.

        When the journal cannot be written, the session (with `pain_after` and
        `note`) stays in `ended` and `unsaved` says why; `retry()` stores it later.
        """
        self.ended = self.result(pain_after, note)
        self.active.remember(pain_after=self.ended.pain_after, note=self.ended.note)
        self.file_current = False  # the file lacks the rating and note until the journal or the file has them
        self._store_ended()
        return self.ended

    @property
    def saved(self) -> bool:
        """Whether the disk has the session as it is in memory (once ended: whether the journal has it)."""
        return self.unsaved is None

    def retry(self) -> bool:
        """Write what the disk does not have yet; whether it now has everything."""
        if self.unsaved is None:
            return True
        if self.ended is not None:
            return self._store_ended()
        if self._save_file():
            self.unsaved = None
        return self.unsaved is None

    def _write(self, write: Callable[[], None], remember: Callable[[], object]) -> bool:
        """Make one change on disk with `write`; once a write has failed, make it in memory with
        `remember` and write the whole file instead. Whether the disk now has it."""
        if self.unsaved is not None:
            remember()
            return self.retry()
        try:
            write()
        except DataFileError as error:
            self.unsaved, self.file_current = error, False
            return False
        self.file_exists = True
        return True

    def _save_file(self) -> bool:
        """Write the whole session file from memory; whether that worked (`unsaved` says why not)."""
        try:
            self.active.save_all(self.engine.records)
        except DataFileError as error:
            self.unsaved = error
            return False
        self.file_exists = self.file_current = True
        self.holds_on_disk = set(self.engine.records)
        return True

    def _store_ended(self) -> bool:
        assert self.ended is not None
        try:
            self.store.journal.add(self.ended)
        except DataFileError as error:
            self.unsaved = error
            # The session's own file is small and may still fit: if the app is closed before the journal
            # takes the session, the next start then offers it as interrupted, rating and note included.
            if not self.file_current:
                self._save_file()
                self.unsaved = error  # the journal's reason is the one that counts
            return False
        self.unsaved = None
        with suppress(OSError):  # the journal has it; a file left behind is only offered again as interrupted
            self.active.discard()
        return True

    def save_problem(self) -> str | None:
        """What the user needs to know while the disk is behind, in a sentence; None when it is not."""
        if self.unsaved is None:
            return None
        what = "your session, pain rating and note are" if self.ended is not None else "this session is"
        when = "there is room" if is_disk_full(self.unsaved) else "it can be"
        return f"{self._cause()}: {what} kept in memory and saved as soon as {when}."

    def where_things_stand(self) -> str:
        """What is on disk if the app is closed now, with the disk behind: a few sentences for the user."""
        said = f"This session is not saved: {self._cause()[0].lower()}{self._cause()[1:]}."
        if not self.file_exists:
            return f"{said} Nothing of it could be written."
        done = len(self.holds_on_disk)
        said += (f" The next start offers it as an interrupted session with the {done} "
                 f"hold{'' if done == 1 else 's'} saved")
        if self.file_current:
            return f"{said}{', your pain rating and note' if self.ended is not None else ''}."
        lost = "the pain rating and note you gave at the end are" if self.ended is not None else "later holds are"
        return f"{said} before the writing stopped; {lost} lost."

    def _cause(self) -> str:
        if self.unsaved is None:
            return "Saved"
        if is_disk_full(self.unsaved):
            return "The disk is full"
        reason = _reason(self.unsaved)
        return f"The disk cannot be written ({reason})" if reason else "The disk cannot be written"

    def interrupt(self, **typed: Any) -> None:
        """The process is going away (hang-up, SIGTERM): keep the file for a later resume.

        What the user has answered at the end (`answers`) and `typed`, what an
        open dialog's field holds (`pain_after`, `note`), are stored with it: the
        journal shows them, and a resume starts from them.
        """
        if self.active.owned:
            try:
                kept = {**self.answers, **typed}
                if kept:
                    self._write(lambda: self.active.update(**kept), remember=lambda: self.active.remember(**kept))
                    self.session = replace(self.session, **kept)
                position = self.engine.index
                self._write(lambda: self.active.set_position(position),
                            remember=lambda: self.active.remember_position(position))
            finally:
                self.active.release()


def _reason(error: BaseException) -> str:
    """The operating system's words for a failed write (`Input/output error`): never the content of a file."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        seen = seen.__cause__ or seen.__context__
    return ""
