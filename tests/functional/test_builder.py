"""The routine builder, driven by keys alone: build, check, save, find, run, import and export."""

from __future__ import annotations

import json

import pytest
from textual import events
from textual.widgets import Input, OptionList, Static

from tui import cli
from tui.domain.exercises import Exercise
from tui.domain.plan import routine_seconds
from tui.domain.routines import Routine, Step, validate_routine
from tui.ui.screens.builder import RoutineBuilder
from tui.domain.routine_draft import RoutineDraft, StepDraft, field_label
from tui.domain.whole_numbers import whole_or_text
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.exercise_editor import ExerciseEditor
from tui.ui.screens.exercise_picker import ExercisePicker
from tui.ui.screens.hold import HoldScreen
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.pain_checkin import PainCheckIn
from tui.ui.screens.routine_file_dialog import RoutineFileDialog

SIZE = (100, 30)


async def type_text(pilot, text: str) -> None:
    """Type text key by key, as a person would."""
    await pilot.press(*text)


async def clear_and_type(pilot, text: str) -> None:
    """Empty the focused field, then type."""
    await pilot.press("ctrl+u", "ctrl+k")
    await type_text(pilot, text)


async def paste(pilot, text: str) -> None:
    """Replace the focused field's text with a paste, as a terminal sends it."""
    await pilot.press("ctrl+u", "ctrl+k")
    pilot.app.focused.post_message(events.Paste(text))
    await pilot.pause()


def focused_id(app) -> str | None:
    return app.focused.id if app.focused is not None else None


def status_text(app) -> str:
    return str(app.screen.query_one("#builder-status", Static).render())


def message(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render()).strip()


def custom_routines(store) -> list[Routine]:
    return [r for r in store.routines.list() if not r.builtin]


async def open_builder(pilot) -> RoutineBuilder:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RoutineBuilder)
    return pilot.app.screen


async def add_step(pilot, filter_text: str) -> None:
    """From the step list: `a`, filter, enter; the cursor lands in the new step's hold field."""
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ExercisePicker)
    await type_text(pilot, filter_text)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RoutineBuilder)
    assert focused_id(pilot.app) == "step-hold"


async def set_step(pilot, hold: str, reps: str, rest: str) -> None:
    """In the step's fields: hold, enter, reps, enter, rest, enter (back to the step list)."""
    for value in (hold, reps, rest):
        await clear_and_type(pilot, value)
        await pilot.press("enter")
    await pilot.pause()
    assert focused_id(pilot.app) == "step-list"


# -- the whole path: build, save, list, run --------------------------------


