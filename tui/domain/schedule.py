"""Plans: how often to do a routine, on which days, within which hours; and what that makes due.

A plan asks for `per_day` sessions of one routine on some days of the week,
spread evenly over its hours: 2 a day from 08:00 to 18:00 opens one slot at
08:00 and the next at 13:00. A routine is *due* while fewer sessions were done
today than slots have opened, within the hours; once the hours are over it
waits for the next planned day (a reminder at midnight helps nobody). A
session done early counts too: one done at 07:30 covers the 08:00 slot.

What counts as done (`counts_as_done`): a completed session, a stopped one with
at least one hold done, and a logged one. Logged sessions count because the
plan is about doing the stretches, not about doing them in the app: the
person who stretched at work and wrote it down with `backrelief log` kept to
it, and leaving logged sessions out would only teach people not to log.
Interrupted sessions do not count: the app offers to resume them, and the
resumed session counts when it ends.

Everything here is pure: it takes `now` (aware) and a zone (`zoneinfo.ZoneInfo`
in tests, `zone.SystemZone` in the app) and reads no clock. Days are the
user's calendar days in that zone. Plans keep their history: each change
starts a new version on the day it was made, so a past week is judged by the
plan that was in force then, and a plan can move to another routine (a
routine's "(mine)" copy) without rewriting the past.

Cheap to import on purpose (no dataclasses, typing or pathlib): `backrelief
status` loads it every few seconds and must start about as fast as Python.
The validation errors' module is loaded only when input is refused.
"""

from __future__ import annotations

from tui.domain.datetimes import date, datetime, time, timedelta, timezone, tzinfo

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import TypeVar

    from tui.domain.problems import ValidationError
    from tui.domain.session_rows import SessionRow
    from tui.domain.sessions import Session

    _V = TypeVar("_V", bound="_Value")

PER_DAY_LIMITS = (1, 12)
"""Sessions a day a plan may ask for: up to one an hour over a twelve-hour day."""
MIN_GAP_MINUTES = 15
"""Slots of one plan are at least this far apart: a stretch routine takes minutes, not seconds."""
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The days as `--days` spells them, Monday first (weekday 0)."""
EVERY_DAY = frozenset(range(7))
"""Every day of the week."""
DEFAULT_DAYS = "daily"
"""Days when none are given."""
DEFAULT_HOURS = "08-20"
"""Hours when none are given: waking hours, so nothing falls due at night."""
RECENT_WEEKS = 12
"""Weeks of adherence the stats show (the same span as the journal's other weekly figures)."""
DAYS_HELP = "daily, weekdays, weekends, a day (mon), a range (mon-fri) or a list (mon,wed,fri)"
"""How `--days` is written, for messages and help."""
HOURS_HELP = "a start and an end like 08-18 or 8:30-17:00 (the end may be 24)"
"""How `--hours` is written, for messages and help."""

_UTC = timezone.utc
_DAY_WORDS = {name: i for i, name in enumerate(DAY_NAMES)} | {
    "monday": 0, "tues": 1, "tuesday": 1, "wednesday": 2, "thur": 3, "thurs": 3, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}
_DAY_SETS = {"daily": EVERY_DAY, "everyday": EVERY_DAY, "all": EVERY_DAY,
             "weekdays": frozenset(range(5)), "weekends": frozenset((5, 6)), "weekend": frozenset((5, 6))}
_SHOWN_DAYS = tuple(name.title() for name in DAY_NAMES)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class _Value:
    """A small value: fields set once (from `__slots__`, by position or name), equality, repr and `_replace`.

    Not a dataclass or namedtuple: building those at import costs `status` more
    than the rest of this module.
    """

    __slots__: tuple[str, ...] = ()

    def __init__(self, *args: object, **kwargs: object) -> None:
        names = self.__slots__
        values = dict(zip(names, args))
        values.update(kwargs)
        if len(args) > len(names) or len(values) != len(names):
            raise TypeError(f"{type(self).__name__} takes {', '.join(names)}")
        for name in names:
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} cannot be changed; use _replace")

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Value) and type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"

    def _replace(self: _V, **changes: object) -> _V:
        """A copy with some fields changed."""
        return type(self)(**{name: changes.get(name, getattr(self, name)) for name in self.__slots__})


