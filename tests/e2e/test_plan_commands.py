"""`plan`, `status` and `remind` as real processes: what a user, a tmux status bar and a timer see.

Every command runs with TZ=UTC on the real clock, so "today" is today in UTC.
Plans that must be due whatever the time of day ask for one session a day
from 00:00 to 24:00: due from midnight until it is done.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bench.storage import generated_sessions
from tests.e2e.pty_harness import ROOT, backrelief_command, command_env, run_backrelief
from tests.e2e.test_hostile_files import as_a_backup_holds_it, read_only  # noqa: F401 (a fixture)
from tui.domain.clock import FakeClock
from tui.domain.plan import Timings
from tui.domain.schedule import make_plan
from tui.storage.recorder import SessionRecorder
from tui.storage.store import Store

pytestmark = pytest.mark.e2e

UTC_ENV = {"TZ": "UTC"}
ALL_DAY = ("--per-day", "1", "--days", "daily", "--hours", "0-24")
"""A plan due from midnight until its one session is done."""
HEAVY_MODULES = ("textual", "tinydb", "rich", "argparse", "dataclasses", "pathlib", "typing", "tui.cli", "platformdirs")
"""What `status` must not load: the app, the database, and what makes Python slow to start."""


def run(data_dir: Path, *args: str, env: dict[str, str] | None = None, prefix: tuple[str, ...] = (),
        session: bool = False) -> subprocess.CompletedProcess[str]:
    """`backrelief --data-dir DIR ARGS` with TZ=UTC; `session`: in a session of its own (no terminal).

    Without a prefix or a session of its own, forked as `run_backrelief` runs commands.
    """
    if not prefix and not session:
        return run_backrelief(data_dir, *args, timeout=120, env={**UTC_ENV, **(env or {})})
    return subprocess.run([*prefix, *backrelief_command(data_dir, *args)], capture_output=True, text=True,
                          timeout=120, env=command_env({**UTC_ENV, **(env or {})}), stdin=subprocess.DEVNULL,
                          start_new_session=session)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line on stderr, with no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def today() -> date:
    return datetime.now(timezone.utc).date()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    Store.open(root).settings.change(safety_acknowledged=True)
    return root


# -- plan set, show, clear ---------------------------------------------------------------------


def test_plan_set_show_and_clear(data_dir):
    made = run(data_dir, "plan", "set", "back-spasm-relief", "--per-day", "2", "--days", "mon-fri", "--hours", "8:30-17")
    assert made.returncode == 0, made.stderr
    assert made.stdout == "Back spasm relief: 2 a day, Mon-Fri, 08:30-17:00\n"
    shown = json.loads(run(data_dir, "plan", "show", "--json").stdout)
    assert [(p["id"], p["per_day"], p["days"], p["hours"]) for p in shown] == [
        ("back-spasm-relief", 2, "mon,tue,wed,thu,fri", "08:30-17:00")]
    assert shown[0]["today"]["planned"] == (2 if today().weekday() < 5 else 0)
    table = run(data_dir, "plan", "show").stdout.splitlines()
    assert table[0].split() == ["ROUTINE", "PER", "DAY", "DAYS", "HOURS", "TODAY"]
    assert "Back spasm relief  2        Mon-Fri  08:30-17:00" in table[1]
    # Set again by name, the same day: the change replaces the plan.
    assert run(data_dir, "plan", "set", "Back spasm relief", "--per-day", "3").returncode == 0
    assert json.loads(run(data_dir, "plan", "show", "--json").stdout)[0]["hours"] == "08:00-20:00"
    cleared = run(data_dir, "plan", "clear", "back-spasm-relief")
    assert cleared.returncode == 0 and one_line(cleared) == "cleared the plan for 'Back spasm relief'"
    assert run(data_dir, "plan", "show", "--json").stdout == "[]\n"
    empty = run(data_dir, "plan", "show")
    assert empty.returncode == 0 and empty.stdout == "" and "plan set ROUTINE --per-day N" in one_line(empty)
    again = run(data_dir, "plan", "clear", "back-spasm-relief")
    assert again.returncode == 1 and "has no plan" in one_line(again)


@pytest.mark.parametrize(("args", "code", "says"), [
    (("--per-day", "0"), 1, "--per-day: must be from 1 to 12, not 0"),
    (("--per-day", "13"), 1, "--per-day: must be from 1 to 12, not 13"),
    (("--per-day", "two"), 1, "--per-day: must be a whole number"),
    (("--per-day", "2", "--days", "mnd"), 1, "--days: 'mnd' is not a day"),
    (("--per-day", "2", "--days", ""), 1, "--days: say which days"),
    (("--per-day", "2", "--hours", "18-08"), 1, "--hours: the end (08:00) must be after the start (18:00)"),
    (("--per-day", "2", "--hours", "8-25"), 1, "--hours: '25' is not a time of day"),
    (("--per-day", "2", "--hours", "morning"), 1, "--hours: must be a start and an end like 08-18"),
    (("--per-day", "12", "--hours", "08-09"), 1, "--per-day: 12 sessions do not fit in 08:00-09:00"),
    (("--days", "mon"), 2, "the following arguments are required: --per-day"),
])
def test_bad_plan_input_is_one_line_naming_the_field_and_nothing_is_stored(data_dir, args, code, says):
    result = run(data_dir, "plan", "set", "back-spasm-relief", *args)
    assert result.returncode == code
    if code == 1:
        assert one_line(result).startswith("backrelief: error: ") and says in result.stderr
    else:
        assert says in result.stderr.splitlines()[-1] and "Traceback" not in result.stderr
    assert not (data_dir / "plans.json").exists()


def test_an_unknown_routine_is_named(data_dir):
    result = run(data_dir, "plan", "set", "no-such-routine", "--per-day", "2")
    assert result.returncode == 1 and "'no-such-routine'" in one_line(result)


# -- status ----------------------------------------------------------------------------------


def test_status_is_empty_until_a_session_is_due_and_says_so_once_it_is(data_dir):
    nothing = run(data_dir, "status")
    assert (nothing.returncode, nothing.stdout, nothing.stderr) == (0, "", "")
    assert run(data_dir, "plan", "set", "back-spasm-relief", *ALL_DAY).returncode == 0
    due = run(data_dir, "status")
    assert (due.returncode, due.stdout, due.stderr) == (0, "Back spasm relief due · 0/1 today\n", "")
    shaped = run(data_dir, "status", "--format", "[{id}] {done} of {planned}, {due} due, next {next}")
    assert shaped.stdout == "[back-spasm-relief] 0 of 1, 1 due, next tomorrow 00:00\n"
    document = json.loads(run(data_dir, "status", "--json").stdout)
    assert (document["due"], document["running"], document["streak"]) == (True, False, 0)
    assert document["line"] == "Back spasm relief due · 0/1 today"
    assert [(r["id"], r["done"], r["planned"], r["due"]) for r in document["routines"]] == [
        ("back-spasm-relief", 0, 1, True)]
    assert run(data_dir, "log", "back-spasm-relief").returncode == 0
    done = run(data_dir, "status")
    assert (done.returncode, done.stdout) == (0, "")
    assert json.loads(run(data_dir, "status", "--json").stdout)["streak"] == 1
    assert run(data_dir, "status", "--format", "{streak}").stdout == ""  # nothing due: nothing at all


def test_status_options_in_any_order_and_a_bad_format(data_dir):
    assert run(data_dir, "plan", "set", "back-spasm-relief", *ALL_DAY).returncode == 0
    spelled = subprocess.run([sys.executable, "-m", "tui", "status", f"--data-dir={data_dir}", "--format={routine}"],
                             capture_output=True, text=True, env=command_env(UTC_ENV), timeout=60)
    assert spelled.stdout == "Back spasm relief\n"
    bad = run(data_dir, "status", "--format", "{routine} {nope}")
    assert bad.returncode == 2 and one_line(bad) == (
        "backrelief: error: --format: unknown field {nope} (fields: routine, id, done, planned, due, streak, next)")
    lone = run(data_dir, "status", "--format", "{routine")
    assert lone.returncode == 2 and "--format: a lone '{'" in one_line(lone)
    helped = run(data_dir, "status", "--help")
    assert helped.returncode == 0 and "{streak}" in helped.stdout and "{next}" in helped.stdout


def test_a_damaged_plans_file_is_one_line(data_dir):
    (data_dir / "plans.json").write_text("{not json")
    result = run(data_dir, "status")
    assert result.returncode == 1 and "plans.json" in one_line(result) and result.stdout == ""


PROBE = textwrap.dedent("""
    import sys
    from tui.launcher import main
    code = main(sys.argv[1:])
    print("LOADED " + " ".join(sorted(sys.modules)), file=sys.stderr)
    sys.exit(code)