async def test_build_save_list_and_run_a_routine_with_keys_alone(make_test_app, store, clock, data_dir, capsys):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        builder = await open_builder(pilot)
        assert focused_id(app) == "routine-name"
        await type_text(pilot, "Soirée 朝 calm ✨")
        await pilot.press("tab")
        await type_text(pilot, "Before bed")
        await pilot.press("enter")
        assert focused_id(app) == "step-list"

        # Two built-in exercises, with their values typed in.
        await add_step(pilot, "pel")
        await set_step(pilot, "12", "3", "4")
        await add_step(pilot, "ham")
        await set_step(pilot, "15", "2", "0")

        # A custom exercise, made from inside the picker.
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseEditor)
        await type_text(pilot, "Knee hug")
        await pilot.press("tab")
        await type_text(pilot, "Hug both knees.")
        await pilot.press("tab")
        await clear_and_type(pilot, "20")
        await pilot.press("tab")
        await clear_and_type(pilot, "40")
        await pilot.press("tab")
        await clear_and_type(pilot, "2")
        await pilot.press("tab")
        await clear_and_type(pilot, "4")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExercisePicker)
        custom = [e for e in store.routines.custom_exercises() if e.name == "Knee hug"]
        assert len(custom) == 1 and custom[0].hold_range == (20, 40) and custom[0].reps_range == (2, 4)
        assert app.screen.highlighted.id == custom[0].id
        await pilot.press("enter")
        await pilot.pause()
        assert focused_id(app) == "step-hold"
        await set_step(pilot, "25", "2", "5")

        # Reorder: the knee hug goes up one, then remove the hamstring stretch (now last).
        await pilot.press("ctrl+up")
        assert [s.exercise for s in builder.draft.steps] == ["pelvic-tilt", custom[0].id, "hamstring-stretch"]
        assert builder.query_one("#step-list", OptionList).highlighted == 1
        await pilot.press("down", "x")
        assert [s.exercise for s in builder.draft.steps] == ["pelvic-tilt", custom[0].id]
        await pilot.press("up", "ctrl+down")
        assert [s.exercise for s in builder.draft.steps] == [custom[0].id, "pelvic-tilt"]

        assert custom_routines(store) == []  # nothing stored before ctrl+s
        await pilot.press("ctrl+s")
        await pilot.pause()
        [saved] = custom_routines(store)
        assert saved.name == "Soirée 朝 calm ✨"
        assert saved.description == "Before bed"
        assert saved.steps == (
            Step(custom[0].id, 25, 2, 5, "none"),
            Step("pelvic-tilt", 12, 3, 4, "none"),
        )
        assert not builder.is_dirty

        await pilot.press("escape")  # nothing unsaved: no question
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, MenuScreen)
        assert menu.selected is not None and menu.selected.id == saved.id

    # Listed by the command line, with the same total as the builder showed.
    exercises = store.routines.exercises()
    total = routine_seconds(saved, exercises, app.settings.timings())
    capsys.readouterr()
    assert cli.main(["--data-dir", str(data_dir), "routines", "list", "--json"]) == 0
    listed = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert listed[saved.id]["name"] == "Soirée 朝 calm ✨"
    assert listed[saved.id]["steps"] == 2
    assert listed[saved.id]["total_seconds"] == total

    # Run it to the end on the fake clock, started from the menu of a fresh app.
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PainCheckIn)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HoldScreen)
        assert app.screen.recorder.routine.id == saved.id
        clock.advance(total + 5)
        app.screen.tick()
        await pilot.pause()
        assert isinstance(app.screen, PainCheckIn)  # after the session
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # no note
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
    [session] = store.journal.list()
    assert session.routine_id == saved.id
    assert session.status == "completed"
    assert session.holds_done == session.holds_planned == 2 + 3


