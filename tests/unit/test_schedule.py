"""Plans (tui/domain/schedule.py): what is due, when the next slot opens, days on plan and adherence.

Every expected moment is worked out by hand from the plan and the zone's rules
(the UTC offsets around each clock change are written out where they matter).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tui.domain.problems import ValidationError
from tui.domain.schedule import (
    DoneCounts,
    PlanHistory,
    PlanVersion,
    adherence,
    counts_as_done,
    fill_template,
    format_days,
    make_plan,
    on_plan,
    parse_days,
    parse_hours,
    progress,
    status_line,
    status_of,
    streak,
    version_from_dict,
    weekly_adherence,
    when_text,
)
from tui.domain.sessions import HoldRecord, Session

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 1, 5) + timedelta(days=i) for i in range(7))


def at(text: str, zone=UTC) -> datetime:
    """A moment written as local wall time in `zone`."""
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def twice_weekdays(routine: str = "r1", hours: str = "08-18") -> object:
    return make_plan(routine, routine.upper(), 2, "mon-fri", hours)


def problems(error: pytest.ExceptionInfo) -> dict[str, str]:
    return {p.field: p.reason for p in error.value.problems}


# -- reading what the user typed -------------------------------------------------------------


@pytest.mark.parametrize(("text", "days"), [
    ("daily", set(range(7))),
    ("mon-fri", {0, 1, 2, 3, 4}),
    ("Mon,Wed,Fri", {0, 2, 4}),
    (" mon , wed ", {0, 2}),
    ("weekdays", {0, 1, 2, 3, 4}),
    ("weekends", {5, 6}),
    ("fri-mon", {4, 5, 6, 0}),  # a range runs forward through the week
    ("monday-wednesday,sat", {0, 1, 2, 5}),
    ("sun", {6}),
])
def test_days_are_read_from_ranges_lists_and_words(text, days):
    assert parse_days(text) == frozenset(days)


@pytest.mark.parametrize("text", ["", "mnd", "mon-", "mon-tue-wed", "mon,,fri", "1-5", "mon;fri"])
def test_days_that_are_not_days_are_refused_naming_the_field(text):
    with pytest.raises(ValidationError) as error:
        parse_days(text)
    assert list(problems(error)) == ["days"]
    assert "mon-fri" in problems(error)["days"]  # says how to write it


@pytest.mark.parametrize(("days", "text"), [
    ({0, 1, 2, 3, 4, 5, 6}, "daily"), ({0, 1, 2, 3, 4}, "Mon-Fri"), ({0, 2, 4}, "Mon, Wed, Fri"),
    ({5, 6}, "Sat-Sun"), ({0, 1}, "Mon, Tue"), ({0, 1, 2, 5, 6}, "Mon-Wed, Sat-Sun"),
])
def test_days_read_back_as_people_write_them(days, text):
    assert format_days(days) == text
    assert parse_days(text.replace(", ", ",")) == frozenset(days)


@pytest.mark.parametrize(("text", "hours"), [
    ("08-18", (480, 1080)), ("8-18", (480, 1080)), ("8:30-17:00", (510, 1020)),
    ("08:00 - 18:00", (480, 1080)), ("0-24", (0, 1440)), ("06:15-24:00", (375, 1440)),
])
def test_hours_are_read_with_or_without_minutes(text, hours):
    assert parse_hours(text) == hours


@pytest.mark.parametrize(("text", "says"), [
    ("18-08", "must be after the start"), ("08-08", "must be after the start"), ("8", "08-18"),
    ("25-26", "not a time of day"), ("08:60-18", "not a time of day"), ("24:30-24:45", "not a time of day"),
    ("eight-six", "08-18"), ("24-24", "before 24:00"), ("8.30-17", "08-18"),
])
def test_bad_hours_are_refused_naming_the_field(text, says):
    with pytest.raises(ValidationError) as error:
        parse_hours(text)
    assert list(problems(error)) == ["hours"] and says in problems(error)["hours"]


def test_a_plan_names_every_field_that_is_wrong_at_once():
    with pytest.raises(ValidationError) as error:
        make_plan("r1", "R", "lots", "someday", "late")
    assert set(problems(error)) == {"per-day", "days", "hours"}


@pytest.mark.parametrize("per_day", [0, 13, "-1", "2.5", "²", " "])
def test_per_day_runs_from_1_to_12(per_day):
    with pytest.raises(ValidationError) as error:
        make_plan("r1", "R", per_day)
    assert "from 1 to 12" in problems(error)["per-day"]


def test_sessions_must_fit_the_hours_a_quarter_of_an_hour_apart():
    assert make_plan("r1", "R", 4, hours="08-09").slot_minutes() == [480, 495, 510, 525]
    with pytest.raises(ValidationError) as error:
        make_plan("r1", "R", 5, hours="08-09")
    assert "do not fit in 08:00-09:00" in problems(error)["per-day"]


def test_defaults_are_daily_in_waking_hours():
    plan = make_plan("r1", "R", 2)
    assert plan.describe() == "2 a day, daily, 08:00-20:00"
    assert plan.slot_minutes() == [8 * 60, 14 * 60]


# -- slots, due and next ---------------------------------------------------------------------


def test_sessions_are_spread_evenly_over_the_hours():
    assert twice_weekdays().slot_minutes() == [8 * 60, 13 * 60]
    assert make_plan("r1", "R", 3, "daily", "08-18").slot_minutes() == [480, 680, 880]  # 08:00, 11:20, 14:40
    assert make_plan("r1", "R", 1, "daily", "8:30-17").slot_minutes() == [510]


@pytest.mark.parametrize(("clock", "done", "due", "slot", "next_at", "line"), [
    ("07:59", 0, False, None, "2026-01-05T08:00", "0 of 2 today · next from 08:00"),
    ("08:00", 0, True, 0, "2026-01-05T13:00", "due now · 0 of 2 today"),
    ("09:00", 1, False, None, "2026-01-05T13:00", "1 of 2 today · next from 13:00"),
    ("12:59", 1, False, None, "2026-01-05T13:00", "1 of 2 today · next from 13:00"),
    ("13:00", 1, True, 1, "2026-01-06T08:00", "due now · 1 of 2 today"),
    ("14:00", 0, True, 1, "2026-01-06T08:00", "due now · 0 of 2 today"),  # behind by two: the later slot is due
    ("14:00", 2, False, None, "2026-01-06T08:00", "2 of 2 today · done for today"),
    ("07:30", 1, False, None, "2026-01-05T13:00", "1 of 2 today · next from 13:00"),  # an early one covers 08:00
    ("18:00", 1, False, None, "2026-01-06T08:00", "1 of 2 today · next tomorrow from 08:00"),  # hours are over
    ("23:00", 0, False, None, "2026-01-06T08:00", "0 of 2 today · next tomorrow from 08:00"),
])
def test_due_and_next_through_a_monday(clock, done, due, slot, next_at, line):
    now = at(f"2026-01-05T{clock}")
    found = progress(twice_weekdays(), done, now, UTC)
    assert (found.planned, found.done, found.due, found.slot) == (2, done, due, slot)
    assert found.next_at == at(next_at)
    assert found.summary(now, UTC) == line


def test_weekends_have_nothing_planned_and_friday_evening_points_to_monday():
    plan = twice_weekdays()
    friday = progress(plan, 2, at("2026-01-09T19:00"), UTC)
    assert friday.next_at == at("2026-01-12T08:00")
    assert friday.summary(at("2026-01-09T19:00"), UTC) == "2 of 2 today · done for today"
    saturday = progress(plan, 0, at("2026-01-10T10:00"), UTC)
    assert (saturday.planned, saturday.due) == (0, False)
    assert saturday.summary(at("2026-01-10T10:00"), UTC) == "next Mon from 08:00"


def test_a_slot_is_named_once_per_day_and_index():
    plan = twice_weekdays()
    morning = progress(plan, 0, at("2026-01-05T08:05"), UTC)
    still = progress(plan, 0, at("2026-01-05T12:00"), UTC)
    afternoon = progress(plan, 0, at("2026-01-05T13:05"), UTC)
    assert morning.slot_key == still.slot_key == "r1/2026-01-05/0"
    assert afternoon.slot_key == "r1/2026-01-05/1"
    assert progress(plan, 1, at("2026-01-05T09:00"), UTC).slot_key is None


def test_one_moment_is_due_in_london_and_not_yet_in_new_york():
    plan = make_plan("r1", "R", 1, "daily", "08-18")
    now = at("2026-01-05T12:00")  # 12:00 in London, 07:00 in New York
    assert progress(plan, 0, now, LONDON).due
    in_new_york = progress(plan, 0, now, NEW_YORK)
    assert not in_new_york.due and in_new_york.next_at == at("2026-01-05T13:00")  # 08:00 EST
    assert in_new_york.summary(now, NEW_YORK) == "0 of 1 today · next from 08:00"


def test_the_day_itself_depends_on_the_zone():
    plan = make_plan("r1", "R", 1, "mon-fri", "08-24")
    now = at("2026-01-10T02:00")  # Saturday 02:00 in London, Friday 21:00 in New York
    assert progress(plan, 0, now, LONDON).planned == 0
    assert progress(plan, 0, now, NEW_YORK).due


# -- clock changes ---------------------------------------------------------------------------


def test_slots_keep_their_wall_clock_time_across_the_spring_change_in_london():
    plan = make_plan("r1", "R", 2, "daily", "0-24")  # 00:00 and 12:00
    # 29 March 2026: 01:00 GMT becomes 02:00 BST (UTC+1).
    assert plan.slots(date(2026, 3, 28), LONDON) == [at("2026-03-28T00:00"), at("2026-03-28T12:00")]
    assert plan.slots(date(2026, 3, 29), LONDON) == [at("2026-03-29T00:00"), at("2026-03-29T11:00")]
    late_saturday = progress(plan, 2, at("2026-03-28T23:30"), LONDON)
    assert late_saturday.next_at == at("2026-03-29T00:00")


def test_a_slot_in_the_skipped_hour_opens_when_the_clock_gets_there():
    plan = make_plan("r1", "R", 1, "daily", "01:30-03")  # 01:30 does not happen on 29 March in London
    assert plan.slots(date(2026, 3, 29), LONDON) == [at("2026-03-29T01:30")]  # 02:30 BST
    assert not progress(plan, 0, at("2026-03-29T01:20"), LONDON).due
    assert progress(plan, 0, at("2026-03-29T01:30"), LONDON).due


def test_the_autumn_change_in_new_york_and_the_longer_day():
    plan = make_plan("r1", "R", 2, "daily", "0-24")
    # 1 November 2026: 02:00 EDT (UTC-4) becomes 01:00 EST (UTC-5): the day lasts 25 hours.
    assert plan.slots(date(2026, 11, 1), NEW_YORK) == [at("2026-11-01T04:00"), at("2026-11-01T17:00")]
    assert plan.closes(date(2026, 11, 1), NEW_YORK) - at("2026-11-01T04:00") == timedelta(hours=25)
    evening = progress(plan, 1, at("2026-11-02T04:30"), NEW_YORK)  # 23:30 EST, still 1 November
    assert evening.day == date(2026, 11, 1) and evening.due and evening.slot == 1
    assert evening.next_at == at("2026-11-02T05:00")  # 00:00 EST


def test_the_spring_change_in_new_york_moves_every_slot_an_hour_earlier_in_utc():
    plan = make_plan("r1", "R", 1, "mon-fri", "08-18")
    friday = progress(plan, 1, at("2026-03-06T20:00"), NEW_YORK)  # 15:00 EST on Friday 6 March
    # Clocks go forward on Sunday 8 March: Monday's 08:00 is EDT (UTC-4).
    assert friday.next_at == at("2026-03-09T12:00")
    assert when_text(friday.next_at, at("2026-03-06T20:00"), NEW_YORK) == "Mon 08:00"


def test_sessions_count_on_their_local_day_across_the_autumn_change_in_london():
    # 25 October 2026: 02:00 BST becomes 01:00 GMT. 23:30 GMT on the 25th is still the 25th.
    sessions = [session("r1", at("2026-10-25T00:30")), session("r1", at("2026-10-25T23:30")),
                session("r1", at("2026-10-24T23:30"))]  # 00:30 BST on the 25th
    counts = DoneCounts.from_sessions(sessions, LONDON)
    assert counts.on("r1", date(2026, 10, 25)) == 3
    assert counts.on("r1", date(2026, 10, 24)) == 0
    assert DoneCounts.from_sessions(sessions, NEW_YORK).on("r1", date(2026, 10, 24)) == 2


# -- what counts -----------------------------------------------------------------------------


def session(routine: str, start: datetime, status: str = "completed", holds_done: int = 2) -> Session:
    holds = tuple(HoldRecord("pelvic-tilt", None, i + 1, 30, 30.0, i < holds_done) for i in range(2))
    return Session(id=f"{routine}-{start.isoformat()}-{status}", routine_id=routine, routine_name=routine.upper(),
                   started_at=start, ended_at=start + timedelta(minutes=5), status=status, holds_planned=2,
                   holds=holds)


@pytest.mark.parametrize(("status", "holds_done", "counts"), [
    ("completed", 2, True), ("completed", 0, True), ("logged", 2, True),
    ("stopped", 1, True), ("stopped", 0, False), ("interrupted", 2, False),
])
def test_which_sessions_count_toward_a_plan(status, holds_done, counts):
    assert counts_as_done(status, holds_done) is counts
    found = DoneCounts.from_sessions([session("r1", at("2026-01-05T09:00"), status, holds_done)], UTC)
    assert found.on("r1", MON) == (1 if counts else 0)


# -- history ---------------------------------------------------------------------------------


def test_a_changed_plan_starts_on_the_day_it_changed():
    once, twice = make_plan("r1", "R", 1), make_plan("r1", "R", 2)
    history = PlanHistory().with_plan(once, MON).with_plan(twice, WED)
    assert history.plan_for("r1", date(2026, 1, 4)) is None
    assert history.plan_for("r1", TUE) == once and history.plan_for("r1", WED) == twice
    cleared = history.without("r1", FRI)
    assert cleared.plan_for("r1", THU) == twice and cleared.plan_for("r1", FRI) is None
    assert cleared.in_force(FRI) == [] and cleared.first_day() == MON


def test_changes_made_the_same_day_leave_one_version_and_a_set_then_clear_leaves_none():
    history = PlanHistory().with_plan(make_plan("r1", "R", 1), MON).with_plan(make_plan("r1", "R", 3), MON)
    assert [v.plan.per_day for v in history.versions] == [3]
    assert PlanHistory().with_plan(make_plan("r1", "R", 1), MON).without("r1", MON).versions == ()
    assert PlanHistory().without("r1", MON).versions == ()  # clearing nothing changes nothing
    same = PlanHistory().with_plan(make_plan("r1", "R", 1), MON)
    assert same.with_plan(make_plan("r1", "R", 1), WED) == same


def test_a_plan_moves_to_a_copy_of_the_routine_and_the_past_stays_with_the_original():
    history = PlanHistory().with_plan(make_plan("builtin", "Built in", 2, "mon-fri"), MON)
    moved = history.moved("builtin", "builtin-mine", "Built in (mine)", WED)
    assert moved.plan_for("builtin", TUE).per_day == 2 and moved.plan_for("builtin", WED) is None
    copy = moved.plan_for("builtin-mine", WED)
    assert (copy.routine_name, copy.per_day, copy.days) == ("Built in (mine)", 2, frozenset(range(5)))
    counts = DoneCounts()
    for day in (MON, MON, TUE, TUE):
        counts.add("builtin", day)
    for day in (WED, WED):
        counts.add("builtin-mine", day)
    assert streak(moved, counts, WED) == 3


def test_versions_round_trip_through_their_documents():
    history = PlanHistory().with_plan(make_plan("r1", "Routine", 3, "mon,wed", "8:30-17"), MON).without("r1", WED)
    again = PlanHistory(version_from_dict(v.to_dict()) for v in history.versions)
    assert again == history
    assert history.versions[0].to_dict() == {"routine_id": "r1", "routine_name": "Routine", "per_day": 3,
                                             "days": "mon,wed", "hours": "08:30-17:00", "since": "2026-01-05"}
    with pytest.raises(ValidationError) as error:
        version_from_dict({**history.versions[0].to_dict(), "per_day": 40})
    assert "per-day" in problems(error)
    with pytest.raises(ValidationError):
        version_from_dict({"routine_id": "r1", "since": "someday", "cleared": True})


# -- days on plan and adherence --------------------------------------------------------------


def weekday_history(since: date = date(2025, 12, 29)) -> PlanHistory:
    return PlanHistory().with_plan(twice_weekdays(), since)


def test_the_streak_skips_days_off_and_waits_for_today_to_end():
    counts = DoneCounts()
    for day in (date(2026, 1, 1), date(2026, 1, 2), MON, MON, TUE, TUE):
        counts.add("r1", day)
        counts.add("r1", day)  # twice each: the plan asks two a day
    history = weekday_history()
    assert on_plan(history, counts, SAT - timedelta(days=7)) is None  # a Saturday: nothing planned
    assert streak(history, counts, TUE) == 4  # Thu 1, Fri 2, (weekend), Mon 5, Tue 6
    assert streak(history, counts, WED) == 4  # Wednesday is not over: the run still stands
    counts.add("r1", WED)
    assert streak(history, counts, WED) == 4  # one of two is not the plan kept
    counts.add("r1", WED)
    assert streak(history, counts, WED) == 5
    assert streak(history, counts, FRI) == 0  # Thursday was missed


def test_the_streak_starts_with_the_plan_and_only_planned_routines_matter():
    counts = DoneCounts()
    for offset in range(30):
        counts.add("r1", MON - timedelta(days=offset), 2)
        counts.add("r2", MON - timedelta(days=offset))
    assert streak(PlanHistory().with_plan(twice_weekdays(), date(2026, 1, 1)), counts, MON) == 3  # Thu, Fri, Mon
    # r2 asks two a day from today and got one: today is not kept (yet), the weekdays before it are.
    both = weekday_history().with_plan(make_plan("r2", "R2", 2, "daily"), MON)
    assert streak(both, counts, MON) == 5  # Mon 29 Dec to Fri 2 Jan
    from_saturday = weekday_history().with_plan(make_plan("r2", "R2", 2, "daily"), date(2026, 1, 3))
    assert streak(from_saturday, counts, MON) == 0  # Sunday asked r2 for two and got one
    assert streak(PlanHistory(), counts, MON) == 0


def test_weekly_adherence_counts_the_plan_in_force_each_day_and_caps_extras():
    history = PlanHistory().with_plan(make_plan("r1", "R", 1, "daily"), date(2026, 1, 7))  # from Wednesday
    history = history.with_plan(make_plan("r1", "R", 2, "daily"), date(2026, 1, 12))  # twice a day next week
    counts = DoneCounts()
    counts.add("r1", date(2026, 1, 6), 3)  # before the plan: not counted
    counts.add("r1", WED, 3)  # three on a one-a-day plan: one counts
    counts.add("r1", FRI)
    counts.add("r1", date(2026, 1, 12), 2)
    counts.add("r1", date(2026, 1, 13))
    weeks = weekly_adherence(history, counts, date(2025, 12, 29), date(2026, 1, 12), until=date(2026, 1, 14))
    assert [(w.start, w.planned, w.done) for w in weeks] == [
        (date(2025, 12, 29), 0, 0),
        (MON, 5, 2),  # Wed-Sun, one a day
        (date(2026, 1, 12), 6, 3),  # Mon-Wed so far, two a day
    ]
    found = adherence(history, counts, date(2026, 1, 14), weeks=2)
    assert [w.start for w in found.weeks] == [MON, date(2026, 1, 12)] and found.streak == 0


# -- the status line -------------------------------------------------------------------------


def test_status_puts_the_longest_waiting_first_and_leaves_out_deleted_routines():
    history = PlanHistory()
    for routine, hours in (("r1", "08-18"), ("r2", "06-16"), ("gone", "06-16")):
        history = history.with_plan(make_plan(routine, routine.upper(), 2, "mon-fri", hours), date(2025, 12, 29))
    counts = DoneCounts()
    counts.add("r1", date(2026, 1, 2), 2)
    counts.add("r2", date(2026, 1, 2), 2)
    now = at("2026-01-05T09:00")
    status = status_of(history, counts, now, UTC, names={"r1": "Morning", "r2": "Neck & back"})
    assert [p.plan.routine_name for p in status.due] == ["Neck & back", "Morning"]  # due from 06:00, then 08:00
    assert status.streak == 1 and status.next_at == at("2026-01-05T11:00")
    assert status_line(status, UTC) == "Neck & back +1 due · 0/2 today · 1-day streak"
    assert status_line(status, UTC, "{due} {done}/{planned} {streak} {next} [{id}]") == "2 0/2 1 11:00 [r2]"
    assert status_line(status._replace(running=True), UTC) == ""
    quiet = status_of(history, counts, at("2026-01-05T05:00"), UTC, names={"r1": "Morning", "r2": "Neck & back"})
    assert quiet.due == () and status_line(quiet, UTC) == "" and status_line(quiet, UTC, "{next}") == ""


def test_a_status_template_takes_plain_names_only():
    assert fill_template("{a}{{b}}", {"a": "x"}) == "x{b}"
    with pytest.raises(KeyError):
        fill_template("{nope}", {"a": "x"})
    for broken in ("{a", "a}", "{a.__class__}", "{a[0]}"):
        with pytest.raises((KeyError, ValueError)):
            fill_template(broken, {"a": "x"})