""")


@pytest.mark.parametrize("command", ["console script", "python -m tui"])
def test_status_loads_nothing_heavy(data_dir, command):
    assert run(data_dir, "plan", "set", "back-spasm-relief", *ALL_DAY).returncode == 0
    assert run(data_dir, "status").returncode == 0  # the first run writes the day counts (loading the writer)
    args = ["status", "--data-dir", str(data_dir)]
    if command == "console script":  # what the installed `backrelief` does: import tui.launcher, call main()
        result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                                env=command_env(UTC_ENV), timeout=60, cwd=ROOT)
        loaded = set(result.stderr.split("LOADED ", 1)[1].split())
    else:
        result = subprocess.run([sys.executable, "-X", "importtime", "-m", "tui", *args], capture_output=True,
                                text=True, env=command_env(UTC_ENV), timeout=60)
        loaded = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert result.stdout == "Back spasm relief due · 0/1 today\n", result.stderr
    assert "tui.status" in loaded and "tui.storage.glance" in loaded  # the probe sees our modules
    assert {name for name in loaded if name.split(".")[0] in HEAVY_MODULES or name in HEAVY_MODULES} == set()


def test_the_probe_would_see_a_heavy_module(data_dir):
    # A control: the same probe, on a command that does load the full command line.
    result = subprocess.run([sys.executable, "-c", PROBE, "routines", "list", "--data-dir", str(data_dir)],
                            capture_output=True, text=True, env=command_env(UTC_ENV), timeout=60, cwd=ROOT)
    assert {"tui.cli", "argparse", "dataclasses"} <= set(result.stderr.split("LOADED ", 1)[1].split())


def test_status_on_ten_years_of_journal(data_dir):
    store = Store.open(data_dir)
    routine = store.routines.get("back-spasm-relief")
    now = datetime.now(timezone.utc)
    sessions = generated_sessions(3650, routine, store, now)  # one a day of 25 holds, the last yesterday
    assert store.journal.merge(sessions) == (3650, 0)
    assert len(sessions[0].holds) == 25
    store.plans.set(make_plan(routine.id, routine.name, 1, "daily", "0-24"), today() - timedelta(days=400))
    expected = "Back spasm relief due · 0/1 today · 400-day streak\n"
    first = run(data_dir, "status")  # counts the journal once and keeps the counts
    assert (first.returncode, first.stdout, first.stderr) == (0, expected, "")
    assert (data_dir / "done-days.json").exists()
    assert run(data_dir, "status").stdout == expected  # from the cache
    assert run(data_dir, "log", "back-spasm-relief").returncode == 0
    document = json.loads(run(data_dir, "status", "--json").stdout)
    assert (document["due"], document["streak"], document["routines"][0]["done"]) == (False, 401, 1)


def test_status_reads_a_read_only_data_dir_and_changes_nothing(data_dir, read_only):
    store = Store.open(data_dir)
    store.plans.set(make_plan("back-spasm-relief", "Back spasm relief", 1, "daily", "0-24"), today())
    as_a_backup_holds_it(data_dir)
    prefix = read_only(data_dir)
    before = sorted(p.name for p in data_dir.rglob("*"))
    result = run(data_dir, "status", prefix=prefix)
    assert (result.returncode, result.stdout, result.stderr) == (0, "Back spasm relief due · 0/1 today\n", "")
    assert sorted(p.name for p in data_dir.rglob("*")) == before


# -- remind ----------------------------------------------------------------------------------


@pytest.fixture
def fake_notify_send(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A `notify-send` on PATH that records its arguments (one JSON list a line), and a desktop session."""
    folder = tmp_path / "bin"
    folder.mkdir()
    calls = tmp_path / "notify-send.calls"
    script = folder / "notify-send"
    script.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      f"open({str(calls)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n")
    script.chmod(0o755)
    env = {"PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nowhere",
           "SSH_CONNECTION": "", "SSH_TTY": "", "TMUX": ""}
    return env, calls


