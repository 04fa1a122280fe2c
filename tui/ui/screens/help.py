"""HelpScreen: every key, the safety note, and where the data lives."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = {
    "Everywhere": [("?", "help"), ("q", "back or quit (asks first where something would be lost)"), ("ctrl+p", "command palette")],
    "Routine menu": [("up/down, k/j", "move"), ("enter", "start the routine"), ("r", "resume an interrupted session"),
                     ("c", "close an interrupted session")],
    "Hold screen": [("space", "pause / resume"), ("right, l", "skip to the next hold"), ("left, h", "back one hold"),
                    ("+", "add 10 seconds"), ("r", "one more rep"), ("escape", "stop (asks)")],
    "Pain check-in": [("0-10, enter", "save the rating"), ("enter on empty, escape", "skip")],
}
"""The keys of each screen, as help lists them."""


class HelpScreen(ModalScreen[None]):
    """Keys, safety and data; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        lines = ["[b]backrelief help[/]", ""]
        for screen, keys in KEYS.items():
            lines.append(f"[b]{screen}[/]")
            lines += [f"  [b]{escape(key):<24}[/] {escape(what)}" for key, what in keys]
            lines.append("")
        lines += ["[b]Safety[/]", escape(self.app.safety_text), ""]
        data_dir = self.app.store.data_dir.root
        lines += [
            "[b]Your data[/]",
            f"Everything is kept in {escape(str(data_dir))} (readable only by you).",
            "Back it up with:  backrelief journal export -o journal-backup.json",
            "Restore it with:  backrelief journal import journal-backup.json",
        ]
        with VerticalScroll(classes="dialog help"):
            yield Static("\n".join(lines), markup=True)

    def action_close(self) -> None:
        self.dismiss(None)
