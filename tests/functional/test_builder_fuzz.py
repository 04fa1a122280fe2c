"""Anything typed into the builder: it never crashes and never stores a routine that breaks a limit."""

from __future__ import annotations

import asyncio
import concurrent.futures
import tempfile
import threading
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.widgets import Input, OptionList, Select, TextArea

from tui.domain.clock import FakeClock
from tui.domain.exercises import check_name, exercise_from_dict, exercise_to_dict
from tui.domain.routines import Routine, Step, validate_routine
from tui.storage.store import Store
from tui.ui.screens.builder import RoutineBuilder
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.exercise_editor import ExerciseEditor
from tui.ui.screens.exercise_picker import ExercisePicker
from tui.ui.screens.menu import MenuScreen
from tui.ui.widgets.digits_field import DigitsField

TAKEN_NAME = "Taken"
"""A routine already stored under this name: the builder must not store a second one."""

# Keys a person types: printable characters of any script. Control characters would be
# commands (ctrl+s, tab), and Textual types only what Python calls printable (not a
# no-break space, a format or an unassigned character): those reach the fields by paste.
typed = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")).filter(str.isprintable),
                max_size=10)
# Anything at all, as a paste or a program might put it in a field.
pasted = st.text(max_size=80) | st.sampled_from([
    "", " ", "x" * 61, "y" * 501, TAKEN_NAME, "taken ", "\x00", "٣", "-5", "1e3", "0", "600", "601", "9999",
])
# Numbers as typed: digits mostly, and whatever else a person might hit.
numbers = st.text("0123456789", max_size=4) | st.integers(-10, 700).map(str) | typed

operations = st.one_of(
    st.tuples(st.just("name"), st.just("type"), typed),
    st.tuples(st.just("name"), st.just("paste"), pasted),
    st.tuples(st.just("description"), st.just("type"), typed),
    st.tuples(st.just("description"), st.just("paste"), pasted),
    st.tuples(st.just("add"), st.integers(0, 6), st.none()),
    st.tuples(st.just("number"), st.sampled_from(["hold", "reps", "rest"]), numbers),
    st.tuples(st.just("number-set"), st.sampled_from(["hold", "reps", "rest"]), pasted),
    st.tuples(st.just("sides"), st.integers(0, 3), st.none()),
    st.tuples(st.just("move"), st.sampled_from([-1, 1]), st.none()),
    st.tuples(st.just("select"), st.integers(0, 5), st.none()),
    st.tuples(st.just("remove"), st.none(), st.none()),
    st.tuples(st.just("save"), st.none(), st.none()),
    st.tuples(st.just("leave"), st.sampled_from(["y", "n"]), st.none()),
)


def key_for(char: str) -> events.Key:
    """The key event a terminal sends for a typed character (named as Textual names keys)."""
    name = char if char.isalnum() else unicodedata.name(char, f"u{ord(char):x}").lower().replace(" ", "_").replace("-", "_")
    return events.Key(name, char)


async def keys_handled(pilot) -> None:
    """Until the app has handled every key posted to it: keys that arrive together go in one at a time."""
    await pilot.pause()
    while not pilot.app.key_queue.idle:
        await pilot.pause(0.01)


async def put_text(pilot, box: Input, how: str, text: str) -> None:
    """Replace a field's text by typing it (a fast typist: keys in one burst) or by pasting it."""
    if box.has_focus or not text:
        # Empty it first (the actions of these keys run after the keys: wait for them).
        box.focus()
        await pilot.pause()
        for key in ("ctrl+u", "ctrl+k"):
            pilot.app.post_message(events.Key(key, None))
    else:
        box.focus()  # selects all its text, which what comes next replaces
    await keys_handled(pilot)
    if how == "type":
        if isinstance(box, DigitsField):
            # A number field leaves its screen's keys to the screen (`?` opens help over the dialog, by design and
            # tested in test_builder.py): typed into one, they are not text, and this test is about the text stored.
            text = "".join(char for char in text if char not in box.passes)
        for char in text:
            pilot.app.post_message(key_for(char))
    else:
        box.post_message(events.Paste(text))
    await keys_handled(pilot)
    if how == "type" and box.restrict is None and not box.max_length:
        assert box.value == text  # every key typed landed in the field


