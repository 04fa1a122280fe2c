"""Pilot tests of the cue settings: bell patterns typed, heard and kept; the optional cues; speech and its program."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static, Switch

from tests.textual_view import notifications, screen_lines
from tui.domain.cues import DEFAULT_PATTERNS, BellPattern, Moment
from tui.domain.settings import Settings
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.settings import SSH_SPEECH_NOTE, SettingsScreen
from tui.ui.speech import SpeechChoice

SIZE = (100, 30)


async def open_settings(pilot) -> SettingsScreen:
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SettingsScreen)
    return pilot.app.screen


async def type_into(pilot, widget_id: str, text: str, then: str = "enter") -> Input:
    """Focus a field, empty it, type `text` key by key, and press `then`.

    Emptied by setting its value, not by a backspace per character: how the old text
    goes is not what these tests are about, and each key costs a frame of the screen."""
    field = pilot.app.screen.query_one(f"#{widget_id}", Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*text, then)
    await pilot.pause()
    return field


def message(screen, name: str) -> str:
    widget = screen.query_one(f"#{name}-message", Static)
    return str(widget.visual) if widget.display else ""


def shown(screen, widget_id: str) -> str:
    return str(screen.query_one(f"#{widget_id}", Static).visual)


async def test_a_typed_pattern_is_saved_played_and_kept(make_test_app, store, cue_log):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert screen.query_one("#bell_hold", Input).value == "2 x 250"
        field = await type_into(pilot, "bell_hold", "4x300")
        assert field.value == "4 x 300"  # written back the way it is read
        assert message(screen, "bell_hold") == ""
        assert app.cues.patterns[Moment.HOLD] == BellPattern(4, 300)  # in effect at once
        assert cue_log == ["\a"] * 4 and cue_log.delays == pytest.approx([0.3, 0.3, 0.3])  # enter let it be heard
        assert app.focused is field  # enter stays on the field: press it again to hear it again
    assert store.settings.load().bell_hold == BellPattern(4, 300)
    second = make_test_app()
    async with second.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert screen.query_one("#bell_hold", Input).value == "4 x 300"


async def test_a_bad_pattern_is_refused_by_its_field_and_nothing_is_stored(make_test_app, store, cue_log):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, "bell_switch", "3x100")
        assert message(screen, "bell_switch") == "Use 1-5 rings, 200-2000 ms apart, not 3x100."
        await type_into(pilot, "bell_rest", "7 x 300")
        assert message(screen, "bell_rest") == "Use 1-5 rings, 200-2000 ms apart, not 7 x 300."
        await pilot.press("escape")  # leaving keeps the old patterns, and says so
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        told = " ".join(notifications(app))
    assert "Switch sides kept at 3 rings, 250 ms apart: 3x100 is not allowed." in told
    assert cue_log == []
    stored = store.settings.load()
    assert (stored.bell_switch, stored.bell_rest) == (DEFAULT_PATTERNS[Moment.SWITCH], DEFAULT_PATTERNS[Moment.REST])


async def test_two_moments_with_one_pattern_are_saved_with_a_warning(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await type_into(pilot, "bell_done", "2 x 250")
        assert message(screen, "bell_done") == "Sounds the same as Hold starts: hard to tell apart by ear."
    assert store.settings.load().bell_done == BellPattern(2, 250)


async def test_the_optional_cues_are_switched_on_and_kept(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        for name in ("last_seconds_cue", "halfway_cue"):
            screen.query_one(f"#{name}", Switch).focus()
            await pilot.pause()
            await pilot.press("space")
            await pilot.pause()
        assert app.cues.wants(Moment.LAST_SECONDS) and app.cues.wants(Moment.HALFWAY)
    stored = store.settings.load()
    assert (stored.last_seconds_cue, stored.halfway_cue) == (True, True)


async def test_speech_says_which_program_speaks_and_q_is_a_letter_in_its_command(make_test_app, store, monkeypatch):
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    found = {"espeak-ng", "festival"}

    def choose_speech(line: str) -> SpeechChoice:  # as `tui.ui.speech.choose` does, on a machine with these two
        program = line.split()[0] if line.strip() else "espeak-ng"
        if program not in found:
            return SpeechChoice(None, f"{program!r} is not found on this computer")
        return SpeechChoice([program, "{text}"], f"Speaks with {program}")

    app = make_test_app()
    app.cues.choose_speech = choose_speech
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert shown(screen, "speech-status") == "Speaks with espeak-ng"
        assert not screen.query("#speech-over-ssh")
        screen.query_one("#speech", Switch).focus()
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert app.cues.speaker is not None and app.cues.speaker.command == ["espeak-ng", "{text}"]
        await type_into(pilot, "speech_command", "qspeak --quiet")
        assert isinstance(app.screen, SettingsScreen)  # q was typed, not taken as "back"
        assert shown(screen, "speech-status") == "'qspeak' is not found on this computer"
        assert screen.query_one("#speech-status").has_class("-problem")
        assert app.cues.speaker is None  # nothing to run
        await type_into(pilot, "speech_command", "festival --tts")
        assert shown(screen, "speech-status") == "Speaks with festival"
        assert app.cues.speaker.command == ["festival", "{text}"]
        await type_into(pilot, "speech_command", "say 'oops")
        assert message(screen, "speech_command") == (
            "The speech command cannot be read: No closing quotation (close every quote). Not saved.")
    stored = store.settings.load()
    assert (stored.speech, stored.speech_command) == (True, "festival --tts")


async def test_over_ssh_the_speech_setting_says_where_it_plays_and_points_to_plain_mode(make_test_app, monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert shown(screen, "speech-over-ssh") == SSH_SPEECH_NOTE
    assert "backrelief start ROUTINE --plain" in SSH_SPEECH_NOTE and "server" in SSH_SPEECH_NOTE


async def test_help_lists_each_moment_s_pattern(make_test_app, store):
    store.settings.change(bell_rest=BellPattern(3, 900))
    app = make_test_app(settings=Settings.from_dict(store.settings.load().to_dict()))
    async with app.run_test(size=(120, 220)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(screen_lines(app))
    for line in ("Get ready", "1 ring", "Hold starts", "2 rings, 250 ms apart", "Rest starts", "3 rings, 900 ms apart",
                 "Last 3 seconds", "Halfway", "Session done", "5 rings, 250 ms apart"):
        assert line in text, line
