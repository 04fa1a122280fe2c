"""How a cue's words become a speech program's argument list: never through a shell, the words one argument.

The user may name their own speech command in settings, as a command line:
`espeak-ng -v en-gb -s 150`. It is split the way a POSIX shell splits words
(quotes group, nothing is expanded or run) into an argument list; the words
to say then replace an argument that is exactly `{text}`, or are added at the
end. The words are always one argument of their own, so no quote, `;` or `$`
in an exercise's name can run anything, and a leading `-` is guarded so no
program reads the words as one of its options.
"""

from __future__ import annotations

import shlex

from tui.domain.problems import Problem

TEXT_ARGUMENT = "{text}"
"""An argument of a speech command that the words replace; without one, the words come last."""
COMMAND_MAX = 300
"""Longest speech command line accepted, in characters."""
SPOKEN_MAX = 300
"""Longest text handed to a speech program, in characters."""

KNOWN_PROGRAMS = {
    "espeak-ng": ["espeak-ng", TEXT_ARGUMENT],
    "espeak": ["espeak", TEXT_ARGUMENT],
    "say": ["say", TEXT_ARGUMENT],
    # Speech Dispatcher speaks in its own daemon: a new message of the default priority ("text")
    # replaces the one being spoken, so cutting off needs no process to end.
    "spd-say": ["spd-say", TEXT_ARGUMENT],
}
"""The speech programs looked for, in order of preference, and how each is given the words."""


def split_command(command: str) -> list[str]:
    """A speech command line as an argument list; ValueError says what is wrong in the user's words."""
    if len(command) > COMMAND_MAX:
        raise ValueError(f"The speech command is longer than {COMMAND_MAX} characters.")
    if any(not ch.isprintable() for ch in command):
        raise ValueError("The speech command holds a control character: type it on one line.")
    try:
        argv = shlex.split(command, comments=False, posix=True)
    except ValueError as error:
        raise ValueError(f"The speech command cannot be read: {error} (close every quote).") from None
    if not argv:
        raise ValueError("The speech command is empty.")
    if argv[0] == TEXT_ARGUMENT:
        raise ValueError("The speech command must start with a program, not {text}.")
    return argv


def check_command(command: object, field_name: str) -> list[Problem]:
    """Problems with a stored speech command; empty means "find a program"."""
    if not isinstance(command, str):
        return [Problem(field_name, "must be a command line (text)")]
    if not command.strip():
        return []
    try:
        split_command(command)
    except ValueError as error:
        reason = str(error).rstrip(".")
        return [Problem(field_name, reason[:1].lower() + reason[1:])]
    return []


def spoken_text(text: str) -> str:
    """Words safe to hand to a program as one argument: one line, printable, never starting with `-`."""
    words = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())[:SPOKEN_MAX]
    # An argument that starts with '-' is read as an option by getopt-style programs
    # ('-w FILE' would make espeak write a file); a leading space is read as words.
    return " " + words if words.startswith("-") else words


def speech_argv(command: list[str], text: str) -> list[str]:
    """The argument list that says `text` with `command` (a known program's or the user's, already split)."""
    words = spoken_text(text)
    if TEXT_ARGUMENT in command[1:]:
        return [command[0]] + [words if argument == TEXT_ARGUMENT else argument for argument in command[1:]]
    return [*command, words]
