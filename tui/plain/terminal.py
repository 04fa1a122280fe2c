"""The keyboard and the screen of plain mode: keys without enter, lines out, the terminal put back.

Keys are read in cbreak mode (no echo, no waiting for enter), so a screen
reader hears nothing but the lines written. The terminal's mode is saved first
and put back on every way out: the end, an error, ctrl+c, a hang-up or SIGTERM.
Signals do not break into the middle of a disk write: their handler only notes
the signal and wakes the key wait, and the session leaves at its next wait.

Written text is made safe with `safe_text` here, the one place lines go out.
"""

from __future__ import annotations

import os
import select
import signal
import sys
import termios
import threading
import time
import tty
from contextlib import suppress
from typing import Callable

from tui.domain.cues import BellPattern
from tui.domain.text import safe_text

BEL = "\a"
"""The terminal bell: a bare BEL, which reaches a user over SSH and tmux."""
ESCAPE_WAIT = 0.05
"""How long a lone ESC waits for the rest of an arrow key's sequence."""
LEAVE_GRACE_SECONDS = 3.0
"""After a hang-up, the process ends by itself this long after the signal if leaving stalls."""

_SEQUENCES = {
    "\x1b[C": "right", "\x1bOC": "right", "\x1b[D": "left", "\x1bOD": "left",
    "\x1b[A": "up", "\x1bOA": "up", "\x1b[B": "down", "\x1bOB": "down",
}
"""Escape sequences of the keys plain mode knows."""


class Leaving(Exception):
    """A signal asked the process to go (hang-up, SIGTERM, ctrl+c): leave now, keeping the session resumable."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number
        """The signal that came."""

    @property
    def status(self) -> int:
        """The exit status, as a shell gives it: 128 plus the signal's number."""
        return 128 + self.signal_number


def decode_keys(data: str) -> list[str]:
    """Key names from what the terminal sent: `right`, `left`, `escape`, `enter`, `backspace`, `space`, or the character."""
    keys: list[str] = []
    index = 0
    while index < len(data):
        char = data[index]
        if char == "\x1b":
            for sequence, name in _SEQUENCES.items():
                if data.startswith(sequence, index):
                    keys.append(name)
                    index += len(sequence)
                    break
            else:
                if data.startswith("\x1b[", index) or data.startswith("\x1bO", index):
                    # Another key's sequence (F1, delete...): passed over whole, up to its final letter or ~.
                    end = index + 2
                    while end < len(data) and not (data[end].isalpha() or data[end] == "~"):
                        end += 1
                    index = end + 1
                else:
                    keys.append("escape")
                    index += 1
            continue
        keys.append({"\r": "enter", "\n": "enter", "\x7f": "backspace", "\x08": "backspace", " ": "space"}.get(char, char))
        index += 1
    return keys


