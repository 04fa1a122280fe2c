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

Files that grow a document at a time (journal months) are kept in the line
layout (see lines.py): `lines=TABLE` writes them so, reads one whose last
append did not finish as it was before it, and `append_line` adds a document
without rewriting the rest.

Hostile folders: data, lock and owner files are opened without following a
symbolic link (one planted by another user could make the app read, or chmod,
a file of theirs choosing), and a file found looser than 0600 is tightened.
A read-only data folder (a backup mount) still reads: when a lock file cannot
be created there, a read goes ahead without it, since every write replaces a
file by rename or appends as lines.py says, and a reader sees one whole version
either way.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import stat
import threading
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from tui.domain.problems import UnusableNumber, ValidationError, parse_json
from tui.storage import lines as line_layout
from tui.storage.errors import StorageError

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


class DataFileError(StorageError):
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


class UnsafeDataFile(DataFileError):
    """A symbolic link, or something other than a regular file, where a data, lock or owner file belongs.

    It is refused and left untouched: following it could make the app read or
    change a file someone else chose.
    """

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        """The path that holds the wrong kind of thing."""
        if path.suffix in (".lock", ".owner"):
            fix = "remove it (backrelief makes a new one)"
        else:
            fix = "put the file itself there, or move it away to start afresh"
        super().__init__(_one_line(
            f"{path} is {what}, not a regular file; backrelief does not follow links or use other kinds "
            f"of file where its data belongs, and left it untouched: {fix}."
        ))


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def cannot_write(error: OSError) -> bool:
    """Whether `error` says the folder cannot be written (read-only file system, or no permission)."""
    return error.errno in (errno.EROFS, errno.EACCES, errno.EPERM)


def ensure_dir(path: Path, tighten: bool = True) -> Path:
    """Create `path` 0700 if missing, and every missing parent 0700 too, whatever the umask.

    An existing `path` loses any group and other permissions (0755 becomes 0700;
    0500 stays 0500), unless not `tighten`. Existing parents are never changed.
    """
    path = Path(path)
    missing = []
    probe = path
    while not probe.is_dir() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made by another process meanwhile
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
    if not missing and tighten:
        current = stat.S_IMODE(os.stat(path).st_mode)
        if current & 0o077:
            os.chmod(path, current & 0o700)  # an existing dir may be 0755
    return path


