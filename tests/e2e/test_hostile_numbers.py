"""Hostile numbers and dates, and damaged interrupted-session files, through the real command.

Each case runs `backrelief` as a process and asserts what a user gets: the exit
status, one line on stderr naming the field (or the file and the field), no
traceback, and that nothing stored was lost or changed. The last test opens
the app in a pseudo-terminal over a damaged session file.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from tests.e2e.pty_harness import Terminal, backrelief_command, run_backrelief
from tui.domain.clock import FakeClock
from tui.domain.plan import Timings
from tui.storage.recorder import SessionRecorder
from tui.storage.store import Store

pytestmark = pytest.mark.e2e

HUGE = "1" * 5001
"""A whole number Python's parser will not read."""
LONG = "1" * 4000
"""A whole number Python reads, and no field can take."""

GOOD_SESSION = {
    "id": "imported-1", "routine_id": "back-spasm-relief", "routine_name": "Back spasm relief",
    "started_at": "2025-03-01T08:00:00+00:00", "ended_at": "2025-03-01T08:10:00+00:00", "status": "logged",
    "holds_planned": 1, "pain_before": 5, "pain_after": 3, "note": "",
    "holds": [{"exercise": "pelvic-tilt", "side": None, "rep": 1, "planned_seconds": 10,
               "held_seconds": 10.0, "completed": True}],
}
"""A good session; `export_with` puts a copy holding a hostile value next to it."""


def export_with(field: str, text: str) -> str:
    """A journal export of one good and one session whose `field` holds `text` as it is (not JSON-quoted)."""
    hostile = json.loads(json.dumps(GOOD_SESSION))
    hostile["id"] = "imported-2"
    holder = hostile["holds"][0] if field in hostile["holds"][0] else hostile
    holder[field] = "@@HOSTILE@@"
    return json.dumps([GOOD_SESSION, hostile]).replace('"@@HOSTILE@@"', text)


ROUTINE = {"format": "backrelief-routine", "version": 1, "name": "Hostile numbers",
           "steps": [{"exercise": "pelvic-tilt", "hold_seconds": "@@HOSTILE@@", "reps": 2}]}


def routine_with(text: str) -> str:
    return json.dumps(ROUTINE).replace('"@@HOSTILE@@"', text)


@dataclass(frozen=True)
class Case:
    """One hostile input and the one line it must get."""

    name: str
    file: str | None
    """Content of the file handed to the command (`{file}` in `args`), if any."""
    args: tuple[str, ...]
    status: int
    words: tuple[str, ...]
    """What the one line on stderr says."""


CASES = [
    Case("import-nan", export_with("held_seconds", "NaN"), ("journal", "import", "{file}"), 1,
         ("sessions[1].holds[0].held_seconds", "not NaN")),
    Case("import-infinity", export_with("held_seconds", "Infinity"), ("journal", "import", "{file}"), 1,
         ("sessions[1].holds[0].held_seconds", "not Infinity")),
    Case("import-1e400", export_with("held_seconds", "1e400"), ("journal", "import", "{file}"), 1,
         ("sessions[1].holds[0].held_seconds", "not Infinity")),
    Case("import-1e308-seconds", export_with("held_seconds", "1e308"), ("journal", "import", "{file}"), 1,
         ("sessions[1].holds[0].held_seconds", "from 0 to 86400", "not 1e+308")),
    Case("import-4000-digit-count", export_with("holds_planned", LONG), ("journal", "import", "{file}"), 1,
         ("sessions[1].holds_planned", "from 0 to 10000", "a 4,000-digit number")),
    Case("import-5001-digit-count", export_with("rep", HUGE), ("journal", "import", "{file}"), 1,
         ("sessions[1].holds[0].rep", "5,001-digit number is too long to read")),
    Case("import-year-1-at-plus-14", export_with("started_at", '"0001-01-01T00:00:00+14:00"'),
         ("journal", "import", "{file}"), 1, ("sessions[1].started_at", "from 1970")),
    Case("import-year-9999-at-minus-12", export_with("ended_at", '"9999-12-31T23:59:59-12:00"'),
         ("journal", "import", "{file}"), 1, ("sessions[1].ended_at", "100 years from now")),
    Case("import-1969", export_with("started_at", '"1969-12-31T23:59:59+00:00"'), ("journal", "import", "{file}"), 1,
         ("sessions[1].started_at", "from 1970")),
    Case("routine-5001-digits", routine_with(HUGE), ("routines", "import", "{file}"), 1,
         ("steps[0].hold_seconds", "5,001-digit number is too long to read")),
    Case("routine-1e308", routine_with("1e308"), ("routines", "import", "{file}"), 1,
         ("steps[0].hold_seconds", "from 1 to 600")),
    Case("routine-infinity", routine_with("-Infinity"), ("routines", "import", "{file}"), 1,
         ("steps[0].hold_seconds", "not -Infinity")),
    Case("log-at-year-1", None, ("log", "back-spasm-relief", "--at", "0001-01-01T00:00:00+01:00"), 1,
         ("--at", "from 1970")),
    Case("log-at-year-9999-local", None, ("log", "back-spasm-relief", "--at", "9999-12-31T23:59:59"), 1,
         ("--at", "9999-12-31 23:59 is in the future")),
    Case("log-huge-pain", None, ("log", "back-spasm-relief", "--pain-before", HUGE), 1,
         ("--pain-before", "a 5,001-digit number")),
    Case("since-year-1", None, ("journal", "list", "--since", "0001-01-01"), 1, ("--since", "from 1970-01-01")),
    Case("port-huge", None, ("serve", "--port", HUGE), 2, ("--port", "must be from 1 to 65535, not a 5,001-digit number")),
]


