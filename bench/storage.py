"""Storage benchmark: recording must not cost more as the journal grows (issue 2).

Three data dirs are seeded with an empty, a one-year (365 sessions) and a ten-year
(3,650 sessions) journal, one session a day of the built-in routine's 25 holds.
In each, through the same calls the app makes, it times:

- recording one hold (`ActiveSession.record_hold`, as `SessionRecorder` does after every hold);
- finishing a session (`SessionRecorder.finish`: appended to its month file, then its own file removed);
- loading the journal (`Store.sessions()` on a freshly opened store, then again warm).

Each figure is a median, with the same figure at empty history (or cold) measured in
the same run as its baseline. For reference it also times TinyDB's stock
`JSONStorage` inserting one such session into a single file of 1,000 and of 10,000.

    python -m bench.storage [--quick]
"""

from __future__ import annotations

import random
import tempfile
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tinydb import TinyDB

from bench.report import bench_main, figure, median, timed
from tui.domain.clock import FakeClock
from tui.domain.plan import Timings, expand
from tui.domain.routines import Routine
from tui.domain.sessions import HoldRecord, Session
from tui.storage.documents import session_to_dict
from tui.storage.recorder import SessionRecorder
from tui.storage.store import Store

ROUTINE_ID = "back-spasm-relief"
"""The built-in routine every generated session is a run of (25 holds)."""
HISTORIES = (("empty", 0), ("one-year", 365), ("ten-year", 3650))
"""Journal sizes measured: name and sessions, one a day."""
STOCK_SIZES = (1000, 10000)
"""Documents in the single stock TinyDB file."""
HOLDS_PER_SESSION = 5
"""Holds recorded (and timed) in each benchmark session before it is finished."""


def generated_sessions(count: int, routine: Routine, store: Store, end: datetime, seed: int = 7) -> list[Session]:
    """`count` completed sessions of `routine`, one a day, the last on the day before `end`."""
    rng = random.Random(seed)
    plan = expand(routine, store.routines.exercises())
    sessions = []
    for day in range(count, 0, -1):
        started = (end - timedelta(days=day)).replace(hour=7, minute=rng.randrange(60), second=0, microsecond=0)
        holds = tuple(HoldRecord(h.exercise.id, h.side, h.rep, h.planned_seconds,
                                 float(h.planned_seconds) + rng.choice((0.0, 0.4, -0.6)), True) for h in plan)
        before = rng.randrange(3, 9)
        sessions.append(Session(
            id=uuid.UUID(int=rng.getrandbits(128)).hex, routine_id=routine.id, routine_name=routine.name,
            started_at=started, ended_at=started + timedelta(minutes=10), status="completed",
            holds_planned=len(plan), holds=holds, pain_before=before, pain_after=max(0, before - rng.randrange(0, 4)),
            note=rng.choice(("", "", "stiff this morning", "better after the second hamstring stretch")),
        ))
    return sessions


def _session_moment() -> datetime:
    """When the benchmark sessions 'start': the last full month, so they land in a month file already full."""
    first_of_month = datetime.now(timezone.utc).replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    return first_of_month - timedelta(days=2)


class History:
    """One data dir with a journal of a given size."""

    def __init__(self, root: Path, name: str, count: int, end: datetime) -> None:
        self.name = name
        """empty, one-year or ten-year."""
        self.count = count
        """Sessions in the journal."""
        self.root = root
        """The data dir."""
        self.store = Store.open(root)
        """The store the benchmark sessions run against."""
        self.store.settings.change(safety_acknowledged=True)
        self.routine = self.store.routines.get(ROUTINE_ID)
        """The routine every session runs."""
        if count:
            added, _ = self.store.journal.merge(generated_sessions(count, self.routine, self.store, end))
            assert added == count, f"seeded {added} of {count} sessions"
        self.clock = FakeClock(start=_session_moment())
        """Dates the benchmark sessions into the last full month."""
        self.record_times: list[float] = []
        """Seconds per recorded hold."""
        self.finish_times: list[float] = []
        """Seconds per finished session."""

    def one_session(self) -> None:
        """Begin a session, record some holds (timed one by one), finish it (timed)."""
        recorder = SessionRecorder.begin(self.store, self.clock, self.routine, Timings(), pain_before=5)
        plan = recorder.engine.plan
        for index in range(HOLDS_PER_SESSION):
            hold = plan[index]
            record = HoldRecord(hold.exercise.id, hold.side, hold.rep, hold.planned_seconds, float(hold.planned_seconds), True)
            # What SessionRecorder.apply does for each HoldFinished: the hold, and where the session now is.
            self.record_times.append(timed(lambda: recorder.active.record_hold(index, record, position=index + 1)))
            self.clock.advance(hold.planned_seconds + 5)
        self.finish_times.append(timed(lambda: recorder.finish(pain_after=3, note="")))

    def load_times(self, runs: int) -> tuple[list[float], list[float]]:
        """Seconds for Store.sessions() on a freshly opened store (cold), and a second call (warm)."""
        cold, warm = [], []
        for _ in range(runs):
            store = Store.open(self.root)
            found: list = []
            cold.append(timed(lambda: found.append(store.sessions())))
            warm.append(timed(store.sessions))
            assert len(found[0]) >= self.count, "the journal lost sessions"
        return cold, warm


