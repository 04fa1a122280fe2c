"""RoutineBuilder: make or change a custom routine with the keyboard alone.

The routine is kept as a `RoutineDraft` (values as typed) and checked with the
domain's rules on every keystroke; only a routine without problems reaches
`RoutineRepository.save`, which checks it once more.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input
from textual.widgets.option_list import Option

from tui.domain.exercises import Exercise
from tui.domain.plan import format_duration
from tui.domain.problems import Problem, ValidationError
from tui.domain.routine_draft import RoutineDraft, StepDraft, describe_problem, step_problem_index
from tui.domain.routines import STEP_LIMITS, Routine
from tui.domain.text import safe_text
from tui.paths import screen_styles
from tui.storage.errors import StorageError
from tui.storage.routines import RoutineRepository
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.exercise_picker import ExercisePicker
from tui.ui.user_text import PlainLabel, PlainOptionList, PlainStatic, styled
from tui.ui.widgets.builder_text import BuilderText
from tui.ui.widgets.step_editor import SIDE_LABELS, StepEditor, step_advice
from tui.ui.widgets.title_bar import TitleBar
from tui.ui.widgets.fitting_footer import FittingFooter
from tui.ui.screens.steady import SteadyScreen

if TYPE_CHECKING:
    from tui.ui.app import BackreliefApp

STATUS_PROBLEMS = 3
"""How many problems the status line spells out before saying how many more."""


NARROW_WIDTH = 80
"""Below this many columns the step list and the step's fields share the width evenly, and each field's
recommended range takes its own line."""


class RoutineBuilder(SteadyScreen, Screen[Routine | None]):
    """Name, description and steps of one custom routine; dismisses with the routine last saved (or None)."""

    CSS_PATH = screen_styles("builder.tcss")

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "leave", "Leave"),
        Binding("a", "add_step", "Add step"),
        Binding("x", "remove_step", "Remove"),
        Binding("ctrl+up", "move_step(-1)", "Up", tooltip="Move the step up"),
        Binding("ctrl+down", "move_step(1)", "Down", tooltip="Move the step down"),
        Binding("q", "leave", "Leave", show=False),
        Binding("question_mark", "app.help", "Help", show=False),
    ]

    app: BackreliefApp  # typed: the settings in effect (timings, default rest) are the app's

    def __init__(self, routines: RoutineRepository, routine: Routine | None = None) -> None:
        super().__init__()
        self.routines = routines
        """Where routines and exercises are stored: the one being built is saved there."""
        self.draft = RoutineDraft.from_routine(routine) if routine is not None else RoutineDraft()
        """The routine as typed so far."""
        self.saved = routine
        """The routine as last stored (None until a new one is saved)."""
        self.saved_state = self.draft.state()
        """The draft's state when it was last stored or opened, to tell unsaved changes."""
        self.exercises: dict[str, Exercise] = {}
        """Every exercise by id, built-in and custom."""
        self.other_names: set[str] = set()
        """Names of the other routines: a name may not be taken twice."""
        self.problems: list[Problem] = []
        """Everything that stops the routine being saved now."""
        self.revealed = routine is not None
        """Whether to show what stops a save (once the user has typed a name, added a step or tried to save)."""
        self._prompts: list[tuple] = []
        """What each row of the step list shows now (text and styles)."""

    # -- building the screen -------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="builder-form"):
            with Horizontal(classes="builder-field"):
                yield PlainLabel("Name", classes="builder-label")
                yield Input(id="routine-name", placeholder="e.g. Morning reset", compact=True)
            yield BuilderText(id="name-message", classes="field-message -error")
            with Horizontal(classes="builder-field"):
                yield PlainLabel("Description", classes="builder-label")
                yield Input(id="routine-description", placeholder="what it is for (optional)", compact=True)
            yield BuilderText(id="description-message", classes="field-message -error")
        with Horizontal(id="steps-head"):
            yield PlainStatic("Steps", id="steps-title", classes="section-title")
            yield BuilderText(id="routine-total")
        with Horizontal(id="builder-body"):
            yield PlainOptionList(id="step-list")
            yield StepEditor(id="step-editor")
        yield BuilderText(id="builder-status")
        yield FittingFooter()

    def on_resize(self) -> None:
        # Narrow, the recommended range goes under its number: beside it, "recommended" broke mid-word.
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")

    def on_mount(self) -> None:
        self._load_library()
        for box_id, value in (("#routine-name", self.draft.name), ("#routine-description", self.draft.description)):
            box = self.query_one(box_id, Input)
            with box.prevent(Input.Changed):
                # Text stored before today's rules may hold a control or invisible character: shown, so it can be taken out.
                box.value = safe_text(value, multiline=False)
        self._rebuild_steps(0 if self.draft.steps else None)
        self.query_one("#routine-name", Input).focus()

    def _load_library(self) -> None:
        """Read the exercises and the other routines' names again (another window may have changed them)."""
        routines = self.routines
        try:
            self.exercises = routines.exercises()
            self.other_names = {r.name for r in routines.list() if r.id != self.draft.id}
        except StorageError as error:
            # Keep what was read before (at least the built-ins); saving will say the same.
            self.exercises = self.exercises or dict(routines.library.exercises)
            self.notify(str(error), title="Cannot read your routines", severity="error")

    @property
    def editor(self) -> StepEditor:
        """The fields of the selected step."""
        return self.query_one(StepEditor)

    @property
    def step_list(self) -> PlainOptionList:
        """The list of steps."""
        return self.query_one("#step-list", PlainOptionList)

    @property
    def current(self) -> int | None:
        """Index of the selected step, or None when there are none."""
        index = self.step_list.highlighted
        return index if index is not None and index < len(self.draft.steps) else None

    @property
    def is_dirty(self) -> bool:
        """Whether anything changed since the routine was opened or last saved."""
        return self.draft.state() != self.saved_state

    # -- showing the draft ---------------------------------------------

    def _rebuild_steps(self, highlight: int | None) -> None:
        """Fill the step list again and select one step."""
        self._prompts = []
        self.step_list.set_options(Option(self._step_prompt(i, s, {}, {})) for i, s in enumerate(self.draft.steps))
        if highlight is not None and self.draft.steps:
            self.step_list.highlighted = max(0, min(highlight, len(self.draft.steps) - 1))
        self._show_current()

    def _show_current(self) -> None:
        index = self.current
        step = self.draft.steps[index] if index is not None else None
        exercise = self.exercises.get(step.exercise) if step else None
        self.editor.show_step((index or 0) + 1, len(self.draft.steps), step, exercise)
        self.check()

    def _step_prompt(self, index: int, step: StepDraft, errors: dict[str, str], advice: dict[str, str]) -> Content:
        exercise = self.exercises.get(step.exercise)
        mark = " ✗" if errors else (" ⚠" if advice else "")
        rest = f" · rest {step.rest or '?'} s" if step.reps.strip() not in ("1", "") else ""
        sides = "" if step.sides == "none" else f" · {SIDE_LABELS[step.sides].split(':')[0].lower()}"
        if step.sides == "both" and step.order == "one-side-first":
            sides += ", one side first"
        return styled(
            "[dim]$number[/] [b]$name[/][$error]$mark[/]\n[dim]   $hold s × $reps$rest$sides[/]" if errors else
            "[dim]$number[/] [b]$name[/][$warning]$mark[/]\n[dim]   $hold s × $reps$rest$sides[/]",
            number=f"{index + 1:>2}", name=exercise.name if exercise else step.exercise, mark=mark,
            hold=step.hold or "?", reps=step.reps or "?", rest=rest, sides=sides,
        )

    def check(self) -> None:
        """Check the draft and show every problem by its field, the total time and the status."""
        self.problems = self.draft.problems(self.exercises, self.other_names)
        errors: dict[int, dict[str, str]] = {}
        top: dict[str, str] = {}
        for problem in self.problems:
            inside = step_problem_index(problem.field)
            if inside is None:
                top.setdefault(problem.field, problem.reason)
            else:
                errors.setdefault(inside[0], {}).setdefault(inside[1] or "step", problem.reason)
        self._field_message("#name-message", top.get("name") if self.revealed else None)
        self._field_message("#description-message", top.get("description"))
        prompts = []
        for index, step in enumerate(self.draft.steps):
            prompt = self._step_prompt(index, step, errors.get(index, {}), step_advice(step, self.exercises.get(step.exercise)))
            looks = (prompt.plain, tuple(prompt.spans))
            prompts.append(looks)
            if index >= len(self._prompts) or self._prompts[index] != looks:
                self.step_list.replace_option_prompt_at_index(index, prompt)
        self._prompts = prompts
        selected = self.current
        if selected is not None:
            step = self.draft.steps[selected]
            self.editor.show_messages(errors.get(selected, {}), step_advice(step, self.exercises.get(step.exercise)))
        self._show_total()
        self._show_status()

    def _field_message(self, selector: str, reason: str | None) -> None:
        self.query_one(selector, BuilderText).say(styled("✗ $reason", reason=reason) if reason else "")

    def _show_total(self) -> None:
        total, left_out = self.draft.total_seconds(self.exercises, self.app.settings.timings())
        count = len(self.draft.steps)
        text = f"{count} step{'s' if count != 1 else ''}  ·  total {format_duration(total)}"
        if left_out:
            text += f" ({left_out} not counted until fixed)"
        self.query_one("#routine-total", BuilderText).say(text)

    def _show_status(self) -> None:
        status = self.query_one("#builder-status", BuilderText)
        shown = self.problems if self.revealed else []
        if shown:
            listed = "; ".join(describe_problem(p) for p in shown[:STATUS_PROBLEMS])
            more = f" (and {len(shown) - STATUS_PROBLEMS} more)" if len(shown) > STATUS_PROBLEMS else ""
            status.say(styled("[$error b]Not ready to save:[/] $listed$more", listed=listed, more=more))
        elif self.problems:
            status.say(styled("[dim]Give the routine a name and add steps, then ctrl+s to save.[/]"))
        elif self.is_dirty:
            status.say(styled("[$success]Ready to save:[/] ctrl+s"))
        else:
            status.say(styled("[dim]All changes saved. escape goes back to the routines.[/]"))
        self.sub_title = f"Editing {self.saved.name}" if self.saved else "New routine"

    # -- typing ----------------------------------------------------------

    @on(Input.Changed, "#routine-name")
    def name_changed(self, event: Input.Changed) -> None:
        self.draft.name = event.value
        self.revealed = True
        self.check()

    @on(Input.Changed, "#routine-description")
    def description_changed(self, event: Input.Changed) -> None:
        self.draft.description = event.value
        self.check()

    @on(Input.Submitted, "#routine-name")
    def name_done(self) -> None:
        self.query_one("#routine-description", Input).focus()

    @on(Input.Submitted, "#routine-description")
    def description_done(self) -> None:
        self.step_list.focus()

    @on(PlainOptionList.OptionHighlighted, "#step-list")
    def step_highlighted(self) -> None:
        self._show_current()

    @on(PlainOptionList.OptionSelected, "#step-list")
    def step_selected(self) -> None:
        self.editor.focus_first()

    @on(StepEditor.Changed)
    def step_changed(self, event: StepEditor.Changed) -> None:
        index = self.current
        if index is None:
            return
        setattr(self.draft.steps[index], event.field, event.value)
        self.check()

    @on(events.DescendantFocus)
    def focus_moved(self) -> None:
        self.editor.show_hint(self.focused is self.step_list)

    @on(StepEditor.Finished)
    def step_finished(self) -> None:
        self.step_list.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # (Textual itself keeps letter keys for the text field that has focus.)
        if action == "remove_step":
            return True if self.draft.steps else None
        if action == "move_step":
            return True if len(self.draft.steps) > 1 else None
        return True

    # -- steps -------------------------------------------------------------

    def action_add_step(self) -> None:
        if len(self.draft.steps) >= STEP_LIMITS[1]:
            self.notify(f"A routine has at most {STEP_LIMITS[1]} steps.", severity="warning")
            return
        in_use = {step.exercise for step in self.draft.steps}
        self.app.push_screen(ExercisePicker(self.routines, in_use), self._step_picked)

    def _step_picked(self, exercise_id: str | None) -> None:
        self._load_library()  # the picker may have made, changed or deleted exercises
        exercise = self.exercises.get(exercise_id) if exercise_id else None
        if exercise is None:
            self._rebuild_steps(self.current)
            return
        index = self.current + 1 if self.current is not None else len(self.draft.steps)
        self.draft.steps.insert(index, StepDraft.for_exercise(exercise, self.app.settings.default_rest_seconds))
        self.revealed = True
        self._rebuild_steps(index)
        self.refresh_bindings()
        self.editor.focus_first()

    def action_remove_step(self) -> None:
        index = self.current
        if index is None:
            return
        removed = self.draft.steps.pop(index)
        self._rebuild_steps(min(index, len(self.draft.steps) - 1) if self.draft.steps else None)
        self.refresh_bindings()
        name = self.exercises[removed.exercise].name if removed.exercise in self.exercises else removed.exercise
        self.notify(f"Removed step {index + 1}: {name}", timeout=2)

    def action_move_step(self, delta: int) -> None:
        index = self.current
        if index is None or not 0 <= index + delta < len(self.draft.steps):
            return
        steps = self.draft.steps
        steps[index], steps[index + delta] = steps[index + delta], steps[index]
        self.step_list.highlighted = index + delta
        self._show_current()

    # -- saving and leaving --------------------------------------------

    def action_save(self) -> None:
        self.revealed = True
        self._load_library()
        self.check()
        if self.problems:
            self._refuse(self.problems)
            return
        try:
            routine = self.routines.save(self.draft.to_routine(self.exercises))
        except ValidationError as error:
            self._refuse(error.problems)
            return
        except StorageError as error:
            self.notify(f"Could not save: {error}", title="Not saved", severity="error")
            return
        self.saved = routine
        self.draft = RoutineDraft.from_routine(routine)
        self.saved_state = self.draft.state()
        self._show_saved()
        self.notify(f"Saved {routine.name!r}.", timeout=3)

    def _show_saved(self) -> None:
        """Show the stored form of what was saved (names trimmed, numbers tidied)."""
        for box_id, value in (("#routine-name", self.draft.name), ("#routine-description", self.draft.description)):
            box = self.query_one(box_id, Input)
            if box.value != value:
                with box.prevent(Input.Changed):
                    box.value = value
        self._load_library()
        self._rebuild_steps(self.current)

    def _refuse(self, problems: list[Problem]) -> None:
        self.check()
        listed = "\n".join(describe_problem(p) for p in problems[:6])
        more = f"\n(and {len(problems) - 6} more)" if len(problems) > 6 else ""
        self.notify(listed + more, title="Not saved", severity="error", timeout=6)

    @work(exclusive=True, group="builder-leave")
    async def action_leave(self) -> None:
        if self.is_dirty:
            name = self.draft.name.strip() or "this routine"
            leave = await self.app.push_screen_wait(ConfirmDialog.leave_unsaved(name))
            if not leave:
                return
        self.dismiss(self.saved)
