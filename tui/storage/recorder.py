"""SessionRecorder: runs the engine of one session and stores every hold as it finishes.

It is the bridge between the pure engine and the disk, with no UI in it, so the
hold screen, the tests and the benchmarks all drive sessions the same way.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Callable

from tui.domain.clock import Clock
from tui.domain.engine import Event, HoldFinished, PhaseStarted, SessionEngine
from tui.domain.plan import Timings, expand
from tui.domain.routines import Routine
from tui.domain.sessions import Session
from tui.storage.active import ActiveSession
from tui.storage.store import Store


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

    @classmethod
    def begin(cls, store: Store, clock: Clock, routine: Routine, timings: Timings,
              pain_before: int | None = None) -> "SessionRecorder":
        """Start a new session of `routine` (its file is written before the first hold)."""
        exercises = store.routines.exercises()
        plan = expand(routine, exercises)
        session = Session(
            id=uuid.uuid4().hex, routine_id=routine.id, routine_name=routine.name,
            started_at=clock.now(), ended_at=None, status="interrupted",
            holds_planned=len(plan), pain_before=pain_before,
        )
        active = store.active.begin(session, routine, exercises)
        return cls(store, clock, SessionEngine(plan, timings), active, session, routine)

    @classmethod
    def resume(cls, store: Store, clock: Clock, session_id: str, timings: Timings) -> "SessionRecorder | None":
        """Take over an interrupted session from the hold that was under way; None if it is gone."""
        claimed = store.active.claim(session_id)
        if claimed is None:
            return None
        active, state = claimed
        exercises = {**store.routines.exercises(), **state.exercises}
        plan = expand(state.routine, exercises)
        engine = SessionEngine(plan, timings, records=state.records, start_index=state.position)
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
                self._position = self.engine.index if not self.engine.finished else event.index
                self.active.record_hold(event.index, event.record, position=self._position)
            elif isinstance(event, PhaseStarted) and event.index != self._position and not self.engine.finished:
                self._position = event.index
                self.active.set_position(event.index)
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
        before = len(self.engine.plan)
        events = self.engine.one_more_rep(self.clock.monotonic())
        if len(self.engine.plan) != before:
            counts: dict[int, int] = {}
            for hold in self.engine.plan:
                counts[hold.step_index] = hold.reps
            steps = [replace(step, reps=counts.get(i, step.reps)) for i, step in enumerate(self.routine.steps)]
            self.routine = self.routine.with_steps(steps)
            self.active.update(routine=self.routine, holds_planned=len(self.engine.plan))
        return self.apply(events)

    def stop(self) -> list[Event]:
        """End the session early."""
        return self.apply(self.engine.stop(self.clock.monotonic()))

    # -- ending --------------------------------------------------------

    def result(self, pain_after: int | None = None, note: str | None = None) -> Session:
        """The session as the journal will hold it."""
        return replace(
            self.session,
            ended_at=self.clock.now(),
            status=self.engine.status or "stopped",
            holds_planned=len(self.engine.plan),
            holds=tuple(self.engine.hold_records()),
            pain_after=pain_after,
            note=self.session.note if note is None else note,
        )

    def finish(self, pain_after: int | None = None, note: str | None = None) -> Session:
        """Store the finished session in the journal and remove its file."""
        return self.active.finish(self.result(pain_after, note), self.store.journal)

    def interrupt(self) -> None:
        """The process is going away (hang-up, SIGTERM): keep the file for a later resume."""
        if self.active.owned:
            try:
                self.active.set_position(self.engine.index)
            finally:
                self.active.release()
