"""Run non-interactive commands in processes forked from a Python that has already imported them.

`python -m tui routines list` takes some 80 ms, about 60 of them Python starting and
importing the command line, and the suite runs a few hundred commands. A command
server is one Python, started once per test process and environment, that imports
what `python -m tui` imports before it reads its arguments (tui.launcher, tui.cli)
and then forks a child for each command. The child takes the command's stdin,
stdout and stderr, its working folder and its arguments, and runs tui/__main__.py
as `python -m tui` does (or a script, as `python SCRIPT` does); Python then exits
as it would, running atexit handlers and flushing its streams, and the exit status
(or the signal that ended it) comes back as subprocess reports it.

A forked child is a real process with its own pipes, working folder and exit
status, but not a fresh interpreter. Tests about what a fresh interpreter imports,
and commands that need a terminal, another user, a umask or a wrapper command,
start `python -m tui` themselves (see `tests/e2e/pty_harness.py`).

Each command has two processes in the server: a waiter, forked from the server,
which forks the command, sends its pid, waits for it and sends its exit status;
the server itself only forks, so a command that runs long holds nothing up.
"""

from __future__ import annotations

import atexit
import gc
import json
import locale
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Mapping, NoReturn, Sequence

ROOT = Path(__file__).resolve().parents[2]

MAX_SERVERS = 4
"""Servers one test process keeps, one per environment: a fifth environment closes the one used longest ago."""

_SERVE = "import sys; from tests.e2e.command_server import serve; serve(int(sys.argv[1]))"


# -- the server's side ---------------------------------------------------------------------


def serve(fd: int) -> NoReturn:
    """Fork a command for each request on the socket `fd` until the test process closes it.

    In a command's process this goes on to run the command, whose `SystemExit` (or uncaught
    error) then ends that Python as it ends `python -m tui`.
    """
    # What `python -m tui` has imported once it has read its arguments (tui.cli imports argparse then).
    import argparse  # noqa: F401

    import tui.cli  # noqa: F401
    import tui.launcher  # noqa: F401

    # What is imported lives as long as the command does, in every command: the cycle collector
    # need not go over it, nor copy the pages it is on into each child to do so.
    gc.freeze()
    control = socket.socket(fileno=fd)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 1 << 20, 4)
        except ConnectionResetError:
            message, fds = b"", []
        if not message:  # the test process is done with this server: wait for the last waiters, and end
            _reap(block=True)
            os._exit(0)
        if os.fork() == 0:
            control.close()
            _run_as_waiter(json.loads(message), fds)
        for received in fds:
            os.close(received)
        _reap(block=False)


def _reap(block: bool) -> None:
    """Wait for the waiters that have ended (all of them, if `block`), so what the commands cost in CPU is
    added to the server's children, and so to the test process's, as a command run by subprocess is."""
    while True:
        try:
            pid, _ = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _run_as_waiter(request: dict, fds: list[int]) -> NoReturn:
    """In the waiter: fork the command, send its pid, wait for it, send its exit status; in the command: run it."""
    streams, reply = fds[:3], socket.socket(fileno=fds[3])
    pid = os.fork()
    if pid == 0:
        reply.close()
        for target, received in enumerate(streams):
            os.dup2(received, target)
        for received in streams:
            os.close(received)
        _become(request)
    for received in streams:
        os.close(received)
    reply.send(b"%d" % pid)
    _, status = os.waitpid(pid, 0)
    reply.send(b"%d" % os.waitstatus_to_exitcode(status))
    os._exit(0)


def _become(request: dict) -> NoReturn:
    """Set the folder, `sys.argv` and `sys.path[0]` as `python -m tui ARGS` (or `python SCRIPT ARGS`) would,
    then run it: its `SystemExit` ends this process."""
    import runpy

    os.chdir(request["cwd"])
    for name, value in request["env"].items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    script = request.get("script")
    sys.argv = [script or "-m", *request["args"]]
    if script is None:
        sys.path[0] = os.getcwd()
        runpy.run_module("tui", run_name="__main__", alter_sys=True)
    else:
        sys.path[0] = os.path.dirname(os.path.abspath(script))
        runpy.run_path(script, run_name="__main__")
    raise SystemExit(0)


# -- the test process's side ---------------------------------------------------------------


