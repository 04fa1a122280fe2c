"""Quick reads for `backrelief status` and `remind`: plans, routine names, sessions done per day, a running session.

A status bar runs `status` every few seconds, so this module is built to cost
little more than starting Python:

- It imports little beyond what Python loads anyway: no pathlib, TinyDB,
  typing or dataclasses (each would add a large part of Python's own
  start-up), and the domain modules it uses are as light (see datetimes.py).
- It takes no lock. Every data file is replaced whole by a rename, or (a
  journal month) appended to as tui/storage/lines.py says, so a read sees one
  whole version without the lock (a month with an append under way is read as
  it was before it); so `status` never waits for a writer, and works in a
  read-only data dir. It never moves a damaged file
  aside either: that is the app's job, which says so to the user. A damaged
  month file is left out of the counts; damaged plans raise GlanceError.
- It does not read ten years of journal every time. The sessions done per
  routine and day are cached in `done-days.json`: the totals, and each month
  file's own counts keyed by the (inode, modification time, size) of the
  file as it was read. Every write changes the journal folder: it replaces a
  month file by a rename (a new inode), or appends to it (a larger size) and
  replaces its summary beside it by a rename (or, when that cannot be written,
  touches the folder). So an unchanged folder vouches for the totals, and
  after a change only the month files that changed are read again: a journal
  that grew by one session costs one month file. (A
  month file edited in place by hand, not by backrelief, shows once anything
  else in the folder changes.) The cache notes the zone its days are in and
  starts afresh when the zone changes. It is derived data: written whole through the one atomic writer
  when the dir may be written, ignored when it looks wrong, and a missing
  cache costs one slower run.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import time

from tui.domain.datetimes import datetime
from tui.domain.schedule import DoneCounts, PlanHistory, Status, counts_as_done, status_of, version_from_dict
from tui.domain.zone import zone_key
from tui.paths import shared_dir_allowed, shipped
from tui.storage import names
from tui.storage.errors import StorageError
from tui.storage.lines import cut_unfinished

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tui.domain.datetimes import tzinfo

CACHE_FORMAT = 1
"""Version of the cache's layout (and of the rule for what counts): a cache of another is started afresh."""
SCHEMA_VERSION = 1
"""The newest data file schema this reads (tui/storage/files.py writes it)."""


class GlanceError(StorageError):
    """A file `status` needs cannot be used; `str()` is one line naming it."""


