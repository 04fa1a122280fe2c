"""The repositories over one data dir: routines, journal, sessions under way, settings."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from tinydb.table import Document

from tui.domain.clock import FakeClock
from tui.domain.exercises import Exercise, exercise_to_dict
from tui.domain.plan import Timings
from tui.domain.problems import ValidationError
from tui.domain.routines import Routine, Step
from tui.domain.session_rows import session_row
from tui.domain.sessions import HoldRecord, Session
from tui.domain.settings import Settings
from tui.storage.files import DataFileError, transaction
from tui.storage.journal import SessionNotFound, month_file
from tui.storage.recorder import SessionRecorder
from tui.storage.routines import RoutineNotFound
from tui.storage.store import Store

UTC = timezone.utc
TIMINGS = Timings(get_ready_seconds=5, switch_seconds=5)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (lock files aside, they hold no data) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def routine(name: str = "Morning reset", *steps: Step, description: str = "") -> Routine:
    """A custom routine not yet stored."""
    return Routine(id="", name=name, description=description,
                   steps=steps or (Step("pelvic-tilt", hold_seconds=3, reps=4, rest_seconds=1),))


def session(sid: str, started: datetime, **changes) -> Session:
    """A logged session with one hold."""
    base = Session(
        id=sid, routine_id="back-spasm-relief", routine_name="Back spasm relief",
        started_at=started, ended_at=started + timedelta(minutes=10), status="logged", holds_planned=1,
        holds=(HoldRecord("pelvic-tilt", None, 1, 10, 10.0, True),), pain_before=5, pain_after=3,
    )
    return replace(base, **changes)


# -- routines ------------------------------------------------------------------


def test_save_gives_a_new_routine_an_id_from_its_name(store):
    saved = store.routines.save(routine("  Morning reset  ", description="gentle"))
    assert saved.id == "morning-reset"
    assert saved.name == "Morning reset"  # stripped
    again = Store.open(store.data_dir.root).routines.get("morning-reset")
    assert again == saved
    assert again.description == "gentle"
    assert not again.builtin


def test_ids_stay_unique_when_names_slugify_alike(store):
    first = store.routines.save(routine("Morning reset"))
    second = store.routines.save(routine("Morning-reset"))
    third = store.routines.save(routine("morning reset!"[:-1] + "?"))
    assert (first.id, second.id, third.id) == ("morning-reset", "morning-reset-2", "morning-reset-3")
    assert {r.id for r in store.routines.list()} >= {"morning-reset", "morning-reset-2", "morning-reset-3"}


@pytest.mark.parametrize("clash", ["MORNING RESET", "morning reset", " Morning Reset ", "BACK SPASM RELIEF"])
def test_a_name_another_routine_has_is_refused_whatever_its_case(store, clash):
    store.routines.save(routine("Morning reset"))
    before = snapshot(store.data_dir.root)
    with pytest.raises(ValidationError) as caught:
        store.routines.save(routine(clash))
    assert caught.value.problems[0].field == "name"
    assert "already exists" in str(caught.value)
    assert snapshot(store.data_dir.root) == before


def test_saving_a_routine_again_under_its_own_name_updates_it(store):
    saved = store.routines.save(routine("Morning reset"))
    changed = store.routines.save(replace(saved, name="MORNING reset", description="now longer"))
    assert changed.id == saved.id
    assert [r.name for r in store.routines.list() if not r.builtin] == ["MORNING reset"]


def test_built_in_routines_are_read_only(store):
    builtin = store.routines.get("back-spasm-relief")
    before = snapshot(store.data_dir.root)
    with pytest.raises(ValidationError, match="read-only"):
        store.routines.save(builtin)
    with pytest.raises(ValidationError, match="read-only"):
        store.routines.save(replace(builtin, builtin=False, name="Sneaky"))  # same id
    with pytest.raises(ValidationError, match="cannot be deleted"):
        store.routines.delete("back-spasm-relief")
    assert snapshot(store.data_dir.root) == before


def test_save_refuses_a_routine_that_breaks_a_limit(store):
    before = snapshot(store.data_dir.root)
    with pytest.raises(ValidationError) as caught:
        store.routines.save(routine("Bad", Step("pelvic-tilt", hold_seconds=601)))
    assert caught.value.problems[0].field == "steps[0].hold_seconds"
    with pytest.raises(ValidationError, match="unknown exercise"):
        store.routines.save(routine("Bad", Step("no-such-stretch", hold_seconds=10)))
    assert snapshot(store.data_dir.root) == before


def test_delete_removes_a_custom_routine_and_refuses_unknown_ones(store):
    store.routines.save(routine("Keep me"))
    gone = store.routines.save(routine("Drop me"))
    assert store.routines.delete("Drop me") == gone  # by exact name
    assert [r.name for r in store.routines.list() if not r.builtin] == ["Keep me"]
    with pytest.raises(RoutineNotFound, match="drop-me"):
        store.routines.delete("drop-me")
    assert store.routines.get("KEEP ME").name == "Keep me"  # in any case, as only one routine matches
    with pytest.raises(RoutineNotFound):
        store.routines.get("keep")


def test_save_exercise_gives_an_id_and_refuses_built_in_ids(store):
    cat = store.routines.save_exercise(Exercise(id="", name="Cat-Cow", instructions="Arch, then round."))
    dog = store.routines.save_exercise(Exercise(id="", name="Cat cow", instructions="Another."))
    assert (cat.id, dog.id) == ("cat-cow", "cat-cow-2")
    assert store.routines.exercises()["cat-cow"].instructions == "Arch, then round."
    assert [e.name for e in store.routines.custom_exercises()] == ["Cat cow", "Cat-Cow"]  # by name
    with pytest.raises(ValidationError, match="read-only"):
        store.routines.save_exercise(Exercise(id="pelvic-tilt", name="Mine", instructions=""))
    assert store.routines.exercises()["pelvic-tilt"].builtin


def test_delete_exercise_refuses_while_routines_use_it_naming_them(store):
    cat = store.routines.save_exercise(Exercise(id="", name="Cat-Cow", instructions="Arch."))
    store.routines.save(routine("Morning reset", Step(cat.id, hold_seconds=10)))
    store.routines.save(routine("Evening", Step(cat.id, hold_seconds=20), Step("pelvic-tilt", hold_seconds=10)))
    before = snapshot(store.data_dir.root)
    with pytest.raises(ValidationError) as caught:
        store.routines.delete_exercise(cat.id)
    message = str(caught.value)
    assert "'Morning reset'" in message and "'Evening'" in message
    assert snapshot(store.data_dir.root) == before
    store.routines.delete("Morning reset")
    store.routines.delete("Evening")
    store.routines.delete_exercise(cat.id)
    assert "cat-cow" not in store.routines.exercises()


def test_export_then_import_into_another_data_dir_gives_the_same_routine(store, tmp_path):
    store.routines.save_exercise(Exercise(id="", name="Cat-Cow", instructions="Arch, then round.",
                                          hold_range=(5, 15), default_hold=10))
    saved = store.routines.save(routine("Morning reset", Step("cat-cow", 10, 3, 2, "none"),
                                        Step("side-knee-drop", 30, 2, 10, "both"), description="gentle"))
    file = store.routines.export_file(saved.id)
    other = Store.open(tmp_path / "other")
    imported = other.routines.import_file(json.dumps(file))
    assert (imported.name, imported.description, imported.steps) == (saved.name, saved.description, saved.steps)
    assert imported.id == saved.id
    assert other.routines.exercises()["cat-cow"] == store.routines.exercises()["cat-cow"]


def test_import_renames_a_custom_exercise_whose_id_is_taken_by_another(store):
    mine = store.routines.save_exercise(Exercise(id="cat-cow", name="Cat-Cow", instructions="My way."))
    store.routines.save(routine("Mine", Step("cat-cow", hold_seconds=10)))
    file = {"format": "backrelief-routine", "version": 1, "name": "Theirs",
            "exercises": [{"id": "cat-cow", "name": "Cat-Cow", "instructions": "Their way."}],
            "steps": [{"exercise": "cat-cow", "hold_seconds": 12}]}
    theirs = store.routines.import_file(json.dumps(file))
    assert theirs.steps[0].exercise == "cat-cow-2"
    exercises = store.routines.exercises()
    assert exercises["cat-cow"] == mine  # untouched
    assert exercises["cat-cow-2"].instructions == "Their way."
    assert store.routines.get("Mine").steps[0].exercise == "cat-cow"
    # The very same exercise again is shared, not copied a third time.
    file["name"] = "Theirs again"
    file["exercises"] = [exercise_to_dict(mine)]
    again = store.routines.import_file(json.dumps(file))
    assert again.steps[0].exercise == "cat-cow"
    assert sorted(e.id for e in store.routines.custom_exercises()) == ["cat-cow", "cat-cow-2"]


def test_a_refused_import_stores_nothing_not_even_its_exercises(store):
    store.routines.save(routine("Taken"))
    before = snapshot(store.data_dir.root)
    file = {"format": "backrelief-routine", "version": 1, "name": "taken",
            "exercises": [{"id": "new-one", "name": "New one", "instructions": ""}],
            "steps": [{"exercise": "new-one", "hold_seconds": 12}]}
    with pytest.raises(ValidationError, match="already exists"):
        store.routines.import_file(json.dumps(file))
    assert snapshot(store.data_dir.root) == before
    assert "new-one" not in store.routines.exercises()


def test_a_stored_routine_that_cannot_be_read_is_reported_naming_the_file(store):
    with transaction(store.data_dir.routines) as db:
        db.table("routines").insert({"name": "no id or steps"})
    with pytest.raises(DataFileError) as caught:
        store.routines.list()
    assert str(store.data_dir.routines) in str(caught.value)
    assert "\n" not in str(caught.value)


# -- journal -------------------------------------------------------------------


def test_add_get_update_delete(store):
    journal = store.journal
    first = journal.add(session("a", datetime(2026, 1, 5, 8, tzinfo=UTC)))
    assert journal.get("a") == first
    assert month_file(store.data_dir, first.started_at).name == "2026-01.json"
    changed = journal.update(first.with_changes(note="better", pain_after=1))
    assert journal.get("a") == changed
    assert [s.id for s in journal.list()] == ["a"]
    assert journal.delete("a") == changed
    assert journal.list() == []
    with pytest.raises(SessionNotFound):
        journal.get("a")
    with pytest.raises(SessionNotFound):
        journal.update(first)
    with pytest.raises(SessionNotFound):
        journal.delete("a")


def test_update_moves_a_session_whose_start_moved_to_another_month(store):
    journal = store.journal
    journal.add(session("a", datetime(2026, 1, 31, 23, tzinfo=UTC)))
    journal.add(session("b", datetime(2026, 1, 2, 8, tzinfo=UTC)))
    journal.update(journal.get("a").with_changes(started_at=datetime(2026, 2, 1, 7, tzinfo=UTC),
                                                   ended_at=datetime(2026, 2, 1, 7, 10, tzinfo=UTC)))
    january = json.loads((store.data_dir.journal / "2026-01.json").read_text())
    february = json.loads((store.data_dir.journal / "2026-02.json").read_text())
    assert [d["id"] for d in january["sessions"].values()] == ["b"]
    assert [d["id"] for d in february["sessions"].values()] == ["a"]
    assert [s.id for s in journal.list()] == ["a", "b"]


def test_month_is_the_utc_month_whatever_the_offset(store):
    plus_five = timezone(timedelta(hours=5))
    started = datetime(2026, 2, 1, 3, tzinfo=plus_five)  # 2026-01-31 22:00 UTC
    store.journal.add(session("a", started))
    assert (store.data_dir.journal / "2026-01.json").exists()
    assert store.journal.get("a").started_at == started
    assert store.journal.get("a").started_at.utcoffset() == timedelta(hours=5)


def test_list_is_newest_first_with_since_and_limit(store):
    journal = store.journal
    for sid, day in [("c", 20), ("a", 1), ("d", 28), ("b", 10)]:
        journal.add(session(sid, datetime(2026, 1, day, 12, tzinfo=UTC)))
    journal.add(session("e", datetime(2025, 12, 30, 12, tzinfo=UTC)))
    journal.add(session("f", datetime(2026, 3, 3, 12, tzinfo=UTC)))
    assert [s.id for s in journal.list()] == ["f", "d", "c", "b", "a", "e"]
    assert [s.id for s in journal.list(limit=2)] == ["f", "d"]
    assert [s.id for s in journal.list(since=date(2026, 1, 10))] == ["f", "d", "c", "b"]
    assert [s.id for s in journal.list(since=date(2026, 1, 11), limit=2)] == ["f", "d"]
    assert journal.list(since=date(2026, 4, 1)) == []
    # The rows (from the month summaries, no holds) list the same sessions the same way, up to `until`.
    end = datetime(2026, 12, 31, tzinfo=UTC)
    assert [r.id for r in journal.rows(date(2025, 12, 1), end)] == ["f", "d", "c", "b", "a", "e"]
    assert [r.id for r in journal.rows(date(2026, 1, 10), end)] == ["f", "d", "c", "b"]
    assert [r.id for r in journal.rows(date(2026, 1, 10), datetime(2026, 3, 3, 12, tzinfo=UTC))] == ["f", "d", "c", "b"]
    assert [r.id for r in journal.rows(date(2026, 1, 10), datetime(2026, 3, 3, 11, tzinfo=UTC))] == ["d", "c", "b"]
    assert journal.rows(date(2026, 4, 1), end) == []
    assert journal.rows(date(2026, 1, 10), end) == [session_row(s) for s in journal.list(since=date(2026, 1, 10))]


def test_since_counts_local_days_even_across_a_utc_month_boundary(store, local_time):
    # Local time five hours ahead of UTC: 00:30 on 1 February is still January in UTC.
    local_time("XXX-05")
    store.journal.add(session("early", datetime(2026, 1, 31, 19, 30, tzinfo=UTC)))
    store.journal.add(session("before", datetime(2026, 1, 31, 18, 30, tzinfo=UTC)))
    assert [s.id for s in store.journal.list(since=date(2026, 2, 1))] == ["early"]
    assert [s.id for s in store.sessions(since=date(2026, 2, 1))] == ["early"]
    assert [r.id for r in store.rows(date(2026, 2, 1), datetime(2026, 2, 2, tzinfo=UTC))] == ["early"]


def test_merge_adds_new_sessions_and_skips_ids_present(store):
    journal = store.journal
    journal.add(session("a", datetime(2026, 1, 5, 8, tzinfo=UTC), note="mine"))
    incoming = [
        session("a", datetime(2026, 1, 5, 8, tzinfo=UTC), note="theirs"),
        session("b", datetime(2026, 1, 6, 8, tzinfo=UTC)),
        session("c", datetime(2026, 2, 6, 8, tzinfo=UTC)),
        session("c", datetime(2026, 2, 6, 8, tzinfo=UTC)),  # twice in one file
        session("x", datetime(2026, 2, 7, 8, tzinfo=UTC)),
    ]
    assert journal.merge(incoming, skip_ids={"x"}) == (2, 3)
    assert [s.id for s in journal.list()] == ["c", "b", "a"]
    assert journal.get("a").note == "mine"  # what was stored wins
    before = snapshot(store.data_dir.root)
    assert journal.merge(incoming) == (1, 4)  # only x is new now
    assert journal.merge(incoming) == (0, 5)
    assert journal.ids() == {"a", "b", "c", "x"}
    assert len(snapshot(store.data_dir.root)) == len(before)


def test_list_rereads_a_month_another_writer_changed(store):
    ours = store.journal
    theirs = Store.open(store.data_dir.root).journal
    ours.add(session("a", datetime(2026, 1, 5, 8, tzinfo=UTC), pain_after=3))
    assert ours.get("a").pain_after == 3
    for pain in (4, 5, 6):  # same size each time: only the content changes
        theirs.update(theirs.get("a").with_changes(pain_after=pain))
        assert ours.get("a").pain_after == pain
    theirs.add(session("b", datetime(2026, 1, 6, 8, tzinfo=UTC)))
    assert [s.id for s in ours.list()] == ["b", "a"]
    theirs.delete("a")
    theirs.delete("b")
    assert ours.list() == []
    (store.data_dir.journal / "2026-01.json").unlink()
    assert ours.list() == []


# -- sessions under way ----------------------------------------------------------


def _tiny(store) -> Routine:
    """A custom routine of 4 holds of 3 s with 1 s rests (after a 5 s get-ready)."""
    return store.routines.save(routine("Tiny", Step("pelvic-tilt", hold_seconds=3, reps=4, rest_seconds=1)))


def _run_holds(recorder: SessionRecorder, clock: FakeClock, count: int) -> None:
    """Start the recorder and let `count` holds finish."""
    recorder.start()
    clock.advance(5 + 3)
    recorder.tick()
    for _ in range(count - 1):
        clock.advance(1 + 3)
        recorder.tick()


def test_a_session_under_way_is_not_interrupted_until_released(store, clock):
    recorder = SessionRecorder.begin(store, clock, _tiny(store), TIMINGS, pain_before=6)
    assert recorder.active.owned
    _run_holds(recorder, clock, 2)
    # flock locks belong to an open file description: a second open in this very
    # process conflicts with the owner's lock, so our own session is not offered.
    assert store.active.interrupted() == []
    assert store.sessions() == []
    assert store.active.claim(recorder.session.id) is None
    recorder.interrupt()
    assert not recorder.active.owned
    [found] = store.active.interrupted()
    assert found.session.id == recorder.session.id
    assert found.session.status == "interrupted"
    assert found.session.pain_before == 6
    assert found.position == 2
    assert [r.rep for r in found.session.holds] == [1, 2]
    assert all(r.completed and r.held_seconds == 3 for r in found.session.holds)
    assert found.records == {0: found.session.holds[0], 1: found.session.holds[1]}
    assert [s.id for s in store.sessions()] == [recorder.session.id]


def test_each_hold_is_on_disk_as_soon_as_it_finishes(store, clock):
    recorder = SessionRecorder.begin(store, clock, _tiny(store), TIMINGS)
    recorder.start()
    clock.advance(5 + 3 - 0.5)
    recorder.tick()
    assert "holds" not in json.loads(recorder.active.path.read_text())  # the first hold is under way
    for done in range(1, 5):
        clock.advance(0.5)
        recorder.tick()
        # Another process's view: the session file as it is now.
        header = json.loads(recorder.active.path.read_text())
        assert len(header["holds"]) == done
        clock.advance(3.5)  # to half a second before the next hold ends
        recorder.tick()
    assert recorder.engine.finished
    recorder.active.release()


def test_resume_continues_from_the_stored_position_with_the_stored_holds(store, clock):
    first = SessionRecorder.begin(store, clock, _tiny(store), TIMINGS)
    _run_holds(first, clock, 2)
    first.interrupt()
    later = FakeClock(start=datetime(2026, 1, 5, 9, tzinfo=UTC))
    resumed = SessionRecorder.resume(store, later, first.session.id, TIMINGS)
    assert resumed is not None
    assert resumed.engine.index == 2
    assert resumed.engine.hold_records() == first.engine.hold_records()
    assert store.active.interrupted() == []  # owned again
    assert SessionRecorder.resume(store, later, first.session.id, TIMINGS) is None
    resumed.start()
    later.advance(5 + 3)  # a resumed session begins with a get-ready
    resumed.tick()
    later.advance(1 + 3)
    resumed.tick()
    assert resumed.engine.finished
    finished = resumed.finish(pain_after=2, note="done")
    assert finished.status == "completed"
    assert finished.holds_done == 4
    assert store.sessions() == [finished]
    assert store.journal.get(first.session.id) == finished
    assert list(store.data_dir.active.glob("*.json")) == []


def test_close_moves_an_interrupted_session_into_the_journal(store, clock):
    recorder = SessionRecorder.begin(store, clock, _tiny(store), TIMINGS)
    _run_holds(recorder, clock, 3)
    recorder.interrupt()
    [shown] = store.sessions()
    closed = store.active.close(recorder.session.id, store.journal)
    assert closed is not None and closed.status == "interrupted"
    assert [h.rep for h in closed.holds] == [1, 2, 3]
    assert store.journal.get(closed.id) == closed
    assert store.active.interrupted() == []
    assert store.sessions() == [closed]  # once, not twice
    assert shown.id == closed.id and shown.holds == closed.holds
    assert store.active.close(recorder.session.id, store.journal) is None
    assert list(store.data_dir.active.glob("*.json")) == []


def test_sessions_merges_an_interrupted_one_already_in_the_journal_only_once(store, clock):
    recorder = SessionRecorder.begin(store, clock, _tiny(store), TIMINGS)
    _run_holds(recorder, clock, 1)
    recorder.interrupt()
    # A crash between writing the journal and removing the session's file leaves both.
    store.journal.add(store.active.interrupted()[0].session)
    assert [s.id for s in store.sessions()] == [recorder.session.id]
    assert [r.id for r in store.rows(date(2000, 1, 1), clock.now())] == [recorder.session.id]


def test_rows_list_interrupted_sessions_with_the_journal_newest_first(store, clock):
    store.journal.add(session("old", clock.now() - timedelta(days=40), pain_before=5))
    store.journal.add(session("yesterday", clock.now() - timedelta(days=1), pain_before=6, pain_after=4))
    recorder = SessionRecorder.begin(store, clock, _tiny(store), TIMINGS, pain_before=7)
    _run_holds(recorder, clock, 1)
    recorder.interrupt()
    store.journal.add(session("tomorrow", clock.now() + timedelta(days=1), pain_before=2))  # a clock set wrong
    since = (clock.now() - timedelta(days=28)).astimezone().date()
    rows = store.rows(since, clock.now())
    assert [(r.id, r.status, r.pain_before, r.pain_after) for r in rows] == [
        (recorder.session.id, "interrupted", 7, None), ("yesterday", "logged", 6, 4)]
    assert rows == [session_row(s) for s in store.sessions(since=since) if s.id != "tomorrow"]
    assert store.rows(since, clock.now() - timedelta(hours=1)) == rows[1:]  # the interrupted one began after


def test_update_and_delete_work_on_an_interrupted_session(store, clock):
    tiny = _tiny(store)
    one = SessionRecorder.begin(store, clock, tiny, TIMINGS)
    _run_holds(one, clock, 1)
    one.interrupt()
    two = SessionRecorder.begin(store, clock, tiny, TIMINGS)
    _run_holds(two, clock, 2)
    two.interrupt()
    shown = store.get_session(one.session.id)
    updated = store.update_session(shown.with_changes(note="back hurt", pain_after=4))
    assert updated.status == "interrupted"
    assert store.journal.get(one.session.id).note == "back hurt"
    assert [i.session.id for i in store.active.interrupted()] == [two.session.id]
    assert store.delete_session(two.session.id).id == two.session.id
    assert store.active.interrupted() == []
    assert [s.id for s in store.sessions()] == [one.session.id]
    with pytest.raises(SessionNotFound):
        store.delete_session(two.session.id)


def test_an_unreadable_session_file_is_skipped_not_fatal(store, clock):
    recorder = SessionRecorder.begin(store, clock, _tiny(store), TIMINGS)
    _run_holds(recorder, clock, 1)
    recorder.interrupt()
    (store.data_dir.active / "broken.json").write_text('{"session": {"1": {"id": 3}}}')
    assert [i.session.id for i in store.active.interrupted()] == [recorder.session.id]


# -- settings --------------------------------------------------------------------


def test_settings_start_as_defaults(data_dir):
    assert Store.open(data_dir).settings.load() == Settings()


def test_save_refuses_a_bad_value_naming_the_field_and_stores_nothing(store):
    store.settings.save(Settings(get_ready_seconds=7))
    before = snapshot(store.data_dir.root)
    for bad, field in [(Settings(get_ready_seconds=31), "get_ready_seconds"),
                       (Settings(countdown_font="comic"), "countdown_font"),
                       (Settings(bell="yes"), "bell"),
                       (Settings(default_rest_seconds=-1), "default_rest_seconds")]:
        with pytest.raises(ValidationError) as caught:
            store.settings.save(bad)
        assert caught.value.problems[0].field == field
    assert snapshot(store.data_dir.root) == before
    assert store.settings.load().get_ready_seconds == 7


def test_change_refuses_a_name_that_is_no_setting_and_stores_nothing(store):
    store.settings.change(get_ready_seconds=7)
    before = snapshot(store.data_dir.root)
    with pytest.raises(TypeError, match="rate_steps"):
        store.settings.change(rate_steps=False, get_ready_seconds=9)
    assert snapshot(store.data_dir.root) == before


def test_change_keeps_the_other_fields_even_those_another_copy_wrote(store):
    other = Store.open(store.data_dir.root).settings
    store.settings.change(countdown_font="small")
    other.change(bell=False)  # read afresh: keeps countdown_font
    loaded = store.settings.load()
    assert (loaded.countdown_font, loaded.bell, loaded.safety_acknowledged) == ("small", False, True)
    with pytest.raises(ValidationError, match="switch_seconds"):
        store.settings.change(switch_seconds=99)
    assert store.settings.load() == loaded


def _store_raw_settings(data_dir: Path, document: dict) -> Store:
    opened = Store.open(data_dir)
    with transaction(opened.data_dir.settings) as db:
        db.table("settings").insert(Document(document, doc_id=1))
    return opened


def test_a_bad_stored_value_falls_back_to_its_default_alone(data_dir):
    store = _store_raw_settings(data_dir, {"get_ready_seconds": 7, "countdown_font": "comic", "bell": "loud",
                                "theme": "nord", "unknown_key": 1})
    loaded = store.settings.load()
    assert loaded == Settings(get_ready_seconds=7, theme="nord")


def test_change_works_over_a_bad_stored_value(data_dir):
    store = _store_raw_settings(data_dir, {"get_ready_seconds": 7, "countdown_font": "comic"})
    changed = store.settings.change(bell=False)
    assert changed == Settings(get_ready_seconds=7, bell=False)
    assert store.settings.load() == changed


def test_files_are_private(store, clock):
    store.routines.save(routine("Morning reset"))
    store.journal.add(session("a", datetime(2026, 1, 5, 8, tzinfo=UTC)))
    recorder = SessionRecorder.begin(store, clock, store.routines.get("Morning reset"), TIMINGS)
    _run_holds(recorder, clock, 1)
    recorder.interrupt()
    root = store.data_dir.root
    for path in [root, *root.rglob("*")]:
        mode = os.stat(path).st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_new_ids_take_the_first_free_suffix_and_an_import_reuses_its_earlier_rename():
    from tui.storage.routines import free_id

    assert free_id("cat-cow", set()) == "cat-cow"
    assert free_id("cat-cow", {"cat-cow", "cat-cow-2"}) == "cat-cow-3"
    assert free_id("cat-cow", {"cat-cow", "cat-cow-2", "cat-cow-3"}, reuse=lambda c: c == "cat-cow-2") == "cat-cow-2"


def test_a_long_builtin_name_made_the_users_own_stays_within_the_name_limit():
    from tui.domain.exercises import NAME_LIMITS
    from tui.storage.routines import copy_name

    long = "x" * NAME_LIMITS[1]
    mine = copy_name(long, set(), label="mine")
    assert mine.endswith(" (mine)") and len(mine) == NAME_LIMITS[1]
    assert copy_name("Calm", {"calm (mine)"}, label="mine") == "Calm (mine 2)"


def test_routines_and_exercises_with_the_same_name_get_numbered_ids(tmp_path):
    store = Store.open(tmp_path)
    first = store.routines.save_exercise(Exercise(id="", name="Knee hug", instructions="Hug."))
    second = store.routines.save_exercise(Exercise(id="", name="Knee Hug!", instructions="Hug again."))
    assert (first.id, second.id) == ("knee-hug", "knee-hug-2")
    step = Step(exercise="knee-hug", hold_seconds=10, reps=1, rest_seconds=0)
    calm = store.routines.save(Routine(id="", name="Calm", steps=(step,)))
    copy = store.routines.duplicate(calm.id)
    assert (calm.id, copy.id) == ("calm", "calm-copy")


def test_the_session_header_reads_back_every_field_it_was_given(store, clock):
    from tui.domain.sessions import ProblemReport, StepRating
    from tui.storage.documents import session_to_dict

    recorder = SessionRecorder.begin(store, clock, _tiny(store), TIMINGS, pain_before=6)
    _run_holds(recorder, clock, 2)
    at = clock.now()
    recorder.active.update(pain_after=3, note="stiff, then better", events=(ProblemReport(at, "other", "a twinge"),),
                           step_ratings=(StepRating(1, "pelvic-tilt", 4),))
    recorder.interrupt()
    [found] = store.active.interrupted()
    stored, kept = session_to_dict(found.session), session_to_dict(recorder.active.session)
    for key in ("id", "routine_id", "routine_name", "started_at", "holds_planned", "pain_before", "pain_after",
                "note", "events", "step_ratings"):
        assert stored[key] == kept[key], key
    assert found.session.events[0].note == "a twinge" and found.session.step_ratings[0].discomfort == 4


def test_get_session_finds_a_finished_session_and_an_interrupted_one(store, clock):
    recorder = SessionRecorder.begin(store, clock, _tiny(store), TIMINGS, pain_before=5)
    _run_holds(recorder, clock, 1)
    recorder.interrupt()
    assert store.get_session(recorder.session.id).status == "interrupted"
    store.journal.add(replace(store.get_session(recorder.session.id), status="stopped"))
    assert store.get_session(recorder.session.id, near=recorder.session.started_at).status == "stopped"
    with pytest.raises(SessionNotFound):
        store.get_session("no-such-session")


def test_opening_a_data_dir_and_reading_the_last_weeks_touches_nothing_of_older_months(store, monkeypatch):
    from tui.domain.trends import LOOKBACK, trend_advice
    from tui.storage import datadir, files

    now = datetime(2026, 1, 5, 8, tzinfo=UTC)
    store.journal.merge([
        Session(id=f"s{day}", routine_id="r", routine_name="R", started_at=now - timedelta(days=day),
                ended_at=now - timedelta(days=day), status="logged", holds_planned=0, pain_before=8)
        for day in range(1, 3 * 365, 2)  # three years of months
    ])
    assert Store.open(store.data_dir.root).check() == []
    listed: list[Path] = []
    read: list[str] = []
    real_entries, real_read = datadir._entries, files._read_bytes
    monkeypatch.setattr(datadir, "_entries", lambda folder: listed.append(Path(folder)) or real_entries(folder))
    monkeypatch.setattr(files, "_read_bytes", lambda path: read.append(Path(path).name) or real_read(path))
    # What start-up does for the trend advice, on a data dir opened afresh.
    reader = Store.open(store.data_dir.root)
    sessions = reader.sessions(since=(now - LOOKBACK).astimezone().date())
    assert [s.id for s in sessions] == [f"s{day}" for day in range(1, 29, 2)]
    assert trend_advice(sessions, now).rule == "severe-pain"
    assert store.data_dir.journal not in listed  # opening does not look through every month's files
    window = {"2025-12.json", "2026-01.json"}
    assert {name for name in read if name[:4].isdigit()} <= window
    # The whole check, which reads every month anyway, looks through the journal folder.
    assert reader.check() == [] and store.data_dir.journal in listed
