"""Real processes against `tui.storage.files`: SIGKILL mid-write, and several writers on one file; the same
for the journal, whose finished sessions are appended to their month file (tui/storage/lines.py).

The trial loops are plain functions returning counts, so a reliability report can
run them at a larger scale:

    python tests/e2e/test_storage_processes.py --trials 500 --procs 8 --each 200
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script, or `tui` not installed: import this checkout
    sys.path.insert(0, str(ROOT))

from tests.e2e import command_server  # noqa: E402
from tui.storage.files import CorruptDataFile, read_all  # noqa: E402
from tui.storage.store import Store  # noqa: E402

pytestmark = pytest.mark.e2e

WRITER = Path(__file__).with_name("storage_writer.py")


def _child_env() -> dict[str, str]:
    """The children import `tui` from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _spawn(*args: str) -> command_server.ForkedCommand:
    """`python storage_writer.py ARGS` with pipes for its streams, forked from a Python that has imported the
    storage layer already (tests/e2e/command_server.py)."""
    return command_server.start(args, _child_env(), script=WRITER, stdin=True)


def run_kill_trials(directory: Path, trials: int = 60, max_delay: float = 0.25, seed: int | None = None) -> dict:
    """SIGKILL a writer at a random moment `trials` times; count broken files and lost acked writes.

    Every trial appends to the same file (so it grows and saves get slower, and
    kills land mid-write more often) and checks all writes acked so far, not only
    this trial's. `killed_mid_write` counts trials whose kill left a temp file
    behind, i.e. landed between creating the temp file and renaming it.
    """
    rng = random.Random(seed)
    path = Path(directory) / "journal.json"
    temp_glob = f".{path.name}.tmp-*"
    acked: set[tuple[int, int]] = set()
    lost: set[tuple[int, int]] = set()
    counts = {"trials": trials, "broken_files": 0, "lost_acked_writes": 0, "acked_writes": 0, "killed_mid_write": 0}
    for run in range(trials):
        child = _spawn("kill-loop", str(path), str(run))
        first = child.stdout.readline()  # wait for one save, so the kill lands in the busy loop
        if not first:
            child.wait()
            raise RuntimeError(f"writer died: {child.stderr.read().decode(errors='replace')}")
        time.sleep(rng.uniform(0, max_delay))
        child.send_signal(signal.SIGKILL)
        child.wait()
        out = first + child.stdout.read()
        for stream in (child.stdin, child.stdout, child.stderr):
            stream.close()
        for line in out.split(b"\n")[:-1]:  # complete lines only
            acked.add((run, int(line.split()[1])))
        if any(path.parent.glob(temp_glob)):
            counts["killed_mid_write"] += 1
        try:
            tables = read_all(path)
        except CorruptDataFile:
            counts["broken_files"] += 1
            continue
        present = {(doc["run"], doc["n"]) for doc in tables.get("acks", {}).values()}
        lost |= acked - present
    counts["acked_writes"] = len(acked)
    counts["lost_acked_writes"] = len(lost)
    return counts


def _run_together(children: list[command_server.ForkedCommand]) -> list[list[str]]:
    """Start writers that have said "ready" at the same moment, wait for them all; the last line of each failure."""
    failures = []
    try:
        for child in children:
            assert child.stdout.readline() == b"ready\n", child.stderr.read().decode(errors="replace")
        for child in children:  # start them together
            child.stdin.write(b"go\n")
            child.stdin.flush()
        for child in children:
            _, err = child.communicate(timeout=120)
            if child.returncode != 0:
                failures.append(err.decode(errors="replace").strip().splitlines()[-1:])
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    return failures


def run_concurrent_writers(directory: Path, procs: int = 4, each: int = 100) -> dict:
    """`procs` processes each insert `each` documents and bump one counter as many times, all at once."""
    path = Path(directory) / "shared.json"
    failures = _run_together([_spawn("concurrent", str(path), str(p), str(each)) for p in range(procs)])
    tables = read_all(path)
    docs = tables.get("docs", {})
    found = {(doc["proc"], doc["i"]) for doc in docs.values()}
    expected = {(p, i) for p in range(procs) for i in range(each)}
    return {
        "procs": procs,
        "each": each,
        "expected_docs": len(expected),
        "stored_docs": len(docs),
        "lost_docs": len(expected - found),
        "doc_ids_as_expected": sorted(int(i) for i in docs) == list(range(1, len(expected) + 1)),
        "counter": tables.get("counter", {}).get("1", {}).get("value"),
        "failed_writers": len(failures),
        "failures": failures,
    }


