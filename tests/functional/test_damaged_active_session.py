"""Pilot tests: the app over an interrupted-session file whose fields are wrong.

The app must start, say once which file it cannot use and why, leave that file
as it is, and let the user do everything else: start and finish a session, open
the journal, resume nothing that cannot be resumed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.textual_view import notifications
from tests.functional.test_session_screens import SIZE, finish, interrupted_session, run_to_end, start
from tui.ui.screens.journal import JournalScreen
from tui.ui.screens.menu import MenuScreen

DAMAGES = {
    "holds-planned-text": (lambda header: header.update(holds_planned="x"), "holds_planned: must be a whole number"),
    "started-at-a-number": (lambda header: header.update(started_at=5), "started_at: must be an ISO 8601"),
    "routine-not-an-object": (lambda header: header.update(routine=[1]), "routine: must be an object, not a list"),
    "position-negative": (lambda header: header.update(position=-3), "position: must be a whole number from 0 to 3, not -3"),
    "position-a-million": (lambda header: header.update(position=10**6), "position: must be a whole number from 0 to 3"),
    "exercises-a-list": (lambda header: header.update(exercises=["pelvic-tilt"]), "exercises: must be an object, not a list"),
    "started-in-year-1": (lambda header: header.update(started_at="0001-01-01T00:00:00+14:00"), "started_at: must be a date from 1970"),
}


def quick_routine(store):
    return store.routines.import_file(json.dumps({
        "format": "backrelief-routine", "version": 1, "name": "Quick check",
        "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 2, "reps": 4, "rest_seconds": 1}],
    }))


def damage(store, clock, change) -> tuple[Path, bytes]:
    """An interrupted session of the quick routine (two of four holds done), its header changed."""
    interrupted_session(store, clock, store.routines.get("quick-check"), holds_done=2)
    [path] = store.data_dir.active.glob("*.json")
    doc = json.loads(path.read_text())
    change(doc["session"]["1"])
    content = json.dumps(doc).encode()
    path.write_bytes(content)
    return path, content


def notices_about(app, path: Path) -> list[str]:
    return [message for message in notifications(app) if str(path) in message]


@pytest.mark.parametrize("kind", list(DAMAGES))
async def test_the_app_starts_says_so_once_and_runs_a_session(kind, make_test_app, store, clock):
    store.settings.change(get_ready_seconds=0, switch_seconds=0)
    quick_routine(store)
    change, reason = DAMAGES[kind]
    path, content = damage(store, clock, change)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, MenuScreen)
        assert not menu.query_one("#resume-banner", Static).display  # nothing to resume
        [notice] = notices_about(app, path)
        assert reason in notice and "left untouched" in notice and "\n" not in notice
        await pilot.press("r")  # resume: nothing happens, nothing breaks
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        # The journal opens; back at the menu, the file is looked at again but not said again.
        await pilot.press("J")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        # A new session runs to the end and is stored.
        await start(pilot, "Quick check", pain_before="3")
        await run_to_end(pilot, clock)
        await finish(pilot, pain_after="2", note="fine")
        assert isinstance(app.screen, MenuScreen)
        assert len(notices_about(app, path)) == 1
    [session] = store.journal.list()
    assert (session.status, session.pain_after, session.note) == ("completed", 2, "fine")
    assert path.read_bytes() == content  # left as the user had it


async def test_a_session_file_damaged_after_the_menu_listed_it_is_not_resumed(make_test_app, store, clock):
    quick_routine(store)
    interrupted_session(store, clock, store.routines.get("quick-check"), holds_done=2)
    [path] = store.data_dir.active.glob("*.json")
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#resume-banner", Static).display
        doc = json.loads(path.read_text())
        doc["session"]["1"]["routine"] = "gone"
        path.write_text(json.dumps(doc))
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        [notice] = notices_about(app, path)
        assert "routine: must be an object, not text" in notice
        await pilot.press("c")  # close it: also refused, also no crash
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
    assert store.journal.list() == []
    assert json.loads(path.read_text())["session"]["1"]["routine"] == "gone"
