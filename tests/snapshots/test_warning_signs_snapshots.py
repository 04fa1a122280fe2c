"""SVG snapshots of the warning signs: the first-run question, what an emergency "yes" shows, the screen
with all three tiers, and the menu's advice to see a clinician; in colour and under NO_COLOR.

Time is frozen (FakeClock) and the data dir is a relative path, so each picture is the same on every machine.
Regenerate with `pytest tests/snapshots/test_warning_signs_snapshots.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

import tui.ui.app as app_module
from tui.domain.clock import FakeClock
from tui.domain.sessions import Session
from tui.storage.store import Store
from tui.ui.app import make_app
from tui.ui.cues import Cues

SIZES = [(80, 24), (120, 40)]
"""The sizes every screen is pictured at."""
COLOURS = ["colour", "no-color"]
"""In the theme's colours, and under NO_COLOR."""


@pytest.fixture
def snapshot_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A fresh data dir, named `backrelief-data` relative to the working dir; the safety note already read."""
    monkeypatch.chdir(tmp_path)
    store = Store.open(Path("backrelief-data"))
    store.settings.change(safety_acknowledged=True)
    return store


def build(store: Store, monkeypatch: pytest.MonkeyPatch, colour: str):
    """The app as the command line builds it, with a frozen clock and silent cues; NO_COLOR set if asked."""
    if colour == "no-color":
        monkeypatch.setenv("NO_COLOR", "1")  # read when the app is made
    settings = store.settings.load()
    cues = Cues(write=lambda text: None, bell=settings.bell, notifications=settings.notifications, in_tmux=False)
    app = make_app(store, clock=FakeClock(), settings=settings, cues=cues)
    assert app.no_color == (colour == "no-color")
    return app


def keys(*pressed: str):
    """A run_before that presses keys, one settled frame apart."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()

    return run_before


@pytest.mark.parametrize("colour", COLOURS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_warning_signs_screen(snap_compare, snapshot_store, monkeypatch, size, colour):
    app = build(snapshot_store, monkeypatch, colour)
    assert snap_compare(app, terminal_size=size, run_before=keys("w"))


@pytest.mark.parametrize("colour", COLOURS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_run_question(snap_compare, snapshot_store, monkeypatch, size, colour):
    snapshot_store.settings.change(safety_acknowledged=False)
    app = build(snapshot_store, monkeypatch, colour)
    assert snap_compare(app, terminal_size=size, run_before=keys("enter"))


def test_an_emergency_sign_says_what_to_do(snap_compare, snapshot_store, monkeypatch):
    snapshot_store.settings.change(safety_acknowledged=False)
    app = build(snapshot_store, monkeypatch, "colour")
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("enter", "e"))


@pytest.mark.parametrize("colour", COLOURS)
def test_menu_with_advice_to_see_a_clinician(snap_compare, snapshot_store, monkeypatch, colour):
    monkeypatch.setattr(app_module, "JOURNAL_CHECK_DELAY", 0.05)
    now = FakeClock().now()
    for days, before in [(27, 5), (25, 5), (22, 6), (20, 5), (18, 5), (12, 6), (10, 6), (8, 6), (5, 7), (3, 6)]:
        start = now - timedelta(days=days)
        snapshot_store.journal.add(Session(
            id=f"s{days}", routine_id="back-spasm-relief", routine_name="Back spasm relief", started_at=start,
            ended_at=start + timedelta(minutes=10), status="logged", holds_planned=25, pain_before=before))
    app = build(snapshot_store, monkeypatch, colour)

    async def run_before(pilot: Pilot) -> None:
        for _ in range(100):
            await pilot.pause(0.05)
            if pilot.app.trend_advice is not None:
                break
        await pilot.pause()
        assert pilot.app.screen.query_one("#advice-banner").display

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
