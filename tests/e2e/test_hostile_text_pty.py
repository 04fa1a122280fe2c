"""Hostile text through the real command: the app in a pseudo-terminal, and every command line's output bytes.

A routine file or a journal from elsewhere holds a window-title sequence, a
clipboard write (OSC 52), a hyperlink (OSC 8), an 8-bit CSI (U+009B), a bidi
override and a zero-width space, and names that look like Textual markup.
Textual writes escape sequences of its own to draw, so what is asserted is
the data's own sequences: none of them may reach the terminal, the names
show as written, and the JSON outputs read back exactly.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.e2e.pty_harness import Terminal, backrelief_command, run_backrelief
from tui.domain.exercises import Exercise, exercise_to_dict
from tui.domain.routines import Routine, Step, routine_to_dict
from tui.storage.files import transaction, where_id
from tui.storage.store import Store

pytestmark = pytest.mark.e2e

TITLE = "\x1b]0;pwned\x07"
CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"
LINK = "\x1b]8;;https://evil.example\x1b\\click me\x1b]8;;\x1b\\"
CLEAR = "\x9b2J"
HOSTILE = f"Lie down.{TITLE} Hold.{CLIPBOARD}{CLEAR} {LINK} \u202eesrever\u202c and\u200bhidden."
"""A text field as a hostile file fills it."""
DATA_SEQUENCES = ("\x1b]0;", "\x1b]52;", "\x1b]8;", "pwned\x07", "\x9b", "\x9d", "\u202e", "\u202c", "\u200b")
"""What must never reach the terminal from the data (Textual's own drawing uses none of these)."""
NAMES = ("Hip [/x]", "Quick [/] test", "Morning [v2]")
"""Routine names that Textual would read as markup."""


def assert_no_data_sequences(output: bytes, command_line: bool = True) -> str:
    """`output` is valid UTF-8 (so no stray 0x9b byte) and holds none of the data's sequences; decoded.

    The command line writes no control character at all but newlines (and tabs); the app writes Textual's own.
    """
    text = output.decode("utf-8")  # strict: a lone 0x9b byte would fail here
    for sequence in DATA_SEQUENCES:
        assert sequence not in text, f"{sequence!r} reached the terminal: ...{text[text.find(sequence) - 60:][:120]!r}"
    if command_line:
        assert not {c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F}, text
    return text


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    """A data dir with hostile routines (as a hand edit or an older version left them) and an imported journal."""
    data_dir = tmp_path / "data"
    store = Store.open(data_dir)
    store.settings.change(get_ready_seconds=0, switch_seconds=0, safety_acknowledged=True, rate_stretches=False)
    knee = Exercise(id="knee-hug-x", name="Knee [/x] hug", instructions=HOSTILE, hold_range=(1, 30), default_hold=1)
    with transaction(store.data_dir.routines) as db:
        db.table("exercises").upsert(exercise_to_dict(knee), where_id(knee.id))
        for index, name in enumerate(NAMES):
            routine = Routine(id=f"r{index}", name=name, description=HOSTILE, steps=(Step("knee-hug-x", 1),))
            db.table("routines").upsert(routine_to_dict(routine), where_id(routine.id))
    journal = [{
        "id": "evil", "routine_id": "r0", "routine_name": f"Evil {TITLE}{CLEAR}\u202e",
        "started_at": "2026-01-05T08:00:00+00:00", "ended_at": "2026-01-05T08:05:00+00:00", "status": "completed",
        "holds_done": 1, "holds_planned": 1, "seconds_held": 1.0, "pain_before": 5, "pain_after": 3, "note": HOSTILE,
        "holds": [{"exercise": f"ghost{TITLE}", "side": None, "rep": 1, "planned_seconds": 1, "held_seconds": 1.0,
                   "completed": True}],
    }]
    (tmp_path / "journal.json").write_text(json.dumps(journal), encoding="utf-8")
    result = run(data_dir, "journal", "import", str(tmp_path / "journal.json"))
    assert result.returncode == 0, result.stderr
    return data_dir


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """A `backrelief` command to its end (forked, as `run_backrelief`); its output as bytes, exactly as a terminal
    would get them."""
    return run_backrelief(data_dir, *args, timeout=60, text=False)


# -- the app in a pseudo-terminal ------------------------------------------------------------------------


def test_the_app_shows_hostile_data_without_passing_it_to_the_terminal(hostile_dir):
    with Terminal.start(backrelief_command(hostile_dir), cols=100, rows=30) as term:
        term.wait_for("Routines")
        for _ in NAMES:  # through the custom routines: each one's preview
            term.press("j")
        term.wait_for("Morning [v2]")
        term.wait_for("Lie down.␛]0;pwned␇ Hold.")  # the preview's description, shown for what it is
        assert "Hip [/x]" in term.text() and "Quick [/] test" in term.text()
        term.press("J")
        term.wait_for("Evil ␛]0;pwned␇")
        term.press("enter")
        term.wait_for("ghost␛]0;pwned␇")  # the details: a hold of an exercise this data dir does not know
        term.press("escape")
        term.wait_for("Evil ␛]0;pwned␇")
        term.press("escape")
        term.wait_for("Routines")
        term.press("ctrl+q")
        term.wait_exit()
        assert_no_data_sequences(b"".join(data for _, data in term.chunks), command_line=False)


def test_a_session_of_a_hostile_routine_runs_to_its_end_in_the_terminal(hostile_dir):
    with Terminal.start(backrelief_command(hostile_dir, "start", "Hip [/x]"), cols=80, rows=24) as term:
        term.wait_for("Pain check-in")
        term.press("enter")
        term.wait_for("Knee [/x] hug")
        term.wait_for("Pain check-in", timeout=30)  # after the one hold: the done look is behind it
        term.press("enter")
        term.wait_for("A note for your journal")
        term.press("enter")
        term.wait_for("Saved: Hip [/x]")
        term.press("ctrl+q")
        term.wait_exit()
        assert_no_data_sequences(b"".join(data for _, data in term.chunks), command_line=False)
    assert any(s["routine_name"] == "Hip [/x]" for s in json.loads(run(hostile_dir, "journal", "list", "--json").stdout))


# -- the command line ------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("routines", "list"), ("routines", "list", "--json"), ("routines", "show", "r0"), ("routines", "show", "r0", "--json"),
    ("routines", "export", "r0"), ("journal", "list"), ("journal", "list", "--json"), ("journal", "export"),
    ("journal", "export", "--format", "json"),
], ids=" ".join)
def test_command_line_output_holds_none_of_the_data_sequences(hostile_dir, args):
    result = run(hostile_dir, *args)
    assert result.returncode == 0, result.stderr
    assert_no_data_sequences(result.stdout)
    assert_no_data_sequences(result.stderr)
    text = result.stdout.decode("utf-8")
    if "--json" in args or args[1] == "export":
        json.loads(text)  # still valid JSON
    elif args[0] == "routines":
        assert "Hip [/x]" in text


