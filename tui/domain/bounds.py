"""Bounds on the numbers and dates the app takes in: finite, and within PRODUCT.md's limits.

Every number or date that comes from a file or the command line is checked
here on the way in, so nothing past the limits is stored or shown: a stored
`1e308` seconds or a date in year 1 would otherwise break the journal's
sums, its tables and the conversions between time zones much later, far
from the input that caused it. (Routine files keep their own, narrower
limits: see `exercises.check_whole`.)
"""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from typing import Any

from tui.domain.exercises import describe
from tui.domain.problems import Problem, ValidationError

HOLD_SECONDS_LIMITS = (0, 86_400)
"""Seconds one hold of a journal session may last (planned or held): up to a day."""
COUNT_LIMITS = (0, 10_000)
"""Any count in a journal session: holds planned, holds done, a hold's rep."""
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
"""The earliest moment a date may name."""
YEARS_AHEAD = 100
"""How far past today a date may lie."""


def latest(now: datetime | None = None) -> datetime:
    """The latest moment a date may name: `YEARS_AHEAD` years after `now` (the real now by default)."""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    try:
        return now.replace(year=now.year + YEARS_AHEAD)
    except ValueError:  # 29 February, a hundred years on, may not exist
        return now.replace(year=now.year + YEARS_AHEAD, day=28)


def moment_problem(moment: datetime, now: datetime | None = None) -> str | None:
    """Why an aware `moment` lies outside the bounds, or None when it is inside."""
    # Aware datetimes compare without converting either one, so even year 1 at +14:00 is safe here.
    last = latest(now)
    if EARLIEST <= moment <= last:
        return None
    return f"must be a date from {EARLIEST.year} to {last.year}, {YEARS_AHEAD} years from now"


def check_moment(moment: datetime, where: str, now: datetime | None = None) -> datetime:
    """`moment` (aware) when it lies from 1970 to 100 years after `now`; else ValidationError on `where`."""
    reason = moment_problem(moment, now)
    if reason:
        raise ValidationError(Problem(where, f"{reason}, not {moment.isoformat()}"))
    return moment


def local_moment(moment: datetime, where: str, now: datetime | None = None) -> datetime:
    """`moment` checked and made aware: one without an offset is the user's local time.

    The year is checked before the conversion to local time, which fails far
    outside the bounds (year 1 or 9999).
    """
    if moment.tzinfo is None:
        last = latest(now)
        if not EARLIEST.year <= moment.year <= last.year:
            raise ValidationError(Problem(where, f"must be a date from {EARLIEST.year} to {last.year}, "
                                                 f"{YEARS_AHEAD} years from now, not {moment.isoformat()}"))
        moment = moment.astimezone()
    return check_moment(moment, where, now)


def check_day(day: date, where: str, now: datetime | None = None) -> date:
    """A calendar day from 1970 to 100 years after `now`; else ValidationError on `where`."""
    last = latest(now).date()
    if not EARLIEST.date() <= day <= last:
        raise ValidationError(Problem(where, f"must be a day from {EARLIEST.date()} to {last}, not {day.isoformat()}"))
    return day


def check_count(value: Any, where: str, low: int = COUNT_LIMITS[0], high: int = COUNT_LIMITS[1]) -> int:
    """A whole number from `low` to `high` (a count); else ValidationError on `where`."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(Problem(where, f"must be a whole number from {low} to {high}, not {describe(value)}"))
    return value


def check_seconds(value: Any, where: str, low: int = HOLD_SECONDS_LIMITS[0], whole: bool = False) -> float:
    """A finite number of seconds from `low` to a day (whole when `whole`); else ValidationError on `where`."""
    high = HOLD_SECONDS_LIMITS[1]
    kind = "a whole number" if whole else "a number"
    good = isinstance(value, int) if whole else isinstance(value, (int, float))
    # Ints are compared as they are: math.isfinite would overflow on a huge one.
    if (isinstance(value, bool) or not good or (isinstance(value, float) and not math.isfinite(value))
            or not low <= value <= high):
        raise ValidationError(Problem(where, f"must be {kind} of seconds from {low} to {high}, not {describe(value)}"))
    return value

