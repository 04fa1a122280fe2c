"""ProblemDialog: the `!` key's question, "what happened?", answered in one key."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from tui.paths import screen_styles
from tui.domain.sessions import NOTE_MAX
from tui.domain.warning_signs import PROBLEM_KEYS, PROBLEMS
from tui.ui.user_text import PlainLabel, PlainStatic
from tui.ui.window import SHORT_WINDOW
from tui.ui.screens.steady import SteadyScreen

KEYS = PROBLEM_KEYS
"""The key that answers each kind (the domain's, so plain mode asks with the same keys)."""


def choices() -> Text:
    """One line per kind: its key, then what it is, in the order the domain offers them."""
    text = Text()
    for index, problem in enumerate(PROBLEMS):
        if index:
            text.append("\n")
        text.append(f" {KEYS[problem.kind]} ", style="bold reverse")
        text.append(f"  {problem.label}")
        if problem.kind == "other":
            text.append(" (you can say what)", style="dim")
    return text


class ProblemDialog(SteadyScreen, ModalScreen[tuple[str, str] | None]):
    """Dismisses with (kind, note) once the person says what happened, or None on escape (carry on).

    `o` (something else) opens a line for a note: `enter` saves it (empty is fine),
    `escape` goes back to the choices, so one key never resumes a session by mistake.
    """

    CSS_PATH = screen_styles("dialogs.tcss")

    BINDINGS = [
        *(Binding(key, f"answer('{kind}')", show=False) for kind, key in KEYS.items()),
        Binding("escape", "back", "Carry on", show=False),
    ]

    AUTO_FOCUS = None
    """Nothing is focused at first: the note line, hidden until `o`, must not take the answer keys."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_WINDOW, "-tall")]
    """In a short window the dialog drops its padding."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog problem"):
            yield PlainLabel("Something is wrong", classes="dialog-title")
            yield PlainStatic("The session is paused. What happened?", classes="dialog-body")
            yield PlainStatic(choices(), id="problem-choices", classes="dialog-body")
            yield PlainStatic("In your own words (optional):", id="problem-note-label", classes="dialog-body -note",
                         markup=False)
            yield Input(placeholder="what happened", id="problem-note", max_length=NOTE_MAX, classes="-note")
            yield PlainStatic("", id="problem-keys", classes="dialog-keys")

    def on_mount(self) -> None:
        self._show_note(False)

    def _show_note(self, shown: bool) -> None:
        for widget in self.query(".-note"):
            widget.display = shown
        note = self.query_one("#problem-note", Input)
        note.disabled = not shown  # hidden, it must take no keys
        keys = self.query_one("#problem-keys", PlainStatic)
        if shown:
            note.focus()
            keys.update(Text.assemble(("enter", "bold"), " save and stop    ", ("escape", "bold"), " back"))
        else:
            self.set_focus(None)
            keys.update(Text.assemble(("s n l d o", "bold"), " answer and stop    ", ("escape", "bold"), " carry on"))

    @property
    def asking_for_note(self) -> bool:
        """Whether the note line is open (after `o`)."""
        return bool(self.query_one("#problem-note", Input).display)

    def action_answer(self, kind: str) -> None:
        if kind == "other":
            self._show_note(True)
        else:
            self.dismiss((kind, ""))

    @on(Input.Submitted, "#problem-note")
    def save_note(self, event: Input.Submitted) -> None:
        self.dismiss(("other", event.value.strip()))

    def action_back(self) -> None:
        if self.asking_for_note:
            self._show_note(False)
        else:
            self.dismiss(None)
