"""JournalFilter: one pass over the rows, days counted in local time, whatever zone the rows were stored in."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest

from tui.domain.journal_filter import JournalFilter
from tui.domain.session_rows import SessionRow

UTC = timezone.utc


def row(sid: str, started: datetime, routine: str = "back", status: str = "completed") -> SessionRow:
    return SessionRow(sid, routine, routine.title(), started, status, 25, 25, 450.0, 5, 3, "")


def local_day(r: SessionRow) -> date:
    """A session's day as the journal shows it: its start in local time."""
    return r.started_at.astimezone().date()


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_days_are_local_days_at_their_edges(local_time, zone):
    local_time(zone)
    first, last = date(2026, 3, 7), date(2026, 3, 9)  # New York moves its clocks on the 8th
    edge = datetime(2026, 3, 7).astimezone()  # local midnight starting `first`
    end = datetime(2026, 3, 10).astimezone()  # local midnight after `last`
    rows = [row("before", edge - timedelta(seconds=1)), row("first", edge),
            row("last", end - timedelta(seconds=1)), row("after", end)]
    chosen = JournalFilter(since=first, until=last).select(rows)
    assert [r.id for r in chosen] == ["first", "last"]
    # Stored in another zone, the same moments pass the same way.
    moved = [r._replace(started_at=r.started_at.astimezone(timezone(timedelta(hours=-11)))) for r in rows]
    assert [r.id for r in JournalFilter(since=first, until=last).select(moved)] == ["first", "last"]


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Australia/Lord_Howe", "America/St_Johns"])
def test_select_agrees_with_each_rows_local_day_on_random_rows(local_time, zone, rng):
    local_time(zone)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows = sorted((row(f"r{i}", (start + timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)))
                       .astimezone(timezone(timedelta(minutes=rng.randrange(-720, 841, 15)))),
                       routine=rng.choice(("back", "desk")), status=rng.choice(("completed", "stopped", "logged")))
                   for i in range(2000)), key=lambda r: r.started_at, reverse=True)
    for _ in range(40):
        since = date(2024, 1, 1) + timedelta(days=rng.randrange(730))
        until = since + timedelta(days=rng.randrange(0, 60))
        chosen = JournalFilter(routine_id=rng.choice((None, "back", "desk")), status=rng.choice((None, "stopped")),
                               since=rng.choice((None, since)), until=rng.choice((None, until)))
        expected = [r for r in rows
                    if (chosen.routine_id is None or r.routine_id == chosen.routine_id)
                    and (chosen.status is None or r.status == chosen.status)
                    and (chosen.since is None or local_day(r) >= chosen.since)
                    and (chosen.until is None or local_day(r) <= chosen.until)]
        assert chosen.select(rows) == expected, chosen
        assert [r for r in rows if chosen.matches(r)] == expected


def test_an_empty_filter_lets_everything_through_and_says_nothing():
    rows = [row("a", datetime(2026, 1, 1, tzinfo=UTC))]
    empty = JournalFilter()
    assert not empty.active and empty.select(rows) == rows and empty.describe() == ""
    assert JournalFilter(routine_id="back", routine_name="Back", status="stopped", since=date(2026, 1, 1),
                         until=date(2026, 1, 31)).describe() == "routine Back · stopped · from 2026-01-01 to 2026-01-31"


def test_the_filter_is_domain_code_without_textual():
    code = "import sys, tui.domain.journal_filter; print('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
