"""Journal rows: each month's summary lists its sessions without their holds, and is made again when the month changes."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from tui.domain.session_rows import session_row
from tui.domain.sessions import HoldRecord, Session
from tui.storage.journal import month_file, summary_file
from tui.storage.store import Store

UTC = timezone.utc


def session(sid: str, started: datetime, **changes) -> Session:
    """A logged session with two holds, one cut short."""
    base = Session(
        id=sid, routine_id="back-spasm-relief", routine_name="Back spasm relief",
        started_at=started, ended_at=started + timedelta(minutes=10), status="logged", holds_planned=3,
        holds=(HoldRecord("pelvic-tilt", None, 1, 10, 10.5, True), HoldRecord("cat-cow", None, 1, 20, 4.0, False)),
        pain_before=5, pain_after=3, note="stiff",
    )
    return replace(base, **changes)


def all_rows(store: Store) -> list:
    return [row for month in store.rows_by_month() for row in month]


def test_rows_come_newest_month_first_and_carry_what_the_table_shows(store):
    sessions = [session(f"s{i}", datetime(2015 + i % 3, 1 + i % 12, 1 + i, 8, tzinfo=UTC)) for i in range(12)]
    store.journal.merge(sessions)
    rows = all_rows(Store.open(store.data_dir.root))
    assert [r.id for r in rows] == [s.id for s in sorted(sessions, key=lambda s: s.started_at, reverse=True)]
    first = rows[0]
    full = next(s for s in sessions if s.id == first.id)
    assert first == session_row(full)
    assert (first.holds_done, first.seconds_held, first.pain_change) == (1, 14.5, 2)
    assert not hasattr(first, "holds")


def test_the_first_month_is_read_without_the_rest(store):
    store.journal.merge([session("old", datetime(2012, 3, 1, tzinfo=UTC)), session("new", datetime(2026, 1, 2, tzinfo=UTC))])
    for made_by_the_write in store.data_dir.journal.glob("*.rows.json"):
        made_by_the_write.unlink()  # so a month read shows as its summary made again
    reader = Store.open(store.data_dir.root)
    months = reader.rows_by_month()
    assert [r.id for r in next(months)] == ["new"]
    assert not summary_file(month_file(store.data_dir, datetime(2012, 3, 1, tzinfo=UTC))).exists()


def test_a_summary_is_saved_private_and_used_by_the_next_reader(store):
    started = datetime(2026, 1, 2, 9, tzinfo=UTC)
    store.journal.merge([session("a", started)])
    all_rows(Store.open(store.data_dir.root))
    summary = summary_file(month_file(store.data_dir, started))
    assert summary.stat().st_mode & 0o777 == 0o600
    # A reader that finds a summary matching the month file takes its rows as they are.
    raw = json.loads(summary.read_text())
    raw["rows"][0][10] = "from the summary"
    summary.write_text(json.dumps(raw))
    assert [r.note for r in all_rows(Store.open(store.data_dir.root))] == ["from the summary"]


def test_a_month_changed_by_another_copy_of_the_app_is_listed_anew(store):
    started = datetime(2026, 1, 2, 9, tzinfo=UTC)
    store.journal.merge([session("a", started)])
    reader = Store.open(store.data_dir.root)
    assert [r.note for r in all_rows(reader)] == ["stiff"]
    other = Store.open(store.data_dir.root)
    other.journal.update(session("a", started, note="changed elsewhere"))
    other.journal.add(session("b", started + timedelta(days=1)))
    assert [(r.id, r.note) for r in all_rows(reader)] == [("b", "stiff"), ("a", "changed elsewhere")]


def test_a_month_edited_by_hand_in_place_is_listed_anew(store):
    started = datetime(2026, 1, 2, 9, tzinfo=UTC)
    store.journal.merge([session("a", started)])
    reader = Store.open(store.data_dir.root)
    all_rows(reader)
    path = month_file(store.data_dir, started)
    before = path.stat()
    text = path.read_text().replace('"stiff"', '"STIFF"')
    with open(path, "r+", encoding="utf-8") as handle:  # in place: same inode, and the same size
        handle.write(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    assert path.stat().st_ino == before.st_ino and path.stat().st_size == before.st_size
    assert [r.note for r in all_rows(reader)] == ["STIFF"]
    assert [r.note for r in all_rows(Store.open(store.data_dir.root))] == ["STIFF"]


def test_a_damaged_or_foreign_summary_is_made_again_from_the_month(store):
    started = datetime(2026, 1, 2, 9, tzinfo=UTC)
    store.journal.merge([session("a", started)])
    all_rows(Store.open(store.data_dir.root))
    summary = summary_file(month_file(store.data_dir, started))
    good = json.loads(summary.read_text())
    bad_rows = [
        [*good["rows"][0][:8], 11, 3, "x"],  # pain out of range
        [*good["rows"][0][:7], float("nan"), 5, 3, "x"],  # seconds not finite
        [*good["rows"][0][:3], "2026-01-02T09:00:00", *good["rows"][0][4:]],  # no UTC offset
        good["rows"][0][:10],  # a field short
    ]
    for damage in ("{not json", json.dumps({**good, "version": 99}), *(
            json.dumps({**good, "rows": [row]}) for row in bad_rows)):
        summary.write_text(damage)
        assert [(r.id, r.note) for r in all_rows(Store.open(store.data_dir.root))] == [("a", "stiff")], damage
        assert json.loads(summary.read_text()) == good  # and saved again


def test_a_session_is_read_whole_from_its_month_only(store):
    started = datetime(2026, 1, 2, 9, tzinfo=UTC)
    store.journal.merge([session("a", started), session("old", datetime(2010, 5, 1, tzinfo=UTC))])
    reader = Store.open(store.data_dir.root)
    old_month = month_file(store.data_dir, datetime(2010, 5, 1, tzinfo=UTC))
    old_month.write_text("{broken")  # damage elsewhere is not even read when the month is known
    found = reader.get_session("a", near=started)
    assert found.holds == session("a", started).holds
    assert old_month.read_text() == "{broken"
