"""Unit tests of tui.storage.files: the TinyDB API through transactions, damaged files,
permissions, migrations. Multi-process behaviour is in tests/e2e/test_storage_processes.py."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import warnings
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `tui` is not installed in the test venv: import this checkout
    sys.path.insert(0, str(ROOT))

from tui.storage import files  # noqa: E402
from tui.storage.files import (  # noqa: E402
    SCHEMA_VERSION,
    CorruptDataFile,
    DataFileError,
    NewerDataFile,
    ensure_dir,
    read_all,
    transaction,
)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "journal.json"


def mode(p: Path) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


def on_disk(p: Path) -> dict:
    return json.loads(p.read_text())


def siblings(p: Path) -> list[str]:
    return sorted(child.name for child in p.parent.iterdir())


# --- the TinyDB API through a transaction ---------------------------------------------


def test_table_api_round_trip(path: Path) -> None:
    with transaction(path) as db:
        sessions = db.table("sessions")
        assert sessions.insert({"id": "a", "pain": 5}) == 1
        assert sessions.insert({"id": "b", "pain": 3}) == 2
        db.table("settings").upsert({"bell": True}, lambda doc: True)
    with transaction(path) as db:
        sessions = db.table("sessions")
        assert sessions.insert({"id": "c", "pain": 1}) == 3  # a fresh db: ids continue
        assert sessions.get(doc_id=2) == {"id": "b", "pain": 3}
        assert [doc["id"] for doc in sessions.search(lambda doc: doc["pain"] < 5)] == ["b", "c"]
        sessions.remove(doc_ids=[1])
        sessions.upsert({"id": "b", "pain": 2}, lambda doc: doc["id"] == "b")
        assert db.tables() == {"sessions", "settings"}  # "_meta" is not a table
    with transaction(path, write=False) as db:
        assert db.table("sessions").all() == [{"id": "b", "pain": 2}, {"id": "c", "pain": 1}]
        assert db.table("settings").all() == [{"bell": True}]
    assert on_disk(path) == {
        "_meta": {"schema": SCHEMA_VERSION},
        "sessions": {"2": {"id": "b", "pain": 2}, "3": {"id": "c", "pain": 1}},
        "settings": {"1": {"bell": True}},
    }


def test_read_all_returns_raw_tables_without_meta(path: Path) -> None:
    with transaction(path) as db:
        db.table("routines").insert({"name": "Morning"})
    assert read_all(path) == {"routines": {"1": {"name": "Morning"}}}
    assert read_all(path.with_name("missing.json")) == {}


def test_missing_file_is_an_empty_db_created_only_when_written(path: Path) -> None:
    with transaction(path) as db:
        assert db.tables() == set() and db.table("x").all() == []
    with transaction(path, write=False) as db:
        assert db.table("x").all() == []
    assert not path.exists()
    with transaction(path) as db:
        db.table("x").insert({"a": 1})
    assert on_disk(path)["x"] == {"1": {"a": 1}}


def test_empty_zero_byte_file_is_an_empty_db(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    assert read_all(path) == {}
    with transaction(path) as db:
        assert db.table("x").all() == []
        db.table("x").insert({"a": 1})
    assert on_disk(path)["x"] == {"1": {"a": 1}}
    assert siblings(path) == ["journal.json", "journal.json.lock"]  # nothing moved aside


def test_a_failed_block_writes_nothing(path: Path) -> None:
    with pytest.raises(ZeroDivisionError):
        with transaction(path) as db:
            db.table("x").insert({"a": 1})
            1 / 0
    assert not path.exists()
    with transaction(path) as db:
        db.table("x").insert({"a": 1})
    before = path.read_bytes()
    with pytest.raises(KeyboardInterrupt):
        with transaction(path) as db:
            db.table("x").insert({"a": 2})
            db.table("x").remove(doc_ids=[1])
            raise KeyboardInterrupt
    assert path.read_bytes() == before


def test_a_document_that_cannot_be_saved_fails_inside_the_block(path: Path) -> None:
    with pytest.raises(TypeError):
        with transaction(path) as db:
            db.table("x").insert({"a": object()})
    assert not path.exists()


def test_read_only_transaction_refuses_writes(path: Path) -> None:
    with transaction(path) as db:
        db.table("x").insert({"a": 1})
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="read-only"):
        with transaction(path, write=False) as db:
            db.table("x").insert({"a": 2})
    assert path.read_bytes() == before


def test_db_cannot_be_used_after_the_block(path: Path) -> None:
    with transaction(path) as db:
        table = db.table("x")
    with pytest.raises(RuntimeError, match="over"):
        table.insert({"a": 1})
    assert not path.exists()


def test_meta_is_a_reserved_table_name(path: Path) -> None:
    with pytest.raises(ValueError, match="reserved"):
        with transaction(path) as db:
            db.table("_meta").insert({"schema": 99})
    assert not path.exists()


def test_nested_transaction_on_one_path_raises_instead_of_deadlocking(path: Path) -> None:
    with transaction(path):
        with pytest.raises(RuntimeError, match="deadlock"):
            with transaction(path, write=False):
                pass
        with transaction(path.with_name("other.json")):  # other files are fine
            pass


def test_save_is_atomic_and_cleans_temp_files_left_by_a_killed_writer(path: Path) -> None:
    with transaction(path) as db:
        db.table("x").insert({"a": 1})
    stale = path.with_name(".journal.json.tmp-deadbeef")
    stale.write_text('{"half": ')
    with transaction(path) as db:
        db.table("x").insert({"a": 2})
    assert siblings(path) == ["journal.json", "journal.json.lock"]
    assert len(on_disk(path)["x"]) == 2


def test_save_failure_is_a_one_line_data_file_error(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "write", full)
    with pytest.raises(DataFileError) as caught:
        with transaction(path) as db:
            db.table("x").insert({"a": 1})
    assert str(caught.value) == f"Could not save data file {path}: No space left on device"
    assert siblings(path) == ["journal.json.lock"]  # no temp file left behind


def test_storage_never_imports_textual() -> None:
    code = "import sys, tui.storage.files; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


# --- permissions --------------------------------------------------------------------


@pytest.fixture
def lax_umask():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_dir_0700_and_files_0600_even_with_umask_000(path: Path, lax_umask: None) -> None:
    with transaction(path) as db:
        db.table("x").insert({"a": 1})
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600
    assert mode(Path(f"{path}.lock")) == 0o600


def test_existing_lax_lock_and_file_are_tightened_and_the_folder_left_to_its_owner(path: Path, lax_umask: None) -> None:
    path.parent.mkdir(mode=0o755)
    os.chmod(path.parent, 0o755)
    path.write_text('{"x": {"1": {"a": 1}}}')
    os.chmod(path, 0o644)
    lock = Path(f"{path}.lock")
    lock.touch(mode=0o666)
    with transaction(path) as db:
        db.table("x").insert({"a": 2})
    assert (mode(path.parent), mode(path), mode(lock)) == (0o755, 0o600, 0o600)  # the folder: see DataDir


def test_ensure_dir(tmp_path: Path, lax_umask: None) -> None:
    target = tmp_path / "a" / "b"
    assert ensure_dir(target) == target
    assert mode(target) == 0o700
    os.chmod(target, 0o755)
    ensure_dir(target)
    assert mode(target) == 0o700
    os.chmod(target, 0o755)
    ensure_dir(target, tighten=False)
    assert mode(target) == 0o755
    (tmp_path / "file").write_text("x")
    with pytest.raises(FileExistsError):
        ensure_dir(tmp_path / "file")


def test_a_data_dir_is_made_private_but_a_folder_holding_other_things_keeps_its_mode(tmp_path: Path,
                                                                                    lax_umask: None) -> None:
    from tui.storage.datadir import DataDir
    from tui.storage.settings import SettingsRepository

    fresh = DataDir(tmp_path / "new" / "backrelief").create()
    assert mode(fresh.root) == 0o700
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o755)
    ours = tmp_path / "ours"
    ours.mkdir(mode=0o755)
    (ours / "settings.json").write_text("{}")
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    (shared / "holiday.jpg").write_bytes(b"photo")
    for folder in (empty, ours, shared):
        os.chmod(folder, 0o755)
        for _ in range(2):  # and again on the next start, with our files in it by then
            data_dir = DataDir(folder).create()
            SettingsRepository(data_dir).change(bell=False)  # a write into the folder itself
            assert mode(data_dir.settings) == 0o600
            assert (mode(data_dir.journal), mode(data_dir.active)) == (0o700, 0o700)
    assert (mode(empty), mode(ours), mode(shared)) == (0o700, 0o700, 0o755)
    os.chmod(ours, 0o755)  # an existing data dir of ours, with locks and a moved-aside copy, is tightened
    (ours / "settings.json.corrupt-20260101T000000Z").write_text("x")
    DataDir(ours).create()
    assert mode(ours) == 0o700


# --- damaged files ------------------------------------------------------------------

DAMAGED = {
    "truncated": (b'{"_meta": {"schema": 1}, "x": {"1": {"a": 1', "not valid JSON"),
    "not json": (b"hello, this is not json\n", "not valid JSON"),
    "binary": (b"\xff\xfe\x00garbage", "not UTF-8"),
    "list at top": (b"[1, 2, 3]", "top level is a list"),
    "table not an object": (b'{"x": [1, 2]}', "table 'x' is a list"),
    "document not an object": (b'{"x": {"1": "text"}}', "document 1 in table 'x' is a string"),
    "document id not a number": (b'{"x": {"one": {}}}', "document id 'one'"),
    "schema not a number": (b'{"_meta": {"schema": "1"}, "x": {}}', "no valid schema version"),
    "schema zero": (b'{"_meta": {"schema": 0}}', "no valid schema version"),
    "meta not an object": (b'{"_meta": 1}', "no valid schema version"),
}


@pytest.mark.parametrize("write", [True, False], ids=["write", "read"])
@pytest.mark.parametrize("name", list(DAMAGED))
def test_damaged_file_is_moved_aside_and_started_afresh(path: Path, name: str, write: bool) -> None:
    content, reason = DAMAGED[name]
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.raises(CorruptDataFile) as caught:
        with transaction(path, write=write):
            pytest.fail("the block must not run on a damaged file")
    error = caught.value
    message = str(error)
    assert "\n" not in message
    assert str(path) in message and reason in message and reason in error.reason
    assert str(error.backup) in message and "afresh" in message
    assert error.path == path and error.backup != path
    assert error.backup.parent == path.parent and error.backup.name.startswith("journal.json.corrupt-")
    assert error.backup.read_bytes() == content
    assert not path.exists()
    with transaction(path) as db:  # starts afresh
        assert db.tables() == set()
        db.table("x").insert({"a": 1})
    assert read_all(path) == {"x": {"1": {"a": 1}}}
    assert error.backup.read_bytes() == content  # the backup is never overwritten


def test_read_all_moves_a_damaged_file_aside_too(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"{")
    with pytest.raises(CorruptDataFile) as caught:
        read_all(path)
    assert caught.value.backup.read_bytes() == b"{"
    assert read_all(path) == {}


def test_two_backups_in_the_same_second_do_not_collide(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206
            return datetime(2026, 11, 25, 15, 30, tzinfo=timezone.utc)

    monkeypatch.setattr(files, "datetime", Frozen)
    path.parent.mkdir(parents=True)
    backups = []
    for content in (b"first", b"second", b"third"):
        path.write_bytes(content)
        with pytest.raises(CorruptDataFile) as caught:
            read_all(path)
        backups.append(caught.value.backup)
    assert [b.name for b in backups] == [
        "journal.json.corrupt-20261125T153000Z",
        "journal.json.corrupt-20261125T153000Z-2",
        "journal.json.corrupt-20261125T153000Z-3",
    ]
    assert [b.read_bytes() for b in backups] == [b"first", b"second", b"third"]


def test_directory_in_the_files_place_is_left_alone(path: Path) -> None:
    path.mkdir(parents=True)
    (path / "keep.txt").write_text("mine")
    for write in (True, False):
        with pytest.raises(CorruptDataFile) as caught:
            with transaction(path, write=write):
                pass
        message = str(caught.value)
        assert caught.value.backup == path
        assert "\n" not in message and str(path) in message
        assert "is a directory" in message and "left in place" in message
    assert (path / "keep.txt").read_text() == "mine"


def test_file_that_cannot_be_moved_is_left_in_place(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not json")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.os, "rename", refuse)
    for _ in range(2):  # and it stays refused: never overwritten by a fresh start
        with pytest.raises(CorruptDataFile) as caught:
            with transaction(path):
                pass
        assert caught.value.backup == path
        assert "moving it failed: Permission denied" in str(caught.value)
        assert "left in place" in str(caught.value)
    assert path.read_bytes() == b"not json"
    assert siblings(path) == ["journal.json", "journal.json.lock"]


def test_unreadable_file_simulated(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads anything, so the permission error is simulated where the file is read."""
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"x": {}}')

    def denied(p: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", str(p))

    monkeypatch.setattr(files, "_read_bytes", denied)
    with pytest.raises(CorruptDataFile) as caught:
        read_all(path)
    assert "cannot read it: Permission denied" in str(caught.value)
    assert str(path) in str(caught.value)
    assert caught.value.backup.read_bytes() == b'{"x": {}}'


def can_read_mode_000(directory: Path) -> bool:
    """True as root (CAP_DAC_OVERRIDE): then chmod 000 proves nothing in this process."""
    probe = directory / "probe"
    probe.write_bytes(b"x")
    probe.chmod(0)
    try:
        probe.read_bytes()
        return True
    except PermissionError:
        return False
    finally:
        probe.unlink()


def unprivileged_user() -> tuple[int, int]:
    """The uid and gid of `nobody`, a user without root's power to read any file."""
    try:
        import pwd

        nobody = pwd.getpwnam("nobody")
        return nobody.pw_uid, nobody.pw_gid
    except (ImportError, KeyError):
        return 65534, 65534


def read_all_as(user: tuple[int, int], directory: Path, name: str) -> dict:
    """`read_all(name)` run in a forked child that works in `directory` as `user`, not root.

    The child changes into `directory` before it gives up root, so the folders above
    it (root's own, mode 0700) need not be open to that user. What `read_all`
    returned or raised comes back through a pipe, as JSON.
    """
    uid, gid = user
    reader, writer = os.pipe()
    with warnings.catch_warnings():  # the child runs only the code below, then ends
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        status = 0
        try:
            os.close(reader)
            os.chdir(directory)
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            try:
                outcome: dict = {"returned": read_all(Path(name))}
            except CorruptDataFile as error:
                outcome = {"message": str(error), "backup": str(error.backup)}
            os.write(writer, json.dumps(outcome).encode())
        except BaseException as error:  # noqa: BLE001 - reported to the parent, never raised into pytest
            os.write(writer, json.dumps({"could_not": repr(error)}).encode())
            status = 1
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(answer)


def test_unreadable_file_for_real(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"x": {}}')
    os.chmod(path, 0)
    if not can_read_mode_000(path.parent):
        with pytest.raises(CorruptDataFile) as caught:
            read_all(path)
        message, backup, named = str(caught.value), caught.value.backup, str(path)
    elif os.geteuid() == 0:
        # Root reads a mode-000 file anyway: the read is made by a child that is no longer root.
        user = unprivileged_user()
        os.chown(path.parent, *user)  # the child locks the file and moves it aside here
        os.chown(path, *user)
        outcome = read_all_as(user, path.parent, path.name)
        if "could_not" in outcome:
            pytest.skip(f"cannot become an unprivileged user here to read as one ({outcome['could_not']})")
        assert "returned" not in outcome, f"an unprivileged user read a mode-000 file: {outcome}"
        message, backup, named = outcome["message"], path.parent / outcome["backup"], path.name  # as the child named it
    else:
        pytest.skip("this user reads mode-000 files (CAP_DAC_OVERRIDE) and is not root, so cannot drop that")
    assert "Permission denied" in message and named in message
    assert not path.exists()  # moved aside, byte for byte
    os.chmod(backup, 0o600)
    assert backup.read_bytes() == b'{"x": {}}'


# --- schema versions ------------------------------------------------------------------


@pytest.mark.parametrize("write", [True, False], ids=["write", "read"])
def test_newer_file_is_refused_and_never_touched(path: Path, write: bool) -> None:
    path.parent.mkdir(parents=True)
    content = json.dumps({"_meta": {"schema": SCHEMA_VERSION + 1}, "x": "whatever shape v2 uses"}).encode()
    path.write_bytes(content)
    for _ in range(2):
        with pytest.raises(NewerDataFile) as caught:
            with transaction(path, write=write):
                pass
        assert caught.value.path == path and caught.value.version == SCHEMA_VERSION + 1
        assert str(path) in str(caught.value) and "newer" in str(caught.value)
    with pytest.raises(NewerDataFile):
        read_all(path)
    assert path.read_bytes() == content
    assert siblings(path) == ["journal.json", "journal.json.lock"]


def test_file_without_meta_is_schema_1(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('{"_default": {"1": {"a": 1}}}')  # as stock TinyDB writes it
    with transaction(path) as db:
        assert db.all() == [{"a": 1}]
        db.insert({"a": 2})
    assert on_disk(path) == {"_meta": {"schema": 1}, "_default": {"1": {"a": 1}, "2": {"a": 2}}}


def test_migration_path(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with transaction(path) as db:
        db.table("sessions").insert({"pain": 5})
    v1 = path.read_bytes()

    def rename_pain(raw: dict) -> dict:
        for doc in raw["sessions"].values():
            doc["pain_before"] = doc.pop("pain")
        return raw

    def add_notes(raw: dict) -> dict:
        for doc in raw["sessions"].values():
            doc.setdefault("note", "")
        return raw

    monkeypatch.setattr(files, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(files, "MIGRATIONS", {1: rename_pain, 2: add_notes})

    # Reading migrates in memory only.
    assert read_all(path) == {"sessions": {"1": {"pain_before": 5, "note": ""}}}
    with transaction(path, write=False) as db:
        assert db.table("sessions").all() == [{"pain_before": 5, "note": ""}]
        assert db.tables() == {"sessions"}
    assert path.read_bytes() == v1

    # A failed write block leaves the old version alone too.
    with pytest.raises(ZeroDivisionError):
        with transaction(path) as db:
            1 / 0
    assert path.read_bytes() == v1

    # The first successful write transaction saves the upgrade and keeps the old bytes.
    with transaction(path) as db:
        assert db.table("sessions").get(doc_id=1) == {"pain_before": 5, "note": ""}
    assert on_disk(path) == {"_meta": {"schema": 3}, "sessions": {"1": {"pain_before": 5, "note": ""}}}
    assert path.with_name("journal.json.schema-1").read_bytes() == v1
    assert mode(path.with_name("journal.json.schema-1")) == 0o600

    # A file already at the new version is not migrated again.
    monkeypatch.setattr(files, "MIGRATIONS", {})
    with transaction(path) as db:
        db.table("sessions").insert({"pain_before": 1, "note": "x"})
    assert len(read_all(path)["sessions"]) == 2


def test_missing_migration_is_an_error_and_leaves_the_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with transaction(path) as db:
        db.table("x").insert({"a": 1})
    before = path.read_bytes()
    monkeypatch.setattr(files, "SCHEMA_VERSION", 2)
    with pytest.raises(DataFileError, match="no way to upgrade it from schema 1"):
        with transaction(path):
            pass
    assert path.read_bytes() == before
