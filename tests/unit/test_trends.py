"""Trend advice (tui/domain/trends.py): each rule on made-up journals, with its boundaries worked out by hand.

`NOW` is a fixed moment; `days_ago(n)` a session begun n days before it. Week 0
is the 7 days up to now, week 1 the 7 before, and so on.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.domain.sessions import Session
from tui.domain.trends import (
    DISMISS_FOR,
    advice_hidden,
    not_improving,
    pain_before_by_week,
    rising,
    severe_in_a_week,
    trend_advice,
)

NOW = datetime(2026, 3, 2, 18, 0, tzinfo=timezone.utc)
"""The moment the advice is worked out."""


def days_ago(days: float, before: int | None = None, after: int | None = None) -> Session:
    """A logged session begun `days` days before NOW, with its pain ratings."""
    start = NOW - timedelta(days=days)
    return Session(id=f"s{days}-{before}-{after}-{random.random()}", routine_id="r", routine_name="R",
                   started_at=start, ended_at=start + timedelta(minutes=10), status="logged", holds_planned=1,
                   pain_before=before, pain_after=after)


def weekly(*weeks: tuple[int, ...]) -> list[Session]:
    """Sessions with these pain-before ratings, week by week, the OLDEST week first, ending with week 0.

    Ratings of one week are a day apart (at most 7), half a day from either boundary.
    """
    sessions = []
    for index, ratings in enumerate(weeks):
        assert len(ratings) <= 7
        week = len(weeks) - 1 - index
        for n, rating in enumerate(ratings):
            sessions.append(days_ago(7 * week + 6.5 - n, before=rating))
    return sessions


# -- the weeks ------------------------------------------------------------------


def test_weeks_count_back_from_now_and_a_session_exactly_7_days_old_is_in_week_1():
    sessions = [days_ago(0, 1), days_ago(6.99, 2), days_ago(7, 3), days_ago(13.9, 4), days_ago(14, 5), days_ago(-1, 9)]
    assert pain_before_by_week(sessions, NOW, 3) == [[1, 2], [3, 4], [5]]  # the one tomorrow is left out


def test_sessions_without_a_pain_before_rating_do_not_count():
    assert pain_before_by_week([days_ago(1, None, 5), days_ago(2, 4)], NOW, 1) == [[4]]


# -- not improving over 3 weeks ------------------------------------------------------


def test_improving_pain_gives_no_advice():
    assert trend_advice(weekly((7, 7), (6, 6), (5, 5)), NOW) is None


def test_flat_pain_over_3_weeks_is_not_improving():
    advice = trend_advice(weekly((6, 6), (6, 7), (6, 5)), NOW)
    assert advice is not None and advice.rule == "not-improving"
    assert advice.figures == (6.0, 6.5, 5.5)
    assert advice.reason == "Pain before sessions has not eased in 3 weeks: 6.0, 6.5 and 5.5 on average, week by week."
    assert advice.summary == "no better in 3 weeks, 6.0 then 5.5"


@pytest.mark.parametrize(("first", "last", "advice"), [
    ((6, 6), (5, 5), False),   # exactly 1 point lower: improving
    ((6, 6), (5, 6), True),    # 0.5 lower: not enough
    ((6, 7), (5, 6), False),   # 6.5 to 5.5: exactly 1 again
    ((4, 4), (3, 3), False),   # a point lower
    ((3, 3), (3, 3), True),    # steady at 3, the least that counts
    ((3, 3), (2, 3), False),   # steady below 3 on average: mild, no advice
])
def test_not_improving_boundaries(first, last, advice):
    assert (not_improving(weekly(first, (5, 5), last), NOW) is not None) is advice


@pytest.mark.parametrize("weeks", [
    ((6, 6), (6, 6), (6,)),      # the last week has only one rating
    ((6,), (6, 6), (6, 6)),      # the first week has only one
    ((6, 6), (), (6, 6)),        # a week without sessions
    ((6, 6), (6, 6)),            # only two weeks of history
])
def test_not_improving_needs_2_ratings_in_each_of_3_weeks(weeks):
    assert not_improving(weekly(*weeks), NOW) is None


# -- rising over 2 weeks -------------------------------------------------------------


def test_rising_pain_gives_the_two_averages():
    # 5 ratings summing 26 (5.2) in the fortnight before, 10 summing 61 (6.1) in the last.
    sessions = weekly((5, 5, 5), (6, 5), (6, 6, 6, 6, 7), (6, 6, 6, 6, 6))
    advice = trend_advice(sessions, NOW)
    assert advice is not None and advice.rule == "rising"
    assert advice.reason == "Pain before sessions: 6.1 average in the last 2 weeks, 5.2 the 2 weeks before."
    assert advice.summary == "pain rising, 5.2 to 6.1"
    assert advice.figures == (6.1, 5.2)


@pytest.mark.parametrize(("before", "last", "advice"), [
    ((5, 5, 5, 5), (5, 6, 5, 6), True),    # 5.0 to 5.5: exactly the margin
    ((5, 5, 5, 5), (5, 5, 5, 6), False),   # 5.0 to 5.25
    ((6, 6, 6, 6), (5, 5, 5, 5), False),   # falling
    ((2, 2, 2), (3, 3, 3), True),          # rising from low pain still counts
])
def test_rising_boundaries(before, last, advice):
    sessions = weekly(before[:2], before[2:], last[:2], last[2:])
    assert (rising(sessions, NOW) is not None) is advice


def test_rising_needs_3_ratings_in_each_fortnight():
    assert rising(weekly((5,), (5,), (7, 7), (7, 7)), NOW) is None
    assert rising(weekly((5, 5), (5,), (7,), (7,)), NOW) is None
    assert rising(weekly((5, 5), (5,), (7, 7), (7,)), NOW) is not None


# -- two sessions in a week with pain 8 or more --------------------------------------


def test_two_severe_sessions_in_a_week_before_or_after():
    advice = trend_advice([days_ago(1, before=8, after=6), days_ago(5, before=5, after=9), days_ago(3, 4, 4)], NOW)
    assert advice is not None and advice.rule == "severe-pain"
    assert advice.reason == "2 sessions in the last 7 days with pain of 8 or more (the highest 9)."
    assert advice.summary == "pain 8+ in 2 sessions this week"


@pytest.mark.parametrize(("sessions", "advice"), [
    ([days_ago(1, 8)], False),                         # one is not enough
    ([days_ago(1, 7), days_ago(2, 7, 7)], False),      # 7 is not severe
    ([days_ago(1, 8), days_ago(6.99, 10)], True),      # both within 7 days
    ([days_ago(1, 8), days_ago(7, 10)], False),        # exactly 7 days old: last week
    ([days_ago(1, 8), days_ago(-0.5, 10)], False),     # one in the future (a clock set wrong)
    ([days_ago(0, None, 8), days_ago(0.1, None, 8)], True),  # after ratings count too
])
def test_severe_boundaries(sessions, advice):
    assert (severe_in_a_week(sessions, NOW) is not None) is advice


# -- which advice, and sparse journals --------------------------------------------------


def test_severe_comes_before_rising_and_rising_before_not_improving():
    rising_and_flat = weekly((5, 5), (5, 5), (6, 6), (6, 6))
    assert rising(rising_and_flat, NOW) and not_improving(rising_and_flat, NOW)
    assert trend_advice(rising_and_flat, NOW).rule == "rising"
    severe = [days_ago(1.2, 9), days_ago(1.3, 9)]
    assert trend_advice(rising_and_flat + severe, NOW).rule == "severe-pain"


@pytest.mark.parametrize("sessions", [
    [],
    [days_ago(1, 9)],
    [days_ago(d, 6) for d in (1, 3, 9, 11)],                 # two weeks only
    [days_ago(d, None) for d in range(0, 28)],               # every day, never rated
    [days_ago(d, 9, 9) for d in (29, 30, 31, 35, 40)],       # severe, but over four weeks ago
])
def test_sparse_or_old_journals_give_no_advice(sessions):
    assert trend_advice(sessions, NOW) is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(min_value=-2, max_value=40), st.one_of(st.none(), st.integers(0, 10)),
                          st.one_of(st.none(), st.integers(0, 10))), max_size=40), st.randoms())
def test_the_order_of_the_sessions_does_not_matter(rows, shuffle):
    sessions = [days_ago(d, before, after) for d, before, after in rows]
    advice = trend_advice(sessions, NOW)
    shuffle.shuffle(sessions)
    assert trend_advice(sessions, NOW) == advice
    assert advice is None or advice.rule in ("severe-pain", "rising", "not-improving")


# -- dismissal --------------------------------------------------------------------------


@pytest.mark.parametrize(("dismissed", "hidden"), [
    (None, False),
    (NOW - timedelta(days=6, hours=23), True),
    (NOW, True),
    (NOW - DISMISS_FOR, False),                 # a week on: shown again
    (NOW + timedelta(days=1), False),           # dismissed "tomorrow": the clock moved back; show it
])
def test_dismissed_advice_stays_hidden_for_a_week(dismissed, hidden):
    assert advice_hidden(dismissed, NOW) is hidden
