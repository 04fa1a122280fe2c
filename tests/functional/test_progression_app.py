"""Progression in the app: the menu's preview offers a step up with its reason, and `a` accepts it."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from textual.geometry import Region

from tests.unit.test_progression import run
from tui.domain.clock import FakeClock
from tui.domain.schedule import make_plan
from tui.ui.user_text import PlainStatic

UTC = timezone.utc
TODAY = date(2026, 11, 10)


@pytest.fixture(autouse=True)
def utc_local_time(local_time):
    local_time("UTC")


@pytest.fixture
def clock() -> FakeClock:
    """A week after the made-up sessions (1-3 November 2026)."""
    return FakeClock(start=datetime(2026, 11, 10, 7, 0, tzinfo=UTC))


def preview(app) -> str:
    """The preview's text as drawn, its lines joined with single spaces."""
    widget = app.screen.query_one("#preview-body", PlainStatic)
    return " ".join(" ".join(strip.text for strip in widget.render_lines(Region(0, 0, *widget.size))).split())


async def test_accepting_a_step_up_makes_the_users_copy_which_the_plan_follows(store, make_test_app):
    builtin = store.routines.get("back-spasm-relief")
    store.plans.set(make_plan(builtin.id, builtin.name, 2), date(2026, 11, 1))
    for day in range(3):
        store.journal.add(run(builtin, day, ratings={1: 2, 3: 1}))
    app = make_test_app(zone=UTC)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):  # the offer comes once start-up has read the recent weeks, after the first frame
            await pilot.pause(0.05)
            if "Step up" in preview(app) and "Why:" in preview(app):  # its lines drawn in full, after a layout
                break
        shown = preview(app)
        assert "Step up (step 1) Side Knee Drop: 2 → 3 reps" in shown
        assert "Why: your last 3 sessions were completed, it felt 3 or less out of 10, and your pain did not rise." in shown
        await pilot.press("a")
        await pilot.pause()
        mine = store.routines.get("Back spasm relief (mine)")
        assert mine.steps[0].reps == 3 and mine.steps[1:] == builtin.steps[1:]
        assert store.routines.get(builtin.id).steps == builtin.steps
        assert store.plans.plan_for(mine.id, TODAY).per_day == 2 and store.plans.plan_for(builtin.id, TODAY) is None
        assert app.screen.selected.id == mine.id
        assert "Step up" not in preview(app)  # the copy has no sessions at its new level yet
        await pilot.press("a")  # nothing offered: nothing changes
        assert len(store.routines.list()) == 2


async def test_no_offer_without_the_sessions_for_it(store, make_test_app):
    builtin = store.routines.get("back-spasm-relief")
    for day in range(2):
        store.journal.add(run(builtin, day))
    app = make_test_app(zone=UTC)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Step up" not in preview(app) and "Why:" not in preview(app)
        await pilot.press("a")
        assert [r.name for r in store.routines.list()] == ["Back spasm relief"]
