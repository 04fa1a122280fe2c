"""The layout of the user's data dir, in one place."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from tui.paths import ALLOW_SHARED_DIR_ENV
from tui.storage import names
from tui.storage.files import cannot_write, ensure_dir, tighten_file


@dataclass(frozen=True)
class DataDir:
    """Every path the app stores under; the dir itself is created 0700 on first use."""

    root: Path
    """The data dir."""

    @property
    def routines(self) -> Path:
        """Custom routines and custom exercises."""
        return self.root / names.ROUTINES

    @property
    def settings(self) -> Path:
        """The user's settings."""
        return self.root / names.SETTINGS

    @property
    def screenings(self) -> Path:
        """Answers to the warning-sign question, with their times."""
        return self.root / names.SCREENINGS

    @property
    def journal(self) -> Path:
        """One file of finished sessions per month (`2026-11.json`), so recording stays cheap."""
        return self.root / names.JOURNAL

    @property
    def active(self) -> Path:
        """One file per session under way or interrupted."""
        return self.root / names.ACTIVE

    @property
    def plans(self) -> Path:
        """Each routine's plan (how often, which days, which hours) and its earlier versions."""
        return self.root / names.PLANS

    @property
    def reminders(self) -> Path:
        """The slot `backrelief remind` last told the user about, per routine."""
        return self.root / names.REMINDERS

    @property
    def done_days(self) -> Path:
        """A cache of sessions done per routine and day, kept by `backrelief status` (see glance.py)."""
        return self.root / names.DONE_DAYS

    def create(self) -> "DataDir":
        """Make sure the dir and its subfolders exist, 0700 (and any parent it had to make).

        A folder given with `--data-dir` that already holds other things (a home
        folder, a shared one) keeps its mode: it is not ours to change. The files
        we put in it are 0600 and our subfolders 0700 all the same.
        An existing dir that cannot be written (a read-only backup mount) is left
        as it is, for reading: see `write_problem`.
        """
        try:
            ensure_dir(self.root, tighten=self._ours_or_empty())  # before our subfolders are in it
            for folder in (self.journal, self.active):
                ensure_dir(folder)
        except OSError as error:
            if not (cannot_write(error) and self.root.is_dir()):
                raise
        self._tighten_files()
        return self

    def _tighten_files(self) -> None:
        """Make every file of ours at the top and under `active/` found looser than 0600 (made under a lax
        umask, or by hand) 0600. The journal's files wait for `tighten_journal`."""
        _tighten([entry for entry in _entries(self.root) if _ours(entry.name)] + _entries(self.active))

    def tighten_journal(self) -> None:
        """The same for the journal's files. They grow with the years (a month file, its lock and its summary
        a month) and it takes a look at each, so the journal check that reads every month does it (see
        `Store.check`), not every opening; until then the journal folder, made 0700 at every opening, keeps
        them from other users."""
        _tighten(_entries(self.journal))

    def shared_mode(self) -> int | None:
        """The dir's mode when users other than its owner may write in it (group or others), else None."""
        try:
            mode = stat.S_IMODE(os.stat(self.root).st_mode)
        except OSError:
            return None
        return mode if mode & 0o022 else None

    def write_problem(self, allow_shared: bool = False) -> str | None:
        """Why backrelief must not save in this dir (read-only, or writable by others), or None.

        `allow_shared` is the user's word (`--allow-shared-dir`) that a dir others
        can write in is fine.
        """
        if self.root.is_dir() and not os.access(self.root, os.W_OK):
            try:
                read_only_mount = bool(os.statvfs(self.root).f_flag & os.ST_RDONLY)
            except OSError:
                read_only_mount = False
            why = "on a read-only file system" if read_only_mount else "you have no permission to write in it"
            return (f"the data folder {self.root} is read-only ({why}), so backrelief cannot save there; "
                    "'journal list', 'journal export' and 'routines list', 'show' and 'export' still read it")
        mode = self.shared_mode()
        if mode is not None and not allow_shared:
            return (f"the data folder {self.root} can be written by other users (mode {mode:04o}), so backrelief "
                    f"will not save your journal there: they could change or replace it. {_MAKE_PRIVATE}")
        return None

    def warning(self, allow_shared: bool = False) -> str | None:
        """What to tell the user before reading this dir (others can write in it), or None."""
        mode = self.shared_mode()
        if mode is None or allow_shared:
            return None
        return (f"the data folder {self.root} can be written by other users (mode {mode:04o}): they could "
                f"change or replace your journal and routines there. {_MAKE_PRIVATE}")

    def _ours_or_empty(self) -> bool:
        """Whether the root is missing or holds nothing but what backrelief keeps there."""
        if not self.root.is_dir():
            return True
        return all(_ours(entry.name) for entry in self.root.iterdir())


def _entries(folder: Path) -> list[os.DirEntry]:
    """What `folder` holds; nothing when it is missing or cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


def _tighten(entries: list[os.DirEntry]) -> None:
    """Make each regular file looser than 0600 among `entries` 0600 (see files.tighten_file)."""
    for entry in entries:
        try:
            loose = entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mode & 0o077
        except OSError:
            continue
        if loose:
            tighten_file(Path(entry.path))


def _ours(name: str) -> bool:
    """Whether a name at the top of a data dir is one of ours (a data file, its lock, temp or moved-aside copies)."""
    name = name.removeprefix(".")
    return name in (names.JOURNAL, names.ACTIVE) or name.startswith(_OUR_FILES)


_OUR_FILES = (names.ROUTINES, names.SETTINGS, names.SCREENINGS, names.PLANS, names.REMINDERS, names.DONE_DAYS)
"""Files at the top of a data dir (each with its lock, temp and moved-aside copies)."""

_MAKE_PRIVATE = ("Make it yours alone (chmod 700 on it), or pass --allow-shared-dir "
                 f"(or set {ALLOW_SHARED_DIR_ENV}=1) to use it as it is.")
