"""Start-up stays light: at the menu's first frame, no module meant to load later is loaded.

`backrelief --data-dir DIR` (the plain launch) runs in a pseudo-terminal as a user
starts it. A small wrapper hooks the app only to write `sys.modules` to a file
once the first frame is drawn, then quits; the test checks the menu is on the
screen and that none of `LATE_MODULES` was imported by then. A change that
imports one of them at start-up, directly or through another module, fails here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.e2e.pty_harness import Terminal
from tui.storage.store import Store

pytestmark = pytest.mark.e2e

LATE_MODULES = {
    "argparse": "the plain launch needs no parser (`tui.cli.plain_launch`); building it costs more than the menu",
    "tinydb": "reading data files needs only json; TinyDB loads with the first write (`tui.storage.files`)",
    "tui.domain.engine": "the session engine loads with the first session",
    "tui.storage.recorder": "records a session: loads with the first session",
    "tui.ui.screens.hold": "the hold screen opens with the first session",
    "tui.ui.screens.pain_checkin": "asked when a session starts",
    "pyfiglet": "draws the hold screen's big countdown",
    "tui.ui.screens.journal": "the journal opens on `J`",
    "tui.ui.screens.stats": "journal stats, opened from the journal",
    "tui.domain.stats": "journal stats, worked out when they are opened",
    "tui.domain.announce": "what a session's moments say: loads with the first session",
    "tui.domain.warning_signs": "the signs and the question about them open from help, `w`, a problem report or a first start",
    "tui.ui.screens.builder": "the routine builder opens on `n` or `e`",
    "tui.ui.screens.exercise_picker": "opened from the builder",
    "tui.ui.screens.exercise_editor": "opened from the builder",
    "tui.ui.screens.settings": "the settings open on `s`",
    "tui.ui.screens.help": "help opens on `?`",
    "tui.ui.commands": "the command palette's routines, loaded when the palette first opens",
    "tui.ui.cues": "bells, notifications and speech: made when a session (or settings' test ring) first needs them",
    "tui.ui.speech": "speaks cues: loads with the cues",
    "tui.domain.trends": "the trend advice is worked out after the first frame, off the main thread",
    "tui.domain.progression": "the step-up offers are worked out once the recent weeks are read, after the first frame",
    "tui.domain.logged": "`backrelief log`'s sessions",
    "tui.storage.output": "writes an export: loads with `journal export` or the export dialog",
    "tui.storage.routine_files": "routine files: loads with import and export",
    "tui.ui.screens.too_small": "the size message: loads the first time the window is too small",
    "tui.ui.widgets.dialog_scroll": "the scrolling part of a dialog: loads with the first such dialog",
    "tui.domain.sessions": "sessions and holds: with no interrupted session and no plan for today (as here) the menu's "
                           "first frame reads no session; the journal and the sessions under way open when first used",
    "tui.storage.journal": "the journal opens when first used (Store.journal): after the first frame",
    "tui.storage.active": "the sessions under way open when first used (Store.active); a start without a session "
                          "file does not need them (Store.interrupted)",
    "tui.storage.documents": "the journal's and sessions' documents: load with them",
    "textual.widgets._data_table": "Textual's DataTable: only the session details have a table (tui.ui.user_text.table)",
}
"""Modules the menu's first frame must not have loaded (or any module inside them), and why each waits."""

PROBE = """
import gc, json, os, sys
from tui.ui.app import BackreliefApp  # loaded by the plain launch anyway, before the first frame

report_to = sys.argv[1]
{also_import}
mount = BackreliefApp.on_mount

def on_mount(self):
    collecting_before = gc.isenabled()
    mount(self)

    def report():  # once the first frame is drawn (as the app counts it: see LATER_STYLES_DELAY)
        with open(report_to, "w") as out:
            styles = sorted(set(os.path.basename(str(path)) for path, _ in self.stylesheet.source))
            json.dump(dict(modules=sorted(sys.modules), switch_interval=sys.getswitchinterval(), styles=styles,
                           collecting_before=collecting_before, collecting_after=gc.isenabled(),
                           frozen_after=gc.get_freeze_count()), out)
        self.exit(0)

    self.call_after_refresh(report)

BackreliefApp.on_mount = on_mount
sys.argv = ["backrelief", *sys.argv[2:]]
from tui.launcher import main
raise SystemExit(main())
"""
"""`python -m tui ARGS` with the report hooked in; `{also_import}` is for the control test."""


def first_frame(tmp_path: Path, also_import: str = "") -> dict:
    """Start the plain launch on a pseudo-terminal; what the probe saw when the menu first showed:
    `modules` loaded, the thread `switch_interval`, the file names of the `styles` read, whether the cycle
    collector ran as the app mounted (`collecting_before`) and once the frame was drawn (`collecting_after`),
    and how many objects start-up left frozen (`frozen_after`)."""
    data_dir = tmp_path / "data"
    Store.open(data_dir).settings.change(safety_acknowledged=True)  # straight to the menu
    report = tmp_path / "modules.json"
    code = PROBE.format(also_import=also_import)
    with Terminal.start([sys.executable, "-c", code, str(report), "--data-dir", str(data_dir)],
                        cols=100, rows=30) as term:
        status = term.wait_exit(timeout=60)
        assert status == 0, term.text()
        assert "Routines" in term.text() and "Back spasm relief" in term.text()  # the menu was drawn
    return json.loads(report.read_text())


def modules_at_first_frame(tmp_path: Path, also_import: str = "") -> set[str]:
    """The modules loaded when the menu first showed."""
    return set(first_frame(tmp_path, also_import)["modules"])


def late_ones(loaded: set[str]) -> list[str]:
    return sorted(name for name in loaded if why_late(name))


def why_late(name: str) -> str | None:
    """Why module `name` should wait, if it is one of `LATE_MODULES` or inside one."""
    return next((why for late, why in LATE_MODULES.items() if name == late or name.startswith(late + ".")), None)


def test_the_menu_shows_before_any_module_meant_to_load_later(tmp_path):
    loaded = modules_at_first_frame(tmp_path)
    assert {"tui.cli", "tui.ui.app", "tui.ui.screens.menu", "textual"} <= loaded  # the probe saw the app
    assert late_ones(loaded) == [], {name: why_late(name) for name in late_ones(loaded)}


def test_the_probe_would_see_an_eager_import(tmp_path):
    # A control: the same probe does report a late module when something imports it at start-up.
    loaded = modules_at_first_frame(tmp_path, also_import="import tui.ui.screens.journal")
    assert "tui.ui.screens.journal" in late_ones(loaded)


def test_the_first_frame_reads_only_the_menus_styles_and_lets_the_terminal_writes_through(tmp_path):
    from tui.ui.app import STYLE_FILES, SWITCH_INTERVAL

    seen = first_frame(tmp_path)
    ours = [name for name in seen["styles"] if name.endswith(".tcss")]
    assert sorted(ours) == sorted(STYLE_FILES) and "dialogs.tcss" not in ours  # dialogs read theirs when they open
    # Textual writes from a thread: with Python's default 5 ms turns, the menu reached the terminal ~30 ms late.
    assert seen["switch_interval"] == SWITCH_INTERVAL < 0.005


def test_the_cycle_collector_rests_until_the_menu_is_drawn_then_works_on_what_comes_after(tmp_path):
    seen = first_frame(tmp_path)
    assert seen["collecting_before"] is False  # paused by the launcher while the app starts
    assert seen["collecting_after"] is True  # on again after the first frame...
    assert seen["frozen_after"] > 10_000  # ...with what start-up made frozen, so later collections skip it
