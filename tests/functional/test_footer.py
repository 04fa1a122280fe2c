"""The footer: one line of the keys that work now, each whole, with help and the way back at every width."""

from __future__ import annotations

import pytest

from tests.functional.test_hold_layout import screen_text
from tests.functional.test_session_screens import SIZE, hold_screen, quick, run_to_end, start  # noqa: F401 - `quick` is a fixture
from tui.ui.screens.journal import JournalScreen
from tui.ui.widgets.fitting_footer import FittingFooter, FooterItem, fitting

SIZES = [(120, 40), (80, 24), (60, 16), (40, 12)]


def item(key: str, description: str, kept: bool = False) -> FooterItem:
    return FooterItem(key, key, description, kept)


def test_keys_that_do_not_fit_whole_are_left_out_but_help_and_escape_stay():
    items = [item("n", "New"), item("e", "Edit"), item("d", "Duplicate"), item("esc", "Back", kept=True),
             item("?", "Help", kept=True), item("^p", "palette")]
    assert fitting(items, 200) == (items, "  ")
    shown, gap = fitting(items, 31)
    assert shown == [items[0], items[1], items[3], items[4]] and gap == "  "  # "d Duplicate" did not fit whole
    assert sum(i.width for i in shown) + len(gap) * (len(shown) - 1) <= 31
    # One space between keys when that shows one more.
    shown, gap = fitting(items, 28)
    assert shown == [items[0], items[1], items[3], items[4]] and gap == " "
    assert fitting(items, 15)[0] == [items[3], items[4]]
    assert fitting(items, 3)[0] == []


def footer_line(app) -> str:
    footer = app.screen.query_one(FittingFooter)
    return screen_text(app)[footer.region.y]


def whole_words(line: str, footer: FittingFooter) -> bool:
    """Whether the line is exactly the footer's items, nothing cut and nothing stray."""
    words = " ".join(line.split())
    return words == " ".join(f"{i.key_display} {i.description}" for i in footer.shown)


@pytest.mark.parametrize("size", SIZES)
async def test_the_menu_footer_shows_whole_keys_and_help_at_every_width(make_test_app, size):
    app = make_test_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        line = footer_line(app)
        footer = app.screen.query_one(FittingFooter)
        assert whole_words(line, footer), line
        assert "? Help" in line and "palettel" not in line and "paletter" not in line
        assert len(line.rstrip()) <= size[0]


@pytest.mark.parametrize("size", SIZES)
async def test_the_journal_footer_keeps_help_and_back_at_every_width(make_test_app, size):
    app = make_test_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("J")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        line = footer_line(app)
        assert whole_words(line, app.screen.query_one(FittingFooter)), line
        assert "? Help" in line and "esc Back" in line, line


async def test_the_done_screen_lists_no_key_of_a_hold(make_test_app, clock, quick):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot, "Quick check")
        assert "space Pause" in footer_line(app)
        await run_to_end(pilot, clock)
        screen = hold_screen(app)
        shown = [i.description for i in screen.query_one(FittingFooter).shown]
        assert "Help" in shown and not {"Pause", "Stop", "Skip", "Back", "+10 s", "One more", "Problem"} & set(shown)
