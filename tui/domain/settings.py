"""The user's settings: a typed object, one docstring per field."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

from tui.domain.exercises import REST_LIMITS, check_whole
from tui.domain.plan import Timings
from tui.domain.problems import Problem, ValidationError

COUNTDOWN_FONTS = ("future", "big", "standard", "small", "digits")
"""Countdown fonts whose digits read well; `digits` means plain text digits.

`future` (three rows of heavy segments) is the default: it reads at a glance and
costs the fewest bytes a second over SSH; `big` is twice as tall.
"""
GET_READY_LIMITS = (0, 30)
"""Get-ready seconds allowed."""
SWITCH_LIMITS = (0, 30)
"""Switch-sides seconds allowed."""


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

    def timings(self) -> Timings:
        """The phase lengths the session engine needs."""
        return Timings(get_ready_seconds=self.get_ready_seconds, switch_seconds=self.switch_seconds)

    def to_dict(self) -> dict[str, Any]:
        """The stored form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Settings":
        """Settings from their stored form; unknown keys are dropped, bad values raise ValidationError."""
        known = {f.name for f in fields(cls)}
        settings = replace(cls(), **{k: v for k, v in data.items() if k in known})
        settings.check()
        return settings

    def check(self) -> None:
        """Raise ValidationError naming the first bad field."""
        problems: list[Problem] = []
        problems += check_whole(self.get_ready_seconds, "get_ready_seconds", GET_READY_LIMITS, "seconds")
        problems += check_whole(self.switch_seconds, "switch_seconds", SWITCH_LIMITS, "seconds")
        problems += check_whole(self.default_rest_seconds, "default_rest_seconds", REST_LIMITS, "seconds")
        for name in ("bell", "notifications", "reduced_motion", "safety_acknowledged"):
            if not isinstance(getattr(self, name), bool):
                problems.append(Problem(name, "must be true or false"))
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