class _Server:
    """One server process, and the socket requests go on."""

    def __init__(self, env: Mapping[str, str]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.errors = tempfile.TemporaryFile()
        """What the server wrote to stderr (a command's own stderr is the test's pipe)."""
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVE, str(theirs.fileno())], pass_fds=[theirs.fileno()], env=dict(env),
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.errors,
        )
        theirs.close()
        self.control = ours
        self.lock = threading.Lock()

    def fork(self, request: dict, streams: Sequence[int]) -> tuple[int, socket.socket]:
        """Start a command with `streams` as its stdin, stdout and stderr; its pid and the socket its status comes on."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            with self.lock:
                socket.send_fds(self.control, [json.dumps(request).encode()], [*streams, theirs.fileno()])
        finally:
            theirs.close()
        started = ours.recv(32)
        if not started:
            ours.close()
            self.errors.seek(0)
            raise RuntimeError(f"the command server ended (exit status {self.process.poll()}): "
                               f"{self.errors.read().decode(errors='replace')}")
        return int(started), ours

    def close(self) -> None:
        self.control.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.errors.close()


_servers: dict[tuple[tuple[str, str], ...], _Server] = {}
_servers_lock = threading.Lock()


PER_COMMAND = ("PYTEST_CURRENT_TEST",)
"""Variables that differ from one test to the next and that nothing reads as Python starts: a server is
started without them, and each command sets them as they are in its environment."""


def _server_for(env: Mapping[str, str]) -> _Server:
    """The server started with `env` (but for `PER_COMMAND`), started now if there is none; the one used
    longest ago goes."""
    env = {name: value for name, value in env.items() if name not in PER_COMMAND}
    key = tuple(sorted(env.items()))
    with _servers_lock:
        server = _servers.pop(key, None)
        if server is not None and server.process.poll() is not None:
            server.close()
            server = None
        if server is None:
            while len(_servers) >= MAX_SERVERS:
                _servers.pop(next(iter(_servers))).close()
            server = _Server(env)
        _servers[key] = server  # the last used, last
        return server


@atexit.register
def _close_servers() -> None:
    with _servers_lock:
        for server in _servers.values():
            server.close()
        _servers.clear()


class ForkedCommand:
    """A command running in a child of a command server, with the parts of `subprocess.Popen` tests use.

    `stdout` and `stderr` are binary pipes, and `stdin` too if it was asked for (else None);
    `returncode` is the exit status, or minus the signal that ended it, once it has ended.
    """

    def __init__(self, args: list[str], pid: int, status: socket.socket, stdin, stdout, stderr) -> None:
        self.args = args
        self.pid = pid
        self._status = status
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            ready, _, _ = select.select([self._status], [], [], 0)
            if ready:
                self._collect()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            ready, _, _ = select.select([self._status], [], [], timeout)
            if not ready:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            self._collect()
        assert self.returncode is not None
        return self.returncode

    def _collect(self) -> None:
        said = self._status.recv(32)
        self._status.close()
        if not said:
            raise RuntimeError(f"the command server lost command {self.pid}")
        self.returncode = int(said)

    def send_signal(self, number: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, number)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def communicate(self, input: bytes | None = None, timeout: float | None = None) -> tuple[bytes, bytes]:
        """Write `input` and close stdin, read stdout and stderr to their ends, wait; as `Popen.communicate`."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if self.stdin is not None and not self.stdin.closed:
            try:
                if input:
                    self.stdin.write(input)
                self.stdin.close()
            except BrokenPipeError:
                pass
        read = _read_all([self.stdout, self.stderr], deadline)
        if read is None:
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        self.wait(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return read[id(self.stdout)], read[id(self.stderr)]


def _read_all(streams: list, deadline: float | None) -> dict[int, bytes] | None:
    """Everything left in each binary stream, read side by side (a full pipe would stop the command), each
    then closed; None if they have not all ended by `deadline`."""
    got: dict[int, bytes] = {}

    def drain(stream) -> None:
        with stream:
            got[id(stream)] = stream.read()

    readers = [threading.Thread(target=drain, args=(stream,), daemon=True) for stream in streams]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        if reader.is_alive():
            return None
    return got


def start(args: Sequence[str], env: Mapping[str, str], script: str | Path | None = None,
          stdin: bool = False) -> ForkedCommand:
    """`python -m tui ARGS` (or `python SCRIPT ARGS`) forked from the server for `env`, with stdout and stderr
    pipes and stdin a pipe if `stdin`, else /dev/null."""
    argv = [sys.executable, *(["-m", "tui"] if script is None else [str(script)]), *args]
    server = _server_for(env)
    request = {"args": list(args), "cwd": os.getcwd(), "script": None if script is None else str(script),
               "env": {name: env.get(name) for name in PER_COMMAND}}
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    in_r, in_w = os.pipe() if stdin else (os.open(os.devnull, os.O_RDONLY), -1)
    try:
        pid, status = server.fork(request, [in_r, out_w, err_w])
    except BaseException:
        for fd in (out_r, err_r, in_w):
            if fd >= 0:
                os.close(fd)
        raise
    finally:
        for fd in (in_r, out_w, err_w):
            os.close(fd)
    return ForkedCommand(argv, pid, status, os.fdopen(in_w, "wb") if stdin else None,
                         os.fdopen(out_r, "rb"), os.fdopen(err_r, "rb"))


def run(args: Sequence[str], env: Mapping[str, str], timeout: float, text: bool = True) -> subprocess.CompletedProcess:
    """`python -m tui ARGS` to its end with stdin /dev/null, as `subprocess.run(..., capture_output=True,
    text=text)` gives it: forked from the server for `env` (see `start`)."""
    command = start(args, env)
    try:
        out, err = command.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        command.kill()
        command.wait()
        raise
    if not text:
        return subprocess.CompletedProcess(command.args, command.wait(), out, err)
    encoding = locale.getpreferredencoding(False)
    return subprocess.CompletedProcess(command.args, command.wait(), _text(out, encoding), _text(err, encoding))


def _text(data: bytes, encoding: str) -> str:
    """As `subprocess.run(..., text=True)` decodes a stream: its universal newlines included."""
    return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
