"""The `backrelief` command line: every command but the app itself, as PRODUCT.md gives it.

Most tests call `tui.cli.main` in this process; a few run the real command to
see what a user sees (exit codes, no traceback, the environment variable).
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui import __version__
from tui.cli import main
from tui.domain.exercises import Exercise
from tui.domain.routines import Routine, Step
from tui.storage.files import transaction
from tui.domain.text import cell_width
from tui.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
SESSION_FIELDS = {
    "id", "routine_id", "routine_name", "started_at", "ended_at", "status", "holds_done",
    "holds_planned", "seconds_held", "pain_before", "pain_after", "note", "holds",
}
HOLD_FIELDS = {"exercise", "side", "rep", "planned_seconds", "held_seconds", "completed"}
TRICKY_NOTES = [
    'tight, then "better"',
    "line one\nline two, with a comma",
    "спина болит; 腰が痛い; ظهري 🙂",
    'quote " and, comma\r\nand CRLF',
]


class Run:
    """What one command printed and returned."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    @property
    def error(self) -> str:
        """The single error line; fails unless stderr is exactly one line."""
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        assert "Traceback" not in self.err
        return lines[0]


@pytest.fixture
def cli(capsys, data_dir):
    """Run the command line in this process against the test's data dir."""

    def run(*args: str, where: Path | None = None) -> Run:
        try:
            code = main([*args, "--data-dir", str(where or data_dir)])
        except SystemExit as exit_:  # argparse: --help, --version, usage errors
            code = exit_.code
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes (lock files included: nothing may appear)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def ago(**delta) -> str:
    """A local time in the past, ISO 8601 with its offset."""
    return (datetime.now().astimezone() - timedelta(**delta)).isoformat(timespec="seconds")


def journal(cli, *extra: str, where: Path | None = None) -> list[dict]:
    """The journal as `journal list --json` prints it."""
    result = cli("journal", "list", "--json", *extra, where=where)
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.fixture
def custom(data_dir) -> Routine:
    """A custom routine using a custom exercise and a two-sided built-in one."""
    store = Store.open(data_dir)
    store.routines.save_exercise(Exercise(id="", name="Cat-Cow", instructions="Arch, then round.",
                                          hold_range=(5, 15), reps_range=(3, 10), default_hold=10))
    return store.routines.save(Routine(
        id="", name="Morning reset", description="Gentle, before work.",
        steps=(Step("cat-cow", 10, 3, 2, "none"), Step("side-knee-drop", 30, 2, 10, "both")),
    ))


# -- routines ------------------------------------------------------------------------


def test_routines_list_and_show(cli, custom):
    listed = cli("routines", "list", "--json")
    assert listed.code == 0 and listed.err == ""
    rows = {r["id"]: r for r in json.loads(listed.out)}
    assert rows["back-spasm-relief"]["builtin"] is True
    assert rows["morning-reset"] == {"id": "morning-reset", "name": "Morning reset", "builtin": False,
                                     "steps": 2, "total_seconds": 5 + 10 * 3 + 2 * 2 + 5 + 30 * 4 + 5 * 2 + 10}
    table = cli("routines", "list").out
    assert "Morning reset" in table and "custom" in table and "built-in" in table
    shown = json.loads(cli("routines", "show", "Morning reset", "--json").out)  # by exact name
    assert shown["id"] == "morning-reset" and shown["holds"] == 3 + 4
    assert [s["exercise"] for s in shown["steps"]] == ["cat-cow", "side-knee-drop"]
    assert [s["order"] for s in shown["steps"]] == ["alternate", "alternate"]
    text = cli("routines", "show", "morning-reset").out
    assert "Gentle, before work." in text and "Cat-Cow" in text
    builtin = json.loads(cli("routines", "show", "back-spasm-relief", "--json").out)
    assert [s["order"] for s in builtin["steps"]] == ["alternate", "alternate", "one-side-first", "alternate"]
    assert builtin["total_seconds"] == 620 and builtin["holds"] == 25
    assert "both, one side first" in cli("routines", "show", "back-spasm-relief").out
    missing = cli("routines", "show", "morning")
    assert missing.code == 1 and "'morning'" in missing.error


def test_export_then_import_gives_back_the_same_routine(cli, custom, data_dir, tmp_path):
    exported = cli("routines", "export", "morning-reset")
    assert exported.code == 0
    file = tmp_path / "morning.json"
    assert cli("routines", "export", "Morning reset", "-o", str(file)).code == 0
    assert file.read_text(encoding="utf-8") == exported.out
    document = json.loads(exported.out)
    assert document["format"] == "backrelief-routine" and document["version"] == 1
    assert [e["id"] for e in document["exercises"]] == ["cat-cow"]

    fresh = tmp_path / "fresh"
    imported = cli("routines", "import", str(file), where=fresh)
    assert imported.code == 0, imported.err
    assert imported.out == "morning-reset\n"
    theirs = Store.open(fresh)
    mine = Store.open(data_dir)
    got = theirs.routines.get("morning-reset")
    assert (got.name, got.description, got.steps) == (custom.name, custom.description, custom.steps)
    assert theirs.routines.exercises()["cat-cow"] == mine.routines.exercises()["cat-cow"]
    assert cli("routines", "export", "morning-reset", where=fresh).out == exported.out

    before = files(fresh)
    again = cli("routines", "import", str(file), where=fresh)
    assert again.code == 1 and again.out == ""
    assert "name" in again.error and "'Morning reset' already exists" in again.error
    assert files(fresh) == before


