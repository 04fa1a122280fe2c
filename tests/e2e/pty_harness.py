"""Run a real command in a pseudo-terminal, read its screen, type at it, hang up on it.

`Terminal` starts a command as the session leader of a fresh pseudo-terminal
of a given size (so it gets SIGWINCH on a resize and SIGHUP on a hang-up, like
a program in an SSH login), feeds everything it writes to a `pyte` screen, and
keeps every chunk with the time it arrived and a running byte count, so a
benchmark can count what a screen costs to draw. Waiting is always for
something on the screen, with a timeout, never a fixed sleep.

    with Terminal.start(backrelief_command(data_dir, "start", "quick"), cols=80, rows=24) as term:
        term.wait_for("Pain check-in")
        term.press("enter")
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Callable, Sequence

import pyte

from tests.e2e import command_server

ROOT = Path(__file__).resolve().parents[2]
"""The checkout the commands run from."""

KEYS = {
    "enter": b"\r",
    "escape": b"\x1b",
    "space": b" ",
    "tab": b"\t",
    "backspace": b"\x7f",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "plus": b"+",
    "question_mark": b"?",
    "ctrl+c": b"\x03",
    "ctrl+q": b"\x11",
}
"""Bytes a terminal sends for the keys tests press; any other name is typed as it is."""

CLEARED_ENV = ("COLUMNS", "LINES", "TMUX", "STY", "NO_COLOR", "FORCE_COLOR", "COLORTERM", "TEXTUAL",
               "TEXTUAL_DRIVER", "TERM_PROGRAM", "BACKRELIEF_DATA_DIR")
"""Variables of the caller's environment that would change what the command draws or where it keeps data."""


