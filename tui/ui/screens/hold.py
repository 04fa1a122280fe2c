"""HoldScreen: walks the user through every hold with a big countdown.

Over SSH every repaint costs bytes, so the screen wakes only when the countdown
changes (the next whole second, a phase end) or a cue is due inside a hold (the
last three seconds, halfway: not always on a whole second), moves the bars with
it, and updates a widget only when its text differs from what it shows.
"""

from __future__ import annotations

import asyncio
from math import ceil
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer

from tui.domain import announce
from tui.domain.cues import Moment, in_hold_moments
from tui.domain.discomfort import LEAVE_OUT, SHORTEN
from tui.domain.engine import Event, PhaseStarted, SessionEnded, Snapshot, StepDone
from tui.domain.figures import figure_for_side
from tui.domain.plan import Phase, PlannedHold, format_duration
from tui.domain.sessions import Session, needs_safety_advice, safety_reason
from tui.paths import screen_styles
from tui.storage.recorder import SessionRecorder
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.note_dialog import NoteDialog
from tui.ui.screens.pain_checkin import ONE_MORE_REP, PainCheckIn
from tui.ui.screens.problem_advice import ProblemAdviceScreen
from tui.ui.screens.problem_dialog import ProblemDialog
from tui.ui.screens.safety import SafetyNote
from tui.ui.screens.step_rating import PROBLEM, StepRatingDialog
from tui.ui.screens.stretch_offer import StretchOffer
from tui.ui.screens.too_small import TooSmall
from tui.ui.screens.unsaved_session import RETRY_SECONDS, UnsavedSession
from tui.ui.widgets.countdown import BigCountdown, format_seconds
from tui.ui.widgets.pose_panel import PosePanel
from tui.ui.user_text import PlainStatic
from tui.ui.widgets.quiet_bar import QuietBar
from tui.ui.widgets.fitting_footer import FittingFooter
from tui.ui.screens.steady import SteadyScreen

if TYPE_CHECKING:
    from tui.ui.app import BackreliefApp

PHASE_TITLES = {
    Phase.GET_READY: "GET READY",
    Phase.HOLD: "HOLD",
    Phase.SWITCH: "SWITCH SIDES",
    Phase.REST: "REST",
    Phase.DONE: "DONE",
}
"""The banner of each phase."""


HOLD_BAR_SECONDS = 5
"""The hold bar moves every this many seconds of a phase."""
ROUTINE_BAR_SECONDS = 10
"""Longest the whole-routine bar waits before it moves."""
LATE_CUE_SECONDS = 1.0
"""A cue inside a hold noticed later than this (the machine was suspended) is let go, not given at the wrong time."""


def minutes_left(seconds: float) -> str:
    """The routine's time left in whole minutes: it changes once a minute, so it costs nothing per second."""
    if seconds <= 0:
        return "done"
    if seconds < 60:
        return "< 1 min left"
    return f"{ceil(seconds / 60)} min left"


def side_label(hold: PlannedHold) -> str:
    """`LEFT SIDE`, `RIGHT SIDE`, or ''."""
    return f"{hold.side.upper()} SIDE" if hold.side else ""


def done_text(routine_name: str, status: str | None, done: int, planned: int, held: float) -> tuple[str, str, str]:
    """The banner, the summary and the last words of the done screen, true to how the session ended.

    Stopped early: `Stopped after 5 of 27 holds`, never "well done". Run to its end
    with holds skipped: `Done: 20 of 27 holds (7 skipped)`.
    """
    stopped = status == "stopped"
    holds = announce.session_done(done, planned, stopped=stopped).body  # `after 5 of 27 holds`, `20 of 27 holds (7 skipped)`
    summary = f"{routine_name}: {'stopped ' if stopped else ''}{holds}, {format_duration(held)} held"
    if stopped:
        return "STOPPED", summary, "The holds you did are kept in your journal. Take a moment before you get up."
    if done < planned:
        return "DONE", summary, "Take a moment before you get up."
    return "DONE", summary, "Well done. Take a moment before you get up."