def stock_times(folder: Path, size: int, doc: dict, inserts: int) -> tuple[float, float, int]:
    """TinyDB's stock JSONStorage: (median seconds to insert one doc into a file of `size`, seconds to read all, bytes)."""
    path = folder / f"stock-{size}.json"
    with TinyDB(path) as db:  # the default storage: JSONStorage, one file, rewritten whole on every write
        db.table("sessions").insert_multiple({**doc, "id": f"{doc['id']}-{i}"} for i in range(size))
    times = []
    for i in range(inserts):
        with TinyDB(path) as db:
            table = db.table("sessions")
            times.append(timed(lambda: table.insert({**doc, "id": f"extra-{i}"})))
    with TinyDB(path) as db:
        read = timed(lambda: db.table("sessions").all())
    return median(times), read, path.stat().st_size


def run(quick: bool = False) -> list[dict]:
    """Measure and return the figures (see the module docstring)."""
    sessions_per_history = 4 if quick else 12
    load_runs = 3 if quick else 7
    stock_inserts = 3 if quick else 7
    with tempfile.TemporaryDirectory(prefix="backrelief-bench-storage-") as tmp:
        root = Path(tmp)
        end = datetime.now(timezone.utc)
        histories = [History(root / name, name, count, end) for name, count in HISTORIES]
        for _ in range(sessions_per_history):  # interleaved, so a slow moment of the disk hits all alike
            for history in histories:
                history.one_session()
        loads = {h.name: h.load_times(load_runs) for h in histories}
        sample = session_to_dict(generated_sessions(1, histories[0].routine, histories[0].store, end, seed=11)[0])
        stock = {size: stock_times(root, size, sample, stock_inserts) for size in STOCK_SIZES}
        ten_year_read = stock_times(root, HISTORIES[-1][1], sample, 1)[1]

    ms = 1000.0
    empty = histories[0]
    rows = []
    for history in histories:
        label = f"{history.name} ({history.count:,} sessions)"
        base = "same at empty history" if history is not empty else ""
        rows.append(figure(f"record a hold, {label}", median(history.record_times) * ms, "ms",
                           base, median(empty.record_times) * ms if base else None,
                           "<= 1.2x (about the same)" if base else "",
                           note="" if base else "the session's own small file, written and fsynced (file and folder)"))
    for history in histories:
        label = f"{history.name} ({history.count:,} sessions)"
        base = "same at empty history" if history is not empty else ""
        rows.append(figure(f"finish a session, {label}", median(history.finish_times) * ms, "ms",
                           base, median(empty.finish_times) * ms if base else None,
                           "<= 1.2x (about the same)" if base else ""))
    rows.append(figure("finish a session, ten-year vs one-year", median(histories[-1].finish_times) * ms, "ms",
                       "same, one-year", median(histories[1].finish_times) * ms, "<= 1.2x (about the same)",
                       note="finishing appends to one month file (the last full month: about 30 sessions, "
                            "empty at empty history) and rewrites its short summary, so it depends neither "
                            "on the month's sessions nor on the years"))
    for history in histories[1:]:
        cold, warm = loads[history.name]
        label = f"{history.name} ({history.count:,} sessions)"
        if history.count == HISTORIES[-1][1]:
            rows.append(figure(f"load the journal cold, {label}", median(cold) * ms, "ms",
                               f"stock TinyDB: read all {history.count:,} docs from one file", ten_year_read * ms,
                               "reference", note="ours also turns every document into a Session; stock returns raw dicts"))
        else:
            rows.append(figure(f"load the journal cold, {label}", median(cold) * ms, "ms"))
        rows.append(figure(f"load the journal warm, {label}", median(warm) * ms, "ms",
                           "same, cold", median(cold) * ms, "< 1x (cached months)"))
    ours_finish = median(histories[-1].finish_times) * ms
    issue = {1000: "~27 ms", 10000: "~500 ms"}
    for size, (insert, _, size_bytes) in stock.items():
        rows.append(figure(f"stock TinyDB JSONStorage: insert 1 into a file of {size:,} ({size_bytes / 1e6:.1f} MB)",
                           insert * ms, "ms", "ours: finish a session, ten-year", ours_finish,
                           f"reference (issue measured {issue[size]})",
                           note="ratio = stock / ours; ours fsyncs every write, stock does not"))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Print the storage figures."""
    return bench_main("python -m bench.storage", __doc__, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
