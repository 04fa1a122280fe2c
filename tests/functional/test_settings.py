"""Pilot tests of the settings screen, help and the command palette.

Each setting is changed with keys on the settings screen, then shown to change
what the app does (a session started afterwards, the cues written, the theme)
and to survive a restart: a second app built from the same data dir.
"""

from __future__ import annotations

import json

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static, Switch

from tests.textual_view import notifications, screen_lines
from tui.domain.plan import Phase, format_duration, routine_seconds
from tui.domain.settings import Settings
from tui.ui.cues import BEL
from tui.ui.screens.help import SECTIONS, HelpScreen
from tui.ui.screens.hold import HoldScreen
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.pain_checkin import PainCheckIn
from tui.ui.screens.settings import SettingsScreen
from tui.ui.widgets.countdown import BigCountdown, fit_countdown

SIZE = (100, 30)
"""The terminal size of these tests."""

STRETCH_FILE = {
    "format": "backrelief-routine",
    "version": 1,
    "name": "Evening stretch",
    "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 20, "reps": 2, "rest_seconds": 5, "sides": "none"}],
}
"""A custom routine of one step, so the menu has two routines."""


@pytest.fixture
def stretch(store):
    """The custom routine, imported like a user would."""
    return store.routines.import_file(json.dumps(STRETCH_FILE))


# -- helpers ---------------------------------------------------------------


async def open_settings(pilot: Pilot) -> SettingsScreen:
    """From the menu, `s`."""
    assert isinstance(pilot.app.screen, MenuScreen)
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SettingsScreen)
    return pilot.app.screen


async def focus(pilot: Pilot, widget_id: str) -> None:
    """Put the focus on one setting (tab order is checked once, in its own test)."""
    pilot.app.screen.query_one(f"#{widget_id}").focus()
    await pilot.pause()


async def enter_seconds(pilot: Pilot, widget_id: str, text: str) -> None:
    """Put `text` in a seconds field and press enter.

    The text is set, not typed: what typing does in these fields (digits only, the
    message as you type) has its own test; here it is what the value does."""
    await focus(pilot, widget_id)
    field = pilot.app.focused
    assert isinstance(field, Input)
    field.value = text
    await pilot.press("enter")
    await pilot.pause()


async def toggle(pilot: Pilot, widget_id: str) -> None:
    """Flip a switch with the space bar."""
    await focus(pilot, widget_id)
    await pilot.press("space")
    await pilot.pause()


async def choose(pilot: Pilot, widget_id: str, value: str, typed: str) -> None:
    """Open a list with enter, type part of an entry's name to jump to it, enter."""
    await focus(pilot, widget_id)
    select = pilot.app.focused
    assert isinstance(select, Select)
    await pilot.press("enter", *typed, "enter")
    await pilot.pause()
    assert select.value == value


async def back_to_menu(pilot: Pilot) -> None:
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(pilot.app.screen, MenuScreen)


async def start_from_menu(pilot: Pilot, routine_name: str) -> HoldScreen:
    """Pick a routine in the menu, enter, skip the check-in: the hold screen is up."""
    menu = pilot.app.screen
    assert isinstance(menu, MenuScreen)
    for _ in range(len(menu.routines)):
        if menu.selected.name == routine_name:
            break
        await pilot.press("j")
    assert menu.selected.name == routine_name
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PainCheckIn)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HoldScreen)
    return pilot.app.screen


def screen_text(app, region=None) -> list[str]:
    """The text on the screen (or in one region of it), as the user sees it."""
    return screen_lines(app, region)


