"""ReminderLog: which slot of each plan `backrelief remind` last told the user about.

A timer may run `remind` every few minutes and a shell prompt on every
command: each slot must be told once. Claiming a slot is one transaction, so
two `remind`s at the same moment tell it once between them.
"""

from __future__ import annotations

from collections.abc import Mapping

from tui.storage.datadir import DataDir
from tui.storage.files import document, transaction

TABLE = "told"
"""The table holding one document: routine id -> the slot last told."""


class ReminderLog:
    """Remembers, per routine, the last slot a reminder went out for."""

    def __init__(self, data_dir: DataDir) -> None:
        self.data_dir = data_dir
        """Where the reminders file lives."""

    def claim(self, slots: Mapping[str, str]) -> list[str]:
        """Of `slots` (routine id -> slot key, see `Progress.slot_key`), mark the ones not told yet as told.

        Returns the routine ids whose slot was new, in the order given: those are
        the ones to remind of now.
        """
        with transaction(self.data_dir.reminders) as db:
            table = db.table(TABLE)
            told = dict(table.get(doc_id=1) or {})
            new = [routine_id for routine_id, key in slots.items() if told.get(routine_id) != key]
            if new:
                told.update({routine_id: slots[routine_id] for routine_id in new})
                table.upsert(document(told, doc_id=1))
        return new
