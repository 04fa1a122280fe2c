"""Crash-safe, multi-process TinyDB files: the one place the app touches its data files.

TinyDB's stock `JSONStorage` rewrites a file in place (a kill mid-write leaves it
broken) and every `Table` caches its next document id (two processes on one file
overwrite each other's documents). Here every access is a `transaction()`: an
`flock` on a sibling lock file for the whole block, a fresh `TinyDB` over an
in-memory copy of the file, and one atomic replace of the file when the block
ends without an exception.

On disk a file is a TinyDB document plus a reserved `_meta` key::

    {"_meta": {"schema": 1}, "sessions": {"1": {...}, "2": {...}}}

A file without `_meta` is read as schema 1 (a plain TinyDB file). No Textual here.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import threading
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from tui.domain.problems import UnusableNumber, parse_json

if TYPE_CHECKING:
    from tinydb import TinyDB
    from tinydb.queries import QueryInstance
    from tinydb.table import Document

SCHEMA_VERSION: int = 1
"""The schema version this code writes."""

MIGRATIONS: dict[int, Callable[[dict], dict]] = {}
"""from_version -> function upgrading the raw file dict (with `_meta`) to from_version + 1."""

META_KEY = "_meta"
"""Reserved top-level key holding {"schema": N}; never visible as a table."""

_DOC_ID = re.compile(r"[0-9]{1,18}")  # TinyDB turns ids into ints: thousands of digits would fail there
_held = threading.local()  # paths this thread holds a transaction on (nesting would deadlock)


class DataFileError(Exception):
    """A data file cannot be used; `str()` is one line naming the file and the problem."""


class CorruptDataFile(DataFileError):
    """A data file could not be read; it was moved aside to `backup` (or left in place if `backup == path`)."""

    def __init__(self, path: Path, backup: Path, reason: str) -> None:
        self.path = path
        """The data file that could not be read."""
        self.backup = backup
        """Where the bad file now is; equal to `path` when it could not be moved."""
        self.reason = reason
        """What is wrong with it, in a few words."""
        if backup != path:
            tail = f"it was moved aside to {backup}; backrelief will start this file afresh"
        else:
            tail = "it was left in place, not moved aside: move or repair it"
        super().__init__(_one_line(f"Data file {path} is unreadable ({reason}); {tail}."))


class NewerDataFile(DataFileError):
    """A data file was written by a newer backrelief; it is refused and left untouched."""

    def __init__(self, path: Path, version: int) -> None:
        self.path = path
        """The data file."""
        self.version = version
        """The schema version found in it."""
        super().__init__(_one_line(
            f"Data file {path} was written by a newer backrelief (schema {version}, "
            f"this one reads up to {SCHEMA_VERSION}); it was left untouched: upgrade backrelief."
        ))


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def ensure_dir(path: Path, tighten: bool = True) -> Path:
    """Create `path` (and parents) 0700 if missing; an existing dir is made 0700 too, unless not `tighten`."""
    path = Path(path)
    try:
        path.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        if not path.is_dir():
            raise
        if tighten:
            os.chmod(path, 0o700)  # an existing dir may be 0755
    else:
        os.chmod(path, 0o700)  # mkdir's mode is masked by the umask
    return path


@contextmanager
def transaction(path: Path, write: bool = True) -> Iterator[TinyDB]:
    """Lock `path`, yield a fresh TinyDB over its contents, save atomically if the block succeeds.

    `write=True` holds an exclusive lock; the new state is written once, at the end,
    only if the block wrote something and raised nothing. `write=False` holds a shared
    lock and any write raises `RuntimeError` (a bug, not a file problem). Raises
    `CorruptDataFile`/`NewerDataFile` on entry. Do not nest transactions on the same
    path in one thread (the second lock would wait forever): that raises `RuntimeError`.
    The db must not be used after the block.
    """
    from tinydb import TinyDB  # loaded by the first write: reading the files needs only json

    path = Path(path)
    with _locked(path, exclusive=write) as lock_fd:
        tables, migrated_from, original = _load(path, lock_fd, exclusive=write)
        db = TinyDB(tables, writable=write, storage=_BufferedStorage)
        storage: _BufferedStorage = db.storage  # type: ignore[assignment]
        storage.dirty = migrated_from is not None  # an upgraded file is saved with the next write
        try:
            yield db
            if write and storage.dirty:
                if migrated_from is not None:
                    _keep_premigration_copy(path, original, migrated_from)
                state = {META_KEY: {"schema": SCHEMA_VERSION}, **storage.read()}
                _write_atomic(path, _json_bytes(path, state))
        finally:
            db.close()


def _json_bytes(path: Path, state: dict) -> bytes:
    """The file's new content; never NaN or an infinity, which the next read would refuse as damage."""
    try:
        return json.dumps(state, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except ValueError:
        raise DataFileError(_one_line(f"Data file {path} was not saved: it would hold a number that is not finite")) from None


def read_all(path: Path) -> dict[str, dict[str, dict]]:
    """Under a shared lock, the raw tables `{table: {doc_id: doc}}` (migrated in memory only)."""
    path = Path(path)
    with _locked(path, exclusive=False) as lock_fd:
        return _load(path, lock_fd, exclusive=False)[0]


def document(fields: dict[str, Any], doc_id: int) -> Document:
    """A document with a fixed id, for a transaction's `upsert`."""
    from tinydb.table import Document

    return Document(fields, doc_id=doc_id)


def where_id(value: str) -> QueryInstance:
    """The query matching documents whose `id` field is `value`."""
    from tinydb import Query

    return Query().id == value


class _BufferedStorage:
    """TinyDB storage over a dict loaded once; writes stay in memory until `transaction()` saves.

    TinyDB asks a storage only for `read`, `write` and `close`.
    """

    def __init__(self, tables: dict[str, Any], writable: bool) -> None:
        # Kept as JSON text: every read hands TinyDB a private copy (it mutates what
        # it reads), and a document that cannot be saved fails inside the block.
        self._text: str | None = json.dumps(tables)
        self._writable = writable
        self.dirty = False

    def read(self) -> dict[str, Any]:
        if self._text is None:
            raise RuntimeError("this data file transaction is over; open a new one")
        return json.loads(self._text)

    def write(self, data: dict[str, Any]) -> None:
        if not self._writable:
            raise RuntimeError("this data file transaction is read-only (write=False)")
        if self._text is None:
            raise RuntimeError("this data file transaction is over; open a new one")
        if META_KEY in data:
            raise ValueError(f"{META_KEY!r} is reserved and cannot be used as a table name")
        self._text = json.dumps(data)
        self.dirty = True

    def close(self) -> None:
        self._text = None  # use after the block would be silently lost: make it fail instead


@contextmanager
def _locked(path: Path, exclusive: bool) -> Iterator[int]:
    """Hold an flock on `{path}.lock` for the block (lock files are never removed: that races)."""
    held = _held.__dict__.setdefault("paths", set())
    key = os.path.abspath(path)
    if key in held:
        raise RuntimeError(f"nested transaction on {path} would deadlock")
    try:
        ensure_dir(path.parent, tighten=False)  # whose folder it is, and so its mode, is DataDir's call
    except OSError as exc:
        raise DataFileError(_one_line(f"Cannot use data folder {path.parent}: {exc.strerror or exc}")) from exc
    try:
        fd = os.open(f"{path}.lock", os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise DataFileError(_one_line(f"Cannot lock data file {path}: {exc.strerror or exc}")) from exc
    try:
        if os.fstat(fd).st_mode & 0o777 != 0o600:
            with suppress(PermissionError):  # another user's lock file still locks
                os.fchmod(fd, 0o600)  # made under a lax umask, or by hand
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        held.add(key)
        try:
            yield fd
        finally:
            held.discard(key)
    finally:
        os.close(fd)  # also releases the flock


def _load(path: Path, lock_fd: int, exclusive: bool) -> tuple[dict, int | None, bytes]:
    """Read, check and migrate the file: (tables, schema migrated from or None, original bytes)."""
    try:
        return _parse(path)
    except _Unreadable as exc:
        if exclusive:
            raise _move_aside(path, exc.reason) from None
    # Moving the file aside changes it: take the lock exclusively, then look again,
    # since another process may have dealt with it meanwhile.
    fcntl.flock(lock_fd, fcntl.LOCK_EX)
    try:
        return _parse(path)
    except _Unreadable as exc:
        raise _move_aside(path, exc.reason) from None
    finally:
        fcntl.flock(lock_fd, fcntl.LOCK_SH)


class _Unreadable(Exception):
    """Internal: the file is damaged; `reason` says how."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _parse(path: Path) -> tuple[dict, int | None, bytes]:
    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        return {}, None, b""
    except IsADirectoryError:
        raise _Unreadable("it is a directory, not a file") from None
    except OSError as exc:
        raise _Unreadable(f"cannot read it: {exc.strerror or exc}") from None
    if not data:
        return {}, None, data  # 0 bytes: never written yet, not damage
    try:
        raw = parse_json(data.decode("utf-8"), strict=True)
    except UnicodeDecodeError:
        raise _Unreadable("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _Unreadable(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except UnusableNumber as exc:
        raise _Unreadable(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise _Unreadable("JSON nested too deeply") from None
    if not isinstance(raw, dict):
        raise _Unreadable(f"top level is {_kind(raw)}, not an object")
    version = _version(raw)
    if version > SCHEMA_VERSION:
        raise NewerDataFile(path, version)
    migrated_from = None
    if version < SCHEMA_VERSION:
        raw, migrated_from = _migrate(path, raw, version), version
    tables = {name: table for name, table in raw.items() if name != META_KEY}
    _check_tables(tables)
    return tables, migrated_from, data


def _read_bytes(path: Path) -> bytes:
    """The file's bytes (its own function so tests can simulate a read that fails)."""
    return path.read_bytes()


def _version(raw: dict) -> int:
    if META_KEY not in raw:
        return 1
    meta = raw[META_KEY]
    version = meta.get("schema") if isinstance(meta, dict) else None
    if type(version) is not int or not 1 <= version <= 1_000_000:
        raise _Unreadable(f'"{META_KEY}" has no valid schema version')
    return version


def _migrate(path: Path, raw: dict, version: int) -> dict:
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DataFileError(f"Data file {path}: no way to upgrade it from schema {version}")
        raw = step(raw)
        version += 1
        raw[META_KEY] = {"schema": version}  # so a migration need not bump it itself
    return raw


def _check_tables(tables: dict) -> None:
    """TinyDB would fail later, deep in a query, on any of these: fail now with a reason."""
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise _Unreadable(f"table {name!r} is {_kind(table)}, not an object")
        for doc_id, doc in table.items():
            if not _DOC_ID.fullmatch(doc_id):
                shown = repr(doc_id) if len(doc_id) <= 20 else f"{doc_id[:17]!r}... ({len(doc_id):,} characters)"
                raise _Unreadable(f"table {name!r} has a document id {shown} that is not a number")
            if not isinstance(doc, dict):
                raise _Unreadable(f"document {doc_id} in table {name!r} is {_kind(doc)}, not an object")


def _kind(value: Any) -> str:
    """How a JSON value that should have been an object reads in a message."""
    kinds = {list: "a list", str: "a string", type(None): "null", bool: "a boolean"}
    return kinds.get(type(value), "a number")


def _move_aside(path: Path, reason: str) -> CorruptDataFile:
    """Rename the bad file to `<name>.corrupt-<UTC time>[-N]`; never overwrite or delete it."""
    if path.is_dir() and not path.is_symlink():
        return CorruptDataFile(path, path, reason)  # maybe the user's things: leave it be
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    backup, counter = path.with_name(f"{path.name}.corrupt-{stamp}"), 1
    while os.path.lexists(backup):  # we hold the exclusive lock, so nobody races us here
        counter += 1
        backup = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    try:
        os.rename(path, backup)
        _fsync_dir(path.parent)
    except OSError as exc:
        return CorruptDataFile(path, path, f"{reason}; moving it failed: {exc.strerror or exc}")
    return CorruptDataFile(path, backup, reason)


def _keep_premigration_copy(path: Path, original: bytes, version: int) -> None:
    """Before an upgraded file replaces the old one, keep the old bytes as `<name>.schema-<v>`."""
    copy = path.with_name(f"{path.name}.schema-{version}")
    if not os.path.lexists(copy):
        _write_atomic(copy, original)


def _write_atomic(path: Path, text: bytes) -> None:
    """Temp file (0600) in the same dir, fsync, rename over `path`, fsync the dir."""
    for stale in path.parent.glob(f".{path.name}.tmp-*"):
        stale.unlink(missing_ok=True)  # left by a killed writer; we hold the exclusive lock
    tmp = path.with_name(f".{path.name}.tmp-{os.urandom(4).hex()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            os.fchmod(fd, 0o600)  # the umask could only have narrowed it, but be exact
            view = memoryview(text)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DataFileError(_one_line(f"Could not save data file {path}: {exc.strerror or exc}")) from exc


def _fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):  # some filesystems cannot fsync dirs
            raise
    finally:
        os.close(fd)
