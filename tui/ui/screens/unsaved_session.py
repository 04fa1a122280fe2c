"""UnsavedSession: a finished session the disk cannot take yet (it is full); keeps trying until it can."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer

from tui.paths import screen_styles
from tui.storage.recorder import SessionRecorder
from tui.ui.screens.confirm import ConfirmDialog
from tui.ui.user_text import PlainLabel, PlainStatic, styled
from tui.ui.screens.steady import SteadyScreen

RETRY_SECONDS = 5.0
"""How often a session the disk could not take is written again."""


class UnsavedSession(SteadyScreen, ModalScreen[bool]):
    """Dismisses with True once the journal has the session, False when the user quits without it.

    The session, pain rating and note included, stays in the recorder meanwhile:
    nothing the user typed is dropped while they free some space.
    """

    CSS_PATH = screen_styles("dialogs.tcss")

    BINDINGS = [
        Binding("r", "retry", "Try now"),
        Binding("q,escape", "leave", "Quit without saving"),
    ]

    def __init__(self, recorder: SessionRecorder) -> None:
        super().__init__()
        self.recorder = recorder
        """The ended session waiting to be saved."""
        self.attempts = 0
        """Writes tried since the dialog opened."""
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog unsaved"):  # scrolls in a small window
            yield PlainLabel("Not saved yet", classes="dialog-title")
            # markup=False: the operating system's words for the error are shown as they are.
            yield PlainStatic(self.recorder.save_problem() or "", id="unsaved-problem", classes="dialog-warning")
            yield PlainStatic("Free some space (delete or move files); this window closes by itself once the "
                         f"session is saved. Trying again every {RETRY_SECONDS:g} seconds.",
                         classes="dialog-body")
            yield PlainStatic("", id="unsaved-status", classes="dialog-body")
            yield PlainStatic(styled("[b]r[/] try now    [b]q[/] quit without saving"), classes="dialog-keys")

    def on_mount(self) -> None:
        self._timer = self.set_interval(RETRY_SECONDS, self.action_retry)

    def on_unmount(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def action_retry(self) -> None:
        """Write the session again; close once it is saved."""
        if self.app.screen is not self:
            return  # the quit question is open: its answer decides
        self.attempts += 1
        if self.recorder.retry():
            self.dismiss(True)
            return
        self.query_one("#unsaved-problem", PlainStatic).update(self.recorder.save_problem() or "")
        tries = "once" if self.attempts == 1 else f"{self.attempts} times"
        self.query_one("#unsaved-status", PlainStatic).update(f"Tried again {tries}: still not saved.")

    @work
    async def action_leave(self) -> None:
        quit_anyway = await self.app.push_screen_wait(ConfirmDialog(
            "Quit without saving?", self.recorder.where_things_stand(), "Quit", "Keep trying"))
        if quit_anyway and self.recorder.retry():
            self.dismiss(True)  # space came back meanwhile: saved after all
        elif quit_anyway:
            self.dismiss(False)