def tidy(lines: list[str]) -> list[str]:
    """Lines without blank ones around them, trailing spaces or a common indent."""
    lines = [line.rstrip() for line in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    indent = min((len(line) - len(line.lstrip()) for line in lines if line), default=0)
    return [line[indent:] for line in lines]


def phase_now(screen: HoldScreen) -> Phase:
    return screen.recorder.engine.snapshot(screen.recorder.clock.monotonic()).phase


def message(screen: SettingsScreen, name: str) -> str:
    """The message shown by a setting (empty when all is well)."""
    widget = screen.query_one(f"#{name}-message", Static)
    return str(widget.visual) if widget.display else ""


def settings_file(data_dir) -> bytes:
    return (data_dir / "settings.json").read_bytes()


# -- each setting changes what the app does, and is kept -------------------


async def test_get_ready_of_zero_starts_the_hold_at_once_and_updates_the_menu(make_test_app, store, stretch):
    exercises = store.routines.exercises()
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await enter_seconds(pilot, "get_ready_seconds", "0")
        assert message(screen, "get_ready_seconds") == ""
        assert app.settings.get_ready_seconds == 0
        await back_to_menu(pilot)
        # The menu's total times use the new get-ready at once.
        labels = [str(app.screen.query_one(OptionList).get_option_at_index(i).prompt) for i in range(2)]
        new_total = format_duration(routine_seconds(stretch, exercises, app.settings.timings()))
        old_total = format_duration(routine_seconds(stretch, exercises, Settings().timings()))
        assert new_total != old_total
        assert any(stretch.name in label and new_total in label for label in labels), labels
        hold = await start_from_menu(pilot, stretch.name)
        assert phase_now(hold) is Phase.HOLD
    assert store.settings.load().get_ready_seconds == 0


async def test_by_default_a_session_opens_on_get_ready_with_the_bell(make_test_app, cue_log, stretch):
    """The counterpart of the settings tests: what the defaults do."""
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        hold = await start_from_menu(pilot, stretch.name)
        assert phase_now(hold) is Phase.GET_READY
    assert cue_log == [BEL]


async def test_bell_off_rings_nothing_and_notifications_on_write_osc_9(make_test_app, store, clock, cue_log, stretch):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot)
        await toggle(pilot, "bell")
        await toggle(pilot, "notifications")
        assert (app.cues.bell, app.cues.notifications) == (False, True)
        await back_to_menu(pilot)
        hold = await start_from_menu(pilot, stretch.name)
        clock.advance(Settings().get_ready_seconds + 0.1)
        hold.tick()
        await pilot.pause()
        assert phase_now(hold) is Phase.HOLD
    written = "".join(cue_log)
    assert BEL not in written.replace("\x1b\\", "")  # the string terminator ESC \ is no bell
    assert written.count("\x1b]9;") == 2  # get ready, then hold
    assert "\x1b]9;Hold 1 of 2: Pelvic Tilt, 20 seconds\x1b\\" in written
    stored = store.settings.load()
    assert (stored.bell, stored.notifications) == (False, True)


@pytest.mark.parametrize(("font", "typed"), [("small", "sma"), ("digits", "plain")])
async def test_the_font_changes_the_countdown(make_test_app, store, stretch, font, typed):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot)
        await choose(pilot, "countdown_font", font, typed)
        assert app.settings.countdown_font == font
        await back_to_menu(pilot)
        hold = await start_from_menu(pilot, stretch.name)
        await pilot.pause()
        countdown = hold.query_one(BigCountdown)
        shown = tidy(screen_text(app, countdown.region))
        width, height = countdown.size
        assert shown == tidy(fit_countdown(countdown.text, width, height, font))
        assert shown != tidy(fit_countdown(countdown.text, width, height, "big"))
    assert store.settings.load().countdown_font == font


async def test_theme_high_contrast_is_listed_applied_and_kept_and_any_theme_change_is_kept(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot)
        await choose(pilot, "theme", "high-contrast", "high")
        assert app.theme == "high-contrast"
        assert app.current_theme.background == "#000000"
    assert store.settings.load().theme == "high-contrast"
    second = make_test_app()
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert second.theme == "high-contrast"
        # The palette's own theme command (or anything else) sets `app.theme`: that is kept too.
        second.theme = "nord"
        await pilot.pause()
    assert store.settings.load().theme == "nord"


async def test_reduced_motion_turns_animation_off_and_back(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = app.animation_level
        assert before != "none"
        await open_settings(pilot)
        await toggle(pilot, "reduced_motion")
        assert app.animation_level == "none"
        assert store.settings.load().reduced_motion is True
        await toggle(pilot, "reduced_motion")
        assert app.animation_level == before
        await toggle(pilot, "reduced_motion")
    second = make_test_app()
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert second.animation_level == "none"


async def test_every_change_survives_a_restart(make_test_app, store, data_dir):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot)
        await enter_seconds(pilot, "get_ready_seconds", "12")
        await enter_seconds(pilot, "switch_seconds", "3")
        await enter_seconds(pilot, "default_rest_seconds", "45")
        await toggle(pilot, "bell")
        await choose(pilot, "countdown_font", "standard", "stan")
    # (The theme is shown to survive a restart in its own test.)
    expected = {"get_ready_seconds": 12, "switch_seconds": 3, "default_rest_seconds": 45, "bell": False,
                "countdown_font": "standard"}
    from tui.storage.store import Store

    reopened = Store.open(data_dir).settings.load()
    assert {name: getattr(reopened, name) for name in expected} == expected
    second = make_test_app()
    async with second.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert screen.query_one("#get_ready_seconds", Input).value == "12"
        assert screen.query_one("#switch_seconds", Input).value == "3"
        assert screen.query_one("#default_rest_seconds", Input).value == "45"
        assert screen.query_one("#bell", Switch).value is False
        assert screen.query_one("#countdown_font", Select).value == "standard"
        assert second.cues.bell is False


# -- bad values --------------------------------------------------------------


