"""Cues at each moment of a session that reach a user over SSH: bell patterns, desktop notifications, speech.

The bell is one byte that every terminal, tmux and SSH link passes on; each
kind of moment rings its own pattern of bells (see `tui.domain.cues`). The
first ring goes out at once; the rest are planned on a small scheduler thread
of their own (`Ringer`), so the countdown is never held up by them, and they
keep their spacing while the event loop is busy (opening the pain check-in as
the session ends, say). A new cue calls off what is left of the pattern
before it. OSC 9 (iTerm2, Windows Terminal, kitty, ...) and
OSC 777 (VTE, Konsole, rxvt) ask the local terminal for a desktop
notification; inside tmux they must be wrapped in a DCS passthrough (tmux
needs `allow-passthrough on`). Speech, when on, is said by a program on this
computer (`tui.ui.speech`).
"""

from __future__ import annotations

import heapq
import itertools
import os
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Mapping, Protocol

from tui.domain.cues import DEFAULT_PATTERNS, BellPattern, Moment
from tui.domain.settings import Settings
from tui.ui.speech import Speaker, SpeechChoice, choose

from tui.domain.text import safe_text

if TYPE_CHECKING:
    from tui.domain.announce import Announcement

BEL = "\a"
"""The terminal bell."""

OPTIONAL_MOMENTS = frozenset({Moment.LAST_SECONDS, Moment.HALFWAY})
"""Moments that get a cue only when the user turns them on."""


class Scheduled(Protocol):
    """A call planned for later that can be called off."""

    def cancel(self) -> None:
        """Call it off."""


Later = Callable[[float, Callable[[], None]], Scheduled]
"""Plans a call `delay` seconds from now (a `Ringer`, or a test's own)."""


class _Planned:
    """One call planned by a `Ringer`."""

    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback
        """What to call."""
        self.cancelled = False
        """Called off."""

    def cancel(self) -> None:
        self.cancelled = True


class Ringer:
    """A small scheduler on a thread of its own: runs each planned call at its time.

    Its calls only write a byte to the terminal (the driver queues writes from any
    thread), so they need nothing from the event loop, and a loop busy drawing a
    new screen does not make them late. The thread starts with the first call
    planned and sleeps while nothing is.
    """

    def __init__(self) -> None:
        self._planned: list[tuple[float, int, _Planned]] = []
        """(due, order, call), earliest first."""
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False

    def __call__(self, delay: float, callback: Callable[[], None]) -> Scheduled:
        planned = _Planned(callback)
        with self._wake:
            if self._closed:
                planned.cancelled = True
                return planned
            heapq.heappush(self._planned, (time.monotonic() + delay, next(self._order), planned))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="bell-ringer", daemon=True)
                self._thread.start()
            self._wake.notify()
        return planned

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._closed and (not self._planned or self._planned[0][0] > time.monotonic()):
                    self._wake.wait(self._planned[0][0] - time.monotonic() if self._planned else None)
                if self._closed:
                    return
                _, _, planned = heapq.heappop(self._planned)
            if not planned.cancelled:
                try:
                    planned.callback()
                except Exception:  # noqa: BLE001 - a ring as the terminal closes is lost, and that is all
                    pass

    def close(self) -> None:
        """Call off everything planned and end the thread."""
        with self._wake:
            self._closed = True
            self._planned.clear()
            self._wake.notify()


def _clean(text: str) -> str:
    """Text safe inside an OSC string: no control characters (see `safe_text`), no ';' for OSC 777's fields."""
    return safe_text(text, multiline=False).replace(";", ",")[:120]


def notification_sequence(title: str, body: str, in_tmux: bool) -> str:
    """The OSC 9 and OSC 777 sequences for one notification, wrapped for tmux when needed."""
    title, body = _clean(title), _clean(body)
    sequences = [f"\x1b]9;{title}: {body}\x1b\\", f"\x1b]777;notify;{title};{body}\x1b\\"]
    if in_tmux:
        # tmux passes a DCS "tmux;" string through once every ESC inside is doubled.
        sequences = ["\x1bPtmux;" + s.replace("\x1b", "\x1b\x1b") + "\x1b\\" for s in sequences]
    return "".join(sequences)


