"""A whole session in plain mode: check-in, holds, the questions at the end, the journal.

The same recorder and engine as the hold screen; the same words for each
moment (`tui.domain.announce`, through `Narrator`); the same keys, read without
enter. Questions are plain prompts: one key where one key answers, a line of
text for a pain rating or a note. A hang-up, SIGTERM or ctrl+c keeps the
session as interrupted, with what was typed at the end, as the app does.
"""

from __future__ import annotations

import time
from contextlib import suppress
from typing import Callable, Mapping, TypeVar

from tui.domain import announce
from tui.domain.clock import Clock
from tui.domain.cues import Moment
from tui.domain.discomfort import CARRY_ON, LEAVE_OUT, SHORTEN
from tui.domain.engine import Event
from tui.domain.routines import Routine
from tui.domain.sessions import NOTE_MAX, SEVERE_PAIN, needs_safety_advice, parse_pain, safety_reason
from tui.domain.settings import Settings
from tui.domain.text import safe_text, text_problem
from tui.domain.warning_signs import (
    NONE_APPLIES,
    NOT_A_DIAGNOSIS,
    NOT_A_DIAGNOSIS_SHORT,
    PROBLEMS,
    SCREENED_TIERS,
    ScreeningAnswer,
    advice_for,
    tier,
)
from tui.plain.narration import NOTE, PAUSE, Line, LineGate, Narrator
from tui.plain.terminal import Leaving, PlainTerminal
from tui.storage.recorder import SessionRecorder
from tui.storage.store import Store

KEYS_LINE = ("Keys: space pause or go on, right or l skip, left or h back, + 10 seconds more, r one more rep, "
             "! something is wrong, escape or q stop, ? these keys.")
"""What the keys do, said at the start and on `?`."""
CHANGE_KEYS = {SHORTEN: "s", LEAVE_OUT: "o", CARRY_ON: "enter"}
"""The key of each choice offered after a high rating (`l` skips a hold here, so leaving out is `o`)."""
TEN_WAIT = 1.0
"""After a `1` at the rating question, how long a `0` may follow to make it 10."""
WAKE_LATE = 0.002
"""Wake this much after a line falls due, so the engine's clock has passed it."""

Answer = TypeVar("Answer")


