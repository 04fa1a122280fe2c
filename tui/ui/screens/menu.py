"""MenuScreen: the routines, a preview of the one selected, and the way into a session."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Mapping

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets.option_list import Option

from tui.domain.exercises import Exercise
from tui.domain.plan import format_duration, routine_seconds
from tui.domain.routines import Routine
from tui.domain.schedule import Progress
from tui.domain.text import safe_text
from tui.storage.store import Store
from tui.domain.problems import ValidationError
from tui.storage.errors import StorageError
from tui.ui.user_text import PlainOptionList, PlainStatic, styled
from tui.ui.widgets.title_bar import TitleBar
from tui.ui.widgets.fitting_footer import FittingFooter
from tui.ui.screens.steady import SteadyScreen

if TYPE_CHECKING:
    from tui.domain.progression import Suggestion
    from tui.domain.session_rows import SessionRow
    from tui.domain.trends import TrendAdvice
    from tui.storage.active import InterruptedSession
    from tui.ui.app import BackreliefApp
    from tui.ui.screens.routine_actions import RoutineActions


PREVIEW_HEADER = ("#", "Exercise", "Hold", "Reps", "Sides")
"""The preview's column headings."""
PREVIEW_RIGHT_ALIGNED = (True, False, True, True, False)
"""Which preview columns line up on the right (the numbers)."""
PREVIEW_MIN_NAME = 5
"""The narrowest the preview's exercise column gets."""
PREVIEW_SCROLLBAR = 2
"""Columns kept free for the preview's scroll bar."""
DUE_REFRESH_SECONDS = 30.0
"""How often the menu looks again at what is due while it is shown (a slot opens on the minute)."""


def suggestion_text(suggestion: Suggestion) -> Text:
    """The progression offered for a routine: the change, why, and the key that makes it."""
    text = Text()
    text.append(safe_text(suggestion.headline, multiline=False), style="bold")
    text.append(f"\nWhy: {safe_text(suggestion.reason)}.\n")
    text.append("a", style="bold")
    text.append(" accept (built-in routines get your own copy)", style="dim")
    return text


def preview_text(routine: Routine, exercises: Mapping[str, Exercise], total: float, width: int | None = None,
                 suggestion: Suggestion | None = None) -> Group:
    """The preview of a routine: name and total time, description, then one aligned line per step.

    Laid out here rather than as a Rich table: it is drawn in the menu's first
    frame, and a table costs several layout passes. Given the `width` it is
    drawn at, exercise names are shortened (with an ellipsis) so each step
    stays on one line with its hold, reps and sides. Names and description are
    made harmless (`safe_text`) before they are measured.
    """
    rows = []
    for number, step in enumerate(routine.steps, 1):
        exercise = exercises.get(step.exercise)
        rows.append([str(number), safe_text(exercise.name if exercise else step.exercise, multiline=False),
                     f"{step.hold_seconds} s", str(step.reps), "" if step.sides == "none" else step.sides])
    widths = [max(len(row[column]) for row in [PREVIEW_HEADER, *rows]) for column in range(len(PREVIEW_HEADER))]
    header = list(PREVIEW_HEADER)
    if width:  # less what a scroll bar may take
        room = width - PREVIEW_SCROLLBAR - (sum(widths) - widths[1]) - 2 * (len(widths) - 1)
        widths[1] = max(PREVIEW_MIN_NAME, min(widths[1], room))
        for row in [header, *rows]:
            if len(row[1]) > widths[1]:
                row[1] = row[1][:widths[1] - 1] + "…"

    def line(cells: list[str] | tuple[str, ...]) -> str:
        return "  ".join(cell.rjust(size) if right else cell.ljust(size)
                         for cell, size, right in zip(cells, widths, PREVIEW_RIGHT_ALIGNED)).rstrip()

    heading = Text(safe_text(routine.name, multiline=False), style="bold")
    heading.append(f"  {format_duration(total)}", style="dim")
    if routine.description:
        heading.append(f"\n{safe_text(routine.description)}", style="italic")
    steps = Text(line(header), style="bold", no_wrap=True, overflow="ellipsis")
    for row in rows:
        steps.append("\n")
        steps.append(row[0].rjust(widths[0]), style="dim")
        steps.append(line(row)[widths[0]:])
    offer = [suggestion_text(suggestion), Text("")] if suggestion is not None else []
    return Group(heading, Text(""), steps, Text(""), *offer, Text("enter to start", style="dim"))


