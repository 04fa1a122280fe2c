"""Keys that arrive in one read do what the same keys do one by one, on every screen.

A terminal read can hold several keys (a fast typist, a laggy SSH link that
batches them), and Textual's driver posts all of them to the app at once. Here
a burst is exactly that: every key event posted before the app has handled
the first. Each burst runs in a fresh app on a fresh copy of the same data,
and so does the same sequence pressed one key at a time (each after the app
has settled); both must end with the same screens, the same focus, the same
field contents and the same data stored, and neither may raise.

The sweep draws sequences from each screen's own keys with a fixed seed, so a
failure names a sequence that fails again on rerun: one a screen by default,
more with `BACKRELIEF_BURST_SEQUENCES=N` (the first ones are the same). The
pseudo-terminal test of the same rule (real bytes in one write) is
tests/e2e/test_key_bursts_pty.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Input, OptionList, Select, Switch, TextArea

from tui.domain.clock import FakeClock
from tui.domain.logged import logged_session
from tui.domain.plan import Timings
from tui.storage.store import Store
from tui.ui.app import make_app
from tui.ui.cues import Cues
from tui.ui.widgets.virtual_table import VirtualTable

SIZE = (100, 32)
"""The terminal size of every run."""

CHARACTERS = {"enter": "\r", "tab": "\t", "backspace": "\x7f", "escape": "\x1b", "space": " ", "plus": "+",
              "question_mark": "?", "slash": "/", "ctrl+s": "\x13", "ctrl+r": "\x12", "ctrl+n": "\x0e"}
"""The character the terminal sends with each named key (arrows send none)."""

QUICK = {
    "format": "backrelief-routine", "version": 1, "name": "Quick check",
    "steps": [
        {"exercise": "pelvic-tilt", "hold_seconds": 2, "reps": 2, "rest_seconds": 1, "sides": "none"},
        {"exercise": "side-knee-drop", "hold_seconds": 3, "reps": 1, "rest_seconds": 0, "sides": "both"},
    ],
}
"""A short custom routine (three-quarters of the built-in keys act on custom routines only)."""


def key_event(name: str) -> events.Key:
    """The event Textual's driver makes for one key, by name (`enter`, `up`, `J`, `3`)."""
    character = CHARACTERS.get(name, name if len(name) == 1 else None)
    return events.Key(name, character)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A data dir with the safety note read, a custom routine first in the menu, and two sessions in the journal."""
    root = tmp_path / "template"
    store = Store.open(root)
    store.settings.change(safety_acknowledged=True, get_ready_seconds=2, switch_seconds=2)
    store.routines.import_file(json.dumps(QUICK))
    routine = store.routines.get("back-spasm-relief")
    for day, pain in ((3, 6), (4, 5)):
        started = datetime(2026, 1, day, 8, 0, tzinfo=timezone.utc)
        store.journal.add(logged_session(routine, store.routines.exercises(), Timings(), started, pain, pain - 2,
                                         f"day {day}", session_id=f"day-{day}"))
    return root


@pytest.fixture(autouse=True)
def files_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, local_time) -> None:
    """Relative paths typed into the export and import dialogs land in the test's own folder; times read as UTC."""
    monkeypatch.chdir(tmp_path)
    local_time("UTC")


@dataclass(frozen=True)
class Place:
    """A screen to sweep: how to reach it from the menu (keys one by one), and the keys it answers to."""

    screen: str
    """The class name of the screen on top once there."""
    way: tuple[str, ...]
    """Keys pressed one by one from the menu to get there."""
    keys: tuple[str, ...]
    """The keys that do something there (and some that should not)."""


