"""The names of the files and folders in a data dir, in one place.

`DataDir` builds its paths from these; `backrelief status` reads a few files by
these names without loading pathlib (see tui/storage/glance.py).
"""

ROUTINES = "routines.json"
"""Custom routines and custom exercises."""
SETTINGS = "settings.json"
"""The user's settings."""
JOURNAL = "journal"
"""The folder of month files of finished sessions."""
ACTIVE = "active"
"""The folder of sessions under way or interrupted."""
SCREENINGS = "screenings.json"
"""The answers to the warning-sign question."""
PLANS = "plans.json"
"""Each routine's plan and its earlier versions."""
REMINDERS = "reminders.json"
"""The slot `backrelief remind` last told the user about, per routine."""
DONE_DAYS = "done-days.json"
"""A cache of sessions done per routine and day, per journal month file (see glance.py)."""
MONTH_FILE_LENGTH = len("2026-01.json")
"""A journal month file's name is `YYYY-MM.json`."""
