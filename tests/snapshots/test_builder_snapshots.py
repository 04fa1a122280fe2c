"""What the routine builder and the exercise picker look like, at 80x24 and 120x40."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tui.domain.exercises import Exercise
from tui.domain.routines import Routine, Step

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def still(pilot) -> None:
    """Stop every cursor blinking so the picture does not depend on the moment it is taken."""
    await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_builder_empty(snap_compare, make_test_app, size):
    async def open_new(pilot):
        await pilot.press("n")
        await still(pilot)

    assert snap_compare(make_test_app(), terminal_size=size, run_before=open_new)


@pytest.mark.parametrize("size", SIZES)
def test_builder_filled(snap_compare, make_test_app, store, size):
    knee = store.routines.save_exercise(Exercise("", "膝抱え Knee hug", "Hug both knees to your chest.",
                                                 hold_range=(20, 40), reps_range=(2, 4)))
    store.routines.save(Routine("", "Soirée calme ✨", (
        Step("pelvic-tilt", 10, 10, 5),
        Step(knee.id, 30, 3, 10),
        Step("hamstring-stretch", 20, 5, 10, "both"),
    ), description="Before bed, when the back is stiff"))

    async def open_custom(pilot):
        await pilot.press("j", "e")
        await pilot.pause()
        await pilot.press("tab", "tab", "down")  # to the steps, the second one
        await still(pilot)

    assert snap_compare(make_test_app(), terminal_size=size, run_before=open_custom)


@pytest.mark.parametrize("size", SIZES)
def test_builder_with_validation_messages(snap_compare, make_test_app, size):
    async def type_bad_values(pilot):
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Back spasm relief", "enter", "enter", "a")
        await pilot.pause()
        await pilot.press(*"ham", "enter")
        await pilot.pause()
        await pilot.press("ctrl+u", "4", "5", "enter", "ctrl+u", "6", "0")  # hold 45 (a warning), reps 60 (an error)
        await still(pilot)

    assert snap_compare(make_test_app(), terminal_size=size, run_before=type_bad_values)


@pytest.mark.parametrize("size", SIZES)
def test_exercise_picker(snap_compare, make_test_app, store, size):
    store.routines.save_exercise(Exercise("", "Wall lean", "Lean on a wall with straight arms.", hold_range=(15, 15)))

    async def open_picker(pilot):
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab", "tab", "a")
        await pilot.pause()
        await pilot.press("down")
        await still(pilot)

    assert snap_compare(make_test_app(), terminal_size=size, run_before=open_picker)
