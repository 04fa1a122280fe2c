"""ExerciseEditor: make or change one of your own exercises."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, TextArea

from tui.domain.exercises import SIDES, Exercise, exercise_from_dict
from tui.domain.figures import FIGURE_MAX_LINES, FIGURE_MAX_WIDTH, figure_from_text, mirror
from tui.domain.problems import Problem, ValidationError
from tui.domain.text import safe_text
from tui.domain.whole_numbers import whole_or_text
from tui.paths import screen_styles
from tui.storage.errors import StorageError
from tui.storage.routines import RoutineRepository
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.user_text import PlainLabel, PlainSelect, PlainStatic, styled
from tui.ui.widgets.step_editor import SIDE_LABELS
from tui.ui.widgets.digits_field import DigitsField
from tui.ui.widgets.form_scroll import FormScroll
from tui.ui.screens.steady import SteadyScreen

EDITOR_FIELDS = {"name": "name", "instructions": "instructions", "hold_range": "hold", "default_hold": "hold",
                 "reps_range": "reps", "default_reps": "reps", "default_sides": "sides", "figure": "figure"}
"""The editor field each part of an exercise is typed in (a step's default follows its recommended range, so a
problem with the default is one with the range the user typed)."""
NARROW_WIDTH = 70
"""Below this many columns each range's note takes its own line."""
PLACEHOLDER_ID = "new-exercise"
"""Stands in for the id of an exercise not yet stored, so the domain can check the rest."""


def editor_field(problem: Problem) -> tuple[str, str]:
    """(editor field, message) for a problem the domain found: `exercise.hold_range[1]` -> ('hold', 'to: ...')."""
    path = problem.field.removeprefix("exercise.")
    base, _, index = path.partition("[")
    if base == "figure":
        prefix = f"line {int(index.rstrip(']')) + 1}: " if index else ""
    else:
        prefix = {"0]": "from: ", "1]": "to: "}.get(index, "")
    return EDITOR_FIELDS.get(base, "name"), prefix + problem.reason


def toast_line(problem: Problem) -> str:
    """One problem as the save toast says it, naming the field first: `Hold, to: must be from 1 to 600, not 999`."""
    field, message = editor_field(problem)
    label, sep, rest = message.partition(": ")
    if sep and (label in ("from", "to") or label.startswith("line ")):
        return f"{field.capitalize()}, {label}: {rest}"
    return f"{field.capitalize()}: {message}"


def _clamp(value: int, low: int, high: int | None) -> int:
    return max(low, value if high is None else min(value, high))