def read_tables(path: str) -> dict:
    """The tables of a data file, read without a lock and never through a symbolic link; {} when it is missing."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return {}
    except OSError as error:
        why = "it is a symbolic link" if error.errno == errno.ELOOP else (error.strerror or str(error))
        raise GlanceError(f"cannot read data file {path}: {why}") from None
    try:
        return _tables(path, _read(fd, path))
    finally:
        os.close(fd)


def _read(fd: int, path: str) -> bytes:
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        raise GlanceError(f"cannot read data file {path}: it is not a regular file")
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _tables(path: str, data: bytes, lines: bool = False) -> dict:
    """The tables of a data file's bytes, as tui/storage/files.py writes them (`lines`: a journal month, which
    may have an append under way)."""
    if not data:
        return {}
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError):
        before = cut_unfinished(data) if lines else None
        try:
            raw = json.loads(before) if before is not None else None
        except (ValueError, RecursionError):
            raw = None
        if raw is None:
            raise GlanceError(f"data file {path} is unreadable (not valid JSON); open backrelief to set it aside") from None
    meta = raw.get("_meta") if isinstance(raw, dict) else None
    version = meta.get("schema", 1) if isinstance(meta, dict) else 1
    if not isinstance(raw, dict) or not isinstance(version, int):
        raise GlanceError(f"data file {path} is unreadable; open backrelief to set it aside")
    if version > SCHEMA_VERSION:
        raise GlanceError(f"data file {path} was written by a newer backrelief (schema {version}): upgrade backrelief")
    return {name: table for name, table in raw.items() if name != "_meta" and isinstance(table, dict)}


# -- plans and routines --------------------------------------------------------------------


def plan_history(root: str) -> PlanHistory:
    """Every plan version in the data dir; GlanceError when the plans file cannot be used."""
    path = os.path.join(root, names.PLANS)
    documents = read_tables(path).get("plans", {})
    try:
        return PlanHistory(version_from_dict(doc) for doc in documents.values() if isinstance(doc, dict))
    except ValueError as error:  # a ValidationError
        raise GlanceError(f"data file {path} holds a plan that cannot be read ({error})") from None


def routine_names(root: str) -> dict[str, str]:
    """Every routine's id and name: the built-in ones shipped with the app, then the user's."""
    found: dict[str, str] = {}
    with open(os.path.join(shipped("data"), "routines.json"), "rb") as shipped_file:
        for routine in json.loads(shipped_file.read()).get("routines", []):
            found[routine["id"]] = routine["name"]
    custom = read_tables(os.path.join(root, names.ROUTINES)).get("routines", {})
    for doc in custom.values():
        if isinstance(doc, dict) and isinstance(doc.get("id"), str) and isinstance(doc.get("name"), str):
            found.setdefault(doc["id"], doc["name"])
    return found


# -- sessions done per day -----------------------------------------------------------------


def done_counts(root: str, zone: tzinfo, save: bool = True, allow_shared: bool = False) -> DoneCounts:
    """Sessions done per routine and local day (in `zone`) over the whole journal, through the cache.

    `save`: write the cache back when it changed and the dir may be written
    (`allow_shared`: also when others can write in it, as `--allow-shared-dir` says).
    `zone` must be the system's zone (`SystemZone`): the cache is kept for its rules.

    The usual run reads one stat of the journal folder and the cache: every
    write to a month file changes the folder (see the module doc), so an
    unchanged folder means unchanged files. The folder's stat is trusted only
    once it has been still for SETTLED_SECONDS, as file system clocks are
    coarse and a change in the same tick would not show.
    """
    folder = os.path.join(root, names.JOURNAL)
    cache_path = os.path.join(root, names.DONE_DAYS)
    key = zone_key()
    cache = _load_cache(cache_path, key)
    try:
        folder_stat = os.stat(folder)
    except OSError:
        return DoneCounts()
    folder_signature = [folder_stat.st_ino, folder_stat.st_mtime_ns]
    if cache.get("folder") == folder_signature:
        try:
            return _from_totals(cache["totals"])
        except (AttributeError, KeyError, TypeError, ValueError):
            cache = {}  # not of our making: count afresh
    try:
        known = json.loads(cache["files"])
    except (KeyError, TypeError, ValueError, RecursionError):
        known = {}  # none yet, or not of our making: count afresh
    files: dict[str, dict] = {}
    for name, entry_stat in _month_files(folder):
        cached = known.get(name) if isinstance(known, dict) else None
        signature = [entry_stat.st_ino, entry_stat.st_mtime_ns, entry_stat.st_size]
        if isinstance(cached, dict) and cached.get("sig") == signature and isinstance(cached.get("done"), dict):
            files[name] = cached
            continue
        counted = _count_month(os.path.join(folder, name), zone)
        if counted is not None:
            files[name] = counted
    counts = DoneCounts()
    for entry in files.values():
        for routine_id, days in entry["done"].items():
            counts.add_days(routine_id, (day for day in days if type(day) is int))
    settled = time.time() - folder_stat.st_mtime > SETTLED_SECONDS
    fresh = {"format": CACHE_FORMAT, "zone": key, "folder": folder_signature if settled else None,
             "totals": _totals(counts), "files": json.dumps(files, separators=(",", ":"), sort_keys=True)}
    if fresh != cache and save and _may_write(root, allow_shared):
        _save_cache(cache_path, fresh)
    return counts


def _totals(counts: DoneCounts) -> dict[str, list]:
    """Each routine's counts as [first day ordinal, one base-36 digit a day]: quick to read back."""
    totals = {}
    for routine_id, days in counts.by_routine.items():
        if days:
            first, last = min(days), max(days)
            totals[routine_id] = [first, "".join(_DIGITS[min(days.get(day, 0), 35)] for day in range(first, last + 1))]
    return totals


def _from_totals(totals: dict[str, list]) -> DoneCounts:
    """The counts from the cache's totals."""
    counts = DoneCounts()
    for routine_id, (first, digits) in totals.items():
        counts.by_routine[routine_id] = dict(zip(range(int(first), int(first) + len(digits)),
                                                 map(_VALUES.__getitem__, digits)))
    return counts


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_VALUES = {digit: value for value, digit in enumerate(_DIGITS)}
SETTLED_SECONDS = 5
"""How long the journal folder must have been still before its stat alone vouches for the cache."""