def _invalid(problems: list[tuple[str, str]]) -> ValidationError:
    """The error refusing some input: (field, reason) pairs."""
    from tui.domain.problems import Problem, ValidationError  # dataclasses: kept off `status`'s start-up

    return ValidationError([Problem(field, reason) for field, reason in problems])


# -- reading and writing a plan's parts --------------------------------------------------


def parse_per_day(value: object) -> int:
    """Sessions a day, from a number or typed text; ValidationError on `per-day` otherwise."""
    from tui.domain.whole_numbers import parse_whole

    try:
        return parse_whole(str(value) if not isinstance(value, bool) else "", PER_DAY_LIMITS)
    except ValueError as error:
        raise _invalid([("per-day", str(error))]) from None


def parse_days(text: str) -> frozenset[int]:
    """Weekday numbers (Monday 0) from `daily`, `weekdays`, `mon`, `mon-fri`, `mon,wed,fri` or a mix."""
    words = text.strip().lower()
    if not words:
        raise _invalid([("days", f"say which days: {DAYS_HELP}")])
    if words in _DAY_SETS:
        return _DAY_SETS[words]
    days: set[int] = set()
    for part in words.split(","):
        part = part.strip()
        if part in _DAY_SETS:
            days |= _DAY_SETS[part]
            continue
        ends = [end.strip() for end in part.split("-")]
        if len(ends) > 2 or not all(end in _DAY_WORDS for end in ends):
            shown = part or "an empty entry"
            raise _invalid([("days", f"{shown!r} is not a day or a range of days; use {DAYS_HELP}")])
        first, last = _DAY_WORDS[ends[0]], _DAY_WORDS[ends[-1]]
        # A range runs forward through the week, so fri-mon is Friday to Monday.
        days.update((first + i) % 7 for i in range((last - first) % 7 + 1))
    return frozenset(days)


def format_days(days: Iterable[int]) -> str:
    """`daily`, `Mon-Fri`, `Sat-Sun` or `Mon, Wed, Fri`, as people read them."""
    chosen = sorted(set(days))
    if len(chosen) == 7:
        return "daily"
    runs: list[list[int]] = []
    for day in chosen:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(f"{_SHOWN_DAYS[r[0]]}-{_SHOWN_DAYS[r[-1]]}" if len(r) > 2 or (len(r) == 2 and r == [5, 6])
                     else ", ".join(_SHOWN_DAYS[d] for d in r) for r in runs)


def days_text(days: Iterable[int]) -> str:
    """The days as stored and as `--days` would take them: `mon,tue,wed`."""
    return ",".join(DAY_NAMES[d] for d in sorted(set(days)))


def parse_hours(text: str) -> tuple[int, int]:
    """(start, end) in minutes after midnight from `08-18`, `8:30-17:00` or `08:00-24:00`."""
    parts = [part.strip() for part in text.strip().split("-")]
    problem = f"must be {HOURS_HELP}, not {text!r}"
    if len(parts) != 2:
        raise _invalid([("hours", problem)])
    minutes = []
    for part in parts:
        hour_text, colon, minute_text = part.partition(":")
        if not (_digits(hour_text, 1, 2) and (_digits(minute_text, 2, 2) if colon else True)):
            raise _invalid([("hours", problem)])
        hour, minute = int(hour_text), int(minute_text or 0)
        if hour > 24 or minute > 59 or (hour == 24 and minute):
            raise _invalid([("hours", f"{part!r} is not a time of day (00:00 to 24:00)")])
        minutes.append(hour * 60 + minute)
    start, end = minutes
    if start == 24 * 60:
        raise _invalid([("hours", "the start must be before 24:00")])
    if end <= start:
        raise _invalid([("hours", f"the end ({clock_text(end)}) must be after the start ({clock_text(start)}); "
                                  "a plan cannot run past midnight")])
    return start, end


