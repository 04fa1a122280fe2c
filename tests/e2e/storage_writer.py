"""A child process for the storage process tests: writes through `transaction()` and reports.

    python storage_writer.py kill-loop PATH RUN
        insert {"run": RUN, "n": i} for i = 0, 1, ... forever; print "ack i" after each
        transaction has returned (i.e. the write is on disk). The parent SIGKILLs it.
    python storage_writer.py concurrent PATH PROC COUNT
        print "ready", wait for a line on stdin, then COUNT times: insert {"proc": PROC, "i": i}
        and increment the shared counter (a read-modify-write); print "done" at the end.
    python storage_writer.py journal-kill-loop DATA_DIR RUN
        finish sessions `RUN-i` for i = 0, 1, ... into one journal month forever (appends, as
        finishing does); print "ack i" once the journal has each. The parent SIGKILLs it.
    python storage_writer.py journal-concurrent DATA_DIR PROC COUNT
        print "ready", wait for a line on stdin, then finish COUNT sessions `PROC-i` into the same
        journal month; print "done" at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.storage.files import transaction

PADDING = "x" * 200
"""Makes the file grow quickly, so each save takes long enough for kills to land mid-write."""


def kill_loop(path: Path, run: int) -> None:
    """Insert and acknowledge documents until killed."""
    n = 0
    while True:
        with transaction(path) as db:
            db.table("acks").insert({"run": run, "n": n, "pad": PADDING})
        print(f"ack {n}", flush=True)
        n += 1


def concurrent(path: Path, proc: int, count: int) -> None:
    """Insert `count` documents and bump the counter as many times, racing other processes."""
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(count):
        with transaction(path) as db:
            db.table("docs").insert({"proc": proc, "i": i})
            counter = db.table("counter")
            current = counter.get(doc_id=1)
            if current is None:
                counter.insert({"value": 1})
            else:
                counter.update({"value": current["value"] + 1}, doc_ids=[1])
    print("done", flush=True)


def _session(sid: str, n: int):
    """A short finished session in January 2026 (one month file for every writer)."""
    from datetime import datetime, timedelta, timezone

    from tui.domain.sessions import HoldRecord, Session

    started = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=n * 7 % 2_500_000)
    return Session(id=sid, routine_id="back-spasm-relief", routine_name="Back spasm relief", started_at=started,
                   ended_at=started + timedelta(minutes=5), status="completed", holds_planned=1,
                   holds=(HoldRecord("pelvic-tilt", None, 1, 10, 10.0, True),), pain_before=4, pain_after=2,
                   note=PADDING[:n % 50])


def journal_kill_loop(root: Path, run: int) -> None:
    """Finish and acknowledge sessions until killed."""
    from tui.storage.store import Store

    journal = Store.open(root).journal
    n = 0
    while True:
        journal.add(_session(f"{run}-{n}", run * 1000 + n))
        print(f"ack {n}", flush=True)
        n += 1


def journal_concurrent(root: Path, proc: int, count: int) -> None:
    """Finish `count` sessions into the month the other processes write too."""
    from tui.storage.store import Store

    journal = Store.open(root).journal
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(count):
        journal.add(_session(f"{proc}-{i}", proc * 1000 + i))
    print("done", flush=True)


if __name__ == "__main__":
    mode, target = sys.argv[1], Path(sys.argv[2])
    if mode == "kill-loop":
        kill_loop(target, int(sys.argv[3]))
    elif mode == "concurrent":
        concurrent(target, int(sys.argv[3]), int(sys.argv[4]))
    elif mode == "journal-kill-loop":
        journal_kill_loop(target, int(sys.argv[3]))
    elif mode == "journal-concurrent":
        journal_concurrent(target, int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(f"unknown mode {mode!r}")