async def test_the_first_hint_says_how_to_add_a_step_from_where_the_focus_is(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_builder(pilot)
        assert focused_id(app) == "routine-name"  # here `a` types an "a": the hint says how to get to the list
        assert message(app, "#step-empty").startswith("No steps yet.\nPress enter or tab to reach the step list")
        await pilot.press("tab", "tab")
        assert focused_id(app) == "step-list"
        assert message(app, "#step-empty") == "No steps yet.\nPress a to add one from the exercise library."
        await pilot.press("shift+tab")
        assert "reach the step list" in message(app, "#step-empty")


async def test_the_total_time_follows_every_change(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        builder = await open_builder(pilot)
        total = builder.query_one("#routine-total", Static)
        assert "total 0:00" in str(total.render())
        await type_text(pilot, "Timing")
        await pilot.press("enter", "enter")
        await add_step(pilot, "prayer")  # 30 s, 1 rep, + get ready
        timings = app.settings.timings()
        assert f"total 0:{timings.get_ready_seconds + 30:02d}" in str(total.render())
        await clear_and_type(pilot, "45")
        assert f"total 0:{timings.get_ready_seconds + 45:02d}" in str(total.render())
        await clear_and_type(pilot, "")
        assert "1 not counted until fixed" in str(total.render())


# -- validation ---------------------------------------------------------------


async def test_save_is_refused_with_reasons_until_everything_is_valid(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        builder = await open_builder(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert custom_routines(store) == []
        assert "Name: must not be empty" in status_text(app)
        assert "has 0 steps" in status_text(app)
        assert "must not be empty" in message(app, "#name-message")

        # A name another routine has (any case) is named by the field.
        await type_text(pilot, "back SPASM relief")
        assert "already exists" in message(app, "#name-message")
        await paste(pilot, "x" * 61)
        assert "61 characters" in message(app, "#name-message")
        await clear_and_type(pilot, "Evening")
        assert message(app, "#name-message") == ""

        await pilot.press("enter", "enter")
        await add_step(pilot, "pelvic")
        await clear_and_type(pilot, "0")
        assert "must be from 1 to 600 seconds, not 0" in message(app, "#hold-message")
        await pilot.press("enter")
        await clear_and_type(pilot, "51")
        assert "must be from 1 to 50, not 51" in message(app, "#reps-message")
        await pilot.press("enter")
        await clear_and_type(pilot, "601")
        assert "must be from 0 to 600 seconds, not 601" in message(app, "#rest-message")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert custom_routines(store) == []
        assert "Step 1 hold" in status_text(app) and "Step 1 reps" in status_text(app)
        assert "✗" in str(builder.query_one("#step-list", OptionList).get_option_at_index(0).prompt)

        # Fix them one by one: saving works only when the last one is gone.
        await clear_and_type(pilot, "0")
        await pilot.press("shift+tab")
        await clear_and_type(pilot, "10")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert custom_routines(store) == []
        await pilot.press("shift+tab")
        await clear_and_type(pilot, "10")
        assert message(app, "#hold-message") == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        [saved] = custom_routines(store)
        assert saved.steps == (Step("pelvic-tilt", 10, 10, 0, "none"),)


async def test_values_outside_the_recommended_range_warn_but_still_save(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        builder = await open_builder(pilot)
        await type_text(pilot, "Long holds")
        await pilot.press("enter", "enter")
        await add_step(pilot, "hamstring")  # recommended 15-20 s, 5-8 reps
        assert "recommended 15-20 s" in str(builder.query_one("#hold-range", Static).render())
        assert "recommended 5-8" in str(builder.query_one("#reps-range", Static).render())
        await clear_and_type(pilot, "45")
        assert message(app, "#hold-message").startswith("⚠ outside the recommended hold for Hamstring Stretch")
        await pilot.press("enter")
        await clear_and_type(pilot, "9")
        assert "outside the recommended reps" in message(app, "#reps-message")
        assert "⚠" in str(builder.query_one("#step-list", OptionList).get_option_at_index(0).prompt)
        await pilot.press("ctrl+s")
        await pilot.pause()
        [saved] = custom_routines(store)
        assert saved.steps[0].hold_seconds == 45 and saved.steps[0].reps == 9


async def test_numbers_only_take_digits_and_sides_are_chosen_from_a_list(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        builder = await open_builder(pilot)
        await type_text(pilot, "Sides")
        await pilot.press("enter", "enter")
        await add_step(pilot, "pelvic")
        await clear_and_type(pilot, "1a-2.5")
        assert builder.query_one("#step-hold", Input).value == "125"
        await pilot.press("enter", "enter", "tab")  # to the sides list
        assert focused_id(app) == "step-sides"
        await pilot.press("enter", "down", "enter")  # open, next choice, pick
        await pilot.pause()
        assert builder.draft.steps[0].sides == "both"
        await pilot.press("ctrl+s")
        await pilot.pause()
        [saved] = custom_routines(store)
        assert saved.steps[0].hold_seconds == 125 and saved.steps[0].sides == "both"


# -- leaving ------------------------------------------------------------------


async def test_leaving_with_unsaved_changes_asks_first(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_builder(pilot)
        await pilot.press("escape")  # nothing typed: leaves at once
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)

        await open_builder(pilot)
        await type_text(pilot, "Half done")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert_leave_question(app.screen, "Half done")
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, RoutineBuilder)
        assert app.screen.draft.name == "Half done"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
    assert custom_routines(store) == []


async def test_the_exercise_editor_asks_before_changes_are_lost_as_the_builder_does(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_builder(pilot)
        await pilot.press("tab", "tab", "a")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseEditor)
        await type_text(pilot, "Knee hug")
        await pilot.press("escape")
        await pilot.pause()
        asked = app.screen
        assert isinstance(asked, ConfirmDialog)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, ExerciseEditor)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # leave: back in the picker, nothing made
        await pilot.pause()
        assert isinstance(app.screen, ExercisePicker)
    assert_leave_question(asked, "Knee hug")
    assert store.routines.custom_exercises() == []


def assert_leave_question(dialog: ConfirmDialog, name: str) -> None:
    """The one question an editor asks before its unsaved changes to `name` are lost."""
    assert dialog.title_text == "Leave without saving?"
    assert str(dialog.question) == f"Your changes to {name} are not saved and will be lost."
    assert (dialog.yes, dialog.no) == ("Leave", "Keep editing")


# -- the menu: edit, duplicate, delete ----------------------------------------


async def test_editing_a_built_in_routine_offers_a_copy(make_test_app, store):
    builtin = store.library.routines[0]
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        assert custom_routines(store) == []

        await pilot.press("e")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        builder = app.screen
        assert isinstance(builder, RoutineBuilder)
        [copy] = custom_routines(store)
        assert copy.name == f"{builtin.name} (copy)" and copy.steps == builtin.steps
        assert builder.draft.id == copy.id and not builder.is_dirty
        await pilot.press("tab", "tab", "x", "ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert store.routines.get(copy.id).steps == builtin.steps[1:]
    assert store.routines.get(builtin.id).steps == builtin.steps  # the built-in is untouched


async def test_edit_a_custom_routine_rename_it_and_find_the_new_name(make_test_app, store):
    store.routines.save(Routine("", "Old name", (Step("pelvic-tilt", 10, 2, 5),)))
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "e")
        await pilot.pause()
        builder = app.screen
        assert isinstance(builder, RoutineBuilder)
        assert builder.query_one("#routine-name", Input).value == "Old name"
        await clear_and_type(pilot, "  New name  ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert builder.query_one("#routine-name", Input).value == "New name"  # stored trimmed
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.selected.name == "New name"
    assert [r.name for r in custom_routines(store)] == ["New name"]


async def test_duplicate_and_delete_from_the_menu(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        [copy] = custom_routines(store)
        assert app.screen.selected.id == copy.id
        await pilot.press("d")
        await pilot.pause()
        assert sorted(r.name for r in custom_routines(store)) == [
            "Back spasm relief (copy)", "Back spasm relief (copy) (copy)",
        ]

        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert len(custom_routines(store)) == 2
        doomed = app.screen.selected
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert doomed.id not in {r.id for r in custom_routines(store)}
        assert len(custom_routines(store)) == 1

        # A built-in routine cannot be deleted.
        await pilot.press("k", "k", "k")
        assert app.screen.selected.builtin
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        assert store.routines.get("back-spasm-relief")


# -- custom exercises ---------------------------------------------------------


async def test_a_custom_exercise_in_use_cannot_be_deleted_and_says_by_whom(make_test_app, store):
    knee = store.routines.save_exercise(Exercise("", "Knee hug", "Hug both knees."))
    store.routines.save(Routine("", "Uses the knee hug", (Step(knee.id, 20),)))
    spare = store.routines.save_exercise(Exercise("", "Spare stretch", "Unused."))
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_builder(pilot)
        await pilot.press("tab", "tab", "a")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ExercisePicker)
        await type_text(pilot, "hug")
        await pilot.press("tab", "x")  # to the list, delete
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        said = message(app, "#picker-message")
        assert "Cannot delete Knee hug" in said and "'Uses the knee hug'" in said
        assert knee in store.routines.custom_exercises()

        # One nobody uses goes, after asking.
        await pilot.press("slash")
        await clear_and_type(pilot, "spare")
        await pilot.press("tab", "x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert spare not in store.routines.custom_exercises()

        # Built-in exercises are read-only.
        await pilot.press("slash")
        await clear_and_type(pilot, "prayer")
        await pilot.press("tab", "e")
        await pilot.pause()
        assert isinstance(app.screen, ExercisePicker)
        assert "read-only" in message(app, "#picker-message")


async def test_edit_a_custom_exercise_from_the_picker(make_test_app, store):
    knee = store.routines.save_exercise(Exercise("", "Knee hug", "Hug both knees.", hold_range=(10, 30)))
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_builder(pilot)
        await pilot.press("tab", "tab", "a")
        await pilot.pause()
        await type_text(pilot, "hug")
        await pilot.press("tab", "e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ExerciseEditor)
        assert editor.query_one("#exercise-name", Input).value == "Knee hug"
        await pilot.press("tab", "tab")  # past the instructions to the hold range
        await clear_and_type(pilot, "50")
        assert "above" in message(app, "#hold-message")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseEditor)  # refused
        await pilot.press("tab")
        await clear_and_type(pilot, "60")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExercisePicker)
    [changed] = store.routines.custom_exercises()
    assert changed.id == knee.id and changed.hold_range == (50, 60)


async def test_a_range_error_shows_under_its_own_field_and_the_toast_names_it(make_test_app, store):
    app = make_test_app()
    told: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kw: (told.append(message), notify(message, **kw))[1]
    async with app.run_test(size=SIZE) as pilot:
        await open_builder(pilot)
        await pilot.press("tab", "tab", "a")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, "Knee hug")
        await pilot.press("tab", "tab", "tab")  # past the instructions and hold's "from" to its "to"
        await clear_and_type(pilot, "999")
        await pilot.pause()
        assert message(app, "#hold-message") == "✗ to: must be from 1 to 600, not 999"
        assert message(app, "#name-message") == ""  # a good name has nothing under it
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseEditor)
    assert told == ["Hold, to: must be from 1 to 600, not 999"]


async def test_an_accented_filter_finds_exercises_by_any_spelling(make_test_app, store):
    store.routines.save_exercise(Exercise("", "Étirement du dos", "Doucement."))
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_builder(pilot)
        await pilot.press("tab", "tab", "a")
        await pilot.pause()
        await type_text(pilot, "etire")
        assert [e.name for e in app.screen.shown] == ["Étirement du dos"]
        await clear_and_type(pilot, "zzz")
        assert app.screen.shown == []
        assert "No exercise matches" in message(app, "#picker-message")
        await pilot.press("enter")  # nothing to pick: stays
        assert isinstance(app.screen, ExercisePicker)


# -- import and export --------------------------------------------------------


async def test_export_from_the_menu_writes_what_the_command_line_writes(make_test_app, store, data_dir, tmp_path, capsys):
    target = tmp_path / "out" / "relief.json"
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, RoutineFileDialog)
        await paste(pilot, str(target))
        await pilot.press("enter")
        await pilot.pause()
        assert "there is no folder" in message(app, "#routine-path-message")
        target.parent.mkdir()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        # Again: the file exists now, so the first enter only warns.
        await pilot.press("o")
        await pilot.pause()
        await paste(pilot, str(target))
        target.write_text("keep me", encoding="utf-8")
        await pilot.press("enter")
        await pilot.pause()
        assert "already exists" in message(app, "#routine-path-message")
        assert target.read_text(encoding="utf-8") == "keep me"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
    capsys.readouterr()
    cli.main(["--data-dir", str(data_dir), "routines", "export", "back-spasm-relief"])
    assert target.read_text(encoding="utf-8") == capsys.readouterr().out
    assert oct(target.stat().st_mode & 0o777) == "0o600"


async def test_import_from_the_menu_checks_like_the_command_line(make_test_app, store, data_dir, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "backrelief-routine", "version": 1, "name": "Bad",
                               "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 900}]}), encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps({
        "format": "backrelief-routine", "version": 1, "name": "Imported ひらがな",
        "exercises": [{"id": "wall-lean", "name": "Wall lean", "instructions": "Lean."}],
        "steps": [{"exercise": "wall-lean", "hold_seconds": 20, "reps": 2, "rest_seconds": 5, "sides": "none"}],
    }), encoding="utf-8")
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (2 * 1024 * 1024))

    def cli_error(path) -> str:
        capsys.readouterr()
        assert cli.main(["--data-dir", str(data_dir), "routines", "import", str(path)]) == 1
        return capsys.readouterr().err.strip().removeprefix("backrelief: error: ")

    expected = {path: cli_error(path) for path in (bad, huge, tmp_path / "missing.json", tmp_path)}
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, RoutineFileDialog)
        await pilot.press("enter")
        assert message(app, "#routine-path-message") == "Type the path of a file."
        for path, said in expected.items():
            await paste(pilot, str(path))
            await pilot.press("enter")
            await pilot.pause()
            assert " ".join(message(app, "#routine-path-message").split()) == " ".join(said.split())
        assert custom_routines(store) == []
        await paste(pilot, str(good))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        [imported] = custom_routines(store)
        assert imported.name == "Imported ひらがな"
        assert app.screen.selected.id == imported.id
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)


