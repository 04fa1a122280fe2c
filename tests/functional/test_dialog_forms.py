"""Dialogs of fields, driven by keys: tab visits fields only, and an open list stays inside its dialog."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Select

from tests.textual_view import SelectOverlay
from tests.functional.test_journal_screen import open_journal, seed
from tui.ui.screens.exercise_editor import ExerciseEditor
from tui.ui.screens.journal_export import JournalExportDialog
from tui.ui.screens.journal_filter import JournalFilterDialog
from tui.ui.screens.plan_dialog import PlanDialog
from tui.ui.screens.session_editor import SessionEditor
from tui.ui.screens.settings import SettingsScreen

TABS = 12
"""More tabs than any of these dialogs has fields: round and back again."""


async def open_from_journal(pilot, key: str) -> None:
    await open_journal(pilot)
    await pilot.press(key)
    await pilot.pause()


async def open_from_menu(pilot, key: str) -> None:
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()


async def open_exercise_editor(pilot) -> None:
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("tab", "tab", "a")
    await pilot.pause()
    await pilot.press("ctrl+n")
    await pilot.pause()


OPENERS = {
    "add a session": (lambda pilot: open_from_journal(pilot, "a"), SessionEditor),
    "filter": (lambda pilot: open_from_journal(pilot, "f"), JournalFilterDialog),
    "export": (lambda pilot: open_from_journal(pilot, "E"), JournalExportDialog),
    "plan": (lambda pilot: open_from_menu(pilot, "p"), PlanDialog),
    "settings": (lambda pilot: open_from_menu(pilot, "s"), SettingsScreen),
    "new exercise": (open_exercise_editor, ExerciseEditor),
}


@pytest.mark.parametrize("dialog", list(OPENERS))
@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_tab_goes_from_field_to_field_and_never_to_the_frame(make_test_app, store, dialog, size):
    seed(store)
    opener, kind = OPENERS[dialog]
    app = make_test_app()
    async with app.run_test(size=size) as pilot:
        await opener(pilot)
        assert isinstance(app.screen, kind)
        for _ in range(TABS):
            await pilot.press("tab")
            focused = app.focused
            # A scrolling frame took focus before: typed text went nowhere there.
            assert focused is not None and not isinstance(focused, VerticalScroll), (dialog, focused)


@pytest.mark.parametrize("size", [(80, 24), (60, 16)])
async def test_an_open_list_stays_inside_its_dialog(make_test_app, store, size):
    seed(store)
    app = make_test_app()
    async with app.run_test(size=size) as pilot:
        await open_from_journal(pilot, "f")
        chooser = app.screen.query_one("#filter-status", Select)
        chooser.focus()
        await pilot.press("enter")
        await pilot.pause()
        overlay = chooser.query_one(SelectOverlay)
        dialog = app.screen.query_one(".dialog")
        assert overlay.display and overlay.region.height >= 3
        assert overlay.region.bottom <= dialog.region.bottom - 1, (overlay.region, dialog.region)
        await pilot.press(*["down"] * 4, "enter")  # the last status, scrolled to
        await pilot.pause()
        assert chooser.value == "logged"


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_a_note_field_takes_its_dialog_s_width(make_test_app, store, size):
    from textual.widgets import Input

    from tui.ui.screens.note_dialog import NoteDialog

    app = make_test_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.push_screen(NoteDialog())
        await pilot.pause()
        note = app.screen.query_one("#note", Input)
        dialog = app.screen.query_one(".dialog")
        # A sentence, not a number: once it was 16 columns wide inside a dialog of 62.
        assert note.region.width >= dialog.region.width - 8, (note.region, dialog.region)


@pytest.mark.parametrize("which", ["safety", "pain after", "confirm"])
async def test_a_short_window_keeps_a_dialog_s_keys_in_view(make_test_app, store, which):
    from tui.ui.screens.confirm import ConfirmDialog
    from tui.ui.screens.pain_checkin import PainCheckIn
    from tui.ui.screens.safety import SafetyNote

    app = make_test_app()
    dialogs = {
        "safety": lambda: SafetyNote(app.safety_text),
        "pain after": lambda: PainCheckIn("after", "Pelvic Tilt"),
        "confirm": lambda: ConfirmDialog("Stop the session?", "The holds you have done are kept in your journal "
                                         "as a stopped session.", "Stop", "Keep going"),
    }
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        app.push_screen(dialogs[which]())
        await pilot.pause()
        await pilot.pause()
        frame = app.screen.query_one(".dialog")
        keys = list(app.screen.query(".dialog-keys"))
        assert keys
        for line in keys:  # inside the frame, not cut off under its bottom border
            assert line.region.height > 0 and line.region.bottom <= frame.region.bottom - 1, (line.region, frame.region)