def _digits(text: str, shortest: int, longest: int) -> bool:
    """Whether `text` is `shortest` to `longest` ASCII digits."""
    return shortest <= len(text) <= longest and text.isascii() and text.isdigit()


def clock_text(minutes: int) -> str:
    """Minutes after midnight as `08:30` (`24:00` for the end of the day)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def hours_text(start: int, end: int) -> str:
    """`08:00-18:00`."""
    return f"{clock_text(start)}-{clock_text(end)}"


# -- plans ---------------------------------------------------------------------------------


class Plan(_Value):
    """How often one routine is to be done: `Plan(routine_id, routine_name, per_day, days, start, end)`."""

    __slots__ = ("routine_id", "routine_name", "per_day", "days", "start", "end")
    routine_id: str
    """The routine."""
    routine_name: str
    """Its name when the plan was set, for places that do not read the routines."""
    per_day: int
    """Sessions a day (PER_DAY_LIMITS)."""
    days: frozenset[int]
    """The days it asks for sessions on, as weekday numbers (Monday 0)."""
    start: int
    """When its hours begin, in minutes after midnight."""
    end: int
    """When its hours end, in minutes after midnight (up to 24:00)."""

    def applies_on(self, day: date) -> bool:
        """Whether the plan asks for sessions on `day`."""
        return day.weekday() in self.days

    def slot_minutes(self) -> list[int]:
        """When each of the day's slots opens, in minutes after midnight, spread evenly from the start."""
        span = self.end - self.start
        return [self.start + k * span // self.per_day for k in range(self.per_day)]

    def slots(self, day: date, zone: tzinfo) -> list[datetime]:
        """The moments (UTC) each slot of `day` opens, in the zone's wall-clock time."""
        return [_moment(day, minutes, zone) for minutes in self.slot_minutes()]

    def closes(self, day: date, zone: tzinfo) -> datetime:
        """The moment (UTC) the plan's hours end on `day`."""
        return _moment(day, self.end, zone)

    def first_slot_after(self, day: date, zone: tzinfo) -> datetime:
        """The first slot of the next planned day after `day` (UTC)."""
        for ahead in range(1, 8):
            later = day + timedelta(days=ahead)
            if self.applies_on(later):
                return _moment(later, self.start, zone)
        raise ValueError("a plan without days")  # make_plan never builds one

    def describe(self) -> str:
        """`2 a day, Mon-Fri, 08:00-18:00`."""
        return f"{self.per_day} a day, {format_days(self.days)}, {hours_text(self.start, self.end)}"


def make_plan(routine_id: str, routine_name: str, per_day: object, days: str = DEFAULT_DAYS,
              hours: str = DEFAULT_HOURS) -> Plan:
    """A plan from what the user typed; a ValidationError names every field that is wrong (`per-day`, `days`, `hours`)."""
    problems: list[tuple[str, str]] = []

    def checked(parse, value):  # the parsed value, or None with its problems noted
        try:
            return parse(value)
        except ValueError as error:  # a ValidationError, caught by its base: see _invalid
            problems.extend((p.field, p.reason) for p in getattr(error, "problems", ()))
            return None

    count: int | None = checked(parse_per_day, per_day)
    weekdays: frozenset[int] | None = checked(parse_days, days)
    span: tuple[int, int] | None = checked(parse_hours, hours)
    if count is not None and span is not None and (span[1] - span[0]) // count < MIN_GAP_MINUTES:
        problems.append(("per-day", f"{count} sessions do not fit in {hours_text(*span)} at least "
                                    f"{MIN_GAP_MINUTES} minutes apart; plan fewer or widen the hours"))
    if problems or count is None or weekdays is None or span is None:
        raise _invalid(problems)
    return Plan(routine_id, routine_name, count, weekdays, span[0], span[1])


def _moment(day: date, minutes: int, zone: tzinfo) -> datetime:
    """Wall-clock `minutes` after the midnight starting `day` in `zone`, as a UTC moment.

    A wall time the zone skips (clocks going forward) is read with the offset
    from before the change, so a slot at 01:30 on that night opens at 02:30 new time.
    """
    day = day + timedelta(days=minutes // (24 * 60))
    minutes %= 24 * 60
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone).astimezone(_UTC)


def plan_to_dict(plan: Plan) -> dict[str, object]:
    """The stored document of a plan (without the day it began)."""
    return {"routine_id": plan.routine_id, "routine_name": plan.routine_name, "per_day": plan.per_day,
            "days": days_text(plan.days), "hours": hours_text(plan.start, plan.end)}


def plan_from_dict(data: Mapping[str, object]) -> Plan:
    """A plan from its stored document, checked like typed input; ValidationError names a bad field."""
    routine_id, name = data.get("routine_id"), data.get("routine_name")
    if not isinstance(routine_id, str) or not routine_id:
        raise _invalid([("routine_id", f"must be a routine id, not {routine_id!r}")])
    if not isinstance(name, str):
        name = routine_id
    per_day = data.get("per_day")
    if not isinstance(per_day, int) or isinstance(per_day, bool):
        raise _invalid([("per_day", f"must be a whole number, not {per_day!r}")])
    days, hours = data.get("days"), data.get("hours")
    if not isinstance(days, str) or not isinstance(hours, str):
        raise _invalid([("days" if not isinstance(days, str) else "hours", "must be text")])
    return make_plan(routine_id, name, per_day, days, hours)


# -- history -------------------------------------------------------------------------------


class PlanVersion(_Value):
    """From the day `since` on, `routine_id` follows `plan`: `PlanVersion(routine_id, since, plan)`."""

    __slots__ = ("routine_id", "since", "plan")
    routine_id: str
    """The routine."""
    since: date
    """The first day this version holds."""
    plan: Plan | None
    """The plan; None when the routine's plan was cleared that day."""

    def to_dict(self) -> dict[str, object]:
        """The stored document."""
        if self.plan is None:
            return {"routine_id": self.routine_id, "since": self.since.isoformat(), "cleared": True}
        return {**plan_to_dict(self.plan), "since": self.since.isoformat()}


def version_from_dict(data: Mapping[str, object]) -> PlanVersion:
    """A stored version, checked; ValidationError names a bad field."""
    since = data.get("since")
    try:
        day = date.fromisoformat(since) if isinstance(since, str) else None
    except ValueError:
        day = None
    if day is None:
        raise _invalid([("since", f"must be a date like 2026-01-31, not {since!r}")])
    if data.get("cleared") is True:
        routine_id = data.get("routine_id")
        if not isinstance(routine_id, str) or not routine_id:
            raise _invalid([("routine_id", f"must be a routine id, not {routine_id!r}")])
        return PlanVersion(routine_id, day, None)
    plan = plan_from_dict(data)
    return PlanVersion(plan.routine_id, day, plan)


class PlanHistory:
    """Every plan the user has set, each routine's versions in order of the day they began."""

    __slots__ = ("versions",)

    def __init__(self, versions: Iterable[PlanVersion] = ()) -> None:
        self.versions: tuple[PlanVersion, ...] = _tidy(versions)
        """Every version, by routine then day; a routine never has two in a row that say the same."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlanHistory) and self.versions == other.versions

    def __repr__(self) -> str:
        return f"PlanHistory({list(self.versions)!r})"

    def __bool__(self) -> bool:
        return bool(self.versions)

    def plan_for(self, routine_id: str, day: date) -> Plan | None:
        """The plan `routine_id` follows on `day`, or None."""
        found = None
        for version in self.versions:
            if version.routine_id == routine_id and version.since <= day:
                found = version.plan
        return found

    def in_force(self, day: date) -> list[Plan]:
        """Every plan followed on `day` (whether or not that day is one of its days), by routine name."""
        latest: dict[str, Plan | None] = {}
        for version in self.versions:
            if version.since <= day:
                latest[version.routine_id] = version.plan
        return sorted((p for p in latest.values() if p is not None), key=lambda p: (p.routine_name.casefold(), p.routine_id))

    def first_day(self) -> date | None:
        """The first day any plan was followed, or None without plans."""
        days = [v.since for v in self.versions if v.plan is not None]
        return min(days) if days else None

    def only(self, routine_ids: Iterable[str]) -> PlanHistory:
        """The history of these routines alone (say, those that still exist)."""
        keep = set(routine_ids)
        return PlanHistory(v for v in self.versions if v.routine_id in keep)

    def with_plan(self, plan: Plan, day: date) -> PlanHistory:
        """The history after setting `plan` on `day` (it replaces a change made earlier that day)."""
        return PlanHistory([*self._before(plan.routine_id, day), PlanVersion(plan.routine_id, day, plan)])

    def without(self, routine_id: str, day: date) -> PlanHistory:
        """The history after clearing the routine's plan on `day`."""
        return PlanHistory([*self._before(routine_id, day), PlanVersion(routine_id, day, None)])

    def moved(self, from_id: str, to_id: str, to_name: str, day: date) -> PlanHistory:
        """The history after the plan of `from_id` passes, as it is, to `to_id` on `day`.

        For a routine replaced by the user's own copy: the copy follows the plan
        from `day` on; the days before are still judged by the original's plan
        and the original's sessions.
        """
        plan = self.plan_for(from_id, day)
        if plan is None:
            return self
        moved = plan._replace(routine_id=to_id, routine_name=to_name)
        return self.without(from_id, day).with_plan(moved, day)

    def _before(self, routine_id: str, day: date) -> list[PlanVersion]:
        """Every version but the routine's from `day` on (a change replaces any made that day or later)."""
        return [v for v in self.versions if v.routine_id != routine_id or v.since < day]


def _tidy(versions: Iterable[PlanVersion]) -> tuple[PlanVersion, ...]:
    """Versions in order, without ones that change nothing (the same plan again, or a clear with no plan)."""
    kept: list[PlanVersion] = []
    for version in sorted(versions, key=lambda v: (v.routine_id, v.since)):
        previous = kept[-1] if kept and kept[-1].routine_id == version.routine_id else None
        if previous is not None and previous.since == version.since:
            kept.pop()  # two versions on one day: the later one stands
            previous = kept[-1] if kept and kept[-1].routine_id == version.routine_id else None
        if (previous.plan if previous else None) == version.plan:
            continue
        kept.append(version)
    return tuple(kept)


# -- what was done -------------------------------------------------------------------------


def counts_as_done(status: str, holds_done: int) -> bool:
    """Whether a session counts toward a plan (see the module doc: completed, logged, stopped after a hold)."""
    return status in ("completed", "logged") or (status == "stopped" and holds_done >= 1)


class DoneCounts:
    """How many sessions of each routine were done on each day; only sessions that `counts_as_done`."""

    __slots__ = ("by_routine",)

    def __init__(self) -> None:
        self.by_routine: dict[str, dict[int, int]] = {}
        """routine id -> {day as an ordinal (`date.toordinal`) -> sessions done} (days of 0 may be present)."""

    def add(self, routine_id: str, day: date | int, count: int = 1) -> None:
        """Count `count` more sessions of the routine on `day`."""
        ordinal = day if isinstance(day, int) else day.toordinal()
        days = self.by_routine.setdefault(routine_id, {})
        days[ordinal] = days.get(ordinal, 0) + count

    def add_days(self, routine_id: str, ordinals: Iterable[int]) -> None:
        """Count one session of the routine on each day given (as `date.toordinal`; a day may repeat)."""
        days = self.by_routine.setdefault(routine_id, {})
        for ordinal in ordinals:
            days[ordinal] = days.get(ordinal, 0) + 1

    def days_of(self, routine_id: str) -> dict[int, int]:
        """The routine's {day ordinal -> sessions} (do not change it; empty when it has none)."""
        return self.by_routine.get(routine_id) or {}

    def on(self, routine_id: str, day: date) -> int:
        """Sessions of the routine done on `day`."""
        return self.by_routine.get(routine_id, {}).get(day.toordinal(), 0)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DoneCounts):
            return False
        def plain(counts: DoneCounts) -> dict:
            found = {r: {day: n for day, n in days.items() if n} for r, days in counts.by_routine.items()}
            return {r: days for r, days in found.items() if days}
        return plain(self) == plain(other)

    def __repr__(self) -> str:
        return f"DoneCounts({self.by_routine!r})"

    @classmethod
    def from_sessions(cls, sessions: Iterable[Session | SessionRow], zone: tzinfo) -> DoneCounts:
        """The counts of some sessions, each on the day it began in `zone`."""
        counts = cls()
        for session in sessions:
            if counts_as_done(session.status, session.holds_done):
                counts.add(session.routine_id, session.started_at.astimezone(zone).date())
        return counts


