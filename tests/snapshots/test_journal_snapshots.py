"""Snapshots of the journal, a session's details and the stats, at 80x24 and 120x40, with the clock frozen.

The history is ten weeks of sessions made by a fixed rule (no randomness), so
the table, the weekly figures and the pain chart always draw the same.
Update with `pytest tests/snapshots/test_journal_snapshots.py --snapshot-update`
and look at the SVGs before accepting them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from tui.domain.logged import logged_session
from tui.domain.plan import Timings
from tui.storage.store import Store

NOW = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
"""The FakeClock's start (conftest): Monday morning."""
NOTES = ("", "Felt looser after the knee drops", 'tight, "very" sore, stopped early; 背中が痛い', "", "",
         "on the train, seat reclined")
"""Notes the rule picks from."""
SIZES = [(80, 24), (120, 40)]
"""The terminal sizes every screen is drawn at."""
NARROW = [(60, 16), (40, 12)]
"""Where the journal's table drops columns (Pain always stays)."""


@pytest.fixture(autouse=True)
def utc_local_time(local_time):
    """Local time is UTC here, so times read the same on every machine."""
    local_time("UTC")


def seed(store: Store) -> None:
    """About six sessions a week for ten weeks, pain easing over time, three routines, every status."""
    base = store.routines.get("back-spasm-relief")
    routines = [base, replace(base, id="morning-reset", name="Morning reset"),
                replace(base, id="desk-break", name="Desk break")]
    exercises = store.routines.exercises()
    sessions = []
    for days_ago in range(70):
        if days_ago % 7 == 4 or days_ago in (9, 10):
            continue  # a rest day a week, and a two-day break
        began = NOW - timedelta(days=days_ago, hours=1 + days_ago % 3, minutes=15 * (days_ago % 4))
        routine = routines[days_ago % 3]
        before = 4 + (days_ago // 10) % 4 + days_ago % 2
        after = max(0, before - 1 - days_ago % 3)
        rated = days_ago % 6 != 5
        session = logged_session(routine, exercises, Timings(), began, before if rated else None,
                                 after if rated else None, NOTES[days_ago % len(NOTES)], session_id=f"s{days_ago:02d}")
        status = ("completed", "completed", "stopped", "completed", "interrupted", "logged")[days_ago % 6]
        if status in ("stopped", "interrupted"):
            cut = replace(session.holds[6], held_seconds=3.5, completed=False)
            session = replace(session, holds=session.holds[:6] + (cut,))
        sessions.append(replace(session, status=status))
    store.journal.merge(sessions)


def journal_then(*keys: str):
    """Open the journal, wait until it is read and filled, then press `keys`."""
    async def run_before(pilot) -> None:
        await pilot.press("J")
        while True:
            await pilot.pause()
            busy = [w for w in pilot.app.workers if w.group == "journal-read" and w.is_running]
            if not busy:
                break
            await pilot.app.workers.wait_for_complete(busy)
        await pilot.press(*keys)
    return run_before


@pytest.mark.parametrize("size", SIZES + NARROW, ids=lambda s: f"{s[0]}x{s[1]}")
def test_journal(snap_compare, store, make_test_app, size):
    seed(store)
    assert snap_compare(make_test_app(), terminal_size=size, run_before=journal_then())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_session_details(snap_compare, store, make_test_app, size):
    seed(store)
    # The third row: the session of two days ago, stopped, with a note and a hold cut short.
    assert snap_compare(make_test_app(), terminal_size=size, run_before=journal_then("down", "down", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_stats(snap_compare, store, make_test_app, size):
    seed(store)
    assert snap_compare(make_test_app(), terminal_size=size, run_before=journal_then("t"))
