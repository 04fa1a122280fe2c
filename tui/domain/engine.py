"""The session engine: a pure state machine that times a session from a clock.

The engine never counts ticks. Every phase has a start time and a length; a
phase that ends hands over to the next at its exact planned end, not at the
moment `tick` happens to be called, so late or dropped ticks cause no drift.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Union

from tui.domain.bounds import HOLD_SECONDS_LIMITS
from tui.domain.exercises import REPS_LIMITS
from tui.domain.plan import Phase, PlannedHold, Timings, lead_in, plan_seconds
from tui.domain.sessions import HoldRecord

ADD_TIME_SECONDS = 10
"""What `+` adds to the phase under way."""


def shortened_seconds(planned: int) -> int:
    """A hold a third shorter (at least a second shorter, and at least a second long): 30 -> 20, 10 -> 7, 2 -> 1."""
    return max(1, planned - max(1, round(planned / 3)))


@dataclass(frozen=True)
class PhaseStarted:
    """A new phase began (a cue for the user)."""

    phase: Phase
    """The phase that began."""
    index: int
    """Index of the hold it leads to or is."""
    at: float
    """Monotonic time it began."""


@dataclass(frozen=True)
class HoldFinished:
    """A hold ended, completed or not; the record is ready to be stored."""

    index: int
    """Index of the hold in the plan."""
    record: HoldRecord
    """What was done."""


@dataclass(frozen=True)
class StepDone:
    """The last hold of a step ended, and some of the step was held: a moment to ask how the stretch felt."""

    step_index: int
    """Which step of the routine (from 0)."""
    exercise: str
    """The step's exercise id."""
    at: float
    """Monotonic time its last hold ended."""


@dataclass(frozen=True)
class SessionEnded:
    """The session is over."""

    status: str
    """`completed` when the session ran to its end (skipped holds and all), `stopped` when the user ended it."""


Event = Union[PhaseStarted, HoldFinished, StepDone, SessionEnded]


@dataclass(frozen=True)
class Snapshot:
    """What the screen shows at one instant."""

    phase: Phase
    """The phase under way."""
    index: int
    """Index of the current (or upcoming) hold."""
    hold: PlannedHold
    """The current (or upcoming) hold."""
    next_hold: PlannedHold | None
    """The hold after it, if any."""
    seconds_left: float
    """Seconds left in the phase."""
    phase_length: float
    """Length of the phase, with any time added."""
    phase_progress: float
    """0..1 through the phase."""
    routine_progress: float
    """0..1 through the session's planned time, lead-ins included (matches `routine_seconds_left`)."""
    routine_seconds_left: float
    """Estimated seconds to the end of the routine."""
    paused: bool
    """Whether the clock is stopped."""
    holds_total: int
    """How many holds the plan has now."""