def run_journal_kill_trials(directory: Path, trials: int = 40, max_delay: float = 0.15, seed: int | None = None) -> dict:
    """SIGKILL a process finishing sessions into one month at a random moment, `trials` times.

    Counts months found unreadable, acked sessions missing, and `killed_mid_append`: trials whose
    kill left the month with an append under way (its bytes not JSON as they are).
    """
    rng = random.Random(seed)
    root = Path(directory) / "data"
    month = root / "journal" / "2026-01.json"
    acked: set[str] = set()
    lost: set[str] = set()
    counts = {"trials": trials, "broken_months": 0, "lost_acked_sessions": 0, "acked_sessions": 0,
              "killed_mid_append": 0}
    for run in range(trials):
        child = _spawn("journal-kill-loop", str(root), str(run))
        first = child.stdout.readline()
        if not first:
            child.wait()
            raise RuntimeError(f"writer died: {child.stderr.read().decode(errors='replace')}")
        time.sleep(rng.uniform(0, max_delay))
        child.send_signal(signal.SIGKILL)
        child.wait()
        out = first + child.stdout.read()
        for stream in (child.stdin, child.stdout, child.stderr):
            stream.close()
        for line in out.split(b"\n")[:-1]:
            acked.add(f"{run}-{int(line.split()[1])}")
        try:
            json.loads(month.read_bytes())
        except ValueError:
            counts["killed_mid_append"] += 1
        store = Store.open(root)
        present = {s.id for s in store.journal.list()}
        if store.take_problems() or list(month.parent.glob("*.corrupt-*")):
            counts["broken_months"] += 1
        lost |= acked - present
    counts["acked_sessions"] = len(acked)
    counts["lost_acked_sessions"] = len(lost)
    return counts


def run_concurrent_journal_writers(directory: Path, procs: int = 4, each: int = 40) -> dict:
    """`procs` processes each finish `each` sessions into the same month at once."""
    root = Path(directory) / "data"
    failures = _run_together([_spawn("journal-concurrent", str(root), str(p), str(each)) for p in range(procs)])
    month = root / "journal" / "2026-01.json"
    raw = json.loads(month.read_bytes())  # plain JSON, with no append left under way
    expected = {f"{p}-{i}" for p in range(procs) for i in range(each)}
    stored = [doc["id"] for doc in raw["sessions"].values()]
    rows = Store.open(root).journal.month_rows(month)  # from the summary the last writer left
    return {
        "expected_sessions": len(expected),
        "stored_sessions": len(stored),
        "lost_sessions": len(expected - set(stored)),
        "rows_match": sorted(r.id for r in rows) == sorted(stored),
        "failed_writers": len(failures),
        "failures": failures,
    }


def test_sigkill_never_breaks_the_file_or_loses_an_acked_write(tmp_path: Path, rng: random.Random) -> None:
    started = time.monotonic()
    seed = rng.randrange(2**32)  # kill moments drawn afresh each run (see tests/conftest.py)
    counts = run_kill_trials(tmp_path, trials=60, seed=seed)
    print(f"\nkill trials (seed {seed}): {counts} in {time.monotonic() - started:.1f}s")
    assert counts["broken_files"] == 0
    assert counts["lost_acked_writes"] == 0
    assert counts["acked_writes"] >= counts["trials"]  # every trial saved at least once
    # The drill only means something if some kills landed mid-save.
    assert counts["killed_mid_write"] > 0


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    started = time.monotonic()
    counts = run_concurrent_writers(tmp_path, procs=4, each=100)
    print(f"\nconcurrent writers: {counts} in {time.monotonic() - started:.1f}s")
    assert counts["stored_docs"] == counts["expected_docs"] == 400
    assert counts["lost_docs"] == 0
    assert counts["doc_ids_as_expected"]  # distinct ids 1..400: no id handed out twice
    assert counts["counter"] == 400  # no read-modify-write was lost
    assert counts["failed_writers"] == 0, counts["failures"]


def test_sigkill_mid_append_never_breaks_a_month_or_loses_an_acked_session(tmp_path: Path, rng: random.Random) -> None:
    started = time.monotonic()
    seed = rng.randrange(2**32)
    counts = run_journal_kill_trials(tmp_path, seed=seed)
    print(f"\njournal kill trials (seed {seed}): {counts} in {time.monotonic() - started:.1f}s")
    assert counts["broken_months"] == 0
    assert counts["lost_acked_sessions"] == 0
    assert counts["acked_sessions"] >= counts["trials"]
    assert counts["killed_mid_append"] > 0  # some kills landed between the two writes of an append


def test_concurrent_journal_writers_lose_no_session(tmp_path: Path) -> None:
    counts = run_concurrent_journal_writers(tmp_path, procs=4, each=40)
    print(f"\nconcurrent journal writers: {counts}")
    assert counts["stored_sessions"] == counts["expected_sessions"] == 160
    assert counts["lost_sessions"] == 0
    assert counts["rows_match"]
    assert counts["failed_writers"] == 0, counts["failures"]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--max-delay", type=float, default=0.25)
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--each", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None, help="replay the kill moments of an earlier run")
    args = parser.parse_args()
    seed = random.randrange(2**32) if args.seed is None else args.seed
    with tempfile.TemporaryDirectory() as tmp:
        kill = run_kill_trials(Path(tmp) / "kill", args.trials, args.max_delay, seed)
        concurrent = run_concurrent_writers(Path(tmp) / "concurrent", args.procs, args.each)
    print(json.dumps({"seed": seed, "kill_trials": kill, "concurrent_writers": concurrent}, indent=2))
