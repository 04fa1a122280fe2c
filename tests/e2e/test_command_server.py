"""The command server (tests/e2e/command_server.py) gives what a fresh `python -m tui` gives.

Most e2e tests run their commands through it, so it must not hide what a real process
would show: the same output on the same streams, the same exit status, a signal for a
killed command, the caller's folder and per-test variables, and no deadlock on a
command that fills both pipes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e import command_server
from tests.e2e.pty_harness import backrelief_command, command_env

pytestmark = pytest.mark.e2e


def fresh(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(backrelief_command(data_dir, *args), capture_output=True, text=True, timeout=60,
                          env=command_env(), stdin=subprocess.DEVNULL)


def forked(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return command_server.run(["--data-dir", str(data_dir), *args], command_env(), timeout=60)


def script(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "child.py"
    path.write_text(text)
    return path


def test_commands_give_what_a_fresh_python_gives(tmp_path: Path):
    data_dir = tmp_path / "data"
    routine = tmp_path / "routine.json"
    routine.write_text(json.dumps({"format": "backrelief-routine", "version": 1, "name": "Desk break",
                                   "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 10, "reps": 2}]}))
    commands = [
        ("--version",),
        ("routines", "import", str(routine)),  # writes: each run below reads what the one before wrote
        ("routines", "list"),
        ("log", "desk-break", "--at", "2025-01-05T08:00:00+00:00", "--note", "x\r\ny"),
        ("journal", "list", "--json"),
        ("journal", "export", "--format", "csv"),  # CRLF lines, turned to LF as text=True does
        ("routines", "show", "no-such-routine"),  # exit 1, one line on stderr
        ("journal", "list", "--limit", "-1"),
        ("journal", "list", "--no-such-option"),  # a usage error: exit 2, usage on stderr
        ("no-such-command",),
    ]
    statuses = set()
    for args in commands:
        by_fork = forked(data_dir, *args)
        statuses.add(by_fork.returncode)
        if args[0] in ("routines", "log") and args[1] in ("import", "desk-break"):
            assert by_fork.returncode == 0, by_fork.stderr
            continue  # a write: not done twice
        by_fresh = fresh(data_dir, *args)
        assert (by_fork.returncode, by_fork.stdout, by_fork.stderr) == (
            by_fresh.returncode, by_fresh.stdout, by_fresh.stderr), args
    assert statuses == {0, 1, 2}
    assert fresh(data_dir, "journal", "list", "--json").stdout.count('"desk-break"') == 1


def test_exit_status_signals_and_uncaught_errors_come_back_as_subprocess_gives_them(tmp_path: Path):
    env = command_env()
    for text, status in (("raise SystemExit(3)", 3), ("raise SystemExit('told')", 1), ("pass", 0),
                         ("import os, signal; os.kill(os.getpid(), signal.SIGTERM)", -signal.SIGTERM),
                         ("raise ValueError('boom')", 1)):
        child = command_server.start([], env, script=script(tmp_path, text))
        out, err = child.communicate(timeout=30)
        real = subprocess.run([sys.executable, str(tmp_path / "child.py")], capture_output=True, env=env, timeout=30)
        assert child.returncode == real.returncode == status, text
        assert out == real.stdout
        assert err.splitlines()[-1:] == real.stderr.splitlines()[-1:], text  # "told", the ValueError, or nothing


def test_a_killed_command_reports_the_signal_and_its_pipes_end(tmp_path: Path):
    child = command_server.start([], command_env(), stdin=True, script=script(
        tmp_path, "import sys\nprint('ready', flush=True)\nsys.stdin.readline()\n"))
    assert child.stdout.readline() == b"ready\n"
    assert child.poll() is None
    with pytest.raises(subprocess.TimeoutExpired):
        child.wait(timeout=0.2)
    child.kill()
    assert child.wait(timeout=10) == -signal.SIGKILL
    assert child.stdout.read() == b""


def test_a_command_filling_both_pipes_is_read_to_its_end(tmp_path: Path):
    child = command_server.start([], command_env(), stdin=True, script=script(
        tmp_path, "import sys\ndata = sys.stdin.buffer.read()\n"
                  "for _ in range(20):\n    sys.stdout.buffer.write(data); sys.stderr.buffer.write(data[::-1])\n"))
    sent = os.urandom(100_000)
    out, err = child.communicate(sent, timeout=60)
    assert child.returncode == 0
    assert out == sent * 20 and err == sent[::-1] * 20


def test_a_command_runs_in_the_callers_folder_with_its_arguments_and_its_test_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    code = "import os, sys, json; print(json.dumps([os.getcwd(), sys.argv[1:], sys.path[0], os.environ.get('PYTEST_CURRENT_TEST')]))"
    child = command_server.start(["a b", "--c"], command_env(), script=script(tmp_path, code))
    out, _ = child.communicate(timeout=30)
    folder, args, first_path, test = json.loads(out)
    assert (folder, args, first_path) == (str(tmp_path), ["a b", "--c"], str(tmp_path))
    assert test == os.environ["PYTEST_CURRENT_TEST"]  # set per command, not the test the server started in


def test_a_command_that_outlives_its_time_out_is_killed(tmp_path: Path):
    child = command_server.start([], command_env(), stdin=True, script=script(tmp_path, "import time; time.sleep(60)"))
    with pytest.raises(subprocess.TimeoutExpired):
        child.communicate(timeout=0.3)
    child.kill()
    assert child.wait(timeout=10) == -signal.SIGKILL


def test_servers_are_kept_one_per_environment_and_the_oldest_goes(tmp_path: Path):
    code = script(tmp_path, "import os; print(os.environ['WHICH'])")
    servers = []
    for which in range(command_server.MAX_SERVERS + 1):
        env = command_env({"WHICH": str(which)})
        out, _ = command_server.start([], env, script=code).communicate(timeout=30)
        assert out == f"{which}\n".encode()
        servers.append(command_server._server_for(env))
    assert len({id(server) for server in servers}) == command_server.MAX_SERVERS + 1
    assert servers[0].process.poll() is not None  # closed to make room, and ended
    assert all(server.process.poll() is None for server in servers[1:])
