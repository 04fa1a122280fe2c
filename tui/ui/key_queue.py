"""KeyQueue: keys that arrive together reach the app one at a time, each after the last has had its effect.

A terminal read can hold several keys: a fast typist, a paste of keys, or a
laggy SSH link that batches what was typed. Textual's driver posts every key
of one read to the app at once, and the app routes each key as it comes: to
the widget focused *now*, against the bindings of the screen on top *now*.
The effects of a key arrive later, as messages of their own: a screen pushed
or dismissed, focus moved to another field. So in `Tab BSpace 3`, the
backspace and the 3 go to the field that had focus before the tab; after `q`
(quit) an `s` still opens the settings screen on an app that is closing.

The queue restores the rule a user expects: keys typed together do what the
same keys do typed one by one. A key that arrives while an earlier one is
still having its effect waits here. It goes to the app once the app and
every message pump of the screen on top have nothing left queued or in hand,
the screen stack and the focus have stopped changing, and no worker is
waiting to start (a session's check-in is pushed by a worker). A key arriving
at a quiet app goes through at once, and one that follows a finished key
waits only for a couple of turns of the event loop. Waiting is bounded
(`SETTLE_SECONDS`): a screen that never goes quiet delays keys, never drops
them. Once the app is quitting, waiting keys are dropped: nothing is left to
receive them.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING

from textual import events
from textual.worker import WorkerState

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

SETTLE_SECONDS = 5.0
"""Longest a waiting key is held for the previous key's effects to finish.

Opening a screen for the first time takes a few hundred milliseconds on a busy
machine; nothing in the app stays busy for longer, so this is only a bound."""


class KeyQueue:
    """Holds the keys (and pastes) that arrive while an earlier key is still having its effect."""

    def __init__(self, app: App) -> None:
        self.app = app
        """The app the keys go to."""
        self._waiting: deque[events.Event] = deque()
        """Keys that arrived while another was in flight, oldest first."""
        self._released: events.Event | None = None
        """The key handed back to the app just now, to let through when it comes round."""
        self._task: asyncio.Task[None] | None = None
        """The task waiting for the key in flight to settle, while one is."""
        self.late = 0
        """How many times a key went on before the app had settled (`SETTLE_SECONDS` passed)."""

    @property
    def idle(self) -> bool:
        """Whether no key is waiting or in flight."""
        return self._task is None and not self._waiting

    def hold(self, event: events.Event) -> bool:
        """Whether the app should leave `event` for now: True when it waits here to be posted again later.

        Called by the app for every event it receives; only keys and pastes from
        the terminal (not ones bubbling back up from a widget) are ever held.
        """
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            return False
        if event is self._released:
            self._released = None
            return False
        if self._task is not None:
            self._waiting.append(event)
            return True
        self._task = asyncio.get_running_loop().create_task(self._deliver_in_turn())
        return False

    async def _deliver_in_turn(self) -> None:
        """Wait for the key in flight to settle, then hand the app the next waiting key; until none is left."""
        try:
            while True:
                await self._settle()
                if not self._waiting:
                    return
                if self._quitting:
                    self._waiting.clear()
                    return
                self._released = self._waiting.popleft()
                self.app.post_message(self._released)
        except Exception:  # noqa: BLE001 - never lose keys to a failure here: deliver what is left
            while self._waiting:
                self.app.post_message(self._waiting.popleft())
            raise
        finally:
            self._task = None

    @property
    def _quitting(self) -> bool:
        return self.app.return_code is not None or not self.app.is_running

    def _pumps(self) -> list[MessagePump]:
        """The app and everything on the screen on top: where a key's effects happen."""
        try:
            return [self.app, *self.app.screen.walk_children(with_self=True)]
        except Exception:  # noqa: BLE001 - no screen (starting or closing): the app alone
            return [self.app]

    def _state(self) -> tuple[object, ...]:
        """What a key may change that the next key's routing depends on."""
        try:
            screen = self.app.screen
        except Exception:  # noqa: BLE001 - no screen (starting or closing)
            screen = None
        starting = any(worker.state is WorkerState.PENDING for worker in self.app.workers)
        return (tuple(self.app.screen_stack), screen, self.app.focused, starting)

    async def _settle(self) -> None:
        """Return once the app has worked through the last key's effects (or `SETTLE_SECONDS` have passed).

        Settled means: twice in a row, one turn of the event loop apart, no pump
        has anything queued or in hand, no worker is about to start, and the
        screen stack and focus are as they were. While some pumps are busy, this
        waits for just those to work through what they have.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_SECONDS
        quiet = 0
        while loop.time() < deadline and not self._quitting:
            before = self._state()
            busy = [pump for pump in self._pumps() if _unfinished(pump)]
            if busy or before[-1]:
                quiet = 0
                await _round_trip(busy, deadline - loop.time())
                await asyncio.sleep(0)  # a worker about to start gets its turn
                continue
            await asyncio.sleep(0)  # what a pump does after its last message (idle handlers) gets its turn
            quiet = quiet + 1 if self._state() == before else 0
            if quiet == 2:
                return
        if not self._quitting:
            self.late += 1


def _unfinished(pump: MessagePump) -> int:
    """Messages `pump` has queued or is handling right now.

    A key bubbles from the focused widget up through its parents, each posting
    it on to the next: between two looks, the only sign of it may be a parent
    in the middle of handling it, with nothing queued. asyncio's queue counts
    those (`join` waits for them); Textual names only the queued ones.
    """
    queue = getattr(pump, "_message_queue", None)
    return getattr(queue, "_unfinished_tasks", None) or pump.message_queue_size


async def _round_trip(pumps: list[MessagePump], timeout: float) -> None:
    """Wait until each pump has handled every message it had when this was called."""
    loop = asyncio.get_running_loop()
    handled = []
    for pump in pumps:
        future: asyncio.Future[None] = loop.create_future()
        if pump.call_later(lambda future=future: future.done() or future.set_result(None)):
            handled.append(future)  # a closed pump takes no callback, and has nothing left to do
    if handled:
        await asyncio.wait(handled, timeout=max(0.0, timeout))
