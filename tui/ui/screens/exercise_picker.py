"""ExercisePicker: choose the exercise of a new step, and look after your own exercises."""

from __future__ import annotations

import unicodedata

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input
from textual.widgets.option_list import Option

from tui.domain.exercises import Exercise
from tui.domain.problems import ValidationError
from tui.paths import screen_styles
from tui.storage.errors import StorageError
from tui.storage.routines import RoutineRepository
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.exercise_editor import ExerciseEditor
from tui.ui.user_text import PlainLabel, PlainOptionList, PlainStatic, plain, styled
from tui.ui.widgets.step_editor import SIDE_LABELS, recommended_hold, recommended_reps
from tui.ui.screens.steady import SteadyScreen


SHORT_WINDOW = 24
"""Below this many lines the picker leaves out the instructions, to show more exercises."""


def folded(text: str) -> str:
    """Text for matching: case and accents ignored (`Étirement` matches `etire`)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def exercise_prompt(exercise: Exercise) -> Content:
    """How an exercise reads in the list: name, kind, and what it recommends."""
    sides = "" if exercise.default_sides == "none" else f" · {SIDE_LABELS[exercise.default_sides].split(':')[0].lower()}"
    return styled(
        "[b]$name[/]  [dim]$kind[/]\n[dim]  $hold · $reps$sides[/]",
        name=exercise.name, kind="built-in" if exercise.builtin else "custom",
        hold=recommended_hold(exercise).replace("recommended ", "hold "),
        reps=recommended_reps(exercise).replace("recommended ", "reps "), sides=sides,
    )


class ExerciseList(PlainOptionList):
    """The exercises; with the list in focus, letters manage your own exercises."""

    BINDINGS = [
        Binding("n", "screen.new_exercise", "New"),
        Binding("e", "screen.edit_exercise", "Edit"),
        Binding("x", "screen.delete_exercise", "Delete"),
        Binding("slash", "screen.focus_filter", "Filter"),
    ]


class ExercisePicker(SteadyScreen, ModalScreen[str | None]):
    """Dismisses with the id of the exercise picked, or None; type to filter, enter to pick."""

    CSS_PATH = screen_styles("dialogs.tcss", "builder.tcss")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+n", "new_exercise", "New exercise"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]

    def __init__(self, routines: RoutineRepository, in_use: set[str] | frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.routines = routines
        """Where the exercises are stored (new, changed and deleted ones too)."""
        self.in_use = set(in_use)
        """Exercises the routine being built uses (not yet stored, so storage cannot see them)."""
        self.exercises: list[Exercise] = []
        """Every exercise, built-in first, then the user's."""
        self.shown: list[Exercise] = []
        """The exercises the filter lets through, as listed."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield PlainLabel("Add a step: pick an exercise", classes="dialog-title")
            yield Input(placeholder="type to filter", id="exercise-filter", compact=True)
            yield ExerciseList(id="exercise-list")
            yield PlainStatic(id="picker-instructions")
            yield PlainStatic(id="picker-message", classes="dialog-error")
            yield PlainStatic(styled(
                "[b]enter[/] add  [b]↑↓[/] choose  [b]ctrl+n[/] new exercise  [b]escape[/] cancel\n"
                "[b]tab[/] to the list, then [b]e[/] edit or [b]x[/] delete one of yours"
            ), classes="dialog-keys")

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#exercise-filter", Input).focus()
        self.on_resize()

    def on_resize(self) -> None:
        self.set_class(self.app.size.height < SHORT_WINDOW, "-short")

    def reload(self, highlight: str | None = None) -> None:
        """Read the exercises again and show the ones the filter lets through."""
        routines = self.routines
        try:
            custom = routines.custom_exercises()
        except StorageError as error:
            custom = []
            self.notify(str(error), title="Cannot read your exercises", severity="error")
        self.exercises = list(routines.library.exercises.values()) + custom
        self.show_matches(highlight)

    @property
    def highlighted(self) -> Exercise | None:
        """The exercise under the cursor."""
        index = self.query_one(ExerciseList).highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    @on(Input.Changed, "#exercise-filter")
    def filter_changed(self) -> None:
        self.show_matches()

    def show_matches(self, highlight: str | None = None) -> None:
        """List the exercises whose name holds what was typed, keeping the cursor where it can."""
        if highlight is None and self.highlighted is not None:
            highlight = self.highlighted.id
        query = folded(self.query_one("#exercise-filter", Input).value.strip())
        self.shown = [e for e in self.exercises if query in folded(e.name) or query in e.id]
        listing = self.query_one(ExerciseList)
        listing.set_options(Option(exercise_prompt(e), id=e.id) for e in self.shown)
        ids = [e.id for e in self.shown]
        if self.shown:
            listing.highlighted = ids.index(highlight) if highlight in ids else 0
        typed = self.query_one("#exercise-filter", Input).value.strip()
        self.say("" if self.shown else styled("No exercise matches '$typed'. [b]ctrl+n[/] makes your own.", typed=typed))
        self.show_instructions()

    @on(PlainOptionList.OptionHighlighted)
    def show_instructions(self) -> None:
        exercise = self.highlighted
        self.query_one("#picker-instructions", PlainStatic).update(
            plain(exercise.instructions or "(no instructions)") if exercise else ""
        )

    def say(self, message: str | Content) -> None:
        """A message above the keys (an error or a hint; a str is plain text); '' clears it."""
        self.query_one("#picker-message", PlainStatic).update(message)

    # -- picking ---------------------------------------------------------

    @on(Input.Submitted, "#exercise-filter")
    @on(PlainOptionList.OptionSelected)
    def pick(self) -> None:
        exercise = self.highlighted
        if exercise is not None:
            self.dismiss(exercise.id)

    def action_move(self, delta: int) -> None:
        listing = self.query_one(ExerciseList)
        if delta > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()

    def action_focus_filter(self) -> None:
        self.query_one("#exercise-filter", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    # -- your own exercises ----------------------------------------------

    def action_new_exercise(self) -> None:
        self.app.push_screen(ExerciseEditor(self.routines), self._edited)

    def action_edit_exercise(self) -> None:
        exercise = self.highlighted
        if exercise is None:
            return
        if exercise.builtin:
            self.say(styled("$name is built in and read-only. [b]ctrl+n[/] makes your own exercise.", name=exercise.name))
            return
        self.app.push_screen(ExerciseEditor(self.routines, exercise), self._edited)

    def _edited(self, exercise: Exercise | None) -> None:
        if exercise is None:
            return
        if folded(self.query_one("#exercise-filter", Input).value.strip()) not in folded(exercise.name):
            with self.prevent(Input.Changed):
                self.query_one("#exercise-filter", Input).value = ""
        self.reload(highlight=exercise.id)
        self.say("")
        self.notify(f"Saved exercise {exercise.name!r}.", timeout=2)

    @work(exclusive=True, group="picker-delete")
    async def action_delete_exercise(self) -> None:
        exercise = self.highlighted
        if exercise is None:
            return
        if exercise.builtin:
            self.say(f"{exercise.name} is built in and cannot be deleted.")
            return
        if exercise.id in self.in_use:
            self.say(f"Cannot delete {exercise.name}: the routine you are building uses it; remove those steps first.")
            return
        sure = await self.app.push_screen_wait(ConfirmDialog(
            "Delete exercise?", styled("Delete your exercise [b]$name[/]? This cannot be undone.", name=exercise.name),
            "Delete", "Keep it",
        ))
        if not sure:
            return
        try:
            self.routines.delete_exercise(exercise.id)
        except ValidationError as error:
            reason = error.problems[0].reason if error.problems else str(error)
            self.say(f"Cannot delete {exercise.name}: it {reason}")
            return
        except StorageError as error:
            self.say(f"Could not delete {exercise.name}: {error}")
            return
        self.reload()
        self.say("")
        self.notify(f"Deleted exercise {exercise.name!r}.", timeout=2)