# -- where a plan stands -------------------------------------------------------------------


class Progress(_Value):
    """Where one plan stands at a moment (see `progress`)."""

    __slots__ = ("plan", "day", "planned", "done", "due", "slot", "next_at")
    plan: Plan
    """The plan."""
    day: date
    """The local day it is."""
    planned: int
    """Sessions planned that day: 0 when it is not one of the plan's days."""
    done: int
    """Sessions of the routine done that day."""
    due: bool
    """Whether a session is due now."""
    slot: int | None
    """The index of the slot that made it due (the latest one opened), or None."""
    next_at: datetime
    """When the next slot opens after now (UTC): later today, or the first of the next planned day."""

    @property
    def slot_key(self) -> str | None:
        """Names the slot that is due (`routine/2026-01-05/1`), to remind of each slot once; None when not due."""
        if not self.due:
            return None
        return f"{self.plan.routine_id}/{self.day.isoformat()}/{self.slot}"

    def summary(self, now: datetime, zone: tzinfo) -> str:
        """One line for the menu: `due now · 0 of 2 today`, `1 of 2 today · next from 13:00`."""
        if self.due:
            return f"due now · {self.done} of {self.planned} today"
        if self.planned and self.done >= self.planned:
            return f"{self.done} of {self.planned} today · done for today"
        counted = f"{self.done} of {self.planned} today · " if self.planned else ""
        return f"{counted}next {when_text(self.next_at, now, zone, 'from ')}"