@dataclass
class Cues:
    """Sends the cue of each moment: its bell pattern, a notification, its words spoken."""

    write: Callable[[str], None]
    """Writes raw text to the terminal (the app's driver)."""
    bell: bool = True
    """Ring the bells."""
    notifications: bool = False
    """Send OSC 9 / OSC 777 notifications."""
    patterns: Mapping[Moment, BellPattern] = field(default_factory=lambda: dict(DEFAULT_PATTERNS))
    """The bell pattern of each moment."""
    optional: frozenset[Moment] = frozenset()
    """The optional moments (last seconds, halfway) the user turned on."""
    speaker: Speaker | None = None
    """Says each cue; None while speech is off (or no program was found)."""
    later: Later = field(default_factory=Ringer)
    """Plans the later rings of a pattern."""
    choose_speech: Callable[[str], SpeechChoice] = choose
    """Finds the speech command for the user's setting (tests give a fake program)."""
    in_tmux: bool = field(default_factory=lambda: bool(os.environ.get("TMUX")))
    """Wrap notifications for tmux."""
    _pending: list[Scheduled] = field(default_factory=list)
    """The next ring of the last pattern, while one is still to come."""
    _pattern_number: int = 0
    """Counts the patterns begun: a ring of an older one, already on its way, then knows to stay silent."""
    _lock: threading.RLock = field(default_factory=threading.RLock)
    """Taken by a new cue and by each later ring (they run on the ringer's thread)."""

    def configure(self, settings: Settings) -> None:
        """Take the cue settings into effect at once: bells, patterns, notifications, optional moments, speech."""
        self.bell = settings.bell
        self.notifications = settings.notifications
        self.patterns = {moment: settings.pattern(moment) for moment in Moment}
        self.optional = settings.optional_moments()
        command = self.choose_speech(settings.speech_command).command if settings.speech else None
        if self.speaker is not None and self.speaker.command != command:
            self.speaker.stop()
            self.speaker = None
        if command is not None and self.speaker is None:
            self.speaker = Speaker(command)

    def wants(self, moment: Moment) -> bool:
        """Whether this moment gets a cue at all (the optional ones only when turned on)."""
        return moment not in OPTIONAL_MOMENTS or moment in self.optional

    def cue(self, announcement: Announcement) -> None:
        """Signal a moment: the first ring at once, the rest of its pattern planned, then its words spoken."""
        moment = announcement.moment
        if moment is None or not self.wants(moment):
            return
        # One write: the notification names the moment, its first ring follows in the same instant.
        text = notification_sequence(announcement.title, announcement.body, self.in_tmux) if self.notifications else ""
        if self.bell:
            text += BEL
        with self._lock:
            self.cancel()
            if text:
                self.write(text)
            if self.bell:
                self._plan_rings(self.patterns[moment], self._pattern_number)
        if self.speaker is not None:
            self.speaker.say(announcement.spoken)

    def ring(self, pattern: BellPattern) -> None:
        """Ring a pattern on its own (the settings screen lets the user hear one)."""
        with self._lock:
            self.cancel()
            self.write(BEL)
            self._plan_rings(pattern, self._pattern_number)

    def _plan_rings(self, pattern: BellPattern, number: int, left: int | None = None) -> None:
        """Plan the next ring of pattern `number` one spacing from now; `left` counts the rings still to come."""
        left = pattern.rings - 1 if left is None else left
        if left > 0:
            # Each ring is planned from the one before, not from the first: a ring made late by a
            # busy machine then never comes closer than the spacing to the next, and two bells
            # that close would sound as one in some terminals.
            self._pending = [self.later(pattern.spacing_ms / 1000, lambda: self._ring_next(pattern, number, left))]

    def _ring_next(self, pattern: BellPattern, number: int, left: int) -> None:
        with self._lock:
            if number != self._pattern_number:
                return  # a newer cue came while this ring was on its way
            self.write(BEL)
            self._plan_rings(pattern, number, left - 1)

    def cancel(self) -> None:
        """Call off the rings still to come of the last pattern."""
        with self._lock:
            self._pattern_number += 1
            pending, self._pending = self._pending, []
        for scheduled in pending:
            scheduled.cancel()

    def close(self) -> None:
        """Stop everything under way: rings to come and speech (the app is quitting)."""
        self.cancel()
        close_later = getattr(self.later, "close", None)
        if close_later is not None:
            close_later()
        if self.speaker is not None:
            self.speaker.close()