def test_a_figure_and_an_order_of_sides_go_out_and_come_back(cli, data_dir, tmp_path):
    store = Store.open(data_dir)
    drawn = store.routines.save_exercise(Exercise(id="", name="Wall lean", instructions="Lean.",
                                                  figure=(" ╭╮", "╱╰╯▌")))
    store.routines.save(Routine(id="", name="Sided", steps=(Step(drawn.id, 10, 3, 2, "both", "one-side-first"),)))
    exported = cli("routines", "export", "Sided")
    document = json.loads(exported.out)
    assert document["exercises"][0]["figure"] == [" ╭╮", "╱╰╯▌"]
    assert document["steps"][0]["order"] == "one-side-first"
    file = tmp_path / "sided.json"
    file.write_text(exported.out, encoding="utf-8")
    fresh = tmp_path / "fresh"
    assert cli("routines", "import", str(file), where=fresh).code == 0
    theirs = Store.open(fresh)
    assert theirs.routines.get("sided").steps == (Step(drawn.id, 10, 3, 2, "both", "one-side-first"),)
    assert theirs.routines.exercises()[drawn.id].figure == (" ╭╮", "╱╰╯▌")
    shown = json.loads(cli("routines", "show", "sided", "--json", where=fresh).out)
    # Three reps on the left with two rests, one switch, three on the right with two rests.
    assert shown["steps"][0]["order"] == "one-side-first" and shown["holds"] == 6
    assert shown["total_seconds"] == 5 + 6 * 10 + 4 * 2 + 5


def test_an_imported_copy_under_a_new_name_gets_its_own_id(cli, custom, tmp_path):
    document = json.loads(cli("routines", "export", "morning-reset").out)
    document["name"] = "Morning reset (copy)"
    file = tmp_path / "copy.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    result = cli("routines", "import", str(file))
    assert result.code == 0 and result.out == "morning-reset-copy\n"
    assert json.loads(cli("routines", "show", "morning-reset-copy", "--json").out)["steps"][0]["exercise"] == "cat-cow"


def test_routine_names_match_in_any_case_unless_that_is_ambiguous(cli, custom, data_dir):
    shown = json.loads(cli("routines", "show", "MORNING RESET", "--json").out)
    assert shown["id"] == "morning-reset"
    Store.open(data_dir).routines.save(Routine(id="", name="Morning-Reset", steps=(Step("pelvic-tilt", 10),)))
    # "morning-reset" is the first one's id exactly; in capitals it is that id and the second one's name.
    assert json.loads(cli("routines", "show", "morning-reset", "--json").out)["name"] == "Morning reset"
    ambiguous = cli("routines", "show", "MORNING-RESET")
    assert ambiguous.code == 1 and "'Morning reset'" in ambiguous.error and "'Morning-Reset'" in ambiguous.error


def test_a_routine_whose_name_is_taken_imports_as_a_copy_when_asked(cli, custom, data_dir, tmp_path):
    file = tmp_path / "morning.json"
    assert cli("routines", "export", "morning-reset", "-o", str(file)).code == 0
    refused = cli("routines", "import", str(file))
    assert refused.code == 1 and "--as-copy" in refused.error and "'Morning reset (copy)'" in refused.error
    copied = cli("routines", "import", str(file), "--as-copy")
    assert copied.code == 0, copied.err
    routine = Store.open(data_dir).routines.get(copied.out.strip())
    assert routine.name == "Morning reset (copy)" and routine.steps == custom.steps
    assert sorted(e.id for e in Store.open(data_dir).routines.custom_exercises()) == ["cat-cow"]  # the same one


def test_importing_twice_reuses_the_first_rename_of_a_clashing_exercise(cli, custom, data_dir, tmp_path):
    document = json.loads(cli("routines", "export", "morning-reset").out)
    document["exercises"][0]["instructions"] = "Their own way of doing it."  # same id, other content
    document["name"] = "Their reset"
    file = tmp_path / "theirs.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    assert cli("routines", "import", str(file)).code == 0
    assert cli("routines", "import", str(file), "--as-copy").code == 0
    store = Store.open(data_dir)
    assert sorted(e.id for e in store.routines.custom_exercises()) == ["cat-cow", "cat-cow-2"]
    assert store.routines.get("Their reset (copy)").steps[0].exercise == "cat-cow-2"


def test_a_table_lines_up_after_wide_characters(cli, data_dir):
    Store.open(data_dir).routines.save(Routine(id="", name="腰のストレッチ 💪", steps=(Step("pelvic-tilt", 10),)))
    lines = cli("routines", "list").out.splitlines()
    header, wide = lines[0], next(line for line in lines if "💪" in line)
    # Each CJK character and the emoji take two columns: the step count starts under STEPS all the same.
    steps_at = wide.index("💪") + len("💪  ")
    assert wide[steps_at] == "1"
    assert cell_width(wide[:steps_at]) == cell_width(header[:header.index("STEPS")])


