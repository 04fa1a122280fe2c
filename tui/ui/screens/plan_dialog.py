"""PlanDialog: how often to do one routine (times a day, which days, which hours), from the menu's `p`.

Every field is checked before anything is returned; a bad value gets its
message under the field and the dialog stays open, so nothing is stored.
A line under the fields says what the plan would do, as it is typed.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable, Literal, Union

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from tui.paths import screen_styles
from tui.domain.problems import ValidationError
from tui.domain.routines import Routine
from tui.domain.schedule import DEFAULT_DAYS, DEFAULT_HOURS, Plan, clock_text, format_days, hours_text, make_plan
from tui.storage.errors import StorageError
from tui.storage.plans import PlanRepository
from tui.ui.user_text import PlainLabel, PlainStatic, styled
from tui.ui.widgets.form_scroll import FormScroll
from tui.ui.screens.steady import SteadyScreen


CLEAR: Literal["clear"] = "clear"
"""What the dialog returns when the user clears the routine's plan."""
FIELDS = ("per-day", "days", "hours")
"""The fields, named as their problems name them (and as the command line's options)."""

PlanChoice = Union[Plan, Literal["clear"], None]
"""A new plan, CLEAR, or None when nothing is to change."""


class PlanDialog(SteadyScreen, ModalScreen[PlanChoice]):
    """Dismisses with the plan typed (checked, not yet stored), CLEAR, or None when cancelled."""

    CSS_PATH = screen_styles("dialogs.tcss")

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+r", "clear_plan", "Clear plan"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, routine: Routine, current: Plan | None = None) -> None:
        super().__init__()
        self.routine = routine
        """The routine the plan is for."""
        self.current = current
        """Its plan now, shown to change; None when it has none."""

    def compose(self) -> ComposeResult:
        plan = self.current
        values = {
            "per-day": str(plan.per_day) if plan else "2",
            "days": format_days(plan.days).replace(", ", ",").lower() if plan else DEFAULT_DAYS,
            "hours": hours_text(plan.start, plan.end) if plan else DEFAULT_HOURS,
        }
        hints = {"per-day": "1-12 sessions", "days": "daily, mon-fri, mon,wed,fri", "hours": "08-18, 8:30-17:00"}
        with FormScroll(classes="dialog plan-form"):
            yield PlainLabel(f"Plan: {self.routine.name}", classes="dialog-title")
            for field, label in zip(FIELDS, ("Times a day", "Days", "Hours")):
                with Horizontal(classes="form-row"):
                    yield PlainLabel(label, classes="form-label")
                    yield Input(values[field], placeholder=hints[field], id=field, compact=True)
                yield PlainStatic("", id=f"{field}-error", classes="form-error")
            yield PlainStatic("", id="plan-preview", classes="dialog-body")
            if plan is None:
                keys = styled("[b]enter[/] save  [b]tab[/] next field  [b]escape[/] cancel")
            else:
                keys = styled("[b]enter[/] save  [b]tab[/] next field  [b]escape[/] cancel  [b]ctrl+r[/] clear plan")
            yield PlainStatic(keys, classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#per-day", Input).focus()
        self.show_preview()

    def _typed(self) -> Plan:
        """The plan as typed; ValidationError names each field that is wrong."""
        values = [self.query_one(f"#{field}", Input).value for field in FIELDS]
        return make_plan(self.routine.id, self.routine.name, *values)

    @on(Input.Changed)
    def show_preview(self) -> None:
        """Say what the plan as typed would do: `2 a day, Mon-Fri: from 08:00 and from 13:00`."""
        try:
            plan = self._typed()
        except ValidationError:
            text = "The plan will show here once every field is right."
        else:
            opens = [clock_text(minutes) for minutes in plan.slot_minutes()]
            listed = opens[0] if len(opens) == 1 else ", ".join(opens[:-1]) + f" and {opens[-1]}"
            text = (f"{plan.per_day} a day, {format_days(plan.days)}: due from {listed}, "
                    f"until {clock_text(plan.end)}.")
        self.query_one("#plan-preview", PlainStatic).update(text)

    def _show_errors(self, problems: dict[str, str]) -> None:
        """Show each field's message under it, and clear the others."""
        for field in FIELDS:
            error = self.query_one(f"#{field}-error", PlainStatic)
            message = problems.get(field, "")
            error.update(message[:1].upper() + message[1:])
            error.display = bool(message)

    @on(Input.Submitted)
    def action_save(self) -> None:
        """Dismiss with the plan when every field is good; else say what is wrong by each field."""
        try:
            plan = self._typed()
        except ValidationError as error:
            problems: dict[str, str] = {}
            for problem in error.problems:
                problems.setdefault(problem.field, problem.reason)
            self._show_errors(problems)
            return
        self.dismiss(plan)

    def action_clear_plan(self) -> None:
        if self.current is not None:
            self.dismiss(CLEAR)

    def action_cancel(self) -> None:
        self.dismiss(None)


def plan_routine(screen: Screen[Any], plans: PlanRepository, routine: Routine | None, today: date,
                 show: Callable[[str], None]) -> None:
    """The menu's `p`: open the dialog over `screen` on the routine's plan, store what it returns from `today`
    on, and `show` the routine (by id) with it."""
    if routine is None:
        return
    app = screen.app
    try:
        current = plans.plan_for(routine.id, today)
    except StorageError as error:
        app.notify(f"The plans could not be read: {error}", severity="error", markup=False)
        return

    def done(choice: PlanChoice) -> None:
        if choice is None:
            return
        try:
            if choice == CLEAR:
                plans.clear(routine.id, today)
                message = f"No plan for {routine.name} any more."
            else:
                plans.set(choice, today)
                message = f"Planned: {routine.name}, {choice.describe()}."
        except StorageError as error:
            app.notify(f"The plan could not be saved: {error}", severity="error", markup=False)
            return
        show(routine.id)
        app.notify(message, timeout=4, markup=False)

    app.push_screen(PlanDialog(routine, current), done)