def calls_of(calls: Path) -> list[list[str]]:
    return [json.loads(line) for line in calls.read_text().splitlines()] if calls.exists() else []


def test_remind_tells_each_slot_once_through_notify_send(data_dir, fake_notify_send):
    env, calls = fake_notify_send
    quiet = run(data_dir, "remind", env=env, session=True)
    assert (quiet.returncode, quiet.stdout, quiet.stderr, calls_of(calls)) == (0, "", "", [])  # no plan
    assert run(data_dir, "plan", "set", "back-spasm-relief", *ALL_DAY).returncode == 0
    told = run(data_dir, "remind", env=env, session=True)
    assert (told.returncode, told.stdout, told.stderr) == (0, "", "")
    assert calls_of(calls) == [["--app-name=backrelief", "--", "Time to stretch", "Back spasm relief: 0 of 1 today"]]
    again = run(data_dir, "remind", env=env, session=True)
    assert again.returncode == 0 and len(calls_of(calls)) == 1  # the same slot: not told twice


def test_remind_is_silent_when_nothing_is_due_or_a_session_is_running(data_dir, fake_notify_send):
    env, calls = fake_notify_send
    assert run(data_dir, "plan", "set", "back-spasm-relief", *ALL_DAY).returncode == 0
    store = Store.open(data_dir)
    recorder = SessionRecorder.begin(store, FakeClock(), store.routines.get("back-spasm-relief"), Timings())
    running = run(data_dir, "remind", env=env, session=True)
    assert (running.returncode, running.stdout, running.stderr, calls_of(calls)) == (0, "", "", [])
    recorder.interrupt()  # the app is gone: the session is interrupted, no longer running
    assert run(data_dir, "remind", env=env, session=True).returncode == 0 and len(calls_of(calls)) == 1
    other = data_dir.parent / "other"
    Store.open(other)
    assert run(other, "plan", "set", "back-spasm-relief", *ALL_DAY).returncode == 0
    assert run(other, "log", "back-spasm-relief").returncode == 0  # today's one session is done
    done = run(other, "remind", env=env, session=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "") and len(calls_of(calls)) == 1


