"""The user's time zone as the C library knows it (`TZ`, `/etc/localtime`), daylight saving included.

`datetime.astimezone()` with no argument gives a fixed offset: right for one
moment, wrong for a slot tomorrow on the other side of a clock change. The
schedule needs a zone that knows its rules. Tests hand it a `zoneinfo.ZoneInfo`;
the app and the command line hand it `SystemZone`, which asks `time.localtime`,
so it agrees with every `.astimezone()` elsewhere in the app and follows `TZ`
(after `time.tzset()`). It imports nothing beyond `time` and the date types:
`backrelief status` loads it, and must start about as fast as Python itself.
"""

from __future__ import annotations

import os
import time
from tui.domain.datetimes import datetime, timedelta, tzinfo

_EPOCH = datetime(1970, 1, 1)
_DAY = 86400


def _seconds(naive: datetime) -> float:
    """A naive datetime as seconds since the epoch, read as if it were UTC."""
    return (naive - _EPOCH).total_seconds()


class SystemZone(tzinfo):
    """The local zone of the C library, as a `tzinfo` that honours PEP 495's `fold`.

    A wall time that happens twice (the hour repeated when clocks go back) is the
    first one with `fold=0` and the second with `fold=1`; a wall time that never
    happens (the hour skipped when clocks go forward) is read with the offset
    from before the change (`fold=0`), as `zoneinfo` does.
    """

    def _offsets(self, wall: float) -> list[int]:
        """The offsets (seconds) a wall time has: one, two when it repeats, none when it is skipped."""
        # Offsets a day either side of it: clocks never change twice within two days.
        around = {time.localtime(wall - _DAY).tm_gmtoff, time.localtime(wall + _DAY).tm_gmtoff}
        return sorted(o for o in around if time.localtime(wall - o).tm_gmtoff == o)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return timedelta(seconds=time.localtime().tm_gmtoff)
        wall = _seconds(dt.replace(tzinfo=None))
        offsets = self._offsets(wall)
        if len(offsets) == 2:  # repeated: the first occurrence has the larger offset
            return timedelta(seconds=offsets[0] if dt.fold else offsets[1])
        if offsets:
            return timedelta(seconds=offsets[0])
        before, after = time.localtime(wall - _DAY).tm_gmtoff, time.localtime(wall + _DAY).tm_gmtoff
        return timedelta(seconds=after if dt.fold else before)  # skipped

    def dst(self, dt: datetime | None) -> timedelta:
        if dt is None:
            return timedelta(0)
        stamp = _seconds(dt.replace(tzinfo=None)) - self.utcoffset(dt).total_seconds()
        local = time.localtime(stamp)
        return timedelta(seconds=local.tm_gmtoff + time.timezone) if local.tm_isdst > 0 else timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        if dt is None:
            return time.tzname[0]
        stamp = _seconds(dt.replace(tzinfo=None)) - self.utcoffset(dt).total_seconds()
        return time.localtime(stamp).tm_zone

    def fromutc(self, dt: datetime) -> datetime:
        stamp = _seconds(dt.replace(tzinfo=None))
        offset = time.localtime(stamp).tm_gmtoff
        local = dt + timedelta(seconds=offset)
        before = time.localtime(stamp - _DAY).tm_gmtoff
        if before > offset:  # the clocks went back within the day: this wall time may have shown already
            if time.localtime(stamp + offset - before).tm_gmtoff == before:
                return local.replace(fold=1)  # it did, under the old offset: this is its second time
        return local

    def __repr__(self) -> str:
        return "SystemZone()"


def zone_key() -> str:
    """Text that changes when the local zone does: the cached day counts are redone when it changes."""
    parts = [os.environ.get("TZ", ""), "/".join(time.tzname), str(time.timezone), str(time.altzone)]
    if not parts[0]:
        try:
            parts.append(os.path.realpath("/etc/localtime"))
        except OSError:
            pass
    return "|".join(parts)
