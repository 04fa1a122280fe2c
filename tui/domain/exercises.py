"""Exercises: the stretches a routine is made of."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from tui.domain.figures import check_figure
from tui.domain.problems import Problem, ValidationError
from tui.domain.text import text_problem
from tui.domain.whole_numbers import not_whole, out_of_range

SIDES = ("none", "both", "left", "right")
"""How a step treats sides: `both` holds the left and the right side (in the step's `order`)."""
ORDERS = ("alternate", "one-side-first")
"""How a step with both sides orders them: `alternate` (left, right, left, right) or
`one-side-first` (every rep on the left, then every rep on the right)."""

HOLD_LIMITS = (1, 600)
"""Hold seconds allowed anywhere (PRODUCT.md)."""
REST_LIMITS = (0, 600)
"""Rest seconds allowed anywhere."""
REPS_LIMITS = (1, 50)
"""Repetitions allowed anywhere."""
NAME_LIMITS = (1, 60)
"""Length of a routine or exercise name."""
INSTRUCTIONS_MAX = 2000
"""Longest instructions text an exercise may carry."""
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
"""What an id looks like: lower-case letters, digits and dashes."""


@dataclass(frozen=True)
class Exercise:
    """A stretch: what to do, and the hold and reps a clinician would recommend."""

    id: str
    """Stable id (`pelvic-tilt`), used by routine steps."""
    name: str
    """Name shown to the user."""
    instructions: str
    """What to do, in plain words."""
    hold_range: tuple[int, int] = (10, 30)
    """Recommended hold seconds (low, high)."""
    reps_range: tuple[int, int | None] = (1, None)
    """Recommended repetitions (low, high); high None means 'as needed'."""
    default_hold: int = 20
    """Hold seconds a new step starts with."""
    default_reps: int = 1
    """Repetitions a new step starts with."""
    default_rest: int = 5
    """Rest seconds between reps a new step starts with."""
    default_sides: str = "none"
    """Sides a new step starts with."""
    figure: tuple[str, ...] = ()
    """A drawing of the pose (lines), drawn for the left side; empty when there is none."""
    builtin: bool = field(default=False, compare=False)
    """Shipped with the app (read-only) rather than made by the user."""

    def hold_advice(self, seconds: int) -> str | None:
        """A warning when `seconds` is outside the recommended hold, else None."""
        low, high = self.hold_range
        if seconds < low or seconds > high:
            span = f"{low} s" if low == high else f"{low}-{high} s"
            return f"outside the recommended hold for {self.name} ({span})"
        return None

    def reps_advice(self, reps: int) -> str | None:
        """A warning when `reps` is outside the recommended range, else None."""
        low, high = self.reps_range
        if reps < low or (high is not None and reps > high):
            if high is None:
                span = f"{low} or more"
            elif low == high:
                span = str(low)
            else:
                span = f"{low}-{high}"
            return f"outside the recommended reps for {self.name} ({span})"
        return None


def printable_problem(text: str) -> str | None:
    """Why `text` is not printable, or None when it is."""
    for char in text:
        category = unicodedata.category(char)
        # Unassigned code points (Cn) are allowed: emoji newer than this Python's Unicode tables are Cn here.
        noncharacter = 0xFDD0 <= ord(char) <= 0xFDEF or (ord(char) & 0xFFFE) == 0xFFFE
        if category in ("Cc", "Cs", "Co", "Zl", "Zp") or noncharacter:
            return f"contains a control or unprintable character (U+{ord(char):04X})"
    return None


def check_name(value: Any, field_name: str = "name", stored: bool = False) -> list[Problem]:
    """Problems with a routine or exercise name.

    A name refuses control, bidi and invisible characters (see `tui.domain.text`).
    `stored` checks a name already in the data dir by the rules it was stored
    under, so nothing stored before a rule was added becomes unreadable; it is
    shown through the same boundary as any other text.
    """
    if not isinstance(value, str):
        return [Problem(field_name, f"must be text, not {type_name(value)}")]
    stripped = value.strip()
    if not stripped:
        return [Problem(field_name, "must not be empty")]
    low, high = NAME_LIMITS
    if len(stripped) > high:
        return [Problem(field_name, f"is {len(stripped)} characters long; at most {high} are allowed")]
    reason = (None if stored else text_problem(stripped)) or printable_problem(stripped)
    return [Problem(field_name, reason)] if reason else []


def check_text(value: Any, field_name: str, longest: int, stored: bool = False) -> list[Problem]:
    """Problems with an optional multi-line text field (a description, instructions).

    Newlines are the only control character a text field takes; bidi and
    invisible characters are refused as in names. `stored`: as in `check_name`.
    """
    if value is None:
        return []
    if not isinstance(value, str):
        return [Problem(field_name, f"must be text, not {type_name(value)}")]
    if len(value) > longest:
        return [Problem(field_name, f"is {len(value)} characters long; at most {longest}")]
    reason = None if stored else text_problem(value.strip(), multiline=True)
    return [Problem(field_name, reason)] if reason else []


def check_whole(value: Any, field_name: str, limits: tuple[int, int], unit: str = "") -> list[Problem]:
    """Problems with a whole number that must lie within `limits`."""
    low, high = limits
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not value.is_integer()):
        return [Problem(field_name, not_whole(limits, describe(value), unit))]
    if value < low or value > high:  # (a float here is whole and finite: is_integer() is False for inf and NaN)
        shown = describe(int(value) if isinstance(value, float) and abs(value) < 1e16 else value)
        return [Problem(field_name, out_of_range(limits, shown, unit))]
    return []