async def apply(pilot, builder: RoutineBuilder, operation: tuple) -> None:
    kind, arg, text = operation
    app = pilot.app
    if kind in ("name", "description"):
        box = builder.query_one(f"#routine-{kind}", Input)
        await put_text(pilot, box, arg, text)
    elif kind == "add":
        builder.query_one("#step-list", OptionList).focus()
        await pilot.press("a")
        await pilot.pause()
        if isinstance(app.screen, ExercisePicker):
            await pilot.press(*["down"] * arg, "enter")
            await pilot.pause()
    elif kind in ("number", "number-set") and builder.draft.steps:
        box = builder.query_one(f"#step-{arg}", Input)
        if kind == "number":
            await put_text(pilot, box, "type", text)
        else:
            box.focus()
            box.value = text  # straight in, past the digits-only rule
            await pilot.pause()
    elif kind == "sides" and builder.draft.steps:
        builder.query_one("#step-sides", Select).focus()
        await pilot.press("enter", *["down"] * arg, "enter")
        await pilot.pause()
    elif kind == "move":
        await pilot.press("ctrl+up" if arg < 0 else "ctrl+down")
    elif kind == "select" and builder.draft.steps:
        builder.query_one("#step-list", OptionList).highlighted = arg % len(builder.draft.steps)
        await pilot.pause()
    elif kind == "remove":
        builder.query_one("#step-list", OptionList).focus()
        await pilot.press("x")
    elif kind == "save":
        await pilot.press("ctrl+s")
        await pilot.pause()
    elif kind == "leave":
        await pilot.press("escape")
        await pilot.pause()
        if isinstance(app.screen, ConfirmDialog):
            await pilot.press(arg)
            await pilot.pause()


def check_stored(store: Store) -> list[Routine]:
    """Every custom routine stored passes every limit, and no two share a name."""
    known = store.routines.exercises()
    custom = [r for r in store.routines.list() if not r.builtin]
    for routine in custom:
        validate_routine(routine, known)
        assert check_name(routine.name) == []
        assert routine.name == routine.name.strip()
    names = [r.name.casefold() for r in store.routines.list()]
    assert len(names) == len(set(names))
    return custom


