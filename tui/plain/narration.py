"""Which plain lines a session gives, and when: pure, driven by the engine and a clock.

A screen reader reads every line it is given, so the lines are few: one when a
phase starts (its words from `tui.domain.announce`, the same as the hold
screen's cues), and during a hold "N seconds left" only at each ten seconds and
at the last three. `LineGate` then makes sure that, whatever the keys do, no
more than three lines go out in any second: a line that has to wait is replaced
by a newer one of the same kind, since only the newest state is still true.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from tui.domain import announce
from tui.domain.cues import LAST_SECONDS, LAST_SECONDS_MIN_HOLD, Moment
from tui.domain.engine import Event, PhaseStarted, SessionEngine
from tui.domain.plan import Phase

MAX_LINES = 3
"""Lines at most in any window of `WINDOW_SECONDS`: more and a screen reader falls behind."""
WINDOW_SECONDS = 1.05
"""The window `MAX_LINES` counts in: a second and a little more. A line is counted as it is handed to the
terminal, and it reaches the reader a few milliseconds later, some lines later than others; counted over
exactly a second, a burst of keys could still bring a fourth line into one second where it is read."""
EVERY_SECONDS = 10
"""A hold says how long is left at each multiple of this many seconds."""
STALE_SECONDS = 1.0
"""A time line more than this late (the process was stopped, the machine slept) is not said at all."""

PHASE = "phase"
"""Slot of the lines that say where the session is (a phase starting, the time left)."""
PAUSE = "pause"
"""Slot of the lines that say whether the clock runs."""
NOTE = "note"
"""Slot of what a key did (`+10 seconds`, `One more rep added`)."""


@dataclass(frozen=True)
class Line:
    """One line to write, and the bell pattern (a moment) that goes with it, if any."""

    text: str
    """The words, not yet made safe for the terminal."""
    moment: Moment | None = None
    """The moment whose bells ring with it; None for no bell."""
    slot: str = PHASE
    """What kind of line it is: a waiting line is replaced by a newer one of its slot."""
    weak: bool = False
    """A time line: never replaces a waiting line of its slot that is not weak (a hold's start says more)."""


class Narrator:
    """Turns the engine's events and the clock into lines."""

    def __init__(self, engine: SessionEngine) -> None:
        self.engine = engine
        """The session's engine, read only."""
        self.stopped = False
        """Set when the user stopped the session: its last line says "Stopped after", not "Done"."""
        self._said: set[int] = set()
        """Seconds-left marks already said in this phase (a new phase starts with none)."""

    def for_events(self, events: list[Event]) -> list[Line]:
        """The line of the phase that began, if one did: only the last, as a phase begun and ended at once is over."""
        started = [event for event in events if isinstance(event, PhaseStarted)]
        if not started:
            return []
        self._said = set()
        event = started[-1]
        engine = self.engine
        if event.phase is Phase.DONE:
            done = sum(1 for record in engine.hold_records() if record.completed)
            words = announce.session_done(done, len(engine.plan), stopped=self.stopped)
        else:
            length = engine.snapshot(event.at).phase_length
            words = announce.phase_started(event.phase, engine.plan[event.index], event.index + 1,
                                           len(engine.plan), length)
        return [Line(words.written, words.moment)]

    def marks(self, hold_seconds: float) -> list[int]:
        """Seconds left at which a hold of `hold_seconds` says so: each ten seconds, and the last three."""
        marks = [left for left in range(EVERY_SECONDS, int(hold_seconds), EVERY_SECONDS) if left < hold_seconds - 1]
        if hold_seconds >= LAST_SECONDS_MIN_HOLD:
            marks.append(LAST_SECONDS)
        return sorted(marks, reverse=True)

    def for_time(self, now: float) -> list[Line]:
        """The time line due at `now`, if any (of two passed at once, only the later one, which is true now)."""
        snapshot = self.engine.snapshot(now)
        if snapshot.phase is not Phase.HOLD or snapshot.paused or self.engine.awaiting_rating is not None:
            return []
        due = None
        for mark in self.marks(snapshot.phase_length):
            if snapshot.seconds_left > mark:
                self._said.discard(mark)  # ahead again after +10 s
            elif mark not in self._said:
                self._said.add(mark)
                if mark - snapshot.seconds_left <= STALE_SECONDS:
                    due = mark
        if due is None:
            return []
        words = announce.last_seconds(snapshot.hold) if due == LAST_SECONDS else announce.seconds_left(due)
        return [Line(words.written, words.moment, weak=True)]

    def next_due(self, now: float) -> float | None:
        """The clock time the next line falls due (a time mark or the phase's end); None while nothing runs."""
        engine = self.engine
        if engine.finished or engine.paused or engine.awaiting_rating is not None or not engine._started:
            return None
        snapshot = engine.snapshot(now)
        due = now + snapshot.seconds_left
        if snapshot.phase is Phase.HOLD:
            for mark in self.marks(snapshot.phase_length):
                if mark < snapshot.seconds_left:
                    self._said.discard(mark)  # ahead again after +10 s
                    due = min(due, now + snapshot.seconds_left - mark)
        return due


class LineGate:
    """No more than `MAX_LINES` lines in any `WINDOW_SECONDS`; lines that must wait are merged by slot."""

    def __init__(self, max_lines: int = MAX_LINES, window: float = WINDOW_SECONDS) -> None:
        self.max_lines = max_lines
        """Lines allowed in one window."""
        self.window = window
        """The window's length in seconds."""
        self._sent: deque[float] = deque()
        """When the last lines went out (at most `max_lines` of them)."""
        self._waiting: list[Line] = []
        """Lines waiting for room, oldest first, at most one per slot."""

    def offer(self, line: Line) -> None:
        """Queue a line: it replaces a waiting line of its slot (unless it is weak and that one is not)."""
        for index, waiting in enumerate(self._waiting):
            if waiting.slot == line.slot:
                if line.weak and not waiting.weak:
                    return
                del self._waiting[index]
                break
        self._waiting.append(line)

    def take(self, now: float) -> list[Line]:
        """The waiting lines that may go out at `now`, oldest first; they count as sent."""
        while self._sent and self._sent[0] + self.window <= now:  # as next_free adds it: free at that very time
            self._sent.popleft()
        out: list[Line] = []
        while self._waiting and len(self._sent) < self.max_lines:
            out.append(self._waiting.pop(0))
            self._sent.append(now)
        return out

    def next_free(self, now: float) -> float | None:
        """When a waiting line may go out, or None when none waits."""
        if not self._waiting:
            return None
        if len(self._sent) < self.max_lines:
            return now
        return self._sent[0] + self.window

    def room_at(self, now: float) -> float:
        """When a line written outside the queue (a question) may go out: now, or when the window has room."""
        while self._sent and self._sent[0] + self.window <= now:
            self._sent.popleft()
        return now if len(self._sent) < self.max_lines else self._sent[0] + self.window

    def count_sent(self, now: float) -> None:
        """A line written outside the queue still counts against the window."""
        self._sent.append(now)
        while len(self._sent) > self.max_lines:
            self._sent.popleft()
