"""Every data file the app keeps, damaged in every way we know of, and what a user then gets.

The data dir holds a custom routine and exercise, settings, two journal months
and one interrupted session. One file is damaged (truncated mid-document, not
JSON, valid JSON with a field of the wrong type, a top level of the wrong shape,
a schema newer than ours, 0 bytes, a directory in its place, or unreadable),
then the user runs the real thing:

- `test_command_line`: the `backrelief` command that reads that file, as a real
  process (`routines list --json` for routines and settings, `journal list
  --json` for a journal month and an interrupted session);
- `test_app`: `backrelief` with no arguments, in this process (the app it builds
  is run under Pilot instead of in a terminal), up to the menu and, for a journal
  month, the journal screen.

Each asserts: the exit status, one line naming the file and the problem (or no
message at all, where none is due), no traceback, what became of the damaged file
(moved aside, left untouched, or left in place), and that everything else is still
there and still listed. The expected outcomes below are the corpus table of
docs/reliability.md; `-s` prints one row per case as it was observed.

Root reads a `chmod 000` file anyway, so "unreadable" fakes the permission error
where the storage layer reads the file, in this process (as tests/unit/test_files.py does).
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.textual_view import notifications
from tests.e2e.pty_harness import run_backrelief
from tui.cli import main
from tui.domain.clock import FakeClock
from tui.domain.engine import HoldFinished
from tui.domain.plan import Timings
from tui.storage import files
from tui.storage.recorder import SessionRecorder
from tui.storage.store import Store
from tui.ui import app as app_module
from tui.ui.app import BackreliefApp
from tui.ui.screens.journal import JournalScreen
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.safety import SafetyNote

pytestmark = pytest.mark.e2e

MOVED = "moved aside"
"""The damaged file is renamed to `<name>.corrupt-<time>`, byte for byte, and the file starts afresh."""
KEPT = "left untouched"
"""The file is refused (or read as it is) and not changed."""
IN_PLACE = "left in place"
"""A directory where the file should be: refused, and nothing in it touched."""

FILES = ("routines", "settings", "journal", "active")
"""The data files: custom routines and exercises, settings, a journal month, an interrupted session's file."""
DAMAGES = ("truncated", "not-json", "wrong-types", "wrong-shape", "newer-schema", "empty", "directory", "unreadable")
"""The kinds of damage."""

READS_IT = {
    "routines": ["routines", "list", "--json"],
    "settings": ["routines", "list", "--json"],  # the totals it prints use the get-ready and switch settings
    "journal": ["journal", "list", "--json"],
    "active": ["journal", "list", "--json"],  # interrupted sessions are part of the journal
}
"""The command a user runs that reads each file."""

REASON = {
    "truncated": "not valid JSON",
    "not-json": "not valid JSON",
    "wrong-shape": "top level is a list, not an object",
    "newer-schema": "was written by a newer backrelief (schema 2, this one reads up to 1)",
    "directory": "it is a directory, not a file",
    "unreadable": "cannot read it: Permission denied",
}
"""Words the message says for each kind of damage that the storage layer detects."""
WRONG_TYPES_REASON = {
    "routines": "holds a routine or exercise that cannot be read (routine 1, name: must be text, not a number)",
    "settings": "holds settings that cannot be used (get_ready_seconds: must be a whole number of seconds "
                "from 0 to 30, not 'ten'; bell: must be true or false); their defaults are used",
    "journal": "it holds what backrelief cannot use: session 1.id: must be non-empty text, not 5",
    "active": "holds a session that cannot be read (started_at: must be an ISO 8601 date and time, not a number)",
}
"""Words the message says when a document holds a field of the wrong type."""


@dataclass(frozen=True)
class Outcome:
    """What the user gets from the command line."""

    status: int
    """Exit status."""
    level: str | None
    """`error` (the command stops), `warning` (it carries on) or None (no message)."""
    fate: str
    """What became of the damaged file."""


@dataclass(frozen=True)
class AppOutcome:
    """What the user gets from `backrelief` with no arguments."""

    starts: bool
    """The menu shows; otherwise the command stops before the app, with one line and exit 1."""
    notice: bool
    """A notice names the file and the problem (for a journal month: once the journal is checked, after the menu)."""
    safety_note: bool = False
    """The first-run safety note shows again (the settings started afresh)."""
    journal_refused: bool = False
    """The journal screen says it cannot read the journal (instead of listing the rest)."""


