"""Permissions and hostile files in the storage layer: folders 0700 whatever the umask, loose files
tightened, symbolic links and FIFOs where data, lock or owner files belong refused (and whatever they
point at left alone), a data dir others can write in, and reading where a lock cannot be made.

The same through the real command, and a read-only mount, are in tests/e2e/test_hostile_files.py.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from tui.domain.sessions import Session
from tui.storage import files
from tui.storage.active import ActiveSessionStore
from tui.storage.datadir import DataDir
from tui.storage.files import (
    CorruptDataFile,
    DataFileError,
    UnsafeDataFile,
    ensure_dir,
    open_lock_file,
    read_all,
    transaction,
)
from tui.storage.store import Store


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def lax_umask():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """Someone else's file, outside the data dir, that a planted link points at."""
    path = tmp_path / "elsewhere" / "victim.txt"
    path.parent.mkdir()
    path.write_text("not yours\n")
    path.chmod(0o644)
    return path


def untouched(victim: Path) -> bool:
    return mode(victim) == 0o644 and victim.read_text() == "not yours\n"


# --- folders ------------------------------------------------------------------------------


def test_every_folder_made_is_0700_parents_included_whatever_the_umask(tmp_path: Path, lax_umask: None) -> None:
    existing = tmp_path / "home"
    existing.mkdir(mode=0o755)
    os.chmod(existing, 0o755)
    target = existing / "a" / "b" / "backrelief"
    ensure_dir(target)
    assert [mode(p) for p in (existing / "a", existing / "a" / "b", target)] == [0o700] * 3
    assert mode(existing) == 0o755  # a parent that was there already is not ours to change


def test_a_fresh_nested_data_dir_under_umask_000_is_private_throughout(tmp_path: Path, lax_umask: None) -> None:
    root = tmp_path / "x" / "y" / "data"
    store = Store.open(root)
    store.settings.change(bell=False)
    store.journal.add(_session())
    folders = [tmp_path / "x", tmp_path / "x" / "y", *[p for p in root.rglob("*") if p.is_dir()], root]
    assert {mode(p) for p in folders} == {0o700}
    made = [p for p in root.rglob("*") if p.is_file()]
    assert len(made) >= 4 and {mode(p) for p in made} == {0o600}


def test_an_existing_folder_loses_group_and_other_bits_only(tmp_path: Path) -> None:
    for before, after in ((0o777, 0o700), (0o755, 0o700), (0o500, 0o500), (0o700, 0o700)):
        folder = tmp_path / f"f{before:o}"
        folder.mkdir()
        folder.chmod(before)
        ensure_dir(folder)
        assert mode(folder) == after, oct(before)
        folder.chmod(0o700)


# --- loose files are tightened ------------------------------------------------------------------


def test_a_loose_data_file_is_tightened_by_a_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"settings": {"1": {"bell": false}}}')
    path.chmod(0o644)
    lock = Path(f"{path}.lock")
    lock.touch()
    lock.chmod(0o666)
    assert read_all(path) == {"settings": {"1": {"bell": False}}}
    assert (mode(path), mode(lock)) == (0o600, 0o600)


def test_a_lock_file_with_another_name_for_it_is_not_chmodded(tmp_path: Path) -> None:
    mine = tmp_path / "mine.txt"
    mine.write_text("x")
    mine.chmod(0o644)
    os.link(mine, tmp_path / "data.json.lock")  # the lock is one more name for another file
    read_all(tmp_path / "data.json")
    assert mode(mine) == 0o644


# --- links and FIFOs where our files belong ---------------------------------------------------


@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_a_symlinked_lock_file_is_refused_and_its_target_left_alone(tmp_path: Path, victim: Path, write: bool) -> None:
    path = tmp_path / "settings.json"
    Path(f"{path}.lock").symlink_to(victim)
    with pytest.raises(UnsafeDataFile) as caught:
        with transaction(path, write=write) as db:
            db.table("settings").insert({"bell": True})
    message = str(caught.value)
    assert f"{path}.lock is a symbolic link" in message and "remove it" in message and "\n" not in message
    assert untouched(victim) and not path.exists()


def test_a_dangling_lock_link_does_not_create_its_target(tmp_path: Path) -> None:
    target = tmp_path / "planted-here"
    Path(tmp_path / "routines.json.lock").symlink_to(target)
    with pytest.raises(UnsafeDataFile):
        read_all(tmp_path / "routines.json")
    assert not target.exists()


@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_a_symlinked_data_file_is_refused_not_followed(tmp_path: Path, victim: Path, write: bool) -> None:
    victim.write_text('{"sessions": {}}')
    victim.chmod(0o644)
    path = tmp_path / "2026-01.json"
    path.symlink_to(victim)
    with pytest.raises(UnsafeDataFile) as caught:
        with transaction(path, write=write) as db:
            db.table("sessions").insert({"id": "x"})
    assert f"{path} is a symbolic link" in str(caught.value) and "put the file itself there" in str(caught.value)
    assert path.is_symlink() and victim.read_text() == '{"sessions": {}}' and mode(victim) == 0o644


@pytest.mark.parametrize("where", ["data", "lock"])
def test_a_fifo_where_a_file_belongs_is_refused_without_waiting(tmp_path: Path, where: str) -> None:
    path = tmp_path / "routines.json"
    os.mkfifo(path if where == "data" else Path(f"{path}.lock"))
    with pytest.raises(UnsafeDataFile) as caught:
        read_all(path)  # opening a FIFO for reading would wait for a writer forever
    assert "a FIFO (named pipe)" in str(caught.value)