NARROW_ADVICE = 70
"""Below this width the advice banner says its reason in a few words."""


def advice_text(advice: TrendAdvice, narrow: bool = False) -> Text:
    """The advice banner: see a clinician, why in numbers, and the keys (`w` signs, `h` hide)."""
    from tui.domain.trends import HEADLINE  # loaded with the advice, after the first frame

    text = Text()
    if narrow:
        text.append("See a clinician: ", style="bold")
        text.append(f"{advice.summary}.  ")  # the keys run on: every line counts in a small window
        text.append("w", style="bold")
        text.append(" signs  ")
        text.append("h", style="bold")
        text.append(" hide")
        return text
    text.append(HEADLINE, style="bold")
    text.append(f" {advice.reason}\n")
    text.append("w", style="bold")
    text.append(" warning signs   ")
    text.append("h", style="bold")
    text.append(" hide for a week")
    return text


RECENT_MIN_HEIGHT = 20
"""The least terminal height at which the menu shows the recent sessions under the routine list."""


def recent_line(session: SessionRow, today: date) -> str:
    """One recent session in a short line: when, and pain before → after ("today 08:12  6 → 3")."""
    began = session.started_at.astimezone()
    days = (today - began.date()).days
    day = "today" if days == 0 else "yesterday" if days == 1 else began.strftime("%a %d")
    before = "–" if session.pain_before is None else str(session.pain_before)
    after = "–" if session.pain_after is None else str(session.pain_after)
    return f"{day} {began.strftime('%H:%M')}  {before} → {after}"


