"""Plans in the app: setting one with `p`, the menu's due line on a fake clock, and adherence in the stats.

The FakeClock starts at 07:00 UTC on Monday 5 January 2026 and the app's zone
is UTC; a test moves the clock and calls the menu's `refresh_due` (what its
timer does every half minute).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from textual.widgets import Input, OptionList, Static

from tests.functional.test_session_screens import QUICK_FILE, finish, run_to_end, start
from tui.domain.clock import FakeClock
from tui.domain.logged import logged_session
from tui.domain.plan import Timings
from tui.domain.schedule import make_plan
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.plan_dialog import PlanDialog
from tui.ui.screens.stats import StatsScreen

UTC = timezone.utc
MON = date(2026, 1, 5)


@pytest.fixture(autouse=True)
def utc_local_time(local_time):
    """Local time is UTC too, so the journal and the plans agree on what a day is."""
    local_time("UTC")


@pytest.fixture
def clock() -> FakeClock:
    """07:00 on a Monday: before the plans' first slot."""
    return FakeClock(start=datetime(2026, 1, 5, 7, 0, tzinfo=UTC))


@pytest.fixture
def quick(store):
    """A short custom routine (listed after the built-in one), its get-ready and switch shortened."""
    store.settings.change(get_ready_seconds=2, switch_seconds=2)
    return store.routines.import_file(json.dumps(QUICK_FILE))


def lines(menu: MenuScreen) -> list[list[str]]:
    """Each routine's entry in the menu, as its lines of text, in the order shown."""
    options = menu.query_one(OptionList)
    return [options.get_option_at_index(i).prompt.plain.splitlines() for i in range(options.option_count)]


def plan_line(menu: MenuScreen, name: str) -> str | None:
    """The third line (today's progress) of a routine's entry; None when it has none."""
    entry = next(entry for entry in lines(menu) if entry[0] == name)
    return entry[2] if len(entry) > 2 else None


async def type_into(pilot, field: str, text: str) -> None:
    """Focus a field of the dialog with tab, as a user would, and type over what it held."""
    dialog = pilot.app.screen
    while dialog.focused is None or dialog.focused.id != field:
        await pilot.press("tab")
    await pilot.press("ctrl+a", "ctrl+k", *text)


# -- setting a plan --------------------------------------------------------------------------


async def test_a_plan_is_set_changed_and_cleared_from_the_menu(store, make_test_app):
    app = make_test_app(zone=UTC)
    async with app.run_test(size=(100, 30)) as pilot:
        menu = app.screen
        assert plan_line(menu, "Back spasm relief") is None
        await pilot.press("p")
        dialog = app.screen
        assert isinstance(dialog, PlanDialog)
        assert [dialog.query_one(f"#{f}", Input).value for f in ("per-day", "days", "hours")] == ["2", "daily", "08-20"]
        await type_into(pilot, "days", "someday")
        await type_into(pilot, "hours", "18-8")
        await pilot.press("enter")
        assert app.screen is dialog  # refused: it stays open, each problem under its field
        assert "'someday' is not a day" in str(dialog.query_one("#days-error", Static).render())
        assert "must be after the start" in str(dialog.query_one("#hours-error", Static).render())
        assert not dialog.query_one("#per-day-error", Static).display
        assert not store.data_dir.plans.exists()

        await type_into(pilot, "days", "mon-fri")
        await type_into(pilot, "hours", "08-18")
        assert "due from 08:00 and 13:00, until 18:00" in str(dialog.query_one("#plan-preview", Static).render())
        await pilot.press("enter")
        assert app.screen is menu
        assert store.plans.history().plan_for("back-spasm-relief", MON) == make_plan(
            "back-spasm-relief", "Back spasm relief", 2, "mon-fri", "08-18")
        assert plan_line(menu, "Back spasm relief") == "0 of 2 today · next from 08:00"

        await pilot.press("p")  # again: the dialog shows the plan as it is
        dialog = app.screen
        assert [dialog.query_one(f"#{f}", Input).value for f in ("per-day", "days", "hours")] == [
            "2", "mon-fri", "08:00-18:00"]
        await type_into(pilot, "per-day", "3")
        await pilot.press("enter")
        assert store.plans.plan_for("back-spasm-relief", MON).per_day == 3
        assert plan_line(menu, "Back spasm relief") == "0 of 3 today · next from 08:00"

        await pilot.press("p", "ctrl+r")
        assert app.screen is menu and store.plans.current(MON) == []
        assert plan_line(menu, "Back spasm relief") is None
        await pilot.press("p", "escape")  # cancelling changes nothing
        assert store.plans.current(MON) == []


# -- the due line ----------------------------------------------------------------------------