def test_open_lock_file_refuses_a_directory(tmp_path: Path) -> None:
    (tmp_path / "x.lock").mkdir()
    with pytest.raises(OSError) as caught:
        open_lock_file(tmp_path / "x.lock")
    assert caught.value.errno == errno.EISDIR


def test_a_planted_owner_link_is_reported_and_the_rest_still_listed(tmp_path: Path, victim: Path) -> None:
    store = Store.open(tmp_path / "data")
    active = store.data_dir.active
    (active / "planted.json").write_text(json.dumps({"session": {}}))
    (active / "planted.owner").symlink_to(victim)
    sessions = ActiveSessionStore(store.data_dir, store.library.exercises)
    assert sessions.interrupted() == []
    [problem] = sessions.problems.take()
    assert f"{active / 'planted.owner'} is a symbolic link" in problem
    assert untouched(victim)


# --- a data dir others can write in -------------------------------------------------------


@pytest.mark.parametrize("folder_mode, shared", [(0o777, True), (0o770, True), (0o1777, True), (0o755, False),
                                                 (0o750, False), (0o700, False)])
def test_a_data_dir_others_can_write_in_is_named_and_refused_for_saving(tmp_path: Path, folder_mode: int,
                                                                       shared: bool) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"photo")  # not ours: it keeps its mode
    folder.chmod(folder_mode)
    data_dir = DataDir(folder).create()
    assert stat.S_IMODE(folder.stat().st_mode) == folder_mode
    warning, refusal = data_dir.warning(), data_dir.write_problem()
    if not shared:
        assert (warning, refusal) == (None, None)
        return
    shown = f"mode {folder_mode:04o}"
    assert f"data folder {folder} can be written by other users ({shown})" in warning
    assert "chmod 700" in warning and "--allow-shared-dir" in warning and "BACKRELIEF_ALLOW_SHARED_DIR=1" in warning
    assert "will not save your journal there" in refusal and "--allow-shared-dir" in refusal
    assert (data_dir.warning(allow_shared=True), data_dir.write_problem(allow_shared=True)) == (None, None)


def test_a_data_dir_of_ours_left_open_is_tightened_instead_of_warned_about(tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    DataDir(folder).create()
    folder.chmod(0o777)
    data_dir = DataDir(folder).create()
    assert mode(folder) == 0o700 and data_dir.warning() is None and data_dir.write_problem() is None


# --- where a lock cannot be made -----------------------------------------------------------


@pytest.fixture
def no_new_locks(monkeypatch):
    """Lock files cannot be created, as on a read-only mount (root would write through chmod)."""
    real = files.open_lock_file

    def open_existing(path: Path) -> int:
        if not os.path.lexists(path):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real(path)

    monkeypatch.setattr(files, "open_lock_file", open_existing)


def test_a_read_goes_on_without_a_lock_it_cannot_create(tmp_path: Path, no_new_locks: None) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"settings": {"1": {"bell": false}}}')
    assert read_all(path) == {"settings": {"1": {"bell": False}}}
    assert not Path(f"{path}.lock").exists()
    with pytest.raises(DataFileError) as caught:
        with transaction(path) as db:
            db.table("settings").insert({"bell": True})
    assert str(caught.value) == f"Cannot lock data file {path}: Read-only file system"
    assert read_all(tmp_path / "missing" / "x.json") == {}  # a missing folder reads as empty, and is not made
    assert not (tmp_path / "missing").exists()


def test_a_damaged_file_read_without_a_lock_is_left_in_place(tmp_path: Path, no_new_locks: None) -> None:
    path = tmp_path / "routines.json"
    path.write_bytes(b"{not json")
    with pytest.raises(CorruptDataFile) as caught:
        read_all(path)
    assert caught.value.backup == path and "left in place" in str(caught.value)
    assert path.read_bytes() == b"{not json"


def _session() -> Session:
    from datetime import datetime, timezone

    started = datetime(2026, 1, 2, 8, 0, tzinfo=timezone.utc)
    return Session(id="s1", routine_id="r", routine_name="R", started_at=started, ended_at=started,
                   status="logged", holds_planned=0)


def test_opening_a_data_dir_and_checking_it_tightens_every_file_of_ours_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "home"
    store = Store.open(folder)
    store.settings.change(bell=False)
    store.journal.add(_session())
    (folder / "journal" / "2026-01.json.corrupt-20260101T000000Z").write_text("{")
    (folder / "holiday.jpg").write_bytes(b"photo")  # the user's, in a folder they share with us
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o644)
    (folder / "journal").chmod(0o755)
    DataDir(folder).create()
    journal = folder / "journal"
    # Opening makes the journal folder private at once, so no other user reaches the files in it...
    assert mode(journal) == 0o700
    outside = [p for p in folder.rglob("*") if p.is_file() and p.name != "holiday.jpg" and p.parent != journal]
    assert len(outside) >= 2 and {mode(p) for p in outside} == {0o600}
    # ... and the journal check, which looks at every month at start-up anyway, makes those files 0600 too.
    assert Store.open(folder).check() == []
    ours = [p for p in folder.rglob("*") if p.is_file() and p.name != "holiday.jpg"]
    assert len(ours) >= 7 and {mode(p) for p in ours} == {0o600}
    assert mode(folder / "holiday.jpg") == 0o644
