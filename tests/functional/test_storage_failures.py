"""Every screen that writes to the data dir says so when the write fails, and the app carries on.

The disk is made full where the one atomic writer replaces a data file
(`files.replace_file`) and where an append writes (`files.write_at`), so each
write goes through the real transaction (or append) and
fails as it would on a full disk: a `DataFileError`, a `StorageError` like every
error the storage layer raises. Each test presses the keys a user would, then
checks the message they see, that the app is still running on the same screen,
and that nothing changed on disk.
"""

from __future__ import annotations

import errno
import os
from datetime import timedelta
from pathlib import Path

import pytest

from tests.functional.test_session_screens import interrupted_session
from tui.domain.logged import logged_session
from tui.domain.plan import Timings
from tui.domain.routines import Routine, Step
from tui.storage import active, files
from tui.ui.screens.builder import RoutineBuilder
from tui.ui.screens.exercise_editor import ExerciseEditor
from tui.ui.screens.exercise_picker import ExercisePicker
from tui.ui.screens.journal import JournalScreen
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.settings import SettingsScreen

SIZE = (100, 30)
"""The terminal size of these tests."""
NO_ROOM = "No space left on device"
"""What the operating system says about a full disk: the user sees it in each message."""


class FullDisk:
    """While `full` is set, replacing any data file fails as a full disk would."""

    def __init__(self) -> None:
        self.full = False
        """Whether writes fail now."""
        self.refused: list[Path] = []
        """The files a write was refused for."""


@pytest.fixture
def disk(monkeypatch) -> FullDisk:
    fake = FullDisk()
    real = files.replace_file

    def replace_file(path: Path, data: bytes, durable: bool = True) -> None:
        if fake.full:
            fake.refused.append(Path(path))
            raise OSError(errno.ENOSPC, NO_ROOM, str(path))
        real(path, data, durable)

    real_write_at = files.write_at

    def write_at(fd: int, offset: int, data: bytes) -> None:
        if fake.full:
            fake.refused.append(Path(os.readlink(f"/proc/self/fd/{fd}")))
            raise OSError(errno.ENOSPC, NO_ROOM)
        real_write_at(fd, offset, data)

    monkeypatch.setattr(files, "replace_file", replace_file)
    monkeypatch.setattr(files, "write_at", write_at)
    return fake


def told(app) -> list[str]:
    """Every message the app shows from now on (toasts), in order."""
    messages: list[str] = []
    notify = app.notify

    def recording(message, **kwargs) -> None:
        messages.append(str(message))
        notify(message, **kwargs)

    app.notify = recording
    return messages


async def on_menu(pilot) -> MenuScreen:
    await pilot.pause()
    menu = pilot.app.screen
    assert isinstance(menu, MenuScreen)
    return menu


async def select(pilot, name: str) -> None:
    menu = await on_menu(pilot)
    for _ in range(len(menu.routines)):
        if menu.selected is not None and menu.selected.name == name:
            return
        await pilot.press("j")
    assert menu.selected is not None and menu.selected.name == name


def still_running(app) -> None:
    assert app.is_running and app.return_code is None


# -- the menu ----------------------------------------------------------------------------------


async def test_closing_an_interrupted_session_on_a_full_disk_says_so_and_keeps_it(make_test_app, store, clock, disk):
    routine = store.routines.save(Routine(id="", name="Quick", steps=(Step("pelvic-tilt", 2, reps=3, rest_seconds=1),)))
    session_id = interrupted_session(store, clock, routine, holds_done=1)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await on_menu(pilot)
        messages = told(app)
        disk.full = True
        await pilot.press("c")
        await pilot.pause()
        still_running(app)
        assert isinstance(app.screen, MenuScreen)
        assert any("not closed" in m and NO_ROOM in m for m in messages), messages
        assert [i.session.id for i in store.active.interrupted()] == [session_id]  # still there, not held
        # With room again, the same key closes it.
        disk.full = False
        await pilot.press("c")
        await pilot.pause()
        assert any(m.startswith("Closed: Quick") for m in messages), messages
    assert store.active.interrupted() == []
    assert [s.id for s in store.journal.list()] == [session_id]


async def test_resuming_a_session_whose_owner_file_cannot_be_made_says_so(make_test_app, store, clock, monkeypatch):
    routine = store.routines.save(Routine(id="", name="Quick", steps=(Step("pelvic-tilt", 2, reps=3, rest_seconds=1),)))
    session_id = interrupted_session(store, clock, routine, holds_done=1)
    for owner in store.data_dir.active.glob("*.owner"):
        owner.unlink()  # as in a folder made read-only since: the owner file is gone and cannot be made again

    def refused(path):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(active, "open_lock_file", refused)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        menu = await on_menu(pilot)
        assert [i.session.id for i in menu.interrupted] == [session_id]  # a read-only folder still offers it
        messages = told(app)
        await pilot.press("r")
        await pilot.pause()
        still_running(app)
        assert app.screen is menu
        assert any("cannot go on" in m and "Permission denied" in m for m in messages), messages


