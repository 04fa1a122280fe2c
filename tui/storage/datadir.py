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
    def journal(self) -> Path:
        """One file of finished sessions per month (`2026-11.json`), so recording stays cheap."""
        return self.root / "journal"

    @property
    def active(self) -> Path:
        """One file per session under way or interrupted."""
        return self.root / "active"

    def create(self) -> "DataDir":
        """Make sure the dir and its subfolders exist, 0700."""
        for folder in (self.root, self.journal, self.active):
            ensure_dir(folder)
        return self
