"""Fixtures shared by every kind of test: a data dir, a fake clock, the app built by `make_app`."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tui.domain.clock import FakeClock
from tui.storage.store import Store
from tui.ui.cues import Cues


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh data dir path (not yet created)."""
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Store:
    """An opened data dir whose user has already acknowledged the safety note and turned off the question
    after each stretch (so a session runs straight through; the tests of that question turn it on)."""
    opened = Store.open(data_dir)
    opened.settings.change(safety_acknowledged=True, rate_stretches=False)
    return opened


@pytest.fixture
def local_time():
    """Sets the local time zone for the rest of one test: `local_time("UTC")`; put back after it."""
    before = os.environ.get("TZ")

    def set_zone(zone: str) -> None:
        os.environ["TZ"] = zone
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def clock() -> FakeClock:
    """A clock that moves only when told to."""
    return FakeClock()


class CueRecorder(list):
    """Collects what the app would write to the terminal as cues.

    It also stands in for the event loop's timer: the later rings of a bell pattern
    are written at once (their planned delays kept in `delays`), so a test sees a
    whole pattern as soon as its moment comes.
    """

    def __init__(self) -> None:
        super().__init__()
        self.delays: list[float] = []
        """The delay each later ring was planned with, in order."""

    def __call__(self, text: str) -> None:
        self.append(text)

    def later(self, delay: float, callback):
        """Run `callback` now, as if `delay` seconds had passed; nothing is left to cancel."""
        self.delays.append(delay)
        callback()
        return _Done()

    def rings(self) -> int:
        """How many bells were written (an OSC string's closing ESC \\ is no bell)."""
        return "".join(self).count("\a")


class _Done:
    """A planned call that already ran."""

    def cancel(self) -> None:
        """Nothing left to call off."""


@pytest.fixture
def cue_log() -> CueRecorder:
    """Every cue written, in order."""
    return CueRecorder()


@pytest.fixture
def make_test_app(store: Store, clock: FakeClock, cue_log: CueRecorder):
    """Build the app exactly as the command line does, with a fake clock and recorded cues."""
    from tui.ui.app import make_app

    def build(**kwargs):
        settings = kwargs.pop("settings", None) or store.settings.load()
        cues = Cues(write=cue_log, later=cue_log.later, in_tmux=False)
        return make_app(store, clock=clock, settings=settings, cues=cues, **kwargs)

    return build
