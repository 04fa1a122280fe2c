"""Plans on disk (tui/storage/plans.py, reminders.py) and the quick reads `status` makes (tui/storage/glance.py)."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.domain.logged import logged_session
from tui.domain.plan import Timings
from tui.domain.schedule import DoneCounts, make_plan
from tui.domain.sessions import Session
from tui.domain.zone import SystemZone
from tui.paths import default_data_root
from tui.storage import glance
from tui.storage import journal as journal_module
from tui.storage.files import DataFileError
from tui.storage.store import Store

UTC = timezone.utc
MON = date(2026, 1, 5)


@pytest.fixture(autouse=True)
def utc_local_time(local_time):
    """The system zone is UTC here: the cache counts in it."""
    local_time("UTC")


def logged(store: Store, when: datetime, routine_id: str = "back-spasm-relief", status: str = "logged") -> Session:
    routine = store.routines.get(routine_id)
    session = logged_session(routine, store.routines.exercises(), Timings(), when)
    return session.with_changes(status=status)


# -- the plans file --------------------------------------------------------------------------


def test_a_plan_is_stored_with_its_history_in_a_private_file(store):
    plan = make_plan("back-spasm-relief", "Back spasm relief", 2, "mon-fri", "08-18")
    store.plans.set(plan, MON)
    store.plans.set(plan._replace(per_day=3), MON + timedelta(days=2))
    again = Store.open(store.data_dir.root)  # another copy of the app reads the same
    assert again.plans.plan_for("back-spasm-relief", MON).per_day == 2
    assert again.plans.plan_for("back-spasm-relief", MON + timedelta(days=2)).per_day == 3
    path = store.data_dir.plans
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    on_disk = json.loads(path.read_text())
    assert on_disk["_meta"] == {"schema": 1}
    assert sorted(doc["since"] for doc in on_disk["plans"].values()) == ["2026-01-05", "2026-01-07"]
    assert store.plans.clear("back-spasm-relief", MON + timedelta(days=3)).per_day == 3
    assert store.plans.current(MON + timedelta(days=3)) == []
    assert store.plans.clear("back-spasm-relief", MON + timedelta(days=3)) is None


def test_a_plan_moves_to_the_users_copy(store):
    store.plans.set(make_plan("back-spasm-relief", "Back spasm relief", 2, "daily"), MON)
    moved = store.plans.move("back-spasm-relief", "back-spasm-relief-mine", "Back spasm relief (mine)", MON + timedelta(days=1))
    assert (moved.routine_id, moved.routine_name, moved.per_day) == ("back-spasm-relief-mine", "Back spasm relief (mine)", 2)
    assert [p.routine_id for p in store.plans.current(MON)] == ["back-spasm-relief"]
    assert [p.routine_id for p in store.plans.current(MON + timedelta(days=1))] == ["back-spasm-relief-mine"]
    assert store.plans.move("nothing", "else", "Else", MON) is None


def test_a_plan_edited_by_hand_into_nonsense_is_named_and_left_alone(store):
    store.plans.set(make_plan("back-spasm-relief", "Back spasm relief", 2), MON)
    path = store.data_dir.plans
    document = json.loads(path.read_text())
    document["plans"]["1"]["days"] = "someday"
    path.write_text(json.dumps(document))
    with pytest.raises(DataFileError) as error:
        store.plans.history()
    assert str(path) in str(error.value) and "days" in str(error.value)
    assert json.loads(path.read_text()) == document  # untouched
    with pytest.raises(glance.GlanceError) as quick_error:
        glance.plan_history(str(store.data_dir.root))
    assert str(path) in str(quick_error.value)


def test_each_slot_is_claimed_once(store):
    assert store.reminders.claim({"a": "a/2026-01-05/0", "b": "b/2026-01-05/0"}) == ["a", "b"]
    assert store.reminders.claim({"a": "a/2026-01-05/0", "b": "b/2026-01-05/1"}) == ["b"]
    assert Store.open(store.data_dir.root).reminders.claim({"a": "a/2026-01-05/0"}) == []
    assert stat.S_IMODE(store.data_dir.reminders.stat().st_mode) == 0o600


# -- what status reads -----------------------------------------------------------------------


def test_counts_through_the_cache_match_the_journal_and_follow_every_change(store, monkeypatch):
    root = str(store.data_dir.root)
    zone = SystemZone()
    store.journal.merge([
        logged(store, datetime(2025, 11, 30, 23, 30, tzinfo=UTC)),  # November's file
        logged(store, datetime(2026, 1, 4, 9, tzinfo=UTC)),
        logged(store, datetime(2026, 1, 5, 9, tzinfo=UTC), status="stopped"),  # every hold done: counts
        logged(store, datetime(2026, 1, 5, 10, tzinfo=UTC), status="interrupted"),  # does not count
    ])
    expected = DoneCounts.from_sessions(store.sessions(), zone)
    assert glance.done_counts(root, zone) == expected
    cache = store.data_dir.done_days
    assert cache.exists() and stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert glance.done_counts(root, zone) == expected  # read back from the cache

    # The journal folder changed just now, so the cache does not trust its stat yet: added sessions show at once.
    store.journal.add(logged(store, datetime(2026, 1, 5, 12, tzinfo=UTC)))
    assert glance.done_counts(root, zone).on("back-spasm-relief", MON) == 2

    # Once the folder has been still a while, its stat alone vouches for the cache, and a change still shows.
    monkeypatch.setattr(glance, "SETTLED_SECONDS", 0)
    assert glance.done_counts(root, zone).on("back-spasm-relief", MON) == 2
    assert json.loads(cache.read_text())["folder"] is not None
    store.journal.delete(store.journal.list()[0].id)
    assert glance.done_counts(root, zone).on("back-spasm-relief", MON) == 1


@pytest.mark.parametrize("summary_saved", [True, False])
def test_a_session_appended_to_its_month_shows_even_to_a_cache_that_trusts_the_folder(store, monkeypatch,
                                                                                      summary_saved):
    root = str(store.data_dir.root)
    zone = SystemZone()
    for hour in (7, 8):  # the second finish is an append: the month file keeps its inode
        store.journal.add(logged(store, datetime(2026, 1, 5, hour, tzinfo=UTC)))
    folder = store.data_dir.journal
    os.utime(folder, ns=(0, folder.stat().st_mtime_ns - 60 * 10**9))  # still a minute now: its stat vouches
    monkeypatch.setattr(glance, "SETTLED_SECONDS", 0)
    assert glance.done_counts(root, zone).on("back-spasm-relief", MON) == 2
    assert json.loads(store.data_dir.done_days.read_text())["folder"] is not None
    if not summary_saved:  # a full disk takes the summary: the folder must show the change all the same
        monkeypatch.setattr(journal_module, "write_derived", lambda path, data: False)
    month = next(folder.glob("2026-01.json"))
    inode = month.stat().st_ino
    store.journal.add(logged(store, datetime(2026, 1, 5, 9, tzinfo=UTC)))
    assert month.stat().st_ino == inode
    assert glance.done_counts(root, zone).on("back-spasm-relief", MON) == 3


def test_a_cache_from_another_zone_or_of_nonsense_is_not_used(store, local_time):
    root = str(store.data_dir.root)
    store.journal.add(logged(store, datetime(2026, 1, 5, 2, tzinfo=UTC)))  # Sunday evening in New York
    glance.done_counts(root, SystemZone())
    local_time("America/New_York")
    counts = glance.done_counts(root, SystemZone())
    assert counts.on("back-spasm-relief", date(2026, 1, 4)) == 1 and counts.on("back-spasm-relief", MON) == 0
    for nonsense in (b"[1, 2]", b"{", b'{"format": 1, "zone": "x", "files": 7}', b"\xff"):
        store.data_dir.done_days.write_bytes(nonsense)
        assert glance.done_counts(root, SystemZone()).on("back-spasm-relief", date(2026, 1, 4)) == 1


def test_a_missing_data_dir_has_nothing_due_and_is_not_made(tmp_path):
    root = tmp_path / "never-used"
    status = glance.current_status(str(root), datetime(2026, 1, 5, 10, tzinfo=UTC), SystemZone())
    assert status.routines == () and not root.exists()


def test_routine_names_are_the_built_in_ones_and_the_users(store):
    store.routines.duplicate("back-spasm-relief")
    names = glance.routine_names(str(store.data_dir.root))
    assert names["back-spasm-relief"] == "Back spasm relief"
    assert names["back-spasm-relief-copy"] == "Back spasm relief (copy)"


def test_plans_of_deleted_routines_are_left_out(store):
    copy = store.routines.duplicate("back-spasm-relief")
    store.plans.set(make_plan(copy.id, copy.name, 1, "daily", "0-24"), MON)
    now = datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert [p.plan.routine_name for p in glance.current_status(str(store.data_dir.root), now, SystemZone()).due] == [copy.name]
    store.routines.delete(copy.id)
    assert glance.current_status(str(store.data_dir.root), now, SystemZone()).routines == ()


def test_a_running_session_is_seen_by_its_lock_and_no_owner_file_is_made(store):
    from tui.storage.recorder import SessionRecorder
    from tui.domain.clock import FakeClock

    root = str(store.data_dir.root)
    assert not glance.session_running(root)
    recorder = SessionRecorder.begin(store, FakeClock(), store.routines.get("back-spasm-relief"), Timings())
    assert glance.session_running(root)
    recorder.interrupt()  # the process let go: interrupted, not running
    assert not glance.session_running(root)
    owner = Path(recorder.active.path).with_suffix(".owner")
    owner.unlink()
    assert not glance.session_running(root) and not owner.exists()


@pytest.mark.parametrize("environ", [
    {}, {"XDG_DATA_HOME": ""}, {"XDG_DATA_HOME": "/srv/data"}, {"XDG_DATA_HOME": "relative/dir"},
    {"HOME": "/home/someone"}, {"HOME": "/home/someone", "XDG_DATA_HOME": "/elsewhere"},
])
def test_the_default_data_dir_is_the_one_platformdirs_gives(monkeypatch, environ):
    from platformdirs import user_data_dir

    for name in ("XDG_DATA_HOME", "BACKRELIEF_DATA_DIR", "ANDROID_DATA", "ANDROID_ROOT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert default_data_root() == user_data_dir("backrelief", appauthor=False)
    monkeypatch.setenv("BACKRELIEF_DATA_DIR", "~/mine")
    assert default_data_root() == os.path.expanduser("~/mine")