def _routine_file(**changes) -> dict:
    document = {"format": "backrelief-routine", "version": 1, "name": "Evening", "description": "",
                "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 10, "reps": 3, "rest_seconds": 5, "sides": "none"}]}
    document.update(changes)
    return {k: v for k, v in document.items() if v is not KeyError}


BAD_ROUTINE_FILES = {
    "not JSON": (b'{"format": "backrelief-routine",', "not valid JSON"),
    "not UTF-8": (b'{"name": "\xff"}', "not UTF-8"),
    "a list": (b"[]", "file: must hold a JSON object"),
    "nested too deep": (b"[" * 100_000, "nested too deeply"),
    "format": (_routine_file(format="other"), "format: must be 'backrelief-routine'"),
    "version": (_routine_file(version=2), "version: must be 1"),
    "name missing": (_routine_file(name=KeyError), "name: must be text"),
    "name a number": (_routine_file(name=7), "name: must be text, not a number"),
    "name too long": (_routine_file(name="x" * 61), "name: is 61 characters long"),
    "name unprintable": (_routine_file(name="bad\x1bname"), "name: contains a control"),
    "steps missing": (_routine_file(steps=KeyError), "steps: must be a list, not null"),
    "steps empty": (_routine_file(steps=[]), "steps: has 0 steps"),
    "too many steps": (_routine_file(steps=[{"exercise": "pelvic-tilt", "hold_seconds": 10}] * 51), "steps: has 51 steps"),
    "hold missing": (_routine_file(steps=[{"exercise": "pelvic-tilt"}]), "steps[0].hold_seconds: is missing"),
    "hold as text": (_routine_file(steps=[{"exercise": "pelvic-tilt", "hold_seconds": "10"}]), "steps[0].hold_seconds: must be a whole number"),
    "hold fraction": (_routine_file(steps=[{"exercise": "pelvic-tilt", "hold_seconds": 10.5}]), "steps[0].hold_seconds"),
    "hold too long": (_routine_file(steps=[{"exercise": "pelvic-tilt", "hold_seconds": 601}]), "steps[0].hold_seconds: must be from 1 to 600"),
    "rest negative": (_routine_file(steps=[{"exercise": "pelvic-tilt", "hold_seconds": 5, "rest_seconds": -1}]), "steps[0].rest_seconds"),
    "reps 51": (_routine_file(steps=[{"exercise": "pelvic-tilt", "hold_seconds": 5, "reps": 51}]), "steps[0].reps: must be from 1 to 50"),
    "sides": (_routine_file(steps=[{"exercise": "pelvic-tilt", "hold_seconds": 5, "sides": "up"}]), "steps[0].sides"),
    "step a list": (_routine_file(steps=[["pelvic-tilt", 5]]), "steps[0]: must be an object"),
    "unknown exercise": (_routine_file(steps=[{"exercise": "no-such-stretch", "hold_seconds": 5}]), "steps[0].exercise: unknown exercise 'no-such-stretch'"),
    "exercise bad id": (_routine_file(exercises=[{"id": "Cat Cow", "name": "Cat-Cow"}]), "exercises[0].id"),
    "exercise built-in id": (_routine_file(exercises=[{"id": "pelvic-tilt", "name": "Mine"}]), "exercises[0].id: 'pelvic-tilt' is a built-in"),
    "exercises not a list": (_routine_file(exercises={"id": "x"}), "exercises: must be a list"),
    "unknown field": (_routine_file(colour="red"), "colour: is not a field"),
}


@pytest.mark.parametrize("case", BAD_ROUTINE_FILES, ids=list(BAD_ROUTINE_FILES))
def test_a_bad_routine_file_is_refused_naming_the_field_and_nothing_is_stored(cli, custom, data_dir, tmp_path, case):
    content, expected = BAD_ROUTINE_FILES[case]
    file = tmp_path / "routine.json"
    file.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    cli("routines", "list")  # every data file the command reads exists already
    before = files(data_dir)
    result = cli("routines", "import", str(file))
    assert result.code == 1
    assert result.out == ""
    assert result.error.startswith(f"backrelief: error: {file}: ")
    assert expected in result.error
    assert files(data_dir) == before


def test_a_routine_file_over_one_mib_is_refused(cli, custom, data_dir, tmp_path):
    document = _routine_file(description="")
    text = json.dumps(document)
    file = tmp_path / "big.json"
    file.write_text(text[:-1] + " " * (1024 * 1024 - len(text) + 1) + "}", encoding="utf-8")
    assert file.stat().st_size == 1024 * 1024 + 1
    cli("routines", "list")
    before = files(data_dir)
    result = cli("routines", "import", str(file))
    assert result.code == 1 and "1 MiB" in result.error and "file" in result.error
    assert files(data_dir) == before
    file.write_text(text[:-1] + " " * (1024 * 1024 - len(text)) + "}", encoding="utf-8")  # exactly 1 MiB
    assert cli("routines", "import", str(file)).out == "evening\n"


def test_importing_a_directory_or_a_missing_file_is_refused(cli, custom, data_dir, tmp_path):
    cli("routines", "list")
    before = files(data_dir)
    folder = cli("routines", "import", str(tmp_path))
    assert folder.code == 1 and "is a directory" in folder.error and str(tmp_path) in folder.error
    missing = cli("routines", "import", str(tmp_path / "nope.json"))
    assert missing.code == 1 and "nope.json" in missing.error and "No such file" in missing.error
    journal_missing = cli("journal", "import", str(tmp_path / "nope.json"))
    assert journal_missing.code == 1 and "nope.json" in journal_missing.error
    journal_folder = cli("journal", "import", str(tmp_path))
    assert journal_folder.code == 1 and "is a directory" in journal_folder.error
    assert files(data_dir) == before


def test_delete_custom_routines_only(cli, custom, data_dir):
    builtin = cli("routines", "delete", "back-spasm-relief")
    assert builtin.code == 1 and "built in" in builtin.error
    unknown = cli("routines", "delete", "no-such-routine")
    assert unknown.code == 1 and "'no-such-routine'" in unknown.error
    deleted = cli("routines", "delete", "Morning reset")
    assert deleted.code == 0 and "Morning reset" in deleted.err
    assert [r["id"] for r in json.loads(cli("routines", "list", "--json").out)] == ["back-spasm-relief"]
    again = cli("routines", "delete", "morning-reset")
    assert again.code == 1


# -- log ---------------------------------------------------------------------------------


def test_log_records_a_logged_session(cli, custom):
    at = "2026-01-02T08:00:00+05:00"
    result = cli("log", "morning-reset", "--pain-before", "6", "--pain-after", "3", "--note", "ok", "--at", at)
    assert result.code == 0, result.err
    [entry] = journal(cli)
    assert result.out == f"{entry['id']}\n"
    assert entry["status"] == "logged"
    assert (entry["pain_before"], entry["pain_after"], entry["note"]) == (6, 3, "ok")
    assert entry["started_at"] == at  # the offset given is kept
    planned = 5 + 10 * 3 + 2 * 2 + 5 + 30 * 4 + 5 * 2 + 10
    assert datetime.fromisoformat(entry["ended_at"]) - datetime.fromisoformat(at) == timedelta(seconds=planned)
    assert entry["holds_planned"] == entry["holds_done"] == len(entry["holds"]) == 7
    assert entry["seconds_held"] == 10 * 3 + 30 * 4
    assert [(h["exercise"], h["side"], h["rep"]) for h in entry["holds"][3:5]] == [
        ("side-knee-drop", "left", 1), ("side-knee-drop", "right", 1)]


def test_log_without_at_ends_now(cli, custom):
    before = datetime.now(timezone.utc)
    assert cli("log", "morning-reset").code == 0
    [entry] = journal(cli)
    ended = datetime.fromisoformat(entry["ended_at"])
    assert before - timedelta(seconds=1) <= ended <= datetime.now(timezone.utc) + timedelta(seconds=1)


def test_journal_export_takes_the_format_from_the_file_name(cli, custom, tmp_path):
    assert cli("log", "morning-reset", "--note", "x").code == 0
    assert cli("journal", "export", "-o", str(tmp_path / "sessions.CSV")).code == 0
    assert (tmp_path / "sessions.CSV").read_text(encoding="utf-8").startswith("id,")
    assert cli("journal", "export", "-o", str(tmp_path / "sessions.json")).code == 0
    assert len(json.loads((tmp_path / "sessions.json").read_text(encoding="utf-8"))) == 1
    assert cli("journal", "export", "--format", "json", "-o", str(tmp_path / "forced.csv")).code == 0
    assert (tmp_path / "forced.csv").read_text(encoding="utf-8").startswith("[")


def test_log_at_without_an_offset_means_local_time(cli, local_time):
    local_time("XXX-03")  # three hours ahead of UTC
    assert cli("log", "Back spasm relief", "--at", "2026-01-02T08:30").code == 0
    assert cli("log", "back-spasm-relief").code == 0  # ending now
    newest, older = journal(cli)
    assert older["started_at"] == "2026-01-02T08:30:00+03:00"
    assert (older["pain_before"], older["pain_after"], older["note"]) == (None, None, "")
    now = datetime.fromisoformat(newest["ended_at"])
    assert datetime.fromisoformat(newest["started_at"]).utcoffset() == timedelta(hours=3)
    assert abs(now - datetime.now(timezone.utc)) < timedelta(minutes=1)


@pytest.mark.parametrize("args, expected", [
    (["--pain-before", "11"], "--pain-before: pain must be from 0 to 10, not 11"),
    (["--pain-after", "-1"], "--pain-after"),
    (["--pain-before", "x"], "--pain-before: pain must be a whole number from 0 to 10, not 'x'"),
    (["--pain-after", "5.5"], "--pain-after"),
    (["--pain-before", ""], "--pain-before"),
    (["--at", "not a date"], "--at: 'not a date' is not a date and time; type it like 2026-01-31 08:30"),
    (["--at", "2026-13-01T08:00"], "--at: '2026-13-01T08:00' is not a date and time"),
    (["--at", "FUTURE"], "is in the future"),
    (["--note", "x" * 2001], "--note is 2001 characters long; at most 2000"),
])
def test_log_refuses_bad_values_and_stores_nothing(cli, data_dir, args, expected):
    args = [ago(days=-1) if a == "FUTURE" else a for a in args]
    cli("log", "back-spasm-relief", "--at", "2026-01-02T08:00Z")
    before = files(data_dir)
    result = cli("log", "back-spasm-relief", *args)
    assert result.code == 1 and result.out == ""
    assert expected in result.error
    assert files(data_dir) == before


def test_log_refuses_an_unknown_routine(cli, data_dir):
    result = cli("log", "no-such-routine")
    assert result.code == 1 and "'no-such-routine'" in result.error
    assert list((data_dir / "journal").glob("*.json")) == []


# -- journal list -------------------------------------------------------------------------


def test_journal_list_is_newest_first_with_exactly_the_documented_fields(cli):
    for when in ["2026-01-10T08:00:00+00:00", "2026-03-01T08:00:00+00:00", "2025-12-31T23:00:00-02:00",
                 "2026-01-20T08:00:00+00:00"]:
        assert cli("log", "back-spasm-relief", "--at", when).code == 0
    entries = journal(cli)
    assert [e["started_at"] for e in entries] == [
        "2026-03-01T08:00:00+00:00", "2026-01-20T08:00:00+00:00", "2026-01-10T08:00:00+00:00",
        "2025-12-31T23:00:00-02:00"]
    for entry in entries:
        assert set(entry) == SESSION_FIELDS
        assert all(set(hold) == HOLD_FIELDS for hold in entry["holds"])
        assert entry["status"] in {"completed", "stopped", "interrupted", "logged"}
    table = cli("journal", "list")
    assert table.code == 0 and len(table.out.splitlines()) == 1 + 4


def test_journal_list_since_and_limit(cli):
    for when in ["2026-01-10T12:00", "2026-01-11T12:00", "2026-01-12T12:00", "2026-01-09T12:00"]:
        cli("log", "back-spasm-relief", "--at", when)
    since = journal(cli, "--since", "2026-01-10")
    assert [e["started_at"][:10] for e in since] == ["2026-01-12", "2026-01-11", "2026-01-10"]
    assert [e["started_at"][:10] for e in journal(cli, "--since", "2026-01-10", "--limit", "2")] == ["2026-01-12", "2026-01-11"]
    assert len(journal(cli, "--limit", "1")) == 1
    assert journal(cli, "--since", "2026-02-01") == []


@pytest.mark.parametrize("args, expected", [
    (["--limit", "0"], "--limit must be 1 or more, not 0"),
    (["--limit", "-1"], "--limit must be a whole number of 1 or more, not '-1'"),
    (["--limit", "x"], "--limit"),
    (["--limit", "1.5"], "--limit"),
    (["--limit", "\u00b9"], "--limit"),  # superscript one: a digit to str.isdigit, not to int()
    (["--since", "yesterday"], "--since must be a date like 2026-01-31, not 'yesterday'"),
    (["--since", "2026-02-30"], "--since"),
])
def test_journal_list_refuses_bad_filters(cli, args, expected):
    result = cli("journal", "list", *args)
    assert result.code == 1 and result.out == ""
    assert expected in result.error


def test_journal_list_never_prints_control_characters_from_a_note(cli, tmp_path):
    # A note typed with `log` may not hold them (see test_log_refuses_a_note_with_control_characters): an import may.
    assert cli("log", "back-spasm-relief", "--note", "placeholder").code == 0
    exported = json.loads(cli("journal", "export").out)
    exported[0]["note"] = "a\x1b]0;owned\x07b\x1b[31mred\x9b"
    (tmp_path / "hostile.json").write_text(json.dumps(exported), encoding="utf-8")
    assert cli("journal", "import", str(tmp_path / "hostile.json"), where=tmp_path / "other").code == 0
    table = cli("journal", "list", where=tmp_path / "other").out
    assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) < 0xA0 for c in table)
    assert "red" in table
    assert json.loads(cli("journal", "list", "--json", where=tmp_path / "other").out)[0]["note"] == (
        "a\x1b]0;owned\x07b\x1b[31mred\x9b")


