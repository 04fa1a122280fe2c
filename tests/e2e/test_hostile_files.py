"""The real `backrelief` command among hostile files: where `-o` points (a FIFO, /dev/stdout, `-`, a
file), a lax umask, loose modes, a planted lock link, a data dir others can write in, a read-only data
dir (a backup mount), and CSV cells a spreadsheet would run.

Every command runs as its own process. A read-only mount needs root: the command runs in a private
mount namespace (`unshare -m`) where the data dir is bind-mounted read-only, so nothing is left mounted
if the test dies. Without root, the folders are made read-only with chmod instead (root would write
through that, which is why root mounts).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import threading
from pathlib import Path
from typing import Iterator

import pytest

from tests.e2e.pty_harness import Terminal, backrelief_command, command_env, run_backrelief
from tui.domain.clock import FakeClock
from tui.domain.plan import Timings
from tui.storage.recorder import SessionRecorder
from tui.storage.store import Store

pytestmark = pytest.mark.e2e

ROUTINE_FILE = {
    "format": "backrelief-routine", "version": 1, "name": "Desk break",
    "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 10, "reps": 2, "rest_seconds": 5, "sides": "none"}],
}


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def run(data_dir: Path, *args: str, prefix: tuple[str, ...] = (), env: dict[str, str] | None = None,
        umask: int | None = None, stdout=subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """`backrelief --data-dir DIR ARGS...` as its own process (optionally under `prefix`, a umask, more env).

    Its output is decoded as it is, CRLF and all (text mode would turn a CSV's CRLF into LF). Without a
    prefix, a umask or a stdout of its own, forked as `run_backrelief` runs commands.
    """
    if not prefix and umask is None and stdout is subprocess.PIPE:
        done = run_backrelief(data_dir, *args, timeout=60, env=env, text=False)
    else:
        done = subprocess.run([*prefix, *backrelief_command(data_dir, *args)], stdout=stdout, stderr=subprocess.PIPE,
                              timeout=60, env=command_env(env), stdin=subprocess.DEVNULL,
                              preexec_fn=None if umask is None else (lambda: os.umask(umask)))
    return subprocess.CompletedProcess(done.args, done.returncode, (done.stdout or b"").decode(), done.stderr.decode())


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The only line on stderr, checked to be no traceback."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under `folder`: a file's bytes, or what kind of thing it is."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        found[name] = path.read_bytes() if path.is_file() and not path.is_symlink() else stat.filemode(os.lstat(path).st_mode)
    return found


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A data dir with a custom routine, two logged sessions and changed settings."""
    data_dir = tmp_path / "data"
    routine = tmp_path / "desk.json"
    routine.write_text(json.dumps(ROUTINE_FILE))
    assert run(data_dir, "routines", "import", str(routine)).returncode == 0
    for note, at in (("tight, then \"better\"", "2026-01-02T08:00:00+00:00"), ("=SUM(A1:A9)", "2026-02-03T09:00:00+00:00")):
        assert run(data_dir, "log", "desk-break", f"--note={note}", "--pain-before", "6", "--at", at).returncode == 0
    Store.open(data_dir).settings.change(bell=False)
    return data_dir


# -- where -o points ---------------------------------------------------------------------------


class FifoReader(threading.Thread):
    """Another program reading a FIFO to its end."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.got = b""

    def run(self) -> None:
        with open(self.path, "rb") as handle:
            self.got = handle.read()


@pytest.mark.parametrize("command", [("journal", "export", "--format", "csv"), ("journal", "export"),
                                     ("routines", "export", "desk-break")], ids=["journal-csv", "journal-json", "routine"])
def test_export_into_a_fifo_reaches_the_program_reading_it(journal: Path, tmp_path: Path, command) -> None:
    expected = run(journal, *command)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    reader.start()
    result = run(journal, *command, "-o", str(fifo))
    reader.join(timeout=30)
    assert result.returncode == 0 and result.stderr == ""
    assert reader.got.decode() == expected.stdout and len(reader.got) > 100
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the FIFO, not a file put in its place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "desk.json", "pipe"]


@pytest.mark.parametrize("target", ["-", "/dev/stdout"])
def test_dash_and_dev_stdout_print_what_plain_export_prints(journal: Path, target: str) -> None:
    link = os.readlink("/dev/stdout") if os.path.islink("/dev/stdout") else None
    expected = run(journal, "journal", "export", "--format", "csv")
    result = run(journal, "journal", "export", "--format", "csv", "-o", target)
    assert result.returncode == 0 and result.stderr == "" and result.stdout == expected.stdout
    if link is not None:  # as root, the old writer replaced /dev/stdout itself with a file
        assert os.readlink("/dev/stdout") == link


def test_dev_stdout_appends_to_a_file_opened_for_appending(journal: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n")
    with open(log, "a") as handle:  # `backrelief ... -o /dev/stdout >> log.txt`
        result = run(journal, "routines", "export", "desk-break", "-o", "/dev/stdout", stdout=handle)
    assert result.returncode == 0, result.stderr
    text = log.read_text()
    assert text.startswith("earlier line\n{") and json.loads(text.split("\n", 1)[1])["name"] == "Desk break"


def test_dev_null_is_written_into_and_left_a_device(journal: Path) -> None:
    result = run(journal, "journal", "export", "-o", "/dev/null")
    assert result.returncode == 0 and result.stderr == "" and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_file_is_still_replaced_whole_and_a_failed_write_leaves_it_as_it_was(journal: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "journal.json"
    target.parent.mkdir()
    target.write_text("old export\n")
    target.chmod(0o644)
    assert run(journal, "journal", "export", "-o", str(target)).returncode == 0
    assert len(json.loads(target.read_text())) == 2 and mode(target) == 0o600
    target.write_text("old export\n")

    def small_files() -> None:  # this process may write no file past 1 kB: the export's write fails
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    failed = subprocess.run(backrelief_command(journal, "journal", "export", "-o", str(target)), capture_output=True,
                            text=True, timeout=60, env=command_env(), preexec_fn=small_files)
    assert failed.returncode == 1 and "File too large" in one_line(failed) and str(target) in one_line(failed)
    assert target.read_text() == "old export\n"
    assert [p.name for p in target.parent.iterdir()] == ["journal.json"]  # no temporary file left


# -- permissions -----------------------------------------------------------------------------


def test_under_umask_000_a_fresh_nested_data_dir_is_private_throughout(tmp_path: Path) -> None:
    data_dir = tmp_path / "home" / "share" / "backrelief"
    routine = tmp_path / "desk.json"
    routine.write_text(json.dumps(ROUTINE_FILE))
    for args in (("routines", "import", str(routine)), ("log", "desk-break", "--note", "x"), ("journal", "list")):
        assert run(data_dir, *args, umask=0).returncode == 0
    folders = [tmp_path / "home", tmp_path / "home" / "share", data_dir] + [p for p in data_dir.rglob("*") if p.is_dir()]
    made = [p for p in data_dir.rglob("*") if p.is_file()]
    assert {str(p): mode(p) for p in folders} == {str(p): 0o700 for p in folders}
    assert {str(p): mode(p) for p in made} == {str(p): 0o600 for p in made}
    assert {p.name for p in made} >= {"routines.json", "routines.json.lock", "settings.json.lock"}
    assert any(p.parent.name == "journal" and p.suffix == ".json" for p in made)


def test_loose_files_and_folders_of_ours_are_tightened_by_any_command(journal: Path) -> None:
    for path in journal.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    journal.chmod(0o755)
    assert run(journal, "journal", "list").returncode == 0  # a command that only reads
    assert mode(journal) == 0o700
    assert {str(p): mode(p) for p in journal.rglob("*")} == {
        str(p): 0o700 if p.is_dir() else 0o600 for p in journal.rglob("*")}


@pytest.mark.parametrize("command", [("routines", "list"), ("log", "desk-break")], ids=["read", "write"])
def test_a_planted_lock_link_is_refused_and_its_target_keeps_its_mode(journal: Path, tmp_path: Path, command) -> None:
    victim = tmp_path / "victim"
    victim.write_text("someone else's\n")
    victim.chmod(0o644)
    lock = journal / "settings.json.lock"
    lock.unlink()
    lock.symlink_to(victim)
    before = snapshot(journal)
    result = run(journal, *command)
    assert result.returncode == 1
    assert one_line(result) == (
        f"backrelief: error: {lock} is a symbolic link, not a regular file; backrelief does not follow links or "
        "use other kinds of file where its data belongs, and left it untouched: remove it (backrelief makes a new one).")
    assert mode(victim) == 0o644 and victim.read_text() == "someone else's\n"
    assert snapshot(journal) == before


def test_a_data_file_that_is_a_link_is_refused_not_read(journal: Path, tmp_path: Path) -> None:
    month = journal / "journal" / "2026-02.json"
    elsewhere = tmp_path / "elsewhere.json"
    month.rename(elsewhere)
    month.symlink_to(elsewhere)
    result = run(journal, "journal", "list")
    assert result.returncode == 1 and f"{month} is a symbolic link" in one_line(result)
    assert result.stdout == "" and month.is_symlink()


# -- a data dir others can write in ----------------------------------------------------------------


@pytest.fixture
def shared(journal: Path) -> Path:
    """The journal in a folder that holds other things too, which its group can write in."""
    (journal / "holiday.jpg").write_bytes(b"photo")
    journal.chmod(0o770)
    return journal


WARNING = ("the data folder {dir} can be written by other users (mode 0770): they could change or replace your "
           "journal and routines there. Make it yours alone (chmod 700 on it), or pass --allow-shared-dir "
           "(or set BACKRELIEF_ALLOW_SHARED_DIR=1) to use it as it is.")


def test_a_shared_data_dir_is_read_with_a_warning(shared: Path) -> None:
    for args in (("journal", "list"), ("journal", "export"), ("routines", "show", "desk-break")):
        result = run(shared, *args)
        assert result.returncode == 0 and result.stdout
        assert one_line(result) == "backrelief: warning: " + WARNING.format(dir=shared)
    assert mode(shared) == 0o770  # not ours to change: it holds other things


def test_a_shared_data_dir_is_not_written_unless_allowed(shared: Path) -> None:
    before = snapshot(shared)
    for args in (("log", "desk-break"), ("routines", "delete", "desk-break"), ()):  # () opens the app
        result = run(shared, *args)
        assert result.returncode == 1, args
        line = one_line(result)
        assert line.startswith(f"backrelief: error: the data folder {shared} can be written by other users (mode 0770), "
                               "so backrelief will not save your journal there")
        assert "--allow-shared-dir" in line
    assert snapshot(shared) == before
    allowed = run(shared, "log", "desk-break", "--allow-shared-dir")
    assert allowed.returncode == 0 and allowed.stderr == ""
    by_env = run(shared, "log", "desk-break", env={"BACKRELIEF_ALLOW_SHARED_DIR": "1"})
    assert by_env.returncode == 0 and by_env.stderr == ""
    listed = run(shared, "journal", "list", "--json", "--allow-shared-dir")
    assert listed.stderr == "" and len(json.loads(listed.stdout)) == 4


def test_help_names_the_flag(tmp_path: Path) -> None:
    result = run_backrelief(tmp_path / "data", "--help")
    assert "--allow-shared-dir" in result.stdout and "BACKRELIEF_ALLOW_SHARED_DIR=1" in result.stdout


# -- a read-only data dir -------------------------------------------------------------------------

MOUNT_READ_ONLY = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
"""sh script: bind-mount $0 read-only over itself, then run the command in "$@"."""


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator:
    """`make(folder)`: the command prefix that runs a command with `folder` read-only."""
    chmodded: list[tuple[Path, int]] = []

    def make(folder: Path) -> tuple[str, ...]:
        if os.geteuid() != 0:
            for path in [folder, *folder.rglob("*")]:
                if path.is_dir():
                    chmodded.append((path, mode(path)))
                    path.chmod(mode(path) & ~0o222)
            return ()
        if shutil.which("unshare") is None:
            pytest.skip("needs unshare (util-linux) to mount the data dir read-only as root")
        prefix = ("unshare", "-m", "--propagation", "private", "sh", "-c", MOUNT_READ_ONLY, str(folder))
        probe = subprocess.run([*prefix, "touch", str(folder / "probe")], capture_output=True, text=True)
        if "Read-only file system" not in probe.stderr:
            pytest.skip(f"cannot bind-mount a folder read-only here (needs mount namespaces): {probe.stderr.strip()}")
        return prefix

    yield make
    for path, before in reversed(chmodded):
        path.chmod(before)


def as_a_backup_holds_it(folder: Path) -> None:
    """No lock or owner files (so a read cannot use them), loose modes (so tightening them cannot work)."""
    for path in folder.rglob("*"):
        if path.suffix in (".lock", ".owner"):
            path.unlink()
        else:
            path.chmod(0o755 if path.is_dir() else 0o644)
    folder.chmod(0o755)


@pytest.fixture
def backup(journal: Path) -> Path:
    """The journal with an interrupted session too, as a backup holds it."""
    store = Store.open(journal)
    recorder = SessionRecorder.begin(store, FakeClock(), store.routines.get("desk-break"), Timings(0, 0), pain_before=4)
    recorder.start()
    recorder.interrupt()
    as_a_backup_holds_it(journal)
    return journal


READS = [
    ("journal", "list"), ("journal", "list", "--json"), ("journal", "export"), ("journal", "export", "--format", "csv"),
    ("routines", "list"), ("routines", "list", "--json"), ("routines", "show", "desk-break"),
    ("routines", "export", "desk-break"),
]


def test_every_read_only_command_works_on_a_read_only_data_dir(backup: Path, tmp_path: Path, read_only) -> None:
    expected = {args: run(backup, *args).stdout for args in READS}  # on the writable dir first
    as_a_backup_holds_it(backup)
    before = snapshot(backup)
    prefix = read_only(backup)
    for args in READS:
        result = run(backup, *args, prefix=prefix)
        assert (result.returncode, result.stderr) == (0, ""), (args, result.stderr)
        assert result.stdout == expected[args], args
    sessions = json.loads(run(backup, "journal", "list", "--json", prefix=prefix).stdout)
    assert sorted(s["status"] for s in sessions) == ["interrupted", "logged", "logged"]
    elsewhere = tmp_path / "exported.csv"
    result = run(backup, "journal", "export", "--format", "csv", "-o", str(elsewhere), prefix=prefix)
    assert result.returncode == 0 and elsewhere.read_bytes().decode() == expected[("journal", "export", "--format", "csv")]
    assert snapshot(backup) == before  # not a lock file, not a folder, not a byte


def test_writes_to_a_read_only_data_dir_fail_in_one_line(backup: Path, tmp_path: Path, read_only) -> None:
    routine = tmp_path / "another.json"
    routine.write_text(json.dumps({**ROUTINE_FILE, "name": "Another"}))
    export = tmp_path / "export.json"
    export.write_text(run(backup, "journal", "export").stdout)
    before = snapshot(backup)
    prefix = read_only(backup)
    for args in (("log", "desk-break"), ("routines", "import", str(routine)), ("routines", "delete", "desk-break"),
                 ("journal", "import", str(export)), ("journal", "export", "-o", str(backup / "x.json"))):
        result = run(backup, *args, prefix=prefix)
        assert result.returncode == 1, args
        line = one_line(result)
        if args[1] == "export":  # the export is fine; where it was told to go is not
            assert line.startswith(f"backrelief: error: cannot use {backup}: ")
        else:
            assert line.startswith(f"backrelief: error: the data folder {backup} is read-only (")
            assert "cannot save there; 'journal list', 'journal export'" in line
    assert snapshot(backup) == before


def test_the_app_on_a_read_only_data_dir_says_so_in_its_terminal(backup: Path, read_only) -> None:
    prefix = read_only(backup)
    with Terminal.start([*prefix, *backrelief_command(backup)], cols=100, rows=30) as term:
        assert term.wait_exit(timeout=30) == 1
        said = b"".join(chunk for _, chunk in term.chunks).decode()
    assert said.startswith(f"backrelief: error: the data folder {backup} is read-only (")
    assert said.count("\n") == 1 and "Traceback" not in said and "\x1b" not in said


# -- CSV cells -------------------------------------------------------------------------------------


def test_csv_export_writes_formula_like_cells_as_text(tmp_path: Path) -> None:
    # `log --note` refuses a tab or CR (typed text refuses controls); a journal merged from
    # elsewhere keeps its notes as they are, so the notes come in through an import.
    first_dir, data_dir = tmp_path / "first", tmp_path / "data"
    notes = ["=1+2", "+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "fine = ok", ""]
    for i in range(len(notes)):
        at = f"2026-01-{i + 1:02d}T08:00:00+00:00"
        assert run(first_dir, "log", "back-spasm-relief", "--at", at).returncode == 0
    exported = json.loads(run(first_dir, "journal", "export").stdout)
    for document in exported:
        document["note"] = notes[int(document["started_at"][8:10]) - 1]
    (tmp_path / "merged.json").write_text(json.dumps(exported), encoding="utf-8")
    assert run(data_dir, "journal", "import", str(tmp_path / "merged.json")).returncode == 0
    result = run(data_dir, "journal", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    got = {row["started_at"][:10]: row["note"] for row in rows}
    assert got == {f"2026-01-{i + 1:02d}": ("'" + note if note[:1] in "=+-@\t\r" and note else note)
                   for i, note in enumerate(notes)}
