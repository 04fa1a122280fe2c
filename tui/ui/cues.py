"""Cues at each moment of a session that reach a user over SSH: bell patterns, desktop notifications, speech.

The bell is one byte that every terminal, tmux and SSH link passes on; each
kind of moment rings its own pattern of bells (see `tui.domain.cues`). The
first ring goes out at once; the rest are scheduled on the event loop, never
slept for, so the countdown is not held up, and a new cue cancels what is left
of the pattern before it. OSC 9 (iTerm2, Windows Terminal, kitty, ...) and
OSC 777 (VTE, Konsole, rxvt) ask the local terminal for a desktop
notification; inside tmux they must be wrapped in a DCS passthrough (tmux
needs `allow-passthrough on`). Speech, when on, is said by a program on this
computer (`tui.ui.speech`).
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from typing import Callable, Mapping, Protocol

from tui.domain.announce import Announcement
from tui.domain.cues import DEFAULT_PATTERNS, BellPattern, Moment
from tui.domain.settings import Settings
from tui.ui.speech import Speaker, SpeechChoice, choose

BEL = "\a"
"""The terminal bell."""

OPTIONAL_MOMENTS = frozenset({Moment.LAST_SECONDS, Moment.HALFWAY})
"""Moments that get a cue only when the user turns them on."""


class Scheduled(Protocol):
    """A call planned for later that can be called off."""

    def cancel(self) -> None:
        """Call it off."""


Later = Callable[[float, Callable[[], None]], Scheduled]
"""Plans a call `delay` seconds from now (the event loop's `call_later`, or a test's own)."""


def loop_later(delay: float, callback: Callable[[], None]) -> Scheduled:
    """Plan `callback` on the running event loop."""
    return asyncio.get_running_loop().call_later(delay, callback)


def _clean(text: str) -> str:
    """Text safe inside an OSC string: no control characters, no ';' for OSC 777's fields."""
    return "".join(ch for ch in text if ch.isprintable()).replace(";", ",")[:120]


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
    later: Later = loop_later
    """Plans the later rings of a pattern."""
    choose_speech: Callable[[str], SpeechChoice] = choose
    """Finds the speech command for the user's setting (tests give a fake program)."""
    in_tmux: bool = field(default_factory=lambda: bool(os.environ.get("TMUX")))
    """Wrap notifications for tmux."""
    _pending: list[Scheduled] = field(default_factory=list)
    """The rings of the last pattern still to come."""

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
        self.cancel()
        text = BEL if self.bell else ""
        if self.notifications:
            text += notification_sequence(announcement.title, announcement.body, self.in_tmux)
        if text:
            self.write(text)
        if self.bell:
            self._plan_rings(self.patterns[moment])
        if self.speaker is not None:
            self.speaker.say(announcement.spoken)

    def ring(self, pattern: BellPattern) -> None:
        """Ring a pattern on its own (the settings screen lets the user hear one)."""
        self.cancel()
        self.write(BEL)
        self._plan_rings(pattern)

    def _plan_rings(self, pattern: BellPattern) -> None:
        # Every ring is planned from now, not from the ring before, so lateness never adds up.
        for offset in pattern.offsets()[1:]:
            self._pending.append(self.later(offset, self._ring_once))

    def _ring_once(self) -> None:
        self.write(BEL)

    def cancel(self) -> None:
        """Call off the rings still to come of the last pattern."""
        pending, self._pending = self._pending, []
        for scheduled in pending:
            scheduled.cancel()

    def close(self) -> None:
        """Stop everything under way: rings to come and speech (the app is quitting)."""
        self.cancel()
        if self.speaker is not None:
            self.speaker.close()
