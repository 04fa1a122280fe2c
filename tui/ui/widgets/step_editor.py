"""StepEditor: hold, reps, rest, sides and their order of one step, with the recommended range beside each."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input

from tui.domain.exercises import ORDERS, SIDES, Exercise
from tui.domain.whole_numbers import whole_or_text
from tui.domain.routine_draft import StepDraft
from tui.ui.user_text import PlainLabel, PlainSelect, PlainStatic, styled
from tui.ui.widgets.builder_text import BuilderText
from tui.ui.widgets.digits_field import DigitsField

SIDE_LABELS = {
    "none": "No sides",
    "both": "Both: left and right",
    "left": "Left only",
    "right": "Right only",
}
"""How each `sides` value reads in the builder."""
ORDER_LABELS = {
    "alternate": "Alternate: left, right, left, right",
    "one-side-first": "One side first: all left, then all right",
}
"""How each `order` value reads in the builder."""
EMPTY_HINTS = {
    True: styled("No steps yet.\nPress [b]a[/] to add one from the exercise library."),
    False: styled("No steps yet.\nPress [b]enter[/] or [b]tab[/] to reach the step list, then [b]a[/] to add one "
                  "from the exercise library."),
}
"""The hint with no steps, by whether the step list has focus (in a text field `a` types an "a")."""
NUMBER_FIELDS = ("hold", "reps", "rest")
"""The step fields typed as numbers, in the order tab and enter visit them."""


def recommended_hold(exercise: Exercise) -> str:
    """`recommended 15-20 s`, from the exercise's hold range."""
    low, high = exercise.hold_range
    return f"recommended {low} s" if low == high else f"recommended {low}-{high} s"


def recommended_reps(exercise: Exercise) -> str:
    """`recommended 5-8`, `recommended 1 or more`, from the exercise's reps range."""
    low, high = exercise.reps_range
    if high is None:
        return f"recommended {low} or more"
    return f"recommended {low}" if low == high else f"recommended {low}-{high}"


def step_advice(step: StepDraft, exercise: Exercise | None) -> dict[str, str]:
    """Warnings (not errors) for values outside what the exercise recommends."""
    advice: dict[str, str] = {}
    if exercise is None:
        return advice
    hold, reps = whole_or_text(step.hold), whole_or_text(step.reps)
    if isinstance(hold, int) and (found := exercise.hold_advice(hold)):
        advice["hold"] = found
    if isinstance(reps, int) and (found := exercise.reps_advice(reps)):
        advice["reps"] = found
    return advice


