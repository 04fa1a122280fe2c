"""A full disk during a session: the session goes on, the screen says so, and nothing typed is lost.

Two ways to fill the disk. `disk` fails every write of a data file with ENOSPC
(or EIO) at the `os.write` the atomic writer makes, for as long as a test says,
so the real writer runs and cleans up after itself. `tmpfs` mounts a real
filesystem of 1 MiB and fills it with a file: skipped, with the reason, where
the test may not mount one (it needs root or CAP_SYS_ADMIN). The same in a real
terminal is in tests/e2e/test_full_disk_terminal.py.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.textual_view import notifications
from tests.e2e.small_disk import fill, mounted
from tests.functional.test_session_screens import SIZE, answer, hold_screen, run_to_end, start, step_clock, text_of
from tui.domain.clock import FakeClock
from tui.storage.store import Store
from tui.ui.cues import Cues
from tui.ui.screens import hold as hold_module
from tui.ui.screens import unsaved_session
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.hold import HoldScreen
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.note_dialog import NoteDialog
from tui.ui.screens.pain_checkin import PainCheckIn
from tui.ui.screens.unsaved_session import UnsavedSession

QUICK = {
    "format": "backrelief-routine", "version": 1, "name": "Quick check",
    "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 2, "reps": 4, "rest_seconds": 1}],
}
"""Four holds of two seconds, a second's rest between."""
NOTE = "tight hips today"
"""The note typed at the end; it must never show in a message."""


class Disk:
    """Makes every write into `folder` (or the part of it a test names) fail while `failing` is set."""

    def __init__(self, folder: Path) -> None:
        self.folder = str(folder)
        self.failing: int | None = None
        """The errno writes fail with, or None while they work."""
        self.only: str = ""
        """Fail only writes to files under this subfolder ('' for all)."""
        self.refused = 0
        """Writes refused so far."""

    def fails(self, fd: int) -> bool:
        if self.failing is None:
            return False
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return False
        return target.startswith(os.path.join(self.folder, self.only))