class PlainTerminal:
    """Keys from a file descriptor in cbreak mode, lines to another; signals turned into `Leaving`."""

    def __init__(self, in_fd: int = 0, out_fd: int = 1) -> None:
        self.in_fd = in_fd
        """Where keys come from."""
        self.out_fd = out_fd
        """Where lines go."""
        self.signalled: int | None = None
        """The signal that asked the process to go, once one has."""
        self.gone = False
        """The terminal can no longer be written (hung up): writes are dropped."""
        self._saved_mode: list | None = None
        """The terminal's mode before cbreak, put back by `restore`."""
        self._wake_read, self._wake_write = os.pipe()
        """A signal writes a byte here, so a key wait wakes at once."""
        self._old_handlers: dict[int, object] = {}
        self._pending = ""
        """Characters read but not yet decoded (an ESC that may start a sequence)."""
        self._write_lock = threading.Lock()
        """One writer at a time: the bell ringer's thread and the session's."""

    # -- setting up and putting back ------------------------------------

    def __enter__(self) -> "PlainTerminal":
        try:
            self._saved_mode = termios.tcgetattr(self.in_fd)
            tty.setcbreak(self.in_fd)
        except (termios.error, OSError, ValueError):
            self._saved_mode = None  # not a terminal (a pipe, a test): keys come as they are
        for number in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
            with suppress(ValueError, OSError):  # not the main thread
                self._old_handlers[number] = signal.signal(number, self._on_signal)
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def restore(self) -> None:
        """Put the terminal's mode and the signal handlers back (safe to call twice)."""
        for number, handler in self._old_handlers.items():
            with suppress(ValueError, OSError, TypeError):
                signal.signal(number, handler)  # type: ignore[arg-type]
        self._old_handlers = {}
        if self._saved_mode is not None:
            with suppress(termios.error, OSError):  # a hung-up terminal has no mode left to set
                termios.tcsetattr(self.in_fd, termios.TCSADRAIN, self._saved_mode)
            self._saved_mode = None
        for fd in (self._wake_read, self._wake_write):
            with suppress(OSError):
                os.close(fd)
        self._wake_read = self._wake_write = -1

    def _on_signal(self, number: int, _frame: object) -> None:
        if self.signalled is None:
            self.signalled = number
            if number != signal.SIGINT:
                self.gone = number == signal.SIGHUP
                threading.Thread(target=_exit_soon, args=(128 + number,), daemon=True).start()
        with suppress(OSError):
            os.write(self._wake_write, b"!")

    def check(self) -> None:
        """Raise `Leaving` if a signal came."""
        if self.signalled is not None:
            raise Leaving(self.signalled)

    # -- keys ------------------------------------------------------------

    def keys(self, timeout: float | None) -> list[str]:
        """Keys pressed within `timeout` seconds (None: wait for one); [] when none came. Raises `Leaving`."""
        self.check()
        deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                ready, _, _ = select.select([self.in_fd, self._wake_read], [], [], left)
            except InterruptedError:  # pragma: no cover - Python retries select itself
                ready = []
            self.check()
            if self.in_fd in ready:
                try:
                    data = os.read(self.in_fd, 1024)
                except OSError:
                    data = b""
                if not data:  # the terminal is gone, or input ended: as a hang-up
                    self.gone = True
                    raise Leaving(signal.SIGHUP)
                self._pending += data.decode("utf-8", "replace")
                if self._pending.endswith("\x1b"):
                    more, _, _ = select.select([self.in_fd], [], [], ESCAPE_WAIT)
                    if more:
                        continue
                text, self._pending = self._pending, ""
                return decode_keys(text)
            if deadline is not None and time.monotonic() >= deadline:
                return []

    # -- lines -------------------------------------------------------------

    def write_line(self, text: str, bell: bool = False) -> None:
        """One line, made safe (one line only: no control character reaches the terminal), with a bell first if asked."""
        self.write((BEL if bell else "") + safe_text(text, multiline=False) + "\n")

    def write(self, text: str) -> None:
        """Raw text (already safe) to the terminal; dropped once it has gone."""
        if self.gone:
            return
        data = text.encode("utf-8", "replace")
        with self._write_lock:
            try:
                while data:
                    written = os.write(self.out_fd, data)
                    data = data[written:]
            except OSError:
                self.gone = True

    def ring(self, pattern: BellPattern) -> None:
        """Ring a pattern: the first bell now, the rest at their spacing from a helper thread."""
        self.write(BEL)
        offsets = pattern.offsets()[1:]
        if offsets:
            threading.Thread(target=self._ring_later, args=(offsets,), daemon=True).start()

    def _ring_later(self, offsets: list[float]) -> None:
        start = time.monotonic()
        for offset in offsets:
            time.sleep(max(0.0, start + offset - time.monotonic()))
            self.write(BEL)


def _exit_soon(status: int, after: float = LEAVE_GRACE_SECONDS, exit_now: Callable[[int], None] = os._exit) -> None:
    """End the process if leaving after a signal takes too long (stuck writing to a terminal that has gone)."""
    time.sleep(after)
    with suppress(Exception):
        sys.stderr.flush()
    exit_now(status)
