"""StorageError: the one thing a screen or a command catches when the data dir lets it down.

Every error the storage layer raises on purpose derives from it: a data file that
cannot be read or written (`files.DataFileError` and its kinds), a routine or a
session that is not there (`routines.RoutineNotFound`, `journal.SessionNotFound`),
a file `status` cannot use (`glance.GlanceError`). `str()` is always one line a
user can read. Writes to the data dir turn the operating system's OSError into a
DataFileError, so a caller catches `StorageError` and nothing else; files the user
names (exports) are another matter and raise OSError naming that file.

No Textual, no other imports: `status` loads this on its quick path.
"""

from __future__ import annotations


class StorageError(Exception):
    """Something in the data dir could not be used; `str()` is one line for the user."""

