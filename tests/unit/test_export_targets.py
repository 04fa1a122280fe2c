"""`storage.output.write_export`: a regular file is replaced whole, anything else is written into.

The same through the real `-o` of the command line is in tests/e2e/test_hostile_files.py.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest

from tui.storage import files
from tui.storage.output import write_export

TEXT = "id,note\r\nabc,\"a, b\"\r\n" + "x" * 200_000 + "\n"
"""More than a pipe holds at once, so a FIFO is written in several goes."""


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


class FifoReader(threading.Thread):
    """Reads a FIFO to its end in the background, as another program would."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.got = b""

    def run(self) -> None:
        with open(self.path, "rb") as handle:
            self.got = handle.read()


def test_a_fifo_is_written_into_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    reader.start()
    write_export(fifo, TEXT)
    reader.join(timeout=10)
    assert reader.got.decode() == TEXT
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_fifo_nobody_reads_fails_at_once_when_told_not_to_wait(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError) as caught:
        write_export(fifo, TEXT, wait_for_reader=False)
    assert caught.value.errno == errno.ENXIO and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_fifo_someone_reads_is_written_whole_without_waiting_for_them(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    reader.start()
    deadline = 50
    while True:  # the reader's open must come first, or the app's open finds nobody
        try:
            write_export(fifo, TEXT, wait_for_reader=False)
            break
        except OSError as error:
            assert error.errno == errno.ENXIO and deadline > 0
            deadline -= 1
            threading.Event().wait(0.1)
    reader.join(timeout=10)
    assert reader.got.decode() == TEXT


def test_dev_null_is_written_into_not_replaced() -> None:
    write_export(Path("/dev/null"), TEXT)
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_name_for_an_open_fd_writes_to_that_fd(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    try:
        reader = threading.Thread(target=lambda: got.append(_read_all(read_end)), daemon=True)
        got: list[bytes] = []
        reader.start()
        write_export(Path(f"/dev/fd/{write_end}"), TEXT)
        os.close(write_end)
        write_end = -1
        reader.join(timeout=10)
        assert got == [TEXT.encode()]
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


def test_dev_stdout_keeps_what_a_file_opened_for_appending_already_holds(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("earlier\n")
    with open(log, "ab") as handle:  # as `>> log.txt` gives a command its stdout
        write_export(Path(f"/dev/fd/{handle.fileno()}"), "added\n")
    assert log.read_text() == "earlier\nadded\n"


def test_a_regular_file_is_replaced_whole_and_private(tmp_path: Path) -> None:
    target = tmp_path / "journal.csv"
    target.write_text("old")
    target.chmod(0o644)
    old_inode = target.stat().st_ino
    write_export(target, TEXT)
    assert target.read_bytes() == TEXT.encode() and mode(target) == 0o600
    assert target.stat().st_ino != old_inode  # a new file renamed into place, not the old one rewritten
    assert [p.name for p in tmp_path.iterdir()] == ["journal.csv"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "journal.csv"
    target.write_text("old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(OSError) as caught:
        write_export(target, TEXT)
    assert caught.value.errno == errno.ENOSPC
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["journal.csv"]


def test_a_link_to_a_file_replaces_the_file_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "synced" / "journal.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "journal.json"
    link.symlink_to(real)
    write_export(link, TEXT)
    assert link.is_symlink() and real.read_bytes() == TEXT.encode() and mode(real) == 0o600


def test_a_missing_folder_is_named_not_the_temporary_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        write_export(tmp_path / "missing" / "j.csv", TEXT)
    assert caught.value.filename == str(tmp_path / "missing")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        write_export(tmp_path, TEXT)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)
