"""MenuScreen: the routines, a preview of the one selected, and the way into a session."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.domain.plan import format_duration, routine_seconds
from tui.domain.routines import Routine
from tui.storage.active import InterruptedSession


class MenuScreen(Screen[None]):
    """The first screen: pick a routine and press enter."""

    BINDINGS = [
        Binding("enter", "start", "Start", show=True, priority=False),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
        Binding("r", "resume", "Resume", show=False),
        Binding("c", "close_interrupted", "Close interrupted", show=False),
        Binding("n", "new_routine", "New"),
        Binding("e", "edit_routine", "Edit"),
        Binding("d", "duplicate_routine", "Duplicate"),
        Binding("x", "delete_routine", "Delete"),
        Binding("i", "import_routine", "Import", show=False),
        Binding("o", "export_routine", "Export", show=False),
        Binding("J", "app.journal", "Journal"),
        Binding("s", "app.settings", "Settings"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.routines: list[Routine] = []
        """The routines listed, in order."""
        self.interrupted: list[InterruptedSession] = []
        """Interrupted sessions found at the last reload."""

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(id="resume-banner")
        with Horizontal(id="menu-body"):
            with Vertical(id="routine-column"):
                yield Static("Routines", classes="section-title")
                yield OptionList(id="routine-list")
            with VerticalScroll(id="preview"):
                yield Static(id="preview-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read routines and interrupted sessions again."""
        app = self.app
        store = app.store
        exercises = store.routines.exercises()
        timings = app.settings.timings()
        self.routines = store.routines.list()
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        option_list.clear_options()
        for routine in self.routines:
            label = Text()
            label.append(routine.name, style="bold")
            label.append(f"\n{len(routine.steps)} step{'' if len(routine.steps) == 1 else 's'} · {format_duration(routine_seconds(routine, exercises, timings))}"
                         f"{' · built-in' if routine.builtin else ''}", style="dim")
            option_list.add_option(Option(label, id=routine.id))
        if self.routines:
            option_list.highlighted = min(highlighted or 0, len(self.routines) - 1)
        self.interrupted = store.active.interrupted()
        banner = self.query_one("#resume-banner", Static)
        if self.interrupted:
            latest = self.interrupted[0].session
            when = latest.started_at.astimezone().strftime("%a %d %b %H:%M")
            banner.update(
                f"An interrupted session of [b]{latest.routine_name}[/] ({when}, {latest.holds_done} of "
                f"{latest.holds_planned} holds done).  [b]r[/] resume   [b]c[/] close it"
            )
            banner.display = True
        else:
            banner.display = False
        self.show_preview()

    @property
    def selected(self) -> Routine | None:
        """The highlighted routine."""
        index = self.query_one(OptionList).highlighted
        return self.routines[index] if index is not None and index < len(self.routines) else None

    @on(OptionList.OptionHighlighted)
    def show_preview(self) -> None:
        routine = self.selected
        body = self.query_one("#preview-body", Static)
        if routine is None:
            body.update("No routines.")
            return
        exercises = self.app.store.routines.exercises()
        total = routine_seconds(routine, exercises, self.app.settings.timings())
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column("#", justify="right", style="dim")
        table.add_column("Exercise", ratio=1)
        table.add_column("Hold", justify="right")
        table.add_column("Reps", justify="right")
        table.add_column("Sides")
        for number, step in enumerate(routine.steps, 1):
            exercise = exercises.get(step.exercise)
            table.add_row(str(number), exercise.name if exercise else step.exercise,
                          f"{step.hold_seconds} s", str(step.reps), "" if step.sides == "none" else step.sides)
        from rich.console import Group

        heading = Text(routine.name, style="bold")
        heading.append(f"  {format_duration(total)}", style="dim")
        parts = [heading]
        if routine.description:
            parts.append(Text(routine.description, style="italic"))
        parts += [Text(""), table, Text(""), Text("enter to start", style="dim")]
        body.update(Group(*parts))

    @on(OptionList.OptionSelected)
    def option_selected(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        routine = self.selected
        if routine is not None:
            self.app.run_session(routine)

    def action_move(self, delta: int) -> None:
        option_list = self.query_one(OptionList)
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
            self.app.store.active.close(session.id, self.app.store.journal)
            self.notify(f"Closed: {session.routine_name} is in your journal as interrupted.")
            self.reload()

    # -- making and changing routines (see routine_actions) ----------------

    def action_new_routine(self) -> None:
        _routine_actions().new_routine(self)

    def action_edit_routine(self) -> None:
        _routine_actions().edit_routine(self, self.selected)

    def action_duplicate_routine(self) -> None:
        _routine_actions().duplicate_routine(self, self.selected)

    def action_delete_routine(self) -> None:
        _routine_actions().delete_routine(self, self.selected)

    def action_import_routine(self) -> None:
        _routine_actions().import_routine(self)

    def action_export_routine(self) -> None:
        _routine_actions().export_routine(self, self.selected)

    def select_routine(self, routine_id: str) -> None:
        """Read the routines again and put the cursor on one."""
        self.reload()
        for index, routine in enumerate(self.routines):
            if routine.id == routine_id:
                self.query_one(OptionList).highlighted = index
                break


def _routine_actions():
    """The builder and routine-file actions, loaded on first use so the menu opens quickly."""
    from tui.ui.screens import routine_actions

    return routine_actions
