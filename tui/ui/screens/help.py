"""HelpScreen: every key, the safety note, and where the data lives."""

from __future__ import annotations

from pathlib import Path

from rich.console import Group
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen

from tui.ui.user_text import PlainStatic, styled

from tui.domain.cues import MOMENT_NAMES, Moment
from tui.domain.settings import Settings

KEYS = {
    "Everywhere": [("?", "help"), ("q", "back or quit (asks first where something would be lost)"),
                   ("ctrl+p", "command palette: start a routine by name, journal, new routine, settings, help")],
    "Routine menu": [("up/down, k/j", "move"), ("enter", "start the routine"), ("r", "resume an interrupted session"),
                     ("c", "close an interrupted session"), ("s", "settings"),
                     ("w", "warning signs that need a doctor"), ("h", "hide the advice to see a clinician, for a week"),
                     ("n", "new routine"), ("e", "edit the routine (a built-in one: edit your copy)"),
                     ("d", "duplicate the routine"), ("x", "delete the routine (asks)"),
                     ("i", "import a routine file"), ("o", "export the routine to a file"),
                     ("p", "plan the routine: times a day, which days, which hours")],
    "Hold screen": [("space", "pause / resume"), ("right, l", "skip to the next hold"), ("left, h", "back one hold"),
                    ("+", "add 10 seconds"), ("r", "one more rep"), ("escape", "stop (asks)"),
                    ("!", "something is wrong: pauses, asks what happened, stops the session and says what to do")],
    "Something is wrong (!)": [("s, n, l, d", "sharp or shooting pain, numbness or tingling, pain down a leg, dizziness"),
                               ("o", "something else: then type what, if you like, and enter"),
                               ("escape", "nothing: carry on (from the note: back to the choices)")],
    "How a stretch felt": [("0-9, t", "discomfort during the stretch just done; t is 10"),
                           ("enter, escape", "skip (settings can turn the question off)"),
                           ("!", "something is wrong"),
                           ("s, l, c (at 6 or more)", "shorten it, leave it out for the rest of the session, "
                                                      "or carry on as planned")],
    "Pain check-in": [("0-10, enter", "save the rating"), ("enter on empty, escape", "skip")],
    "Builder": [("tab, shift+tab", "next / previous field"), ("enter", "next field; in the steps, edit the step"),
                ("a", "add a step (outside a text field)"), ("x", "remove the step (outside a text field)"),
                ("ctrl+up, ctrl+down", "move the step up / down"), ("ctrl+s", "save"),
                ("escape", "leave (asks if unsaved)")],
    "Exercise picker": [("type", "filter by name"), ("up/down, enter", "choose, add the step"),
                        ("ctrl+n", "new exercise of your own"), ("tab, then e / x", "edit / delete one of yours"),
                        ("escape", "cancel")],
    "Journal": [("J (in the menu)", "open the journal"), ("up/down, k/j", "move"),
                ("enter", "details of a session (a ! after its status: something was wrong)"),
                ("a", "add a session done away from the app"), ("e", "edit pain ratings and note"),
                ("x", "delete a session (asks)"), ("f", "filter by routine, status, days"), ("c", "clear the filter"),
                ("E", "export as CSV or JSON"), ("t", "stats"), ("q, escape", "back")],
    "Settings": [("s (in the menu)", "open settings"), ("tab, shift+tab", "next / previous setting"),
                 ("0-9, enter", "type seconds and save them"),
                 ("3 x 250, enter", "type a bell pattern; enter saves it and plays it"),
                 ("space, enter", "switch on or off, open a list"),
                 ("escape, q", "back (good numbers are saved)")],
}
"""The keys of each screen, as help lists them."""

ABOUT_DATA = [
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
"""What help says about sharing and backing up the data, after where it is."""


class HelpScreen(ModalScreen[None]):
    """Keys, safety and data; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, settings: Settings, safety_text: str, data_folder: Path) -> None:
        super().__init__()
        self.settings = settings
        """The settings in effect (the cues as set now)."""
        self.safety_text = safety_text
        """The safety note."""
        self.data_folder = data_folder
        """Where the user's data lives."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield PlainStatic(styled("[b]backrelief help[/]   [dim]up/down, page up/down scroll; escape, q or ? close[/]\n"))
            for screen, keys in KEYS.items():
                yield PlainStatic(Group(self._keys_table(screen, keys), ""), classes="help-keys")
            yield PlainStatic(Group(self._cues_table(), ""), classes="help-keys")
            yield from self._warning_signs()
            yield from self._stretch_model()
            yield PlainStatic(self._about_text())

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

    def _cues_table(self) -> Table:
        """Each moment's bell pattern as set now, and which cues are on; patterns are changed in settings."""
        settings = self.settings
        table = Table(title="Cues (bells; change them in settings)", title_style="bold", title_justify="left",
                      box=None, show_header=False, expand=True, padding=(0, 1, 0, 2))
        table.add_column(style="bold", width=22, no_wrap=True)
        table.add_column(ratio=1)
        optional = {Moment.LAST_SECONDS: settings.last_seconds_cue, Moment.HALFWAY: settings.halfway_cue}
        for moment in Moment:
            state = "" if optional.get(moment, True) else " (off)"
            table.add_row(MOMENT_NAMES[moment], settings.pattern(moment).describe() + state)
        table.add_row("Speech", f"{'on' if settings.speech else 'off'}: it plays where the app runs; over SSH that "
                                "is the server, so use backrelief start ROUTINE --plain with your own screen reader")
        return table

    def _about_text(self) -> Content:
        """The safety note and where the data lives (a folder's name may hold anything: it is plain text)."""
        return styled(
            "[b]Safety[/]\n$safety\n\n[b]Your data[/]\nEverything is kept in $folder (readable only by you).\n$more",
            safety=self.safety_text, folder=self.data_folder, more="\n".join(ABOUT_DATA),
        )

    @staticmethod
    def _warning_signs() -> ComposeResult:
        """The warning signs that need a doctor, with their sources (as the palette's "Warning signs" shows them)."""
        from tui.domain.warning_signs import NOT_A_DIAGNOSIS
        from tui.ui.widgets.warning_sign_list import WarningSignList

        yield PlainStatic(styled("[b]Warning signs that need a doctor[/]   [dim](also w in the menu)[/]"))
        yield PlainStatic(NOT_A_DIAGNOSIS)
        yield WarningSignList(sources=True, classes="help-signs")
        yield PlainStatic("")

    @staticmethod
    def _stretch_model() -> ComposeResult:
        """How a stretch's rating is read (the pain-monitoring model), with its sources."""
        from tui.domain.discomfort import MODEL_SOURCES, MODEL_SUMMARY

        yield PlainStatic(styled("[b]How a stretch's rating is read[/]"))
        yield PlainStatic(MODEL_SUMMARY)
        sources = "\n".join(f"  • {source.name} ({source.where})" for source in MODEL_SOURCES)
        yield PlainStatic(f"Sources (facts from these; the wording is backrelief's own):\n{sources}\n")

    def action_close(self) -> None:
        self.dismiss(None)

