"""Finishing a session appends it to its month file: the sessions there are not rewritten, and no crash,
kill or full disk leaves the month half-written or loses one of them (tui/storage/lines.py)."""

from __future__ import annotations

import errno
import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from tinydb import TinyDB

from tui.domain.plan import Timings
from tui.domain.sessions import HoldRecord, Session
from tui.storage import files, glance
from tui.storage.files import DataFileError, read_all
from tui.storage.journal import month_file, summary_file
from tui.storage.recorder import SessionRecorder
from tui.storage.store import Store

UTC = timezone.utc
MONTH = datetime(2026, 1, 2, 8, tzinfo=UTC)
"""When the month's first session started."""


def session(sid: str, started: datetime, **changes) -> Session:
    """A logged session with two holds."""
    base = Session(
        id=sid, routine_id="back-spasm-relief", routine_name="Back spasm relief",
        started_at=started, ended_at=started + timedelta(minutes=10), status="logged", holds_planned=2,
        holds=(HoldRecord("pelvic-tilt", None, 1, 10, 10.5, True), HoldRecord("cat-cow", None, 1, 20, 20.0, True)),
        pain_before=5, pain_after=3, note=f"note of {sid}",
    )
    return replace(base, **changes)


def a_month(store: Store, count: int = 3) -> Path:
    """A month file of `count` sessions, as finishing them one by one leaves it."""
    for i in range(count):
        store.journal.add(session(f"s{i}", MONTH + timedelta(days=i)))
    return month_file(store.data_dir, MONTH)


def ids(store_or_root) -> list[str]:
    """The ids a fresh reader of the data dir finds, oldest first."""
    root = store_or_root.data_dir.root if isinstance(store_or_root, Store) else store_or_root
    return sorted(s.id for s in Store.open(root).journal.list())


def test_finishing_a_session_leaves_the_sessions_before_it_byte_for_byte(store, clock):
    path = a_month(store)
    before, inode = path.read_bytes(), path.stat().st_ino
    recorder = SessionRecorder.begin(store, clock, store.routines.get("back-spasm-relief"), Timings())
    recorder.start()
    recorder.stop()
    finished = recorder.finish(pain_after=2, note="done")
    assert recorder.saved and month_file(store.data_dir, finished.started_at) == path  # the clock is in that month
    after = path.read_bytes()
    # The same file, the old bytes all still there but the closing braces (now blank), the new session after them.
    assert path.stat().st_ino == inode
    assert after[:len(before) - 3] == before[:-3] and after[len(before) - 3:len(before)] == b"  \n"
    assert finished.id.encode() in after[len(before):]
    # Still one JSON object that stock TinyDB reads, every session in it.
    with TinyDB(path, access_mode="r") as db:
        assert finished.id in {doc["id"] for doc in db.table("sessions").all()}
    assert json.loads(after)["_meta"] == {"schema": 1}


def test_appends_keep_the_summary_current_so_listing_reads_no_month(store, monkeypatch):
    path = a_month(store, 4)
    store.journal.add(session("late", MONTH + timedelta(days=20)))
    store.journal.add(session("early", MONTH - timedelta(hours=1)))  # same month, older than the rest
    summary = json.loads(summary_file(path).read_text())
    assert summary["source"][2] == path.stat().st_size and summary["next_id"] == 7
    opened = []
    real = files._read_bytes
    monkeypatch.setattr(files, "_read_bytes", lambda p: opened.append(Path(p).name) or real(p))
    rows = [row.id for month in Store.open(store.data_dir.root).rows_by_month() for row in month]
    assert rows == ["late", "s3", "s2", "s1", "s0", "early"]
    assert path.name not in opened  # the summary vouched for the month


@pytest.mark.parametrize("point", [1, 2, 40, -6, -4, -3, -1, 0])
def test_an_append_cut_short_anywhere_reads_as_the_month_before_it_and_the_next_write_mends_it(store, point):
    path = a_month(store)
    before = path.read_bytes()
    store.journal.add(session("new", MONTH + timedelta(days=9)))
    tail = path.read_bytes()[len(before):]  # what the first of the two writes put after the old end
    # Killed (or the power lost) after `point` bytes of the first write, before the second one.
    path.write_bytes(before + tail[:point] if point else before + tail)
    for reader in (Store.open(store.data_dir.root), Store.open(store.data_dir.root)):
        assert sorted(s.id for s in reader.journal.list()) == ["s0", "s1", "s2"]
        assert reader.take_problems() == []
    assert [r.id for r in Store.open(store.data_dir.root).journal.month_rows(path)] == ["s2", "s1", "s0"]
    assert not list(path.parent.glob("*.corrupt-*"))  # nothing moved aside: nothing was damaged
    counted = glance._count_month(str(path), UTC)  # `status` reads it without a lock, as it was too
    assert counted is not None and len(counted["done"]["back-spasm-relief"]) == 3
    # The next finish writes the month whole again, the unfinished one left out, nothing lost.
    store.journal.add(session("next", MONTH + timedelta(days=10)))
    assert ids(store) == ["next", "s0", "s1", "s2"]
    json.loads(path.read_bytes())  # plain JSON again
    assert store.journal.add(session("after", MONTH + timedelta(days=11)))
    assert ids(store) == ["after", "next", "s0", "s1", "s2"]