# -- the draft, on its own ----------------------------------------------------


def test_typed_numbers_are_parsed_only_when_they_are_plain_digits():
    assert whole_or_text(" 42 ") == 42
    assert whole_or_text("") == ""
    assert whole_or_text("4.5") == "4.5"
    assert whole_or_text("٣") == "٣"  # not an ASCII digit: left for the domain to name
    assert whole_or_text("9" * 40) == "9" * 40


def test_a_draft_turns_into_a_valid_routine_or_names_its_problems():
    draft = RoutineDraft(name="  Calm  ", steps=[StepDraft("pelvic-tilt", "10", "2", "", "none")])
    problems = draft.problems({"pelvic-tilt"})
    assert [field_label(p.field) for p in problems] == ["Step 1 rest"]
    draft.steps[0].rest = "5"
    routine = draft.to_routine({"pelvic-tilt"})
    assert routine.name == "Calm"
    validate_routine(routine, {"pelvic-tilt"})
    assert draft.problems({"pelvic-tilt"}, other_names={"CALM"})[0].reason == "a routine named 'Calm' already exists"


@pytest.mark.parametrize("name", ["مرحبا بالعالم", "稽古", "🧘 stretch", "Ünïcödé"])
def test_names_in_any_script_are_accepted(name):
    draft = RoutineDraft(name=name, steps=[StepDraft("pelvic-tilt", "10", "1", "0", "none")])
    assert draft.problems({"pelvic-tilt"}) == []