@pytest.mark.parametrize("note", ["title \x1b]0;owned\x07", "csi \x9b2J", "rtl \u202e", "zero\u200bwidth", "tab\there"])
def test_log_refuses_a_note_with_control_characters(cli, note):
    result = cli("log", "back-spasm-relief", "--note", note)
    assert result.code == 1 and result.out == ""
    assert "--note contains" in result.err
    assert cli("journal", "list", "--json").out.strip() == "[]"


# -- journal export and import ----------------------------------------------------------


def _log_tricky(cli) -> None:
    for day, note in enumerate(TRICKY_NOTES, 1):
        result = cli("log", "back-spasm-relief", "--at", f"2026-01-0{day}T08:00:00+01:00",
                     "--pain-before", str(day), "--note", note)
        assert result.code == 0, result.err


def test_journal_export_json_and_import_round_trip(cli, data_dir, tmp_path):
    _log_tricky(cli)
    exported = cli("journal", "export")  # json is the default
    assert exported.code == 0
    assert json.loads(exported.out) == journal(cli)
    file = tmp_path / "journal.json"
    assert cli("journal", "export", "--format", "json", "-o", str(file)).out == ""
    assert file.read_text(encoding="utf-8") == exported.out

    fresh = tmp_path / "fresh"
    first = cli("journal", "import", str(file), where=fresh)
    assert first.code == 0 and "imported 4" in first.err
    assert cli("journal", "export", where=fresh).out == exported.out
    assert sorted(e["note"] for e in json.loads(exported.out)) == sorted(TRICKY_NOTES)
    before = files(fresh)
    second = cli("journal", "import", str(file), where=fresh)
    assert second.code == 0 and "imported 0" in second.err and "skipped 4" in second.err
    assert files(fresh) == before