class ExerciseEditor(SteadyScreen, ModalScreen[Exercise | None]):
    """Name, instructions, recommended hold and reps, default sides, a picture of the pose; dismisses with the
    stored exercise or None."""

    CSS_PATH = screen_styles("dialogs.tcss", "builder.tcss")

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, routines: RoutineRepository, exercise: Exercise | None = None) -> None:
        super().__init__()
        self.routines = routines
        """Where the exercise is saved."""
        self.exercise = exercise
        """The exercise being changed, or None for a new one."""
        self.problems: list[Problem] = []
        """What stops the exercise being saved now."""
        self.name_touched = exercise is not None
        """Whether to show problems with the name (once typed in, or once a save was tried)."""
        self._opened: tuple = ()
        """The fields as opened, to tell unsaved changes."""

    def compose(self) -> ComposeResult:
        exercise = self.exercise
        hold = exercise.hold_range if exercise else (10, 30)
        reps = exercise.reps_range if exercise else (1, None)
        with FormScroll(classes="dialog exercise-editor"):
            yield PlainLabel("Change your exercise" if exercise else "New exercise", classes="dialog-title")
            with Horizontal(classes="builder-field"):
                yield PlainLabel("Name", classes="editor-label")
                # Text stored before today's rules may hold a control or invisible character: shown, so it can be taken out.
                yield Input(safe_text(exercise.name, multiline=False) if exercise else "", id="exercise-name", compact=True,
                            placeholder="e.g. Knee to chest")
            yield PlainStatic(id="name-message", classes="field-message -error")
            yield PlainLabel("Instructions: what to do, in plain words", classes="editor-label")
            yield TextArea(safe_text(exercise.instructions) if exercise else "", id="exercise-instructions",
                           soft_wrap=True, show_line_numbers=False, compact=True)
            yield PlainStatic(id="instructions-message", classes="field-message -error")
            with Horizontal(classes="builder-field range-field"):
                yield PlainLabel("Hold", classes="editor-label")
                yield DigitsField(str(hold[0]), id="hold-low", max_length=4, compact=True, classes="range-number")
                yield PlainStatic("to", classes="range-to")
                yield DigitsField(str(hold[1]), id="hold-high", max_length=4, compact=True, classes="range-number")
                yield PlainStatic("seconds recommended", classes="range-note")
            yield PlainStatic(id="hold-message", classes="field-message -error")
            with Horizontal(classes="builder-field range-field"):
                yield PlainLabel("Reps", classes="editor-label")
                yield DigitsField(str(reps[0]), id="reps-low", max_length=4, compact=True, classes="range-number")
                yield PlainStatic("to", classes="range-to")
                yield DigitsField("" if reps[1] is None else str(reps[1]), id="reps-high", max_length=4,
                            compact=True, placeholder="any", classes="range-number")
                yield PlainStatic("recommended (empty: no upper limit)", classes="range-note")
            yield PlainStatic(id="reps-message", classes="field-message -error")
            with Horizontal(classes="builder-field"):
                yield PlainLabel("Sides", classes="editor-label")
                yield PlainSelect([(SIDE_LABELS[s], s) for s in SIDES], value=exercise.default_sides if exercise else "none",
                                  allow_blank=False, compact=True, id="exercise-sides")
            yield PlainStatic(id="sides-message", classes="field-message -error")
            yield PlainLabel(f"Picture (optional): the pose drawn for the left side, at most {FIGURE_MAX_LINES} lines of "
                             f"{FIGURE_MAX_WIDTH} characters; the right side is its mirror", classes="editor-label")
            # Shown as typed, made harmless: a drawing that came in by a routine file is untrusted.
            yield TextArea(safe_text("\n".join(exercise.figure)) if exercise else "", id="exercise-figure",
                           soft_wrap=False, show_line_numbers=False, compact=True, tab_behavior="focus")
            yield PlainStatic(id="figure-message", classes="field-message -error")
            yield PlainStatic(id="figure-mirror")
            yield PlainStatic(styled("[b]ctrl+s[/] save  [b]tab[/] next field  [b]escape[/] cancel"), classes="dialog-keys")

    def on_resize(self) -> None:
        # Narrow, a range's note goes under its numbers: beside them, "recommended" broke mid-word.
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")

    def on_mount(self) -> None:
        self._opened = self.values()
        self.check()
        self.query_one("#exercise-name", Input).focus()

    def values(self) -> tuple[str, str, str, str, str, str, str, str]:
        """Every field as typed: name, instructions, hold from/to, reps from/to, sides, picture."""
        text = {box.id: box.value for box in self.query(Input)}
        return (text["exercise-name"], self.query_one("#exercise-instructions", TextArea).text, text["hold-low"],
                text["hold-high"], text["reps-low"], text["reps-high"], str(self.query_one(PlainSelect).value),
                self.query_one("#exercise-figure", TextArea).text)

    def candidate(self) -> dict[str, Any]:
        """The exercise in its stored form, numbers parsed where they can be."""
        name, instructions, hold_low, hold_high, reps_low, reps_high, sides, figure = self.values()
        data: dict[str, Any] = {
            "id": self.exercise.id if self.exercise else PLACEHOLDER_ID,
            "name": name,
            "instructions": instructions,
            "hold_range": [whole_or_text(hold_low), whole_or_text(hold_high)],
            "reps_range": [whole_or_text(reps_low), None if not reps_high.strip() else whole_or_text(reps_high)],
            "default_sides": sides,
            "figure": figure_from_text(figure),
        }
        if self.exercise is not None:
            data["default_rest"] = self.exercise.default_rest
        # A new step starts inside the recommended range: keep the old default when it still fits.
        hold, reps = data["hold_range"], data["reps_range"]
        if all(isinstance(v, int) for v in hold) and hold[0] <= hold[1]:
            data["default_hold"] = _clamp(self.exercise.default_hold if self.exercise else hold[1], hold[0], hold[1])
        if isinstance(reps[0], int) and (reps[1] is None or isinstance(reps[1], int)):
            if reps[1] is None or reps[0] <= reps[1]:
                data["default_reps"] = _clamp(self.exercise.default_reps if self.exercise else reps[0], reps[0], reps[1])
        return data

    def check(self) -> Exercise | None:
        """Check every field and show each problem under its field; returns the exercise when valid."""
        try:
            exercise = exercise_from_dict(self.candidate())
            self.problems = []
        except ValidationError as error:
            exercise = None
            self.problems = error.problems
        messages: dict[str, str] = {}
        for problem in self.problems:
            field, message = editor_field(problem)
            messages.setdefault(field, message)
        for field in EDITOR_FIELDS.values():
            shown = messages.get(field) if field != "name" or self.name_touched else None
            widget = self.query_one(f"#{field}-message", PlainStatic)
            widget.update(f"✗ {shown}" if shown else "")
        self._show_mirror(exercise)
        return exercise

    def _show_mirror(self, exercise: Exercise | None) -> None:
        """The right side's picture, for an exercise with sides: the user sees the mirror they will get."""
        preview = self.query_one("#figure-mirror", PlainStatic)
        show = exercise is not None and bool(exercise.figure) and exercise.default_sides in ("both", "right")
        preview.display = show
        if exercise is not None and show:
            preview.update("Right side (mirrored):\n" + "\n".join(mirror(exercise.figure)))

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(PlainSelect.Changed)
    def changed(self, event: Input.Changed | TextArea.Changed | PlainSelect.Changed) -> None:
        if isinstance(event, Input.Changed) and event.input.id == "exercise-name":
            self.name_touched = True
        self.check()

    @on(Input.Submitted)
    def next_field(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        self.name_touched = True
        exercise = self.check()
        if exercise is None:
            first: dict[str, Problem] = {}  # one line a field, the one shown under it
            for problem in self.problems:
                first.setdefault(editor_field(problem)[0], problem)
            listed = "\n".join(toast_line(p) for p in list(first.values())[:5])
            self.notify(listed, title="Exercise not saved", severity="error")
            return
        if self.exercise is None:
            exercise = replace(exercise, id="")
        try:
            stored = self.routines.save_exercise(exercise)
        except ValidationError as error:
            self.notify(str(error), title="Exercise not saved", severity="error")
            return
        except StorageError as error:
            self.notify(f"Could not save: {error}", title="Exercise not saved", severity="error")
            return
        self.dismiss(stored)

    @work(exclusive=True, group="exercise-cancel")
    async def action_cancel(self) -> None:
        if self.values() != self._opened:
            name = self.values()[0].strip() or "this exercise"
            leave = await self.app.push_screen_wait(ConfirmDialog.leave_unsaved(name))
            if not leave:
                return
        self.dismiss(None)
