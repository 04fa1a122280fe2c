"""SessionEditor: add a session done away from the app, or change a session's pain ratings and note.

Every field is checked before anything is returned; a bad value gets its
message under the field and the dialog stays open, so nothing is stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Mapping, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, TextArea

from tui.domain.logged import TIME_EXAMPLE, logged_session, parse_logged_time
from tui.domain.exercises import Exercise
from tui.domain.plan import Timings, format_duration
from tui.domain.routines import Routine
from tui.domain.sessions import Session, note_problem, parse_pain
from tui.domain.text import safe_text
from tui.paths import screen_styles
from tui.ui.user_text import PlainLabel, PlainSelect, PlainStatic, styled
from tui.ui.widgets.form_scroll import FormScroll
from tui.ui.screens.steady import SteadyScreen

T = TypeVar("T")

TIME_FORMAT = "%Y-%m-%d %H:%M"
"""How dates and times are shown and typed in the journal."""


class SessionEditor(SteadyScreen, ModalScreen[Session | None]):
    """Dismisses with the new or changed session, checked but not yet stored; None when cancelled.

    With no session it adds a `logged` one (routine, when it began, pain, note);
    with one it changes only that session's pain ratings and note.
    """

    CSS_PATH = screen_styles("dialogs.tcss", "journal.tcss")

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, session: Session | None = None, routines: list[Routine] | None = None,
                 now: datetime | None = None, exercises: Mapping[str, Exercise] | None = None,
                 timings: Timings | None = None) -> None:
        super().__init__()
        self.exercises = exercises or {}
        """Every exercise by id: an added session's holds are worked out from its routine's steps."""
        self.timings = timings or Timings()
        """The get-ready and switch times an added session is worked out with."""
        self.session = session
        """The session being changed; None when adding one."""
        self.routines = routines or []
        """The routines a new session can be of."""
        self.now = now
        """The time when the dialog opened: the default start, and the limit of the past."""
        self.shown_note = "" if session is None else safe_text(session.note)
        """The note as the field first shows it: an imported one's control characters as visible pictures."""

    @property
    def adding(self) -> bool:
        """Whether this adds a new session rather than changing one."""
        return self.session is None

    def compose(self) -> ComposeResult:
        session = self.session
        with FormScroll(classes="dialog journal-form"):
            if session is None:
                yield PlainLabel("Add a session done away from the app", classes="dialog-title")
                with Horizontal(classes="form-row"):
                    yield PlainLabel("Routine", classes="form-label")
                    yield PlainSelect([(r.name, r.id) for r in self.routines], allow_blank=False,
                                      id="routine", compact=True)
                with Horizontal(classes="form-row"):
                    yield PlainLabel("Began", classes="form-label")
                    now = (self.now or datetime.now().astimezone()).astimezone()
                    yield Input(now.strftime(TIME_FORMAT), placeholder=TIME_EXAMPLE, id="when", compact=True)
                yield PlainStatic("", id="when-error", classes="form-error")
            else:
                yield PlainLabel("Edit a session", classes="dialog-title")
                when = session.started_at.astimezone().strftime(TIME_FORMAT)
                yield PlainStatic(
                    f"{when}  {session.routine_name}\n{session.status}, {session.holds_done} of "
                    f"{session.holds_planned} holds, {format_duration(session.seconds_held)} held",
                    id="editing", classes="dialog-body",
                )
            for field, label, value in (
                ("pain-before", "Pain before", None if session is None else session.pain_before),
                ("pain-after", "Pain after", None if session is None else session.pain_after),
            ):
                with Horizontal(classes="form-row"):
                    yield PlainLabel(label, classes="form-label")
                    yield Input("" if value is None else str(value), placeholder="0-10, blank: not rated",
                                id=field, max_length=3, compact=True)
                yield PlainStatic("", id=f"{field}-error", classes="form-error")
            with Horizontal(classes="form-row note-row"):
                yield PlainLabel("Note", classes="form-label")
                yield TextArea(self.shown_note, id="note", soft_wrap=True,
                               show_line_numbers=False, tab_behavior="focus")
            yield PlainStatic("", id="note-error", classes="form-error")
            yield PlainStatic(styled("[b]ctrl+s[/] save   [b]tab[/] next field   [b]escape[/] cancel"), classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#routine" if self.adding else "#pain-before").focus()

    def _show_errors(self, problems: dict[str, str]) -> None:
        """Show each field's message under it, and clear the others."""
        for error in self.query(".form-error").results(PlainStatic):
            message = problems.get((error.id or "").removesuffix("-error"), "")
            error.update(message)
            error.display = bool(message)

    @on(Input.Submitted)
    def action_save(self) -> None:
        """Check every field; dismiss with the session when all are good, else say what is wrong by each field."""
        problems: dict[str, str] = {}

        def checked(field: str, parse: Callable[[], T]) -> T | None:
            try:
                return parse()
            except ValueError as error:
                text = str(error)
                problems[field] = text[:1].upper() + text[1:]
                return None

        pain_before = checked("pain-before", lambda: parse_pain(self.query_one("#pain-before", Input).value))
        pain_after = checked("pain-after", lambda: parse_pain(self.query_one("#pain-after", Input).value))
        note = checked("note", self._note)
        started = None
        if self.adding:
            now = self.now or datetime.now().astimezone()
            started = checked("when", lambda: parse_logged_time(self.query_one("#when", Input).value, now))
        self._show_errors(problems)
        if problems:
            return
        if self.session is not None:
            self.dismiss(self.session.with_changes(pain_before=pain_before, pain_after=pain_after, note=note))
            return
        chosen = self.query_one("#routine", PlainSelect).value
        routine = next(r for r in self.routines if r.id == chosen)
        assert started is not None and note is not None  # no problems: both were read
        self.dismiss(logged_session(
            routine, self.exercises, self.timings, started,
            pain_before=pain_before, pain_after=pain_after, note=note,
        ))

    def _note(self) -> str:
        note = self.query_one("#note", TextArea).text.strip()
        if self.session is not None and note == self.shown_note.strip():
            return self.session.note  # untouched: kept exactly as stored, whatever it holds
        problem = note_problem(note)
        if problem:
            raise ValueError(f"the note {problem}")
        return note

    def action_cancel(self) -> None:
        self.dismiss(None)