def slugify(name: str) -> str:
    """An id made from a name: `Morning reset` -> `morning-reset`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:50].strip("-")
    return slug or "routine"


def type_name(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def describe(value: Any) -> str:
    """A short rendering of a bad value for a message."""
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:17] + "..."
        return repr(shown)
    if isinstance(value, int) and not isinstance(value, bool):
        if -10**20 < value < 10**20:
            return str(value)
        # Thousands of digits would fill the screen (and str() refuses past 4,300 of them).
        return f"a {'negative ' if value < 0 else ''}{_digit_count(value):,}-digit number"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else _NOT_FINITE[str(value)]  # as JSON spells them
    return type_name(value)


_NOT_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def _digit_count(value: int) -> int:
    """How many decimal digits a whole number has, without turning it into text."""
    value = abs(value)
    digits = max(1, int(value.bit_length() * 0.30102999566398120))  # log10(2)
    while value >= 10**digits:
        digits += 1
    while digits > 1 and value < 10 ** (digits - 1):
        digits -= 1
    return digits


def exercise_from_dict(data: Any, where: str = "exercise", stored: bool = False) -> Exercise:
    """Build an exercise from its stored or imported form, or raise ValidationError.

    `stored`: the exercise is read from the data dir (see `check_name`).
    """
    if not isinstance(data, dict):
        raise ValidationError(Problem(where, f"must be an object, not {type_name(data)}"))
    problems: list[Problem] = []
    ex_id = data.get("id")
    if not isinstance(ex_id, str) or not ID_PATTERN.fullmatch(ex_id):
        problems.append(Problem(f"{where}.id", f"must be lower-case letters, digits and dashes (1-60), not {describe(ex_id)}"))
    problems += check_name(data.get("name"), f"{where}.name", stored)
    instructions = data.get("instructions", "")
    if instructions is None:
        problems.append(Problem(f"{where}.instructions", "must be text, not null"))
    else:
        problems += check_text(instructions, f"{where}.instructions", INSTRUCTIONS_MAX, stored)
    hold_range = _range(data.get("hold_range", [HOLD_LIMITS[0], HOLD_LIMITS[1]]), f"{where}.hold_range", HOLD_LIMITS, problems)
    reps_range = _range(data.get("reps_range", [1, None]), f"{where}.reps_range", REPS_LIMITS, problems, open_high=True)
    sides = data.get("default_sides", data.get("sides", "none"))
    if sides not in SIDES:
        problems.append(Problem(f"{where}.default_sides", f"must be one of {', '.join(SIDES)}, not {describe(sides)}"))
    defaults: dict[str, int] = {}
    for key, limits, fallback in (
        ("default_hold", HOLD_LIMITS, hold_range[1] or 20 if hold_range else 20),  # a hold range has its high end
        ("default_reps", REPS_LIMITS, reps_range[0] if reps_range else 1),
        ("default_rest", REST_LIMITS, 5),
    ):
        value = data.get(key, fallback)
        found = check_whole(value, f"{where}.{key}", limits)
        problems += found
        defaults[key] = int(value) if not found else fallback
    figure: tuple[str, ...] = ()
    if data.get("figure") is not None:
        figure, found = check_figure(data["figure"], f"{where}.figure")
        problems += found
    if problems:
        raise ValidationError(problems)
    # No problems: each of these was checked (a hold range always has its high end).
    assert isinstance(ex_id, str) and hold_range is not None and hold_range[1] is not None and reps_range is not None
    return Exercise(
        id=ex_id,
        name=data["name"].strip(),
        instructions=instructions.strip(),
        hold_range=(hold_range[0], hold_range[1]),
        reps_range=reps_range,
        default_sides=str(sides),
        figure=figure,
        builtin=bool(data.get("builtin", False)),
        **defaults,
    )


def exercise_to_dict(exercise: Exercise) -> dict[str, Any]:
    """The stored and exported form of an exercise; `figure` only when it has one (older files have none)."""
    data: dict[str, Any] = {
        "id": exercise.id,
        "name": exercise.name,
        "instructions": exercise.instructions,
        "hold_range": list(exercise.hold_range),
        "reps_range": list(exercise.reps_range),
        "default_hold": exercise.default_hold,
        "default_reps": exercise.default_reps,
        "default_rest": exercise.default_rest,
        "default_sides": exercise.default_sides,
    }
    if exercise.figure:
        data["figure"] = list(exercise.figure)
    return data


def _range(value: Any, where: str, limits: tuple[int, int], problems: list[Problem],
           open_high: bool = False) -> tuple[int, int | None] | None:
    """Check a [low, high] pair; returns it as a tuple, or None when bad."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        problems.append(Problem(where, f"must be a pair [low, high], not {type_name(value)}"))
        return None
    low, high = value
    found = check_whole(low, f"{where}[0]", limits)
    if not (open_high and high is None):
        found += check_whole(high, f"{where}[1]", limits)
    if found:
        problems.extend(found)
        return None
    if high is not None and int(high) < int(low):
        problems.append(Problem(where, f"low ({low}) is above high ({high})"))
        return None
    return (int(low), None if high is None else int(high))
