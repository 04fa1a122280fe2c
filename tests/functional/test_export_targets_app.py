"""The app's export dialogs (journal `E`, menu `o`) write into a FIFO another program reads, as `-o` does,
and say so at once when nothing reads it: the app cannot wait for a reader."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

from textual.widgets import Input, Static

from tests.functional.test_journal_screen import error_text, open_journal, seed
from tui.storage.documents import sessions_to_csv
from tui.storage.routines import export_json
from tui.ui.screens.journal import JournalScreen
from tui.ui.screens.journal_export import JournalExportDialog
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.routine_file_dialog import RoutineFileDialog


class FifoReader(threading.Thread):
    """Another program reading a FIFO to its end."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.got = b""
        self.opened = threading.Event()

    def run(self) -> None:
        fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)  # open without waiting for the writer
        self.opened.set()
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            chunks = []
            while True:
                chunk = handle.read(65536)
                if chunk:
                    chunks.append(chunk)
                elif chunks:
                    break  # the writer has been and gone
                else:
                    threading.Event().wait(0.02)  # no writer yet
            self.got = b"".join(chunks)


async def submit_path(pilot, field: str, path: Path) -> None:
    widget = pilot.app.screen.query_one(f"#{field}", Input)
    widget.focus()
    widget.value = str(path)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_journal_export_writes_into_a_fifo_and_says_when_nothing_reads_it(store, make_test_app, tmp_path):
    seed(store)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        await pilot.press("E")
        dialog = app.screen
        assert isinstance(dialog, JournalExportDialog)
        await submit_path(pilot, "export-path", fifo)
        assert app.screen is dialog  # no "replace the file?": a FIFO is written into
        assert f"Nothing is reading from {fifo}" in error_text(dialog, "export-path")
        reader = FifoReader(fifo)
        reader.start()
        reader.opened.wait(10)
        await submit_path(pilot, "export-path", fifo)
        reader.join(timeout=10)
        assert isinstance(app.screen, JournalScreen)
    assert reader.got.decode() == sessions_to_csv(store.sessions())
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and sorted(p.name for p in tmp_path.iterdir()) == ["data", "pipe.csv"]


async def test_routine_export_writes_into_a_fifo_without_asking_to_replace_it(store, make_test_app, tmp_path):
    fifo = tmp_path / "routine.json"
    os.mkfifo(fifo)
    app = make_test_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, RoutineFileDialog)
        await submit_path(pilot, "routine-path", fifo)
        said = str(app.screen.query_one("#routine-path-message", Static).render())
        assert f"nothing is reading from {fifo}" in said
        reader = FifoReader(fifo)
        reader.start()
        reader.opened.wait(10)
        await pilot.press("enter")
        await pilot.pause()
        reader.join(timeout=10)
        assert isinstance(app.screen, MenuScreen)
    assert reader.got.decode() == export_json(store.routines.export_file("back-spasm-relief"))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
