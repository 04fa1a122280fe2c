"""RoutineActions: what a routine list's keys n, e, d, x, i and o do: new, edit, duplicate, delete, import, export.

Kept out of `menu.py` so the menu reads as a list of routines and keys. The
menu hands over what the actions need (the screen to open dialogs over, the
routines, and how to show a routine afterwards); nothing here imports the menu.
The actions that ask first run as a worker of that screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from textual.screen import Screen

from tui.domain.problems import ValidationError
from tui.domain.routines import Routine
from tui.storage.errors import StorageError
from tui.storage.routine_files import export_routine_file, import_routine_file
from tui.storage.routines import RoutineRepository
from tui.ui.screens.builder import RoutineBuilder
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.screens.routine_file_dialog import RoutineFileDialog
from tui.ui.user_text import styled


def _message(error: Exception) -> str:
    if isinstance(error, LookupError) and error.args:
        return str(error.args[0])
    return str(error)


class RoutineActions:
    """New, edit, duplicate, delete, import and export, for a screen that lists routines."""

    def __init__(self, screen: Screen[Any], routines: RoutineRepository, show: Callable[[str | None], None]) -> None:
        self.screen = screen
        """The screen the dialogs open over, whose workers ask the questions, and which shows the messages."""
        self.routines = routines
        """Where routines are stored."""
        self.show = show
        """Read the routines again and put the cursor on the one with this id (None: wherever it was)."""

    def _open_builder(self, routine: Routine | None) -> None:
        def done(saved: Routine | None) -> None:
            if saved is not None:
                self.show(saved.id)

        self.screen.app.push_screen(RoutineBuilder(self.routines, routine), done)

    def new_routine(self) -> None:
        """Open the builder on an empty routine."""
        self._open_builder(None)

    def _duplicate(self, routine: Routine) -> Routine | None:
        try:
            copy = self.routines.duplicate(routine.id)
        except (StorageError, ValidationError) as error:
            self.screen.notify(f"Could not duplicate {routine.name!r}: {_message(error)}", severity="error")
            return None
        self.show(copy.id)
        return copy

    def edit_routine(self, routine: Routine | None) -> None:
        """Open the builder on a custom routine; a built-in one is offered as a copy to edit."""
        if routine is None:
            return
        if not routine.builtin:
            self._open_builder(routine)
            return
        screen = self.screen

        async def offer_copy() -> None:
            make_copy = await screen.app.push_screen_wait(ConfirmDialog(
                "Built-in routine",
                styled("[b]$name[/] is built in and read-only. Make your own copy and edit that?", name=routine.name),
                "Duplicate and edit", "Cancel",
            ))
            if make_copy:
                copy = self._duplicate(routine)
                if copy is not None:
                    screen.notify(f"Made {copy.name!r}: your own copy to change.", timeout=3)
                    self._open_builder(copy)

        screen.run_worker(offer_copy(), exclusive=True, group="routine-actions")

    def duplicate_routine(self, routine: Routine | None) -> None:
        """Store a copy of the selected routine and select it."""
        if routine is None:
            return
        copy = self._duplicate(routine)
        if copy is not None:
            self.screen.notify(f"Duplicated as {copy.name!r}. Press e to change it.", timeout=3)

    def delete_routine(self, routine: Routine | None) -> None:
        """Delete the selected custom routine, after asking."""
        if routine is None:
            return
        screen = self.screen
        if routine.builtin:
            screen.notify(f"{routine.name!r} is built in and cannot be deleted.", severity="warning")
            return

        async def ask_then_delete() -> None:
            sure = await screen.app.push_screen_wait(ConfirmDialog(
                "Delete routine?",
                styled("Delete [b]$name[/]? Sessions of it stay in your journal. This cannot be undone.", name=routine.name),
                "Delete", "Keep it",
            ))
            if not sure:
                return
            try:
                self.routines.delete(routine.id)
            except (StorageError, ValidationError) as error:
                screen.notify(f"Could not delete {routine.name!r}: {_message(error)}", severity="error")
                return
            self.show(None)
            screen.notify(f"Deleted {routine.name!r}.", timeout=3)

        screen.run_worker(ask_then_delete(), exclusive=True, group="routine-actions")

    def import_routine(self) -> None:
        """Ask for a routine file, check and store it, and select the new routine."""
        imported: list[Routine] = []

        def attempt(path: Path, as_copy: bool) -> str:
            routine = import_routine_file(self.routines, path, as_copy=as_copy)
            imported.append(routine)
            return f"Imported {routine.name!r} ({len(routine.steps)} steps)."

        def done(message: str | None) -> None:
            if message is not None:
                self.show(imported[-1].id)
                self.screen.notify(message, timeout=3)

        self.screen.app.push_screen(RoutineFileDialog(
            "Import a routine file",
            f"The path of a routine file (JSON, as `backrelief routines export` writes). Relative to {Path.cwd()}.",
            attempt,
        ), done)

    def export_routine(self, routine: Routine | None) -> None:
        """Ask for a path and write the selected routine's file there."""
        if routine is None:
            return

        def attempt(path: Path, replace: bool) -> str:
            written = export_routine_file(self.routines, routine.id, path, replace, wait_for_reader=False)
            return f"Exported {routine.name!r} to {written}."

        def done(message: str | None) -> None:
            if message is not None:
                self.screen.notify(message, timeout=4)

        self.screen.app.push_screen(RoutineFileDialog(
            f"Export {routine.name}",
            f"Where to write the routine file. Relative to {Path.cwd()}.",
            attempt, path=f"{routine.id}.json",
        ), done)
