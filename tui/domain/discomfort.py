"""How each stretch feels over time, by the pain-monitoring model's traffic light; and the problems reported with `!`.

After each step the person may rate the discomfort of its stretch, 0-10. The
pain-monitoring model physiotherapists use to pace exercise for painful
conditions reads such ratings as a traffic light: a little discomfort is fine,
some is acceptable if it settles, and more means the exercise should change.
This module holds the bands, where the model comes from, and the figures the
stats screen shows per exercise. Plain data, no Textual.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

from tui.domain.session_rows import SessionRow
from tui.domain.sessions import DISCOMFORT_LIMITS, Session
from tui.domain.warning_signs import PROBLEM_KINDS, Source


@dataclass(frozen=True)
class Band:
    """One colour of the traffic light."""

    id: str
    """`ok`, `watch` or `change`: the word shown with it, so it reads without colour."""
    low: int
    """Lowest rating in the band."""
    high: int
    """Highest rating in the band."""
    meaning: str
    """What it means, in a few words."""


BANDS = (
    Band("ok", 0, 3, "fine"),
    Band("watch", 4, 5, "acceptable if it settles by the next day"),
    Band("change", 6, DISCOMFORT_LIMITS[1], "change that stretch or leave it out"),
)
"""The traffic light, green to red."""
CHANGE_FROM = BANDS[-1].low
"""A rating at or above this offers, at once, to shorten the stretch or leave it out for the rest of the session."""
TREND_WINDOW = 5
"""The trend compares the average of the last this-many ratings of a stretch with the this-many before."""
TREND_STEP = 1.0
"""A change in that average of at least this many points is a trend ("easing", "rising"); less is "steady"."""

MODEL_SOURCES: tuple[Source, ...] = (
    Source("Thomeé R. A comprehensive treatment approach for patellofemoral pain syndrome in young women. "
           "Physical Therapy 1997;77(12):1690-1703", "where the pain-monitoring model was described"),
    Source("Silbernagel KG, Thomeé R, Eriksson BI, Karlsson J. Continued sports activity, using a pain-monitoring "
           "model, during rehabilitation in patients with Achilles tendinopathy: a randomized controlled study. "
           "American Journal of Sports Medicine 2007;35(6):897-906", "the model used to pace exercise, and tested"),
)
"""Where the traffic light comes from; named in help. Facts from these, wording the project's own."""
MODEL_SUMMARY = (
    "Physiotherapists pace exercise for painful conditions with a pain-monitoring model: some pain during an "
    "exercise is acceptable if it stays moderate (up to about 5 out of 10) and has settled by the next morning; "
    "more than that means the exercise should be changed or left out for now. backrelief reads the rating you "
    "give after each stretch the same way: 0-3 fine, 4-5 acceptable if it settles by the next day, 6-10 change "
    "that stretch or leave it out. It is a rule of thumb, not a diagnosis."
)
"""The model in the project's own words, for help."""


def band_for(value: float) -> Band:
    """The band of a rating or an average of ratings (an average is rounded half up: 3.5 is `watch`)."""
    rounded = math.floor(value + 0.5)
    for band in BANDS:
        if rounded <= band.high:
            return band
    return BANDS[-1]


@dataclass(frozen=True)
class ExerciseDiscomfort:
    """How one stretch has felt, over every rating of it."""

    exercise: str
    """The exercise id."""
    ratings: int
    """How many times it was rated."""
    average: float
    """The average of every rating."""
    recent: float
    """The average of the last TREND_WINDOW ratings (all of them, when fewer)."""
    earlier: float | None
    """The average of the TREND_WINDOW ratings before those, or None when there are none."""
    latest: int
    """The last rating."""

    @property
    def trend(self) -> str | None:
        """`easing`, `rising` or `steady` (recent against earlier), or None without earlier ratings."""
        if self.earlier is None:
            return None
        change = self.recent - self.earlier
        if change <= -TREND_STEP:
            return "easing"
        if change >= TREND_STEP:
            return "rising"
        return "steady"

    @property
    def band(self) -> Band:
        """The traffic light of the recent ratings: how the stretch feels now."""
        return band_for(self.recent)


def discomfort_by_exercise(sessions: Iterable[Session | SessionRow]) -> tuple[ExerciseDiscomfort, ...]:
    """Each rated exercise's figures, the one that hurts most now first (then by more ratings, then by id)."""
    rated: list[tuple[object, int, str, int]] = []
    for session in sessions:
        for rating in session.step_ratings:
            rated.append((session.started_at, rating.step, rating.exercise, rating.discomfort))
    rated.sort(key=lambda item: (item[0], item[1]))  # oldest first: "last" means the latest sessions
    by_exercise: dict[str, list[int]] = {}
    for _, _, exercise, discomfort in rated:
        by_exercise.setdefault(exercise, []).append(discomfort)
    figures = []
    for exercise, values in by_exercise.items():
        recent = values[-TREND_WINDOW:]
        earlier = values[-2 * TREND_WINDOW:-TREND_WINDOW]
        figures.append(ExerciseDiscomfort(
            exercise=exercise,
            ratings=len(values),
            average=sum(values) / len(values),
            recent=sum(recent) / len(recent),
            earlier=sum(earlier) / len(earlier) if earlier else None,
            latest=values[-1],
        ))
    figures.sort(key=lambda f: (-f.recent, -f.ratings, f.exercise))
    return tuple(figures)


def problem_counts(sessions: Iterable[Session | SessionRow]) -> dict[str, int]:
    """How many problems of each kind were reported with `!`, every kind present, in PROBLEM_KINDS order."""
    counts = dict.fromkeys(PROBLEM_KINDS, 0)
    for session in sessions:
        for event in session.events:
            counts[event.kind] = counts.get(event.kind, 0) + 1
    return counts
