"""HoldScreen: walks the user through every hold with a big countdown.

Over SSH every repaint costs bytes, so the screen wakes only when something
visible changes (the next whole second, the next cell of a bar, a phase end)
and updates a widget only when its text differs from what it shows.
"""

from __future__ import annotations

from math import ceil

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from tui.domain.engine import Event, PhaseStarted, SessionEnded, Snapshot
from tui.domain.plan import Phase, PlannedHold, format_duration
from tui.domain.sessions import Session, needs_safety_advice, safety_reason
from tui.storage.recorder import SessionRecorder
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.note_dialog import NoteDialog
from tui.ui.screens.pain_checkin import PainCheckIn
from tui.ui.screens.safety import SafetyNote
from tui.ui.widgets.countdown import BigCountdown, format_seconds
from tui.ui.widgets.quiet_bar import QuietBar

PHASE_TITLES = {
    Phase.GET_READY: "GET READY",
    Phase.HOLD: "HOLD",
    Phase.SWITCH: "SWITCH SIDES",
    Phase.REST: "REST",
    Phase.DONE: "DONE",
}
"""The banner of each phase."""


def side_label(hold: PlannedHold) -> str:
    """`LEFT SIDE`, `RIGHT SIDE`, or ''."""
    return f"{hold.side.upper()} SIDE" if hold.side else ""


