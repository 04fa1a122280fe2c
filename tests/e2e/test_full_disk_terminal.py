"""A real full disk under the real app in a pseudo-terminal: said plainly, no traceback, nothing typed lost.

The data dir lives on a 1 MiB tmpfs (the test skips, saying why, where it cannot
mount one). After the first hold the disk is filled; the session goes on to its
end, the pain rating and note are typed; then the room is given back, and the
journal has the whole session. On main this printed a traceback showing the
session file's content, pain ratings included.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.pty_harness import Terminal, backrelief_command, run_backrelief
from tests.e2e.small_disk import fill, mounted
from tui.storage.store import Store

pytestmark = pytest.mark.e2e

QUICK = {
    "format": "backrelief-routine", "version": 1, "name": "Quick check",
    "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 1, "reps": 3, "rest_seconds": 1}],
}
NOTE = "kept through a full disk"


def test_a_full_disk_in_a_real_terminal(tmp_path: Path):
    with mounted(tmp_path / "small-disk") as disk:
        data_dir = disk / "data"
        store = Store.open(data_dir)
        store.settings.change(safety_acknowledged=True, get_ready_seconds=1, switch_seconds=1, bell=False)
        store.routines.import_file(json.dumps(QUICK))
        with Terminal.start(backrelief_command(data_dir, "start", "Quick check"), cols=80, rows=24) as term:
            term.wait_for("Pain check-in")
            term.press("4", "enter")
            term.wait_for("HOLD")
            term.wait_until(lambda t: any(data_dir.glob("active/*.json"))
                            and json.loads(next(data_dir.glob("active/*.json")).read_text()).get("holds"),
                            what="the first hold on disk")
            filler = fill(disk)
            term.wait_for("The disk is full")
            term.wait_for("Pain check-in", timeout=30)  # the session went on to its end
            term.press("2", "enter")
            term.wait_for("A note for your journal")
            term.send(NOTE)
            term.press("enter")
            term.wait_for("Not saved yet")
            term.wait_for("kept in memory")
            filler.unlink()
            term.wait_for("Saved: Quick check", timeout=15)  # the dialog's own retry saved it
            term.press("ctrl+q")
            assert term.wait_exit() == 0
        everything = b"".join(chunk for _, chunk in term.chunks)
        assert b"Traceback" not in everything and b"pain_after" not in everything  # no error, no file content
        listed = run_backrelief(data_dir, "journal", "list", "--json")
    assert listed.returncode == 0 and listed.stderr == ""
    [session] = json.loads(listed.stdout)
    assert (session["status"], session["pain_before"], session["pain_after"], session["note"]) == ("completed", 4, 2, NOTE)
    assert len(session["holds"]) == 3
