"""Only tests/textual_view.py reads Textual's internals: a Textual upgrade that moves them breaks one module."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.app import App
from textual.driver import Driver
from textual.screen import Screen
from textual.widget import Widget

TESTS = Path(__file__).resolve().parents[1]
OWN_NAMES = {"self", "os"}
"""What a private name is read from when it is not Textual's: a test's own object (`self._ready`), `os._exit`."""


def textual_private_names() -> set[str]:
    """The private attributes of Textual's app, screen, widget and driver: on the classes, and set by their __init__."""
    names = {name for cls in (App, Screen, Widget, Driver) for name in dir(cls)}
    names |= set(vars(App())) | set(vars(Screen())) | set(vars(Widget()))
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def internals_read(source: str, private: set[str]) -> list[str]:
    """Where `source` reads a private Textual attribute or imports from a private Textual module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        owner = node.value.id if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) else ""
        if isinstance(node, ast.Attribute) and node.attr in private and owner not in OWN_NAMES:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual.") and "._" in node.module:
            found.append(f"line {node.lineno}: from {node.module}")
    return found


def test_no_test_module_but_textual_view_reads_textual_internals():
    private = textual_private_names()
    offenders = {}
    for path in sorted(TESTS.rglob("*.py")):
        if path.name == "textual_view.py":
            continue
        found = internals_read(path.read_text(encoding="utf-8"), private)
        if found:
            offenders[str(path.relative_to(TESTS))] = found
    assert offenders == {}


def test_the_check_would_see_a_test_that_reads_them():
    private = textual_private_names()
    assert {"_notifications", "_compositor", "_driver"} <= private
    assert internals_read("x = [n.message for n in app._notifications]\n", private) == ["line 1: ._notifications"]
    assert internals_read("from textual.widgets._toast import Toast\n", private) == ["line 1: from textual.widgets._toast"]
    assert internals_read((TESTS / "textual_view.py").read_text(encoding="utf-8"), private) != []
