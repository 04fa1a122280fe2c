"""Where things live: the user's data dir, and the styles and data shipped with the app."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "backrelief"
"""The name platformdirs files the user's data under."""
DATA_DIR_ENV = "BACKRELIEF_DATA_DIR"
"""Environment variable that overrides the data dir."""
ALLOW_SHARED_DIR_ENV = "BACKRELIEF_ALLOW_SHARED_DIR"
"""Environment variable that, set to 1, lets the app save in a data dir other users can write in."""

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    """A folder shipped with the app: inside the package when installed, beside it in a checkout."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def styles_dir() -> Path:
    """The folder of `.tcss` files."""
    return _shipped("styles")


def screen_styles(name: str) -> list[Path]:
    """A screen's own stylesheet, as its `CSS_PATH` (read when the screen first opens)."""
    return [styles_dir() / name]


def library_dir() -> Path:
    """The folder of built-in exercises and routines (JSON)."""
    return _shipped("data")


def default_data_dir() -> Path:
    """The user's data dir: the environment variable, else the platform's user data dir."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def shared_dir_allowed() -> bool:
    """Whether the user said a data dir others can write in is fine (`--allow-shared-dir` sets this too)."""
    return os.environ.get(ALLOW_SHARED_DIR_ENV, "").strip().lower() in ("1", "yes", "true")
