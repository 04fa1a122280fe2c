"""The user's settings: a typed object, one docstring per field."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

from tui.domain.cues import DEFAULT_PATTERNS, BellPattern, Moment
from tui.domain.exercises import REST_LIMITS, check_whole
from tui.domain.plan import Timings
from tui.domain.problems import Problem, ValidationError
from tui.domain.speech import check_command

COUNTDOWN_FONTS = ("future", "big", "standard", "small", "digits")
"""Countdown fonts whose digits read well; `digits` means plain text digits.

`future` (three rows of heavy segments) is the default: it reads at a glance and
costs the fewest bytes a second over SSH; `big` is twice as tall.
"""
GET_READY_LIMITS = (0, 30)
"""Get-ready seconds allowed."""
SWITCH_LIMITS = (0, 30)
"""Switch-sides seconds allowed."""


def pattern_field(moment: Moment) -> str:
    """The setting that holds a moment's bell pattern: `bell_get_ready`, `bell_last_seconds`."""
    return "bell_" + moment.value.replace("-", "_")


PATTERN_FIELDS = {pattern_field(moment): moment for moment in Moment}
"""Each bell-pattern setting and the moment it rings for."""


@dataclass(frozen=True)
class Settings:
    """Everything the user can change in the settings screen."""

    get_ready_seconds: int = 5
    """Seconds to get into position before a new exercise."""
    switch_seconds: int = 5
    """Seconds to change sides between left and right."""
    default_rest_seconds: int = 10
    """Rest between reps that a new step in the builder starts with."""
    bell: bool = True
    """Ring the terminal bell at each phase change."""
    notifications: bool = False
    """Also send a desktop notification (OSC 9 and OSC 777) at each phase change."""
    last_seconds_cue: bool = False
    """Count the last three seconds of each hold of 6 s or more ("three, two, one")."""
    halfway_cue: bool = False
    """Cue halfway through each hold of 20 s or more."""
    bell_get_ready: BellPattern = DEFAULT_PATTERNS[Moment.GET_READY]
    """The bells before a new exercise."""
    bell_hold: BellPattern = DEFAULT_PATTERNS[Moment.HOLD]
    """The bells as a hold starts."""
    bell_switch: BellPattern = DEFAULT_PATTERNS[Moment.SWITCH]
    """The bells to change sides."""
    bell_rest: BellPattern = DEFAULT_PATTERNS[Moment.REST]
    """The bells as a rest starts."""
    bell_last_seconds: BellPattern = DEFAULT_PATTERNS[Moment.LAST_SECONDS]
    """The bells of the last three seconds (one a second by default: 3, 2, 1)."""
    bell_halfway: BellPattern = DEFAULT_PATTERNS[Moment.HALFWAY]
    """The bells halfway through a long hold."""
    bell_done: BellPattern = DEFAULT_PATTERNS[Moment.DONE]
    """The bells at the end of the session."""
    speech: bool = False
    """Speak each cue with a speech program on this computer."""
    speech_command: str = ""
    """The speech program and its options as a command line (the words are added as one more argument,
    or replace a `{text}` argument); empty: the first of espeak-ng, espeak, say, spd-say found."""
    countdown_font: str = "future"
    """The pyfiglet font of the big countdown."""
    theme: str = "textual-dark"
    """The Textual theme."""
    reduced_motion: bool = False
    """Keep the screen still: no animations."""
    safety_acknowledged: bool = False
    """The user has read the safety note shown on first run and answered the warning-sign question."""
    advice_dismissed_at: str = ""
    """When the menu's advice to see a clinician was last dismissed (ISO 8601 with offset), or ''."""

    @property
    def advice_dismissed(self) -> datetime | None:
        """`advice_dismissed_at` as a time, or None."""
        return datetime.fromisoformat(self.advice_dismissed_at) if self.advice_dismissed_at else None

    def pattern(self, moment: Moment) -> BellPattern:
        """The bell pattern of a moment."""
        return getattr(self, pattern_field(moment))

    def optional_moments(self) -> frozenset[Moment]:
        """The in-hold moments the user turned on."""
        wanted = {Moment.LAST_SECONDS: self.last_seconds_cue, Moment.HALFWAY: self.halfway_cue}
        return frozenset(moment for moment, on in wanted.items() if on)

    def timings(self) -> Timings:
        """The phase lengths the session engine needs."""
        return Timings(get_ready_seconds=self.get_ready_seconds, switch_seconds=self.switch_seconds)

    def to_dict(self) -> dict[str, Any]:
        """The stored form (a pattern is a dict of `rings` and `spacing_ms`)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Settings":
        """Settings from their stored form; unknown keys are dropped, bad values raise ValidationError."""
        known = {f.name for f in fields(cls)}
        values = {k: BellPattern.from_stored(v) if k in PATTERN_FIELDS else v for k, v in data.items() if k in known}
        settings = replace(cls(), **values)
        settings.check()
        return settings

    def check(self) -> None:
        """Raise ValidationError naming the first bad field."""
        problems: list[Problem] = []
        problems += check_whole(self.get_ready_seconds, "get_ready_seconds", GET_READY_LIMITS, "seconds")
        problems += check_whole(self.switch_seconds, "switch_seconds", SWITCH_LIMITS, "seconds")
        problems += check_whole(self.default_rest_seconds, "default_rest_seconds", REST_LIMITS, "seconds")
        for name in ("bell", "notifications", "last_seconds_cue", "halfway_cue", "speech", "reduced_motion",
                     "safety_acknowledged"):
            if not isinstance(getattr(self, name), bool):
                problems.append(Problem(name, "must be true or false"))
        for name in PATTERN_FIELDS:
            pattern = getattr(self, name)
            if isinstance(pattern, BellPattern):
                problems += pattern.problems(name)
            else:
                problems.append(Problem(name, "must be a number of rings and a spacing in ms"))
        problems += check_command(self.speech_command, "speech_command")
        if self.countdown_font not in COUNTDOWN_FONTS:
            problems.append(Problem("countdown_font", f"must be one of {', '.join(COUNTDOWN_FONTS)}"))
        if not isinstance(self.theme, str) or not self.theme:
            problems.append(Problem("theme", "must be a theme name"))
        if not _is_time_or_empty(self.advice_dismissed_at):
            problems.append(Problem("advice_dismissed_at", "must be a date and time with its UTC offset, or empty"))
        if problems:
            raise ValidationError(problems)


def _is_time_or_empty(value: object) -> bool:
    """Whether `value` is '' or an ISO 8601 time with its UTC offset."""
    if value == "":
        return True
    try:
        return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False
