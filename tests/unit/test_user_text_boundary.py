"""Every screen shows text through `tui.ui.user_text`: a test that fails when a new screen forgets.

It reads each module of `tui/ui` (new ones included, found by walking the folder)
and refuses what would let a user's text be read as markup or bypass the
boundary: Textual's text widgets used directly, markup escaped by hand, markup
switched on, markup built from anything but a literal, Content made directly.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "tui" / "ui"
BOUNDARY = UI / "user_text"
"""The boundary: a package (the table apart, loaded only by screens with one)."""

SAFE_WIDGETS = {
    "Footer": "shows the bindings' descriptions, which are our own constants",
    "Input": "never reads markup; a pasted control character is dropped by the HarmlessText line filter",
    "TextArea": "never reads markup; as Input",
    "Switch": "shows no text",
}
"""Textual widgets a screen may use as they are, and why each is safe; every other one goes through user_text."""
SAFE_WIDGET_MODULES = {"textual.widgets.option_list": {"Option"}}
"""Names from Textual's widget modules that show nothing themselves (an Option's prompt is drawn by PlainOptionList)."""
MARKUP_BUILDERS = {"styled"}
"""Functions of the boundary whose first argument is a markup template: it must be a literal."""
BOUNDARY_CALLS = {"plain", "styled", "plain_rich", "highlighted"}
"""Functions of the boundary that turn user text into something safe to show."""
TEXT_ATTRIBUTES = {"border_title", "border_subtitle", "tooltip"}
"""Widget attributes Textual reads as markup when given a str."""


def _is_literal(node: ast.AST) -> bool:
    """A str literal, or a choice between literals: text that cannot have come from a user."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    return isinstance(node, ast.IfExp) and _is_literal(node.body) and _is_literal(node.orelse)


def _called_name(node: ast.AST) -> str:
    """`plain` for `plain(...)`, `from_markup` for `Content.from_markup(...)`, '' for anything else."""
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            return node.func.id
        if isinstance(node.func, ast.Attribute):
            return node.func.attr
    return ""


def problems_in(source: str, name: str = "<module>") -> list[str]:
    """What in `source` breaks the rules of `tui.ui.user_text`, one line each."""
    found: list[str] = []

    def say(node: ast.AST, what: str) -> None:
        found.append(f"{name}:{getattr(node, 'lineno', 0)}: {what}")

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = {alias.name for alias in node.names}
            if node.module == "textual.widgets" or node.module.startswith("textual.widgets."):
                allowed = set(SAFE_WIDGETS) if node.module == "textual.widgets" else SAFE_WIDGET_MODULES.get(node.module, set())
                for widget in sorted(names - allowed):
                    say(node, f"imports {widget} from {node.module}: use the Plain widgets of tui.ui.user_text")
            if node.module in ("textual.markup", "rich.markup"):
                say(node, f"imports {', '.join(sorted(names))} from {node.module}: user text is never markup, "
                          "so it needs no escaping; fill a literal template with styled()")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("textual.widgets") or alias.name in ("textual.markup", "rich.markup"):
                    say(node, f"imports {alias.name}: see tui.ui.user_text")
        elif isinstance(node, ast.Call):
            called = _called_name(node)
            for keyword in node.keywords:
                if keyword.arg == "markup" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is False):
                    say(node, "turns markup on: user text would be read as markup; use styled() with a literal")
            if called in MARKUP_BUILDERS and (not node.args or not _is_literal(node.args[0])):
                say(node, f"{called}() takes a literal template; user text goes in its $name values")
            if called == "from_markup":
                say(node, "builds markup outside tui.ui.user_text: use styled() with a literal template")
            if called == "highlight":
                say(node, "Matcher.highlight reads its text as markup: use highlighted() of tui.ui.user_text")
            if isinstance(node.func, ast.Name) and node.func.id == "Content":
                say(node, "makes Content directly: use plain() (harmless) or styled()")
            if called in ("Hit", "DiscoveryHit"):
                index = 1 if called == "Hit" else 0
                shown = node.args[index] if len(node.args) > index else None
                if shown is None or _called_name(shown) not in BOUNDARY_CALLS:
                    say(node, f"{called}'s prompt is read as markup when a str: give it plain() or styled()")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in TEXT_ATTRIBUTES:
                    if not (_is_literal(node.value) or _called_name(node.value) in BOUNDARY_CALLS):
                        say(node, f"sets {target.attr}, read as markup: give it a literal, plain() or styled()")
    return found


def ui_modules() -> list[Path]:
    return sorted(path for path in UI.rglob("*.py") if BOUNDARY not in path.parents)


def test_the_ui_modules_are_found():
    names = {path.relative_to(UI).as_posix() for path in ui_modules()}
    assert {"app.py", "screens/menu.py", "screens/hold.py", "screens/journal.py", "screens/builder.py"} <= names


@pytest.mark.parametrize("path", ui_modules(), ids=lambda path: path.relative_to(UI).as_posix())
def test_every_ui_module_shows_text_through_the_boundary(path):
    assert problems_in(path.read_text(encoding="utf-8"), path.name) == []


# -- the checker itself: each rule catches what it is for ------------------------------------------


@pytest.mark.parametrize("source, words", [
    ("from textual.widgets import Static", "imports Static"),
    ("from textual.widgets import Footer, DataTable", "imports DataTable"),
    ("from textual.widgets._static import Static", "imports Static"),
    ("import textual.widgets", "imports textual.widgets"),
    ("from textual.markup import escape", "needs no escaping"),
    ("from rich.markup import escape", "needs no escaping"),
    ("PlainStatic(name, markup=True)", "turns markup on"),
    ("self.notify(message, markup=flag)", "turns markup on"),
    ("styled(f'Delete {name}?')", "literal template"),
    ("styled(template, name=name)", "literal template"),
    ("styled('Delete ' + name)", "literal template"),
    ("Content.from_markup('[b]$name[/]', name=name)", "builds markup"),
    ("Text.from_markup(name)", "builds markup"),
    ("Content(routine.name)", "makes Content directly"),
    ("DiscoveryHit(f'Start {name}', run)", "prompt is read as markup"),
    ("Hit(score, command.text, run)", "prompt is read as markup"),
    ("Hit(score, matcher.highlight(command.text), run)", "reads its text as markup"),
    ("self.border_title = routine.name", "sets border_title"),
])
def test_the_checker_refuses(source, words):
    found = problems_in(source)
    assert found and any(words in line for line in found), found


@pytest.mark.parametrize("source", [
    "from textual.widgets import Footer, Input, TextArea, Switch",
    "from textual.widgets.option_list import Option",
    "from tui.ui.user_text import PlainStatic, plain, styled",
    "PlainStatic(f'{name} is built in')",  # plain text: shown as it is
    "styled('[b]$name[/] is built in', name=routine.name)",
    "styled('[$error]$mark[/]' if errors else '[$warning]$mark[/]', mark=mark)",
    "PlainStatic(text, markup=False)",
    "DiscoveryHit(plain(command.text), run, text=command.text)",
    "Hit(score, highlighted(matcher, text), run)",
    "self.border_title = 'Journal'",
])
def test_the_checker_lets_through(source):
    assert problems_in(source) == []
