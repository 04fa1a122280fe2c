"""RoutineCommands: what the command palette (ctrl+p) offers besides Textual's own commands.

Start any routine by typing its name, open the journal, build a new routine,
change settings, read help. The screens are reached through the app's and the
menu's actions, so the palette does exactly what their keys do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from textual.style import Style
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from tui.domain.plan import format_duration, routine_seconds
from tui.domain.text import safe_text
from tui.storage.errors import StorageError
from tui.storage.store import Store
from tui.ui.screens.hold import HoldScreen
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.pain_checkin import PainCheckIn
from tui.ui.user_text import highlighted, plain

if TYPE_CHECKING:
    from tui.ui.app import BackreliefApp


@dataclass(frozen=True)
class PaletteCommand:
    """One entry of the palette."""

    text: str
    """What the user sees and types (a routine's name in it is made harmless)."""
    run: Callable[[], None]
    """What choosing it does."""
    help: str
    """One line under it."""


class RoutineCommands(Provider):
    """Routines by name, and the app's screens."""

    def __init__(self, screen: Screen[Any], match_style: Style | None = None) -> None:
        super().__init__(screen, match_style)
        self.commands: list[PaletteCommand] = []
        """The entries offered this time the palette is open."""

    @property
    def backrelief(self) -> BackreliefApp:
        """The app, typed (Textual's `app` is any App): the palette only ever opens in this one."""
        from tui.ui.app import BackreliefApp  # loaded already: this module loads when the palette opens

        app = self.app
        assert isinstance(app, BackreliefApp)
        return app

    @property
    def store(self) -> Store:
        """The data dir's repositories: the routines the palette offers."""
        return self.backrelief.store

    async def startup(self) -> None:
        """Read the routines once per opening of the palette."""
        self.commands = self._commands()

    def _commands(self) -> list[PaletteCommand]:
        app = self.backrelief
        store = self.store
        try:
            exercises = store.routines.exercises()
            routines = store.routines.list()
        except StorageError:
            routines = []  # no routines to offer, but the screens still are
        timings = app.settings.timings()
        commands = [
            PaletteCommand(
                f"Start {safe_text(routine.name, multiline=False)}", partial(self.start, routine.id),
                f"{len(routine.steps)} steps, {format_duration(routine_seconds(routine, exercises, timings))}"
                f"{', built-in' if routine.builtin else ''}",
            )
            for routine in routines
        ]
        commands += [
            PaletteCommand("Journal", self.open_journal, "Your sessions, pain trend and stats"),
            PaletteCommand("New routine", self.new_routine, "Build your own routine"),
            PaletteCommand("Settings", app.action_settings, "Get-ready time, bell, notifications, font, theme"),
            PaletteCommand("Help", app.action_help, "Every key, the safety note, where your data lives"),
            PaletteCommand("Warning signs", app.action_warning_signs,
                           "Signs that need a doctor: emergency, urgent, soon"),
        ]
        return commands

    async def discover(self) -> Hits:
        """Everything, before anything is typed."""
        for command in self.commands:
            # A str prompt would be read as markup: a name is shown as it is.
            yield DiscoveryHit(plain(command.text), command.run, text=command.text, help=command.help)

    async def search(self, query: str) -> Hits:
        """The entries that match what was typed, best first."""
        matcher = self.matcher(query)
        for command in self.commands:
            score = matcher.match(command.text)
            if score > 0:
                yield Hit(score, highlighted(matcher, command.text), command.run, text=command.text, help=command.help)

    # -- what the entries do -------------------------------------------

    def _session_under_way(self) -> bool:
        app = self.backrelief
        return app.recorder is not None or any(isinstance(s, (HoldScreen, PainCheckIn)) for s in app.screen_stack)

    def start(self, routine_id: str) -> None:
        """Start a routine, as `enter` on the menu does; never a second session over the first."""
        app = self.backrelief
        if self._session_under_way():
            app.notify("A session is under way: finish or stop it first.", severity="warning")
            return
        try:
            routine = self.store.routines.get(routine_id)
        except StorageError:
            app.notify("That routine is gone: it was deleted in another window.", severity="warning")
            return
        app.run_session(routine)

    def open_journal(self) -> None:
        """The journal, through the app's action."""
        self.backrelief.action_journal()

    def new_routine(self) -> None:
        """The builder with a new routine, through the menu's action."""
        menu = next((s for s in self.app.screen_stack if isinstance(s, MenuScreen)), None)
        action = getattr(menu, "action_new_routine", None)
        if action is None:
            self.app.notify("The routine builder is not available here.", severity="warning")
            return
        action()
