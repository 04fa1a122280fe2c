"""The Textual app and `make_app`, the one factory the command line and the tests use."""

from __future__ import annotations

import asyncio
import os
import signal

from textual import events, work
from textual.app import App
from textual.binding import Binding

from tui.domain.clock import Clock, SystemClock
from tui.domain.routines import Routine
from tui.domain.sessions import SEVERE_PAIN, safety_reason
from tui.domain.settings import Settings
from tui.paths import styles_dir
from tui.storage.library import safety_note
from tui.storage.recorder import SessionRecorder
from tui.storage.store import Store
from tui.ui.cues import Cues
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.hold import HoldScreen
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.pain_checkin import PainCheckIn
from tui.ui.screens.safety import SafetyNote
from tui.ui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmall

STYLE_FILES = ("app.tcss", "dialogs.tcss", "menu.tcss", "hold.tcss")
"""The app's stylesheets, in `styles/`."""


class BackreliefApp(App[int]):
    """Guides a person through stretches and keeps their journal."""

    TITLE = "backrelief"
    SUB_TITLE = "stretches for a back in spasm"
    CSS_PATH = [styles_dir() / name for name in STYLE_FILES]
    BINDINGS = [Binding("question_mark", "help", "Help", show=False)]

    def __init__(self, store: Store, clock: Clock, settings: Settings,
                 start_routine: Routine | None = None, cues: Cues | None = None) -> None:
        super().__init__()
        self.store = store
        """Every repository of the data dir."""
        self.clock = clock
        """Where time comes from (a fake one in tests)."""
        self.settings = settings
        """The user's settings."""
        self.start_routine = start_routine
        """A routine to go straight into (`backrelief start`)."""
        self.cues = cues or Cues(write=self._write_terminal, bell=settings.bell, notifications=settings.notifications)
        """Sends phase-change cues to the terminal."""
        self.safety_text = safety_note()
        """The safety note."""
        self.recorder: SessionRecorder | None = None
        """The session under way, if any."""

    # -- start-up ------------------------------------------------------

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self._install_signal_handlers()
        self.push_screen(MenuScreen())
        self._first_steps()
        self.check_size()

    @work
    async def _first_steps(self) -> None:
        if not self.settings.safety_acknowledged:
            await self.push_screen_wait(SafetyNote(self.safety_text))
            self.settings = self.store.settings.change(safety_acknowledged=True)
        if self.start_routine is not None:
            routine, self.start_routine = self.start_routine, None
            await self._run(routine)

    def _install_signal_handlers(self) -> None:
        """A hang-up or SIGTERM keeps the session under way for a later resume, then quits."""
        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._on_hangup, sig)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # not the main thread (tests) or no signals here

    def _on_hangup(self, sig: int) -> None:
        if self.recorder is not None:
            self.recorder.interrupt()
        # The terminal may be gone: leave at once if a clean exit cannot finish.
        loop = asyncio.get_running_loop()
        loop.call_later(1.0, os._exit, 128 + sig)
        self.exit(128 + sig)

    # -- sessions ------------------------------------------------------

    @work(exclusive=True, group="session")
    async def run_session(self, routine: Routine) -> None:
        """Pain check-in, then the hold screen, for one routine."""
        await self._run(routine)

    async def _run(self, routine: Routine) -> None:
        pain_before = await self.push_screen_wait(PainCheckIn("before"))
        if pain_before is not None and pain_before >= SEVERE_PAIN:
            await self.push_screen_wait(SafetyNote(self.safety_text, safety_reason(pain_before, None)))
        recorder = SessionRecorder.begin(self.store, self.clock, routine, self.settings.timings(), pain_before)
        await self._hold(recorder)

    @work(exclusive=True, group="session")
    async def resume_session(self, session_id: str) -> None:
        """Take over an interrupted session from the hold that was under way."""
        recorder = SessionRecorder.resume(self.store, self.clock, session_id, self.settings.timings())
        if recorder is None:
            self.notify("That session is gone or running in another window.", severity="warning")
            return
        await self._hold(recorder)

    async def _hold(self, recorder: SessionRecorder) -> None:
        self.recorder = recorder
        try:
            session = await self.push_screen_wait(HoldScreen(recorder, self.settings.countdown_font))
        finally:
            self.recorder = None
        self.notify(f"Saved: {session.routine_name}, {session.holds_done} of {session.holds_planned} holds, {session.status}.")

    # -- cues, help, size ----------------------------------------------

    def _write_terminal(self, text: str) -> None:
        if not self.is_headless and self._driver is not None:
            self._driver.write(text)

    def cue(self, title: str, body: str) -> None:
        """Ring the bell (and notify) for a phase change."""
        self.cues.cue(title, body)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def _on_resize(self, event: events.Resize) -> None:
        # App's own resize handler stops the event, so hook in here and check once the size has settled.
        await super()._on_resize(event)
        self.call_after_refresh(self.check_size)

    def check_size(self) -> None:
        """Show the 'make the window larger' message while the terminal is too small.

        The message removes itself once the terminal is large enough again
        (see TooSmall); here it is only put up, and only once.
        """
        width, height = self.size
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            if not any(isinstance(screen, TooSmall) for screen in self.screen_stack):
                self.push_screen(TooSmall())


def make_app(store: Store, clock: Clock | None = None, settings: Settings | None = None,
             start_routine: Routine | None = None, cues: Cues | None = None) -> BackreliefApp:
    """Build the app from an opened data dir: the command line and the tests both use this."""
    return BackreliefApp(
        store=store,
        clock=clock or SystemClock(),
        settings=settings or store.settings.load(),
        start_routine=start_routine,
        cues=cues,
    )
