"""Help's key list is built from the screens' bindings: every key bound anywhere is in it, in words."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.app import App
from textual.screen import Screen
from textual.widget import Widget

import tui.ui
from tui.ui.screens.help import SECTIONS, _bindings, key_text, section_rows


def classes_with_bindings() -> dict[str, type]:
    """Every screen, widget and app class of tui.ui that declares key bindings, by `module:Class`."""
    found = {}
    for info in pkgutil.walk_packages(tui.ui.__path__, "tui.ui."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == info.name and issubclass(cls, (Screen, Widget, App)) and "BINDINGS" in cls.__dict__:
                found[f"{info.name}:{name}"] = cls
    return found


def test_every_class_that_binds_keys_has_a_place_in_help():
    listed = {path for section in SECTIONS for path in section.screens}
    found = classes_with_bindings()
    assert {"tui.ui.screens.menu:MenuScreen", "tui.ui.screens.hold:HoldScreen"} <= set(found)  # the walk sees them
    assert set(found) - listed == set()
    assert listed - set(found) == set()  # and help names no class that is gone


def test_every_binding_of_every_screen_is_in_its_section_with_words():
    everywhere = dict(section_rows(SECTIONS[0]))
    for section in SECTIONS:
        rows = section_rows(section)
        assert all(words.strip() for _, words in rows), section.title
        shown = {key.strip() for keys, _ in rows for key in keys.split(",")}
        for path in section.screens:
            module, _, name = path.partition(":")
            for binding in _bindings(getattr(importlib.import_module(module), name)):
                for key in binding.key.split(","):
                    if binding.action == "app.help":
                        assert "?" in everywhere, path
                        continue
                    text = key_text(key.strip())
                    assert text in shown or (text.isdigit() and "0-9" in shown), (section.title, path, key)


def test_keys_read_as_they_are_typed():
    assert [key_text(k) for k in ("question_mark", "exclamation_mark", "plus", "full_stop", "ctrl+up", "J")] == [
        "?", "!", "+", ".", "ctrl+up", "J"]


def test_a_new_binding_shows_in_help_without_touching_help(monkeypatch):
    from textual.binding import Binding

    from tui.ui.screens.hold import HoldScreen

    monkeypatch.setattr(HoldScreen, "BINDINGS", [*HoldScreen.BINDINGS, Binding("m", "mute", "Mute", tooltip="Mute the bell")])
    hold = next(section for section in SECTIONS if section.title == "Hold screen")
    assert ("m", "mute the bell") in section_rows(hold)