def _month_files(folder: str) -> list[tuple[str, os.stat_result]]:
    """The journal's month files (`YYYY-MM.json`) with their stat; none when there is no journal."""
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if len(name) == names.MONTH_FILE_LENGTH and name.endswith(".json") and name[4] == "-" \
                        and name[:4].isdigit() and name[5:7].isdigit():
                    try:
                        found.append((name, entry.stat(follow_symlinks=False)))
                    except OSError:
                        continue
    except OSError:
        return []
    return found


def _count_month(path: str, zone: tzinfo) -> dict | None:
    """One month file's sessions done, by routine, as day ordinals; with the signature of what was read.

    The signature comes from the open file, so it is the version read even if a
    writer replaces the file meanwhile. None when the file cannot be read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        tables = _tables(path, _read(fd, path), lines=True)
    except (OSError, GlanceError):
        return None
    finally:
        os.close(fd)
    done: dict[str, list[int]] = {}
    for doc in tables.get("sessions", {}).values():
        try:
            holds = doc.get("holds") or ()
            held = sum(1 for hold in holds if hold.get("completed") is True)
            if not counts_as_done(doc["status"], held):
                continue
            day = datetime.fromisoformat(doc["started_at"]).astimezone(zone).toordinal()
            done.setdefault(str(doc["routine_id"]), []).append(day)
        except (AttributeError, KeyError, TypeError, ValueError):
            continue  # not a session: the app says so when it reads the file
    return {"sig": [info.st_ino, info.st_mtime_ns, info.st_size], "done": done}


def _load_cache(path: str, key: str) -> dict:
    """The cache when it is of this format and zone; {} otherwise (its parts are checked as they are used)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return {}
    try:
        raw = json.loads(_read(fd, path))
    except (OSError, ValueError, RecursionError, GlanceError):
        return {}
    finally:
        os.close(fd)
    if not isinstance(raw, dict) or raw.get("format") != CACHE_FORMAT or raw.get("zone") != key:
        return {}
    return raw


def _may_write(root: str, allow_shared: bool) -> bool:
    """Whether the cache may be written: the dir is ours to write in, and no one else can (unless allowed)."""
    try:
        mode = os.stat(root).st_mode
    except OSError:
        return False
    if mode & 0o022 and not (allow_shared or shared_dir_allowed()):
        return False  # others could replace the cache between our write and our next read
    return os.access(root, os.W_OK)


def _save_cache(path: str, cache: dict) -> None:
    """Write the cache whole (0600, atomically); a failure only means the next run counts again."""
    from tui.storage.files import replace_file  # pathlib: loaded only on the rare run that writes

    try:
        replace_file(path, json.dumps(cache, separators=(",", ":")).encode())  # type: ignore[arg-type]
    except OSError:
        pass


# -- a session under way -------------------------------------------------------------------


def session_running(root: str) -> bool:
    """Whether a copy of the app is running a session in this data dir.

    A running session holds an exclusive lock on its owner file (see
    tui/storage/active.py). This asks for a shared lock without waiting: refused
    means it is held. Owner files are never created here.
    """
    import fcntl  # only when something is due: most runs never get here

    folder = os.path.join(root, names.ACTIVE)
    try:
        with os.scandir(folder) as entries:
            sessions = [entry.name[:-len(".json")] for entry in entries if entry.name.endswith(".json")]
    except OSError:
        return False
    for session_id in sessions:
        try:
            fd = os.open(os.path.join(folder, f"{session_id}.owner"),
                         os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            continue  # no owner file: nobody has it
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            continue
        finally:
            os.close(fd)  # also lets go of a shared lock taken
    return False


# -- everything at once --------------------------------------------------------------------


def current_status(root: str, now: datetime, zone: tzinfo, save: bool = True, allow_shared: bool = False) -> Status:
    """Where every plan of the data dir stands at `now`: what `status` prints and `remind` tells.

    Without plans nothing else is read. The running-session check is made only
    when something is due, the one time it changes the answer.
    """
    history = plan_history(root)
    if not history:
        return Status(now, (), (), 0, False)
    counts = done_counts(root, zone, save, allow_shared)
    status = status_of(history, counts, now, zone, names=routine_names(root))
    if status.due and session_running(root):
        status = status._replace(running=True)
    return status
