"""The menu for daily use: the last sessions' pain, `.` to do the last one again, enter on the routine used last."""

from __future__ import annotations

from datetime import timedelta

from tests.textual_view import notifications
from tui.domain.logged import logged_session
from tui.domain.plan import Timings
from tui.domain.routines import Routine, Step
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.pain_checkin import PainCheckIn


async def until(pilot, condition, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()


def log(store, routine: Routine, started, before, after) -> None:
    store.journal.add(logged_session(routine, store.routines.exercises(), Timings(), started, before, after, ""))


def recent_text(app) -> str:
    return str(app.screen.query_one("#recent-sessions").render())


async def test_the_menu_shows_recent_pain_and_starts_on_the_routine_used_last(store, clock, make_test_app):
    evening = store.routines.save(Routine(id="", name="Evening [v2]", steps=(Step("pelvic-tilt", 10),)))
    builtin = store.routines.get("back-spasm-relief")
    now = clock.now()
    log(store, builtin, now - timedelta(days=3), 7, 5)
    log(store, builtin, now - timedelta(days=1), 6, 4)
    log(store, evening, now - timedelta(hours=2), 5, None)
    log(store, builtin, now - timedelta(days=40), 9, 9)  # older than the weeks read: not listed
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.recent_sessions)
        menu = app.screen
        assert isinstance(menu, MenuScreen)
        lines = recent_text(app).splitlines()
        assert lines[0] == "Recent pain"
        assert [line.split("  ")[-1] for line in lines[1:4]] == ["5 → –", "6 → 4", "7 → 5"]
        assert lines[2].startswith("yesterday ")
        assert lines[4] == ". again: Evening [v2]"  # a name with brackets, shown as it is
        assert menu.selected.id == evening.id  # enter starts the routine used last
        await pilot.press("full_stop")
        await until(pilot, lambda: isinstance(app.screen, PainCheckIn))


async def test_a_short_window_keeps_its_rows_for_the_routines(store, clock, make_test_app):
    log(store, store.routines.get("back-spasm-relief"), clock.now() - timedelta(hours=1), 4, 2)
    app = make_test_app()
    async with app.run_test(size=(60, 16)) as pilot:
        await until(pilot, lambda: app.recent_sessions)
        assert not app.screen.query_one("#recent-sessions").display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen.query_one("#recent-sessions").display


async def test_again_with_no_session_yet_says_so(store, make_test_app):
    app = make_test_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("full_stop")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        assert any("No session yet" in message for message in notifications(app))
