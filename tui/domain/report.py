"""What a report to take to a clinician holds, gathered from the journal, the plans and the answers.

Pure: the caller reads the data dir and passes everything in; `tui/report.py`
lays it out as HTML or Markdown. The report names no one: the journal holds no
names of people, and nothing here adds one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Iterable, Mapping

from tui.domain.exercises import Exercise
from tui.domain.routines import Routine
from tui.domain.schedule import DoneCounts, PlanHistory, counts_as_done, weekly_adherence
from tui.domain.sessions import Session
from tui.domain.warning_signs import PROBLEMS, ScreeningAnswer

DEFAULT_DAYS = 90
"""How far back a report goes when no start is given."""


@dataclass(frozen=True)
class PainPoint:
    """One session's pain ratings."""

    day: date
    before: int | None
    after: int | None


@dataclass(frozen=True)
class Week:
    """Sessions done in one week (Monday first), and what the plans asked for (None without a plan)."""

    start: date
    done: int
    planned: int | None


@dataclass(frozen=True)
class Discomfort:
    """How one exercise felt over the period, from the ratings after its steps."""

    name: str
    ratings: tuple[int, ...]

    @property
    def average(self) -> float:
        """The mean rating, 0-10."""
        return sum(self.ratings) / len(self.ratings)


@dataclass(frozen=True)
class Entry:
    """A dated line of the report: an event, an answer or a note."""

    at: datetime
    text: str
    detail: str = ""


@dataclass(frozen=True)
class PlannedRoutine:
    """A routine as planned at the end of the period: how often, and each step."""

    name: str
    plan: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, for the days `since` to `until` (both included)."""

    since: date
    until: date
    sessions: int
    completed: int
    pain: tuple[PainPoint, ...]
    weeks: tuple[Week, ...]
    discomfort: tuple[Discomfort, ...]
    events: tuple[Entry, ...]
    screenings: tuple[Entry, ...]
    notes: tuple[Entry, ...]
    routines: tuple[PlannedRoutine, ...]


SCREENING_TEXT = {
    "emergency": "an emergency warning sign applied",
    "urgent": "an urgent warning sign applied",
    "none": "none of the warning signs applied",
}
"""A warning-sign answer in words."""


def step_text(routine: Routine, exercises: Mapping[str, Exercise]) -> tuple[str, ...]:
    """Each step as a line: `Hamstring Stretch: 5 × 20 s, both sides, 10 s rest`."""
    lines = []
    for step in routine.steps:
        exercise = exercises.get(step.exercise)
        sides = {"both": ", both sides", "left": ", left side", "right": ", right side"}.get(step.sides, "")
        rest = f", {step.rest_seconds} s rest" if step.rest_seconds else ""
        lines.append(f"{exercise.name if exercise else step.exercise}: {step.reps} × {step.hold_seconds} s{sides}{rest}")
    return tuple(lines)


def gather(sessions: Iterable[Session], since: date, until: date, zone: tzinfo, history: PlanHistory,
           screenings: Iterable[ScreeningAnswer], routines: Iterable[Routine],
           exercises: Mapping[str, Exercise]) -> ReportData:
    """The report of the days `since`..`until` in `zone` (sessions and answers outside them are left out)."""
    if until < since:
        raise ValueError(f"the report's end ({until}) is before its start ({since})")
    chosen = sorted((s for s in sessions if since <= s.started_at.astimezone(zone).date() <= until),
                    key=lambda s: s.started_at)
    pain = tuple(PainPoint(s.started_at.astimezone(zone).date(), s.pain_before, s.pain_after)
                 for s in chosen if s.pain_before is not None or s.pain_after is not None)
    counts = DoneCounts.from_sessions(chosen, zone)
    first_monday = since - timedelta(days=since.weekday())
    adherence = {w.start: w for w in weekly_adherence(history, counts, first_monday, until, until=until)}
    weeks = []
    monday = first_monday
    while monday <= until:
        end = monday + timedelta(days=7)
        done = sum(1 for s in chosen if monday <= s.started_at.astimezone(zone).date() < end
                   and counts_as_done(s.status, s.holds_done))
        planned = adherence[monday].planned if monday in adherence and adherence[monday].planned else None
        weeks.append(Week(monday, done, planned))
        monday = end
    ratings: dict[str, list[int]] = {}
    for session in chosen:
        for rating in session.step_ratings:
            exercise = exercises.get(rating.exercise)
            ratings.setdefault(exercise.name if exercise else rating.exercise, []).append(rating.discomfort)
    labels = {advice.kind: advice.label for advice in PROBLEMS}
    events = tuple(Entry(e.at, f"{labels.get(e.kind, e.kind)} during {s.routine_name}", e.note)
                   for s in chosen for e in s.events)
    answers = tuple(Entry(a.at, SCREENING_TEXT.get(a.answer, a.answer))
                    for a in sorted(screenings, key=lambda a: a.at) if since <= a.at.astimezone(zone).date() <= until)
    notes = tuple(Entry(s.started_at, s.routine_name, s.note) for s in chosen if s.note.strip())
    by_id = {r.id: r for r in routines}
    plans = tuple(PlannedRoutine(by_id[p.routine_id].name if p.routine_id in by_id else p.routine_name,
                                   p.describe(), step_text(by_id[p.routine_id], exercises) if p.routine_id in by_id else ())
                    for p in history.in_force(until))
    return ReportData(
        since=since, until=until, sessions=len(chosen), completed=sum(1 for s in chosen if s.status == "completed"),
        pain=pain, weeks=tuple(weeks),
        discomfort=tuple(Discomfort(name, tuple(values)) for name, values in sorted(ratings.items())),
        events=events, screenings=answers, notes=notes, routines=plans)