BAD_NUMBERS = [
    ("get_ready_seconds", "45", "Must be from 0 to 30 seconds, not 45. Not saved."),
    ("switch_seconds", "31", "Must be from 0 to 30 seconds, not 31. Not saved."),
    ("default_rest_seconds", "601", "Must be from 0 to 600 seconds, not 601. Not saved."),
    ("get_ready_seconds", "", "Must be a whole number of seconds from 0 to 30, not ''. Not saved."),
    ("get_ready_seconds", "1.5", "Must be a whole number of seconds from 0 to 30, not '1.5'. Not saved."),
]
"""(field, what is typed, the message shown by the field)."""


async def test_a_bad_number_gets_a_message_and_nothing_is_stored(make_test_app, store, data_dir):
    before = settings_file(data_dir)
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        for field, typed, expected in BAD_NUMBERS:
            await enter_seconds(pilot, field, typed)
            assert message(screen, field) == expected
            assert app.focused.id == field  # enter on a bad value stays on the field
            await pilot.press("tab")  # moving on does not store it either
            await pilot.pause()
            assert message(screen, field) == expected
            assert getattr(app.settings, field) == getattr(Settings(), field)
        await pilot.press("escape")  # nor does leaving; the user is told which were kept
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        told = " ".join(notifications(app))
    assert "Get ready kept at 5 s" in told and "Default rest kept at 10 s" in told
    assert settings_file(data_dir) == before
    assert store.settings.load() == Settings(safety_acknowledged=True, rate_stretches=False)  # as the fixture made it


async def test_letters_cannot_be_typed_into_seconds_and_the_message_clears_when_fixed(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await focus(pilot, "get_ready_seconds")
        await pilot.press("end", "backspace", "x", "9", "9")
        await pilot.pause()
        assert screen.query_one("#get_ready_seconds", Input).value == "99"
        assert "not 99" in message(screen, "get_ready_seconds")
        await pilot.press("backspace", "enter")
        await pilot.pause()
        assert message(screen, "get_ready_seconds") == ""
    assert store.settings.load().get_ready_seconds == 9


# -- help and the command palette -------------------------------------------


async def test_settings_keys_tab_question_mark_and_q_work_from_a_seconds_field(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(pilot)
        reached = [app.focused.id]
        for _ in range(19):
            await pilot.press("tab")
            reached.append(app.focused.id)
        assert reached == ["get_ready_seconds", "switch_seconds", "default_rest_seconds", "rate_stretches", "bell", "notifications",
                           "last_seconds_cue", "halfway_cue", "speech", "speech_command", "bell_get_ready", "bell_hold",
                           "bell_switch", "bell_rest", "bell_last_seconds", "bell_halfway", "bell_done",
                           "countdown_font", "theme", "reduced_motion"]
        await focus(pilot, "switch_seconds")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert app.focused.id == "switch_seconds"
        assert app.focused.value == "5"  # neither key was typed into the field
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)


async def test_help_lists_every_screen_the_safety_note_and_how_to_back_up(make_test_app, data_dir):
    app = make_test_app()
    async with app.run_test(size=(120, 300)) as pilot:  # tall enough to show all of it at once
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(screen_text(app))
    for heading in (section.title for section in SECTIONS):
        assert heading in text
    for words in ("open settings", "next / previous setting", "Safety", str(data_dir), "healthcare provider",
                  "backrelief journal export", "backrelief journal import", "backrelief routines export"):
        assert words in text, words


async def test_the_palette_starts_a_routine_typed_by_name(make_test_app, stretch):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"evening stretch")
        await pilot.pause(0.3)  # the palette searches in the background
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, PainCheckIn)
        await pilot.press("enter")
        await pilot.pause()
        hold = app.screen
        assert isinstance(hold, HoldScreen)
        assert hold.recorder.routine.id == stretch.id


async def test_the_palette_opens_each_screen(make_test_app):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        # Help is reached the same way as settings (an app action), so settings stands for both.
        for typed, screen_name in [("settings", "SettingsScreen"), ("journal", "JournalScreen"),
                                   ("new routine", "RoutineBuilder")]:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*typed)
            await pilot.pause(0.3)  # the palette searches in the background
            await pilot.press("enter")
            await pilot.pause(0.3)
            if type(app.screen).__name__ != screen_name:
                await pilot.press("enter")  # several matches: the first enter highlights the best one
                await pilot.pause(0.3)
            assert type(app.screen).__name__ == screen_name, typed
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MenuScreen), typed


async def test_the_palette_does_not_start_a_second_session_and_help_opens_over_a_session(make_test_app, stretch, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        hold = await start_from_menu(pilot, stretch.name)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"back spasm relief")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.screen is hold
        assert app.recorder is hold.recorder
        assert any("under way" in message for message in notifications(app))
        await pilot.press("question_mark")  # and help opens over the hold screen too
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
