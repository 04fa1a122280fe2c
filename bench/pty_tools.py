"""A small pseudo-terminal driver for the benchmarks: run a command, read what it draws.

`PtyRun` starts a command on a fresh pseudo-terminal of a given size, keeps every
chunk of output with the monotonic time it arrived, and feeds it to a `pyte`
screen so a benchmark can wait for text to appear. Reading is done by the
caller (`pump`, `pump_all`), never by a thread, so two commands can be watched
over the same window of time.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import pyte

TERMINAL_ENV = {"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
"""What the benchmarks' terminal says it is: a 256-colour xterm, as over a plain SSH login."""
DROPPED_ENV = ("COLORTERM", "TMUX", "NO_COLOR", "FORCE_COLOR", "TEXTUAL", "TEXTUAL_DRIVER", "COLUMNS", "LINES",
               "PYTHONDONTWRITEBYTECODE")
"""Variables of the bench's own environment that would change how the command draws or starts.

PYTHONDONTWRITEBYTECODE goes too: an installed package has its bytecode compiled
at install time, so the warm-up run writes it for the checkout the bench runs
from; without it every timed run would compile our modules from source."""


def terminal_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The bench's environment with the terminal variables set as a plain 256-colour xterm."""
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update(TERMINAL_ENV)
    env.update(extra or {})
    return env


@dataclass
class PtyRun:
    """One command running on its own pseudo-terminal."""

    argv: Sequence[str]
    """The command."""
    cols: int = 80
    """Terminal width."""
    rows: int = 24
    """Terminal height."""
    env: dict[str, str] | None = None
    """Environment; `terminal_env()` when None."""
    cwd: str | None = None
    """Working directory."""
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    """Every read from the terminal, with the monotonic time it arrived."""
    started_at: float = 0.0
    """Monotonic time just before the command was started."""

    def __post_init__(self) -> None:
        self.screen = pyte.Screen(self.cols, self.rows)
        """What the terminal shows now."""
        self._stream = pyte.ByteStream(self.screen)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        self.master = master
        """Our end of the terminal."""
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            list(self.argv), stdin=slave, stdout=slave, stderr=slave, cwd=self.cwd,
            env=self.env if self.env is not None else terminal_env(),
            start_new_session=True, preexec_fn=_take_terminal, close_fds=True,
        )
        """The command."""
        os.close(slave)
        os.set_blocking(master, False)
        self._open = True

    # -- reading -------------------------------------------------------

    def _read_available(self) -> bool:
        """Read what is waiting; False when the terminal closed."""
        try:
            data = os.read(self.master, 65536)
        except BlockingIOError:
            return True
        except OSError:  # EIO: the command exited and the terminal closed
            self._open = False
            return False
        if not data:
            self._open = False
            return False
        self.chunks.append((time.monotonic(), data))
        self._stream.feed(data)
        return True

    def pump(self, seconds: float) -> None:
        """Read output for `seconds`."""
        pump_all([self], seconds)

    def wait_for(self, predicate: Callable[["PtyRun"], bool], timeout: float) -> float:
        """Read until `predicate(self)` holds; the monotonic time it first did. Raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            if predicate(self):
                return time.monotonic()
            left = deadline - time.monotonic()
            if left <= 0 or not self._open:
                raise TimeoutError(f"{' '.join(self.argv)}: not seen within {timeout} s; screen:\n{self.text()}")
            pump_all([self], min(left, 0.05), stop_early=True)

    def wait_for_text(self, text: str, timeout: float = 20.0) -> float:
        """Read until `text` is on screen; the monotonic time it appeared."""
        return self.wait_for(lambda run: text in run.text(), timeout)

    # -- what is on screen -----------------------------------------------

    def lines(self) -> list[str]:
        """The screen, one string per row."""
        return list(self.screen.display)

    def text(self) -> str:
        """The screen as text."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def bytes_between(self, start: float, end: float) -> int:
        """Bytes that arrived in [start, end)."""
        return sum(len(data) for at, data in self.chunks if start <= at < end)

    def output_between(self, start: float, end: float) -> list[tuple[float, bytes]]:
        """The chunks that arrived in [start, end)."""
        return [(at, data) for at, data in self.chunks if start <= at < end]

    # -- input and ending --------------------------------------------------

    def send(self, data: str | bytes) -> None:
        """Type into the terminal."""
        os.write(self.master, data.encode() if isinstance(data, str) else data)

    def close(self, timeout: float = 3.0) -> int | None:
        """End the command (hang-up, then SIGTERM, then SIGKILL) and free the terminal; its exit status."""
        for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGKILL):
            if self.process.poll() is not None:
                break
            try:
                self.process.send_signal(sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + timeout
            while self.process.poll() is None and time.monotonic() < deadline:
                if self._open:
                    pump_all([self], 0.05, stop_early=True)  # keep draining so the writer never blocks
                else:
                    time.sleep(0.02)
        code = self.process.wait()
        if self.master >= 0:
            os.close(self.master)
            self.master = -1
        return code

    def __enter__(self) -> "PtyRun":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _take_terminal() -> None:
    """In the child: make the pseudo-terminal on stdin the controlling terminal (for SIGWINCH, hang-up)."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def pump_all(runs: Iterable[PtyRun], seconds: float, stop_early: bool = False) -> None:
    """Read every run's output for `seconds` (or, with `stop_early`, until the first read)."""
    runs = list(runs)
    deadline = time.monotonic() + seconds
    while True:
        live = {run.master: run for run in runs if run._open and run.master >= 0}
        left = deadline - time.monotonic()
        if left <= 0 or not live:
            return
        ready, _, _ = select.select(list(live), [], [], left)
        for fd in ready:
            live[fd]._read_available()
        if ready and stop_early:
            return