class HoldScreen(Screen[Session]):
    """Times one session; when it ends, asks how it went, stores it, and dismisses with it."""

    BINDINGS = [
        Binding("space", "toggle_pause", "Pause"),
        Binding("right,l", "skip", "Skip"),
        Binding("left,h", "back", "Back"),
        Binding("plus", "add_time", "+10 s"),
        Binding("r", "one_more_rep", "One more rep"),
        Binding("escape,q", "stop", "Stop"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, recorder: SessionRecorder, font: str = "big") -> None:
        super().__init__()
        self.recorder = recorder
        """The session being run."""
        self.font = font
        """The countdown font."""
        self._timer: Timer | None = None
        """The one pending wake-up."""
        self._shown: dict[str, str] = {}
        """Text each widget shows now, so unchanged text is never sent again."""
        self._phase_class = ""
        """The phase class the screen carries now."""
        self._ended = False
        """Whether the session has ended and the screen is about to close."""

    def compose(self) -> ComposeResult:
        with Vertical(id="hold-head"):
            yield Static(id="phase-banner")
            yield Static(id="exercise-line")
            yield Static(id="instructions")
        yield BigCountdown(id="countdown")
        with Vertical(id="hold-bars"):
            yield QuietBar(id="hold-bar")
            yield QuietBar(id="routine-bar")
            yield Static(id="next-line")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(BigCountdown).font = self.font
        events = self.recorder.start() if not self.recorder.engine._started else []
        self._handle(events)
        self.refresh_view()

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    # -- the clock -----------------------------------------------------

    def tick(self) -> None:
        """Move the session on to the clock's now and redraw (the timer calls it; tests may too)."""
        self._timer = None
        self._handle(self.recorder.tick())
        self.refresh_view()

    def _schedule(self, snapshot: Snapshot) -> None:
        """Wake at the next moment the screen would look different."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if snapshot.paused or snapshot.phase is Phase.DONE or self._ended:
            return
        left = snapshot.seconds_left
        # Next whole second of the countdown, or the phase end itself.
        delay = left - (ceil(left) - 1) if left > 1 else left
        bar = self.query_one("#hold-bar", QuietBar)
        cells = max(1, bar.size.width - len(bar.label) - 1)
        if snapshot.phase_length > 0:
            per_cell = snapshot.phase_length / cells
            into = snapshot.phase_length - left
            delay = min(delay, per_cell - (into % per_cell) or per_cell)
        self._timer = self.set_timer(max(0.002, delay + 0.001), self.tick)

    def _handle(self, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, PhaseStarted):
                self._cue(event)
            elif isinstance(event, SessionEnded):
                self._end()

    def _cue(self, event: PhaseStarted) -> None:
        hold = self.recorder.engine.plan[event.index]
        side = f" ({hold.side})" if hold.side else ""
        titles = {
            Phase.GET_READY: ("Get ready", f"{hold.exercise.name}{side}"),
            Phase.HOLD: ("Hold", f"{hold.exercise.name}{side}, {hold.planned_seconds} s"),
            Phase.SWITCH: ("Switch sides", f"{hold.exercise.name}: now {hold.side}"),
            Phase.REST: ("Rest", f"{hold.exercise.name}: relax"),
            Phase.DONE: ("Done", "Session complete"),
        }
        title, body = titles[event.phase]
        self.app.cue(title, body)

    # -- drawing -------------------------------------------------------

    def _set(self, widget_id: str, text: str) -> None:
        if self._shown.get(widget_id) != text:
            self._shown[widget_id] = text
            self.query_one(f"#{widget_id}", Static).update(text)

    def refresh_view(self) -> None:
        """Show the state at this instant and plan the next wake-up."""
        engine = self.recorder.engine
        snapshot = engine.snapshot(self.recorder.clock.monotonic())
        hold = snapshot.hold
        phase_class = f"-phase-{snapshot.phase.value}"
        if phase_class != self._phase_class:
            if self._phase_class:
                self.remove_class(self._phase_class)
            self.add_class(phase_class)
            self._phase_class = phase_class
        self.set_class(snapshot.paused, "-paused")
        banner = PHASE_TITLES[snapshot.phase]
        if snapshot.phase is not Phase.DONE and side_label(hold):
            banner += f"  ·  {side_label(hold)}"
        if snapshot.paused:
            banner += "  ·  PAUSED (space to resume)"
        self._set("phase-banner", banner)
        if snapshot.phase is Phase.DONE:
            records = engine.hold_records()
            done = sum(1 for r in records if r.completed)
            held = sum(r.held_seconds for r in records)
            self._set("exercise-line", f"{self.recorder.routine.name}: {done} of {len(engine.plan)} holds, {format_duration(held)} held")
            self._set("instructions", "Well done. Take a moment before you get up.")
        else:
            self._set("exercise-line", f"{hold.exercise.name}  ·  rep {hold.rep} of {hold.reps}  ·  hold {snapshot.index + 1} of {snapshot.holds_total}")
            self._set("instructions", hold.exercise.instructions)
        countdown = self.query_one(BigCountdown)
        countdown.text = "" if snapshot.phase is Phase.DONE else format_seconds(snapshot.seconds_left)
        hold_bar = self.query_one("#hold-bar", QuietBar)
        hold_bar.label = "this phase".rjust(10)
        hold_bar.progress = snapshot.phase_progress
        routine_bar = self.query_one("#routine-bar", QuietBar)
        routine_bar.label = f"{format_duration(snapshot.routine_seconds_left)} left".rjust(10)
        routine_bar.progress = snapshot.routine_progress
        self._set("next-line", self._next_text(snapshot))
        self._schedule(snapshot)

    def _next_text(self, snapshot: Snapshot) -> str:
        if snapshot.phase is Phase.DONE:
            return ""
        if snapshot.phase is not Phase.HOLD:
            upcoming = snapshot.hold
            prefix = "Up now"
        else:
            upcoming = snapshot.next_hold
            prefix = "Next"
        if upcoming is None:
            return "Next: the end. Nearly there."
        side = f", {upcoming.side}" if upcoming.side else ""
        return f"{prefix}: {upcoming.exercise.name}{side}, rep {upcoming.rep} of {upcoming.reps}, {upcoming.planned_seconds} s"

    # -- keys ----------------------------------------------------------

    def _act(self, events: list[Event]) -> None:
        self._handle(events)
        self.refresh_view()

    def action_toggle_pause(self) -> None:
        self._act(self.recorder.toggle_pause())

    def action_skip(self) -> None:
        self._act(self.recorder.skip())

    def action_back(self) -> None:
        self._act(self.recorder.back())

    def action_add_time(self) -> None:
        self._act(self.recorder.add_time())
        self.notify("+10 seconds", timeout=1.5)

    def action_one_more_rep(self) -> None:
        before = len(self.recorder.engine.plan)
        self._act(self.recorder.one_more_rep())
        if len(self.recorder.engine.plan) > before:
            self.notify("One more rep added", timeout=1.5)

    @work
    async def action_stop(self) -> None:
        if self._ended:
            return
        stop = await self.app.push_screen_wait(
            ConfirmDialog("Stop the session?", "The holds you have done are kept in your journal as a stopped session.", "Stop", "Keep going")
        )
        if stop and not self._ended:
            self._act(self.recorder.stop())

    def _end(self) -> None:
        if self._ended:
            return
        self._ended = True
        self.refresh_view()
        self._close_session()

    @work
    async def _close_session(self) -> None:
        """With the 'done' look behind them: pain after, a note, safety advice; then store it."""
        pain_after = await self.app.push_screen_wait(PainCheckIn("after"))
        note = await self.app.push_screen_wait(NoteDialog(self.recorder.session.note))
        session = self.recorder.finish(pain_after, note)
        if needs_safety_advice(session.pain_before, session.pain_after):
            await self.app.push_screen_wait(SafetyNote(self.app.safety_text, safety_reason(session.pain_before, session.pain_after)))
        self.dismiss(session)
