"""Clocks: where the engine and the journal get the time.

The engine never counts timer ticks; it asks a clock. Tests and benchmarks pass
a `FakeClock` they move by hand.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    """A source of time: monotonic seconds for timing, aware datetimes for records."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin that never go backwards."""

    def now(self) -> datetime:
        """The wall-clock time, with its UTC offset."""


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now().astimezone()


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self._mono = 1000.0
        """Monotonic seconds now."""
        self._wall = start or datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
        """Wall time when `_mono` was 1000."""

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._wall + timedelta(seconds=self._mono - 1000.0)

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        self._mono += seconds
