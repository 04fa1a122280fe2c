"""Screens get what they need when they are built: none reaches the store through the app.

Read from the source (the AST), so a new screen module is covered without editing
this file. `self.app.store`, `menu.app.store`, or `app = self.app` then `app.store`:
each is an untyped lookup the type checker cannot follow and a test cannot replace.
The palette's provider reaches it through its one typed property.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "tui" / "ui"
SCREEN_MODULES = sorted([*(UI / "screens").glob("*.py"), *(UI / "widgets").glob("*.py"), UI / "commands.py"])
"""Every module that draws something (the app itself, which hands out the store, is not one)."""


def store_lookups(path: Path) -> list[str]:
    """Where `path` reads `.store` off something that is, or was taken from, the app."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    from_app = {"app"}  # names bound to the app in the module (`app = self.app`)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute) and node.value.attr == "app":
            from_app |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr == "store"):
            continue
        owner = node.value
        if (isinstance(owner, ast.Attribute) and owner.attr == "app") or (isinstance(owner, ast.Name) and owner.id in from_app):
            found.append((node.lineno, f"{path.name}:{node.lineno}: {ast.unparse(node)}"))
    return [text for _, text in sorted(found)]


@pytest.mark.parametrize("path", SCREEN_MODULES, ids=lambda p: p.name)
def test_no_screen_reaches_the_store_through_the_app(path):
    assert store_lookups(path) == []


def test_the_check_finds_each_way_of_reaching_it(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "class S:\n"
        "    def a(self):\n        return self.app.store.routines\n"
        "    def b(self, menu):\n        return menu.app.store\n"
        "    def c(self):\n        app = self.app\n        return app.store.journal\n"
        "    def d(self):\n        return self.store.routines\n"  # its own, given when built: fine
    )
    assert [line.split(":")[1] for line in store_lookups(sample)] == ["3", "5", "8"]


def imports_of(path: Path) -> set[str]:
    """The tui modules `path` imports, wherever the import is (a function, TYPE_CHECKING)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tui."):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}  # `from tui.ui.screens import x`
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("tui.")}
    return found


def test_the_menu_and_the_routine_actions_do_not_drive_each_other():
    """The menu uses routine_actions; routine_actions and the plan dialog get what they need passed in."""
    screens = UI / "screens"
    assert "tui.ui.screens.routine_actions" in imports_of(screens / "menu.py")
    for helper in ("routine_actions.py", "plan_dialog.py"):
        assert "tui.ui.screens.menu" not in imports_of(screens / helper), helper
