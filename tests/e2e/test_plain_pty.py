"""Plain mode as a user runs it: `backrelief start ROUTINE --plain` in a pseudo-terminal.

Its output is read as bytes, not as a screen: plain mode must write lines and
nothing else (no escape sequence at all), so the lines are asserted in order
straight from what the command wrote. A hang-up and `!` are checked against the
journal as another process reads it, and the import check runs the real
command under `python -X importtime`.
"""

from __future__ import annotations

import json
import signal
import sys
import termios
from pathlib import Path

import pytest

from tests.e2e.pty_harness import Terminal, backrelief_command, command_env, run_backrelief
from tui.storage.store import Store

pytestmark = pytest.mark.e2e

ROUTINE_FILE = {
    "format": "backrelief-routine",
    "version": 1,
    "name": "Plain pty",
    "steps": [
        {"exercise": "pelvic-tilt", "hold_seconds": 30, "reps": 1, "rest_seconds": 0, "sides": "none"},
        {"exercise": "side-knee-drop", "hold_seconds": 2, "reps": 1, "rest_seconds": 0, "sides": "both"},
    ],
}
"""A long first hold to press keys in, then two two-second holds: a whole session takes a few seconds.

Two seconds, not one: the keys pressed in the first hold fill the three lines of a second (see
tui.plain.narration.WINDOW_SECONDS), and the second hold's line must get out before that hold is over."""