def progress(plan: Plan, done: int, now: datetime, zone: tzinfo) -> Progress:
    """Where `plan` stands at `now`, with `done` sessions of its routine done today."""
    now = now.astimezone(_UTC)
    today = now.astimezone(zone).date()
    planned = plan.per_day if plan.applies_on(today) else 0
    due, slot, next_at = False, None, None
    if planned and now < plan.closes(today, zone) and done < planned:
        slots = plan.slots(today, zone)
        opened = sum(1 for moment in slots if moment <= now)
        if slots[done] <= now:
            due, slot = True, opened - 1
            next_at = slots[opened] if opened < planned else None
        else:
            next_at = slots[done]
    if next_at is None:
        next_at = plan.first_slot_after(today, zone)
    return Progress(plan, today, planned, done, due, slot, next_at)


def when_text(moment: datetime, now: datetime, zone: tzinfo, before_time: str = "") -> str:
    """`13:00` later today, `tomorrow 08:00`, `Mon 08:00` within the week, `Mon 12 Jan 08:00` after it.

    `before_time` goes before the time of day (`from ` reads `next Mon from 08:00`).
    """
    local = moment.astimezone(zone)
    days = (local.date() - now.astimezone(zone).date()).days
    clock = f"{before_time}{local.hour:02d}:{local.minute:02d}"
    if days <= 0:
        return clock
    if days == 1:
        return f"tomorrow {clock}"
    day = _SHOWN_DAYS[local.weekday()]
    if days < 7:
        return f"{day} {clock}"
    return f"{day} {local.day} {_MONTHS[local.month - 1]} {clock}"