def test_journal_import_merges_with_what_is_there(cli, tmp_path):
    _log_tricky(cli)
    file = tmp_path / "journal.json"
    cli("journal", "export", "-o", str(file))
    other = tmp_path / "other"
    cli("log", "back-spasm-relief", "--at", "2026-01-05T08:00Z", "--note", "theirs", where=other)
    mine = json.loads(file.read_text(encoding="utf-8"))
    kept = dict(mine[0], note="changed elsewhere")  # same id: what is stored wins
    (tmp_path / "partial.json").write_text(json.dumps([kept]), encoding="utf-8")
    assert "imported 1" in cli("journal", "import", str(tmp_path / "partial.json"), where=other).err
    result = cli("journal", "import", str(file), where=other)
    assert result.code == 0 and "imported 3" in result.err and "skipped 1" in result.err
    merged = journal(cli, where=other)
    assert len(merged) == 5
    others = [n for n in TRICKY_NOTES if n != mine[0]["note"]]
    assert sorted(e["note"] for e in merged) == sorted(["theirs", "changed elsewhere", *others])


def test_journal_export_csv_keeps_every_note_intact(cli, tmp_path):
    _log_tricky(cli)
    out = tmp_path / "journal.csv"
    assert cli("journal", "export", "--format", "csv", "-o", str(out)).code == 0
    raw = out.read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    entries = journal(cli)
    assert [r["id"] for r in rows] == [e["id"] for e in entries]
    assert [r["note"] for r in rows] == [e["note"] for e in entries]
    assert sorted(r["note"] for r in rows) == sorted(TRICKY_NOTES)
    for row, entry in zip(rows, entries):
        assert json.loads(row["holds"]) == entry["holds"]
        assert row["pain_after"] == ""  # null
        assert int(row["pain_before"]) == entry["pain_before"]
        assert row["started_at"] == entry["started_at"]
    assert cli("journal", "export", "--format", "csv").out == raw


