"""SettingsRepository: the user's settings, one document."""

from __future__ import annotations

from typing import Any

from tui.domain.problems import Problem, ValidationError
from tui.domain.settings import Settings
from tui.storage.datadir import DataDir
from tui.storage.files import document, read_all, transaction
from tui.storage.unreported import Unreported


class SettingsRepository:
    """Loads and saves `Settings`."""

    def __init__(self, data_dir: DataDir, unreported: Unreported | None = None) -> None:
        self.data_dir = data_dir
        """Where the settings file lives."""
        self.problems = unreported if unreported is not None else Unreported()
        """Stored values found unusable (their defaults are used instead), not yet reported."""

    def load(self) -> Settings:
        """The stored settings; defaults for anything missing or no longer valid (see `problems`)."""
        path = self.data_dir.settings
        settings, bad = _from_stored(read_all(path).get("settings", {}).get("1", {}))
        if bad:
            message = (f"Data file {path} holds settings that cannot be used ({'; '.join(map(str, bad))}); "
                       "their defaults are used until you change them in the settings (s).")
            self.problems.add(message)
        return settings

    def save(self, settings: Settings) -> Settings:
        """Check and store settings; ValidationError names a bad field and nothing is stored."""
        settings.check()
        with transaction(self.data_dir.settings) as db:
            db.table("settings").upsert(document(settings.to_dict(), doc_id=1))
        return settings

    def change(self, **changes: Any) -> Settings:
        """Change some settings, re-reading the file first so another copy's changes are kept."""
        with transaction(self.data_dir.settings) as db:
            table = db.table("settings")
            current, _ = _from_stored(table.get(doc_id=1) or {})
            known = current.to_dict()
            unknown = sorted(set(changes) - set(known))
            if unknown:  # a misspelt name would otherwise be dropped without a word
                raise TypeError(f"no such setting: {', '.join(unknown)}")
            updated = Settings.from_dict({**known, **changes})
            table.upsert(document(updated.to_dict(), doc_id=1))
        return updated


def _from_stored(document: dict) -> tuple[Settings, list[Problem]]:
    """Settings from the stored document, keeping every value that is still good, one field at a time;
    with what was wrong with the others."""
    try:
        return Settings.from_dict(document), []
    except (ValidationError, TypeError):
        settings, bad = Settings(), []
        for key, value in document.items():
            try:
                settings = Settings.from_dict({**settings.to_dict(), key: value})
            except ValidationError as error:
                bad += error.problems
            except TypeError:
                bad.append(Problem(key, "cannot be read"))
        return settings, bad
