"""Read the cues out of what a command wrote to its terminal: each bare bell and each notification, with its arrival time.

A cue is a bell (BEL, byte 7) and, with notifications on, an OSC 9 string
(`ESC ] 9 ; TITLE: BODY ESC \\`) written with its first ring; the later rings
of its pattern are bare bells. A BEL can also end an OSC string (a window
title), so OSC and DCS strings are taken out before bells are counted. A
sequence may be split across two reads: the chunks are joined first, and each
byte keeps the time its chunk arrived.

`cues_heard` groups the bells by the notification before them, which names the
moment; the test and the benchmark then compare them with what was planned.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_STRINGS = re.compile(rb"\x1b\](?P<osc>.*?)(?:\x07|\x1b\\)|\x1bP.*?\x1b\\", re.S)
"""OSC strings (ended by BEL or ESC \\) and DCS strings (ended by ESC \\)."""


@dataclass
class HeardCue:
    """One cue found in the output: its notification, and the arrival time of each of its bells."""

    title: str
    """The notification's title (`Hold 1 of 5`), or '' for bells before any notification."""
    body: str
    """The notification's body."""
    at: float
    """When the notification arrived (monotonic)."""
    rings: list[float] = field(default_factory=list)
    """When each bell of its pattern arrived (monotonic)."""

    def gaps(self) -> list[float]:
        """Seconds between one ring and the next."""
        return [later - earlier for earlier, later in zip(self.rings, self.rings[1:])]


def bells_and_notifications(chunks: list[tuple[float, bytes]]) -> list[tuple[float, str, str]]:
    """Every bare bell (`("bell", "", t)`) and OSC 9 notification (`("osc9", text, t)`) in order, as (time, kind, text)."""
    data = b"".join(chunk for _, chunk in chunks)
    starts, offset = [], 0
    for _, chunk in chunks:
        starts.append(offset)
        offset += len(chunk)
    times = [at for at, _ in chunks]

    def time_of(index: int) -> float:
        return times[bisect.bisect_right(starts, index) - 1]

    found: list[tuple[float, str, str]] = []
    position = 0
    for match in _STRINGS.finditer(data):
        found += [(time_of(position + i), "bell", "") for i, byte in enumerate(data[position:match.start()]) if byte == 7]
        osc = match.group("osc")
        if osc is not None and osc.startswith(b"9;"):
            found.append((time_of(match.start()), "osc9", osc[2:].decode("utf-8", "replace")))
        position = match.end()
    found += [(time_of(position + i), "bell", "") for i, byte in enumerate(data[position:]) if byte == 7]
    return found


def cues_heard(chunks: list[tuple[float, bytes]]) -> list[HeardCue]:
    """The cues in the output, each with the bells that came after its notification and before the next one."""
    cues: list[HeardCue] = []
    for at, kind, text in bells_and_notifications(chunks):
        if kind == "osc9":
            title, _, body = text.partition(": ")
            cues.append(HeardCue(title, body, at))
        else:
            if not cues:
                cues.append(HeardCue("", "", at))
            cues[-1].rings.append(at)
    return cues
