"""SVG snapshots of the settings and help screens, and of the hold screen in two themes and under NO_COLOR.

Time is frozen (FakeClock), cursors do not blink, and the data dir is given as
a relative path so the help screen shows the same place on every machine.
Regenerate with `pytest tests/snapshots --snapshot-update`, then look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tui.storage.store import Store
from tui.ui.speech import SpeechChoice


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A fresh data dir, named `backrelief-data` relative to the working dir (`make_test_app` uses it)."""
    monkeypatch.chdir(tmp_path)
    for name in ("SSH_CONNECTION", "SSH_TTY"):  # the settings screen says more in an SSH login
        monkeypatch.delenv(name, raising=False)
    opened = Store.open(Path("backrelief-data"))
    opened.settings.change(safety_acknowledged=True)
    return opened


@pytest.fixture
def build(make_test_app, store: Store):
    """The app as the command line builds it (`make_test_app`), after changing some settings."""

    def build_with(**settings):
        if settings:
            store.settings.change(**settings)
        # The speech program is the same on every machine, found or not: the picture must not depend on it.
        return make_test_app(choose_speech=lambda line: SpeechChoice(["espeak-ng", "{text}"],
                                                                      "Speaks with espeak-ng, found on this computer."))

    return build_with


def keys_then_still(*keys: str):
    """A run_before that presses keys, then stops cursors blinking so the picture is the same every time."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_settings_screen(snap_compare, build, size):
    assert snap_compare(build(), terminal_size=size, run_before=keys_then_still("s"))


def test_settings_screen_with_a_bad_number(snap_compare, build):
    run_before = keys_then_still("s", "end", "backspace", "4", "5")
    assert snap_compare(build(), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_help_screen(snap_compare, build, size):
    assert snap_compare(build(), terminal_size=size, run_before=keys_then_still("question_mark"))


def hold_screen_of(build, store: Store, **settings):
    """The app going straight into the built-in routine, as `backrelief start` does."""
    app = build(**settings)
    app.start_routine = store.routines.get("back-spasm-relief")
    return app


@pytest.mark.parametrize("theme", ["textual-dark", "high-contrast"])
def test_hold_screen_in_a_theme(snap_compare, build, store, theme):
    app = hold_screen_of(build, store, theme=theme)
    assert snap_compare(app, terminal_size=(100, 30), run_before=keys_then_still("enter"))


def test_hold_screen_under_no_color(snap_compare, build, store, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")  # read when the app is made
    app = hold_screen_of(build, store)
    assert app.no_color
    assert snap_compare(app, terminal_size=(100, 30), run_before=keys_then_still("enter"))