ERR, WARN = "error", "warning"
STARTS, REFUSED = AppOutcome(starts=True, notice=False), AppOutcome(starts=False, notice=False)
NOTICE, RESET = AppOutcome(starts=True, notice=True), AppOutcome(starts=True, notice=True, safety_note=True)
JOURNAL_REFUSED = AppOutcome(starts=True, notice=False, journal_refused=True)

CORPUS: dict[tuple[str, str], tuple[Outcome, AppOutcome]] = {
    # Routines and settings: a command that needs the file stops, and the file starts afresh next time
    # when it was moved aside. The app shows the menu and a notice, or does not start where it cannot.
    ("routines", "truncated"): (Outcome(1, ERR, MOVED), NOTICE),
    ("routines", "not-json"): (Outcome(1, ERR, MOVED), NOTICE),
    ("routines", "wrong-types"): (Outcome(1, ERR, KEPT), REFUSED),
    ("routines", "wrong-shape"): (Outcome(1, ERR, MOVED), NOTICE),
    ("routines", "newer-schema"): (Outcome(1, ERR, KEPT), REFUSED),
    ("routines", "empty"): (Outcome(0, None, KEPT), STARTS),
    ("routines", "directory"): (Outcome(1, ERR, IN_PLACE), REFUSED),
    ("routines", "unreadable"): (Outcome(1, ERR, MOVED), NOTICE),
    ("settings", "truncated"): (Outcome(1, ERR, MOVED), RESET),
    ("settings", "not-json"): (Outcome(1, ERR, MOVED), RESET),
    ("settings", "wrong-types"): (Outcome(0, WARN, KEPT), NOTICE),  # each bad value falls back to its default
    ("settings", "wrong-shape"): (Outcome(1, ERR, MOVED), RESET),
    ("settings", "newer-schema"): (Outcome(1, ERR, KEPT), REFUSED),
    ("settings", "empty"): (Outcome(0, None, KEPT), AppOutcome(starts=True, notice=False, safety_note=True)),
    ("settings", "directory"): (Outcome(1, ERR, IN_PLACE), REFUSED),
    ("settings", "unreadable"): (Outcome(1, ERR, MOVED), RESET),
    # A journal month: the journal is listed without it, with a warning (a month of sessions that break
    # the rules is damaged too); a month from a newer backrelief stops the listing (and the journal
    # screen says why): nothing may touch it.
    ("journal", "truncated"): (Outcome(0, WARN, MOVED), NOTICE),
    ("journal", "not-json"): (Outcome(0, WARN, MOVED), NOTICE),
    ("journal", "wrong-types"): (Outcome(0, WARN, MOVED), NOTICE),
    ("journal", "wrong-shape"): (Outcome(0, WARN, MOVED), NOTICE),
    ("journal", "newer-schema"): (Outcome(1, ERR, KEPT), JOURNAL_REFUSED),
    ("journal", "empty"): (Outcome(0, None, KEPT), STARTS),
    ("journal", "directory"): (Outcome(0, WARN, IN_PLACE), NOTICE),
    ("journal", "unreadable"): (Outcome(0, WARN, MOVED), NOTICE),
    # An interrupted session's file: the journal is listed without that session, with a warning.
    # The app says nothing about a file it can read but not use (not offered for resume, not said why).
    ("active", "truncated"): (Outcome(0, WARN, MOVED), NOTICE),
    ("active", "not-json"): (Outcome(0, WARN, MOVED), NOTICE),
    ("active", "wrong-types"): (Outcome(0, WARN, KEPT), NOTICE),
    ("active", "wrong-shape"): (Outcome(0, WARN, MOVED), NOTICE),
    ("active", "newer-schema"): (Outcome(0, WARN, KEPT), REFUSED),
    ("active", "empty"): (Outcome(0, WARN, KEPT), NOTICE),
    ("active", "directory"): (Outcome(0, WARN, IN_PLACE), NOTICE),
    ("active", "unreadable"): (Outcome(0, WARN, MOVED), NOTICE),
}
"""File x damage -> (what `backrelief <the command that reads it>` does, what `backrelief` does)."""

CASES = list(CORPUS)
assert CASES == [(file, damage) for file in FILES for damage in DAMAGES]
IDS = [f"{file}-{damage}" for file, damage in CASES]


# -- the data dir ---------------------------------------------------------------


@dataclass
class Template:
    """A data dir with something in every file, and what each file holds."""

    root: Path
    """The data dir to copy."""
    sessions: dict[str, set[str]]
    """Session ids by the file they live in: `journal` (the damaged month), `other-month`, `active`."""
    routine_ids: set[str]
    """Every routine listed: built-in and custom."""