async def test_deleting_or_duplicating_a_routine_on_a_full_disk_says_so(make_test_app, store, disk):
    store.routines.save(Routine(id="", name="Evening", steps=(Step("pelvic-tilt", 10),)))
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "Evening")
        messages = told(app)
        disk.full = True
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        still_running(app)
        assert isinstance(app.screen, MenuScreen)
        assert any(m.startswith("Could not delete 'Evening'") and NO_ROOM in m for m in messages), messages
        assert any(m.startswith("Could not duplicate 'Evening'") and NO_ROOM in m for m in messages), messages
    assert [r.name for r in store.routines.list() if not r.builtin] == ["Evening"]


async def test_setting_a_plan_on_a_full_disk_says_so(make_test_app, store, disk):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await on_menu(pilot)
        messages = told(app)
        disk.full = True
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        still_running(app)
        assert isinstance(app.screen, MenuScreen)
        assert any("plan could not be saved" in m and NO_ROOM in m for m in messages), messages
    assert not store.data_dir.plans.exists()


# -- settings, journal, builder --------------------------------------------------------------------


async def test_a_setting_on_a_full_disk_is_not_saved_and_says_why(make_test_app, store, disk):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await on_menu(pilot)
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        disk.full = True
        screen.query_one("#get_ready_seconds").focus()
        await pilot.pause()
        app.focused.value = "9"
        await pilot.press("enter")
        await pilot.pause()
        still_running(app)
        assert app.screen is screen
        shown = str(screen.query_one("#get_ready_seconds-message").visual)
        assert "Could not save" in shown and NO_ROOM in shown
    assert store.settings.load().get_ready_seconds != 9


async def open_journal(pilot) -> JournalScreen:
    """`J` from the menu, once the journal's rows are in."""
    await on_menu(pilot)
    await pilot.press("J")
    for _ in range(100):
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, JournalScreen) and not pilot.app.screen.reading:
            break
    journal = pilot.app.screen
    assert isinstance(journal, JournalScreen)
    return journal


def one_session(store, clock):
    routine = store.routines.get("back-spasm-relief")
    session = logged_session(routine, store.routines.exercises(), Timings(), clock.now() - timedelta(hours=1), 6, 3, "")
    store.journal.add(session)
    return session


async def test_adding_or_editing_a_journal_session_on_a_full_disk_says_so(make_test_app, store, clock, disk):
    session = one_session(store, clock)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        journal = await open_journal(pilot)
        messages = told(app)
        disk.full = True
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#pain-after").value = "1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        still_running(app)
        assert app.screen is journal
        assert any(m.startswith("Nothing was changed") and NO_ROOM in m for m in messages), messages
        assert any(m.startswith("Nothing was saved") and NO_ROOM in m for m in messages), messages
        assert [s.id for s in journal.sessions] == [session.id]
    assert [(s.id, s.pain_after) for s in store.journal.list()] == [(session.id, 3)]


async def test_deleting_a_journal_session_on_a_full_disk_keeps_it_and_says_so(make_test_app, store, clock, disk):
    session = one_session(store, clock)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        journal = await open_journal(pilot)
        messages = told(app)
        disk.full = True
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        still_running(app)
        assert app.screen is journal
        assert any(m.startswith("Nothing was deleted") and NO_ROOM in m for m in messages), messages
        assert [s.id for s in journal.sessions] == [session.id]
    assert [s.id for s in store.journal.list()] == [session.id]


async def test_saving_a_routine_in_the_builder_on_a_full_disk_keeps_the_builder_open(make_test_app, store, disk):
    store.routines.save(Routine(id="", name="Evening", steps=(Step("pelvic-tilt", 10),)))
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "Evening")
        await pilot.press("e")
        await pilot.pause()
        builder = app.screen
        assert isinstance(builder, RoutineBuilder)
        messages = told(app)
        disk.full = True
        await pilot.press("ctrl+a", "ctrl+k", *"Later", "ctrl+s")
        await pilot.pause()
        still_running(app)
        assert app.screen is builder
        assert any(m.startswith("Could not save") and NO_ROOM in m for m in messages), messages
    assert [r.name for r in store.routines.list() if not r.builtin] == ["Evening"]
    assert disk.refused


async def test_a_new_exercise_on_a_full_disk_keeps_its_dialog_open(make_test_app, store, disk):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await on_menu(pilot)
        await pilot.press("n", "enter", "enter", "a")
        await pilot.pause()
        assert isinstance(app.screen, ExercisePicker)
        await pilot.press("ctrl+n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ExerciseEditor)
        messages = told(app)
        disk.full = True
        await pilot.press(*"Knee hug", "ctrl+s")
        await pilot.pause()
        still_running(app)
        assert app.screen is editor
        assert any(m.startswith("Could not save") and NO_ROOM in m for m in messages), messages
    assert store.routines.custom_exercises() == []