def test_a_damaged_month_is_still_moved_aside_not_cut(store):
    path = a_month(store)
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"holds": [', b'"holds": [[', 1))  # damage in a line of the middle
    reader = Store.open(store.data_dir.root)
    assert reader.journal.list() == []
    assert len(list(path.parent.glob("*.corrupt-*"))) == 1 and reader.take_problems()


@pytest.mark.parametrize("which", [1, 2])
def test_a_failed_write_at_either_step_leaves_the_month_whole_and_a_retry_stores_the_session_once(store, monkeypatch,
                                                                                                 which):
    path = a_month(store)
    before = path.read_bytes()
    real = files.write_at
    calls = []

    def failing(fd: int, offset: int, data: bytes) -> None:
        calls.append(offset)
        if len(calls) == 1 == which:
            real(fd, offset, data[:len(data) // 2])  # part of it went down before the disk filled
            raise OSError(errno.ENOSPC, "No space left on device")
        if len(calls) == 2 == which:  # two bytes in one page: written whole or not at all
            raise OSError(errno.EIO, "Input/output error")
        real(fd, offset, data)

    monkeypatch.setattr(files, "write_at", failing)
    with pytest.raises(DataFileError, match="No space left" if which == 1 else "Input/output error"):
        store.journal.add(session("new", MONTH + timedelta(days=9)))
    if which == 1:
        assert path.read_bytes() == before  # cut back to what it was
    assert ids(store) == ["s0", "s1", "s2"]
    monkeypatch.setattr(files, "write_at", real)
    store.journal.add(session("new", MONTH + timedelta(days=9)))  # what the recorder's retry does
    assert [s.id for s in Store.open(store.data_dir.root).journal.list()].count("new") == 1
    assert ids(store) == ["new", "s0", "s1", "s2"]


def test_a_month_from_an_older_backrelief_is_written_whole_once_then_appended_to(store):
    path = month_file(store.data_dir, MONTH)
    from tui.storage.documents import session_to_dict

    old = {"sessions": {"1": session_to_dict(session("old1", MONTH)), "3": session_to_dict(session("old3", MONTH))}}
    path.write_text(json.dumps(old))  # one line, no _meta: as TinyDB and earlier versions wrote it
    store.journal.add(session("a", MONTH + timedelta(days=1)))
    assert ids(store) == ["a", "old1", "old3"]
    assert json.loads(path.read_text())["sessions"]["4"]["id"] == "a"  # TinyDB's next id, after the highest
    inode = path.stat().st_ino
    store.journal.add(session("b", MONTH + timedelta(days=2)))
    assert path.stat().st_ino == inode  # appended this time
    assert json.loads(path.read_text())["sessions"]["5"]["id"] == "b"
    assert ids(store) == ["a", "b", "old1", "old3"]


def test_a_month_changed_behind_its_summary_is_written_whole_keeping_the_change(store):
    path = a_month(store)
    edited = path.read_text().replace("note of s1", "edited by hand")
    path.write_text(edited)  # a new size, a new time: the summary no longer vouches for it
    store.journal.add(session("new", MONTH + timedelta(days=9)))
    notes = {s.id: s.note for s in Store.open(store.data_dir.root).journal.list()}
    assert notes == {"s0": "note of s0", "s1": "edited by hand", "s2": "note of s2", "new": "note of new"}


def test_a_session_already_in_the_month_is_replaced_not_added_twice(store):
    a_month(store)
    store.journal.add(session("s1", MONTH + timedelta(days=1), note="again"))
    found = Store.open(store.data_dir.root).journal.list()
    assert sorted(s.id for s in found) == ["s0", "s1", "s2"]
    assert next(s.note for s in found if s.id == "s1") == "again"


def test_a_month_with_another_table_is_never_appended_to(store):
    path = a_month(store)
    raw = json.loads(path.read_text())
    raw["notes"] = {"1": {"text": "someone's own table"}}
    path.write_text(json.dumps(raw))
    Store.open(store.data_dir.root).journal.month_rows(path)  # a fresh summary of it
    store.journal.add(session("new", MONTH + timedelta(days=9)))
    tables = read_all(path)
    assert tables["notes"] == {"1": {"text": "someone's own table"}}
    assert sorted(doc["id"] for doc in tables["sessions"].values()) == ["new", "s0", "s1", "s2"]


def test_a_closing_line_never_crosses_a_page_so_its_two_bytes_are_written_at_once(store):
    from tui.storage import lines

    path = month_file(store.data_dir, MONTH)
    for i in range(60):  # enough sessions, of lengths that vary, for the end to pass several pages
        store.journal.add(session(f"s{i:02d}", MONTH + timedelta(hours=i), note="x" * (i * 37 % 301)))
        assert not lines.straddles(path.stat().st_size - 3)
    assert ids(store) == sorted(f"s{i:02d}" for i in range(60))
    assert lines.padded(4094) == b" " and lines.padded(4093) == b""
