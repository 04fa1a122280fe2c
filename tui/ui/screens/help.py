"""HelpScreen: every key, the safety note, and where the data lives."""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = {
    "Everywhere": [("?", "help"), ("q", "back or quit (asks first where something would be lost)"),
                   ("ctrl+p", "command palette: start a routine by name, journal, new routine, settings, help")],
    "Routine menu": [("up/down, k/j", "move"), ("enter", "start the routine"), ("r", "resume an interrupted session"),
                     ("c", "close an interrupted session"), ("s", "settings"),
                     ("n", "new routine"), ("e", "edit the routine (a built-in one: edit your copy)"),
                     ("d", "duplicate the routine"), ("x", "delete the routine (asks)"),
                     ("i", "import a routine file"), ("o", "export the routine to a file"),
                     ("p", "plan the routine: times a day, which days, which hours")],
    "Hold screen": [("space", "pause / resume"), ("right, l", "skip to the next hold"), ("left, h", "back one hold"),
                    ("+", "add 10 seconds"), ("r", "one more rep"), ("escape", "stop (asks)")],
    "Pain check-in": [("0-10, enter", "save the rating"), ("enter on empty, escape", "skip")],
    "Builder": [("tab, shift+tab", "next / previous field"), ("enter", "next field; in the steps, edit the step"),
                ("a", "add a step (outside a text field)"), ("x", "remove the step (outside a text field)"),
                ("ctrl+up, ctrl+down", "move the step up / down"), ("ctrl+s", "save"),
                ("escape", "leave (asks if unsaved)")],
    "Exercise picker": [("type", "filter by name"), ("up/down, enter", "choose, add the step"),
                        ("ctrl+n", "new exercise of your own"), ("tab, then e / x", "edit / delete one of yours"),
                        ("escape", "cancel")],
    "Journal": [("J (in the menu)", "open the journal"), ("up/down, k/j", "move"), ("enter", "details of a session"),
                ("a", "add a session done away from the app"), ("e", "edit pain ratings and note"),
                ("x", "delete a session (asks)"), ("f", "filter by routine, status, days"), ("c", "clear the filter"),
                ("E", "export as CSV or JSON"), ("t", "stats"), ("q, escape", "back")],
    "Settings": [("s (in the menu)", "open settings"), ("tab, shift+tab", "next / previous setting"),
                 ("0-9, enter", "type seconds and save them"), ("space, enter", "switch on or off, open a list"),
                 ("escape, q", "back (good numbers are saved)")],
}
"""The keys of each screen, as help lists them."""


class HelpScreen(ModalScreen[None]):
    """Keys, safety and data; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static("[b]backrelief help[/]   [dim]up/down, page up/down scroll; escape, q or ? close[/]\n")
            for screen, keys in KEYS.items():
                yield Static(Group(self._keys_table(screen, keys), ""), classes="help-keys")
            yield Static(self._about_text(), markup=True)

    @staticmethod
    def _keys_table(screen: str, keys: list[tuple[str, str]]) -> Table:
        """One screen's keys: the key in one column, what it does wrapping in the other."""
        table = Table(title=screen, title_style="bold", title_justify="left", box=None, show_header=False,
                      expand=True, padding=(0, 1, 0, 2))
        table.add_column(style="bold", width=22, no_wrap=True)
        table.add_column(ratio=1)
        for key, what in keys:
            table.add_row(key, what)
        return table

    def _about_text(self) -> str:
        """The safety note and where the data lives."""
        lines = ["[b]Safety[/]", escape(self.app.safety_text), ""]
        data_dir = self.app.store.data_dir.root
        lines += [
            "[b]Your data[/]",
            f"Everything is kept in {escape(str(data_dir))} (readable only by you).",
            "A second copy of the app (another window, a browser tab) shares it safely.",
            "",
            "To back up, run these in a terminal (the second for each routine of your own):",
            "  backrelief journal export -o journal.json",
            "  backrelief routines export ROUTINE -o routine.json",
            "To bring them back (sessions already there are skipped):",
            "  backrelief journal import journal.json",
            "  backrelief routines import routine.json",
            "Or copy the whole folder while the app is closed.",
        ]
        return "\n".join(lines)

    def action_close(self) -> None:
        self.dismiss(None)
