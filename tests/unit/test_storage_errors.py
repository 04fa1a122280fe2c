"""Storage errors share one base class, so a screen or a command catches one thing."""

from __future__ import annotations

import pytest

from tui.storage.errors import StorageError
from tui.storage.files import CorruptDataFile, DataFileError, NewerDataFile, UnsafeDataFile
from tui.storage.glance import GlanceError
from tui.storage.journal import SessionNotFound
from tui.storage.routines import RoutineNotFound


@pytest.mark.parametrize("kind", [DataFileError, CorruptDataFile, NewerDataFile, UnsafeDataFile,
                                  RoutineNotFound, SessionNotFound, GlanceError])
def test_every_storage_error_is_a_storage_error(kind):
    assert issubclass(kind, StorageError)


def test_not_found_is_still_a_lookup_error_and_reads_as_its_message(store):
    with pytest.raises(LookupError) as raised:
        store.routines.get("no-such-routine")
    assert isinstance(raised.value, StorageError)
    with pytest.raises(StorageError) as missing:
        store.get_session("no-such-session")
    assert str(missing.value) == "no session with the id 'no-such-session'"
