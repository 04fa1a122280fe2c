"""Which moments of a session get a cue, the bell pattern that tells each apart, and when the in-hold ones fall.

A person lying on the floor with their eyes closed follows the session by ear,
so every kind of moment rings its own pattern: a number of bells with a set
spacing. The spacing has a floor because some terminals merge bells that come
closer than about 150-200 ms into one.

Two moments fall inside a hold rather than at a phase change: the last three
seconds (in holds long enough that the count never comes before halfway) and
halfway through a long hold. `in_hold_moments` says where they fall, counted in
seconds left of the hold, so the screen can wake for them from the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, Mapping

from tui.domain.plan import Phase
from tui.domain.problems import Problem


class Moment(str, Enum):
    """A kind of moment that gets a cue."""

    GET_READY = "get-ready"
    """Get into position for a new exercise."""
    HOLD = "hold"
    """A hold starts."""
    SWITCH = "switch"
    """Change to the other side."""
    REST = "rest"
    """A rest between reps starts."""
    LAST_SECONDS = "last-seconds"
    """The last three seconds of a hold (optional)."""
    HALFWAY = "halfway"
    """Halfway through a long hold (optional)."""
    DONE = "done"
    """The session is over."""


PHASE_MOMENTS = {
    Phase.GET_READY: Moment.GET_READY,
    Phase.HOLD: Moment.HOLD,
    Phase.SWITCH: Moment.SWITCH,
    Phase.REST: Moment.REST,
    Phase.DONE: Moment.DONE,
}
"""The moment each phase starts with."""

MOMENT_NAMES = {
    Moment.GET_READY: "Get ready",
    Moment.HOLD: "Hold starts",
    Moment.SWITCH: "Switch sides",
    Moment.REST: "Rest starts",
    Moment.LAST_SECONDS: "Last 3 seconds",
    Moment.HALFWAY: "Halfway",
    Moment.DONE: "Session done",
}
"""Each moment as settings and help name it."""

LAST_SECONDS = 3
"""The count at the end of a hold: "three, two, one"."""
LAST_SECONDS_MIN_HOLD = 6
"""Holds shorter than this get no count: it would start before halfway, over the hold's own cue."""
LONG_HOLD_SECONDS = 20
"""A hold of at least this many seconds is long: it gets the halfway cue."""

RINGS_LIMITS = (1, 5)
"""Rings a pattern may have: more than five cannot be counted by ear."""
SPACING_LIMITS = (200, 2000)
"""Milliseconds between rings: closer than 200 ms some terminals ring once; over two seconds it is no longer one cue."""


@dataclass(frozen=True)
class BellPattern:
    """A number of bells rung with a set spacing."""

    rings: int
    """How many bells, 1-5."""
    spacing_ms: int
    """Milliseconds from one ring to the next, 200-2000 (unused with one ring)."""

    def offsets(self) -> list[float]:
        """Seconds after the cue at which each ring sounds: `[0.0, 0.25]` for two rings 250 ms apart."""
        return [index * self.spacing_ms / 1000 for index in range(self.rings)]

    def describe(self) -> str:
        """`1 ring`, `3 rings, 250 ms apart`."""
        if self.rings == 1:
            return "1 ring"
        return f"{self.rings} rings, {self.spacing_ms} ms apart"

    def text(self) -> str:
        """The form the settings field shows and `parse_pattern` reads: `1`, `3 x 250`."""
        return str(self.rings) if self.rings == 1 else f"{self.rings} x {self.spacing_ms}"

    def problems(self, field_name: str) -> list[Problem]:
        """What is wrong with this pattern, if anything."""
        for value, (low, high), what in ((self.rings, RINGS_LIMITS, "rings"), (self.spacing_ms, SPACING_LIMITS, "ms apart")):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                return [Problem(field_name, f"must be {RINGS_LIMITS[0]}-{RINGS_LIMITS[1]} rings, "
                                            f"{SPACING_LIMITS[0]}-{SPACING_LIMITS[1]} ms apart ({what}: {value!r} is not allowed)")]
        return []

    def to_dict(self) -> dict[str, int]:
        """The stored form."""
        return {"rings": self.rings, "spacing_ms": self.spacing_ms}

    @classmethod
    def from_stored(cls, value: Any) -> Any:
        """A pattern from its stored form (a dict); anything else comes back as it is, for `check` to name."""
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping) and set(value) == {"rings", "spacing_ms"}:
            return cls(value["rings"], value["spacing_ms"])
        return value


DEFAULT_PATTERNS = {
    Moment.GET_READY: BellPattern(1, 250),
    Moment.HOLD: BellPattern(2, 250),
    Moment.SWITCH: BellPattern(3, 250),
    Moment.REST: BellPattern(2, 700),
    Moment.LAST_SECONDS: BellPattern(3, 1000),
    Moment.HALFWAY: BellPattern(4, 700),
    Moment.DONE: BellPattern(5, 250),
}
"""The patterns a new user hears, told apart by count and pace: one ring to get ready, a quick pair to
hold, a quick three to switch, a slow pair to rest, one ring a second for 3-2-1, a slow four at halfway,
a quick five at the end."""

_PATTERN_TEXT = re.compile(r"^\s*(\d{1,5})\s*(?:[x×*]\s*(\d{1,6})\s*(?:ms)?)?\s*$", re.IGNORECASE)


def parse_pattern(text: str, keep_spacing: int = 250) -> BellPattern:
    """A pattern typed as `RINGS` or `RINGS x MS` (`3 x 250`, `3x250ms`); ValueError says what is wrong.

    One ring needs no spacing: `keep_spacing` is kept for it, so a later change to more rings has one.
    """
    match = _PATTERN_TEXT.match(text)
    if match is None:
        raise ValueError(f"Type rings x milliseconds, like 3 x 250 (or 1 for one ring), not {text.strip()!r}.")
    rings = int(match.group(1))
    if not match.group(2) and rings > 1 and rings <= RINGS_LIMITS[1]:
        raise ValueError(f"Say how far apart the {rings} rings are, like {rings} x 250.")
    spacing = int(match.group(2)) if match.group(2) else keep_spacing
    pattern = BellPattern(rings, spacing)
    problems = pattern.problems("pattern")
    if problems:
        raise ValueError(f"Use {RINGS_LIMITS[0]}-{RINGS_LIMITS[1]} rings, {SPACING_LIMITS[0]}-{SPACING_LIMITS[1]} ms apart, "
                         f"not {' '.join(text.split())}.")
    return pattern


def in_hold_moments(hold_seconds: float, last_seconds: bool, halfway: bool) -> list[tuple[float, Moment]]:
    """The optional moments inside a hold of `hold_seconds`, as (seconds left when it falls, moment), latest last.

    The count comes at 3 s left in holds of at least `LAST_SECONDS_MIN_HOLD`; halfway in holds of at
    least `LONG_HOLD_SECONDS`, at half the hold's length (12.5 s left of a 25 s hold: not on a whole second).
    """
    moments: list[tuple[float, Moment]] = []
    if halfway and hold_seconds >= LONG_HOLD_SECONDS:
        moments.append((hold_seconds / 2, Moment.HALFWAY))
    if last_seconds and hold_seconds >= LAST_SECONDS_MIN_HOLD:
        moments.append((float(LAST_SECONDS), Moment.LAST_SECONDS))
    return sorted(moments, key=lambda item: -item[0])