@pytest.fixture
def disk(monkeypatch, data_dir: Path) -> Disk:
    """The data dir's disk, which a test can fill (`disk.failing = errno.ENOSPC`) and empty again."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc/self/fd (Linux) to tell the data files' writes apart")
    fake = Disk(data_dir)
    real_write = os.write

    def write(fd: int, data) -> int:
        if fake.fails(fd):
            fake.refused += 1
            raise OSError(fake.failing, os.strerror(fake.failing))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    return fake


@pytest.fixture
def quick(store):
    store.settings.change(get_ready_seconds=1, switch_seconds=1)
    return store.routines.import_file(json.dumps(QUICK))


@pytest.fixture
def fast_retries(monkeypatch):
    """Retries every 0.1 s of real time instead of every few seconds."""
    monkeypatch.setattr(hold_module, "RETRY_SECONDS", 0.1)
    monkeypatch.setattr(unsaved_session, "RETRY_SECONDS", 0.1)


def on_disk(store) -> dict:
    """The one active session file, as the disk has it."""
    [path] = store.data_dir.active.glob("*.json")
    return json.loads(path.read_text())


def notices(app) -> list[str]:
    return notifications(app)


async def until(pilot, condition, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()


async def until_holds(pilot, clock, count: int) -> None:
    """Run the clock until `count` holds are done."""
    engine = hold_screen(pilot.app).recorder.engine
    for _ in range(200):
        if len(engine.records) >= count:
            await pilot.pause()
            return
        step_clock(pilot, clock, 0.5)
    raise AssertionError(f"never got to {count} holds")


async def end_with(pilot, pain_after: str, note: str) -> None:
    """Answer the check-in after and the note."""
    assert isinstance(pilot.app.screen, PainCheckIn)
    await answer(pilot, pain_after)
    assert isinstance(pilot.app.screen, NoteDialog)
    await answer(pilot, note)


async def test_a_full_disk_mid_session_is_said_and_the_session_kept_until_space_returns(
        make_test_app, store, clock, quick, disk):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check", pain_before="4")
        await until_holds(pilot, clock, 1)
        assert len(on_disk(store)["holds"]) == 1
        disk.failing = errno.ENOSPC
        await until_holds(pilot, clock, 2)
        # The screen says so plainly, and the session goes on.
        problem = text_of(screen, "#save-problem")
        assert problem.startswith("The disk is full: this session is kept in memory")
        line = screen.query_one("#save-problem", Static)
        assert line.has_class("-unsaved") and line.display
        assert any(n.startswith("The disk is full") for n in notices(app))
        assert len(on_disk(store)["holds"]) == 1  # the disk has only what it had
        await until_holds(pilot, clock, 3)  # tried again at this hold, and still full
        refused = disk.refused
        assert refused >= 2
        await run_to_end(pilot, clock)
        await end_with(pilot, pain_after="2", note=NOTE)
        # Nothing typed is dropped: the session waits, rating and note included.
        dialog = app.screen
        assert isinstance(dialog, UnsavedSession)
        assert text_of(dialog, "#unsaved-problem") == ("The disk is full: your session, pain rating and note are kept "
                                                       "in memory and saved as soon as there is room.")
        assert store.journal.list() == []
        await pilot.press("r")
        await pilot.pause()
        assert text_of(dialog, "#unsaved-status") == "Tried again once: still not saved."
        assert disk.refused > refused
        # Space comes back: the next try saves it.
        disk.failing = None
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))
        assert any(n.startswith("Saved: Quick check, 4 of 4 holds") for n in notices(app))
        assert not any(NOTE in n or "pain_after" in n for n in notices(app))
    [session] = store.journal.list()
    assert (session.status, session.pain_before, session.pain_after, session.note) == ("completed", 4, 2, NOTE)
    assert [h.rep for h in session.holds] == [1, 2, 3, 4] and all(h.completed for h in session.holds)
    assert list(store.data_dir.active.glob("*.json")) == []
    assert store.active.interrupted() == []


async def test_the_screen_retries_on_its_own_and_says_when_it_is_saved_again(
        make_test_app, store, clock, quick, disk, fast_retries):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check")
        disk.failing = errno.ENOSPC
        await until_holds(pilot, clock, 2)
        assert screen.query_one("#save-problem").has_class("-unsaved")
        disk.failing = None
        # No hold finishes meanwhile: the timer alone writes the whole session file.
        await until(pilot, lambda: not screen.query_one("#save-problem").has_class("-unsaved"))
        assert not screen.query_one("#save-problem", Static).display
        await until(pilot, lambda: "Saved: the session is on disk again." in notices(app))
        assert sorted(on_disk(store)["holds"]) == ["1", "2"]
        assert on_disk(store)["session"]["1"]["position"] == screen.recorder.engine.index


async def test_the_dialog_saves_the_ended_session_by_itself_once_there_is_room(
        make_test_app, store, clock, quick, disk, fast_retries):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "Quick check", pain_before="5")
        disk.failing = errno.ENOSPC
        await run_to_end(pilot, clock)
        await end_with(pilot, pain_after="3", note=NOTE)
        assert isinstance(app.screen, UnsavedSession)
        await pilot.pause(0.3)
        assert isinstance(app.screen, UnsavedSession) and app.screen.attempts >= 1
        disk.failing = None
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))
    [session] = store.journal.list()
    assert (session.pain_before, session.pain_after, session.note) == (5, 3, NOTE)


async def test_quitting_with_the_disk_full_says_what_is_kept(make_test_app, store, clock, quick, disk, capsys):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "Quick check", pain_before="4")
        await until_holds(pilot, clock, 1)
        disk.failing = errno.ENOSPC
        await run_to_end(pilot, clock)
        await end_with(pilot, pain_after="2", note=NOTE)
        assert isinstance(app.screen, UnsavedSession)
        await pilot.press("q")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert question.question == (
            "This session is not saved: the disk is full. The next start offers it as an interrupted session with "
            "the 1 hold saved before the writing stopped; the pain rating and note you gave at the end are lost.")
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 1
    assert f"backrelief: {question.question}" in " ".join(capsys.readouterr().err.split())  # after the app is gone
    [kept] = store.active.interrupted()
    assert [h.rep for h in kept.session.holds] == [1] and kept.session.pain_before == 4


async def test_when_only_the_journal_cannot_be_written_the_rating_and_note_stay_with_the_session_file(
        make_test_app, store, clock, quick, disk, capsys):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "Quick check", pain_before="4")
        disk.failing, disk.only = errno.EIO, "journal"
        await run_to_end(pilot, clock)
        await end_with(pilot, pain_after="1", note=NOTE)
        dialog = app.screen
        assert isinstance(dialog, UnsavedSession)
        assert text_of(dialog, "#unsaved-problem").startswith("The disk cannot be written (Input/output error): your session")
        assert dialog.recorder.where_things_stand() == (
            "This session is not saved: the disk cannot be written (Input/output error). The next start offers it as "
            "an interrupted session with the 4 holds saved, your pain rating and note.")
        await pilot.press("ctrl+q")  # quitting from anywhere says the same on the way out
        await pilot.pause()
    said = " ".join(capsys.readouterr().err.split())  # as the terminal got it, after the app was gone
    assert app.return_code == 1 and "with the 4 holds saved, your pain rating and note." in said
    [kept] = store.active.interrupted()
    assert (kept.session.pain_before, kept.session.pain_after, kept.session.note) == (4, 1, NOTE)
    assert len(kept.session.holds) == 4


async def test_a_session_started_on_a_full_disk_runs_and_is_saved_when_space_returns(
        make_test_app, store, clock, quick, disk):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        disk.failing = errno.ENOSPC
        screen = await start(pilot, "Quick check", pain_before="6")
        assert screen.query_one("#save-problem").has_class("-unsaved")
        assert screen.recorder.where_things_stand() == (
            "This session is not saved: the disk is full. Nothing of it could be written.")
        await until_holds(pilot, clock, 2)
        disk.failing = None
        await until_holds(pilot, clock, 3)  # the next hold writes the whole file
        assert not screen.query_one("#save-problem").has_class("-unsaved")
        assert sorted(on_disk(store)["holds"]) == ["1", "2", "3"]
        assert on_disk(store)["session"]["1"]["pain_before"] == 6
        await run_to_end(pilot, clock)
        await end_with(pilot, pain_after="", note="")
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))
    [session] = store.journal.list()
    assert (session.pain_before, len(session.holds)) == (6, 4)


# -- a real full disk --------------------------------------------------------------------------


@pytest.fixture
def tmpfs(tmp_path: Path):
    """A 1 MiB tmpfs mounted for the test, or a skip saying why it cannot be."""
    with mounted(tmp_path / "small-disk") as point:
        yield point


async def test_a_real_full_disk(tmpfs: Path, cue_log):
    from tui.ui.app import make_app

    store = Store.open(tmpfs / "data")
    store.settings.change(safety_acknowledged=True, get_ready_seconds=1, switch_seconds=1, rate_stretches=False)
    store.routines.import_file(json.dumps(QUICK))
    clock = FakeClock()
    settings = store.settings.load()
    app = make_app(store, clock=clock, settings=settings, cues=Cues(write=cue_log, bell=True, in_tmux=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "Quick check", pain_before="4")
        await until_holds(pilot, clock, 1)
        filler = fill(tmpfs)
        await until_holds(pilot, clock, 2)
        assert text_of(screen, "#save-problem").startswith("The disk is full")
        await run_to_end(pilot, clock)
        await end_with(pilot, pain_after="2", note=NOTE)
        assert isinstance(app.screen, UnsavedSession)
        assert store.journal.list() == []
        assert [p.name for p in (tmpfs / "data").rglob(".*.tmp-*")] == []  # failed writes leave no temp file
        filler.unlink()
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, MenuScreen))
        assert not isinstance(app.screen, HoldScreen)
    [session] = store.journal.list()
    assert (session.status, session.pain_after, session.note, len(session.holds)) == ("completed", 2, NOTE, 4)
    assert list(store.data_dir.active.glob("*.json")) == []