ANSWERS = ("y", "n", "enter", "escape")
PLACES = {
    "menu": Place("MenuScreen", (), ("j", "k", "up", "down", "s", "J", "question_mark", "escape", "tab", "e", "d",
                                     "x", "y", "n", "r", "c", "enter", "q")),
    "help": Place("HelpScreen", ("question_mark",), ("question_mark", "q", "escape", "j", "down", "s", "J")),
    "pain check-in": Place("PainCheckIn", ("enter",), ("3", "1", "0", "backspace", "enter", "escape", "x", "s",
                                                       "space", "question_mark")),
    "hold": Place("HoldScreen", ("j", "enter", "enter"), ("space", "right", "l", "left", "h", "plus", "r", "q", "escape",
                                                     *ANSWERS, "question_mark", "3")),
    "stop question": Place("ConfirmDialog", ("j", "enter", "enter", "q"), (*ANSWERS, "q", "space", "right", "tab")),
    "note": Place("NoteDialog", ("j", "enter", "enter", "q", "y", "4", "enter"), ("o", "k", "backspace", "enter",
                                                                            "escape", "space", "q", "5")),
    "delete question": Place("ConfirmDialog", ("j", "x"), (*ANSWERS, "x", "j", "tab")),
    "settings": Place("SettingsScreen", ("s",), ("tab", "backspace", "4", "1", "enter", "space", "down", "up",
                                                 "escape", "q", "s", "question_mark")),
    "journal": Place("JournalScreen", ("J",), ("j", "k", "enter", "e", "x", "f", "c", "t", "a", "E", "escape",
                                               "q", "y", "n")),
    "session details": Place("SessionDetails", ("J", "enter"), ("j", "k", "down", "escape", "q", "e", "enter")),
    "session editor": Place("SessionEditor", ("J", "e"), ("tab", "backspace", "3", "7", "x", "enter", "ctrl+s",
                                                          "escape", "space")),
    "journal filter": Place("JournalFilterDialog", ("J", "f"), ("tab", "2", "0", "-", "backspace", "enter",
                                                               "ctrl+s", "ctrl+r", "escape", "down")),
    "journal export": Place("JournalExportDialog", ("J", "E"), ("tab", "backspace", "a", ".", "enter", "ctrl+s",
                                                               "escape", "down")),
    "stats": Place("StatsScreen", ("J", "t"), ("escape", "q", "j", "down", "question_mark", "t")),
    "builder": Place("RoutineBuilder", ("j", "e"), ("tab", "backspace", "z", "enter", "a", "x", "ctrl+s", "escape",
                                                "q", "y", "n", "down", "up", "3")),
    "exercise picker": Place("ExercisePicker", ("j", "e", "tab", "tab", "a"), ("c", "a", "t", "backspace", "down",
                                                                         "up", "enter", "escape", "tab", "n",
                                                                         "e", "slash")),
    "exercise editor": Place("ExerciseEditor", ("j", "e", "tab", "tab", "a", "ctrl+n"), ("tab", "z", "backspace",
                                                                                  "enter", "ctrl+s", "escape",
                                                                                  "y", "n", "space")),
    "import dialog": Place("RoutineFileDialog", ("i",), ("backspace", "x", ".", "j", "enter", "escape", "tab")),
    "export dialog": Place("RoutineFileDialog", ("j", "o"), ("backspace", "q", ".", "enter", "escape", "tab", "y",
                                                         "n")),
}
"""Every screen a key can reach, and the keys each answers to. `j` in the menu picks the custom routine."""

SEQUENCES = int(os.environ.get("BACKRELIEF_BURST_SEQUENCES", "1"))
"""Random sequences swept per screen (each run twice: in one burst, and one by one)."""


def sequences(place: str) -> list[tuple[str, ...]]:
    """`SEQUENCES` seeded sequences of 2 to 6 of the place's keys."""
    draw = random.Random(place)
    keys = PLACES[place].keys
    return [tuple(draw.choice(keys) for _ in range(draw.randint(2, 6))) for _ in range(SEQUENCES)]


# -- running and reading the app ---------------------------------------------


async def settle(pilot) -> None:
    """Until the app has handed every waiting key over and the screen on top has worked through its messages."""
    app = pilot.app
    for _ in range(2000):
        await pilot.pause(0)  # the app has taken what was posted to it, and so has every widget on top
        if app.key_queue.idle and not _reading(app):
            return
        await asyncio.sleep(0.005)  # the queue settles on its own: looking at every widget meanwhile slows it
    raise AssertionError("the app never settled")


def _reading(app) -> bool:
    """Whether the screen on top is still opening, the journal still reading, or start-up still reading the recent weeks."""
    from tui.ui.screens.journal import JournalScreen

    if app.return_code is not None:
        return False
    if not app._trends_started:
        return True  # the recent weeks are still read at start (the menu then shows them and may move its cursor)
    return not app.screen.is_mounted or any(
        isinstance(screen, JournalScreen) and (not screen.is_mounted or screen.reading) for screen in app.screen_stack)


async def burst(pilot, keys: tuple[str, ...]) -> None:
    """Every key posted at once, as the driver posts the keys of one read; then wait for their effects."""
    for key in keys:
        pilot.app.post_message(key_event(key))
    await settle(pilot)


async def one_by_one(pilot, keys: tuple[str, ...]) -> None:
    """Each key after the app has settled from the last."""
    for key in keys:
        if pilot.app.return_code is not None:
            break  # quit: nothing is left to press keys at
        pilot.app.post_message(key_event(key))
        await settle(pilot)


