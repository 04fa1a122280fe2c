"""How each stretch feels over time, by the pain-monitoring model's traffic light; and the problems reported with `!`.

After each step the person may rate the discomfort of its stretch, 0-10. The
pain-monitoring model physiotherapists use to pace exercise for painful
conditions reads such ratings as a traffic light: a little discomfort is fine,
some is acceptable if it settles, and more means the exercise should change.
This module holds the bands, where the model comes from, what a rating in the
red brings during a session (`stretch_change`: the app and plain mode both ask
it), and the figures the stats screen shows per exercise. Plain data, no Textual.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

from tui.domain.engine import SessionEngine, shortened_seconds
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
"""A rating at or above this offers, at once, to shorten the stretch or leave it out for the rest of the session
(see `stretch_change`)."""
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


SHORTEN = "shorten"
"""Hold the stretch a third shorter for the rest of the session."""
LEAVE_OUT = "leave-out"
"""Leave the stretch out for the rest of the session."""
CARRY_ON = "carry-on"
"""Change nothing."""


def times(count: int) -> str:
    """`once more`, `twice more`, `3 more times`."""
    return {1: "once more", 2: "twice more"}.get(count, f"{count} more times")


@dataclass(frozen=True)
class StretchChange:
    """What a rating of CHANGE_FROM or more brings, in words both front ends say.

    While the stretch still comes in this session, an offer: shorten it, leave
    it out, or carry on (`offered`). When it does not come again, advice for
    next time (`next_time`) instead.
    """

    exercise: str
    """The exercise id of the stretch rated."""
    exercise_name: str
    """Its name, as the user knows it."""
    rating: int
    """The rating, CHANGE_FROM or more."""
    holds_to_come: int
    """How many of its holds are still ahead and not left out (0: nothing to offer)."""
    seconds: int
    """How long the next of them is planned to be (0 when none comes)."""

    @property
    def offered(self) -> bool:
        """Whether the stretch comes again, so there is something to change now."""
        return self.holds_to_come > 0

    @property
    def shorter(self) -> int:
        """How long the next hold would be, shortened."""
        return shortened_seconds(self.seconds)

    @property
    def question(self) -> str:
        """The offer's first line."""
        return f"{self.rating} out of 10: change that stretch?"

    @property
    def why(self) -> str:
        """Why it is offered: the traffic light's red."""
        return f"At {CHANGE_FROM} or more, a stretch should be changed or left out for now."

    @property
    def comes_again(self) -> str:
        """What follows the stretch's name: how often it comes in this session."""
        return f"comes {times(self.holds_to_come)} in this session."

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        """(choice, what it does) of each answer, in the order offered."""
        return (
            (SHORTEN, f"shorten it: hold {self.shorter} s instead of {self.seconds} s"),
            (LEAVE_OUT, "leave it out for the rest of this session"),
            (CARRY_ON, "carry on as planned"),
        )

    @property
    def next_time(self) -> str:
        """The advice when the stretch does not come again in this session."""
        return f"{self.exercise_name}: {self.rating} of 10. Next time, shorten it or leave it out (edit the routine)."

    def done(self, choice: str) -> str:
        """What was changed, said after the choice ('' for CARRY_ON)."""
        return {SHORTEN: f"{self.exercise_name} is shorter from now on.",
                LEAVE_OUT: f"{self.exercise_name} is left out from now on."}.get(choice, "")


def stretch_change(engine: SessionEngine, step_index: int, rating: int, now: float) -> StretchChange | None:
    """What rating step `step_index`'s stretch `rating` brings at `now`: None below CHANGE_FROM, else a StretchChange."""
    if rating < CHANGE_FROM:
        return None
    exercise = next(hold.exercise for hold in engine.plan if hold.step_index == step_index)
    to_come = engine.holds_to_come(exercise.id, now)
    seconds = 0
    if to_come:  # every hold still ahead is at or after the engine's index
        seconds = next(hold.planned_seconds for hold in engine.plan[engine.index:] if hold.exercise.id == exercise.id)
    return StretchChange(exercise.id, exercise.name, rating, to_come, seconds)


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