class HoldScreen(SteadyScreen, Screen[Session]):
    """Times one session; when it ends, asks how it went, stores it, and dismisses with it."""

    app: BackreliefApp  # typed: the cues and the safety note are the app's

    CSS_PATH = screen_styles("hold.tcss")

    # Pause and stop first, with short words: a narrow footer (40 columns) shows the keys in this
    # order as far as they fit, and these two must always be there. Help lists every key in full.
    BINDINGS = [
        Binding("space", "toggle_pause", "Pause", tooltip="Pause or resume the countdown"),
        Binding("escape,q", "stop", "Stop", tooltip="Stop the session (asks first; the countdown waits)"),
        # Third, so the footer shows it at every width it shows keys at, beside pause and stop.
        Binding("exclamation_mark", "something_wrong", "Problem", tooltip="Something is wrong: stop and get advice"),
        Binding("right,l", "skip", "Skip", tooltip="Skip to the next hold, from any phase"),
        Binding("left,h", "back", "Back", tooltip="Back one hold"),
        Binding("enter", "start_now", "Start now", tooltip="Start the hold now (in a get-ready, switch or rest)"),
        Binding("plus", "add_time", "+10 s", tooltip="Add 10 seconds to this phase"),
        Binding("r", "one_more_rep", "One more", tooltip="One more rep of this stretch"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, recorder: SessionRecorder, font: str = "future") -> None:
        super().__init__()
        self.recorder = recorder
        """The session being run."""
        self.font = font
        """The countdown font."""
        self._timer: asyncio.TimerHandle | None = None
        """The one pending wake-up."""
        self._wake_delay = 0.0
        """Seconds from the last wake-up (or key) to the next one planned."""
        self._shown: dict[str, str] = {}
        """Text each widget shows now, so unchanged text is never sent again."""
        self._hold_bar_step: tuple[tuple[int, Phase], int] | None = None
        """The phase and two-second step the hold bar last moved in."""
        self._routine_bar_at = float("-inf")
        """When the whole-routine bar last moved."""
        self._routine_bar_phase: tuple[int, Phase] | None = None
        """The hold and phase the whole-routine bar last moved in."""
        self._phase_class = ""
        """The phase class the banner and the middle band carry now."""
        self._ended = False
        """Whether the session has ended and the screen is about to close."""
        self._stopped = False
        """Whether the user stopped the session (its last cue then says so)."""
        self._moments_cued: set[Moment] = set()
        """The in-hold moments already cued in the phase under way."""
        self._bindings_phase: Phase | None = None
        """The phase the footer's keys were last worked out for."""
        self._retry_timer: Timer | None = None
        """Writes the session again every few seconds while the disk is behind."""
        self._rating_open = False
        """Whether the question after a step (how did it feel?) is being asked."""
        self._problem_open = False
        """Whether the `!` question (what happened?) is open."""
        self._hold_bar: QuietBar | None = None
        """The phase's bar, once compose's widgets are in (see `_widgets_in`)."""
        self._middle: PosePanel | None = None
        """The middle band (the pose and the countdown), once compose's widgets are in."""

    def compose(self) -> ComposeResult:
        with Vertical(id="hold-head"):
            yield PlainStatic(id="phase-banner")
            yield PlainStatic(id="save-problem")
            yield PlainStatic(id="exercise-line")
            yield PlainStatic(id="instructions")
        yield PosePanel(id="hold-middle")
        with Vertical(id="hold-bars"):
            yield QuietBar(id="hold-bar")
            yield QuietBar(id="routine-bar")
            yield PlainStatic(id="next-line")
        yield FittingFooter()

    def on_mount(self) -> None:
        self._hold_bar = self.query_one("#hold-bar", QuietBar)
        self._middle = self.query_one("#hold-middle", PosePanel)
        self.query_one(BigCountdown).font = self.font
        self.recorder.listener = self._cue_events
        events = self.recorder.start() if not self.recorder.engine._started else []
        self._handle(events)
        self.refresh_view()

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._retry_timer is not None:
            self._retry_timer.stop()
        if self.recorder.listener == self._cue_events:
            self.recorder.listener = None

    # -- the clock -----------------------------------------------------

    def tick(self) -> None:
        """Move the session on to the clock's now and redraw (the timer calls it; tests may too)."""
        self._handle(self.recorder.tick())
        self.refresh_view()

    def _schedule(self, snapshot: Snapshot, taken_at: float | None = None) -> None:
        """Wake at the next moment the screen would look different.

        `taken_at` is the clock time of `snapshot`: the time spent drawing since
        then is taken off, so a slow redraw does not make the next wake-up late.
        """
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if snapshot.paused or snapshot.phase is Phase.DONE or self._ended:
            return
        late = max(0.0, self.recorder.clock.monotonic() - taken_at) if taken_at is not None else 0.0
        left = snapshot.seconds_left - late
        # Next whole second of the countdown, or the phase end itself. The bars move only
        # then too: one small repaint a second rather than one for every cell of a bar.
        delay = left - (ceil(left) - 1) if left > 1 else left
        # Or a cue inside the hold, if one comes sooner (halfway through 25 s is at 12.5 s left).
        for at_left, _ in self._moments_ahead(snapshot):
            delay = min(delay, snapshot.seconds_left - at_left - late)
        # The event loop's own timer: its deadline is fixed now. A Textual timer would count its
        # delay from when its task first runs, after the frame being drawn, and so wake late.
        self._wake_delay = max(0.002, delay + 0.001)
        self._timer = asyncio.get_running_loop().call_later(self._wake_delay, self._wake)

    def _wake(self) -> None:
        """The planned wake-up, run by the event loop itself.

        Not queued as a message: just after the screen opens, its queue is still busy with
        the first layout and paint, and a cue waiting behind them would be late.
        """
        self._timer = None
        if not self.is_attached:
            return
        try:
            self.tick()
        except Exception as error:  # noqa: BLE001 - raised again where Textual reports errors
            self.call_next(self._raise, error)

    @staticmethod
    def _raise(error: Exception) -> None:
        raise error

    def _handle(self, events: list[Event]) -> None:
        if any(isinstance(event, SessionEnded) for event in events):
            self._end()
        elif self.recorder.engine.awaiting_rating is not None and not self._rating_open:
            self._rating_open = True  # now, not when the worker starts: a second wake-up must not ask twice
            self._ask_how_the_stretch_felt()

    def _cue_events(self, events: list[Event]) -> None:
        """The recorder tells what happened before it stores it: the cue goes out first, the disk write after."""
        started = [event for event in events if isinstance(event, PhaseStarted)]
        if started:
            self._moments_cued = set()
            # Only the phase now under way is cued: a phase that began and ended within one
            # late wake-up is over, and its pattern would be cut off by the next at once.
            self._cue(started[-1])

    def _cue(self, event: PhaseStarted) -> None:
        engine = self.recorder.engine
        if event.phase is Phase.DONE:
            done = sum(1 for record in engine.hold_records() if record.completed)
            self.app.cue(announce.session_done(done, len(engine.plan), stopped=self._stopped))
            return
        length = engine.snapshot(self.recorder.clock.monotonic()).phase_length
        self.app.cue(announce.phase_started(event.phase, engine.plan[event.index], event.index + 1, len(engine.plan), length))

    def _in_hold_moments(self, snapshot: Snapshot) -> list[tuple[float, Moment]]:
        """The optional cues of the hold under way that the user turned on, as (seconds left, moment)."""
        if snapshot.phase is not Phase.HOLD:
            return []
        cues = self.app.cues
        return in_hold_moments(snapshot.phase_length, last_seconds=cues.wants(Moment.LAST_SECONDS),
                               halfway=cues.wants(Moment.HALFWAY))

    def _moments_ahead(self, snapshot: Snapshot) -> list[tuple[float, Moment]]:
        """In-hold cues still to come in this phase."""
        return [(at_left, moment) for at_left, moment in self._in_hold_moments(snapshot)
                if at_left < snapshot.seconds_left and moment not in self._moments_cued]

    def _cue_in_hold(self, snapshot: Snapshot) -> None:
        """Cue the last three seconds or halfway once the clock has passed them, each once per hold."""
        if snapshot.paused:
            return
        due: tuple[float, Moment] | None = None
        for at_left, moment in self._in_hold_moments(snapshot):
            if snapshot.seconds_left > at_left:
                self._moments_cued.discard(moment)  # still ahead, or ahead again after +10 s
            elif moment not in self._moments_cued:
                self._moments_cued.add(moment)
                if at_left - snapshot.seconds_left <= LATE_CUE_SECONDS:
                    due = (at_left, moment)  # of two passed at once, the later one is the one that is true now
        if due is not None:
            at_left, moment = due
            words = announce.last_seconds(snapshot.hold) if moment is Moment.LAST_SECONDS \
                else announce.halfway(snapshot.hold, at_left)
            self.app.cue(words)

    # -- drawing -------------------------------------------------------

    def _set(self, widget_id: str, text: str) -> None:
        if self._shown.get(widget_id) != text:
            self._shown[widget_id] = text
            self.query_one(f"#{widget_id}", PlainStatic).update(text)  # plain text, made harmless

    def _widgets_in(self) -> bool:
        """Whether the widgets `refresh_view` draws on are in the screen.

        Not before compose's widgets are mounted (a tick may come first), and not once
        they are being taken down: the app removes a screen's widgets before the screen
        itself, and a planned wake-up can run in between (the app ending mid-session).
        """
        return all(widget is not None and widget.is_attached for widget in (self._hold_bar, self._middle))

    def refresh_view(self) -> None:
        """Show the state at this instant and plan the next wake-up."""
        engine = self.recorder.engine
        taken_at = self.recorder.clock.monotonic()
        snapshot = engine.snapshot(taken_at)
        self._cue_in_hold(snapshot)  # before drawing: the ear comes first
        if not self._widgets_in():
            self._schedule(snapshot, taken_at)  # nothing to draw on yet: the next wake-up draws
            return
        hold = snapshot.hold
        # The look of a phase is on the two widgets it colours, not on the screen: a class on the
        # screen would restyle all of its thirty widgets at every phase change.
        middle = self._middle
        assert middle is not None  # see _widgets_in
        phase_class = f"-phase-{snapshot.phase.value}"
        if phase_class != self._phase_class:
            for widget in (self.query_one("#phase-banner", PlainStatic), middle):
                if self._phase_class:
                    widget.remove_class(self._phase_class, update=False)  # one restyle for the swap, not two
                widget.add_class(phase_class)
            self._phase_class = phase_class
        middle.set_class(snapshot.paused, "-paused")
        banner = PHASE_TITLES[snapshot.phase]
        if snapshot.phase is Phase.REST and side_label(hold):
            banner += f"  ·  THEN {side_label(hold)}"  # resting, not yet on that side
        elif snapshot.phase is not Phase.DONE and side_label(hold):
            banner += f"  ·  {side_label(hold)}"
        if engine.awaiting_rating is not None:
            banner += "  ·  WAITING FOR YOUR ANSWER"  # not a pause the user made: space does nothing yet
        elif snapshot.paused:
            banner += "  ·  PAUSED (space to resume)"
        if snapshot.phase is Phase.DONE:
            records = engine.hold_records()
            done = sum(1 for r in records if r.completed)
            held = sum(r.held_seconds for r in records)
            banner, summary, words = done_text(self.recorder.routine.name, engine.status, done, len(engine.plan), held)
            self._set("phase-banner", banner)
            self._set("exercise-line", summary)
            self._set("instructions", words)
        else:
            self._set("phase-banner", banner)
            self._set("exercise-line", f"{hold.exercise.name}  ·  rep {hold.rep} of {hold.reps}  ·  hold {snapshot.index + 1} of {snapshot.holds_total}")
            self._set("instructions", hold.exercise.instructions)
        self._show_middle(middle, snapshot)
        hold_bar = self._hold_bar
        assert hold_bar is not None  # see _widgets_in
        hold_bar.label = "this phase".rjust(12)
        # Both bars move in steps (the countdown already counts every second), and at
        # each phase change: over SSH every repaint costs bytes.
        phase_key = (snapshot.index, snapshot.phase)
        step = int((snapshot.phase_length - snapshot.seconds_left) // HOLD_BAR_SECONDS)
        if (phase_key, step) != self._hold_bar_step or snapshot.paused:
            hold_bar.progress = snapshot.phase_progress
            self._hold_bar_step = (phase_key, step)
        routine_bar = self.query_one("#routine-bar", QuietBar)
        routine_bar.label = minutes_left(snapshot.routine_seconds_left).rjust(12)
        now = self.recorder.clock.monotonic()
        if phase_key != self._routine_bar_phase or now - self._routine_bar_at >= ROUTINE_BAR_SECONDS or snapshot.paused:
            routine_bar.progress = snapshot.routine_progress
            self._routine_bar_at, self._routine_bar_phase = now, phase_key
        self._set("next-line", self._next_text(snapshot))
        self._show_save_state()
        self._schedule(snapshot, taken_at)

    def _show_middle(self, panel: PosePanel, snapshot: Snapshot) -> None:
        """The picture of the pose (for the side under way or coming up) and the seconds left."""
        if snapshot.phase is Phase.DONE:
            panel.show([], "")
        else:
            hold = snapshot.hold  # in a get-ready, switch or rest: the hold coming up, so its side
            panel.show(figure_for_side(hold.exercise.figure, hold.side), format_seconds(snapshot.seconds_left))
        panel.countdown.muted = snapshot.paused
        if snapshot.phase is not self._bindings_phase:
            self._bindings_phase = snapshot.phase
            self.refresh_bindings()  # "Start now" is offered only before a hold

    def _show_save_state(self) -> None:
        """Say so while the disk is behind (full, say), and keep trying to catch up."""
        problem = self.recorder.save_problem()
        line = self.query_one("#save-problem", PlainStatic)
        if problem is not None and not line.has_class("-unsaved"):
            self.notify(problem, title="Not saved", severity="error", timeout=10, markup=False)
        elif problem is None and line.has_class("-unsaved"):
            self.notify("Saved: the session is on disk again.", timeout=4)
        line.set_class(problem is not None, "-unsaved")
        self._set("save-problem", problem or "")
        if problem is not None and self._retry_timer is None:
            self._retry_timer = self.set_interval(RETRY_SECONDS, self.retry_saving)
        elif problem is None and self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None

    def retry_saving(self) -> None:
        """Write what the disk lacks (the timer calls it; the recorder also tries at each hold)."""
        if self.recorder.ended is None:  # once ended, the 'not saved yet' dialog does the trying
            self.recorder.retry()
            self._show_save_state()

    def _next_text(self, snapshot: Snapshot) -> str:
        if snapshot.phase is Phase.DONE:
            return ""
        upcoming: PlannedHold | None
        if snapshot.phase is not Phase.HOLD:
            upcoming = snapshot.hold
            prefix = "Next" if snapshot.phase is Phase.REST else "Up now"
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        phase = self.recorder.engine.phase
        if phase is Phase.DONE:
            # The session is over: no key of a hold is offered (the footer lists what still works).
            return action in ("app.help", "help")
        if action == "start_now":
            return phase is not Phase.HOLD
        return True

    def action_skip(self) -> None:
        self._act(self.recorder.skip())

    def action_start_now(self) -> None:
        self._act(self.recorder.start_hold_now())

    def action_back(self) -> None:
        self._act(self.recorder.back())

    def action_add_time(self) -> None:
        self._act(self.recorder.add_time())
        self.notify("+10 seconds", timeout=1.5)

    def action_one_more_rep(self) -> None:
        refused = self.recorder.engine.one_more_rep_refused()
        if refused is not None and not self.recorder.engine.finished:
            self.notify(f"No rep added: {refused}.", timeout=4, markup=False)
            return
        before = len(self.recorder.engine.plan)
        self._act(self.recorder.one_more_rep())
        if len(self.recorder.engine.plan) > before:
            self.notify("One more rep added", timeout=1.5)

    @work
    async def action_stop(self) -> None:
        """Ask before stopping; the countdown waits while the question is up, and goes on from where it was."""
        if self._ended:
            return
        paused_here = not self.recorder.engine.paused
        if paused_here:
            self._act(self.recorder.toggle_pause())
        stop = await self.app.push_screen_wait(
            ConfirmDialog("Stop the session?", "The holds you have done are kept in your journal as a stopped session.", "Stop", "Keep going")
        )
        if self._ended:
            return
        if stop:
            self._stopped = True
            self._act(self.recorder.stop())
        elif paused_here and self.recorder.engine.paused:
            self._act(self.recorder.toggle_pause())

    def _end(self) -> None:
        if self._ended:
            return
        self._ended = True
        self.refresh_view()
        self._close_session()

    @work
    async def _close_session(self) -> None:
        """With the 'done' look behind them: pain after, a note, safety advice; then store it."""
        await self._close_screens_above(keep_size_message=True)
        pain_after, note = await self._how_it_went()
        if isinstance(pain_after, str):  # ONE_MORE_REP
            self._ended = False  # under way again: its end closes the session as this one would have
            self._act(self.recorder.one_more_rep_after_end())
            return
        session = self.recorder.ended or self.recorder.finish(pain_after, note)
        if not self.recorder.saved and not await self.app.push_screen_wait(UnsavedSession(self.recorder)):
            message = Text(f"backrelief: {self.recorder.where_things_stand()}")
            self.recorder.interrupt()  # what the disk has is kept as an interrupted session, as after a hang-up
            self.app.exit(return_code=1, message=message)
            return
        self._show_save_state()
        if needs_safety_advice(session.pain_before, session.pain_after) and not session.events:
            await self.app.push_screen_wait(SafetyNote(self.app.safety_text, safety_reason(session.pain_before, session.pain_after)))
        await self._close_screens_above()
        self.dismiss(session)

    def _one_more_rep_offer(self) -> str:
        """The stretch one more rep would repeat after the end, or '' when none is offered (stopped early)."""
        engine = self.recorder.engine
        if self._stopped or engine.one_more_rep_after_end_refused() is not None:
            return ""
        return engine.plan[-1].exercise.name

    async def _close_screens_above(self, keep_size_message: bool = False) -> None:
        """Close what is still open over this screen (a stop question or help the session ended
        under, a size message left under the dialogs): `dismiss` pops the top screen, whichever
        it is, so this screen must be on top before it leaves.

        While the window is too small, the app puts a size message back over anything that
        closes; `keep_size_message` leaves it (the dialogs then open under a fresh one), and
        the count bounds the loop in any case.
        """
        for _ in range(len(self.app.screen_stack)):
            top = self.app.screen
            if top is self or self not in self.app.screen_stack or (keep_size_message and isinstance(top, TooSmall)):
                return
            await top.dismiss(None)

    # -- something is wrong, and how each stretch felt ------------------

    def action_something_wrong(self) -> None:
        """`!`: pause and ask what happened; an answer stops the session (its end shows the advice)."""
        if not self._ended and not self._problem_open:
            self._problem_open = True  # now: a second `!` in the same burst must not ask twice
            self._ask_what_is_wrong()

    @work(group="something-wrong")
    async def _ask_what_is_wrong(self) -> None:
        try:
            await self._report_problem()
        finally:
            self._problem_open = False

    async def _report_problem(self) -> bool:
        """Ask what is wrong with the clock stopped; True once something was reported (the session is then
        over), False when the person carries on (the clock runs again if this stopped it)."""
        paused_here = not self.recorder.engine.paused and not self.recorder.engine.finished
        if paused_here:
            self._act(self.recorder.toggle_pause())
        answer = await self.app.push_screen_wait(ProblemDialog())
        if answer is None:
            if paused_here and self.recorder.engine.paused and not self._ended:
                self._act(self.recorder.toggle_pause())
            return False
        self._stopped = True
        self._act(self.recorder.report_problem(*answer))
        return True

    @work(group="stretch-rating")
    async def _ask_how_the_stretch_felt(self) -> None:
        """After a step (but the last): ask, then go on; the next lead-in waits whole meanwhile."""
        try:
            done = self.recorder.unrated
            if done is None or self._ended:
                return
            await self._rate(done)
        finally:
            self._rating_open = False
        if not self._ended:
            self._act(self.recorder.carry_on())

    async def _rate(self, done: StepDone) -> None:
        """How did the step's stretch feel? At 6 or more, offer to shorten it or leave it out if it comes again."""
        engine = self.recorder.engine
        exercise = next(h.exercise for h in engine.plan if h.step_index == done.step_index)
        while True:
            answer = await self.app.push_screen_wait(StepRatingDialog(exercise.name, not engine.finished))
            if answer != PROBLEM:
                break
            if await self._report_problem():
                return
        if not isinstance(answer, int):
            return  # skipped
        change = self.recorder.rate_step(done.step_index, answer)
        if change is None:
            return
        if not change.offered:
            self.notify(change.next_time, title="How it felt", timeout=8, markup=False)
            return
        choice = await self.app.push_screen_wait(StretchOffer(change))
        if choice == SHORTEN:
            self._act(self.recorder.shorten_stretch(change.exercise))
        elif choice == LEAVE_OUT:
            self._act(self.recorder.leave_out_stretch(change.exercise))

    async def _how_it_went(self) -> tuple[int | str | None, str | None]:
        """At the end: how the last stretch felt, then pain after and a note; after a problem, only its advice
        (a person in trouble is told what to do, not asked more). (ONE_MORE_REP, None) when the user asked
        for one more rep at the check-in instead."""
        if self.recorder.unrated is not None and not self.recorder.session.events:
            await self._rate(self.recorder.unrated)
        if self.recorder.session.events:
            # Stored (as stopped) before the advice: a person may close the window to get help.
            self.recorder.finish()
            await self.app.push_screen_wait(ProblemAdviceScreen(self.recorder.session.events[-1].kind))
            return None, None
        pain_after = await self.app.push_screen_wait(PainCheckIn("after", self._one_more_rep_offer()))
        if isinstance(pain_after, str):  # ONE_MORE_REP
            return ONE_MORE_REP, None
        if pain_after is not None:
            self.recorder.answers["pain_after"] = pain_after  # kept should the link drop at the note
        note = await self.app.push_screen_wait(NoteDialog(self.recorder.session.note))
        return pain_after, note
