"""JournalFilterDialog: narrow the journal to one routine, one status, a range of days.

The filter itself (`JournalFilter`, tui/domain/journal_filter.py) is a plain
value with no Textual in it; this dialog only builds a new one.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input

from tui.domain.journal_filter import JournalFilter
from tui.domain.sessions import STATUSES
from tui.paths import screen_styles
from tui.ui.user_text import PlainLabel, PlainSelect, PlainStatic, styled
from tui.ui.widgets.form_scroll import FormScroll
from tui.ui.screens.steady import SteadyScreen

DATE_EXAMPLE = "2026-01-31"
"""How a day is typed, shown in messages."""


def parse_day(text: str) -> date | None:
    """A day typed as `2026-01-31`; '' means no limit. Raises ValueError with a message."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date; type it like {DATE_EXAMPLE}") from None


class JournalFilterDialog(SteadyScreen, ModalScreen[JournalFilter | None]):
    """Dismisses with the new filter (an empty one when cleared), or None when cancelled."""

    CSS_PATH = screen_styles("dialogs.tcss", "journal.tcss")

    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply"),
        Binding("ctrl+r", "clear", "Clear all"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, current: JournalFilter, routines: list[tuple[str, str]]) -> None:
        super().__init__()
        self.current = current
        """The filter in force when the dialog opened."""
        self.routines = routines
        """(id, name) of every routine the journal has sessions of."""

    def compose(self) -> ComposeResult:
        known = {rid for rid, _ in self.routines}
        routine = self.current.routine_id if self.current.routine_id in known else PlainSelect.NULL
        with FormScroll(classes="dialog journal-form"):
            yield PlainLabel("Filter the journal", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield PlainLabel("Routine", classes="form-label")
                yield PlainSelect([(name, rid) for rid, name in self.routines], prompt="any routine",
                                  value=routine, id="filter-routine", compact=True)
            with Horizontal(classes="form-row"):
                yield PlainLabel("Status", classes="form-label")
                yield PlainSelect([(s, s) for s in STATUSES], prompt="any status",
                                  value=self.current.status or PlainSelect.NULL, id="filter-status", compact=True)
            with Horizontal(classes="form-row"):
                yield PlainLabel("From day", classes="form-label")
                yield Input(self.current.since.isoformat() if self.current.since else "",
                            placeholder=f"{DATE_EXAMPLE} (blank: no limit)", id="filter-since", compact=True)
            yield PlainStatic("", id="filter-since-error", classes="form-error")
            with Horizontal(classes="form-row"):
                yield PlainLabel("To day", classes="form-label")
                yield Input(self.current.until.isoformat() if self.current.until else "",
                            placeholder=f"{DATE_EXAMPLE} (blank: no limit)", id="filter-until", compact=True)
            yield PlainStatic("", id="filter-until-error", classes="form-error")
            yield PlainStatic(styled("[b]enter[/]/[b]ctrl+s[/] apply   [b]ctrl+r[/] clear all   [b]escape[/] cancel"),
                              classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#filter-routine", PlainSelect).focus()

    def _show_error(self, field: str, message: str) -> None:
        error = self.query_one(f"#filter-{field}-error", PlainStatic)
        error.update(message)
        error.display = bool(message)

    @on(Input.Submitted)
    def action_apply(self) -> None:
        """Check the days typed and dismiss with the filter, or show what is wrong by the field."""
        days: dict[str, date | None] = {}
        ok = True
        for field in ("since", "until"):
            try:
                days[field] = parse_day(self.query_one(f"#filter-{field}", Input).value)
                self._show_error(field, "")
            except ValueError as error:
                self._show_error(field, str(error).capitalize())
                ok = False
        if ok and days["since"] and days["until"] and days["since"] > days["until"]:
            self._show_error("until", f"The last day comes before the first ({days['since'].isoformat()})")
            ok = False
        if not ok:
            return
        routine = self.query_one("#filter-routine", PlainSelect).value
        status = self.query_one("#filter-status", PlainSelect).value
        names = dict(self.routines)
        self.dismiss(JournalFilter(
            routine_id=routine if isinstance(routine, str) else None,  # not PlainSelect.NULL: one is chosen
            routine_name=names.get(routine, "") if isinstance(routine, str) else "",
            status=status if isinstance(status, str) else None,
            since=days["since"],
            until=days["until"],
        ))

    def action_clear(self) -> None:
        self.dismiss(JournalFilter())

    def action_cancel(self) -> None:
        self.dismiss(None)
