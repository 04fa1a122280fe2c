"""JournalFilter: which sessions the journal lists (one routine, one status, a range of local days).

A plain value with no Textual in it: the journal screen keeps one, shows it in
words above the table and narrows its rows with `select`, one pass over the
rows however long the history; the filter dialog builds a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol, Sequence, TypeVar


class Filterable(Protocol):
    """What a filter looks at: a session or a journal row."""

    @property
    def routine_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...


Row = TypeVar("Row", bound=Filterable)


def local_midnight(day: date) -> datetime:
    """The first moment of `day` in local time, aware (what `astimezone()` shows a session's day in)."""
    return datetime.combine(day, time()).astimezone()


@dataclass(frozen=True)
class JournalFilter:
    """Which sessions the journal shows; every part left empty lets everything through."""

    routine_id: str | None = None
    """Only sessions of this routine."""
    routine_name: str = ""
    """That routine's name, to show the filter in words."""
    status: str | None = None
    """Only sessions with this status."""
    since: date | None = None
    """Only sessions begun on or after this day (local time)."""
    until: date | None = None
    """Only sessions begun on or before this day (local time)."""

    @property
    def active(self) -> bool:
        """Whether anything is filtered out at all."""
        return any(v is not None for v in (self.routine_id, self.status, self.since, self.until))

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The first moment of `since` and the first moment after `until`, local and aware (None: no bound).

        A session passes when it began at or after the first and before the
        second: two comparisons a row, instead of working out each row's local day.
        """
        low = None if self.since is None else local_midnight(self.since)
        high = None if self.until is None else local_midnight(self.until + timedelta(days=1))
        return low, high

    def select(self, rows: Sequence[Row]) -> list[Row]:
        """The rows that pass, in their order: one pass over them."""
        if not self.active:
            return list(rows)
        routine_id, status = self.routine_id, self.status
        low, high = self.bounds()
        return [row for row in rows
                if (routine_id is None or row.routine_id == routine_id)
                and (status is None or row.status == status)
                and (low is None or row.started_at >= low)
                and (high is None or row.started_at < high)]

    def matches(self, row: Filterable) -> bool:
        """Whether one session passes the filter."""
        return bool(self.select([row]))

    def describe(self) -> str:
        """The filter in words: `routine Back spasm relief · stopped · from 2026-01-01 to 2026-01-31`."""
        parts = []
        if self.routine_id is not None:
            parts.append(f"routine {self.routine_name or self.routine_id}")
        if self.status is not None:
            parts.append(self.status)
        if self.since is not None and self.until is not None:
            parts.append(f"from {self.since.isoformat()} to {self.until.isoformat()}")
        elif self.since is not None:
            parts.append(f"from {self.since.isoformat()}")
        elif self.until is not None:
            parts.append(f"up to {self.until.isoformat()}")
        return " · ".join(parts)