def open_lock_file(path: Path) -> int:
    """Open (creating it 0600) a lock or owner file, never through a symbolic link; its fd.

    One found looser than 0600 is tightened when it is ours. Raises UnsafeDataFile
    for a link or anything but a regular file, OSError when it cannot be opened.
    """
    try:
        # O_NONBLOCK: a FIFO planted here must not hang the open; it is refused below.
        fd = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeDataFile(Path(path), "a symbolic link") from None
        raise
    try:
        _check_regular(path, fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _check_regular(path: Path, fd: int) -> None:
    """Refuse what is not a plain file of its own; tighten it to 0600 if it is ours and looser."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeDataFile(Path(path), _kind_of_file(info.st_mode))
    if info.st_mode & 0o077 and info.st_uid == os.geteuid() and info.st_nlink == 1:
        with suppress(OSError):  # a read-only mount: it is read all the same
            os.fchmod(fd, 0o600)  # made under a lax umask, or by hand


def tighten_file(path: Path) -> None:
    """Make a regular file of ours 0600 if it is looser; a link, another kind of file, or a failure is left be."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return
    try:
        _check_regular(path, fd)
    except UnsafeDataFile:
        pass  # said when it is used
    finally:
        os.close(fd)


def _kind_of_file(mode: int) -> str:
    """How a file that is not a regular one reads in a message."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


@contextmanager
def transaction(path: Path, write: bool = True, check: Callable[[dict], object] | None = None,
                lines: str | None = None, saved: Callable[[os.stat_result], object] | None = None) -> Iterator[TinyDB]:
    """Lock `path`, yield a fresh TinyDB over its contents, save atomically if the block succeeds.

    `write=True` holds an exclusive lock; the new state is written once, at the end,
    only if the block wrote something and raised nothing. `write=False` holds a shared
    lock and any write raises `RuntimeError` (a bug, not a file problem). Raises
    `CorruptDataFile`/`NewerDataFile` on entry. Do not nest transactions on the same
    path in one thread (the second lock would wait forever): that raises `RuntimeError`.
    The db must not be used after the block. `check`: as for `read_all`. `lines`: the
    file is kept in the line layout with this table (see the module doc). `saved` is
    called with the file's stat once it is written, still under the lock.
    """
    from tinydb import TinyDB  # loaded by the first write: reading the files needs only json

    path = Path(path)
    with _locked(path, exclusive=write) as lock_fd:
        loaded = _load(path, lock_fd, exclusive=write, check=check, lines=lines)
        db = TinyDB(loaded.tables, writable=write, storage=_BufferedStorage)
        storage: _BufferedStorage = db.storage  # type: ignore[assignment]
        # An upgraded file, or one cut short of an unfinished append, is saved whole with the next write.
        storage.dirty = loaded.migrated_from is not None or loaded.cut
        try:
            yield db
            if write and storage.dirty:
                if loaded.migrated_from is not None:
                    _keep_premigration_copy(path, loaded.original, loaded.migrated_from)
                state = {META_KEY: {"schema": SCHEMA_VERSION}, **storage.read()}
                _write_atomic(path, _json_bytes(path, state, lines))
                if saved is not None:
                    saved(os.stat(path))
        finally:
            db.close()


def _json_bytes(path: Path, state: dict, lines: str | None = None) -> bytes:
    """The file's new content, in the line layout when `lines` names its only table; never NaN or an
    infinity, which the next read would refuse as damage."""
    if lines is not None and set(state) <= {META_KEY, lines}:
        documents = [(int(doc_id), _document_bytes(path, doc)) for doc_id, doc in state.get(lines, {}).items()]
        return line_layout.layout(lines, SCHEMA_VERSION, documents)
    return _document_bytes(path, state)


def _document_bytes(path: Path, value: object) -> bytes:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except ValueError:
        raise DataFileError(_one_line(f"Data file {path} was not saved: it would hold a number that is not finite")) from None


def read_all(path: Path, check: Callable[[dict], object] | None = None,
             lines: str | None = None) -> dict[str, dict[str, dict]]:
    """Under a shared lock, the raw tables `{table: {doc_id: doc}}` (migrated in memory only).

    `check(tables)` may raise ValidationError: the file breaks the rules of what it
    holds (a session with NaN seconds, a date in year 1), and is then damaged like
    a file that is not JSON: moved aside, as `CorruptDataFile` says. `lines`: as
    for `transaction`.
    """
    return read_file(path, check, lines).tables


class LoadedFile:
    """A data file as read: its tables, and what a writer needs to know about it."""

    def __init__(self, tables: dict, migrated_from: int | None, original: bytes, cut: bool, appendable: bool) -> None:
        self.tables = tables
        """`{table: {doc_id: doc}}`, migrated and cut as need be."""
        self.migrated_from = migrated_from
        """The schema it was upgraded from in memory, or None."""
        self.original = original
        """The bytes read."""
        self.cut = cut
        """Whether an unfinished append was left out (the file on disk still has it)."""
        self.appendable = appendable
        """Whether the file is in the line layout as it is, so `append_line` can add to it."""


def read_file(path: Path, check: Callable[[dict], object] | None = None, lines: str | None = None) -> LoadedFile:
    """As `read_all`, with whether the file can be appended to as it is (see `LoadedFile`)."""
    path = Path(path)
    with _locked(path, exclusive=False) as lock_fd:
        return _load(path, lock_fd, exclusive=False, check=check, lines=lines)


def append_line(path: Path, table: str, doc_id: int, fields: dict[str, Any],
                vouch: Callable[[os.stat_result], bool],
                saved: Callable[[os.stat_result], object] | None = None) -> os.stat_result | None:
    """Add one document to a file in the line layout with only `table`, without rewriting what is there.

    Under the file's exclusive lock, `vouch(stat)` must say the file is, as it
    is now, one the caller knows to be whole, checked and free of `doc_id` (a
    summary made from it): otherwise nothing is written and None comes back, as
    it does when the file is missing or not in the layout; the caller then
    writes it whole with `transaction`. The two durable writes of lines.py
    follow; a failure leaves the file as it was (or, past the second write, with
    the document: both whole) and raises DataFileError. Returns the file's stat
    after the append; `saved` is called with it, still under the lock.
    """
    path = Path(path)
    document = _document_bytes(path, fields)
    with _locked(path, exclusive=True):
        try:
            fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise UnsafeDataFile(path, "a symbolic link") from None
            return None  # missing, or unusable: the whole write says which
        try:
            _check_regular(path, fd)
            before = os.fstat(fd)
            size = before.st_size
            start = line_layout.head(table, SCHEMA_VERSION)
            closing = line_layout.CLOSING
            if not vouch(before) or size < len(start) + len(closing) + 1 or line_layout.straddles(size - 3):
                return None
            tail = os.pread(fd, len(closing) + 1, size - len(closing) - 1)
            if os.pread(fd, len(start), 0) != start or tail[1:] != closing or tail[:1] not in (b"{", b"}", b" "):
                return None
            line = line_layout.document_line(doc_id, document, first=line_layout.last_is_head(tail[:1]))
            try:
                write_at(fd, size, line + line_layout.padded(size + len(line)) + closing)
                os.fsync(fd)
            except OSError as exc:
                with suppress(OSError):
                    os.ftruncate(fd, size)  # back to the file as it was; a reader would cut it there anyway
                raise DataFileError(_one_line(f"Could not save data file {path}: {exc.strerror or exc}")) from exc
            try:
                write_at(fd, size - 3, b"  ")  # the old closing's braces: now the new document counts
                os.fsync(fd)
            except OSError as exc:
                raise DataFileError(_one_line(f"Could not save data file {path}: {exc.strerror or exc}")) from exc
            after = os.fstat(fd)
        finally:
            os.close(fd)
        if saved is not None:
            saved(after)
        return after


def write_at(fd: int, offset: int, data: bytes) -> None:
    """Write every byte of `data` at `offset` of an open data file (the one place an append writes)."""
    os.lseek(fd, offset, os.SEEK_SET)
    write_all(fd, data)


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
def _locked(path: Path, exclusive: bool) -> Iterator[int | None]:
    """Hold an flock on `{path}.lock` for the block (lock files are never removed: that races).

    A read (not `exclusive`) yields None instead, holding nothing, when the folder
    is missing (there is nothing to read) or the lock file cannot be created
    because the folder cannot be written (a read-only mount): see the module doc.
    """
    held = _held.__dict__.setdefault("paths", set())
    key = os.path.abspath(path)
    if key in held:
        raise RuntimeError(f"nested transaction on {path} would deadlock")
    fd = _open_lock(path, exclusive)
    if fd is None:
        yield None
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        held.add(key)
        try:
            yield fd
        finally:
            held.discard(key)
    finally:
        os.close(fd)  # also releases the flock


def _open_lock(path: Path, exclusive: bool) -> int | None:
    """The fd of `{path}.lock`, creating the folder for a write; None for a read that needs no lock."""
    if not exclusive and not path.parent.is_dir():
        return None
    try:
        ensure_dir(path.parent, tighten=False)  # whose folder it is, and so its mode, is DataDir's call
    except OSError as exc:
        raise DataFileError(_one_line(f"Cannot use data folder {path.parent}: {exc.strerror or exc}")) from exc
    try:
        return open_lock_file(Path(f"{path}.lock"))
    except OSError as exc:
        if not exclusive and cannot_write(exc):
            return None
        raise DataFileError(_one_line(f"Cannot lock data file {path}: {exc.strerror or exc}")) from exc


def _load(path: Path, lock_fd: int | None, exclusive: bool,
          check: Callable[[dict], object] | None = None, lines: str | None = None) -> LoadedFile:
    """Read, check and migrate the file."""
    try:
        return _parse(path, check, lines)
    except _Unreadable as exc:
        if exclusive:
            raise _move_aside(path, exc.reason) from None
        if lock_fd is None:  # read without the lock: moving it aside is a change, not ours to make here
            raise CorruptDataFile(path, path, exc.reason) from None
    # Moving the file aside changes it: take the lock exclusively, then look again,
    # since another process may have dealt with it meanwhile.
    fcntl.flock(lock_fd, fcntl.LOCK_EX)
    try:
        return _parse(path, check, lines)
    except _Unreadable as exc:
        raise _move_aside(path, exc.reason) from None
    finally:
        fcntl.flock(lock_fd, fcntl.LOCK_SH)


class _Unreadable(Exception):
    """Internal: the file is damaged; `reason` says how."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _parse(path: Path, check: Callable[[dict], object] | None = None, lines: str | None = None) -> LoadedFile:
    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        return LoadedFile({}, None, b"", cut=False, appendable=False)
    except IsADirectoryError:
        raise _Unreadable("it is a directory, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeDataFile(path, "a symbolic link") from None
        raise _Unreadable(f"cannot read it: {exc.strerror or exc}") from None
    if not data:
        return LoadedFile({}, None, data, cut=False, appendable=False)  # 0 bytes: never written yet, not damage
    raw, cut = _json_object(data, lines is not None)
    version = _version(raw)
    if version > SCHEMA_VERSION:
        raise NewerDataFile(path, version)
    migrated_from = None
    if version < SCHEMA_VERSION:
        raw, migrated_from = _migrate(path, raw, version), version
    tables = {name: table for name, table in raw.items() if name != META_KEY}
    _check_tables(tables)
    if check is not None:
        try:
            check(tables)
        except ValidationError as error:
            raise _Unreadable(f"it holds what backrelief cannot use: {error}") from None
    appendable = (lines is not None and not cut and migrated_from is None and set(tables) <= {lines}
                  and line_layout.appendable(data, lines, SCHEMA_VERSION))
    return LoadedFile(tables, migrated_from, data, cut, appendable)


def _json_object(data: bytes, lines: bool) -> tuple[dict, bool]:
    """The file's top-level object, and whether an unfinished append had to be cut off (`lines` files only)."""
    try:
        return _decode(data), False
    except _Unreadable as damage:
        before = line_layout.cut_unfinished(data) if lines else None
        if before is None:
            raise
        try:
            return _decode(before), True
        except _Unreadable:
            raise damage from None  # not an unfinished append: the file itself is damaged


def _decode(data: bytes) -> dict:
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
    return raw


def read_derived(path: Path) -> bytes | None:
    """The bytes of a file worked out from the data files (a summary), or None when it is missing or unusable.

    Such a file is only ever a shortcut: whatever is wrong with it, the caller
    works it out again from the data file, so nothing here is reported or moved aside.
    """
    try:
        return _read_bytes(path)
    except (OSError, DataFileError):
        return None


def write_derived(path: Path, data: bytes) -> bool:
    """Replace a derived file atomically (see `replace_file`), without waiting for the disk; False if it cannot be.

    Not fsynced: after a crash it is either whole or missing or stale, and the
    reader checks it against its data file in every case. A read-only data
    folder or a full disk only means it is worked out again next time.
    """
    try:
        replace_file(path, data, durable=False)
    except OSError:
        return False
    return True


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, never through a symbolic link; tightened to 0600 if it is ours and looser.

    Its own function so tests can simulate a read that fails. Anything but a
    regular file raises IsADirectoryError (a directory) or UnsafeDataFile.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        _check_regular(path, fd)
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


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
    """Replace a data file (see `replace_file`), under its exclusive lock; DataFileError if it fails."""
    for stale in path.parent.glob(f".{path.name}.tmp-*"):
        stale.unlink(missing_ok=True)  # left by a killed writer; we hold the exclusive lock
    try:
        replace_file(path, text)
    except OSError as exc:
        raise DataFileError(_one_line(f"Could not save data file {path}: {exc.strerror or exc}")) from exc


def replace_file(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to a new 0600 file beside `path`, fsync it, rename it over `path`, fsync the folder.

    The one atomic writer, for data files and exports alike: a reader sees the
    old file or the new one, never part of either; a failure leaves the old file
    as it was and no temporary file. Raises OSError naming `path`, or its folder
    when the temporary file cannot be made (the user never named that file).
    `durable=False` skips both fsyncs, for files that can be worked out again.
    """
    path = Path(path)
    folder = path.parent
    tmp = path.with_name(f".{path.name}.tmp-{os.urandom(4).hex()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(folder)) from None
    try:
        try:
            os.fchmod(fd, 0o600)  # the umask could only have narrowed it, but be exact
            write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        if durable:
            _fsync_dir(folder)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not exc.filename:  # a failed write or fsync: say which file
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of `data` to `fd`, however many writes it takes (a pipe takes a few)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


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
