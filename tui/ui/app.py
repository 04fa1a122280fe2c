"""The Textual app and `make_app`, the one factory the command line and the tests use."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import sys
import threading
import time
from contextlib import suppress
from datetime import tzinfo
from types import FrameType
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

from textual import constants, events, work
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.content import Content
from textual.filter import LineFilter
from textual.geometry import Size
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import Widget

from tui.domain.clock import Clock, SystemClock
from tui.domain.problems import ValidationError
from tui.domain.routines import Routine
from tui.domain.settings import Settings
from tui.domain.text import safe_text
from tui.domain.zone import SystemZone
from tui.paths import styles_dir
from tui.storage.errors import StorageError
from tui.storage.library import safety_note
from tui.storage.store import Store
from tui.ui.key_queue import KeyQueue
from tui.ui.screens.menu import MenuScreen
from tui.ui.themes import THEMES
from tui.ui.user_text import HarmlessText
from tui.ui.window import MIN_HEIGHT, MIN_WIDTH, SHORT_WINDOW

if TYPE_CHECKING:
    from textual.actions import ActionParseResult

    from tui.domain.session_rows import SessionRow
    from tui.domain.trends import TrendAdvice
    from tui.ui.cues import Cues
    from textual.dom import DOMNode

    from tui.domain.announce import Announcement
    from tui.storage.recorder import SessionRecorder

RECENT_SHOWN = 3
"""How many recent sessions the menu shows (pain before and after)."""

STYLE_FILES = ("app.tcss", "menu.tcss")
"""The stylesheets read at start-up, in `styles/`: what the menu needs.

The dialogs, the hold screen, settings, journal and builder each name their own
file in `CSS_PATH` (see `screen_styles`), so start-up parses a sixth of the rules
it otherwise would. Textual reads such a file when its screen first opens, unless
`LATER_STYLE_FILES` has read it already, once the menu is up."""

LATER_STYLE_FILES = ("dialogs.tcss", "hold.tcss", "settings.tcss", "journal.tcss", "builder.tcss")
"""The screens' own stylesheets, read together soon after start-up (see STYLE_FILES)."""

LATER_STYLES_DELAY = 0.5
"""Seconds after the first frame before `LATER_STYLE_FILES` are read."""


SWITCH_INTERVAL = 0.001
"""Seconds Python lets one thread run before another may take its turn (`sys.setswitchinterval`; Python's default 0.005).

Textual writes to the terminal from a thread of its own, so a frame reaches the
screen only when that thread gets a turn. At start-up the driver queues a dozen
small writes (modes, mouse, paste) and then the app draws the menu without
pausing: with the default, each of those writes waited up to 5 ms for a turn and
the finished menu reached the terminal ~30 ms after it was drawn. 1 ms lets the
writes through as they come, here and whenever the app is busy while a cue is written."""


JOURNAL_CHECK_DELAY = 1.0
"""Seconds after start-up before the journal files are checked in the background."""


HANGUP_GRACE = 1.0
"""Seconds a clean exit may take after a hang-up before the process ends regardless."""


def _exit_soon(status: int) -> None:
    """Watchdog after a hang-up: end the process if the clean exit has not finished."""
    time.sleep(HANGUP_GRACE)
    os._exit(status)


def _collect_garbage_again() -> None:
    """After the first frame: Python's cycle collector back on, if the launcher paused it for start-up
    (`tui.launcher.main`). What start-up made is frozen first: it stays, so later collections skip it."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _is_too_small(screen: object) -> bool:
    """Whether `screen` is the size message (it cannot be before its module has loaded)."""
    module = sys.modules.get("tui.ui.screens.too_small")
    return module is not None and isinstance(screen, module.TooSmall)


def _is_help(screen: object) -> bool:
    """Whether `screen` is the help screen, without loading help just to ask (it cannot be, unloaded)."""
    help_module = sys.modules.get("tui.ui.screens.help")
    return help_module is not None and isinstance(screen, help_module.HelpScreen)


def routine_commands():
    """The palette's provider, imported only when the palette first opens (as Textual does its own)."""
    from tui.ui.commands import RoutineCommands

    return RoutineCommands