def test_journal_export_format_must_be_csv_or_json(cli):
    result = cli("journal", "export", "--format", "xml")
    assert result.code == 2 and "Traceback" not in result.err


def _valid_sessions(cli) -> list[dict]:
    for when in ["2026-01-01T08:00Z", "2026-01-02T08:00Z", "2026-02-03T08:00Z"]:
        cli("log", "back-spasm-relief", "--at", when)
    return journal(cli)


def _bad(sessions: list[dict], index: int, **changes) -> list[dict]:
    broken = [dict(s) for s in sessions]
    broken[index].update(changes)
    return broken


@pytest.mark.parametrize("make, expected", [
    (lambda s: b"not json", "file: is not valid JSON"),
    (lambda s: b"[" * 100_000, "file: "),
    (lambda s: {"sessions": s}, "file: must hold a JSON array"),
    (lambda s: _bad(s, 2, started_at="yesterday"), "sessions[2].started_at: is not an ISO 8601"),
    (lambda s: _bad(s, 2, started_at="2026-01-01T08:00"), "sessions[2].started_at: needs a UTC offset"),
    (lambda s: _bad(s, 1, status="done"), "sessions[1].status: must be one of"),
    (lambda s: _bad(s, 0, pain_before=11), "sessions[0].pain_before"),
    (lambda s: _bad(s, 2, id=None), "sessions[2].id: must be non-empty text"),
    (lambda s: _bad(s, 1, holds=[{"exercise": "pelvic-tilt"}]), "sessions[1].holds[0].rep"),
    (lambda s: _bad(s, 1, holds="none"), "sessions[1].holds: must be a list"),
    (lambda s: _bad(s, 2, ended_at="2020-01-01T00:00:00+00:00"), "sessions[2].ended_at: is before started_at"),
    (lambda s: [*s, 5], "sessions[3]: must be an object"),
])
def test_journal_import_refuses_a_bad_file_and_stores_nothing(cli, tmp_path, make, expected):
    sessions = _valid_sessions(cli)
    fresh = tmp_path / "fresh"
    cli("journal", "list", where=fresh)
    before = files(fresh)
    content = make(sessions)
    file = tmp_path / "import.json"
    file.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    result = cli("journal", "import", str(file), where=fresh)
    assert result.code == 1
    assert result.error.startswith(f"backrelief: error: {file}: ")
    assert expected in result.error
    assert files(fresh) == before


# -- damaged data files -------------------------------------------------------------------


