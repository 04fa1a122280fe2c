"""SVG snapshots of the hold screen's safety net: the `!` dialog (something is wrong) and the stats with how
each stretch felt, at 80x24 and 120x40, in colour and under NO_COLOR (the traffic light reads in words there).

Time is frozen (FakeClock). Regenerate with
`pytest tests/snapshots/test_safety_snapshots.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from textual.pilot import Pilot

from tests.snapshots.test_journal_snapshots import journal_then, seed
from tests.snapshots.test_session_snapshots import session_at
from tui.domain.sessions import ProblemReport, Session, StepRating
from tui.storage.store import Store

SIZES = [(80, 24), (120, 40)]
"""The sizes every screen is pictured at."""
COLOURS = ["colour", "no-color"]
"""In the theme's colours, and under NO_COLOR."""


@pytest.fixture(autouse=True)
def utc_local_time(local_time):
    """Local time is UTC here, so times read the same on every machine."""
    local_time("UTC")


def app_in(make_test_app, monkeypatch: pytest.MonkeyPatch, colour: str):
    """The app, NO_COLOR set first if asked (it is read when the app is made)."""
    if colour == "no-color":
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_test_app()
    assert app.no_color == (colour == "no-color")
    return app


@pytest.mark.parametrize("colour", COLOURS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_problem_dialog(snap_compare, store, make_test_app, clock, monkeypatch, size, colour):
    app = app_in(make_test_app, monkeypatch, colour)
    in_a_hold = session_at(clock, 17.5)

    async def run_before(pilot: Pilot) -> None:
        await in_a_hold(pilot)
        await pilot.press("exclamation_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def with_feelings(session: Session) -> Session:
    """The session rated by a fixed rule: the hamstring stretch sore and getting worse, the knee drop easing,
    the tilt and the pose mild; a problem reported in two of them."""
    days_ago = int(session.id[1:])
    if session.status == "logged":
        return session  # logged by hand: nothing was asked
    by_exercise = {
        "side-knee-drop": min(9, 2 + days_ago // 8),  # older sessions hurt more: easing
        "pelvic-tilt": 1 + days_ago % 2,
        "hamstring-stretch": max(3, 8 - days_ago // 6),  # newer sessions hurt more: rising
        "prayer-pose": 2 + days_ago % 3,
    }
    steps = []
    for number, exercise in enumerate(("side-knee-drop", "pelvic-tilt", "hamstring-stretch", "prayer-pose"), 1):
        steps.append(StepRating(number, exercise, by_exercise[exercise]))
    events: tuple[ProblemReport, ...] = ()
    if days_ago in (2, 15):
        kind = "leg-pain" if days_ago == 2 else "numbness"
        events = (ProblemReport(session.started_at + timedelta(minutes=4), kind),)
    return replace(session, step_ratings=tuple(steps), events=events)


def seed_with_feelings(store: Store) -> None:
    """The journal snapshots' ten weeks of sessions, each with how its stretches felt."""
    merge = store.journal.merge

    def merge_with_feelings(sessions, *args, **kwargs):
        return merge([with_feelings(s) for s in sessions], *args, **kwargs)

    store.journal.merge = merge_with_feelings  # type: ignore[method-assign]
    try:
        seed(store)
    finally:
        del store.journal.merge
    assert any(s.step_ratings for s in store.sessions())


@pytest.mark.parametrize("colour", COLOURS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_stats_with_how_each_stretch_felt(snap_compare, store, make_test_app, monkeypatch, size, colour):
    seed_with_feelings(store)
    app = app_in(make_test_app, monkeypatch, colour)
    assert snap_compare(app, terminal_size=size, run_before=journal_then("t"))