class PlainSession:
    """One session of `routine` in plain mode on `terminal`."""

    def __init__(self, store: Store, clock: Clock, routine: Routine, settings: Settings,
                 terminal: PlainTerminal, sleep: Callable[[float], None] = time.sleep) -> None:
        self.store = store
        """Where the session is stored."""
        self.clock = clock
        """Where time comes from."""
        self.routine = routine
        """The routine to run."""
        self.settings = settings
        """The user's settings (bells, timings, whether to ask how a stretch felt)."""
        self.terminal = terminal
        """Keys in, lines out."""
        self.sleep = sleep
        """Waits for room under the line limit."""
        self.gate = LineGate()
        """No more than three lines a second."""
        self.recorder: SessionRecorder | None = None
        """The session, once begun."""
        self.narrator: Narrator | None = None
        """The session's lines, once begun."""
        self._keys: list[str] = []
        """Keys read but not yet taken (a burst read at once is taken one by one, questions included)."""
        self.typed: dict[str, object] = {}
        """What the open prompt at the end holds so far (`pain_after`, `note`): kept on a hang-up."""

    # -- the whole run -------------------------------------------------

    def run(self) -> int:
        """Run it all; the exit status (128 + the signal after a hang-up, SIGTERM or ctrl+c)."""
        with self.terminal:
            try:
                if not self.settings.safety_acknowledged and not self._first_steps():
                    return 0
                return self._session()
            except Leaving as leaving:
                if self.recorder is not None and self.recorder.ended is None:
                    with suppress(Exception):  # the holds are stored; leaving matters more now
                        self.recorder.interrupt(**self.typed)
                    self.terminal.write("\n")
                    self.terminal.write_line("Left: this session is kept as interrupted; the app offers to resume it.")
                return leaving.status
            except BaseException:
                if self.recorder is not None and self.recorder.ended is None:
                    with suppress(Exception):
                        self.recorder.interrupt(**self.typed)
                raise

    def _first_steps(self) -> bool:
        """The safety note and the warning-sign question, as the app asks them on first run; False to quit."""
        from tui.storage.library import safety_note

        for line in safety_note().splitlines():
            self._say(line)
        self._ask_key("Press enter to go on.", {"enter": True})
        self._say(f"Before you start: warning signs. Do you have any of these now? {NOT_A_DIAGNOSIS_SHORT}")
        for each in (tier(t) for t in SCREENED_TIERS):
            self._say(f"{each.title}: " + "; ".join(sign.text for sign in each.signs) + ".")
        answer = self._ask_key("e: an emergency sign, u: an urgent sign, n: none of these, q: quit.",
                               {"e": "emergency", "u": "urgent", "n": NONE_APPLIES, "q": None})
        if answer is None:
            return False
        with suppress(Exception):  # a record that cannot be saved does not stop the person
            self.store.screenings.add(ScreeningAnswer(at=self.clock.now(), answer=answer))
        if answer != NONE_APPLIES:
            self._say(tier(answer).advice)
            self._say(NOT_A_DIAGNOSIS)
            if not self._ask_key("g: go on to the session anyway, q: quit.", {"g": True, "q": False}):
                return False
        self.settings = self.store.settings.change(safety_acknowledged=True)
        return True

    def _session(self) -> int:
        recorder = self._begin()
        self._loop(recorder)
        return self._close(recorder)

    def _begin(self) -> SessionRecorder:
        routine = self.routine
        self._say(f"Plain mode: {routine.name}. {KEYS_LINE}")
        pain_before = self._ask_pain("before")
        if pain_before is not None and pain_before >= SEVERE_PAIN:
            self._safety_advice(safety_reason(pain_before, None))
        self.recorder = recorder = SessionRecorder.begin(
            self.store, self.clock, routine, self.settings.timings(), pain_before, rate_steps=self.settings.rate_stretches)
        self.narrator = Narrator(recorder.engine)
        return recorder

    def _loop(self, recorder: SessionRecorder) -> None:
        """The session's clock and keys, up to its end."""
        engine, narrator = recorder.engine, self.narrator
        assert narrator is not None
        self._events(recorder.start())
        while not engine.finished:
            if recorder.unrated is not None:
                self._ask_rating(recorder)
                continue
            now = self.clock.monotonic()
            wakes = [t for t in (narrator.next_due(now), self.gate.next_free(now)) if t is not None]
            timeout = max(0.0, min(wakes) - now + WAKE_LATE) if wakes else None
            if not self._keys:
                self._keys = self.terminal.keys(timeout)
            self._events(recorder.tick())
            self._offer(narrator.for_time(self.clock.monotonic()))
            while self._keys and not engine.finished and recorder.unrated is None:
                self._key(recorder, self._keys.pop(0))
            self._flush()
        self._keys = []  # keys meant for the holds are not answers to the questions at the end
        self._flush_all()

    def _close(self, recorder: SessionRecorder) -> int:
        """Pain after, a note, safety advice, then the journal."""
        pain_after = self._ask_pain("after")
        if pain_after is not None:
            recorder.answers["pain_after"] = pain_after  # kept should the link drop at the note
        note = self._ask_note(recorder.session.note)
        self.typed = {}
        session = recorder.finish(pain_after, note)
        if not recorder.saved:
            self._say(f"backrelief: {recorder.where_things_stand()}")
            recorder.interrupt()  # what the disk has is kept as an interrupted session
            return 1
        if needs_safety_advice(session.pain_before, session.pain_after):
            self._safety_advice(safety_reason(session.pain_before, session.pain_after))
        self._say(f"Saved: {session.routine_name}, {session.holds_done} of {session.holds_planned} holds, {session.status}.")
        return 0

    # -- keys during the session ---------------------------------------

    def _key(self, recorder: SessionRecorder, key: str) -> None:
        if key == "space":
            self._events(recorder.toggle_pause())
            if recorder.engine.paused:
                self._offer([Line("Paused. Space goes on.", slot=PAUSE)])
            elif not recorder.engine.finished:
                left = recorder.engine.snapshot(self.clock.monotonic()).seconds_left
                self._offer([Line(f"Going on: {announce.seconds_left(left).written}", slot=PAUSE)])
        elif key in ("right", "l"):
            self._events(recorder.skip())
        elif key in ("left", "h"):
            self._events(recorder.back())
        elif key == "+":
            self._events(recorder.add_time())
            self._offer([Line("+10 seconds", slot=NOTE)])
        elif key == "r":
            before = len(recorder.engine.plan)
            self._events(recorder.one_more_rep())
            if len(recorder.engine.plan) > before:
                self._offer([Line("One more rep added", slot=NOTE)])
        elif key in ("escape", "q"):
            self._ask_stop(recorder)
        elif key == "!":
            self._something_is_wrong(recorder)
        elif key == "?":
            self._say(KEYS_LINE)

    def _ask_stop(self, recorder: SessionRecorder) -> None:
        """Stop, once confirmed; the clock waits while the question is open."""
        paused_here = self._pause(recorder)
        stop = self._ask_key("Stop the session? The holds you have done are kept in your journal as a stopped "
                             "session. y: stop, n: keep going.", {"y": True, "n": False, "escape": False, "q": False})
        if stop:
            assert self.narrator is not None
            self.narrator.stopped = True
            self._events(recorder.stop())
        else:
            self._go_on(recorder, paused_here)

    def _something_is_wrong(self, recorder: SessionRecorder) -> None:
        """The `!` key: what happened, in one key; record it, stop, and say what to do."""
        paused_here = self._pause(recorder)
        choices = {str(number): problem.kind for number, problem in enumerate(PROBLEMS, 1)}
        offered = ", ".join(f"{number}: {problem.label}" for number, problem in enumerate(PROBLEMS, 1))
        kind = self._ask_key(f"Something is wrong? What happened: {offered}. Escape: nothing, go on.",
                             {**choices, "escape": None})
        if kind is None:
            self._go_on(recorder, paused_here)
            return
        note = self._ask_line("In a few words, what happened? (optional, enter to go on):", "", NOTE_MAX) \
            if kind == "other" else ""
        assert self.narrator is not None
        self.narrator.stopped = True
        events = recorder.report_problem(kind, note)
        self._advice(kind)
        self._events(events)

    def _advice(self, kind: str) -> None:
        """What to do: the warning signs that can come with this problem first, most serious first."""
        problem = advice_for(kind)
        for tier_id in dict.fromkeys(sign.tier for sign in problem.signs):
            signs = "; ".join(sign.text for sign in problem.signs if sign.tier == tier_id)
            advice = tier(tier_id).advice
            self._say(f"{tier(tier_id).title}: if you also have {signs}: {advice[:1].lower()}{advice[1:]}")
        self._say(f"Otherwise: {problem.advice}")
        self._say(NOT_A_DIAGNOSIS_SHORT)

    def _ask_rating(self, recorder: SessionRecorder) -> None:
        """How the step just done felt, 0-10 in one key (1 then 0 for 10); at 6 or more, offer to change it."""
        done = recorder.unrated
        assert done is not None
        self._keys = []  # keys meant for the hold that ended are not a rating
        self._flush_all()
        name = next(hold.exercise.name for hold in recorder.engine.plan if hold.step_index == done.step_index)
        rating = self._ask_rating_key(f"How did {name} feel? Discomfort 0-10, enter skips:")
        change = None if rating is None else recorder.rate_step(done.step_index, rating)
        if change is not None and not change.offered:
            self._say(change.next_time)
        elif change is not None:
            keys = ", ".join(f"{CHANGE_KEYS[choice]}: {words}" for choice, words in change.choices)
            choice = self._ask_key(f"{change.question} {change.why} {change.exercise_name} {change.comes_again} {keys}.",
                                   {key: choice for choice, key in CHANGE_KEYS.items()} | {"escape": CARRY_ON})
            if choice == SHORTEN:
                self._events(recorder.shorten_stretch(change.exercise))
            elif choice == LEAVE_OUT:
                self._events(recorder.leave_out_stretch(change.exercise))
            if change.done(choice):
                self._say(change.done(choice))
        self._events(recorder.carry_on())

    def _pause(self, recorder: SessionRecorder) -> bool:
        """Stop the clock while a question is open; whether this paused it (and so `_go_on` starts it again)."""
        if recorder.engine.paused or recorder.engine.finished:
            return False
        self._events(recorder.toggle_pause())
        return recorder.engine.paused

    def _go_on(self, recorder: SessionRecorder, paused_here: bool) -> None:
        if paused_here and recorder.engine.paused:
            self._events(recorder.toggle_pause())
        self._say("Going on.")

    # -- lines -----------------------------------------------------------

    def _events(self, events: list[Event]) -> None:
        assert self.narrator is not None
        self._offer(self.narrator.for_events(events))

    def _offer(self, lines: list[Line]) -> None:
        for line in lines:
            self.gate.offer(line)
        self._flush()

    def _flush(self) -> None:
        """Write the lines the limit lets out now."""
        for line in self.gate.take(self.clock.monotonic()):
            self._write(line)

    def _flush_all(self) -> None:
        """Write every waiting line, waiting for room as needed (before a question, so the order holds)."""
        while (free := self.gate.next_free(self.clock.monotonic())) is not None:
            self._wait_until(free)
            self._flush()

    def _write(self, line: Line) -> None:
        ring = self.settings.bell and line.moment is not None and (
            line.moment not in (Moment.LAST_SECONDS, Moment.HALFWAY) or line.moment in self.settings.optional_moments())
        self.terminal.write_line(line.text)
        if ring:
            assert line.moment is not None
            self.terminal.ring(self.settings.pattern(line.moment))

    def _say(self, text: str) -> None:
        """A line outside the session's own (advice, a question): after those waiting, within the limit."""
        self._flush_all()
        now = self.clock.monotonic()
        self._wait_until(self.gate.room_at(now))
        self.gate.count_sent(self.clock.monotonic())
        self.terminal.write_line(text)

    def _wait_until(self, when: float) -> None:
        delay = when - self.clock.monotonic()
        if delay > 0:
            self.sleep(delay + WAKE_LATE)
        self.terminal.check()

    # -- questions ----------------------------------------------------------

    def _ask_key(self, question: str, answers: Mapping[str, Answer]) -> Answer:
        """A question answered by one key of `answers`; other keys are passed over."""
        self._say(question)
        while True:
            key = self._next_key()
            if key is not None and key in answers:
                return answers[key]

    def _ask_rating_key(self, question: str) -> int | None:
        """A rating in one key, said back: a digit, 1 then 0 for 10; enter or escape skips."""
        self._say(question)
        while True:
            key = self._next_key()
            if key is None:
                continue
            if key in ("enter", "escape"):
                self.terminal.write_line("skipped")
                return None
            if key.isascii() and key.isdigit():
                rating = int(key)
                if key == "1" and self._next_key(TEN_WAIT) == "0":
                    rating = 10
                elif key == "1" and self._keys and self._keys[0] in ("enter",):
                    self._keys.pop(0)  # 1 and enter: one, said at once
                self.terminal.write_line(str(rating))
                return rating

    def _ask_pain(self, when: str) -> int | None:
        """A pain check-in as a line of text: enter (or escape) skips."""
        moment = "now, before you start" if when == "before" else "now, after the session"
        question = f"Pain check-in: how bad is your back pain {moment}? 0 = no pain, 10 = the worst you can imagine. Enter skips:"
        field = "pain_after" if when == "after" else None
        while True:
            text = self._ask_line(question, "", 3, field)
            try:
                return parse_pain(text)
            except ValueError as error:
                self._say(str(error).capitalize())

    def _ask_note(self, note: str) -> str:
        """The note for the journal as a line of text (enter on empty, or escape, skips)."""
        question = "A note for your journal: what helped, what hurt, anything to remember? (optional, enter to go on):"
        while True:
            text = self._ask_line(question, note, NOTE_MAX, "note").strip()
            problem = text_problem(text, multiline=True)
            if problem is None:
                return text
            self._say(f"The note {problem}; type it again without that.")

    def _ask_line(self, question: str, start: str, limit: int, field: str | None = None) -> str:
        """A line of text typed after `question`, echoed as typed; `field` names what a hang-up keeps of it."""
        self._say(question)
        text = start
        if text:
            self.terminal.write_line(text)  # what there is already, on its own line: enter keeps it
        self._keep_typed(field, text)
        while True:
            key = self._next_key()
            if key is None:
                continue
            if key == "enter":
                self.terminal.write("\n")
                return text
            if key == "escape":
                self.terminal.write("\n")
                return "" if field != "note" else start
            if key == "backspace":
                if text:
                    text = text[:-1]
                    self.terminal.write("\b \b")
            elif key == "space":
                key = " "
            if len(key) == 1 and key.isprintable() and len(text) < limit:
                text += key
                self.terminal.write(safe_text(key, multiline=False))
            self._keep_typed(field, text)

    def _next_key(self, timeout: float | None = None) -> str | None:
        """The next key pressed (None when `timeout` passes first)."""
        if not self._keys:
            self._keys = self.terminal.keys(timeout)
        return self._keys.pop(0) if self._keys else None

    def _keep_typed(self, field: str | None, text: str) -> None:
        if field == "note":
            self.typed = {"note": text.strip()}
        elif field == "pain_after":
            try:
                value = parse_pain(text)
            except ValueError:
                value = None
            self.typed = {} if value is None else {"pain_after": value}

    def _safety_advice(self, reason: str) -> None:
        from tui.storage.library import safety_note

        self._say(reason)
        for line in safety_note().splitlines():
            if line.strip():
                self._say(line)


def run_plain(store: Store, clock: Clock, routine: Routine, settings: Settings) -> int:
    """Run a session of `routine` in plain mode on this process's terminal; the exit status."""
    return PlainSession(store, clock, routine, settings, PlainTerminal()).run()