def test_json_exports_read_back_exactly(hostile_dir, tmp_path):
    exported = run(hostile_dir, "journal", "export")
    other = tmp_path / "other"
    (tmp_path / "export.json").write_bytes(exported.stdout)
    assert run(other, "journal", "import", str(tmp_path / "export.json")).returncode == 0
    again = json.loads(run(other, "journal", "list", "--json").stdout)
    assert again[0]["note"] == HOSTILE and again[0]["holds"][0]["exercise"] == f"ghost{TITLE}"
    routine = json.loads(run(hostile_dir, "routines", "export", "r1").stdout)
    assert routine["name"] == "Quick [/] test" and routine["description"] == HOSTILE
    assert routine["exercises"][0]["instructions"] == HOSTILE


def test_messages_about_hostile_input_are_harmless(hostile_dir, tmp_path):
    unknown_key = tmp_path / "unknown.json"
    unknown_key.write_text(json.dumps({"format": "backrelief-routine", "version": 1, "name": "Fine",
                                       f"x{TITLE}\u202e": 1, "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 5}]}))
    result = run(hostile_dir, "routines", "import", str(unknown_key))
    assert result.returncode == 1
    message = assert_no_data_sequences(result.stderr)
    assert "which is not a field of a routine file" in message and "\\x1b]0;pwned\\x07" in message

    bad_description = tmp_path / "described.json"
    bad_description.write_text(json.dumps({"format": "backrelief-routine", "version": 1, "name": "Fine",
                                           "description": HOSTILE,
                                           "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 5}]}))
    result = run(hostile_dir, "routines", "import", str(bad_description))
    assert result.returncode == 1
    assert "description: contains a control character (U+001B)" in assert_no_data_sequences(result.stderr)

    result = run(hostile_dir, "log", "r0", "--note", f"fine {TITLE}")
    assert result.returncode == 1
    assert "--note contains a control character (U+001B)" in assert_no_data_sequences(result.stderr)

    result = run(hostile_dir, "routines", "show", f"no such {TITLE}\u202e")
    assert result.returncode == 1
    assert_no_data_sequences(result.stderr)

    result = run(hostile_dir, "routines", f"list{TITLE}{CLEAR}")  # a usage error quotes what was typed
    assert result.returncode == 2
    assert_no_data_sequences(result.stderr)

    result = run(hostile_dir, "routines", "delete", "r0")
    assert result.returncode == 0
    assert "deleted 'Hip [/x]' (r0)" in assert_no_data_sequences(result.stderr)