def outcome(app, data_dir: Path) -> dict:
    """What a user could tell apart: screens, focus, what each field holds, and everything stored."""
    seen: dict = {"quit": app.return_code is not None}
    if not seen["quit"]:
        seen["screens"] = [type(screen).__name__ for screen in app.screen_stack]
        focused = app.focused
        seen["focus"] = None if focused is None else (type(focused).__name__, focused.id)
        fields = {}
        for index, widget in enumerate(app.screen.query("*")):
            name = widget.id or f"{type(widget).__name__}-{index}"
            if isinstance(widget, Input):
                fields[name] = widget.value
            elif isinstance(widget, TextArea):
                fields[name] = widget.text
            elif isinstance(widget, (Select, Switch)):
                fields[name] = repr(widget.value)
            elif isinstance(widget, OptionList):
                fields[name] = (widget.option_count, widget.highlighted)
            elif isinstance(widget, (DataTable, VirtualTable)):
                fields[name] = (widget.row_count, widget.cursor_row)
        seen["fields"] = fields
        recorder = app.recorder
        if recorder is not None:
            snapshot = recorder.engine.snapshot(recorder.clock.monotonic())
            seen["hold"] = (snapshot.index, snapshot.phase.value, snapshot.paused, len(recorder.engine.plan))
    store = Store.open(data_dir)
    seen["settings"] = asdict(store.settings.load())
    seen["routines"] = [(r.name, r.description, [asdict(s) for s in r.steps]) for r in store.routines.list()]
    seen["exercises"] = sorted((e.id, e.name, e.instructions) for e in store.routines.exercises().values())
    # Ids and times of new sessions differ from run to run; what the user gave does not.
    seen["sessions"] = sorted((
        (s.routine_name, s.status, s.holds_done, s.holds_planned, s.pain_before, s.pain_after, s.note)
        for s in store.sessions()
    ), key=repr)
    seen["files"] = sorted(path.name for path in data_dir.parent.iterdir() if path.is_file())
    return seen


async def run(template: Path, tmp_path: Path, place: Place, keys: tuple[str, ...], together: bool) -> dict:
    """Reach `place` in a fresh app on a fresh copy of `template`, press `keys`; what came of it."""
    label = "burst" if together else "single"
    folder = tmp_path / f"{label}-{len(list(tmp_path.iterdir()))}"
    data_dir = folder / "data"
    shutil.copytree(template, data_dir)
    os.chdir(folder)  # where exports land: each run starts with none (the fixture puts the old folder back)
    store = Store.open(data_dir)
    settings = store.settings.load()
    app = make_app(store, clock=FakeClock(), settings=settings,
                   cues=Cues(write=lambda _text: None, bell=False, notifications=False, in_tmux=False))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await one_by_one(pilot, place.way)
        assert type(app.screen).__name__ == place.screen, f"did not reach {place.screen} with {place.way}"
        await (burst if together else one_by_one)(pilot, keys)
        seen = outcome(app, data_dir)
        seen["late"] = app.key_queue.late  # keys that went on unsettled (a very busy machine): shown on a failure
    return seen


async def check_same(template: Path, tmp_path: Path, place: Place, keys: tuple[str, ...]) -> None:
    """`keys` in one burst end exactly as they do one by one."""
    single = await run(template, tmp_path, place, keys, together=False)
    together = await run(template, tmp_path, place, keys, together=True)
    late = together.pop("late") + single.pop("late")
    assert together == single, f"{keys} in one read did not do what they do one by one (late keys: {late})"


# -- the two that were seen on main --------------------------------------------


async def test_quit_then_settings_in_one_read_quits(template, tmp_path):
    """`q` and `s` together at the menu crashed: the settings screen opened on an app that was closing."""
    seen = await run(template, tmp_path, PLACES["menu"], ("q", "s"), together=True)
    assert seen["quit"]


async def test_tab_backspace_digit_in_one_read_change_the_next_field(template, tmp_path):
    """In the session editor, `tab backspace 7` fast landed the 7 in the field that had focus before the tab."""
    seen = await run(template, tmp_path, PLACES["session editor"], ("tab", "backspace", "7"), together=True)
    assert seen["fields"]["pain-before"] == "5" and seen["fields"]["pain-after"] == "7"
    assert seen["focus"] == ("Input", "pain-after")


async def test_nothing_opens_once_the_app_is_quitting(template, tmp_path):
    """A screen opened while the app quits (a palette command, a session's worker) mounts none of its widgets."""
    from tui.ui.screens.settings import SettingsScreen

    app = make_app(Store.open(template), clock=FakeClock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.exit()
        app.push_screen(SettingsScreen(app.store.settings))
        app.action_settings()
        await pilot.pause()
    assert app.return_code == 0


# -- every screen ------------------------------------------------------------------


@pytest.mark.parametrize("place", list(PLACES))
async def test_keys_in_one_read_do_what_they_do_one_by_one(template, tmp_path, place):
    for keys in sequences(place):
        await check_same(template, tmp_path, PLACES[place], keys)


