"""The layout of the user's data dir, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui.storage.files import ensure_dir


@dataclass(frozen=True)
class DataDir:
    """Every path the app stores under; the dir itself is created 0700 on first use."""

    root: Path
    """The data dir."""

    @property
    def routines(self) -> Path:
        """Custom routines and custom exercises."""
        return self.root / "routines.json"

    @property
    def settings(self) -> Path:
        """The user's settings."""
        return self.root / "settings.json"

    @property
    def screenings(self) -> Path:
        """Answers to the warning-sign question, with their times."""
        return self.root / "screenings.json"

    @property
    def journal(self) -> Path:
        """One file of finished sessions per month (`2026-11.json`), so recording stays cheap."""
        return self.root / "journal"

    @property
    def active(self) -> Path:
        """One file per session under way or interrupted."""
        return self.root / "active"

    def create(self) -> "DataDir":
        """Make sure the dir and its subfolders exist, 0700.

        A folder given with `--data-dir` that already holds other things (a home
        folder, a shared one) keeps its mode: it is not ours to change. The files
        we put in it are 0600 and our subfolders 0700 all the same.
        """
        ensure_dir(self.root, tighten=self._ours_or_empty())  # before our subfolders are in it
        for folder in (self.journal, self.active):
            ensure_dir(folder)
        return self

    def _ours_or_empty(self) -> bool:
        """Whether the root is missing or holds nothing but what backrelief keeps there."""
        if not self.root.is_dir():
            return True
        return all(_ours(entry.name) for entry in self.root.iterdir())


def _ours(name: str) -> bool:
    """Whether a name at the top of a data dir is one of ours (a data file, its lock, temp or moved-aside copies)."""
    name = name.removeprefix(".")
    return name in ("journal", "active") or name.startswith(("routines.json", "settings.json", "screenings.json"))
