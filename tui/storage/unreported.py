"""Unreported: messages about data that could not be used, kept until the UI or the CLI says them.

Repositories find unusable files while they read, often on a worker thread (the app
reads the journal off the main thread), and the caller that tells the user runs on
another. One lock guards the list, so a message added while another thread takes
the list is neither lost nor said twice.
"""

from __future__ import annotations

import threading


class Unreported:
    """A thread-safe list of messages not yet reported; each message is kept once until taken."""

    def __init__(self) -> None:
        self._messages: list[str] = []
        self._lock = threading.Lock()

    def add(self, message: str) -> None:
        """Keep a message to report (a repeat of one still waiting is dropped: said once is enough)."""
        with self._lock:
            if message not in self._messages:
                self._messages.append(message)

    def take(self) -> list[str]:
        """The messages kept since the last call, oldest first; the list is empty afterwards."""
        with self._lock:
            messages, self._messages = self._messages, []
        return messages

    def waiting(self) -> list[str]:
        """The messages kept so far, left in place for the next `take`."""
        with self._lock:
            return list(self._messages)