def test_remind_in_a_terminal_sends_osc_9_wrapped_for_tmux(data_dir, tmp_path):
    assert run(data_dir, "plan", "set", "back-spasm-relief", *ALL_DAY).returncode == 0
    master, slave = pty.openpty()
    env = command_env({**UTC_ENV, "PATH": str(tmp_path), "TMUX": "/tmp/tmux-0/default,1,0",  # no notify-send here
                       "DBUS_SESSION_BUS_ADDRESS": "", "DISPLAY": "", "WAYLAND_DISPLAY": "", "XDG_RUNTIME_DIR": ""})
    try:
        done = subprocess.run(backrelief_command(data_dir, "remind"), stdout=slave, stderr=subprocess.PIPE,
                              env=env, timeout=60, stdin=subprocess.DEVNULL)
    finally:
        os.close(slave)
    written = os.read(master, 65536).decode()
    os.close(master)
    assert done.returncode == 0, done.stderr
    # tmux passes a notification on inside a DCS passthrough, with every ESC doubled.
    assert "\x1bPtmux;\x1b\x1b]9;Time to stretch: Back spasm relief: 0 of 1 today\x1b\x1b\\\x1b\\" in written


def test_remind_with_no_desktop_and_no_terminal_prints_a_line(data_dir, tmp_path):
    assert run(data_dir, "plan", "set", "back-spasm-relief", *ALL_DAY).returncode == 0
    env = {"PATH": str(tmp_path), "DBUS_SESSION_BUS_ADDRESS": "", "DISPLAY": "", "WAYLAND_DISPLAY": "",
           "XDG_RUNTIME_DIR": ""}
    told = run(data_dir, "remind", env=env, session=True)
    assert (told.returncode, told.stdout, told.stderr) == (0, "Time to stretch: Back spasm relief: 0 of 1 today\n", "")
