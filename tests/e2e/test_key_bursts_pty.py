"""Keys that arrive in one read, for real: several keys' bytes in one write to the app's terminal.

A laggy SSH link delivers what was typed in batches; Textual's driver then
posts every key of the batch to the app at once. These sequences were seen to
go wrong on a laggy link; each must do what the same keys do one by one. The
broad sweep over every screen is the Pilot test tests/functional/test_key_bursts.py.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.e2e.pty_harness import Terminal, backrelief_command, run_backrelief
from tui.domain.logged import logged_session
from tui.domain.plan import Timings
from tui.storage.store import Store

pytestmark = pytest.mark.e2e

QUICK = {
    "format": "backrelief-routine", "version": 1, "name": "Burst check",
    "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 30, "reps": 2, "rest_seconds": 0, "sides": "none"}],
}
"""A custom routine, second in the menu after the built-in one."""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The safety note read, the quick routine imported, one session in the journal (pain 6 -> 4)."""
    root = tmp_path / "data"
    store = Store.open(root)
    store.settings.change(safety_acknowledged=True, get_ready_seconds=3)
    store.routines.import_file(json.dumps(QUICK))
    routine = store.routines.get("back-spasm-relief")
    started = datetime(2026, 1, 4, 8, 0, tzinfo=timezone.utc)
    store.journal.add(logged_session(routine, store.routines.exercises(), Timings(), started, 6, 4, "",
                                     session_id="seeded"))
    return root


def finish(term: Terminal) -> str:
    """Wait for the app to exit with status 0; everything it wrote, as text."""
    status = term.wait_exit(timeout=30)
    term.drain(0.2)
    output = b"".join(data for _, data in term.chunks).decode("utf-8", "replace")
    assert status == 0, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    return output


def test_quit_and_settings_in_one_read_quit_cleanly(data_dir):
    with Terminal.start(backrelief_command(data_dir), cols=100, rows=30) as term:
        term.wait_for("Routines")
        term.send(b"qs")
        output = finish(term)
    assert "NoMatches" not in output


def test_tab_backspace_digit_in_one_read_change_the_next_field(data_dir):
    with Terminal.start(backrelief_command(data_dir), cols=100, rows=30) as term:
        term.wait_for("Routines")
        term.press("J")
        term.wait_for("Back spasm relief")
        term.press("e")
        term.wait_for("Edit a session")
        term.send(b"\t\x7f7\x13")  # tab, backspace, 7, ctrl+s: one read
        term.wait_for("Saved your changes")
        term.send(b"qq")  # the journal, then the menu: one read
        finish(term)
    (session,) = json.loads(run_backrelief(data_dir, "journal", "list", "--json").stdout)
    assert (session["pain_before"], session["pain_after"]) == (6, 7)


def test_a_session_started_and_stopped_in_two_reads(data_dir):
    with Terminal.start(backrelief_command(data_dir), cols=100, rows=30) as term:
        term.wait_for("Routines")
        term.send(b"j\r5\r")  # pick the second routine, start it, pain 5: one read
        term.wait_for("GET READY")
        term.send(b"qy")  # stop, yes
        term.wait_for("after the session")
        term.send(b"3\rsore\r")  # pain after, the note: one read
        term.wait_for("Routines")
        term.send(b"q")
        finish(term)
    sessions = json.loads(run_backrelief(data_dir, "journal", "list", "--json").stdout)
    stopped = [s for s in sessions if s["routine_name"] == "Burst check"]
    assert len(stopped) == 1
    assert (stopped[0]["status"], stopped[0]["pain_before"], stopped[0]["pain_after"], stopped[0]["note"]) == \
        ("stopped", 5, 3, "sore")


def test_a_setting_typed_in_one_read_is_stored(data_dir):
    with Terminal.start(backrelief_command(data_dir), cols=100, rows=30) as term:
        term.wait_for("Routines")
        term.send(b"s\x7f7\r")  # settings, clear get-ready, 7, enter: one read
        term.wait_until(lambda t: Store.open(data_dir).settings.load().get_ready_seconds == 7, timeout=30,
                        what="get-ready stored as 7")
        term.send(b"qq")
        finish(term)
