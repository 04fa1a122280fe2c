"""Cues at each phase change that reach a user over SSH: the bell, and desktop notifications.

The bell is one byte that every terminal and SSH link passes on. OSC 9 (iTerm2,
Windows Terminal, kitty, ...) and OSC 777 (VTE, Konsole, rxvt) ask the local
terminal for a desktop notification; inside tmux they must be wrapped in a DCS
passthrough (tmux needs `allow-passthrough on`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable

from tui.domain.text import safe_text

BEL = "\a"
"""The terminal bell."""


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
    """Sends the cue of a phase change to the terminal."""

    write: Callable[[str], None]
    """Writes raw text to the terminal (the app's driver)."""
    bell: bool = True
    """Ring the bell."""
    notifications: bool = False
    """Send OSC 9 / OSC 777 notifications."""
    in_tmux: bool = field(default_factory=lambda: bool(os.environ.get("TMUX")))
    """Wrap notifications for tmux."""

    def cue(self, title: str, body: str) -> None:
        """Signal a phase change."""
        text = ""
        if self.bell:
            text += BEL
        if self.notifications:
            text += notification_sequence(title, body, self.in_tmux)
        if text:
            self.write(text)