class SessionEngine:
    """Times a session: phases, holds, pauses and the user's changes of plan."""

    def __init__(
        self,
        plan: list[PlannedHold],
        timings: Timings = Timings(),
        records: dict[int, HoldRecord] | None = None,
        start_index: int = 0,
    ) -> None:
        if not plan:
            raise ValueError("a session needs at least one hold")
        self.plan: list[PlannedHold] = list(plan)
        """Every hold, in order; 'one more rep' inserts into it."""
        self.timings = timings
        """Lengths of get-ready and switch phases."""
        self.records: dict[int, HoldRecord] = dict(records or {})
        """What was done of each hold, by plan index."""
        self.index = min(max(start_index, 0), len(self.plan) - 1)
        """Index of the current (or upcoming) hold."""
        self.phase = Phase.GET_READY
        """The phase under way."""
        self.status: str | None = None
        """Set when the session is over."""
        self._resuming = start_index > 0 or bool(records)
        """A resumed session always begins with a get-ready."""
        self._phase_start = 0.0
        """When the phase began, shifted forward by any pause."""
        self._phase_length = 0.0
        """Length of the phase, with any time added."""
        self._paused_at: float | None = None
        """When a pause began, or None while running."""
        self._started = False
        """Whether `start` was called."""
        self.rate_steps = False
        """Wait after each step (but the last) for `carry_on`, while the user says how the stretch felt."""
        self.awaiting_rating: StepDone | None = None
        """The step whose rating the session waits for (the next lead-in starts, whole, at `carry_on`)."""
        self._paused_for_rating = False
        """Whether the wait for a rating stopped the clock (and `carry_on` is to start it again)."""
        self.shortened: set[str] = set()
        """Exercises whose holds from now on are a third shorter (see `shorten_stretch`)."""
        self.left_out: set[str] = set()
        """Exercises whose holds from now on are passed over, recorded as skipped (see `leave_out_stretch`)."""
        self.planned_before: dict[int, int] = {}
        """A shortened step's planned hold seconds as the routine had them, by step index: what its records keep."""

    # -- queries -------------------------------------------------------

    @property
    def paused(self) -> bool:
        """Whether the session is paused."""
        return self._paused_at is not None

    @property
    def finished(self) -> bool:
        """Whether the session is over."""
        return self.phase is Phase.DONE

    def elapsed(self, now: float) -> float:
        """Seconds into the current phase, pauses excluded."""
        reference = self._session_now(now)
        return max(0.0, min(reference - self._phase_start, self._phase_length))

    def phase_end(self) -> float:
        """Monotonic time the current phase ends (if no pause follows)."""
        return self._phase_start + self._phase_length

    def hold_records(self) -> list[HoldRecord]:
        """The records, in plan order."""
        return [self.records[i] for i in sorted(self.records)]

    def snapshot(self, now: float) -> Snapshot:
        """The state at `now`; call `tick(now)` first to move phases on."""
        elapsed = self.elapsed(now)
        left = 0.0 if self.finished else max(0.0, self._phase_length - elapsed)
        progress = 1.0 if self.finished or self._phase_length <= 0 else elapsed / self._phase_length
        hold = self.plan[self.index]
        next_hold = self.plan[self.index + 1] if self.index + 1 < len(self.plan) else None
        return Snapshot(
            phase=self.phase,
            index=self.index,
            hold=hold,
            next_hold=next_hold,
            seconds_left=left,
            phase_length=self._phase_length,
            phase_progress=min(1.0, progress),
            routine_progress=self._routine_progress(self._routine_left(left)),
            routine_seconds_left=self._routine_left(left),
            paused=self.paused,
            holds_total=len(self.plan),
        )

    # -- driving -------------------------------------------------------

    def start(self, now: float) -> list[Event]:
        """Begin at `now` with the lead-in to the first (or resumed) hold."""
        if self._started:
            return []
        self._started = True
        events: list[Event] = []
        self._enter_lead_in(now, events, force_get_ready=self._resuming)
        return events + self.tick(now)

    def tick(self, now: float) -> list[Event]:
        """Move on every phase that has ended by `now`; return what happened."""
        events: list[Event] = []
        if not self._started or self.paused:
            return events
        while not self.finished and not self.paused and now >= self.phase_end():
            end = self.phase_end()
            if self.phase is Phase.HOLD:
                self._finish_hold(self._phase_length, True, events)
                self._next_hold(end, events)
            else:
                self._enter_hold(end, events)
        return events

    def pause(self, now: float) -> list[Event]:
        """Stop the clock."""
        events = self.tick(now)
        if not self.finished and not self.paused:
            self._paused_at = now
        return events

    def resume(self, now: float) -> list[Event]:
        """Start the clock again; the phase keeps the time it had left."""
        if self._paused_at is not None:
            self._phase_start += now - self._paused_at
            self._paused_at = None
        return self.tick(now)

    def toggle_pause(self, now: float) -> list[Event]:
        """Pause when running, resume when paused."""
        return self.resume(now) if self.paused else self.pause(now)

    def skip(self, now: float) -> list[Event]:
        """Skip to the next hold, from any phase, in one step.

        In a hold: the hold ends (completed only if its planned time was held). In the
        get-ready, switch or rest before a hold: that hold is passed over, recorded as
        not done (held 0 s), unless it was done before (after `back`). Either way the
        session goes on with the lead-in to the hold after it, or ends after the last.
        """
        events = self.tick(now)
        if self.finished:
            return events
        at = self._session_now(now)
        if self.phase is Phase.HOLD:
            self._finish_hold(self.elapsed(now), self._held_in_full(now), events)
        else:
            self._finish_hold(0.0, False, events)
        self._next_hold(at, events)
        return events

    def start_hold_now(self, now: float) -> list[Event]:
        """In a get-ready, switch or rest: cut it short and start the hold it leads to now. In a hold: nothing."""
        events = self.tick(now)
        if self.finished or self.phase is Phase.HOLD:
            return events
        self._enter_hold(self._session_now(now), events)
        return events

    def back(self, now: float) -> list[Event]:
        """Go back one hold: the previous hold starts again from its lead-in."""
        events = self.tick(now)
        if self.finished:
            return events
        at = self._session_now(now)
        self.index = max(0, self.index - 1)
        self._enter_lead_in(at, events)
        return events

    def add_time(self, now: float, seconds: int = ADD_TIME_SECONDS) -> list[Event]:
        """Lengthen the phase under way."""
        events = self.tick(now)
        # A hold stays within what the journal takes (a day); long before that, nobody is pressing +.
        if not self.finished and self._phase_length + seconds <= HOLD_SECONDS_LIMITS[1]:
            self._phase_length += seconds
        return events

    def one_more_rep(self, now: float) -> list[Event]:
        """Add a repetition (both sides, if the step has two) to the step just held or under way.

        The new holds go where the step's order puts them: after the step's last hold
        (`alternate`), or after the last hold of each side (`one-side-first`). A new
        hold never goes behind the user: when a side's reps are already done, nothing
        is added (`one_more_rep_refused` says why). In a lead-in, a new hold placed just
        before the upcoming one becomes the upcoming hold.
        """
        events = self.tick(now)
        if self.finished or self.one_more_rep_refused() is not None:
            return events
        insertions = self._new_rep(self._rep_step())
        pending = self._first_pending()
        plan: list[PlannedHold] = []
        moved: dict[int, int] = {}
        upcoming_new: int | None = None
        reps = insertions[0][1].reps
        for old in range(len(self.plan) + 1):
            for before, hold in insertions:
                if before == old:
                    if old == pending and self.phase is not Phase.HOLD and upcoming_new is None:
                        upcoming_new = len(plan)
                    plan.append(hold)
            if old < len(self.plan):
                hold = self.plan[old]
                moved[old] = len(plan)
                plan.append(replace(hold, reps=reps) if hold.step_index == insertions[0][1].step_index else hold)
        self.plan = plan
        # Records move along with their holds.
        self.records = {moved[i]: r for i, r in self.records.items()}
        if upcoming_new is not None:
            # The upcoming hold now is the new rep: lead into it afresh.
            self.index = upcoming_new
            at = self._session_now(now)
            self._enter_lead_in(at, events, at_least_get_ready=True)
        else:
            self.index = moved[self.index]
        return events

    def one_more_rep_after_end(self, now: float) -> list[Event]:
        """After a session that ran to its end: one more rep of its last step, led into as any hold is. The
        session is under way again, and ends (completed) once that rep is done; nothing else changes."""
        events: list[Event] = []
        if self.one_more_rep_after_end_refused() is not None:
            return events
        step_index = self.plan[-1].step_index
        new = [hold for _before, hold in self._new_rep(step_index)]
        reps = new[0].reps
        self.plan = [replace(h, reps=reps) if h.step_index == step_index else h for h in self.plan] + new
        self.index = len(self.plan) - len(new)
        self.status = None
        self._enter_lead_in(now, events, at_least_get_ready=True)
        return events

    def one_more_rep_after_end_refused(self) -> str | None:
        """Why one more rep cannot follow the end of the session, or None when it can: only a session that ran
        to its end takes one (a stopped one was ended on purpose)."""
        if not self.finished or self.status != "completed":
            return "the session did not run to its end"
        last = self.plan[-1]
        if last.exercise.id in self.left_out:
            return f"{last.exercise.name} was left out"
        if last.reps + 1 > REPS_LIMITS[1]:
            return f"a step has at most {REPS_LIMITS[1]} reps"
        return None

    def one_more_rep_refused(self) -> str | None:
        """Why "one more rep" cannot be added now, or None when it can.

        A step at the most reps a routine may have refuses; so does a `one-side-first`
        step once its first side's reps are done (the new rep of that side would lie
        behind the user).
        """
        if self.finished:
            return "the session is over"
        step_index = self._rep_step()
        pending = self._first_pending()
        new_rep = self._new_rep(step_index)
        if new_rep[0][1].reps > REPS_LIMITS[1]:
            # A routine has at most this many reps a step, and so its saved copy too.
            return f"a step has at most {REPS_LIMITS[1]} reps"
        for before, hold in new_rep:
            if before < pending:
                return f"the {hold.side} side of {hold.exercise.name} is done: add a rep while still on that side"
        return None

    def stop(self, now: float) -> list[Event]:
        """End the session early; a hold under way is recorded (completed only if its planned time was held)."""
        events = self.tick(now)
        if self.finished:
            return events
        if self.phase is Phase.HOLD and self.elapsed(now) > 0:
            self._finish_hold(self.elapsed(now), self._held_in_full(now), events)
        self._end("stopped", now, events)
        return events

    # -- how a stretch felt ---------------------------------------------

    def carry_on(self, now: float) -> list[Event]:
        """The question after a step is answered: the next lead-in starts now, at its full length.

        The time the question was open is not counted, as in a pause; a session
        the user had paused stays paused.
        """
        if self.awaiting_rating is None or self.finished:
            self.awaiting_rating = None
            return self.tick(now)
        self.awaiting_rating = None
        self._paused_at = None if self._paused_for_rating else now
        self._paused_for_rating = False
        events: list[Event] = []
        self._enter_lead_in(now, events)
        return events + self.tick(now)

    def holds_to_come(self, exercise: str, now: float) -> int:
        """How many holds of `exercise` are still ahead and not left out (the one under way not counted once begun)."""
        if self.finished or exercise in self.left_out:
            return 0
        return sum(1 for hold in self.plan[self._first_unstarted(now):] if hold.exercise.id == exercise)

    def shorten_stretch(self, exercise: str, now: float) -> list[Event]:
        """Make every hold of `exercise` still ahead a third shorter (see `shortened_seconds`).

        Its records keep the routine's planned seconds, so a shortened hold reads
        as cut short, not completed, in the journal.
        """
        events = self.tick(now)
        if self.finished or exercise in self.shortened:
            return events
        self.shortened.add(exercise)
        first = self._first_unstarted(now)
        for index in range(first, len(self.plan)):
            hold = self.plan[index]
            if hold.exercise.id == exercise:
                self.planned_before.setdefault(hold.step_index, hold.planned_seconds)
                self.plan[index] = replace(hold, planned_seconds=shortened_seconds(hold.planned_seconds))
        if self.phase is Phase.HOLD and first == self.index and self.plan[self.index].exercise.id == exercise:
            self._phase_length = float(self.plan[self.index].planned_seconds)  # begun this instant: shorten it too
        return events

    def leave_out_stretch(self, exercise: str, now: float) -> list[Event]:
        """Pass over every hold of `exercise` still ahead: each is recorded as skipped (held 0 s, not completed)."""
        events = self.tick(now)
        if self.finished or exercise in self.left_out:
            return events
        self.left_out.add(exercise)
        first = self._first_unstarted(now)
        if first == self.index and self.awaiting_rating is None and self.plan[self.index].exercise.id == exercise:
            # Leading into (or just starting) a hold of it: move on to the next hold that is not left out.
            at = self._session_now(now)
            self._enter_lead_in(at, events)
        return events

    def _session_now(self, now: float) -> float:
        """`now` as the session counts it: while paused, the moment the pause began."""
        return self._paused_at if self._paused_at is not None else now

    def _first_unstarted(self, now: float) -> int:
        """The index of the first hold not yet begun (a hold under way for no time at all has not begun)."""
        if self.phase is Phase.HOLD and self.elapsed(now) > 0:
            return self.index + 1
        return self.index

    # -- internals -----------------------------------------------------

    def _rep_step(self) -> int:
        """The step "one more rep" adds to: the one under way in a hold, else the one just held."""
        if self.phase is Phase.HOLD or self.index == 0:
            return self.plan[self.index].step_index
        return self.plan[self.index - 1].step_index

    def _first_pending(self) -> int:
        """Index of the first hold not yet begun: the upcoming one in a lead-in, the next one in a hold."""
        return self.index + 1 if self.phase is Phase.HOLD else self.index

    def _new_rep(self, step_index: int) -> list[tuple[int, PlannedHold]]:
        """The holds of one more rep of a step, each with the plan index it goes before, in plan order."""
        step_holds = [i for i, h in enumerate(self.plan) if h.step_index == step_index]
        last = self.plan[step_holds[-1]]
        reps = last.reps + 1
        sides = list(dict.fromkeys(self.plan[i].side for i in step_holds))
        if last.order == "one-side-first":
            places = []
            for side in sides:
                last_of_side = max(i for i in step_holds if self.plan[i].side == side)
                places.append((last_of_side + 1, replace(self.plan[last_of_side], rep=reps, reps=reps)))
            return places
        return [(step_holds[-1] + 1, replace(last, side=side, rep=reps, reps=reps)) for side in sides]

    def _enter_lead_in(self, at: float, events: list[Event], force_get_ready: bool = False,
                       at_least_get_ready: bool = False) -> None:
        if self._pass_left_out(at, events):
            return
        previous = self.plan[self.index - 1] if self.index > 0 else None
        phase, length = lead_in(previous, self.plan[self.index], self.timings)
        if force_get_ready or (at_least_get_ready and length <= 0):
            # A resumed session, or a hold the user just asked for: time to get into position.
            phase, length = Phase.GET_READY, self.timings.get_ready_seconds
        if length <= 0:
            self._enter_hold(at, events)
            return
        self._set_phase(phase, at, length, events)

    def _enter_hold(self, at: float, events: list[Event]) -> None:
        self._set_phase(Phase.HOLD, at, self.plan[self.index].planned_seconds, events)

    def _set_phase(self, phase: Phase, at: float, length: float, events: list[Event]) -> None:
        self.phase = phase
        self._phase_start = at
        self._phase_length = float(length)
        if self._paused_at is not None:
            self._paused_at = at
        events.append(PhaseStarted(phase, self.index, at))

    def _held_in_full(self, now: float) -> bool:
        # After '+', skipping (or stopping) in the extra time still completes the planned hold.
        return self.elapsed(now) >= self.plan[self.index].planned_seconds

    def _finish_hold(self, held: float, completed: bool, events: list[Event]) -> None:
        hold = self.plan[self.index]
        # A shortened hold keeps the routine's plan in its record: held for less than that, it was cut short.
        planned = self.planned_before.get(hold.step_index, hold.planned_seconds)
        record = HoldRecord(
            exercise=hold.exercise.id,
            side=hold.side,
            rep=hold.rep,
            planned_seconds=planned,
            held_seconds=round(held, 2),
            completed=completed and held >= planned,
        )
        previous = self.records.get(self.index)
        # A hold done again after 'back' keeps its best record.
        if previous is None or completed or not previous.completed:
            self.records[self.index] = record
        events.append(HoldFinished(self.index, self.records[self.index]))

    def _next_hold(self, at: float, events: list[Event]) -> None:
        done = self._step_done(at)
        if done is not None:
            events.append(done)
        if self.index + 1 >= len(self.plan):
            self._run_out(at, events)
            return
        self.index += 1
        if done is not None and self.rate_steps:
            if not self._pass_left_out(at, events):  # with only left-out holds ahead, it is over: no wait
                self._await_rating(done, at)
            return
        self._enter_lead_in(at, events)

    def _step_done(self, at: float) -> StepDone | None:
        """A StepDone when the hold that just ended is its step's last and some of the step was held."""
        hold = self.plan[self.index]
        if self.index + 1 < len(self.plan) and self.plan[self.index + 1].step_index == hold.step_index:
            return None
        held = any(record.held_seconds > 0 for index, record in self.records.items()
                   if self.plan[index].step_index == hold.step_index)
        return StepDone(hold.step_index, hold.exercise.id, at) if held else None

    def _await_rating(self, done: StepDone, at: float) -> None:
        """Stop the clock at the end of a step until `carry_on`: the next lead-in, not yet begun, waits whole."""
        self.awaiting_rating = done
        self._paused_for_rating = self._paused_at is None
        # Where the session stands meanwhile; `carry_on` enters the lead-in afresh and announces it then.
        self.phase, length = lead_in(self.plan[self.index - 1], self.plan[self.index], self.timings)
        self._phase_start, self._phase_length, self._paused_at = at, float(length), at

    def _pass_left_out(self, at: float, events: list[Event]) -> bool:
        """Record each hold of a left-out stretch from here on as skipped; True when that ended the session."""
        while self.plan[self.index].exercise.id in self.left_out:
            self._finish_hold(0.0, False, events)
            if self.index + 1 >= len(self.plan):
                self._run_out(at, events)
                return True
            self.index += 1
        return False

    def _run_out(self, at: float, events: list[Event]) -> None:
        """The last hold is behind: the session ran to its end, so it is `completed`, even with holds
        skipped or stretches left out on the way (each hold's `completed` says so). Stopped means ended early."""
        self._end("completed", at, events)

    def _end(self, status: str, at: float, events: list[Event]) -> None:
        self.status = status
        self._paused_at = None
        self.awaiting_rating = None
        self._set_phase(Phase.DONE, at, 0.0, events)
        events.append(SessionEnded(status))

    def _routine_progress(self, seconds_left: float) -> float:
        """How far through the whole session's planned time (lead-ins included), 0..1."""
        if self.finished:
            return 1.0
        total = plan_seconds(self.plan, self.timings)
        return max(0.0, min(1.0, 1.0 - seconds_left / total)) if total else 0.0

    def _routine_left(self, phase_left: float) -> float:
        if self.finished:
            return 0.0
        left = phase_left
        current = self.plan[self.index]
        if self.phase is not Phase.HOLD:
            # The lead-in to a left-out hold is passed over, not waited through.
            left = 0.0 if current.exercise.id in self.left_out else left + current.planned_seconds
        previous = current
        for hold in self.plan[self.index + 1 :]:
            if hold.exercise.id not in self.left_out:
                left += lead_in(previous, hold, self.timings)[1] + hold.planned_seconds
            previous = hold
        return left