class BackreliefApp(App[int]):
    """Guides a person through stretches and keeps their journal."""

    TITLE = "backrelief"
    SUB_TITLE = "stretches for a back in spasm"
    CSS_PATH = [styles_dir() / name for name in STYLE_FILES]
    # Priority, so `?` reaches help before a focused widget that does not type it (Textual drops
    # the binding while a field that can take `?` has focus, so notes and searches still get it).
    BINDINGS = [Binding("question_mark", "help", "Help", priority=True)]
    COMMANDS = App.COMMANDS | {routine_commands}

    def __init__(self, store: Store, clock: Clock, settings: Settings,
                 start_routine: Routine | None = None, cues: Cues | None = None,
                 warnings: Sequence[str] = (), zone: tzinfo | None = None) -> None:
        super().__init__()
        self.warnings = list(warnings)
        """Problems found with the data files at start-up, to tell the user."""
        self.store = store
        """Every repository of the data dir."""
        self.clock = clock
        """Where time comes from (a fake one in tests)."""
        self.zone: tzinfo = zone or SystemZone()
        """The user's time zone, whose days plans count in (a fixed one in tests)."""
        self.settings = settings
        """The user's settings."""
        self.start_routine = start_routine
        """A routine to go straight into (`backrelief start`)."""
        self._cues = cues
        """The cues, once made (see `cues`)."""
        if cues is not None:
            cues.configure(settings)
        self.safety_text = safety_note()
        """The safety note."""
        self._window_size: Size | None = None
        """The terminal's size as last told (see `_on_resize`)."""
        self._data_file_warnings: set[str] = set()
        """Data-file problems already shown."""
        self._hanging_up = False
        """Whether a hang-up or SIGTERM is being handled."""
        self._previous_handlers: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}
        """The SIGHUP and SIGTERM handlers before the app's, put back when it ends."""
        self.recorder: SessionRecorder | None = None
        """The session under way, if any."""
        self._app_thread = threading.get_ident()
        """The thread the app runs on (set again when it starts)."""
        self._app_loop: asyncio.AbstractEventLoop | None = None
        """The app's event loop, once it runs."""
        self.trend_advice: TrendAdvice | None = None
        """What the recent journal says about seeing a clinician, once worked out (see `update_trend_advice`)."""
        self._trends_started = False
        """Whether start-up has worked out the trend advice yet: until then the menu does not ask for it."""
        self.recent_sessions: list[SessionRow] = []
        """The newest few sessions of the last weeks, newest first (read with the trend advice): the menu shows them."""
        self._harmless_text = HarmlessText()
        """The last guard on every line drawn (see `tui.ui.user_text`)."""
        self.key_queue = KeyQueue(self)
        """Keys that arrive together go to the app one at a time (see KeyQueue)."""

    # -- untrusted text (see tui.ui.user_text) -------------------------

    def get_line_filters(self) -> list[LineFilter]:
        """Textual's filters (colour, dimming) and, first, the one that keeps control sequences off the terminal."""
        return [self._harmless_text, *super().get_line_filters()]

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast, always plain text: messages carry routine names, notes and paths.

        `markup` is ignored (Widget.notify passes True by default), so no screen
        can forget it.
        """
        super().notify(safe_text(str(message)), title=safe_text(str(title), multiline=False), severity=severity,
                       timeout=timeout, markup=False)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The title bar's text: a screen's sub-title may hold a routine's name."""
        return super().format_title(safe_text(title, multiline=False), safe_text(sub_title, multiline=False))

    # -- start-up ------------------------------------------------------

    def get_default_screen(self) -> MenuScreen:
        """The menu is the bottom screen: drawn in the first frame, not pushed over an empty one."""
        return MenuScreen(self.store)

    def on_mount(self) -> None:
        self._app_thread, self._app_loop = threading.get_ident(), asyncio.get_running_loop()
        for theme in THEMES:
            self.register_theme(theme)
        self.apply_settings(self.settings)
        self.theme_changed_signal.subscribe(self, self._keep_theme)
        # A screen that opens while the window is too small goes under a fresh size message.
        self.screen_change_signal.subscribe(self, lambda _screen: self.check_size())
        self._install_signal_handlers()
        for warning in self.warnings:
            self._warn_data_file(warning)
        # After the menu is drawn: reading every month would only slow the first frame.
        self.set_timer(JOURNAL_CHECK_DELAY, self._check_journal_files)
        # Counted from the first frame, so even a slow start shows the menu first.
        self.call_after_refresh(self.set_timer, LATER_STYLES_DELAY, self._read_later_styles)
        self.call_after_refresh(_collect_garbage_again)
        self._first_steps()
        self.check_size()

    def _read_later_styles(self) -> None:
        """Read the other screens' stylesheets while the user reads the menu: they then open at once.

        Also called as a screen that needs one of them opens, if that comes first: every later
        file is then read in one go, instead of Textual reading each screen's own file as it opens
        and parsing every stylesheet again each time (`App._load_screen_css`, ~45 ms a time).
        Here only the new files are parsed: the stylesheet keeps what it parsed before."""
        paths = [styles_dir() / name for name in LATER_STYLE_FILES]
        unread = [path for path in paths if not self.stylesheet.has_source(str(path), "")]
        if unread:
            for path in unread:
                self.stylesheet.read(path)
            self.stylesheet.parse()
            self.stylesheet.update(self)

    def _warn_data_file(self, message: str) -> None:
        if message in self._data_file_warnings:
            return  # found again by a later look: said once is enough
        self._data_file_warnings.add(message)
        self.notify(message, title="A data file could not be read", severity="error", timeout=30)

    def warn_data_file(self, message: str) -> None:
        """Tell the user a data file could not be used (each message once)."""
        self._warn_data_file(message)

    def report_data_problems(self) -> None:
        """Tell the user about data files the store found unusable since the last look (each once)."""
        for message in self.store.take_problems():
            self._warn_data_file(message)

    @work(thread=True, exit_on_error=False)
    def _check_journal_files(self) -> None:
        """Off the main thread, so the menu shows at once: the trend advice from the last few weeks'
        months first (it is quick), then read every journal month once."""
        self._trend_advice_now()
        try:
            messages = self.store.check()
        except StorageError:
            return  # a month from a newer backrelief: left untouched, and the journal screen says why when opened
        for message in messages:
            self.call_from_thread(self._warn_data_file, message)

    @work
    async def _first_steps(self) -> None:
        if not self.settings.safety_acknowledged:
            from tui.ui.screens.safety import SafetyNote

            await self.push_screen_wait(SafetyNote(self.safety_text))
            # Before any session: a person with an emergency sign should hear it before a first stretch.
            if not await self._ask_warning_signs():
                self.exit(0)
                return
            # Only now: leaving at the question brings the note and the question back next time.
            self.settings = self.store.settings.change(safety_acknowledged=True)
            self.notify("The warning signs are always in help (?) and behind w in the menu.", timeout=8)
        if self.start_routine is not None:
            routine, self.start_routine = self.start_routine, None
            await self._run(routine)

    async def _ask_warning_signs(self) -> bool:
        """Ask whether an emergency or urgent warning sign applies and record the answer with its time.

        After a "yes", say what to do first; True when the person goes on, False when they quit.
        """
        from tui.domain.warning_signs import NONE_APPLIES, ScreeningAnswer, tier
        from tui.ui.screens.warning_advice import WarningSignAdvice
        from tui.ui.screens.warning_question import WarningSignQuestion

        answer = await self.push_screen_wait(WarningSignQuestion())
        try:
            self.store.screenings.add(ScreeningAnswer(at=self.clock.now(), answer=answer))
        except StorageError as error:
            self.notify(f"Your answer could not be saved: {error}", severity="warning", timeout=15, markup=False)
        if answer == NONE_APPLIES:
            return True
        going_on_to = "the session" if self.start_routine is not None else "the app"
        return await self.push_screen_wait(WarningSignAdvice(tier(answer), going_on_to))

    def _install_signal_handlers(self) -> None:
        """A hang-up or SIGTERM keeps the session under way for a later resume, then quits.

        The handler is a plain signal handler, not the event loop's: it runs even
        while the loop is stuck (say, writing to a terminal that has gone away),
        and it starts a watchdog that ends the process if a clean exit stalls.
        Every hold is on disk already; the process ending drops the session's
        owner lock, so the next start offers to resume it.
        """
        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                self._previous_handlers[sig] = signal.signal(sig, lambda number, _frame: self._on_hangup(number, loop))
        except (RuntimeError, ValueError):
            pass  # not the main thread (tests) or no signals here

    def _restore_signal_handlers(self) -> None:
        """Give the signals back as they were: the app's handlers need its event loop, which is ending."""
        for sig, previous in self._previous_handlers.items():
            with suppress(ValueError, TypeError):
                signal.signal(sig, previous)
        self._previous_handlers.clear()

    def _on_hangup(self, sig: int, loop: asyncio.AbstractEventLoop) -> None:
        if self._hanging_up:
            return
        if loop.is_closed():  # too late to leave through the app: as if no handler were set
            raise SystemExit(128 + sig)
        self._hanging_up = True
        status = 128 + sig  # the exit status says how it ended, as a shell's would
        threading.Thread(target=_exit_soon, args=(status,), daemon=True).start()
        loop.call_soon_threadsafe(self._leave_after_hangup, status)

    def _leave_after_hangup(self, status: int) -> None:
        if self.recorder is not None:
            try:
                self.recorder.interrupt(**self._typed_answers())
            except Exception:  # noqa: BLE001 - the holds are stored; leaving matters more now
                pass
        self.exit(status, return_code=status)

    # -- keys ----------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if self.key_queue.hold(event):
            return  # posted again once the keys before it have had their effect
        await super().on_event(event)

    async def run_action(self, action: str | ActionParseResult, default_namespace: DOMNode | None = None,
                         namespaces: Mapping[str, DOMNode] | None = None) -> bool:
        """Run an action, unless it belongs to a screen that is no longer on top, or the app is quitting.

        Every key binding and clickable action comes through here. A key's action may
        run a moment after the key arrived; by then its screen may have closed (its
        widgets gone) or the app may be on its way out: the action then does nothing.
        """
        if self.return_code is not None or not self._on_top(default_namespace):
            return False
        return await super().run_action(action, default_namespace, namespaces)

    def push_screen(self, screen, callback=None, wait_for_dismiss=False, *, mode=None):  # Textual's overloads, unchanged
        """Open a screen, except once the app is quitting: its widgets would never be mounted
        (a screen's `on_mount` would find none of them), and nothing would show it anyway.
        A worker waiting on it then waits until the app's end cancels it."""
        if self.return_code is not None:
            return asyncio.get_running_loop().create_future() if wait_for_dismiss else AwaitComplete()
        if isinstance(screen, Screen) and not all(self.stylesheet.has_source(str(path), "") for path in screen.css_path):
            self._read_later_styles()  # all of them now, in one parse (Textual would parse everything again)
        return super().push_screen(screen, callback, wait_for_dismiss, mode=mode)

    def _on_top(self, node: DOMNode | None) -> bool:
        """Whether `node` is the app, or on the screen on top."""
        if node is None or not isinstance(node, Widget):
            return True
        try:
            return node.is_attached and node.screen is self.screen
        except Exception:  # noqa: BLE001 - NoScreen: detached, or no screen at all
            return False

    def _typed_answers(self) -> dict[str, object]:
        """What is typed in the session's open closing dialogs (pain after, note): kept on a hang-up.

        Each such dialog says what its field holds through `typed_answer`; asked by
        name, so this module need not load the dialogs before a session does."""
        typed: dict[str, object] = {}
        for screen in self.screen_stack:
            answer = getattr(screen, "typed_answer", None)
            if callable(answer):
                try:
                    typed.update(answer())
                except Exception:  # noqa: BLE001 - a dialog half torn down: keep the rest
                    pass
        return typed

    # -- sessions ------------------------------------------------------

    @work(exclusive=True, group="session")
    async def run_session(self, routine: Routine) -> None:
        """Pain check-in, then the hold screen, for one routine."""
        await self._run(routine)

    async def _run(self, routine: Routine) -> None:
        from tui.domain.sessions import SEVERE_PAIN, safety_reason
        from tui.ui.screens.pain_checkin import PainCheckIn
        from tui.ui.screens.safety import SafetyNote

        answer = await self.push_screen_wait(PainCheckIn("before"))
        pain_before = answer if isinstance(answer, int) else None  # before a session there is no "one more rep"
        if pain_before is not None and pain_before >= SEVERE_PAIN:
            await self.push_screen_wait(SafetyNote(self.safety_text, safety_reason(pain_before, None)))
        from tui.storage.recorder import SessionRecorder  # the engine loads with the first session

        try:
            recorder = SessionRecorder.begin(self.store, self.clock, routine, self.settings.timings(), pain_before,
                                             rate_steps=self.settings.rate_stretches)
        except StorageError as error:  # the folder cannot be written at all (a full disk is kept going)
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            self.notify(f"The session cannot start: {reason}", severity="error", timeout=15, markup=False)
            return
        await self._hold(recorder)

    @work(exclusive=True, group="session")
    async def resume_session(self, session_id: str) -> None:
        """Take over an interrupted session from the hold that was under way."""
        from tui.storage.recorder import SessionRecorder

        try:
            recorder = SessionRecorder.resume(self.store, self.clock, session_id, self.settings.timings(),
                                              rate_steps=self.settings.rate_stretches)
        except StorageError as error:  # its owner file cannot be made (a read-only folder), say
            self.notify(f"The session cannot go on: {error}", severity="error", timeout=15)
            return
        if recorder is None:
            problems = self.store.active.problems.waiting()
            self.report_data_problems()  # its file may have turned out unusable: that is said instead
            if not problems:
                self.notify("That session is gone or running in another window.", severity="warning")
            return
        await self._hold(recorder)

    async def _hold(self, recorder: SessionRecorder) -> None:
        self.recorder = recorder
        try:
            from tui.ui.screens.hold import HoldScreen  # loaded when first needed: start-up stays quick

            session = await self.push_screen_wait(HoldScreen(recorder, self.settings.countdown_font))
        finally:
            self.recorder = None
        self.notify(f"Saved: {session.routine_name}, {session.holds_done} of {session.holds_planned} holds, {session.status}.")

    # -- trend advice --------------------------------------------------

    def update_trend_advice(self) -> None:
        """Work out the trend advice again, off the main thread (the menu asks each time it shows).

        Does nothing until start-up has done it once, a moment after the first
        frame: the menu's first frame must not wait on the journal.
        """
        if self._trends_started:
            self._work_out_trend_advice()

    @work(thread=True, exclusive=True, group="trends", exit_on_error=False)
    def _work_out_trend_advice(self) -> None:
        self._trend_advice_now()

    def _trend_advice_now(self) -> None:
        """Read only the last few weeks' month files and apply the trend rules (in a worker thread)."""
        from tui.domain.trends import LOOKBACK, trend_advice  # after the first frame

        now = self.clock.now()
        try:
            rows = self.store.rows((now - LOOKBACK).astimezone().date(), now)  # month summaries: no holds parsed
        except StorageError:
            # No advice from a journal that cannot be read; the journal check (or screen) says what is wrong.
            self.call_from_thread(self._show_trend_advice, None)
            return
        self.call_from_thread(self._show_trend_advice, trend_advice(rows, now), rows[:RECENT_SHOWN])

    def _show_trend_advice(self, advice: TrendAdvice | None, recent: list[SessionRow] | None = None) -> None:
        self.trend_advice = advice
        if recent is not None:
            self.recent_sessions = recent
        self._trends_started = True
        self.report_data_problems()
        for screen in self.screen_stack:
            if isinstance(screen, MenuScreen):
                screen.show_advice()
                screen.show_recent()

    @property
    def trends_ready(self) -> bool:
        """Whether start-up has read the recent weeks (trend advice, recent sessions) yet."""
        return self._trends_started

    def dismiss_trend_advice(self) -> None:
        """Hide the advice for a week (DISMISS_FOR), remembered in the settings."""
        try:
            self.settings = self.store.settings.change(advice_dismissed_at=self.clock.now().isoformat())
        except (StorageError, ValidationError) as error:
            self.notify(f"Could not remember that: {error}", severity="warning", markup=False)

    def action_warning_signs(self) -> None:
        """Show every warning sign that needs a doctor (the palette, the menu's `w`)."""
        from tui.ui.screens.warning_signs import WarningSignsScreen

        if not isinstance(self.screen, WarningSignsScreen):
            self.push_screen(WarningSignsScreen())

    # -- cues, help, size ----------------------------------------------

    async def action_quit(self) -> None:
        """Quit; with a session the disk is behind on, say on the way out what is kept and what is not."""
        recorder = self.recorder
        if recorder is not None and not recorder.retry():
            from rich.text import Text

            message = Text(f"backrelief: {recorder.where_things_stand()}")
            recorder.interrupt()  # what the disk has is kept as an interrupted session, as after a hang-up
            self.exit(return_code=1, message=message)
            return
        await super().action_quit()

    def _write_terminal(self, text: str) -> None:
        """Write raw text (a bell, a notification) to the terminal, from the app's thread or the bell ringer's."""
        driver = self._driver
        if self.is_headless or driver is None:
            return
        if (threading.get_ident() == self._app_thread or self._app_loop is None
                or getattr(driver, "_writer_thread", None) is not None):
            # A terminal driver queues writes for its own writer thread, so a ring needs nothing from
            # the event loop, and keeps its time while the loop is busy drawing.
            driver.write(text)
        else:
            # Any other driver (the browser's) writes its frames itself: one writer at a time.
            self._app_loop.call_soon_threadsafe(driver.write, text)

    @property
    def cues(self) -> Cues:
        """Sends the cue of each moment of a session: bells, notifications, speech (made when first needed)."""
        if self._cues is None:
            from tui.ui.cues import Cues  # with speech: not needed to show the menu

            self._cues = Cues(write=self._write_terminal)
            self._cues.configure(self.settings)
        return self._cues

    def cue(self, announcement: Announcement) -> None:
        """Ring the moment's bell pattern (and notify, and speak) for a moment of a session."""
        self.cues.cue(announcement)
        speaker = self.cues.speaker
        if speaker is not None and speaker.problem:
            problem, speaker.problem = speaker.problem, None
            self.notify(f"{problem} Change the speech command in settings (s).", title="Speech",
                        severity="warning", timeout=10, markup=False)

    def on_unmount(self) -> None:
        """Quitting: no ring or voice outlives the app, and the signals go back as they were."""
        if self._cues is not None:
            self._cues.close()
        self._restore_signal_handlers()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help":
            return not _is_help(self.screen)  # there `?` closes help
        return True

    def action_help(self) -> None:
        if not _is_help(self.screen):
            from tui.ui.screens.help import HelpScreen  # dialogs load when first opened: start-up stays quick

            self.push_screen(HelpScreen(self.settings, self.safety_text, self.store.data_dir.root))

    # -- settings ------------------------------------------------------

    def action_settings(self) -> None:
        """Open the settings (from the menu, `s`)."""
        from tui.ui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen(self.store.settings))

    def apply_settings(self, settings: Settings) -> None:
        """Make settings take effect at once: cues, theme, motion; timings and font apply to the next session."""
        self.settings = settings
        if self._cues is not None:  # cues made later read the settings then
            self._cues.configure(settings)
        if settings.theme in self.available_themes and settings.theme != self.theme:
            self.theme = settings.theme
        self.animation_level = "none" if settings.reduced_motion else constants.TEXTUAL_ANIMATIONS

    def _keep_theme(self, theme: Theme) -> None:
        """A theme picked in the command palette is stored like one picked in settings."""
        if theme.name != self.settings.theme:
            try:
                self.settings = self.store.settings.change(theme=theme.name)
            except (StorageError, ValidationError) as error:
                self.notify(f"The theme could not be saved: {error}", severity="warning")

    def action_journal(self) -> None:
        """Open the journal (from the menu, `J`)."""
        from tui.ui.screens.journal import JournalScreen

        if not isinstance(self.screen, JournalScreen):
            self.push_screen(JournalScreen(self.store, report=self.export_report))

    def export_report(self, screen: Screen[None]) -> None:
        """Ask where to write the report for a clinician, of the last weeks up to today (the journal's and stats' `R`)."""
        from tui.ui.screens.report_export import export_report  # loaded when first used

        export_report(screen, self.store, self.clock.now().astimezone().date(), self.zone)

    async def _on_resize(self, event: events.Resize) -> None:
        # Textual calls this, then App's own handler (each class's handler in turn, unless prevented).
        if event.size == self._window_size:
            # The terminal says again what it said: App's handler would still hand it to the screen, which
            # lays out and sends the whole screen once more. The driver says it twice at start-up, and the
            # menu went out three more times (~19 KB, nothing changed) just after its first frame.
            event.prevent_default()
            return
        self._window_size = event.size
        self.call_after_refresh(self.check_size)  # once the screen has its new size

    def check_size(self) -> None:
        """Show the 'make the window larger' message while the terminal is too small.

        The message removes itself once the terminal is large enough again
        (see TooSmall); here it is only put up, over whatever is on top.
        """
        width, height = self.size
        # A short window: dialogs drop their spacing (styles/dialogs.tcss), so their key lines stay in view.
        self.set_class(height < SHORT_WINDOW, "-short")
        if (width < MIN_WIDTH or height < MIN_HEIGHT) and not _is_too_small(self.screen):
            from tui.ui.screens.too_small import TooSmall  # loaded the first time the window is too small

            self.push_screen(TooSmall())


def make_app(store: Store, clock: Clock | None = None, settings: Settings | None = None,
             start_routine: Routine | None = None, cues: Cues | None = None,
             warnings: Sequence[str] = (), zone: tzinfo | None = None) -> BackreliefApp:
    """Build the app from an opened data dir: the command line and the tests both use this."""
    return BackreliefApp(
        store=store,
        clock=clock or SystemClock(),
        settings=settings or store.settings.load(),
        start_routine=start_routine,
        cues=cues,
        warnings=warnings,
        zone=zone,
    )
