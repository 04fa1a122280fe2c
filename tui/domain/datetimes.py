"""The date and time types, without what `import datetime` costs on Python 3.11 and older.

There, `import datetime` first builds a pure-Python copy of every type and then
replaces each with the C module's: about a tenth of Python's own start-up,
which `backrelief status` (run every few seconds) would pay for nothing. The
modules on its path take the types from here; they are the very same objects
as `datetime.date` and the rest, so nothing else changes. Python 3.12 and
later only build the copy when the C module is missing.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date, datetime, time, timedelta, timezone, tzinfo
else:
    try:
        from _datetime import date, datetime, time, timedelta, timezone, tzinfo
    except ImportError:  # a Python without the C module
        from datetime import date, datetime, time, timedelta, timezone, tzinfo

__all__ = ["date", "datetime", "time", "timedelta", "timezone", "tzinfo"]
