"""SVG snapshots of the routine menu and of each phase of the hold screen, at 80x24 and 120x40.

Time is frozen (FakeClock): each picture is taken a set number of seconds into
the built-in routine, so the countdown and the bars always show the same.
Regenerate with `pytest tests/snapshots/test_session_snapshots.py --snapshot-update`,
then look at them.

The built-in routine with the default timings (5 s get ready, 5 s switch):
0-5 get ready, 5-35 side knee drop left, 35-40 switch, 40-70 right, 70-80 rest, ...,
145-150 get ready, 150-160 the first pelvic tilt, ..., 295-300 get ready, 300-320 the
first hamstring stretch on the left, ..., 440-445 switch, 445-465 the first on the
right, ..., 585-590 get ready, 590-620 prayer pose.
"""

from __future__ import annotations

import json

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tui.ui.screens.hold import HoldScreen

SIZES = [(80, 24), (120, 40)]
"""The sizes every screen is pictured at."""

PHASES = {
    "get-ready": 1.5,
    "hold-left-side": 17.5,
    "switch-sides": 37.5,
    "rest": 73.5,
    "paused": 17.5,
    "done": 10_000.0,
}
"""Seconds into the built-in routine at which each picture is taken."""

POSES = {
    "side-knee-drop-left": 12.5,
    "side-knee-drop-right": 52.5,
    "pelvic-tilt": 155.5,
    "hamstring-stretch-left": 310.5,
    "hamstring-stretch-right": 455.5,
    "prayer-pose": 605.5,
}
"""A hold of each pose, on each side it has: seconds into the built-in routine."""

TICKED_SECONDS = 120.0
"""The clock moves a second at a time over this last stretch before a picture (the bars move in
steps, so a picture depends on the ticks before it); the done picture jumps to the end first."""

CUSTOM_ROUTINE = {
    "format": "backrelief-routine",
    "version": 1,
    "name": "Desk break",
    "description": "Two gentle stretches between meetings.",
    "steps": [
        {"exercise": "pelvic-tilt", "hold_seconds": 10, "reps": 5, "rest_seconds": 5, "sides": "none"},
        {"exercise": "prayer-pose", "hold_seconds": 30, "reps": 1, "rest_seconds": 0, "sides": "none"},
    ],
}
"""A custom routine, so the menu lists more than the built-in one."""


def still_cursors(pilot: Pilot) -> None:
    """Stop text fields blinking, so the picture is the same every time."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


def session_at(clock, seconds: float, pause: bool = False):
    """A run_before: start the built-in routine, skip the check-in, let `seconds` pass (then maybe pause)."""

    async def run_before(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("enter")  # the built-in routine is first in the menu
        await pilot.pause()
        await pilot.press("escape")  # skip the pain check-in
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, HoldScreen)
        left = seconds
        while left > 0 and not screen.recorder.engine.finished:
            # A second at a time over the last two minutes, as the screen's own timer would; before
            # that in one jump (the engine ends every phase at its planned time whatever the step).
            step = min(1.0, left) if left <= TICKED_SECONDS else left - TICKED_SECONDS
            clock.advance(step)
            left -= step
            screen.tick()
        if pause:
            await pilot.press("space")
        await pilot.pause()
        still_cursors(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_menu(snap_compare, make_test_app, store, size):
    store.routines.import_file(json.dumps(CUSTOM_ROUTINE))
    assert snap_compare(make_test_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("phase", list(PHASES))
def test_hold_screen(snap_compare, make_test_app, clock, phase, size):
    run_before = session_at(clock, PHASES[phase], pause=phase == "paused")
    assert snap_compare(make_test_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("pose", list(POSES))
def test_hold_screen_with_the_picture_of_each_pose(snap_compare, make_test_app, clock, pose, size):
    assert snap_compare(make_test_app(), terminal_size=size, run_before=session_at(clock, POSES[pose]))


def test_too_small(snap_compare, make_test_app):
    assert snap_compare(make_test_app(), terminal_size=(30, 8))
