"""Pilot tests of the hold screen's layout: how tall the countdown is at each size, where the
picture of the pose goes, and the footer's keys in a small window."""

from __future__ import annotations

import json

import pytest
from textual.pilot import Pilot

from tests.textual_view import screen_lines
from tui.domain.figures import doubled, mirror
from tui.domain.plan import Phase
from tui.storage.library import load_library
from tui.ui.screens.hold import HoldScreen
from tui.ui.widgets.countdown import BLOCK_GLYPHS, CountdownRow
from tui.ui.widgets.fitting_footer import FittingFooter
from tui.ui.widgets.pose_panel import PosePanel

LONG_HOLDS = {
    "format": "backrelief-routine",
    "version": 1,
    "name": "Long holds",
    "steps": [
        {"exercise": "pelvic-tilt", "hold_seconds": 45, "reps": 1, "rest_seconds": 0, "sides": "none"},
        {"exercise": "hamstring-stretch", "hold_seconds": 90, "reps": 1, "rest_seconds": 0, "sides": "both",
         "order": "one-side-first"},
    ],
}
"""A 45 s hold (two digits), then 90 s holds on each side (`1:30`: four characters)."""
FIGURES = {exercise.id: list(exercise.figure) for exercise in load_library().exercises.values()}
"""The built-in pictures, as drawn (for the left side)."""


def screen_text(app) -> list[str]:
    """Every line of the screen as the user sees it."""
    return screen_lines(app)


@pytest.fixture
def long_holds(store):
    """The long routine, imported like a user would; get-ready and switch 5 s."""
    store.settings.change(get_ready_seconds=5, switch_seconds=5)
    return store.routines.import_file(json.dumps(LONG_HOLDS))


async def start(pilot: Pilot, store, clock, seconds: float) -> HoldScreen:
    """The long routine started (`backrelief start`), the check-in skipped; `seconds` pass."""
    app = pilot.app
    await pilot.pause()
    await pilot.press("escape")  # no pain check-in
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, HoldScreen) and screen.recorder.routine.name == "Long holds"
    left = seconds
    while left > 0:
        step = min(1.0, left)
        clock.advance(step)
        left -= step
        screen.tick()
    await pilot.pause()
    await pilot.pause()
    return screen


def countdown_rows(screen: HoldScreen) -> int:
    """How many rows tall the digits are on screen."""
    row = screen.query_one(CountdownRow)
    return len(row.lines)


@pytest.mark.parametrize(("size", "rows", "where"), [
    ((120, 40), 11, "beside"),
    ((80, 24), 7, "beside"),
    ((60, 16), 5, "hidden"),   # solid five-row digits, as before, and no room for the picture
    ((40, 12), 1, "hidden"),   # plain digits
])
async def test_the_countdown_uses_the_space_there_is(make_test_app, store, clock, long_holds, size, rows, where):
    app = make_test_app(start_routine=long_holds)
    async with app.run_test(size=size) as pilot:
        screen = await start(pilot, store, clock, 10.5)  # 45 s hold, 39.5 s left
        assert screen.recorder.engine.phase is Phase.HOLD
        assert screen.query_one("#countdown").text == "40"
        assert countdown_rows(screen) == rows
        panel = screen.query_one(PosePanel)
        assert panel.placement == where
        text = "\n".join(screen_text(app))
        if where == "beside":
            # As drawn, or twice as large where there is room (120x40): either way on screen.
            assert panel.figure == FIGURES["pelvic-tilt"]
            assert panel.drawn == (doubled(panel.figure) if size == (120, 40) else panel.figure)
            figure_line = next(line for line in panel.drawn if line.strip())
            assert figure_line.strip() in text
            # The digits are there too, beside it, as the block glyphs of 4 and 0.
            glyph_row = "".join(("█" if c == "#" else " ") * 2 for c in BLOCK_GLYPHS["4"][3])
            assert glyph_row.strip() in text
        else:
            assert "▀▀▀▀▀▀▀▀▀▀" not in text  # the floor of the picture is not drawn
        # Everything else is still there.
        assert "Pelvic Tilt  ·  rep 1 of 1" in text
        assert "this phase" in text and "min left" in text
        if size[0] >= 60:
            assert "Next: Hamstring Stretch, left" in text


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_longer_countdown_keeps_its_size_and_the_picture_its_place(make_test_app, store, clock, long_holds, size):
    app = make_test_app(start_routine=long_holds)
    async with app.run_test(size=size) as pilot:
        # 45 + 5 get ready + 5: the hamstring's left hold (90 s: `1:30`) has 80 s left.
        screen = await start(pilot, store, clock, 5 + 45 + 5 + 10)
        assert screen.query_one("#countdown").text == "1:20"
        assert countdown_rows(screen) == (7 if size == (80, 24) else 11)
        assert screen.query_one(PosePanel).placement == "beside"
        assert screen.query_one(PosePanel).figure == FIGURES["hamstring-stretch"]


async def test_the_picture_shows_the_coming_side_in_the_switch_and_is_mirrored(make_test_app, store, clock, long_holds):
    app = make_test_app(start_routine=long_holds)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, store, clock, 5 + 45 + 5 + 90 + 2)  # in the switch to the right side
        assert screen.recorder.engine.phase is Phase.SWITCH
        panel = screen.query_one(PosePanel)
        assert panel.figure == mirror(FIGURES["hamstring-stretch"]) != FIGURES["hamstring-stretch"]
        text = "\n".join(screen_text(app))
        assert "SWITCH SIDES  ·  RIGHT SIDE" in text  # the words too, not only the picture
        assert mirror(FIGURES["hamstring-stretch"])[4].strip() in text


async def test_the_picture_changes_nothing_during_a_hold(make_test_app, store, clock, long_holds):
    app = make_test_app(start_routine=long_holds)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, store, clock, 10.5)
        panel = screen.query_one(PosePanel)
        figure = panel.query_one("#pose-figure")
        painted = []
        original = figure.refresh
        figure.refresh = lambda *args, **kwargs: painted.append(args) or original(*args, **kwargs)
        for _ in range(5):
            clock.advance(1.0)
            screen.tick()
            await pilot.pause()
        assert painted == []  # five new seconds, not one repaint of the picture
        assert screen.query_one("#countdown").text == "35"


@pytest.mark.parametrize("size", [(40, 12), (50, 14), (80, 24)])
async def test_pause_and_stop_are_always_in_the_footer(make_test_app, store, clock, long_holds, size):
    app = make_test_app(start_routine=long_holds)
    async with app.run_test(size=size) as pilot:
        await start(pilot, store, clock, 10.5)
        footer = app.screen.query_one(FittingFooter)
        line = screen_text(app)[footer.region.y]
        assert " ".join(line.split()).startswith("space Pause esc Stop ! Problem"), line
        if size[0] >= 50:
            assert "→ Skip" in line