@pytest.mark.parametrize("target, command", [
    ("journal/2026-01.json", ["journal", "list"]),
    ("journal/2026-01.json", ["log", "back-spasm-relief", "--at", "2026-01-03T08:00Z"]),
    ("routines.json", ["routines", "list"]),
    ("routines.json", ["routines", "export", "back-spasm-relief"]),
    ("settings.json", ["routines", "list"]),
])
def test_a_damaged_data_file_is_moved_aside_and_named(cli, custom, data_dir, target, command):
    cli("log", "back-spasm-relief", "--at", "2026-01-02T08:00Z")
    damaged = data_dir / target
    garbage = b'{"sessions": {"1": {"id": "x", \xff half-written'  # neither JSON nor UTF-8
    damaged.write_bytes(garbage)
    result = cli(*command)
    # Listing the journal carries on without the damaged month, with a warning; the rest stop.
    listing = command[:2] == ["journal", "list"]
    assert result.code == (0 if listing else 1)
    line = result.error
    assert ("warning" in line) == listing
    [backup] = damaged.parent.glob(f"{damaged.name}.corrupt-*")
    assert str(damaged) in line and str(backup) in line
    assert backup.read_bytes() == garbage
    assert not damaged.exists()
    assert cli(*command).code == 0  # the file starts afresh


def test_a_stored_routine_that_is_not_a_routine_is_reported_not_a_crash(cli, data_dir):
    store = Store.open(data_dir)
    with transaction(store.data_dir.routines) as db:
        db.table("routines").insert({"name": "typed by hand", "steps": [{"exercise": "pelvic-tilt", "hold_seconds": "x"}]})
    before = files(data_dir)
    result = cli("routines", "list")
    assert result.code == 1 and str(store.data_dir.routines) in result.error
    assert files(data_dir) == before


# -- files written ------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_everything_the_commands_write_is_private(cli, custom, data_dir, tmp_path):
    old = os.umask(0)  # a lax umask: the app must set the modes itself
    try:
        cli("log", "back-spasm-relief", "--at", "2026-01-02T08:00Z")
        routine_file = tmp_path / "r.json"
        cli("routines", "export", "morning-reset", "-o", str(routine_file))
        fresh = tmp_path / "fresh"
        assert cli("routines", "import", str(routine_file), where=fresh).code == 0
        assert cli("log", "morning-reset", where=fresh).code == 0
        export = tmp_path / "j.csv"
        assert cli("journal", "export", "--format", "csv", "-o", str(export)).code == 0
    finally:
        os.umask(old)
    for root in (data_dir, fresh):
        assert _mode(root) == 0o700
        for path in root.rglob("*"):
            assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
    assert _mode(routine_file) == 0o600 and _mode(export) == 0o600


def test_output_file_replaces_an_old_one_whole_and_private(cli, tmp_path, monkeypatch):
    cli("log", "back-spasm-relief", "--at", "2026-01-02T08:00Z")
    out = tmp_path / "out" / "journal.json"
    out.parent.mkdir()
    out.write_text("old export\n")
    out.chmod(0o644)
    assert cli("journal", "export", "-o", str(out)).code == 0
    assert json.loads(out.read_text())[0]["status"] == "logged"
    assert _mode(out) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["journal.json"]  # no temp file left

    # A failure before the rename leaves the old file as it was, and no temp file.
    out.write_text("old export\n")
    import tui.storage.output as output

    def fail(*args):
        raise OSError(28, "No space left on device", str(out))

    monkeypatch.setattr(output.os, "replace", fail)
    result = cli("journal", "export", "-o", str(out))
    assert result.code == 1 and "No space left on device" in result.error
    assert out.read_text() == "old export\n"
    assert [p.name for p in out.parent.iterdir()] == ["journal.json"]


def test_output_into_a_missing_folder_names_that_folder(cli, tmp_path):
    target = tmp_path / "missing" / "r.json"
    result = cli("routines", "export", "back-spasm-relief", "-o", str(target))
    assert result.code == 1
    assert str(target.parent) in result.error and ".tmp" not in result.error
    directory = cli("routines", "export", "back-spasm-relief", "-o", str(tmp_path))
    assert directory.code == 1 and "is a directory" in directory.error