def prepare(data_dir: Path, tmp_path: Path, **settings: object) -> str:
    """A data dir with no lead-ins, the safety note read, no question after each step, the routine imported."""
    Store.open(data_dir).settings.change(get_ready_seconds=0, switch_seconds=0, safety_acknowledged=True,
                                         rate_stretches=False, **settings)
    routine_path = tmp_path / "routine.json"
    routine_path.write_text(json.dumps(ROUTINE_FILE))
    result = run_backrelief(data_dir, "routines", "import", str(routine_path))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def journal(data_dir: Path) -> list[dict]:
    result = run_backrelief(data_dir, "journal", "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def output(term: Terminal) -> bytes:
    return b"".join(chunk for _, chunk in term.chunks)


def wrote(term: Terminal, text: str) -> bool:
    return text.encode() in output(term)


def wait_wrote(term: Terminal, text: str, timeout: float = 20.0) -> None:
    term.wait_until(lambda t: wrote(t, text), timeout=timeout, what=repr(text))


def start_plain(data_dir: Path, routine_id: str) -> Terminal:
    """The session under way in its long first hold."""
    term = Terminal.start(backrelief_command(data_dir, "start", routine_id, "--plain"), cols=100, rows=30)
    wait_wrote(term, "Enter skips:")
    term.press("enter")
    wait_wrote(term, "Hold 1 of 3: Pelvic Tilt, 30 seconds.")
    return term


def test_a_plain_session_runs_to_the_end_with_keys_and_is_in_the_journal(tmp_path):
    data_dir = tmp_path / "data"
    routine_id = prepare(data_dir, tmp_path)
    with start_plain(data_dir, routine_id) as term:
        term.press("space")
        wait_wrote(term, "Paused. Space goes on.")
        term.press("space")
        wait_wrote(term, "Going on:")
        term.press("+")
        wait_wrote(term, "+10 seconds")
        term.press("l")  # skip the rest of the long hold
        wait_wrote(term, "after the session?")
        term.press("2", "enter")
        wait_wrote(term, "anything to remember?")
        term.press("plain", "enter")
        wait_wrote(term, "Saved: Plain pty")
        assert term.wait_exit() == 0
        raw = output(term)
    assert b"\x1b" not in raw  # no cursor movement, no colour, no redraw
    lines = [line.split(". ")[0] for line in raw.replace(b"\x07", b"").decode().splitlines()]
    session_lines = [line for line in lines if line.startswith(("Hold", "Switch", "Paused", "Going on", "+10",
                                                                "Done", "Stopped", "Saved"))]
    assert session_lines[0] == "Hold 1 of 3: Pelvic Tilt, 30 seconds"
    assert session_lines[1:4] == ["Paused", "Going on: 30 seconds left", "+10 seconds"] or \
        session_lines[1:4] == ["Paused", "Going on: 29 seconds left", "+10 seconds"]
    assert session_lines[4:] == [
        "Hold 2 of 3: Side Knee Drop, left side, 2 seconds",
        "Hold 3 of 3: Side Knee Drop, right side, 2 seconds",
        "Done: 2 of 3 holds (1 skipped)",
        "Saved: Plain pty, 2 of 3 holds, completed.",
    ]
    [session] = journal(data_dir)
    assert (session["routine_id"], session["status"], session["holds_done"], session["holds_planned"]) == (
        routine_id, "completed", 2, 3)  # it ran to its end; the skipped hold says so
    assert (session["pain_before"], session["pain_after"], session["note"]) == (None, 2, "plain")


def test_a_hang_up_in_plain_mode_leaves_the_session_interrupted_and_the_app_offers_it(tmp_path):
    data_dir = tmp_path / "data"
    routine_id = prepare(data_dir, tmp_path)
    term = start_plain(data_dir, routine_id)
    try:
        term.hang_up()
        status = term.wait_exit(timeout=10)
    finally:
        term.close()
    assert status in (128 + signal.SIGHUP, -signal.SIGHUP)
    [session] = journal(data_dir)
    assert (session["status"], session["holds_planned"]) == ("interrupted", 3)
    with Terminal.start(backrelief_command(data_dir), cols=100, rows=30) as app:
        app.wait_for("An interrupted session of Plain pty")
        app.press("q")
        assert app.wait_exit() == 0


def test_sigterm_at_the_note_keeps_what_was_typed_and_puts_the_terminal_back(tmp_path):
    data_dir = tmp_path / "data"
    routine_id = prepare(data_dir, tmp_path)
    term = start_plain(data_dir, routine_id)
    try:
        assert not termios.tcgetattr(term.master)[3] & termios.ICANON  # keys without enter
        term.press("l")
        wait_wrote(term, "after the session?")
        term.press("6", "enter")
        wait_wrote(term, "anything to remember?")
        term.press("half a no")
        wait_wrote(term, "half a no")
        term.send_signal(signal.SIGTERM)
        assert term.wait_exit(timeout=10) == 128 + signal.SIGTERM
        modes = termios.tcgetattr(term.master)[3]
        assert modes & termios.ICANON and modes & termios.ECHO  # the terminal is as it was
    finally:
        term.close()
    [session] = journal(data_dir)
    assert (session["status"], session["pain_after"], session["note"]) == ("interrupted", 6, "half a no")


def test_the_something_is_wrong_key_in_plain_mode_stops_and_records_the_event(tmp_path):
    data_dir = tmp_path / "data"
    routine_id = prepare(data_dir, tmp_path)
    with start_plain(data_dir, routine_id) as term:
        term.press("!")
        wait_wrote(term, "Something is wrong? What happened:")
        term.press("4")  # dizziness
        wait_wrote(term, "Otherwise: Stop, and sit or lie down")
        wait_wrote(term, "Stopped after 0 of 3 holds")
        wait_wrote(term, "after the session?")
        term.press("enter")
        wait_wrote(term, "anything to remember?")
        term.press("enter")
        assert term.wait_exit() == 0
    [session] = journal(data_dir)
    assert session["status"] == "stopped"
    assert [event["kind"] for event in session["events"]] == ["dizziness"]


def test_plain_mode_never_imports_textual(tmp_path):
    data_dir = tmp_path / "data"
    routine_id = prepare(data_dir, tmp_path)
    log = tmp_path / "importtime.txt"
    argv = [sys.executable, "-X", "importtime", "-c",
            "import sys; sys.argv[0] = 'backrelief'; from tui.cli import main; raise SystemExit(main(sys.argv[1:]))",
            "--data-dir", str(data_dir), "start", routine_id]
    # TERM=dumb alone picks plain mode; stderr (the import log) goes to a file, the session to the terminal.
    shell = ["sh", "-c", 'exec "$@" 2>"$LOG"', "sh", *argv]
    with Terminal.start(shell, cols=100, rows=30, env=command_env({"TERM": "dumb", "LOG": str(log)})) as term:
        wait_wrote(term, "Enter skips:")
        term.press("enter")
        wait_wrote(term, "Hold 1 of 3")
        term.press("q")
        wait_wrote(term, "Stop the session?")
        term.press("y")
        wait_wrote(term, "Stopped after 0 of 3 holds")
        term.press("enter")
        wait_wrote(term, "anything to remember?")
        term.press("enter")
        assert term.wait_exit() == 0
    imported = [line.split("|")[-1].strip() for line in log.read_text().splitlines() if "|" in line]
    assert "tui.plain.session" in imported
    assert not [name for name in imported if name.split(".")[0] in ("textual", "rich", "pyfiglet")]


def test_ctrl_c_in_plain_mode_keeps_the_session_resumable_and_puts_the_terminal_back(tmp_path):
    data_dir = tmp_path / "data"
    routine_id = prepare(data_dir, tmp_path)
    term = start_plain(data_dir, routine_id)
    try:
        term.press("ctrl+c")
        wait_wrote(term, "kept as interrupted")
        assert term.wait_exit(timeout=10) == 128 + signal.SIGINT
        modes = termios.tcgetattr(term.master)[3]
        assert modes & termios.ICANON and modes & termios.ECHO
    finally:
        term.close()
    [session] = journal(data_dir)
    assert session["status"] == "interrupted"