class StepEditor(VerticalScroll, can_focus=False):
    """Edits the step the builder has selected; posts `Changed` as the user types (scrolls in a short window)."""

    @dataclass
    class Changed(Message):
        """A field of the step was changed by the user."""

        field: str
        """`hold`, `reps`, `rest`, `sides` or `order`."""
        value: str
        """The new value, as typed."""

    class Finished(Message):
        """The user pressed enter on the last field: back to the list of steps."""

    def compose(self) -> ComposeResult:
        yield BuilderText(id="step-title")
        yield PlainStatic(EMPTY_HINTS[False], id="step-empty")
        with Vertical(id="step-fields"):
            for name, label, unit in (("hold", "Hold", "s"), ("reps", "Reps", ""), ("rest", "Rest", "s")):
                with Horizontal(classes="step-field number-field"):
                    yield PlainLabel(label, classes="step-label")
                    yield DigitsField(id=f"step-{name}", max_length=4, compact=True,
                                classes="step-number")
                    yield PlainStatic(unit, classes="step-unit")
                    yield BuilderText(id=f"{name}-range", classes="step-range")
                yield BuilderText(id=f"{name}-message", classes="field-message")
            with Horizontal(classes="step-field"):
                yield PlainLabel("Sides", classes="step-label")
                yield PlainSelect([(SIDE_LABELS[s], s) for s in SIDES], allow_blank=False, compact=True,
                                  id="step-sides")
            yield BuilderText(id="sides-message", classes="field-message")
            with Horizontal(classes="step-field", id="step-order-field"):
                yield PlainLabel("Order", classes="step-label")
                yield PlainSelect([(ORDER_LABELS[o], o) for o in ORDERS], allow_blank=False, compact=True,
                             id="step-order")
            yield BuilderText(id="order-message", classes="field-message")

    def show_hint(self, in_step_list: bool) -> None:
        """Say how to add the first step from where the focus is now."""
        self.query_one("#step-empty", PlainStatic).update(EMPTY_HINTS[in_step_list])

    def show_step(self, number: int, count: int, step: StepDraft | None, exercise: Exercise | None) -> None:
        """Show one step's values (without reporting them back as changes), or the empty hint."""
        self.query_one("#step-empty").display = step is None
        self.query_one("#step-fields").display = step is not None
        title = self.query_one("#step-title", BuilderText)
        title.display = step is not None
        if step is None:
            return
        name = exercise.name if exercise else f"unknown exercise {step.exercise!r}"
        title.say(styled("[b]Step $number of $count[/]  ·  $name", number=number, count=count, name=name))
        for field_name in NUMBER_FIELDS:
            box = self.query_one(f"#step-{field_name}", Input)
            value = getattr(step, field_name)
            if box.value != value:
                with box.prevent(Input.Changed):
                    box.value = value
        sides = self.query_one("#step-sides", PlainSelect)
        if sides.value != step.sides:
            with sides.prevent(PlainSelect.Changed):
                sides.value = step.sides
        order = self.query_one("#step-order", PlainSelect)
        if order.value != step.order:
            with order.prevent(PlainSelect.Changed):
                order.value = step.order
        self.show_order(step.sides)
        self.query_one("#hold-range", BuilderText).say(recommended_hold(exercise) if exercise else "")
        self.query_one("#reps-range", BuilderText).say(recommended_reps(exercise) if exercise else "")
        self.query_one("#rest-range", BuilderText).say("between reps")

    def show_order(self, sides: str) -> None:
        """The order of sides matters only for a step with both: the field shows only then."""
        self.query_one("#step-order-field").display = sides == "both"
        self.query_one("#order-message").display = sides == "both"

    def show_messages(self, errors: dict[str, str], advice: dict[str, str]) -> None:
        """An error (it blocks saving) or a warning (it does not) under each field."""
        for field_name in (*NUMBER_FIELDS, "sides", "order"):
            message = self.query_one(f"#{field_name}-message", BuilderText)
            if field_name in errors:
                text, kind = f"✗ {errors[field_name]}", "-error"
            elif field_name in advice:
                text, kind = f"⚠ {advice[field_name]}", "-warning"
            else:
                text, kind = "", ""
            message.say(text)
            message.set_class(kind == "-error", "-error")
            message.set_class(kind == "-warning", "-warning")

    def focus_first(self) -> None:
        """Put the cursor in the hold field."""
        self.query_one("#step-hold", Input).focus()

    @on(Input.Changed, ".step-number")
    def number_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed((event.input.id or "").removeprefix("step-"), event.value))

    @on(PlainSelect.Changed, "#step-sides")
    def sides_changed(self, event: PlainSelect.Changed) -> None:
        event.stop()
        # Select also reports the value it starts with, after show_step: only a choice the user made counts.
        if event.select.has_focus_within or event.select.expanded:
            self.show_order(str(event.value))
            self.post_message(self.Changed("sides", str(event.value)))

    @on(PlainSelect.Changed, "#step-order")
    def order_changed(self, event: PlainSelect.Changed) -> None:
        event.stop()
        if event.select.has_focus_within or event.select.expanded:
            self.post_message(self.Changed("order", str(event.value)))

    @on(Input.Submitted, ".step-number")
    def next_field(self, event: Input.Submitted) -> None:
        """Enter moves on: hold, reps, rest, then back to the steps."""
        event.stop()
        name = (event.input.id or "").removeprefix("step-")
        following = NUMBER_FIELDS.index(name) + 1
        if following < len(NUMBER_FIELDS):
            self.query_one(f"#step-{NUMBER_FIELDS[following]}", Input).focus()
        else:
            self.post_message(self.Finished())
