"""Trend advice: when the journal says it is time to see a clinician, and why, in numbers.

Three rules over the sessions of the last few weeks, each a pure function of
the sessions and "now" (no clock, no disk, no Textual). Weeks are counted back
from now, not by the calendar: week 0 is the 7 days up to now, week 1 the 7
days before that, and so on; a session belongs to the week its start falls in
(a session exactly 7 days old is in week 1). Sessions after now are left out.

- **severe pain in a week** (`severe_in_a_week`): at least 2 sessions begun in
  the last 7 days with a pain rating of 8 or more, before or after.
- **rising** (`rising`): the average pain before sessions of the last 14 days
  is at least 0.5 above that of the 14 days before; each fortnight needs 3
  ratings at least.
- **not improving** (`not_improving`): each of the last 3 weeks has 2 ratings
  of pain before at least, week 0's average is 3 or more (steady mild pain is
  no reason to send anyone), and it is not at least 1 point below week 2's.

Sparser journals give no advice. Averages are compared exactly (as fractions),
so a boundary case goes the same way on every machine. When several rules
apply, the advice names the most pressing: severe, then rising, then not
improving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Iterable

from tui.domain.session_rows import SessionRow
from tui.domain.sessions import SEVERE_PAIN, Session

Rated = Session | SessionRow
"""What the rules read of a session: when it began and its pain before and after (a row has them too)."""

WEEK = timedelta(days=7)
"""The length of a week counted back from now."""
LOOKBACK = 4 * WEEK
"""How far back any rule looks: older sessions need not be read."""

SEVERE_SESSIONS = 2
"""Sessions with pain of SEVERE_PAIN or more, in the last 7 days, that call for advice."""

RISING_MARGIN = Fraction(1, 2)
"""How far the last 14 days' average must be above the 14 days before to count as rising."""
RISING_MIN_RATINGS = 3
"""Pain-before ratings each fortnight needs before the rising rule can speak."""

NOT_IMPROVING_WEEKS = 3
"""How many weeks the not-improving rule looks at."""
IMPROVEMENT_MARGIN = Fraction(1)
"""How far the last week's average must be below the first week's to count as improving."""
NOT_IMPROVING_MIN_RATINGS = 2
"""Pain-before ratings each of those weeks needs before the rule can speak."""
NOTABLE_PAIN = Fraction(3)
"""The last week's average must be at least this for steady pain to call for advice."""

DISMISS_FOR = timedelta(days=7)
"""How long dismissed advice stays hidden."""

HEADLINE = "Time to see a clinician about your back."
"""What the advice says first, whatever the rule."""


@dataclass(frozen=True)
class TrendAdvice:
    """Advice to see a clinician, with the reason in numbers."""

    rule: str
    """Which rule spoke: `severe-pain`, `rising` or `not-improving`."""
    reason: str
    """Why, in a sentence with the numbers."""
    summary: str
    """Why, in a few words with the numbers, for a narrow screen."""
    figures: tuple[float, ...]
    """The numbers the reason gives, in its order."""


def _recent(sessions: Iterable[Rated], now: datetime) -> list[Rated]:
    return [s for s in sessions if now - LOOKBACK <= s.started_at <= now]


def _week(session: Rated, now: datetime) -> int:
    """Which week counted back from now a session began in: 0 for the last 7 days."""
    age = now - session.started_at
    return 0 if age < WEEK else age // WEEK


def _average(ratings: list[int]) -> Fraction:
    return Fraction(sum(ratings), len(ratings))


def _one(value: Fraction) -> str:
    """A figure as the advice shows it: one decimal."""
    return f"{float(value):.1f}"


def pain_before_by_week(sessions: Iterable[Rated], now: datetime, weeks: int) -> list[list[int]]:
    """The pain-before ratings of each of the last `weeks` weeks, week 0 (the last 7 days) first."""
    by_week: list[list[int]] = [[] for _ in range(weeks)]
    for session in sessions:
        if session.pain_before is None or session.started_at > now:
            continue
        week = _week(session, now)
        if week < weeks:
            by_week[week].append(session.pain_before)
    return by_week


def severe_in_a_week(sessions: Iterable[Rated], now: datetime) -> TrendAdvice | None:
    """Advice when 2 or more sessions of the last 7 days had pain of 8 or more, before or after."""
    worst = []
    for session in sessions:
        if session.started_at > now or now - session.started_at >= WEEK:
            continue
        ratings = [p for p in (session.pain_before, session.pain_after) if p is not None]
        if ratings and max(ratings) >= SEVERE_PAIN:
            worst.append(max(ratings))
    if len(worst) < SEVERE_SESSIONS:
        return None
    highest = max(worst)
    return TrendAdvice(
        rule="severe-pain",
        reason=f"{len(worst)} sessions in the last 7 days with pain of {SEVERE_PAIN} or more (the highest {highest}).",
        summary=f"pain {SEVERE_PAIN}+ in {len(worst)} sessions this week",
        figures=(float(len(worst)), float(highest)),
    )


def rising(sessions: Iterable[Rated], now: datetime) -> TrendAdvice | None:
    """Advice when pain before sessions rose by 0.5 or more from the 14 days before to the last 14."""
    weeks = pain_before_by_week(sessions, now, 4)
    last, before = weeks[0] + weeks[1], weeks[2] + weeks[3]
    if len(last) < RISING_MIN_RATINGS or len(before) < RISING_MIN_RATINGS:
        return None
    last_average, before_average = _average(last), _average(before)
    if last_average - before_average < RISING_MARGIN:
        return None
    return TrendAdvice(
        rule="rising",
        reason=f"Pain before sessions: {_one(last_average)} average in the last 2 weeks, "
               f"{_one(before_average)} the 2 weeks before.",
        summary=f"pain rising, {_one(before_average)} to {_one(last_average)}",
        figures=(float(last_average), float(before_average)),
    )


def not_improving(sessions: Iterable[Rated], now: datetime) -> TrendAdvice | None:
    """Advice when pain before sessions has not eased by a point over 3 weeks of sessions."""
    weeks = pain_before_by_week(sessions, now, NOT_IMPROVING_WEEKS)
    if any(len(week) < NOT_IMPROVING_MIN_RATINGS for week in weeks):
        return None
    averages = [_average(week) for week in reversed(weeks)]  # oldest first, as they are read out
    first, last = averages[0], averages[-1]
    if last < NOTABLE_PAIN or first - last >= IMPROVEMENT_MARGIN:
        return None
    return TrendAdvice(
        rule="not-improving",
        reason=f"Pain before sessions has not eased in 3 weeks: {', '.join(map(_one, averages[:-1]))} "
               f"and {_one(last)} on average, week by week.",
        summary=f"no better in 3 weeks, {_one(first)} then {_one(last)}",
        figures=tuple(float(a) for a in averages),
    )


def trend_advice(sessions: Iterable[Rated], now: datetime) -> TrendAdvice | None:
    """The most pressing advice the journal calls for, or None (see the module's rules)."""
    recent = _recent(sessions, now)
    for rule in (severe_in_a_week, rising, not_improving):
        advice = rule(recent, now)
        if advice is not None:
            return advice
    return None


def advice_hidden(dismissed_at: datetime | None, now: datetime) -> bool:
    """Whether advice dismissed at `dismissed_at` is still hidden `now` (for DISMISS_FOR)."""
    return dismissed_at is not None and timedelta(0) <= now - dismissed_at < DISMISS_FOR