def test_data_dir_option_works_before_or_after_the_command(capsys, tmp_path):
    assert main(["--data-dir", str(tmp_path / "a"), "log", "back-spasm-relief"]) == 0
    assert main(["log", "back-spasm-relief", "--data-dir", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    month_files = "[0-9][0-9][0-9][0-9]-[0-9][0-9].json"  # beside each, its summary (`.rows.json`)
    assert len(list((tmp_path / "a" / "journal").glob(month_files))) == 1
    assert len(list((tmp_path / "b" / "journal").glob(month_files))) == 1


def test_help_lists_every_command(cli):
    result = cli("--help")
    assert result.code == 0
    for command in ("start", "routines", "journal", "log", "serve"):
        assert command in result.out


# -- the real command -----------------------------------------------------------------------


def _command(*args: str, env_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BACKRELIEF_DATA_DIR"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if env_dir is not None:
        env["BACKRELIEF_DATA_DIR"] = str(env_dir)
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          env=env, timeout=60, stdin=subprocess.DEVNULL)


def test_python_dash_m_tui_version():
    result = _command("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"backrelief {__version__}"


def test_real_errors_are_one_line_without_traceback(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    missing = _command("routines", "import", str(tmp_path / "nope.json"), "--data-dir", str(data))
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and missing.stderr.startswith("backrelief: error: ")
    bad_pain = _command("log", "back-spasm-relief", "--pain-before", "11", "--data-dir", str(data))
    assert bad_pain.returncode == 1 and bad_pain.stderr.count("\n") == 1 and "Traceback" not in bad_pain.stderr
    (data / "routines.json").write_text("{not json")
    damaged = _command("routines", "list", "--data-dir", str(data))
    assert damaged.returncode == 1 and damaged.stderr.count("\n") == 1 and "corrupt-" in damaged.stderr
    usage = _command("journal", "list", "--limit", "--data-dir", str(data))
    assert usage.returncode == 2 and "Traceback" not in usage.stderr and "usage:" in usage.stderr
    unknown = _command("frobnicate", "--data-dir", str(data))
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


def test_the_environment_variable_chooses_the_data_dir(tmp_path):
    by_env = tmp_path / "from-env"
    logged = _command("log", "back-spasm-relief", "--note", "via env", env_dir=by_env)
    assert logged.returncode == 0, logged.stderr
    assert [p.name for p in (by_env / "journal").glob("*.json")]
    listed = _command("journal", "list", "--json", env_dir=by_env)
    assert [e["note"] for e in json.loads(listed.stdout)] == ["via env"]
    # --data-dir wins over the variable.
    chosen = tmp_path / "chosen"
    _command("log", "back-spasm-relief", "--data-dir", str(chosen), env_dir=by_env)
    assert len(json.loads(_command("journal", "list", "--json", env_dir=by_env).stdout)) == 1
    assert len(json.loads(_command("journal", "list", "--json", "--data-dir", str(chosen)).stdout)) == 1


@pytest.mark.parametrize("argv, handler", [
    (["start", "x"], "_run_app"), (["routines", "list"], "_routines_list"), (["routines", "show", "x"], "_routines_show"),
    (["routines", "export", "x"], "_routines_export"), (["routines", "import", "f"], "_routines_import"),
    (["routines", "delete", "x"], "_routines_delete"), (["journal", "list"], "_journal_list"),
    (["journal", "export"], "_journal_export"), (["journal", "import", "f"], "_journal_import"), (["log", "x"], "_log"),
    (["report"], "_report"), (["plan", "set", "x", "--per-day", "1"], "_plan_set"), (["plan", "show"], "_plan_show"),
    (["plan", "clear", "x"], "_plan_clear"), (["status"], "_status"), (["remind"], "_remind"), (["serve"], "_serve"),
])
def test_each_command_names_its_own_handler(argv, handler):
    from tui.cli import build_parser

    assert build_parser().parse_args(argv).handler.__name__ == handler


COMMAND_LINES = [
    ["start", "x", "--plain"], ["routines", "list", "--json"], ["routines", "show", "x"], ["routines", "export", "x", "-o", "f"],
    ["routines", "import", "-", "--as-copy"], ["routines", "delete", "x"], ["journal", "list", "--since", "2026-01-01"],
    ["journal", "export", "--format", "csv"], ["journal", "import", "f"], ["log", "x", "--pain-before", "4", "--at", "t"],
    ["report", "--format", "md", "--until", "2026-02-01"], ["plan", "set", "x", "--per-day", "2", "--days", "mon"],
    ["plan", "show", "--json"], ["plan", "clear", "x"], ["status", "--format", "{due}"], ["remind"],
    ["serve", "--port", "8001", "--password"],
]
"""A command line of each command, with some of its options."""


@pytest.mark.parametrize("before", [[], ["--data-dir", "d"], ["--data-dir=d", "--allow-shared-dir"]])
@pytest.mark.parametrize("argv", COMMAND_LINES, ids=[" ".join(line[:2]) for line in COMMAND_LINES])
def test_a_command_s_own_parser_reads_it_as_the_whole_parser_does(argv, before):
    from tui.cli import COMMANDS, build_parser, command_named

    line = [*before, *argv]
    assert command_named(line) == argv[0]
    alone = build_parser(argv[0])
    assert list(alone._subparsers._group_actions[0].choices) == [argv[0]]  # no other command is built
    assert vars(alone.parse_args(line)) == vars(build_parser().parse_args(line))
    assert list(build_parser()._subparsers._group_actions[0].choices) == list(COMMANDS)


@pytest.mark.parametrize("line", [[], ["--help"], ["--version"], ["-h", "status"], ["--data", "d", "status"],
                                  ["--data-dir", "--help", "status"], ["--data-dir"], ["statuss"], ["x", "status"]])
def test_anything_else_goes_to_the_whole_parser(line):
    from tui.cli import command_named

    assert command_named(line) is None


@pytest.mark.parametrize("line", [["routines", "--help"], ["routines", "lst"], ["plan", "set", "x"], ["status", "--json", "x"]])
def test_help_and_usage_errors_of_a_command_are_those_of_the_whole_parser(line, capsys):
    from tui.cli import build_parser

    outcomes = []
    for parser in (build_parser(line[0]), build_parser()):
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args(line)
        outcomes.append((exit_info.value.code, capsys.readouterr()))
    assert outcomes[0] == outcomes[1]
