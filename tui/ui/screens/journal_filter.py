"""JournalFilterDialog: narrow the journal to one routine, one status, a range of days.

The filter itself (`JournalFilter`) is a plain value: the journal screen keeps
it, shows it above the table, and asks it which sessions match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input

from tui.domain.session_rows import SessionRow
from tui.domain.sessions import STATUSES, Session
from tui.paths import screen_styles
from tui.ui.user_text import PlainLabel, PlainSelect, PlainStatic, styled
from tui.ui.widgets.form_scroll import FormScroll

DATE_EXAMPLE = "2026-01-31"
"""How a day is typed, shown in messages."""


@dataclass(frozen=True)
class JournalFilter:
    """Which sessions the journal shows; every part left empty lets everything through."""

    routine_id: str | None = None
    """Only sessions of this routine."""
    routine_name: str = ""
    """That routine's name, to show the filter in words."""
    status: str | None = None
    """Only sessions with this status."""
    since: date | None = None
    """Only sessions begun on or after this day (local time)."""
    until: date | None = None
    """Only sessions begun on or before this day (local time)."""

    @property
    def active(self) -> bool:
        """Whether anything is filtered out at all."""
        return any(v is not None for v in (self.routine_id, self.status, self.since, self.until))

    def matches(self, session: Session | SessionRow) -> bool:
        """Whether a session passes the filter."""
        if self.routine_id is not None and session.routine_id != self.routine_id:
            return False
        if self.status is not None and session.status != self.status:
            return False
        if self.since is not None or self.until is not None:
            day = session.started_at.astimezone().date()
            if self.since is not None and day < self.since:
                return False
            if self.until is not None and day > self.until:
                return False
        return True

    def describe(self) -> str:
        """The filter in words: `routine Back spasm relief · stopped · from 2026-01-01 to 2026-01-31`."""
        parts = []
        if self.routine_id is not None:
            parts.append(f"routine {self.routine_name or self.routine_id}")
        if self.status is not None:
            parts.append(self.status)
        if self.since is not None and self.until is not None:
            parts.append(f"from {self.since.isoformat()} to {self.until.isoformat()}")
        elif self.since is not None:
            parts.append(f"from {self.since.isoformat()}")
        elif self.until is not None:
            parts.append(f"up to {self.until.isoformat()}")
        return " · ".join(parts)


def parse_day(text: str) -> date | None:
    """A day typed as `2026-01-31`; '' means no limit. Raises ValueError with a message."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date; type it like {DATE_EXAMPLE}") from None


class JournalFilterDialog(ModalScreen[JournalFilter | None]):
    """Dismisses with the new filter (an empty one when cleared), or None when cancelled."""

    CSS_PATH = screen_styles("journal.tcss")

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
