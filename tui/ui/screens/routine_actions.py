"""What the routine menu's keys n, e, d, x, i and o do: new, edit, duplicate, delete, import, export.

Kept out of `menu.py` so the menu reads as a list of routines and keys. Each
function takes the menu screen; the ones that ask first run as a worker of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.domain.problems import ValidationError
from tui.domain.routines import Routine
from tui.storage.errors import StorageError
from tui.storage.routine_files import export_routine_file, import_routine_file
from tui.ui.screens.builder import RoutineBuilder
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.routine_file_dialog import RoutineFileDialog
from tui.ui.user_text import styled

if TYPE_CHECKING:
    from tui.ui.screens.menu import MenuScreen

def _message(error: Exception) -> str:
    if isinstance(error, LookupError) and error.args:
        return str(error.args[0])
    return str(error)


def _open_builder(menu: MenuScreen, routine: Routine | None) -> None:
    def done(saved: Routine | None) -> None:
        if saved is not None:
            menu.select_routine(saved.id)

    menu.app.push_screen(RoutineBuilder(routine), done)


def new_routine(menu: MenuScreen) -> None:
    """Open the builder on an empty routine."""
    _open_builder(menu, None)


def _duplicate(menu: MenuScreen, routine: Routine) -> Routine | None:
    try:
        copy = menu.app.store.routines.duplicate(routine.id)
    except (StorageError, ValidationError) as error:
        menu.notify(f"Could not duplicate {routine.name!r}: {_message(error)}", severity="error")
        return None
    menu.select_routine(copy.id)
    return copy


def edit_routine(menu: MenuScreen, routine: Routine | None) -> None:
    """Open the builder on a custom routine; a built-in one is offered as a copy to edit."""
    if routine is None:
        return
    if not routine.builtin:
        _open_builder(menu, routine)
        return

    async def offer_copy() -> None:
        make_copy = await menu.app.push_screen_wait(ConfirmDialog(
            "Built-in routine",
            styled("[b]$name[/] is built in and read-only. Make your own copy and edit that?", name=routine.name),
            "Duplicate and edit", "Cancel",
        ))
        if make_copy:
            copy = _duplicate(menu, routine)
            if copy is not None:
                menu.notify(f"Made {copy.name!r}: your own copy to change.", timeout=3)
                _open_builder(menu, copy)

    menu.run_worker(offer_copy(), exclusive=True, group="routine-actions")


def duplicate_routine(menu: MenuScreen, routine: Routine | None) -> None:
    """Store a copy of the selected routine and select it."""
    if routine is None:
        return
    copy = _duplicate(menu, routine)
    if copy is not None:
        menu.notify(f"Duplicated as {copy.name!r}. Press e to change it.", timeout=3)


def delete_routine(menu: MenuScreen, routine: Routine | None) -> None:
    """Delete the selected custom routine, after asking."""
    if routine is None:
        return
    if routine.builtin:
        menu.notify(f"{routine.name!r} is built in and cannot be deleted.", severity="warning")
        return

    async def ask_then_delete() -> None:
        sure = await menu.app.push_screen_wait(ConfirmDialog(
            "Delete routine?",
            styled("Delete [b]$name[/]? Sessions of it stay in your journal. This cannot be undone.", name=routine.name),
            "Delete", "Keep it",
        ))
        if not sure:
            return
        try:
            menu.app.store.routines.delete(routine.id)
        except (StorageError, ValidationError) as error:
            menu.notify(f"Could not delete {routine.name!r}: {_message(error)}", severity="error")
            return
        menu.reload()
        menu.notify(f"Deleted {routine.name!r}.", timeout=3)

    menu.run_worker(ask_then_delete(), exclusive=True, group="routine-actions")


def import_routine(menu: MenuScreen) -> None:
    """Ask for a routine file, check and store it, and select the new routine."""
    imported: list[Routine] = []

    def attempt(path: Path, as_copy: bool) -> str:
        routine = import_routine_file(menu.app.store.routines, path, as_copy=as_copy)
        imported.append(routine)
        return f"Imported {routine.name!r} ({len(routine.steps)} steps)."

    def done(message: str | None) -> None:
        if message is not None:
            menu.select_routine(imported[-1].id)
            menu.notify(message, timeout=3)

    menu.app.push_screen(RoutineFileDialog(
        "Import a routine file",
        f"The path of a routine file (JSON, as `backrelief routines export` writes). Relative to {Path.cwd()}.",
        attempt,
    ), done)


def export_routine(menu: MenuScreen, routine: Routine | None) -> None:
    """Ask for a path and write the selected routine's file there."""
    if routine is None:
        return

    def attempt(path: Path, replace: bool) -> str:
        written = export_routine_file(menu.app.store.routines, routine.id, path, replace, wait_for_reader=False)
        return f"Exported {routine.name!r} to {written}."

    def done(message: str | None) -> None:
        if message is not None:
            menu.notify(message, timeout=4)

    menu.app.push_screen(RoutineFileDialog(
        f"Export {routine.name}",
        f"Where to write the routine file. Relative to {Path.cwd()}.",
        attempt, path=f"{routine.id}.json",
    ), done)
