"""The real `backrelief` in a pseudo-terminal: a whole session, a hang-up, a SIGKILL, a resume.

What a Pilot test cannot see: the command line, the signal handlers, the
owner lock that the kernel drops when a process dies, and the journal as
another process reads it afterwards.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from tests.e2e.pty_harness import Terminal, backrelief_command, run_backrelief
from tui.storage.store import Store

pytestmark = pytest.mark.e2e

ROUTINE_FILE = {
    "format": "backrelief-routine",
    "version": 1,
    "name": "Pty check",
    "steps": [
        {"exercise": "pelvic-tilt", "hold_seconds": 1, "reps": 2, "rest_seconds": 0, "sides": "none"},
        {"exercise": "side-knee-drop", "hold_seconds": 1, "reps": 1, "rest_seconds": 0, "sides": "both"},
    ],
}
"""Four one-second holds with no lead-ins: a whole session takes a few seconds."""

LONG_LAST_HOLD = {
    **ROUTINE_FILE,
    "name": "Pty long",
    "steps": ROUTINE_FILE["steps"][:1] + [
        {"exercise": "prayer-pose", "hold_seconds": 6, "reps": 1, "rest_seconds": 0, "sides": "none"},
    ],
}
"""Two one-second holds, then one long enough to be cut off in."""

IN_THE_LONG_HOLD = "Prayer Pose  ·  rep 1 of 1  ·  hold 3 of 3"
"""The hold screen's exercise line once the long hold is under way (not just named as next)."""