def test_a_duplicate_gets_a_free_name_within_the_limit(store):
    original = store.routines.save(Routine("", "L" * 60, (Step("pelvic-tilt", 10),)))
    first = store.routines.duplicate(original.id)
    second = store.routines.duplicate(original.id)
    assert first.name == "L" * 53 + " (copy)"
    assert second.name == "L" * 51 + " (copy 2)"
    assert first.steps == second.steps == original.steps
    assert len({original.id, first.id, second.id}) == 3
    builtin = store.routines.duplicate("back-spasm-relief")
    assert not builtin.builtin and builtin.steps == store.library.routines[0].steps


# -- small windows: words wrap whole ------------------------------------------


def broken_words(screen) -> list[tuple[str, str]]:
    """(widget id, piece) for each piece of a word a text widget of the screen drew on its own: a word broken
    mid-way shows as pieces that are not words of the text."""
    from textual.geometry import Region

    broken = []
    for widget in screen.query(Static):
        if not widget.display or widget.size.width <= 0 or widget.size.height <= 0:
            continue
        words = set(str(widget.render()).split())
        drawn = " ".join(strip.text for strip in widget.render_lines(Region(0, 0, *widget.outer_size))).split()
        broken += [(widget.id or type(widget).__name__, piece) for piece in drawn if piece not in words and "…" not in piece]
    return broken


