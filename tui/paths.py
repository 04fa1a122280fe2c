"""Where things live: the user's data dir, and the styles and data shipped with the app.

Cheap to import (no pathlib, no platformdirs on Linux): `backrelief status`
finds the data dir through here and must start about as fast as Python itself.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path, PurePath

APP_NAME = "backrelief"
"""The name platformdirs files the user's data under."""
DATA_DIR_ENV = "BACKRELIEF_DATA_DIR"
"""Environment variable that overrides the data dir."""
ALLOW_SHARED_DIR_ENV = "BACKRELIEF_ALLOW_SHARED_DIR"
"""Environment variable that, set to 1, lets the app save in a data dir other users can write in."""

_PACKAGE = os.path.dirname(os.path.realpath(__file__))


def shipped(name: str) -> str:
    """A folder shipped with the app: inside the package when installed, beside it in a checkout."""
    inside = os.path.join(_PACKAGE, name)
    return inside if os.path.isdir(inside) else os.path.join(os.path.dirname(_PACKAGE), name)


def _shipped(name: str) -> Path:
    from pathlib import Path

    return Path(shipped(name))


def styles_dir() -> Path:
    """The folder of `.tcss` files."""
    return _shipped("styles")


def screen_styles(*names: str) -> list[str | PurePath]:
    """A screen's own stylesheets, as its `CSS_PATH` (read when the screen first opens), in order."""
    return [styles_dir() / name for name in names]  # the type Textual declares CSS_PATH with


def library_dir() -> Path:
    """The folder of built-in exercises and routines (JSON)."""
    return _shipped("data")


def default_data_dir() -> Path:
    """The user's data dir: the environment variable, else the platform's user data dir."""
    from pathlib import Path

    return Path(default_data_root())


def default_data_root() -> str:
    """`default_data_dir` as text, found without platformdirs where the rule is plain.

    On Linux that is the XDG rule platformdirs follows too: `$XDG_DATA_HOME/backrelief`,
    else `$HOME/.local/share/backrelief`. Anything less plain (another system,
    Android, a relative or missing home) is platformdirs' to answer.
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return os.path.expanduser(override)
    plain_linux = sys.platform.startswith("linux") and not (os.environ.get("ANDROID_DATA") or os.environ.get("ANDROID_ROOT"))
    if plain_linux:
        xdg, home = os.environ.get("XDG_DATA_HOME", ""), os.environ.get("HOME", "")
        if os.path.isabs(xdg):
            return os.path.join(xdg, APP_NAME)
        if not xdg and os.path.isabs(home):
            return os.path.join(home, ".local", "share", APP_NAME)
    from platformdirs import user_data_dir

    return user_data_dir(APP_NAME, appauthor=False)


def shared_dir_allowed() -> bool:
    """Whether the user said a data dir others can write in is fine (`--allow-shared-dir` sets this too)."""
    return os.environ.get(ALLOW_SHARED_DIR_ENV, "").strip().lower() in ("1", "yes", "true")
