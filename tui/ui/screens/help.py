"""HelpScreen: every key, the safety note, and where the data lives."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Group
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.keys import key_to_character
from textual.screen import ModalScreen

from tui.domain.cues import MOMENT_NAMES, Moment
from tui.domain.settings import Settings
from tui.paths import screen_styles
from tui.ui.screens.steady import SteadyScreen
from tui.ui.user_text import PlainStatic, styled


@dataclass(frozen=True)
class HelpSection:
    """One heading of help's key list: the keys bound in some screens, in words, with the keys that are not
    bindings (typing into a field, tab) said first."""

    title: str
    """The heading."""
    screens: tuple[str, ...]
    """`module:Class` of each screen (or widget) whose BINDINGS this section lists, in the order shown."""
    words: dict[str, str] = field(default_factory=dict)
    """What an action does, by action (`move(1)`) or action name (`rate`), where the binding's own tooltip or
    description says too little; keys whose words are the same share a row."""
    typed: tuple[tuple[str, str], ...] = ()
    """Keys that are not bindings of these screens (digits typed into a field, tab between fields), with their words."""


SECTIONS = (
    HelpSection("Everywhere", ("tui.ui.app:BackreliefApp",), typed=(
        ("q", "back or quit (asks first where something would be lost)"),
        ("ctrl+p", "command palette: start a routine by name, journal, new routine, settings, help"),
    )),
    HelpSection("Routine menu", ("tui.ui.screens.menu:MenuScreen",), words={
        "move": "move", "start": "start the routine", "again": "start the routine of the last session again",
        "resume": "resume an interrupted session", "close_interrupted": "close an interrupted session",
        "new_routine": "new routine", "edit_routine": "edit the routine (a built-in one: edit your copy)",
        "duplicate_routine": "duplicate the routine", "delete_routine": "delete the routine (asks)",
        "import_routine": "import a routine file", "export_routine": "export the routine to a file",
        "app.warning_signs": "warning signs that need a doctor",
        "hide_advice": "hide the advice to see a clinician, for a week",
        "plan": "plan the routine: times a day, which days, which hours",
        "accept_suggestion": "accept the step up or ease off offered for the routine",
        "app.journal": "open the journal", "app.settings": "settings", "app.quit": "quit",
    }, typed=(("up, down", "move"),)),
    HelpSection("Hold screen", ("tui.ui.screens.hold:HoldScreen",), words={
        "toggle_pause": "pause / resume", "skip": "skip to the next hold", "back": "back one hold",
        "add_time": "add 10 seconds", "stop": "stop (asks)",
        "something_wrong": "something is wrong: pauses, asks what happened, stops the session and says what to do",
    }),
    HelpSection("Something is wrong (!)", ("tui.ui.screens.problem_dialog:ProblemDialog",
                                            "tui.ui.screens.problem_advice:ProblemAdviceScreen"), words={
        "answer('sharp-pain')": "sharp or shooting pain", "answer('numbness')": "numbness or tingling",
        "answer('leg-pain')": "pain down a leg", "answer('dizziness')": "dizziness",
        "answer('other')": "something else: then type what, if you like, and enter",
        "back": "nothing: carry on (from the note: back to the choices)", "done": "go on after the advice",
    }),
    HelpSection("How a stretch felt", ("tui.ui.screens.step_rating:StepRatingDialog",
                                        "tui.ui.screens.stretch_offer:StretchOffer"), words={
        "rate": "discomfort during the stretch just done; t is 10",
        "skip": "skip (settings can turn the question off)", "problem": "something is wrong",
        "choose('shorten')": "at 6 or more: shorten it for the rest of the session",
        "choose('leave-out')": "at 6 or more: leave it out for the rest of the session",
        "choose('carry-on')": "at 6 or more: carry on as planned",
    }),
    HelpSection("Pain check-in", ("tui.ui.screens.pain_checkin:PainCheckIn", "tui.ui.screens.note_dialog:NoteDialog"),
                words={"skip": "skip", "one_more_rep": "one more rep (after the last hold)"},
                typed=(("0-10, enter", "save the rating"), ("enter on empty", "skip"))),
    HelpSection("Builder", ("tui.ui.screens.builder:RoutineBuilder",), words={
        "add_step": "add a step (outside a text field)", "remove_step": "remove the step (outside a text field)",
        "move_step": "move the step up / down", "save": "save", "leave": "leave (asks if unsaved)",
    }, typed=(("tab, shift+tab", "next / previous field"), ("enter", "next field; in the steps, edit the step"))),
    HelpSection("Exercise picker", ("tui.ui.screens.exercise_picker:ExercisePicker",
                                     "tui.ui.screens.exercise_picker:ExerciseList",
                                     "tui.ui.screens.exercise_editor:ExerciseEditor"), words={
        "move": "move", "new_exercise": "new exercise of your own", "screen.new_exercise": "new exercise of your own",
        "screen.edit_exercise": "in the list: edit one of yours", "screen.delete_exercise": "in the list: delete one of yours",
        "screen.focus_filter": "in the list: back to the filter", "save": "save the exercise",
    }, typed=(("type", "filter by name"), ("enter", "choose, add the step"))),
    HelpSection("Journal", ("tui.ui.screens.journal:JournalScreen", "tui.ui.widgets.virtual_table:VirtualTable",
                             "tui.ui.screens.session_details:SessionDetails", "tui.ui.screens.stats:StatsScreen"), words={
        "move": "move", "cursor_up": "move", "cursor_down": "move", "page_up": "a page up / down",
        "page_down": "a page up / down", "first": "the newest session", "last": "the oldest session",
        "select": "details of a session (a ! after its status: something was wrong)",
        "details": "details of a session (a ! after its status: something was wrong)",
        "add": "add a session done away from the app", "edit": "edit pain ratings and note",
        "delete": "delete a session (asks)", "filter": "filter by routine, status, days", "clear_filter": "clear the filter",
        "export": "export as CSV or JSON", "export_report": "a report to take to a clinician", "stats": "stats",
        "oldest": "the oldest session", "back": "back",
    }, typed=(("J (in the menu)", "open the journal"), ("up, down", "move"))),
    HelpSection("Journal forms", ("tui.ui.screens.session_editor:SessionEditor",
                                   "tui.ui.screens.journal_filter:JournalFilterDialog",
                                   "tui.ui.screens.journal_export:JournalExportDialog"), words={
        "save": "save the session", "apply": "apply the filter", "clear": "clear the whole filter",
        "export": "write the export", "cancel": "cancel",
    }, typed=(("tab, shift+tab", "next / previous field"),)),
    HelpSection("Settings", ("tui.ui.screens.settings:SettingsScreen",), words={
        "close": "back (good numbers are saved)", "close_unless_typing": "back (good numbers are saved)",
    }, typed=(("s (in the menu)", "open settings"), ("tab, shift+tab", "next / previous setting"),
              ("0-9, enter", "type seconds and save them"),
              ("3 x 250, enter", "type a bell pattern; enter saves it and plays it"),
              ("space, enter", "switch on or off, open a list"))),
    HelpSection("Warning signs", ("tui.ui.screens.warning_question:WarningSignQuestion",
                                   "tui.ui.screens.warning_advice:WarningSignAdvice",
                                   "tui.ui.screens.warning_signs:WarningSignsScreen"), words={
        "answer('emergency')": "one of the emergency signs applies", "answer('urgent')": "one of the urgent signs applies",
        "answer('none')": "none of these applies", "not_an_answer": "not an answer: the question stays",
        "go_on": "go on to the stretches anyway", "app.quit": "quit", "quit": "quit", "close": "close",
    }),
    HelpSection("Other questions", ("tui.ui.screens.safety:SafetyNote", "tui.ui.screens.confirm:ConfirmDialog",
                                     "tui.ui.screens.plan_dialog:PlanDialog",
                                     "tui.ui.screens.routine_file_dialog:RoutineFileDialog",
                                     "tui.ui.screens.unsaved_session:UnsavedSession",
                                     "tui.ui.screens.help:HelpScreen"), words={
        "ok": "the safety note: I understand", "not_yet": "the safety note: not read yet (it shows again)",
        "answer(True)": "yes", "answer(False)": "no", "save": "save the plan", "clear_plan": "clear the plan",
        "cancel": "cancel", "retry": "a session not saved: try again now", "leave": "quit without saving it",
        "close": "close help",
    }),
)
"""Help's key list, a heading each: the keys come from the screens' BINDINGS, so help cannot miss one."""

_KEY_NAMES = {"plus": "+", "slash": "/", "space": "space", "escape": "escape", "enter": "enter", "tab": "tab",
              "pageup": "page up", "pagedown": "page down"}
"""Keys help shows by a name of their own; the rest as the character they type, or as Textual names them."""


def key_text(key: str) -> str:
    """A key as help shows it: `question_mark` is `?`, `ctrl+up` stays `ctrl+up`."""
    if key in _KEY_NAMES:
        return _KEY_NAMES[key]
    character = key_to_character(key)
    return character if character and character.isprintable() and not character.isspace() else key


def _keys_of(bindings: list[Binding]) -> str:
    keys = [key_text(key.strip()) for binding in bindings for key in binding.key.split(",")]
    keys = list(dict.fromkeys(keys))
    if all(str(digit) in keys for digit in range(10)):  # ten keys of one kind read as one range
        at = keys.index("0")
        keys = [key for key in keys if not key.isdigit()]
        keys.insert(at, "0-9")
    return ", ".join(keys)


def _bindings(screen: type) -> list[Binding]:
    """The bindings a screen (or widget) class declares, its own and those of backrelief classes it builds on."""
    found: list[Binding] = []
    for cls in reversed(screen.__mro__):
        if cls.__module__.startswith("tui.") and "BINDINGS" in cls.__dict__:
            found += [b if isinstance(b, Binding) else Binding(*b) for b in cls.__dict__["BINDINGS"]]
    return found


def _screen_class(path: str) -> type:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def section_rows(section: HelpSection) -> list[tuple[str, str]]:
    """A section's rows, (keys, words): the typed keys, then each action bound, keys with the same words together.

    The words of an action: the section's (by the action, or its name), else the binding's tooltip or description.
    Help itself (`?`) is said once, under Everywhere.
    """
    rows: dict[str, list[Binding]] = {}
    for path in section.screens:
        for binding in _bindings(_screen_class(path)):
            if binding.action == "app.help" and section.title != "Everywhere":
                continue
            name = binding.action.partition("(")[0]
            words = (section.words.get(binding.action) or section.words.get(name) or binding.tooltip
                     or binding.description or name.replace("_", " "))
            rows.setdefault(words[:1].lower() + words[1:] if words[1:2].islower() else words, []).append(binding)
    typed = list(section.typed)
    for index, (keys, words) in enumerate(typed):
        if words in rows:  # `up, down` and the j/k bindings: one row
            both = [*keys.split(", "), *_keys_of(rows.pop(words)).split(", ")]
            typed[index] = (", ".join(dict.fromkeys(both)), words)
    return typed + [(_keys_of(bindings), words) for words, bindings in rows.items()]


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


class HelpScreen(SteadyScreen, ModalScreen[None]):
    """Keys, safety and data; any of escape, q or ? closes it."""

    CSS_PATH = screen_styles("dialogs.tcss")

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
            for section in SECTIONS:
                yield PlainStatic(Group(self._keys_table(section.title, section_rows(section)), ""), classes="help-keys")
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