def command_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The caller's environment as a plain 256-colour xterm, importing `tui` from this checkout."""
    env = {key: value for key, value in os.environ.items() if key not in CLEARED_ENV}
    env.update({"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def backrelief_command(data_dir: Path, *args: str) -> list[str]:
    """`backrelief --data-dir DIR ARGS...` as this Python runs it."""
    return [sys.executable, "-m", "tui", "--data-dir", str(data_dir), *args]


def run_backrelief(data_dir: Path, *args: str, timeout: float = 30.0, env: dict[str, str] | None = None,
                   text: bool = True) -> subprocess.CompletedProcess:
    """Run a non-interactive `backrelief --data-dir DIR ARGS` to its end, stdin /dev/null, in `command_env(env)`;
    its output as text (as bytes unless `text`).

    As its own process, forked from a Python that has imported the command line already
    (tests/e2e/command_server.py): what `backrelief_command` runs, without Python's start.
    """
    return command_server.run(["--data-dir", str(data_dir), *args], command_env(env), timeout, text=text)


def _become_terminal_owner() -> None:
    """In the child, after setsid: the pseudo-terminal on stdin becomes the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """One command running on its own pseudo-terminal, and what it shows."""

    def __init__(self, process: subprocess.Popen[bytes], master: int, cols: int, rows: int) -> None:
        self.process = process
        """The command."""
        self.master = master
        """Our end of the pseudo-terminal; -1 once closed."""
        self.screen = pyte.Screen(cols, rows)
        """What the terminal shows now."""
        self._stream = pyte.ByteStream(self.screen)
        self.chunks: list[tuple[float, bytes]] = []
        """Every read from the terminal, with the monotonic time it arrived."""
        self.bytes_received = 0
        """Everything the command has written so far, in bytes."""
        self.output_closed = False
        """The command's side of the terminal is gone (it exited)."""

    @classmethod
    def start(cls, argv: Sequence[str], cols: int = 80, rows: int = 24, env: dict[str, str] | None = None,
              cwd: str | Path | None = None) -> "Terminal":
        """Start `argv` on a new `cols` x `rows` pseudo-terminal."""
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        try:
            process = subprocess.Popen(
                list(argv), stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                env=command_env() if env is None else env,
                start_new_session=True, preexec_fn=_become_terminal_owner, close_fds=True,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        os.set_blocking(master, False)
        return cls(process, master, cols, rows)

    # -- reading -------------------------------------------------------

    def read(self, timeout: float) -> int:
        """Read what the command writes for up to `timeout` seconds, returning early after a read; bytes read."""
        if self.master < 0 or self.output_closed:
            time.sleep(max(0.0, min(timeout, 0.05)))
            return 0
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return 0
        total = 0
        while True:
            try:
                data = os.read(self.master, 65536)
            except BlockingIOError:
                break
            except OSError:  # EIO: the other side closed
                self.output_closed = True
                break
            if not data:
                self.output_closed = True
                break
            self.chunks.append((time.monotonic(), data))
            self.bytes_received += len(data)
            total += len(data)
            self._stream.feed(data)
        return total

    def drain(self, seconds: float) -> int:
        """Keep reading for `seconds`; bytes read."""
        deadline = time.monotonic() + seconds
        total = 0
        while (left := deadline - time.monotonic()) > 0:
            total += self.read(left)
        return total

    def wait_until(self, condition: Callable[["Terminal"], bool], timeout: float = 20.0, what: str = "") -> float:
        """Read until `condition(self)` holds; the monotonic time it did. Raises TimeoutError with the screen."""
        deadline = time.monotonic() + timeout
        while not condition(self):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"not seen within {timeout} s: {what or condition}\n--- screen ---\n{self.text()}")
            if self.output_closed and self.process.poll() is not None:
                raise TimeoutError(f"the command ended (status {self.process.returncode}) before: {what}\n"
                                   f"--- screen ---\n{self.text()}")
            self.read(min(left, 0.1))
        return time.monotonic()

    def wait_for(self, text: str, timeout: float = 20.0) -> float:
        """Read until `text` is on the screen."""
        return self.wait_until(lambda term: text in term.text(), timeout, repr(text))

    def wait_gone(self, text: str, timeout: float = 20.0) -> float:
        """Read until `text` is no longer on the screen."""
        return self.wait_until(lambda term: text not in term.text(), timeout, f"{text!r} gone")

    def text(self) -> str:
        """The screen as text, one line per row."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def bytes_between(self, start: float, end: float) -> int:
        """Bytes that arrived in [start, end) (monotonic times)."""
        return sum(len(data) for at, data in self.chunks if start <= at < end)

    # -- typing and resizing -------------------------------------------

    def send(self, data: bytes | str) -> None:
        """Write raw input, as if typed."""
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def press(self, *keys: str) -> None:
        """Press keys by name (`enter`, `escape`, `right`, ...) or type text."""
        for key in keys:
            self.send(KEYS.get(key, key.encode()))
            if key == "escape":
                # A lone ESC is only a key once no sequence follows it: let the app see it alone.
                self.drain(0.15)

    def resize(self, cols: int, rows: int) -> None:
        """Change the terminal's size; the kernel sends the command SIGWINCH."""
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.screen.resize(rows, cols)

    def forget_screen(self) -> None:
        """Blank our copy of the screen: from now on it shows only what the command draws next."""
        self.screen.erase_in_display(2)

    # -- ending --------------------------------------------------------

    def hang_up(self) -> None:
        """Close our end, as a dropped SSH link does: the command gets SIGHUP."""
        if self.master >= 0:
            os.close(self.master)
            self.master = -1
            self.output_closed = True

    def send_signal(self, sig: int) -> None:
        """Send a signal to the command."""
        if self.process.poll() is None:
            self.process.send_signal(sig)

    def wait_exit(self, timeout: float = 10.0) -> int:
        """Read until the command exits; its exit status (negative: killed by that signal)."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                raise TimeoutError(f"still running after {timeout} s\n--- screen ---\n{self.text()}")
            self.read(0.05)
        return self.process.returncode

    def close(self) -> None:
        """Make sure the command is gone and the terminal freed."""
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        finally:
            self.hang_up()

    def __enter__(self) -> "Terminal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
