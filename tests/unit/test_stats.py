"""Journal stats (tui/domain/stats.py): every figure against values worked out by hand."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from tui.domain.sessions import STATUSES, HoldRecord, Session
from tui.domain.stats import RECENT_WEEKS, change_in_words, compute_stats, day_of, streaks, week_start

UTC = timezone.utc


def session(when: str, status: str = "completed", before: int | None = None, after: int | None = None,
            routine: str = "r1", name: str = "Routine one", held: float = 60.0, sid: str | None = None) -> Session:
    """A session begun at `when` (ISO, UTC) holding `held` seconds over two holds."""
    start = datetime.fromisoformat(when).replace(tzinfo=UTC)
    holds = (HoldRecord("pelvic-tilt", None, 1, 30, held / 2, True), HoldRecord("pelvic-tilt", None, 2, 30, held / 2, True))
    return Session(id=sid or when, routine_id=routine, routine_name=name, started_at=start,
                   ended_at=start + timedelta(minutes=5), status=status, holds_planned=2, holds=holds,
                   pain_before=before, pain_after=after)


def test_empty_journal_has_zero_everywhere():
    stats = compute_stats([], date(2026, 1, 7), UTC)
    assert (stats.sessions, stats.seconds_held, stats.current_streak, stats.longest_streak) == (0, 0, 0, 0)
    assert stats.by_status == {s: 0 for s in STATUSES}
    assert stats.relief == ()
    assert len(stats.weeks) == RECENT_WEEKS
    assert all(w.sessions == 0 and w.pain_before is None and w.pain_after is None for w in stats.weeks)


def test_weeks_start_on_monday_and_end_with_this_week():
    stats = compute_stats([], date(2026, 1, 7), UTC, weeks=3)  # a Wednesday
    assert [w.start for w in stats.weeks] == [date(2025, 12, 22), date(2025, 12, 29), date(2026, 1, 5)]
    assert week_start(date(2026, 1, 11)) == date(2026, 1, 5)  # Sunday belongs to the week begun Monday
    assert week_start(date(2026, 1, 5)) == date(2026, 1, 5)


@pytest.mark.parametrize(("today", "current"), [
    (date(2026, 1, 6), 2),   # a session today: the run 5-6 Jan
    (date(2026, 1, 7), 2),   # none yet today: the run up to yesterday still counts
    (date(2026, 1, 8), 0),   # a whole day without one: broken
    (date(2026, 1, 4), 3),   # on 4 Jan, before any session that day, the run 1-3 Jan is alive
])
def test_streaks(today, current):
    days = [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3), date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 2)]
    assert streaks(days, today) == (current, 3)


def test_streak_counts_days_not_sessions():
    sessions = [session("2026-01-05T07:00"), session("2026-01-05T19:00"), session("2026-01-04T08:00")]
    stats = compute_stats(sessions, date(2026, 1, 5), UTC)
    assert (stats.current_streak, stats.longest_streak) == (2, 2)


def test_days_are_taken_in_the_given_zone():
    late = session("2026-01-04T23:30")  # Sunday night in UTC, Monday morning in UTC+1
    assert day_of(late.started_at, UTC) == date(2026, 1, 4)
    plus_one = timezone(timedelta(hours=1))
    assert day_of(late.started_at, plus_one) == date(2026, 1, 5)
    in_utc = compute_stats([late], date(2026, 1, 5), UTC, weeks=2)
    in_plus_one = compute_stats([late], date(2026, 1, 5), plus_one, weeks=2)
    assert [w.sessions for w in in_utc.weeks] == [1, 0]
    assert [w.sessions for w in in_plus_one.weeks] == [0, 1]


def seed() -> list[Session]:
    """Two weeks and an older session; today is Wednesday 2026-01-07."""
    return [
        # this week (from Monday 5 Jan)
        session("2026-01-07T08:00", "completed", 6, 2, held=120),
        session("2026-01-06T08:00", "stopped", 7, None, held=30),
        session("2026-01-05T08:00", "logged", 5, 4, routine="r2", name="Routine two", held=90),
        # last week (from Monday 29 Dec)
        session("2026-01-03T08:00", "interrupted", None, None, held=45),
        session("2026-01-02T08:00", "completed", 8, 3, held=150),
        session("2025-12-29T08:00", "completed", 4, 4, routine="r2", name="Routine two (old name)", held=60),
        # long before the recent weeks: totals and relief only
        session("2025-06-01T08:00", "completed", 9, 1, routine="r3", name="Routine three", held=600),
    ]


def test_totals_and_statuses():
    stats = compute_stats(seed(), date(2026, 1, 7), UTC)
    assert stats.sessions == 7
    assert stats.seconds_held == 120 + 30 + 90 + 45 + 150 + 60 + 600
    assert stats.minutes_held == pytest.approx(1095 / 60)
    assert stats.by_status == {"completed": 4, "stopped": 1, "interrupted": 1, "logged": 1}


def test_streaks_of_the_seed():
    stats = compute_stats(seed(), date(2026, 1, 7), UTC)
    # 5, 6, 7 Jan in a row (4 Jan had none); before that 2-3 Jan and 29 Dec alone.
    assert (stats.current_streak, stats.longest_streak) == (3, 3)


def test_weekly_figures_of_the_seed():
    stats = compute_stats(seed(), date(2026, 1, 7), UTC, weeks=3)
    older, last, this = stats.weeks
    assert (older.start, older.sessions, older.seconds_held, older.pain_before, older.pain_after) == (
        date(2025, 12, 22), 0, 0, None, None)
    assert (last.start, last.sessions, last.seconds_held) == (date(2025, 12, 29), 3, 45 + 150 + 60)
    assert last.pain_before == pytest.approx((8 + 4) / 2)  # the interrupted one was not rated
    assert last.pain_after == pytest.approx((3 + 4) / 2)
    assert (this.start, this.sessions, this.seconds_held) == (date(2026, 1, 5), 3, 120 + 30 + 90)
    assert this.minutes_held == pytest.approx(4.0)
    assert this.pain_before == pytest.approx((6 + 7 + 5) / 3)
    assert this.pain_after == pytest.approx((2 + 4) / 2)  # the stopped one has no rating after


def test_relief_per_routine_counts_only_sessions_rated_before_and_after():
    stats = compute_stats(seed(), date(2026, 1, 7), UTC)
    rows = [(r.routine_id, r.routine_name, r.sessions, r.average_drop) for r in stats.relief]
    assert rows == [
        ("r3", "Routine three", 1, 8.0),
        ("r1", "Routine one", 2, pytest.approx(((6 - 2) + (8 - 3)) / 2)),
        ("r2", "Routine two", 2, pytest.approx(((5 - 4) + (4 - 4)) / 2)),  # the latest name is kept
    ]


def test_relief_ties_go_to_more_sessions_then_name():
    sessions = [
        session("2026-01-05T08:00", before=5, after=3, routine="b", name="Bravo"),
        session("2026-01-05T09:00", before=5, after=3, routine="a", name="alpha"),
        session("2026-01-05T10:00", before=6, after=4, routine="c", name="Charlie"),
        session("2026-01-05T11:00", before=4, after=2, routine="c", name="Charlie"),
    ]
    stats = compute_stats(sessions, date(2026, 1, 5), UTC)
    assert [r.routine_id for r in stats.relief] == ["c", "a", "b"]


def test_pain_that_rose_shows_as_a_negative_drop():
    stats = compute_stats([session("2026-01-05T08:00", before=2, after=5)], date(2026, 1, 5), UTC)
    assert stats.relief[0].average_drop == -3


def test_order_does_not_matter_and_one_pass_is_enough():
    sessions = seed()
    expected = compute_stats(sessions, date(2026, 1, 7), UTC)
    shuffled = sessions[:]
    random.Random(7).shuffle(shuffled)
    assert compute_stats(shuffled, date(2026, 1, 7), UTC) == expected
    # A generator can be read only once: the figures must come out of a single pass.
    assert compute_stats((s for s in sessions), date(2026, 1, 7), UTC) == expected


def test_sessions_after_today_do_not_enter_the_weeks_or_the_current_streak():
    sessions = [session("2026-01-05T08:00"), session("2026-01-20T08:00")]
    stats = compute_stats(sessions, date(2026, 1, 5), UTC, weeks=2)
    assert [w.sessions for w in stats.weeks] == [0, 1]
    assert stats.current_streak == 1
    assert stats.sessions == 2


@pytest.mark.parametrize(("drop", "said"), [
    (2.0, "fell 2"), (2.54, "fell 2.5"), (-2.0, "rose 2"), (-0.4, "rose 0.4"), (0.0, "no change"), (0.04, "no change"),
])
def test_a_change_in_pain_is_said_in_words_not_signs(drop, said):
    assert change_in_words(drop) == said
