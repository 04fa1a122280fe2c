"""What the app shows, read for the tests: the one module of the tests that reads Textual's internals.

Textual offers no public way to read back the screen as drawn, the notifications
it keeps, or the headless driver's size. The tests need all three, so they ask
here; when a Textual release moves one of these, this is the one place to fix
(`tests/unit/test_textual_view.py` keeps every other test module out of them).
"""

from __future__ import annotations

from textual.geometry import Region, Size
from textual.widgets._select import SelectOverlay  # the list a Select opens, only importable from here
from textual.widgets._toast import Toast

__all__ = ["SelectOverlay", "Toast", "count_layouts", "crashed", "notifications", "screen_lines", "set_driver_size",
           "terminal_output"]


def screen_lines(app, region: Region | None = None) -> list[str]:
    """The text of every line of the screen (or of one region of it), as the user sees it."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    if region is not None:
        lines = [line[region.x:region.right] for line in lines[region.y:region.bottom]]
    return lines


def terminal_output(app) -> str:
    """What the app would write to the terminal to draw everything on screen now, escape sequences and all."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return update.render_segments(app.console)


def notifications(app) -> list[str]:
    """The message of every notification the app still keeps, oldest first."""
    return [notification.message for notification in app._notifications]


def crashed(app) -> BaseException | None:
    """The exception that is taking the app down, or None while it runs as it should."""
    return app._exception


def set_driver_size(app, width: int, height: int) -> None:
    """Make the headless driver report this terminal size (as a real one would after a resize)."""
    app._driver._size = Size(width, height)


def count_layouts(monkeypatch) -> list[str]:
    """From now on (for the test), the class name of each screen Textual lays out whole, once per layout, in order."""
    from textual.screen import Screen

    laid_out: list[str] = []
    lay_out = Screen._refresh_layout

    def counted(screen, *args, **kwargs):
        laid_out.append(type(screen).__name__)
        return lay_out(screen, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    return laid_out