# -- days on plan and adherence ------------------------------------------------------------


def on_plan(history: PlanHistory, counts: DoneCounts, day: date) -> bool | None:
    """Whether every plan asking for sessions on `day` got them all; None when none asked."""
    asked = [p for p in history.in_force(day) if p.applies_on(day)]
    if not asked:
        return None
    return all(counts.on(p.routine_id, day) >= p.per_day for p in asked)


def streak(history: PlanHistory, counts: DoneCounts, today: date) -> int:
    """Planned days in a row on which every plan was kept, up to today.

    Days nothing was planned (a weekend under a Mon-Fri plan) neither break the
    run nor add to it. Today adds once its sessions are all done; until then
    the run up to yesterday stands, as a day is not missed before it is over.
    """
    first = history.first_day()
    if first is None:
        return 0
    # Day by day as ordinals, with what each weekday asks worked out once per stretch of days
    # between plan changes: ten years of days on plan take a few milliseconds, not tens.
    changes = sorted({v.since.toordinal() for v in history.versions}, reverse=True)
    first_day, today_day = first.toordinal(), today.toordinal()
    run, day, asks_from = 0, today_day, None
    asks: list[list[tuple[dict[int, int], int]]] = []
    while day >= first_day:
        if asks_from is None or day < asks_from:  # the plans change only on the days versions begin
            asks_from = next((change for change in changes if change <= day), first_day)
            plans = history.in_force(date.fromordinal(day))
            asks = [[(counts.days_of(p.routine_id), p.per_day) for p in plans if weekday in p.days]
                    for weekday in range(7)]
        asked = asks[(day - 1) % 7]  # ordinal 1 was a Monday
        if asked:
            for days, need in asked:
                if days.get(day, 0) < need:
                    if day != today_day:
                        return run
                    break
            else:
                run += 1
        day -= 1
    return run