ROUTINE_FILE = {
    "format": "backrelief-routine", "version": 1, "name": "Morning reset",
    "exercises": [{"id": "wall-lean", "name": "Wall lean", "instructions": "Lean on a wall."}],
    "steps": [{"exercise": "wall-lean", "hold_seconds": 1, "reps": 3}],
}


def cli(*args: str, data_dir: Path) -> int:
    """The command line, in this process."""
    return main([*args, "--data-dir", str(data_dir)])


def quietly(*args: str, data_dir: Path) -> int:
    """The command line, in this process, its output dropped."""
    with contextlib.redirect_stdout(io.StringIO()):
        return cli(*args, data_dir=data_dir)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """Built once with the command line and the session recorder, as a user's data dir would be."""
    folder = tmp_path_factory.mktemp("corpus")
    root = folder / "data"
    (folder / "routine.json").write_text(json.dumps(ROUTINE_FILE))
    store = Store.open(root)
    store.settings.change(safety_acknowledged=True, get_ready_seconds=0, switch_seconds=0, rate_stretches=False)
    assert quietly("routines", "import", str(folder / "routine.json"), data_dir=root) == 0
    for at in ("2025-01-05T08:00:00+00:00", "2025-01-09T08:00:00+00:00", "2025-02-03T08:00:00+00:00"):
        assert quietly("log", "back-spasm-relief", "--pain-before", "6", "--at", at, data_dir=root) == 0
    # A session cut off after its first hold, as a hang-up leaves it.
    clock = FakeClock()
    recorder = SessionRecorder.begin(store, clock, store.routines.get("morning-reset"), Timings(0, 0), pain_before=4)
    recorder.start()
    while not any(isinstance(event, HoldFinished) for event in recorder.tick()):
        clock.advance(1)
    recorder.interrupt()
    by_month = {path.stem: {doc["id"] for doc in files.read_all(path)["sessions"].values()}
                for path in store.journal.months()}
    assert sorted(by_month) == ["2025-01", "2025-02"]
    [interrupted] = store.active.interrupted()
    return Template(
        root=root,
        sessions={"journal": by_month["2025-01"], "other-month": by_month["2025-02"],
                  "active": {interrupted.session.id}},
        routine_ids={"back-spasm-relief", "morning-reset"},
    )


def target(data_dir: Path, file: str) -> Path:
    """Where the file of each kind lives in the data dir."""
    if file == "active":
        [path] = (data_dir / "active").glob("*.json")
        return path
    return {"routines": data_dir / "routines.json", "settings": data_dir / "settings.json",
            "journal": data_dir / "journal" / "2025-01.json"}[file]


def wrong_types(file: str, good: dict) -> dict:
    """The file with one field of one document given a value of the wrong type."""
    if file == "routines":
        good["routines"]["1"]["name"] = 5
    elif file == "settings":
        good["settings"]["1"].update(get_ready_seconds="ten", bell="loud")
    elif file == "journal":
        good["sessions"]["1"]["id"] = 5
    else:
        good["session"]["1"]["started_at"] = 12
    return good


