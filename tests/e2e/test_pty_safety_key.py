"""The real `backrelief` in a pseudo-terminal: `!` during a hold stops the session, and another process sees
the problem in `journal list --json`.

What a Pilot test cannot see: `!` arriving as the byte a terminal sends, and the
session stored before the advice shows, read back by a second process.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.e2e.pty_harness import Terminal, backrelief_command, run_backrelief
from tui.storage.store import Store

pytestmark = pytest.mark.e2e

ROUTINE_FILE = {
    "format": "backrelief-routine",
    "version": 1,
    "name": "Pty problem",
    "steps": [
        {"exercise": "pelvic-tilt", "hold_seconds": 1, "reps": 1, "rest_seconds": 0, "sides": "none"},
        {"exercise": "prayer-pose", "hold_seconds": 60, "reps": 1, "rest_seconds": 0, "sides": "none"},
    ],
}
"""A short hold, then one long enough to press `!` in."""

IN_THE_LONG_HOLD = "Prayer Pose  ·  rep 1 of 1  ·  hold 2 of 2"
"""The hold screen's exercise line once the long hold is under way."""


def prepare(data_dir: Path, tmp_path: Path) -> str:
    """No lead-ins, the safety note read, the question after each stretch on (as a new user has it)."""
    Store.open(data_dir).settings.change(get_ready_seconds=0, switch_seconds=0, safety_acknowledged=True,
                                         rate_stretches=True)
    routine_path = tmp_path / "routine.json"
    routine_path.write_text(json.dumps(ROUTINE_FILE))
    result = run_backrelief(data_dir, "routines", "import", str(routine_path))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def journal(data_dir: Path) -> list[dict]:
    """`backrelief journal list --json`, read by another process."""
    result = run_backrelief(data_dir, "journal", "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_problem_key_during_a_hold_stops_the_session_and_the_journal_shows_it(tmp_path):
    data_dir = tmp_path / "data"
    routine_id = prepare(data_dir, tmp_path)
    with Terminal.start(backrelief_command(data_dir, "start", routine_id), cols=80, rows=24) as term:
        term.wait_for("Pain check-in")
        term.press("5", "enter")
        term.wait_for("How did that stretch feel?", timeout=30)  # after the tilt
        term.press("2")
        term.wait_for(IN_THE_LONG_HOLD, timeout=30)
        assert "! Problem" in term.text()  # the footer names the key
        term.press("!")
        term.wait_for("Something is wrong")
        term.press("l")  # pain spreading down a leg
        term.wait_for("the session is stopped")
        term.wait_for("First: do you also have any of these?")
        # Stored before the advice is read: another process sees it now.
        [stored] = journal(data_dir)
        assert stored["status"] == "stopped"
        term.press("enter")
        term.wait_for("Routines")
        term.press("q")
        assert term.wait_exit() == 0
    [session] = journal(data_dir)
    assert session == stored
    assert (session["status"], session["pain_before"], session["pain_after"]) == ("stopped", 5, None)
    [event] = session["events"]
    assert (event["kind"], event["note"]) == ("leg-pain", "")
    assert datetime.fromisoformat(event["at"]) >= datetime.fromisoformat(session["started_at"])
    assert session["step_ratings"] == [{"step": 1, "exercise": "pelvic-tilt", "discomfort": 2}]
    assert [(h["exercise"], h["completed"]) for h in session["holds"]] == [("pelvic-tilt", True),
                                                                          ("prayer-pose", False)]