class AppHost:
    """One app, running on an event loop in its own thread, that every example borrows.

    Starting Textual costs far more than an example does; each example still gets a
    fresh data dir and a fresh builder screen. Examples run inside the task that runs
    the app, as Textual expects of code that drives it.
    """

    def __init__(self, build_app) -> None:
        self.folder = tempfile.TemporaryDirectory()
        store = Store.open(Path(self.folder.name) / "start")
        store.settings.change(safety_acknowledged=True)
        self.app = build_app(store, FakeClock(), write_cue=lambda text: None)
        self.examples = 0
        self.pilot = None
        self._ready = threading.Event()
        self._jobs: asyncio.Queue | None = None
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._serving = asyncio.run_coroutine_threadsafe(self._serve(), self.loop)
        if not self._ready.wait(timeout=60):
            raise RuntimeError("the app did not start")

    async def _serve(self) -> None:
        self._jobs = asyncio.Queue()
        async with self.app.run_test(size=(80, 24)) as pilot:
            self.pilot = pilot
            self._ready.set()
            while (job := await self._jobs.get()) is not None:
                coroutine, result = job
                try:
                    result.set_result(await coroutine)
                except Exception as error:  # handed to the test, which reports it
                    result.set_exception(error)

    def run(self, coroutine):
        """Run a coroutine in the app's task and wait for its result."""
        result: concurrent.futures.Future = concurrent.futures.Future()
        self.loop.call_soon_threadsafe(self._jobs.put_nowait, (coroutine, result))
        return result.result(timeout=120)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self._jobs.put_nowait, None)
        self._serving.result(timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.folder.cleanup()


@pytest.fixture(scope="module")
def host(app_builder):
    started = AppHost(app_builder)
    yield started
    started.close()


async def scenario(host: AppHost, start: list[str], steps: list[tuple]) -> None:
    """A new routine (or, with `start`, a stored one opened with `e`), then the operations, then ctrl+s."""
    host.examples += 1
    store = Store.open(Path(host.folder.name) / f"example-{host.examples}")
    store.settings.change(safety_acknowledged=True)
    store.routines.save(Routine("", TAKEN_NAME, (Step("pelvic-tilt", 10),)))
    opened = None
    if start:
        opened = store.routines.save(Routine("", "Start", tuple(Step(e, 10, 2, 5) for e in start)))
    app, pilot = host.app, host.pilot
    app.store = store
    while not isinstance(app.screen, MenuScreen):  # back to the menu, whatever the last example left open
        app.pop_screen()
    app.screen.store = store
    app.clear_notifications()
    await pilot.pause()
    if opened is None:
        app.screen.reload()  # the menu, from the new data dir
        await pilot.press("n")
    else:
        app.screen.select_routine(opened.id)
        await pilot.press("e")
    await pilot.pause()
    builder = app.screen
    assert isinstance(builder, RoutineBuilder)
    for operation in steps:
        if app.screen is not builder:  # left the builder (or a picker is still open): done
            break
        await apply(pilot, builder, operation)
        check_stored(store)
    if app.screen is builder:
        await pilot.press("ctrl+s")
        await pilot.pause()
        valid = not builder.problems
        stored = {r.id: r for r in check_stored(store)}
        if valid:
            # A routine without problems is stored exactly as the builder shows it.
            assert not builder.is_dirty
            routine = stored[builder.draft.id]
            assert routine.name == builder.draft.name
            assert [(s.exercise, str(s.hold_seconds), str(s.reps), str(s.rest_seconds), s.sides)
                    for s in routine.steps] == [
                (s.exercise, s.hold, s.reps, s.rest, s.sides) for s in builder.draft.steps]
        elif builder.saved is None:
            assert set(r.name for r in stored.values()) == {TAKEN_NAME}
    check_stored(store)


SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
"""Each example drives a real screen: slow by Hypothesis's measure, and the app is shared on purpose."""


@settings(max_examples=15, deadline=None, suppress_health_check=SLOW)
@given(start=st.lists(st.sampled_from(["side-knee-drop", "pelvic-tilt", "hamstring-stretch", "prayer-pose"]), max_size=3),
       steps=st.lists(operations, min_size=1, max_size=5))
def test_anything_typed_never_crashes_the_builder_nor_stores_an_invalid_routine(host, start, steps):
    host.run(scenario(host, start, steps))


# -- the exercise editor --------------------------------------------------------

exercise_fields = st.fixed_dictionaries({
    "exercise-name": st.tuples(st.sampled_from(["type", "paste"]), pasted),
    "exercise-instructions": st.text(max_size=60) | st.just("z" * 2001),
    "hold-low": st.tuples(st.just("type"), numbers),
    "hold-high": st.tuples(st.just("type"), numbers),
    "reps-low": st.tuples(st.just("type"), numbers),
    "reps-high": st.tuples(st.sampled_from(["type", "paste"]), numbers | st.just("")),
    "sides": st.sampled_from(["none", "both", "left", "right"]),
})


async def exercise_scenario(host: AppHost, fields: dict) -> None:
    host.examples += 1
    store = Store.open(Path(host.folder.name) / f"example-{host.examples}")
    app, pilot = host.app, host.pilot
    app.store = store
    while not isinstance(app.screen, MenuScreen):
        app.pop_screen()
    app.clear_notifications()
    await pilot.pause()
    editor = ExerciseEditor(store.routines)
    app.push_screen(editor)
    await pilot.pause()
    for field_id in ("exercise-name", "hold-low", "hold-high", "reps-low", "reps-high"):
        how, text = fields[field_id]
        if how == "type":
            text = "".join(char for char in text if char.isprintable())[:12]  # a few keys; pastes go long
        await put_text(pilot, editor.query_one(f"#{field_id}", Input), how, text)
    area = editor.query_one(TextArea)
    area.focus()
    area.post_message(events.Paste(fields["exercise-instructions"]))
    editor.query_one(Select).value = fields["sides"]
    await pilot.pause()
    typed_name = editor.values()[0]  # read before saving: a saved dialog's fields go with it
    await pilot.press("ctrl+s")
    await pilot.pause()
    stored = store.routines.custom_exercises()
    for exercise in stored:
        assert exercise_from_dict(exercise_to_dict(exercise)) == exercise  # every limit holds
    if app.screen is editor:  # refused: it says why, and nothing was stored
        assert editor.problems and stored == []
    else:
        [exercise] = stored
        assert exercise.name == typed_name.strip()
        assert not editor.problems


@settings(max_examples=8, deadline=None, suppress_health_check=SLOW)
@given(fields=exercise_fields)
def test_anything_typed_into_the_exercise_editor_is_stored_only_when_valid(host, fields):
    host.run(exercise_scenario(host, fields))
