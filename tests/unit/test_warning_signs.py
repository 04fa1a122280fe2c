"""Warning signs (tui/domain/warning_signs.py), the answers to the first-run question and where they are kept."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pytest

from tui.domain.problems import ValidationError
from tui.domain.settings import Settings
from tui.domain.warning_signs import (
    EMERGENCY,
    NOT_A_DIAGNOSIS,
    PROBLEM_KINDS,
    PROBLEMS,
    SCREENED_TIERS,
    SOURCES,
    TIERS,
    ScreeningAnswer,
    advice_for,
    plain_text,
    sign,
    tier,
)
from tui.storage.files import DataFileError, transaction
from tui.storage.store import Store

UTC = timezone.utc


def test_three_tiers_most_serious_first_with_the_signs_the_issue_lists():
    assert [t.id for t in TIERS] == ["emergency", "urgent", "soon"]
    assert [len(t.signs) for t in TIERS] == [5, 6, 3]
    assert "emergency number" in tier("emergency").action and "emergency department" in tier("emergency").action
    assert "today" in tier("urgent").action
    assert "appointment" in tier("soon").action
    assert tier("emergency").advice.endswith("Do not do the stretches.")
    ids = [s.id for t in TIERS for s in t.signs]
    assert len(ids) == len(set(ids))
    assert all(s.tier == t.id for t in TIERS for s in t.signs)
    assert SCREENED_TIERS == ("emergency", "urgent")


def test_signs_and_tiers_are_found_by_id_and_unknown_ones_are_refused():
    assert sign("both-legs").tier == "emergency"
    assert sign("weight-loss").tier == "urgent"
    with pytest.raises(KeyError):
        sign("headache")
    with pytest.raises(KeyError):
        tier("later")


def test_every_kind_of_the_something_is_wrong_key_has_advice_with_the_emergency_signs_first():
    assert PROBLEM_KINDS == ("sharp-pain", "numbness", "leg-pain", "dizziness", "other")
    assert tuple(p.kind for p in PROBLEMS) == PROBLEM_KINDS
    order = [t.id for t in TIERS]
    for kind in PROBLEM_KINDS:
        advice = advice_for(kind)
        assert advice.signs and advice.advice and advice.label
        tiers = [order.index(s.tier) for s in advice.signs]
        assert tiers == sorted(tiers)  # most serious first
        assert advice.tier.id == advice.signs[0].tier
    assert {s.id for s in advice_for("numbness").signs} >= {"saddle-numbness", "both-legs"}
    assert advice_for("leg-pain").tier.id == EMERGENCY
    with pytest.raises(KeyError):
        advice_for("headache")


def test_plain_text_has_every_sign_the_note_and_both_sources():
    text = plain_text()
    for each in TIERS:
        assert f"{each.title}: {each.action}" in text
        assert all(s.text in text for s in each.signs)
    assert NOT_A_DIAGNOSIS in text and "not a diagnosis" in NOT_A_DIAGNOSIS
    assert "NICE guideline NG59" in text and "Low back pain and sciatica in over 16s" in text
    assert "NHS" in text
    assert len(SOURCES) == 2


def test_an_answer_is_one_of_three_and_has_its_offset():
    at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert ScreeningAnswer(at, "none").answer == "none"
    with pytest.raises(ValueError, match="answer must be one of"):
        ScreeningAnswer(at, "soon")
    with pytest.raises(ValueError, match="UTC offset"):
        ScreeningAnswer(at.replace(tzinfo=None), "urgent")


# -- the answers on disk ------------------------------------------------------------------


def test_answers_are_kept_with_their_times_oldest_first_in_a_private_file(store):
    first = ScreeningAnswer(datetime(2026, 3, 2, 9, tzinfo=timezone(timedelta(hours=2))), "urgent")
    later = ScreeningAnswer(datetime(2026, 3, 9, 9, tzinfo=UTC), "none")
    assert store.screenings.list() == []
    store.screenings.add(later)
    store.screenings.add(first)
    again = Store.open(store.data_dir.root)
    assert again.screenings.list() == [first, later]
    assert again.screenings.list()[0].at.utcoffset() == timedelta(hours=2)
    assert os.stat(store.data_dir.screenings).st_mode & 0o777 == 0o600


def test_an_answer_that_cannot_be_read_names_the_file(store):
    with transaction(store.data_dir.screenings) as db:
        db.table("answers").insert({"at": "yesterday", "answer": "none"})
    with pytest.raises(DataFileError, match=r"screenings\.json holds an answer that cannot be read"):
        store.screenings.list()


def test_an_unreadable_answers_file_is_moved_aside_by_the_start_up_check(store):
    store.data_dir.screenings.write_text("{not json")
    messages = store.check(journal=False)
    assert len(messages) == 1 and "screenings.json" in messages[0]
    assert store.screenings.list() == []


# -- when the trend advice was dismissed ----------------------------------------------------


def test_the_dismissal_time_is_stored_as_a_time_with_its_offset(store):
    stored = store.settings.change(advice_dismissed_at="2026-03-02T09:00:00+01:00")
    assert stored.advice_dismissed == datetime(2026, 3, 2, 8, tzinfo=UTC)
    assert Settings().advice_dismissed is None
    for bad in ("2026-03-02T09:00:00", "soon", 5):
        with pytest.raises(ValidationError, match="advice_dismissed_at"):
            store.settings.change(advice_dismissed_at=bad)
    assert store.settings.load() == stored
