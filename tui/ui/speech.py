"""Spoken cues: a speech program on this computer says each cue, cut off when the next one comes.

The program is started with `subprocess.Popen` on an argument list (see
`tui.domain.speech`), never a shell; with no terminal (stdin, stdout and stderr
go to /dev/null) and in a session of its own, so it cannot draw over the app or
take its keys, and ending its process group also ends anything it started.
Starting it does not wait for it: the timer is never held up while a voice
speaks. A small thread waits for each program, so none is left a zombie.

Speech plays where the app runs: over SSH that is the server, not the user's
own computer (`over_ssh`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass
from typing import Callable, Mapping

from tui.domain.speech import KNOWN_PROGRAMS, speech_argv, split_command

INSTALL_HINT = "install espeak-ng (or espeak or spd-say; macOS has say), or give a speech command"
"""What to do when no speech program is found."""


@dataclass(frozen=True)
class SpeechChoice:
    """The speech command the settings lead to, and how to tell the user about it."""

    command: list[str] | None
    """The argument list before the words are put in; None when there is nothing to run."""
    description: str
    """One line for the settings screen: which program speaks, or why none will."""


def find_program(which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The first known speech program installed here, as a command; None when there is none."""
    for name, command in KNOWN_PROGRAMS.items():
        if which(name):
            return list(command)
    return None


def choose(command_line: str, which: Callable[[str], str | None] = shutil.which) -> SpeechChoice:
    """The speech command for the user's setting: their own command line, or else a known program found here."""
    if not command_line.strip():
        found = find_program(which)
        if found is None:
            return SpeechChoice(None, f"No speech program found on this computer: {INSTALL_HINT}.")
        return SpeechChoice(found, f"Speaks with {found[0]}, found on this computer.")
    try:
        command = split_command(command_line)
    except ValueError as error:
        return SpeechChoice(None, str(error))
    if which(command[0]) is None:
        return SpeechChoice(None, f"{command[0]!r} is not found on this computer: {INSTALL_HINT}.")
    return SpeechChoice(command, f"Speaks with {command[0]}.")


def over_ssh(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the app runs in an SSH login: speech would then play on the server."""
    return bool(environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"))


class Speaker:
    """Says one thing at a time with a speech command; a new cue cuts off the one still speaking."""

    def __init__(self, command: list[str]) -> None:
        self.command = list(command)
        """The speech command, before the words are put in."""
        self.problem: str | None = None
        """Why the last start failed (the program vanished, no permission), until the app has said so."""
        self._speaking: subprocess.Popen[bytes] | None = None
        """The program started last, which may still be speaking."""

    def say(self, text: str) -> None:
        """Cut off what is being said and start saying `text`; returns at once."""
        self.stop()
        try:
            process = subprocess.Popen(
                speech_argv(self.command, text),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True, close_fds=True,
            )
        except OSError as error:
            self.problem = f"The speech program {self.command[0]!r} could not be started: {error.strerror or error}."
            return
        self._speaking = process
        # Reaped as soon as it ends, whether it finishes or is cut off: no zombie waits for the next cue.
        threading.Thread(target=process.wait, name="speech-reaper", daemon=True).start()

    def stop(self) -> None:
        """Cut off the program still speaking, and anything it started (its whole process group)."""
        process, self._speaking = self._speaking, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass  # it ended just now

    def close(self, timeout: float = 1.0) -> None:
        """Stop speaking and wait (briefly) for the program to end: for when the app quits."""
        process = self._speaking
        self.stop()
        if process is not None:
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