class MenuScreen(SteadyScreen, Screen[None]):
    """The first screen: pick a routine and press enter."""

    BINDINGS = [
        Binding("enter", "start", "Start", show=True, priority=False),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
        Binding("r", "resume", "Resume", show=False),
        Binding("full_stop", "again", "Again", show=False),
        Binding("c", "close_interrupted", "Close interrupted", show=False),
        Binding("n", "new_routine", "New"),
        Binding("e", "edit_routine", "Edit"),
        Binding("d", "duplicate_routine", "Duplicate"),
        Binding("x", "delete_routine", "Delete"),
        Binding("i", "import_routine", "Import", show=False),
        Binding("o", "export_routine", "Export", show=False),
        Binding("w", "app.warning_signs", "Warning signs", show=False),
        Binding("h", "hide_advice", "Hide the advice", show=False),
        Binding("p", "plan", "Plan"),
        Binding("a", "accept_suggestion", "Accept the step up or ease off", show=False),
        Binding("J", "app.journal", "Journal"),
        Binding("s", "app.settings", "Settings"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    app: BackreliefApp  # typed: sessions, settings, the clock and the advice are the app's

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        """The data dir's repositories: routines, plans, interrupted sessions, the journal."""
        self.routines: list[Routine] = []
        """The routines listed, in order: due ones first, then as the store lists them."""
        self.stored: list[Routine] = []
        """The routines in the store's order (built-in first, then the user's by name)."""
        self.exercises: Mapping[str, Exercise] = {}
        """Every exercise, built-in and custom, as read at the last reload (the preview's names)."""
        self.interrupted: list[InterruptedSession] = []
        """Interrupted sessions found at the last reload."""
        self.progress: dict[str, Progress] = {}
        """Where each planned routine stands today, by routine id, as last looked at."""
        self._placed_on_last = False
        """Whether the cursor was put on the routine used last (done once, when the recent sessions are in)."""
        self.suggestions: dict[str, Suggestion] = {}
        """The progression offered for each routine, by routine id, as of the last reload."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield PlainStatic(id="resume-banner")
        yield PlainStatic(id="advice-banner")
        with Horizontal(id="menu-body"):
            with Vertical(id="routine-column"):
                yield PlainStatic("Routines", classes="section-title")
                yield PlainOptionList(id="routine-list")
                yield PlainStatic(id="recent-sessions")
            with VerticalScroll(id="preview"):
                yield PlainStatic(id="preview-body")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(PlainOptionList).focus()
        self.set_interval(DUE_REFRESH_SECONDS, self.refresh_due)

    def on_resize(self) -> None:
        self.show_preview()  # names are shortened to the width the preview has
        self.show_advice()  # a narrow menu gets the short form
        self.show_recent()

    def on_screen_resume(self) -> None:
        """Fill the menu when it first shows, and again whenever it is back on top."""
        self.reload()
        self.app.update_trend_advice()  # a session or a journal change may have changed it

    def reload(self) -> None:
        """Read routines, plans and interrupted sessions again."""
        app = self.app
        store = self.store
        chosen, index = self.selected, self.query_one(PlainOptionList).highlighted
        self.exercises = store.routines.exercises()
        self.stored = store.routines.list()
        self.progress = self._plan_progress()
        # The first frame reads no journal: the offers come once start-up has read the recent weeks (show_recent).
        self.suggestions = self._suggestions() if app.trends_ready else {}
        self._fill_routines(chosen.id if chosen else None, index or 0)
        self.interrupted = store.interrupted()
        app.report_data_problems()  # a session file that could not be used is said, not skipped quietly
        banner = self.query_one("#resume-banner", PlainStatic)
        if self.interrupted:
            latest = self.interrupted[0].session
            banner.update(styled(
                "An interrupted session of [b]$name[/] ($when, $done of $planned holds done).  "
                "[b]r[/] resume   [b]c[/] close it",
                name=latest.routine_name, when=latest.started_at.astimezone().strftime("%a %d %b %H:%M"),
                done=latest.holds_done, planned=latest.holds_planned,
            ))
            banner.display = True
        else:
            banner.display = False
        self.show_preview()

    def show_advice(self) -> None:
        """Show the advice to see a clinician, unless there is none or it was hidden less than a week ago."""
        app = self.app
        banner = self.query_one("#advice-banner", PlainStatic)
        advice = app.trend_advice
        if advice is not None:
            from tui.domain.trends import advice_hidden  # loaded with the advice, after the first frame

            if advice_hidden(app.settings.advice_dismissed, app.clock.now()):
                advice = None
        if advice is None:
            banner.display = False
            return
        banner.update(advice_text(advice, narrow=self.size.width < NARROW_ADVICE))
        banner.display = True

    def show_recent(self) -> None:
        """The last few sessions' pain before and after, and `.` to do the last one again.

        The first time they are known (read with the trend advice, off the UI thread),
        the cursor goes to the routine used last, so that enter starts it, unless a
        planned routine is due (it is listed first, and the cursor stays on it).
        """
        if not self.suggestions and self.stored and self.app.trends_ready:
            self.suggestions = self._suggestions()
            self.show_preview()
        recent = self.app.recent_sessions
        block = self.query_one("#recent-sessions", PlainStatic)
        block.display = bool(recent) and self.size.height >= RECENT_MIN_HEIGHT  # a short window keeps its rows for the list
        if not recent:
            return
        today = self.app.clock.now().astimezone().date()
        text = Text()
        text.append("Recent pain", style="bold")
        for session in recent:
            text.append(f"\n{recent_line(session, today)}")
        text.append("\n")
        text.append(".", style="bold")
        text.append(" again: ")
        text.append(safe_text(recent[0].routine_name, multiline=False))
        block.update(text)
        if not self._placed_on_last:
            self._placed_on_last = True
            due = any(p.due for p in self.progress.values())
            ids = [r.id for r in self.routines]
            if not due and recent[0].routine_id in ids:
                self.query_one(PlainOptionList).highlighted = ids.index(recent[0].routine_id)

    def on_key(self) -> None:
        """A key before the recent sessions are in: the user is choosing; the cursor is not moved for them."""
        self._placed_on_last = True

    def action_again(self) -> None:
        """Start the routine of the last session again (`.`), if it is still there."""
        recent = self.app.recent_sessions
        if not recent:
            self.notify("No session yet to do again.", timeout=3)
            return
        routine = next((r for r in self.routines if r.id == recent[0].routine_id), None)
        if routine is None:
            self.notify(f"{recent[0].routine_name!r} is no longer in your routines.", severity="warning")
            return
        self.app.run_session(routine)

    def action_hide_advice(self) -> None:
        if self.query_one("#advice-banner", PlainStatic).display:
            self.app.dismiss_trend_advice()
            self.show_advice()
            self.notify("The advice is hidden for a week; w shows the warning signs any time.")

    def _plan_progress(self) -> dict[str, Progress]:
        """Where each plan stands now; {} (and a notice) when the plans file cannot be read."""
        try:
            return self.store.plan_progress(self.app.clock.now(), self.app.zone)
        except StorageError as error:
            self.app.warn_data_file(str(error))
            return {}

    def _suggestions(self) -> dict[str, Suggestion]:
        """The step up or ease off offered per routine; {} (and a notice) when the journal cannot be read."""
        try:
            return self.store.suggestions(self.stored, self.app.clock.now().astimezone().date())
        except StorageError as error:
            self.app.warn_data_file(str(error))
            return {}

    def action_accept_suggestion(self) -> None:
        """Make the offered change to the selected routine (a built-in one gets the user's copy first)."""
        routine = self.selected
        offer = self.suggestions.get(routine.id) if routine else None
        if routine is None or offer is None:
            self.notify("Nothing to accept: no step up or ease off is offered for this routine.")
            return
        try:
            changed = self.store.accept_suggestion(routine, offer, self.app.clock.now().astimezone().date())
        except (StorageError, ValidationError) as error:
            self.notify(f"The change was not made: {error}", severity="error")
            return
        followed = " (its plan follows it)" if routine.builtin and routine.id in self.progress else ""
        self.notify(f"{changed.name}{followed}: {offer.change}.", markup=False)
        self.select_routine(changed.id)

    def _fill_routines(self, chosen: str | None, index: int = 0) -> None:
        """List the routines, due ones first, each planned one with today's progress.

        The cursor stays on the routine `chosen` (an id), else near `index`.
        """
        app = self.app
        option_list = self.query_one(PlainOptionList)
        timings = app.settings.timings()
        now = app.clock.now()
        due = [r for r in self.stored if r.id in self.progress and self.progress[r.id].due]
        self.routines = due + [r for r in self.stored if r not in due]
        option_list.clear_options()
        for routine in self.routines:
            label = Text()
            label.append(safe_text(routine.name, multiline=False), style="bold")
            label.append(f"\n{len(routine.steps)} step{'' if len(routine.steps) == 1 else 's'} · {format_duration(routine_seconds(routine, self.exercises, timings))}"
                         f"{' · built-in' if routine.builtin else ''}", style="dim")
            where = self.progress.get(routine.id)
            if where is not None:
                label.append(f"\n{where.summary(now, app.zone)}", style="bold" if where.due else "")
            option_list.add_option(Option(label, id=routine.id))
        if self.routines:
            ids = [r.id for r in self.routines]
            option_list.highlighted = ids.index(chosen) if chosen in ids else min(index, len(ids) - 1)

    def refresh_due(self) -> None:
        """Look again at what is due (a slot may have opened), and redraw the list only if that changed."""
        if not self.is_current or not self.routines:
            return  # under another screen: it looks again when it is back on top (on_screen_resume)
        now = self.app.clock.now()
        before = {rid: (p.summary(now, self.app.zone), p.due) for rid, p in self.progress.items()}
        self.progress = self._plan_progress()
        if {rid: (p.summary(now, self.app.zone), p.due) for rid, p in self.progress.items()} != before:
            chosen = self.selected
            self._fill_routines(chosen.id if chosen else None)
            self.show_preview()

    @property
    def selected(self) -> Routine | None:
        """The highlighted routine."""
        index = self.query_one(PlainOptionList).highlighted
        return self.routines[index] if index is not None and index < len(self.routines) else None

    @on(PlainOptionList.OptionHighlighted)
    def show_preview(self) -> None:
        routine = self.selected
        body = self.query_one("#preview-body", PlainStatic)
        if routine is None:
            body.update("No routines.")
            return
        total = routine_seconds(routine, self.exercises, self.app.settings.timings())
        body.update(preview_text(routine, self.exercises, total, body.content_size.width,
                                 self.suggestions.get(routine.id)))

    @on(PlainOptionList.OptionSelected)
    def option_selected(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        routine = self.selected
        if routine is not None:
            self.app.run_session(routine)

    def action_move(self, delta: int) -> None:
        option_list = self.query_one(PlainOptionList)
        if delta > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_resume(self) -> None:
        if self.interrupted:
            self.app.resume_session(self.interrupted[0].session.id)

    def action_close_interrupted(self) -> None:
        if self.interrupted:
            session = self.interrupted[0].session
            try:
                closed = self.store.active.close(session.id, self.store.journal)
            except StorageError as error:  # a full disk, a journal month that cannot be written
                self.notify(f"The session was not closed: {error}", severity="error", timeout=15)
                return
            if closed is None:
                self.app.report_data_problems()  # its file turned out unusable (said), or another window has it
            else:
                self.notify(f"Closed: {session.routine_name} is in your journal as interrupted.")
            self.reload()

    # -- making and changing routines (see routine_actions) ----------------

    @property
    def routine_actions(self) -> RoutineActions:
        """What n, e, d, x, i and o do (see routine_actions), on this menu's store."""
        from tui.ui.screens.routine_actions import RoutineActions  # the builder loads with it: start-up stays quick

        return RoutineActions(self, self.store.routines, self.show_routine)

    def action_new_routine(self) -> None:
        self.routine_actions.new_routine()

    def action_edit_routine(self) -> None:
        self.routine_actions.edit_routine(self.selected)

    def action_duplicate_routine(self) -> None:
        self.routine_actions.duplicate_routine(self.selected)

    def action_delete_routine(self) -> None:
        self.routine_actions.delete_routine(self.selected)

    def action_import_routine(self) -> None:
        self.routine_actions.import_routine()

    def action_export_routine(self) -> None:
        self.routine_actions.export_routine(self.selected)

    def action_plan(self) -> None:
        from tui.ui.screens.plan_dialog import plan_routine  # loaded when first used: start-up stays quick

        today = self.app.clock.now().astimezone(self.app.zone).date()
        plan_routine(self, self.store.plans, self.selected, today, self.select_routine)

    def show_routine(self, routine_id: str | None) -> None:
        """Read the routines again; with an id, put the cursor on that routine."""
        if routine_id is None:
            self.reload()
        else:
            self.select_routine(routine_id)

    def select_routine(self, routine_id: str) -> None:
        """Read the routines again and put the cursor on one (it stays there when the recent sessions come in)."""
        self._placed_on_last = True
        self.reload()
        for index, routine in enumerate(self.routines):
            if routine.id == routine_id:
                self.query_one(PlainOptionList).highlighted = index
                break