@pytest.mark.parametrize("size", [(60, 16), (40, 12)])
async def test_the_builder_and_the_exercise_editor_never_break_a_word(make_test_app, store, size):
    app = make_test_app()
    async with app.run_test(size=size) as pilot:
        await open_builder(pilot)
        await pilot.press("tab", "tab")
        await add_step(pilot, "side")
        await pilot.pause()
        assert broken_words(app.screen) == [], broken_words(app.screen)
        await set_step(pilot, "30", "2", "10")  # back to the step list
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseEditor)
        for _ in range(6):  # down through the fields: each part of the dialog drawn in turn
            assert broken_words(app.screen) == [], broken_words(app.screen)
            await pilot.press("tab")
            await pilot.pause()


async def test_help_opens_from_a_number_field_which_cannot_type_a_question_mark(make_test_app, store):
    from tui.ui.screens.help import HelpScreen

    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_builder(pilot)
        await pilot.press("tab", "tab")
        await add_step(pilot, "side")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert focused_id(app) == "step-hold" and app.focused.value == "30"  # nothing typed into it


async def test_a_letter_typed_into_a_number_field_does_nothing_else(make_test_app, store):
    """A slip while typing a hold (x, a, q) must not remove the step, open the picker or leave the builder."""
    app = make_test_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_builder(pilot)
        await pilot.press("tab", "tab")
        await add_step(pilot, "side")
        builder = app.screen
        assert focused_id(app) == "step-hold"
        await pilot.press("end", "x", "a", "q", "5")
        await pilot.pause()
        assert app.screen is builder
        assert len(builder.draft.steps) == 1
        assert focused_id(app) == "step-hold" and app.focused.value == "305"  # only the digit went in
