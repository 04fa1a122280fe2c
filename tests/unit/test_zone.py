"""SystemZone (tui/domain/zone.py) agrees with zoneinfo on the zone TZ names, clock changes included."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tui.domain.schedule import make_plan, progress
from tui.domain.zone import SystemZone, zone_key

UTC = timezone.utc

# Wall times around each change of 2026, with both folds: before, in the skipped or repeated hour, after.
CHANGES = {
    "Europe/London": [(2026, 3, 29, 0, 59), (2026, 3, 29, 1, 30), (2026, 3, 29, 2, 0),
                      (2026, 10, 25, 0, 59), (2026, 10, 25, 1, 30), (2026, 10, 25, 2, 0)],
    "America/New_York": [(2026, 3, 8, 1, 59), (2026, 3, 8, 2, 30), (2026, 3, 8, 3, 0),
                         (2026, 11, 1, 0, 59), (2026, 11, 1, 1, 30), (2026, 11, 1, 2, 0)],
    "Asia/Kolkata": [(2026, 1, 5, 12, 0)],
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_offsets_of_wall_times_match_zoneinfo(local_time, name):
    local_time(name)
    mine, theirs = SystemZone(), ZoneInfo(name)
    for parts in CHANGES[name]:
        for fold in (0, 1):
            wall = datetime(*parts, fold=fold)
            assert wall.replace(tzinfo=mine).utcoffset() == wall.replace(tzinfo=theirs).utcoffset(), (wall, fold)


@pytest.mark.parametrize("name", ["Europe/London", "America/New_York"])
def test_moments_read_back_as_the_same_wall_time_and_fold(local_time, name):
    local_time(name)
    mine, theirs = SystemZone(), ZoneInfo(name)
    start = datetime(2026, 3, 1, tzinfo=UTC) if name == "Europe/London" else datetime(2026, 10, 31, tzinfo=UTC)
    for quarter in range(0, 4 * 24 * 40, 7):  # every 105 minutes over 40 days, both changes for London
        moment = start + timedelta(minutes=15 * quarter)
        a, b = moment.astimezone(mine), moment.astimezone(theirs)
        assert (a.replace(tzinfo=None), a.fold, a.utcoffset()) == (b.replace(tzinfo=None), b.fold, b.utcoffset())
        assert a.astimezone(UTC) == moment


def test_a_plan_reads_the_same_in_the_system_zone(local_time):
    local_time("Europe/London")
    plan = make_plan("r1", "R", 2, "daily", "0-24")
    assert plan.slots(date(2026, 3, 29), SystemZone()) == plan.slots(date(2026, 3, 29), ZoneInfo("Europe/London"))
    now = datetime(2026, 3, 29, 11, 30, tzinfo=UTC)
    assert progress(plan, 1, now, SystemZone()) == progress(plan, 1, now, ZoneInfo("Europe/London"))


def test_the_zone_key_changes_with_tz(local_time):
    local_time("Europe/London")
    london = zone_key()
    local_time("America/New_York")
    assert zone_key() != london
