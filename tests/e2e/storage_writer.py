"""A child process for the storage process tests: writes through `transaction()` and reports.

    python storage_writer.py kill-loop PATH RUN
        insert {"run": RUN, "n": i} for i = 0, 1, ... forever; print "ack i" after each
        transaction has returned (i.e. the write is on disk). The parent SIGKILLs it.
    python storage_writer.py concurrent PATH PROC COUNT
        print "ready", wait for a line on stdin, then COUNT times: insert {"proc": PROC, "i": i}
        and increment the shared counter (a read-modify-write); print "done" at the end.
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


if __name__ == "__main__":
    mode, target = sys.argv[1], Path(sys.argv[2])
    if mode == "kill-loop":
        kill_loop(target, int(sys.argv[3]))
    elif mode == "concurrent":
        concurrent(target, int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(f"unknown mode {mode!r}")