async def test_the_menu_shows_whats_due_and_puts_it_first_as_the_day_goes_on(store, clock, quick, make_test_app):
    store.plans.set(make_plan(quick.id, quick.name, 2, "mon-fri", "08-18"), MON)
    app = make_test_app(zone=UTC)
    async with app.run_test(size=(100, 30)) as pilot:
        menu = app.screen
        assert [entry[0] for entry in lines(menu)] == ["Back spasm relief", "Quick check"]
        assert plan_line(menu, "Quick check") == "0 of 2 today · next from 08:00"

        clock.advance(3600)  # 08:00: the first slot opens
        menu.refresh_due()
        await pilot.pause()
        assert [entry[0] for entry in lines(menu)] == ["Quick check", "Back spasm relief"]
        assert plan_line(menu, "Quick check") == "due now · 0 of 2 today"
        assert menu.selected.name == "Back spasm relief"  # the cursor stays where the user left it

        await start(pilot, "Quick check")
        await run_to_end(pilot, clock)
        await finish(pilot)
        assert app.screen is menu
        assert store.journal.list()[0].status == "completed"
        assert [entry[0] for entry in lines(menu)] == ["Back spasm relief", "Quick check"]
        assert plan_line(menu, "Quick check") == "1 of 2 today · next from 13:00"

        clock.advance(5 * 3600)  # 13:00 and a little
        menu.refresh_due()
        await pilot.pause()
        assert plan_line(menu, "Quick check") == "due now · 1 of 2 today"
        clock.advance(5 * 3600)  # past 18:00: the hours are over
        menu.refresh_due()
        await pilot.pause()
        assert plan_line(menu, "Quick check") == "1 of 2 today · next tomorrow from 08:00"
        assert [entry[0] for entry in lines(menu)] == ["Back spasm relief", "Quick check"]


async def test_a_due_routine_is_first_and_chosen_when_the_app_opens(store, clock, quick, make_test_app):
    store.plans.set(make_plan(quick.id, quick.name, 1, "daily", "06-18"), MON)
    app = make_test_app(zone=UTC)
    async with app.run_test(size=(80, 24)):
        menu = app.screen
        assert lines(menu)[0] == ["Quick check", "2 steps · 0:17", "due now · 0 of 1 today"]
        assert menu.selected.name == "Quick check"


async def test_the_day_is_the_zones_day(store, clock, quick, make_test_app):
    # 07:00 UTC on Monday is 02:00 on Monday in New York, and a Sunday plan there is a Sunday one.
    from zoneinfo import ZoneInfo

    store.plans.set(make_plan(quick.id, quick.name, 1, "mon", "01-12"), date(2026, 1, 4))
    new_york = make_test_app(zone=ZoneInfo("America/New_York"))
    async with new_york.run_test(size=(80, 24)):
        assert plan_line(new_york.screen, "Quick check") == "due now · 0 of 1 today"
    tokyo = make_test_app(zone=ZoneInfo("Asia/Tokyo"))  # 16:00 on Monday there: the hours are over
    async with tokyo.run_test(size=(80, 24)):
        assert plan_line(tokyo.screen, "Quick check") == "0 of 1 today · next Mon 12 Jan from 01:00"


# -- adherence in the stats ------------------------------------------------------------------


async def test_stats_show_sessions_done_against_the_plan_and_days_on_plan(store, clock, make_test_app):
    routine = store.routines.get("back-spasm-relief")
    exercises = store.routines.exercises()
    store.plans.set(make_plan(routine.id, routine.name, 1, "daily", "06-20"), date(2025, 12, 29))
    days = [date(2025, 12, 29) + timedelta(days=i) for i in range(8) if i != 3]  # all but Thursday 1 January
    store.journal.merge([
        logged_session(routine, exercises, Timings(), datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=6),
                       session_id=f"s{day}")
        for day in days
    ] + [replace(logged_session(routine, exercises, Timings(), datetime(2025, 12, 22, 9, tzinfo=UTC),
                                session_id="before"), status="completed")])  # before the plan: not counted
    app = make_test_app(zone=UTC)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("J")
        await pilot.pause()
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        weeks = screen.adherence.weeks
        assert [(w.start, w.planned, w.done) for w in weeks[-3:]] == [
            (date(2025, 12, 22), 0, 0), (date(2025, 12, 29), 7, 6), (MON, 1, 1)]
        assert screen.adherence.streak == 4  # Friday 2 to Monday 5
        summary = str(screen.query_one("#stats-summary", Static).render())
        assert "4 days in a row; this week 1 of 1" in summary
        table = app.screen.query_one("#stats-weeks", Static)
        shown = "\n".join(line.text for line in table.render_lines(table.region.reset_offset))
        on_plan = next(line for line in shown.splitlines() if line.startswith("On plan"))
        assert on_plan.split()[-3:] == ["-", "6/7", "1/1"]
