"""`backrelief status` is told apart before the full command line loads (tui/status.py, tui/launcher.py)."""

from __future__ import annotations

import pytest

from tui.status import parse_args, plain


@pytest.mark.parametrize(("argv", "expected"), [
    (["status"], (False, None, None, False)),
    (["status", "--json"], (True, None, None, False)),
    (["--data-dir", "/d", "status", "--format", "{due}"], (False, "{due}", "/d", False)),
    (["status", "--data-dir=/d", "--format={routine} {next}", "--allow-shared-dir"], (False, "{routine} {next}", "/d", True)),
    (["--allow-shared-dir", "status", "--data-dir", "/d"], (False, None, "/d", True)),
])
def test_a_plain_status_line_is_read_here(argv, expected):
    args = parse_args(argv)
    assert (args.json, args.template, args.data_dir, args.allow_shared) == expected


@pytest.mark.parametrize("argv", [
    ["status", "--help"], ["status", "-h"], ["status", "--jso"],  # help and abbreviations: argparse's to answer
    ["status", "extra"], ["status", "status"], ["status", "--format"], ["status", "--format", "--json"],
    ["--data-dir", "status", "routines", "list"],  # a data dir named "status"
    ["routines", "status"], ["--json", "status"], ["status", "--data-dir="],
])
def test_anything_else_goes_to_the_full_command_line(argv):
    assert parse_args(argv) is None


def test_names_reach_a_status_bar_as_plain_text():
    assert plain("Back\x1b[31m spasm\u202e relief\u200b\x85") == "Back\ufffd[31m spasm relief\ufffd"