class WeekAdherence(_Value):
    """One week of plans: `WeekAdherence(start, planned, done)`."""

    __slots__ = ("start", "planned", "done")
    start: date
    """The Monday it begins on."""
    planned: int
    """Sessions the plans in force each day asked for."""
    done: int
    """Sessions done toward them: at most each day's planned sessions of each plan, so extra
    sessions one day do not hide a missed one on another."""


def weekly_adherence(history: PlanHistory, counts: DoneCounts, first_week: date, last_week: date,
                     until: date | None = None) -> list[WeekAdherence]:
    """Each week from the Monday `first_week` to the Monday `last_week`; days after `until` are not counted yet."""
    weeks = []
    monday = first_week - timedelta(days=first_week.weekday())
    while monday <= last_week:
        planned = done = 0
        for offset in range(7):
            day = monday + timedelta(days=offset)
            if until is not None and day > until:
                break
            for plan in history.in_force(day):
                if plan.applies_on(day):
                    planned += plan.per_day
                    done += min(plan.per_day, counts.on(plan.routine_id, day))
        weeks.append(WeekAdherence(monday, planned, done))
        monday += timedelta(days=7)
    return weeks


class Adherence(_Value):
    """The stats' figures for plans: `Adherence(weeks, streak)`."""

    __slots__ = ("weeks", "streak")
    weeks: tuple[WeekAdherence, ...]
    """The recent weeks, oldest first; the last is this week, counted up to today."""
    streak: int
    """Planned days in a row kept, up to today (see `streak`)."""


def adherence(history: PlanHistory, counts: DoneCounts, today: date, weeks: int = RECENT_WEEKS) -> Adherence:
    """Sessions done against planned for the recent weeks (this one up to today), and the days-on-plan streak."""
    this_week = today - timedelta(days=today.weekday())
    first = this_week - timedelta(weeks=weeks - 1)
    return Adherence(tuple(weekly_adherence(history, counts, first, this_week, until=today)),
                     streak(history, counts, today))


# -- the status line -----------------------------------------------------------------------


class Status(_Value):
    """What `backrelief status` and `remind` report at a moment (see `status_of`)."""

    __slots__ = ("now", "routines", "due", "streak", "running")
    now: datetime
    """The moment (UTC)."""
    routines: tuple[Progress, ...]
    """Every plan in force: due ones first, then by when their next slot opens."""
    due: tuple[Progress, ...]
    """The due ones, the longest waiting first."""
    streak: int
    """Planned days in a row kept, up to today."""
    running: bool
    """Whether a session is under way in some copy of the app (then nothing is shown as due)."""

    @property
    def next_at(self) -> datetime | None:
        """When the next slot of any plan opens after now, or None without plans."""
        return min((p.next_at for p in self.routines), default=None)