@pytest.fixture(scope="module")
def journal_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with one logged session, as a user would have it."""
    root = tmp_path_factory.mktemp("hostile") / "data"
    assert run_backrelief(root, "log", "back-spasm-relief", "--at", "2025-01-05T08:00:00+00:00").returncode == 0
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def one_line(stderr: str, usage: bool = False) -> str:
    """The one message line (after argparse's usage lines for a usage error), checked."""
    assert "Traceback" not in stderr, stderr
    if usage:  # argparse's usage, which may wrap, then one error line
        assert stderr.startswith("usage: ") and stderr.endswith("\n"), stderr
        assert "error: " in stderr.splitlines()[-1] and stderr.count("error: ") == 1, stderr
    else:
        assert stderr.count("\n") == 1, stderr
    assert "1" * 100 not in stderr, stderr  # no huge number printed whole
    return stderr.splitlines()[-1]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_number_is_refused_in_one_line_naming_the_field(case: Case, journal_template: Path, tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(journal_template, data_dir)
    before = snapshot(data_dir)
    args = list(case.args)
    if case.file is not None:
        (tmp_path / "input.json").write_text(case.file)
        args = [str(tmp_path / "input.json") if a == "{file}" else a for a in args]
    result = run_backrelief(data_dir, *args)
    assert result.returncode == case.status, result.stderr
    line = one_line(result.stderr, usage=case.status == 2)
    for word in case.words:
        assert word in line, line
    assert result.stdout == ""
    # Nothing stored was changed, not even half: the good session next to the hostile one is not taken either.
    after = {k: v for k, v in snapshot(data_dir).items() if not k.endswith(".lock")}
    assert after == {k: v for k, v in before.items() if not k.endswith(".lock")}


def test_a_limit_longer_than_any_journal_lists_everything(journal_template: Path):
    result = run_backrelief(journal_template, "journal", "list", "--json", "--limit", HUGE)
    assert result.returncode == 0 and result.stderr == ""
    assert len(json.loads(result.stdout)) == 1


def test_a_month_an_older_version_stored_infinity_in_is_moved_aside_and_the_rest_still_reads(
        journal_template: Path, tmp_path: Path):
    """The case seen on main: an import stored `Infinity`; then `journal list` crashed and export wrote invalid JSON."""
    data_dir = tmp_path / "data"
    shutil.copytree(journal_template, data_dir)
    assert run_backrelief(data_dir, "log", "back-spasm-relief", "--at", "2025-02-05T08:00:00+00:00").returncode == 0
    month = data_dir / "journal" / "2025-01.json"
    damaged = month.read_text().replace('"held_seconds": 30.0', '"held_seconds": Infinity', 1)
    assert "Infinity" in damaged
    month.write_text(damaged)
    listed = run_backrelief(data_dir, "journal", "list", "--json")
    assert listed.returncode == 0
    line = one_line(listed.stderr)
    assert line.startswith("backrelief: warning: ") and str(month) in line
    assert "Infinity is not a number JSON allows" in line and "moved aside" in line
    assert [s["started_at"][:7] for s in json.loads(listed.stdout)] == ["2025-02"]
    [backup] = month.parent.glob("2025-01.json.corrupt-*")
    assert backup.read_text() == damaged  # kept, byte for byte
    exported = run_backrelief(data_dir, "journal", "export")
    assert exported.returncode == 0 and exported.stderr == ""
    json.loads(exported.stdout, parse_constant=lambda token: pytest.fail(f"export wrote {token}"))


def test_a_month_holding_seconds_past_a_day_is_moved_aside_naming_the_session(journal_template: Path, tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(journal_template, data_dir)
    month = data_dir / "journal" / "2025-01.json"
    damaged = month.read_text().replace('"held_seconds": 30.0', '"held_seconds": 1e308', 1)
    month.write_text(damaged)
    listed = run_backrelief(data_dir, "journal", "list", "--json")
    assert listed.returncode == 0  # the rest of the journal is listed
    line = one_line(listed.stderr)
    assert str(month) in line and "held_seconds: must be a number of seconds from 0 to 86400, not 1e+308" in line
    assert "moved aside" in line and not month.exists()
    [aside] = month.parent.glob("2025-01.json.corrupt-*")
    assert aside.read_text() == damaged  # kept byte for byte
    assert all(not s["started_at"].startswith("2025-01") for s in json.loads(listed.stdout))


@pytest.mark.parametrize("file, content, reason", [
    ("routines.json", b'{"routines": {"1": {"steps": [{"hold_seconds": ' + HUGE.encode() + b'}]}}}',
     "5,001-digit number is too long to read"),
    ("settings.json", b'{"settings": {"1": {"get_ready_seconds": NaN}}}', "NaN is not a number JSON allows"),
], ids=["routines", "settings"])
def test_a_data_file_with_an_unreadable_number_is_moved_aside(file: str, content: bytes, reason: str,
                                                               journal_template: Path, tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(journal_template, data_dir)
    (data_dir / file).write_bytes(content)
    result = run_backrelief(data_dir, "routines", "list", "--json")
    line = one_line(result.stderr)
    assert str(data_dir / file) in line and reason in line and "moved aside" in line
    [backup] = data_dir.glob(f"{file}.corrupt-*")
    assert backup.read_bytes() == content
    again = run_backrelief(data_dir, "routines", "list", "--json")
    assert again.returncode == 0 and again.stderr == ""


# -- damaged interrupted-session files ------------------------------------------------------


def interrupted(root: Path) -> Path:
    """A data dir with one session cut off after its first hold, as a hang-up leaves it; its file."""
    store = Store.open(root)
    store.settings.change(safety_acknowledged=True)
    clock = FakeClock()
    recorder = SessionRecorder.begin(store, clock, store.routines.get("back-spasm-relief"), Timings(0, 0), pain_before=4)
    recorder.start()
    while not recorder.engine.records:
        clock.advance(1)
        recorder.tick()
    recorder.interrupt()
    [path] = (root / "active").glob("*.json")
    return path


def header_is(field: str, value) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        doc["session"]["1"][field] = value
    return change


def hold_is(field: str, value) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        doc["holds"]["1"][field] = value
    return change


def hold_numbered(number: str) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        doc["holds"][number] = doc["holds"].pop("1")
    return change


def no_header(doc: dict) -> None:
    doc["session"] = {}


MOVED, KEPT = "moved aside", "left untouched"
DAMAGED_SESSIONS = {
    "holds-planned-text": (header_is("holds_planned", "x"), KEPT, "holds_planned: must be a whole number from 0 to 10000, not 'x'"),
    "holds-planned-huge": (header_is("holds_planned", 10**3999), KEPT, "holds_planned: must be a whole number from 0 to 10000, not a 4,000-digit number"),
    "started-at-a-number": (header_is("started_at", 5), KEPT, "started_at: must be an ISO 8601 date and time, not a number"),
    "started-at-year-1": (header_is("started_at", "0001-01-01T00:00:00+14:00"), KEPT, "started_at: must be a date from 1970"),
    "updated-at-year-9999": (header_is("updated_at", "9999-12-31T23:59:59-12:00"), KEPT, "updated_at: must be a date from 1970"),
    "routine-not-an-object": (header_is("routine", "back-spasm-relief"), KEPT, "routine: must be an object, not text"),
    "routine-a-million-reps": (lambda doc: doc["session"]["1"]["routine"]["steps"][0].update(reps=10**6), KEPT,
                               "routine.steps[0].reps: must be from 1 to 50, not 1000000"),
    "routine-unknown-exercise": (lambda doc: doc["session"]["1"]["routine"]["steps"][0].update(exercise="nope"), KEPT,
                                 "routine.steps[0].exercise: unknown exercise 'nope'"),
    "position-negative": (header_is("position", -3), KEPT, "position: must be a whole number from 0 to 24, not -3"),
    "position-a-million": (header_is("position", 10**6), KEPT, "position: must be a whole number from 0 to 24, not 1000000"),
    "exercises-a-list": (header_is("exercises", [1, 2]), KEPT, "exercises: must be an object, not a list"),
    "id-a-number": (header_is("id", 5), KEPT, "id: must be non-empty text, not 5"),
    "note-a-number": (header_is("note", 5), KEPT, "note: must be text"),
    "pain-99": (header_is("pain_before", 99), KEPT, "pain_before: must be a whole number from 0 to 10 or null, not 99"),
    "hold-rep-text": (hold_is("rep", "x"), KEPT, "holds[0].rep: must be a whole number from 1 to 10000, not 'x'"),
    "hold-seconds-past-a-day": (hold_is("held_seconds", 1e308), KEPT, "holds[0].held_seconds: must be a number of seconds from 0 to 86400, not 1e+308"),
    "hold-past-the-plan": (hold_numbered("999"), KEPT, "holds: has hold 999; the routine has 25"),
    "no-header": (no_header, KEPT, "no session header"),
    "position-nan": (header_is("position", float("nan")), MOVED, "NaN is not a number JSON allows"),
}


def damage_session(path: Path, change: Callable[[dict], None]) -> bytes:
    doc = json.loads(path.read_text())
    change(doc)
    content = json.dumps(doc).encode()
    path.write_bytes(content)
    return content


@pytest.fixture(scope="module")
def session_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("damaged") / "data"
    interrupted(root)
    assert run_backrelief(root, "log", "back-spasm-relief", "--at", "2025-01-05T08:00:00+00:00").returncode == 0
    return root


@pytest.mark.parametrize("kind", list(DAMAGED_SESSIONS))
def test_a_damaged_session_file_is_said_once_and_every_command_works(kind: str, session_template: Path,
                                                                     tmp_path: Path):
    change, fate, reason = DAMAGED_SESSIONS[kind]
    data_dir = tmp_path / "data"
    shutil.copytree(session_template, data_dir)
    [path] = (data_dir / "active").glob("*.json")
    content = damage_session(path, change)

    listed = run_backrelief(data_dir, "journal", "list", "--json")
    assert listed.returncode == 0
    line = one_line(listed.stderr)
    assert line.startswith("backrelief: warning: ") and str(path) in line and reason in line and fate in line, line
    assert [s["status"] for s in json.loads(listed.stdout)] == ["logged"]  # the rest is listed
    if fate == KEPT:
        assert path.read_bytes() == content
    else:
        [backup] = path.parent.glob(f"{path.name}.corrupt-*")
        assert backup.read_bytes() == content and not path.exists()

    # Every other command still works, those that write to the journal too; those that read the
    # session files say which one they cannot use.
    (tmp_path / "export.json").write_text(json.dumps([GOOD_SESSION]))
    for args, says in ((("journal", "export", "--format", "csv"), True), (("routines", "list"), False),
                       (("log", "back-spasm-relief", "--at", "2025-01-06T08:00:00+00:00"), False),
                       (("journal", "import", str(tmp_path / "export.json")), True)):
        result = run_backrelief(data_dir, *args)
        assert result.returncode == 0 and "Traceback" not in result.stderr, (args, result.stderr)
        warnings = [line for line in result.stderr.splitlines() if line.startswith("backrelief: warning:")]
        assert len(warnings) == (1 if says and fate == KEPT else 0), (args, result.stderr)  # once moved: nothing to say
        assert all(str(path) in w for w in warnings), (args, result.stderr)
    assert len(json.loads(run_backrelief(data_dir, "journal", "list", "--json").stdout)) == 3
    if fate == KEPT:
        assert path.read_bytes() == content  # still as the user left it


def test_the_app_starts_over_a_damaged_session_file_and_runs_a_session(session_template: Path, tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(session_template, data_dir)
    [path] = (data_dir / "active").glob("*.json")
    damage_session(path, header_is("exercises", [1, 2]))
    with Terminal.start(backrelief_command(data_dir), cols=100, rows=30) as term:
        term.wait_for("Back spasm relief")
        term.wait_for("could not be read")
        assert "Traceback" not in term.text()
        assert "interrupted session" not in term.text()  # not offered for resume
        term.press("enter")
        term.wait_for("Pain check-in")
        term.press("escape")
        term.wait_for("GET READY")
        term.press("ctrl+q")
        status = term.wait_exit()
    assert status == 0