def prepare(data_dir: Path, routine: dict, tmp_path: Path) -> str:
    """A data dir with no get-ready or switch time, the safety note read, and `routine` imported by the CLI."""
    Store.open(data_dir).settings.change(get_ready_seconds=0, switch_seconds=0, safety_acknowledged=True)
    routine_path = tmp_path / "routine.json"
    routine_path.write_text(json.dumps(routine))
    result = run_backrelief(data_dir, "routines", "import", str(routine_path))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def journal(data_dir: Path) -> list[dict]:
    """`backrelief journal list --json`, read by another process."""
    result = run_backrelief(data_dir, "journal", "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def answer_after_questions(term: Terminal, pain: str, note: str) -> None:
    """The after check-in and the note, then back at the menu."""
    term.wait_for("after the session", timeout=30)
    term.press(pain, "enter")
    term.wait_for("A note for your journal")
    term.press(note, "enter")
    term.wait_for("Routines")


def cut_off_in_the_long_hold(data_dir: Path, routine_id: str) -> Terminal:
    """Start the long routine, skip the check-in, and wait until the long hold is under way."""
    term = Terminal.start(backrelief_command(data_dir, "start", routine_id), cols=80, rows=24)
    term.wait_for("Pain check-in")
    term.press("3", "enter")
    term.wait_for(IN_THE_LONG_HOLD, timeout=30)  # the two short holds are stored by now
    return term


def test_a_session_in_a_real_terminal_is_stored_completed(tmp_path):
    data_dir = tmp_path / "data"
    routine_id = prepare(data_dir, ROUTINE_FILE, tmp_path)
    assert routine_id == "pty-check"
    with Terminal.start(backrelief_command(data_dir, "start", routine_id), cols=80, rows=24) as term:
        term.wait_for("Pain check-in")
        term.press("enter")  # skip
        term.wait_for("HOLD")
        # A window dragged too small and back mid-session: the message, then the session again.
        term.resize(30, 8)
        term.wait_for("Make the window larger")
        term.resize(80, 24)
        term.wait_gone("Make the window larger")
        answer_after_questions(term, "2", "pty")
        term.press("q")
        assert term.wait_exit() == 0
    sessions = journal(data_dir)
    assert len(sessions) == 1
    session = sessions[0]
    assert session["status"] == "completed"
    assert session["routine_id"] == routine_id
    assert session["holds_done"] == session["holds_planned"] == 4
    assert [(h["exercise"], h["side"], h["completed"]) for h in session["holds"]] == [
        ("pelvic-tilt", None, True), ("pelvic-tilt", None, True),
        ("side-knee-drop", "left", True), ("side-knee-drop", "right", True),
    ]
    assert (session["pain_before"], session["pain_after"], session["note"]) == (None, 2, "pty")


def test_a_hang_up_mid_session_leaves_it_interrupted_with_the_holds_done(tmp_path):
    data_dir = tmp_path / "data"
    routine_id = prepare(data_dir, LONG_LAST_HOLD, tmp_path)
    term = cut_off_in_the_long_hold(data_dir, routine_id)
    try:
        term.hang_up()
        status = term.wait_exit(timeout=10)
    finally:
        term.close()
    assert status in (128 + signal.SIGHUP, -signal.SIGHUP)
    sessions = journal(data_dir)
    assert len(sessions) == 1
    session = sessions[0]
    assert session["status"] == "interrupted"
    assert session["holds_planned"] == 3
    assert session["holds_done"] == 2
    assert [h["exercise"] for h in session["holds"]] == ["pelvic-tilt", "pelvic-tilt"]
    assert session["pain_before"] == 3


@pytest.mark.parametrize("cut_at", ["note", "pain after"])
def test_a_hang_up_at_the_end_keeps_what_the_user_had_typed(tmp_path, cut_at):
    # The kernel's lock alone would leave the session interrupted; what the hang-up handler
    # adds is what the user had typed and not yet entered when the link dropped.
    data_dir = tmp_path / "data"
    routine_id = prepare(data_dir, ROUTINE_FILE, tmp_path)
    term = Terminal.start(backrelief_command(data_dir, "start", routine_id), cols=80, rows=24)
    try:
        term.wait_for("Pain check-in")
        term.press("6", "enter")
        term.wait_for("after the session", timeout=30)
        if cut_at == "note":
            term.press("2", "enter")
            term.wait_for("A note for your journal")
            term.press("sore hip")
            term.wait_for("sore hip")  # in the field (narrow at this size), not entered
        else:
            term.wait_for("0-10")  # the empty field's placeholder
            term.press("4")
            term.wait_gone("0-10")  # the 4 is in the field, not entered
        term.hang_up()
        status = term.wait_exit(timeout=10)
    finally:
        term.close()
    assert status in (128 + signal.SIGHUP, -signal.SIGHUP)
    [session] = journal(data_dir)
    assert session["status"] == "interrupted"
    assert session["holds_done"] == session["holds_planned"] == 4
    if cut_at == "note":
        assert (session["pain_before"], session["pain_after"], session["note"]) == (6, 2, "sore hip")
    else:
        assert (session["pain_before"], session["pain_after"], session["note"]) == (6, 4, "")


def test_a_killed_session_is_interrupted_and_resumes_to_completed(tmp_path):
    data_dir = tmp_path / "data"
    routine_id = prepare(data_dir, LONG_LAST_HOLD, tmp_path)
    term = cut_off_in_the_long_hold(data_dir, routine_id)
    try:
        term.send_signal(signal.SIGKILL)
        assert term.wait_exit(timeout=10) == -signal.SIGKILL
    finally:
        term.close()
    [killed] = journal(data_dir)
    assert (killed["status"], killed["holds_done"], killed["holds_planned"]) == ("interrupted", 2, 3)

    with Terminal.start(backrelief_command(data_dir), cols=100, rows=30) as term:
        term.wait_for("An interrupted session of Pty long")
        term.wait_for("2 of 3 holds done")
        term.press("r")
        term.wait_for(IN_THE_LONG_HOLD)  # from the hold that was under way
        answer_after_questions(term, "1", "")
        term.wait_gone("An interrupted session")
        term.press("q")
        assert term.wait_exit() == 0
    [resumed] = journal(data_dir)  # one entry: the interrupted one became this one
    assert resumed["id"] == killed["id"]
    assert resumed["status"] == "completed"
    assert resumed["holds_done"] == resumed["holds_planned"] == 3
    assert [(h["exercise"], h["completed"]) for h in resumed["holds"]] == [
        ("pelvic-tilt", True), ("pelvic-tilt", True), ("prayer-pose", True)]
    assert (resumed["pain_before"], resumed["pain_after"]) == (3, 1)