def damage(path: Path, file: str, kind: str, monkeypatch: pytest.MonkeyPatch) -> bytes | None:
    """Damage the file; the bytes it now holds (None for a directory)."""
    good = path.read_bytes()
    if kind == "truncated":
        content = good[: len(good) // 2]
    elif kind == "not-json":
        content = b"this is not JSON at all\n"
    elif kind == "wrong-types":
        content = json.dumps(wrong_types(file, json.loads(good))).encode()
    elif kind == "wrong-shape":
        content = b'[{"name": "a list where an object belongs"}]'
    elif kind == "newer-schema":
        content = json.dumps({**json.loads(good), "_meta": {"schema": files.SCHEMA_VERSION + 1}}).encode()
    elif kind == "empty":
        content = b""
    elif kind == "directory":
        path.unlink()
        path.mkdir()
        (path / "keep.txt").write_text("mine")
        return None
    else:  # unreadable: the file is fine, reading it is refused
        content = good
        real_read = files._read_bytes

        def refuse(p: Path) -> bytes:
            if p == path and p.exists():  # once moved aside, the fresh file is readable
                raise PermissionError(errno.EACCES, "Permission denied", str(p))
            return real_read(p)

        monkeypatch.setattr(files, "_read_bytes", refuse)
    path.write_bytes(content)
    return content


def snapshot(data_dir: Path, skip: Path) -> dict[str, bytes]:
    """Every data file but `skip` (and its backups), by name: to show the rest is untouched.

    A month's summary (`YYYY-MM.rows.json`) is not data but a shortcut worked out from
    its month, which reading the journal may make: like a lock file, it is left out.
    """
    return {str(p.relative_to(data_dir)): p.read_bytes() for p in data_dir.rglob("*")
            if p.is_file() and p.suffix not in (".lock", ".owner") and not p.name.endswith(".rows.json")
            and not p.is_relative_to(skip)
            and not p.name.startswith(f"{skip.name}.corrupt-")}


@dataclass
class Case:
    """One damaged data dir."""

    file: str
    """Which kind of data file (one of FILES)."""
    damage: str
    """Which damage (one of DAMAGES)."""
    data_dir: Path
    """The data dir, a copy of the template."""
    path: Path
    """The damaged file."""
    content: bytes | None
    """What the damaged file holds (None: a directory)."""
    others: dict[str, bytes]
    """Every other data file, as it was."""
    template: Template
    show: bool
    """Print the observed row (`pytest -s`)."""

    @property
    def reason(self) -> str:
        """Words the message about this damage must hold."""
        if self.damage == "wrong-types":
            return WRONG_TYPES_REASON[self.file]
        if self.damage == "empty":
            return "holds a session that cannot be read (no session header)"  # only an interrupted session's file
        return REASON[self.damage]

    def check_fate(self, fate: str) -> None:
        """The damaged file went where the storage contract says, and nothing else changed."""
        backups = sorted(self.path.parent.glob(f"{self.path.name}.corrupt-*"))
        if fate == MOVED:
            assert [b.read_bytes() for b in backups] == [self.content]
            assert not self.path.exists()  # until something is saved there
        elif fate == IN_PLACE:
            assert backups == [] and (self.path / "keep.txt").read_text() == "mine"
            assert [p.name for p in self.path.iterdir()] == ["keep.txt"]
        else:
            assert backups == [] and self.path.read_bytes() == self.content
        assert snapshot(self.data_dir, self.path) == self.others

    def still_listed(self) -> set[str]:
        """Sessions the journal lists with this file damaged: everything not stored in it."""
        sessions = self.template.sessions
        everything = set().union(*sessions.values())
        return everything - sessions[self.file] if self.file in ("journal", "active") else everything


@pytest.fixture
def case(request, template: Template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Case:
    file, kind = request.param
    data_dir = tmp_path / "data"
    shutil.copytree(template.root, data_dir)
    monkeypatch.delenv("BACKRELIEF_DATA_DIR", raising=False)
    path = target(data_dir, file)
    content = damage(path, file, kind, monkeypatch)
    show = request.config.getoption("capture") == "no"
    return Case(file, kind, data_dir, path, content, snapshot(data_dir, path), template, show)


def one_line(stderr: str, level: str, case: Case) -> str:
    """The single message line, checked: it names the file and the problem."""
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr
    line = stderr.rstrip("\n")
    assert line.startswith(f"backrelief: {level}: "), line
    assert str(case.path) in line and case.reason in line, line
    return line


def shown(line: str, case: Case) -> str:
    """A message as the report shows it: without the temp dir, the time stamp cut."""
    line = re.sub(r"\.corrupt-[0-9TZ-]+", ".corrupt-<time>", line.replace(f"{case.data_dir}/", ""))
    return line.replace(case.path.stem, "<session id>") if case.file == "active" else line


def report(case: Case, capsys: pytest.CaptureFixture[str], row: str) -> None:
    """Print a row of the corpus as observed, when pytest runs with `-s`."""
    if case.show:
        with capsys.disabled():
            print(f"\ncorpus {row}")


# -- the command line -------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS, indirect=True)
def test_command_line(case: Case, capsys: pytest.CaptureFixture[str]) -> None:
    expected = CORPUS[case.file, case.damage][0]
    command = READS_IT[case.file]
    if case.damage == "unreadable":  # the permission error is faked in this process
        status = cli(*command, data_dir=case.data_dir)
        stdout, stderr = capsys.readouterr()
    else:
        result = run_backrelief(case.data_dir, *command)
        status, stdout, stderr = result.returncode, result.stdout, result.stderr
    assert status == expected.status, stderr
    line = one_line(stderr, expected.level, case) if expected.level else None
    if expected.level is None:
        assert stderr == ""
    if status == 0:  # and what it lists is everything the damage did not take away
        listed = {item["id"] for item in json.loads(stdout)}
        if command[0] == "journal":
            assert listed == case.still_listed()
        else:
            assert listed == ({"back-spasm-relief"} if case.file == "routines" else case.template.routine_ids)
    else:
        assert stdout == ""
    case.check_fate(expected.fate)
    capsys.readouterr()
    if (case.file, case.damage) == ("settings", "wrong-types"):  # the bad values fall back, the good ones stay
        settings = Store.open(case.data_dir).settings.load()
        assert (settings.get_ready_seconds, settings.bell) == (5, True)  # the defaults
        assert (settings.switch_seconds, settings.safety_acknowledged) == (0, True)  # as stored

    # The rest still reads: the other kind of command lists everything it did before.
    if command[0] == "journal":
        assert cli("routines", "list", "--json", data_dir=case.data_dir) == 0
        assert {r["id"] for r in json.loads(capsys.readouterr().out)} == case.template.routine_ids
    else:
        assert cli("journal", "list", "--json", data_dir=case.data_dir) == 0
        assert {s["id"] for s in json.loads(capsys.readouterr().out)} == case.still_listed()
    # A file moved aside starts afresh: the same command now works, with nothing to say.
    if expected.fate == MOVED:
        assert cli(*command, data_dir=case.data_dir) == 0
        assert capsys.readouterr().err == ""
    report(case, capsys, f"cli | {case.file} | {case.damage} | exit {status} | "
                         f"{shown(line, case) if line else 'no message'} | {expected.fate}")


# -- the app ------------------------------------------------------------------------


async def until(pilot, condition, timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()


def notices(app) -> list[str]:
    return notifications(app)


@pytest.mark.parametrize("case", CASES, ids=IDS, indirect=True)
async def test_app(case: Case, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    expected = CORPUS[case.file, case.damage][1]
    built: list[BackreliefApp] = []
    monkeypatch.setattr(BackreliefApp, "run", lambda app, *args, **kwargs: built.append(app))
    # The app checks every journal month once the menu shows; here at once rather than a second later,
    # and the test learns when that check is over.
    monkeypatch.setattr(app_module, "JOURNAL_CHECK_DELAY", 0.05)
    full_checks: list[bool] = []
    real_check = Store.check

    def check(store: Store, journal: bool = True) -> list[str]:
        try:
            return real_check(store, journal)
        finally:
            if journal:
                full_checks.append(True)

    monkeypatch.setattr(Store, "check", check)
    status = cli(data_dir=case.data_dir)  # `backrelief`: everything up to the app, which is run below
    stderr = capsys.readouterr().err
    if not expected.starts:
        assert status == 1 and built == []
        line = one_line(stderr, "error", case)
        case.check_fate(CORPUS[case.file, case.damage][0].fate)
        report(case, capsys, f"app | {case.file} | {case.damage} | does not start: {shown(line, case)}")
        return
    assert status == 0 and stderr == ""
    [app] = built
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: any(isinstance(s, MenuScreen) for s in app.screen_stack))
        menu = next(s for s in app.screen_stack if isinstance(s, MenuScreen))
        await until(pilot, lambda: full_checks)
        # The check once more, waited for: a check that fails (WorkerFailed) leaves the user unwarned.
        await app._check_journal_files().wait()
        await pilot.pause()
        about_it = [n for n in notices(app) if str(case.path) in n]
        if expected.notice:
            assert len(about_it) == 1  # found again by later looks, said once
            assert all("\n" not in notice and case.reason in notice for notice in about_it)
        else:
            assert about_it == []
        assert isinstance(app.screen, SafetyNote) == expected.safety_note
        # Everything else is there: the routines, and the interrupted session offered for resume.
        routines = {r.id for r in menu.routines}
        assert routines == ({"back-spasm-relief"} if case.file == "routines" else case.template.routine_ids)
        assert [i.session.id for i in menu.interrupted] == ([] if case.file == "active" else
                                                             sorted(case.template.sessions["active"]))
        if case.file == "journal":
            await pilot.press("J")
            await until(pilot, lambda: isinstance(app.screen, JournalScreen))
            journal = app.screen
            if expected.journal_refused:
                await until(pilot, lambda: any(n.startswith("Cannot read the journal:") for n in notices(app)))
                [refused] = [n for n in notices(app) if n.startswith("Cannot read the journal:")]
                assert str(case.path) in refused and case.reason in refused
            else:
                await until(pilot, lambda: not journal.reading)
                assert {s.id for s in journal.sessions} == case.still_listed()
    case.check_fate(CORPUS[case.file, case.damage][0].fate)
    what = shown(about_it[0], case) if about_it else "no notice"
    what += f" (shown {len(about_it)} times)" if len(about_it) > 1 else ""
    what += " | safety note again" if expected.safety_note else ""
    what += " | journal screen: cannot read the journal" if expected.journal_refused else ""
    report(case, capsys, f"app | {case.file} | {case.damage} | menu | {what}")