def status_of(history: PlanHistory, counts: DoneCounts, now: datetime, zone: tzinfo,
              names: Mapping[str, str] | None = None, running: bool = False) -> Status:
    """Where every plan stands at `now`. With `names` (routine id -> current name), plans of routines
    not in it (deleted ones) are left out and the rest carry the current names."""
    now = now.astimezone(_UTC)
    today = now.astimezone(zone).date()
    if names is not None:
        history = history.only(names)
    found = []
    for plan in history.in_force(today):
        if names is not None:
            plan = plan._replace(routine_name=names[plan.routine_id])
        found.append(progress(plan, counts.on(plan.routine_id, today), now, zone))
    due = sorted((p for p in found if p.due), key=lambda p: (p.plan.slots(p.day, zone)[p.slot or 0], p.plan.routine_name))
    rest = sorted((p for p in found if not p.due), key=lambda p: (p.next_at, p.plan.routine_name))
    return Status(now, tuple(due + rest), tuple(due), streak(history, counts, today), running)


FORMAT_FIELDS = {
    "routine": "name of the routine due (the one waiting longest)",
    "id": "its id",
    "done": "sessions of it done today",
    "planned": "sessions of it planned today",
    "due": "how many routines are due",
    "streak": "planned days in a row kept, up to today",
    "next": "when the next session opens after this one (13:00, tomorrow 08:00, Mon 08:00)",
}
"""The fields `status --format` takes, with what each holds."""


def status_fields(status: Status, zone: tzinfo) -> dict[str, str]:
    """The values of FORMAT_FIELDS (routine fields empty when nothing is due)."""
    first = status.due[0] if status.due else None
    next_at = first.next_at if first is not None else status.next_at
    return {
        "routine": first.plan.routine_name if first else "",
        "id": first.plan.routine_id if first else "",
        "done": str(first.done) if first else "",
        "planned": str(first.planned) if first else "",
        "due": str(len(status.due)),
        "streak": str(status.streak),
        "next": when_text(next_at, status.now, zone) if next_at is not None else "",
    }


def status_line(status: Status, zone: tzinfo, template: str | None = None) -> str:
    """The line for a status bar: empty unless a session is due (and none is running).

    Without a `template`: `Back spasm relief due · 1/2 today · 5-day streak`
    (`+1` after the name when another routine is due too; no streak at 0).
    A template is filled with FORMAT_FIELDS by `str.format`-style names;
    KeyError names an unknown field, ValueError a broken template.
    """
    if status.running or not status.due:
        return ""
    fields = status_fields(status, zone)
    if template is not None:
        return fill_template(template, fields)
    more = len(status.due) - 1
    line = f"{fields['routine']}{f' +{more}' if more else ''} due · {fields['done']}/{fields['planned']} today"
    return line + (f" · {status.streak}-day streak" if status.streak else "")


def fill_template(template: str, fields: Mapping[str, str]) -> str:
    """`template` with each `{name}` replaced (`{{` and `}}` are braces); plain names only, no format specs.

    Deliberately not `str.format`: a template from the command line must not
    reach attributes or indexes of anything. KeyError names an unknown field,
    ValueError a lone brace.
    """
    out = []
    index = 0
    while index < len(template):
        char = template[index]
        if char in "{}" and template.startswith(char * 2, index):
            out.append(char)
            index += 2
        elif char == "{":
            end = template.find("}", index)
            name = template[index + 1:end] if end != -1 else None
            if name is None or "{" in name:
                raise ValueError("a lone '{'; write {{ for a brace")
            if name not in fields:
                raise KeyError(name)
            out.append(fields[name])
            index = end + 1
        elif char == "}":
            raise ValueError("a lone '}'; write }} for a brace")
        else:
            out.append(char)
            index += 1
    return "".join(out)
