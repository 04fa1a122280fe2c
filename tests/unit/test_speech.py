"""Spoken cues: a command line becomes an argument list (never a shell), and a real program is started and cut off."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from tui.domain.speech import check_command, speech_argv, split_command, spoken_text
from tui.ui.speech import Speaker, choose, find_program, over_ssh

FAKE_SPEECH = Path(__file__).resolve().parents[1] / "e2e" / "fake_speech.py"
"""A program that records what it was asked to say."""


def test_a_command_line_is_split_like_shell_words_without_running_anything():
    assert split_command("espeak-ng -v en-gb -s 150") == ["espeak-ng", "-v", "en-gb", "-s", "150"]
    assert split_command("'/opt/My Voice/speak' --voice \"Anna Lee\"") == ["/opt/My Voice/speak", "--voice", "Anna Lee"]
    # Nothing a shell would expand is expanded: these are plain arguments.
    assert split_command("say $HOME `id` ; rm -rf x") == ["say", "$HOME", "`id`", ";", "rm", "-rf", "x"]


@pytest.mark.parametrize(("command", "says"), [
    ("espeak 'unclosed", "cannot be read"),
    ("   ", "empty"),
    ("{text} espeak", "must start with a program"),
    ("say\nhello", "control character"),
    ("say " + "x" * 300, "longer than 300"),
])
def test_unusable_command_lines_are_refused_saying_why(command, says):
    with pytest.raises(ValueError) as error:
        split_command(command)
    assert says in str(error.value)
    if command.strip():
        [problem] = check_command(command, "speech_command")
        assert problem.field == "speech_command" and says in problem.reason


def test_an_empty_setting_means_find_a_program():
    assert check_command("", "speech_command") == []
    assert check_command(3, "speech_command")[0].reason == "must be a command line (text)"


def test_the_words_are_one_argument_at_the_end_or_in_place_of_text():
    text = 'Hold 1: "Knee"; $(reboot) & `id`'
    assert speech_argv(["espeak-ng", "-v", "en"], text) == ["espeak-ng", "-v", "en", text]
    assert speech_argv(["speak", "--text", "{text}", "--fast"], text) == ["speak", "--text", text, "--fast"]
    assert speech_argv(split_command("my-tts --say '{text}' --loud"), "Rest") == ["my-tts", "--say", "Rest", "--loud"]
    # The words never read as an option: '-w FILE' would make espeak write a file.
    assert speech_argv(["espeak-ng"], "-w /tmp/x left side") == ["espeak-ng", " -w /tmp/x left side"]
    assert spoken_text("Side\nknee\x1b[2J drop") == "Side knee [2J drop"


def test_a_known_program_is_found_or_the_setting_says_none_is():
    assert find_program(lambda name: None) is None
    assert find_program(lambda name: "/usr/bin/say" if name == "say" else None) == ["say", "{text}"]
    nothing = choose("", which=lambda name: None)
    assert nothing.command is None and "No speech program found" in nothing.description
    assert "espeak-ng" in nothing.description
    found = choose("", which=lambda name: f"/usr/bin/{name}")
    assert found.command == ["espeak-ng", "{text}"] and found.description.startswith("Speaks with espeak-ng")
    missing = choose("festival --tts", which=lambda name: None)
    assert missing.command is None and "'festival' is not found" in missing.description
    broken = choose("say 'oops", which=lambda name: name)
    assert broken.command is None and "cannot be read" in broken.description


def test_over_ssh_is_told_by_the_login_s_variables():
    assert over_ssh({"SSH_CONNECTION": "10.0.0.2 5000 10.0.0.1 22"})
    assert over_ssh({"SSH_TTY": "/dev/pts/3"})
    assert not over_ssh({"TERM": "xterm"})


def read_log(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_speaker_starts_the_program_without_waiting_and_a_new_cue_cuts_off_the_old(tmp_path):
    log = tmp_path / "speech.log"
    speaker = Speaker([sys.executable, str(FAKE_SPEECH), str(log), "30"])
    before = time.monotonic()
    speaker.say("Side knee drop, left side, thirty seconds")
    assert time.monotonic() - before < 1.0  # it returned while the program "speaks" for 30 s
    wait_for(lambda: any(e["event"] == "start" for e in read_log(log)))
    first = read_log(log)[0]
    assert first["text"] == "Side knee drop, left side, thirty seconds"
    assert first["own_session"] and first["no_terminal"]
    speaker.say("Switch to the right side")
    wait_for(lambda: len([e for e in read_log(log) if e["event"] == "start"]) == 2)
    events = [(e["event"], e["text"]) for e in read_log(log)]
    assert events == [("start", "Side knee drop, left side, thirty seconds"),
                      ("terminated", "Side knee drop, left side, thirty seconds"),
                      ("start", "Switch to the right side")]
    # The first program was reaped, not left a zombie, though nobody waited for it in this thread.
    wait_for(lambda: not _is_zombie_or_alive(first["pid"]))
    speaker.close()
    assert [e["event"] for e in read_log(log)][-1] == "terminated"
    second = read_log(log)[2]["pid"]
    assert not _is_zombie_or_alive(second)


def test_a_program_that_cannot_start_is_reported_once_not_raised(tmp_path):
    missing = tmp_path / "no-such-speech-program"
    speaker = Speaker([str(missing)])
    speaker.say("Rest, ten seconds")
    assert speaker.problem and "could not be started" in speaker.problem and str(missing) in speaker.problem


def _is_zombie_or_alive(pid: int) -> bool:
    """Whether `pid` is still in the process table: running, or dead and not yet reaped (signal 0 reaches both)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
