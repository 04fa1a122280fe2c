"""The real `backrelief` over a real SSH link: keys, a hang-up, a resume, a resize, two logins.

A throwaway `sshd` listens on 127.0.0.1 with a generated host key and key
login only (see loopback_ssh.py). The tests log in with `ssh -tt` from a
pseudo-terminal, read the screen with pyte, and press keys as a person would.
Cutting the link means killing the local ssh client: sshd then hangs up the
remote terminal, and the app must leave the session `interrupted` with every
hold done so far. The journal is read afterwards by another process, through
`backrelief journal list --json`.

Run with `-s` to see what each login saw.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Iterator

import pytest

from tests.e2e.loopback_ssh import LoopbackSSH, find_sshd
from tests.e2e.pty_harness import ROOT, Terminal, run_backrelief
from tui.storage.store import Store

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        find_sshd() is None or shutil.which("ssh") is None,
        reason="needs the OpenSSH server and client: apt-get install openssh-server openssh-client",
    ),
]

REMOTE_ENV = {
    "TERM": "xterm-256color",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "PYTHONPATH": str(ROOT),
    "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
}
"""What the remote command is given: a login over SSH starts with almost nothing set."""

GET_READY_SECONDS = 30
"""Long enough that a get-ready never ends on its own: the test skips it with the skip key."""

SSH_CHECK = {
    "format": "backrelief-routine",
    "version": 1,
    "name": "SSH check",
    "steps": [
        {"exercise": "pelvic-tilt", "hold_seconds": 1, "reps": 2, "rest_seconds": 0, "sides": "none"},
        {"exercise": "prayer-pose", "hold_seconds": 6, "reps": 1, "rest_seconds": 0, "sides": "none"},
    ],
}
"""Two short holds, then one long enough to pause, resize and cut the link in (each login spends 2 s of it
at most on an idle machine; the second then waits for the rest)."""

SSH_STEADY = {
    "format": "backrelief-routine",
    "version": 1,
    "name": "SSH steady",
    "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 2, "reps": 6, "rest_seconds": 0, "sides": "none"}],
}
"""Six two-second holds back to back: a hold is stored every two seconds while another login works."""

SSH_SHORT = {
    "format": "backrelief-routine",
    "version": 1,
    "name": "SSH short",
    "steps": [{"exercise": "side-knee-drop", "hold_seconds": 1, "reps": 1, "rest_seconds": 0, "sides": "both"}],
}
"""Two one-second holds (left, right): the second login's whole session."""

DEADLINE = 30.0
"""Seconds any one wait may take before the test fails (the CPU is shared: generous)."""


# -- the server and the logins --------------------------------------------------


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackSSH]:
    """One loopback sshd for the whole module, stopped at its end."""
    server = LoopbackSSH(tmp_path_factory.mktemp("sshd")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def logins(sshd: LoopbackSSH, data_dir: Path) -> Iterator[list[Terminal]]:
    """Every ssh client a test starts; each is killed at the end if still running (before the
    data dir's own clean-up, which then finds the apps they ran hung up)."""
    started: list[Terminal] = []
    yield started
    for term in started:
        term.close()


def login(sshd: LoopbackSSH, logins: list[Terminal], data_dir: Path, *args: str,
          cols: int = 100, rows: int = 30) -> Terminal:
    """`ssh -tt` into the loopback server and run `backrelief --data-dir DIR ARGS...` there."""
    remote = [sys.executable, "-m", "tui", "--data-dir", str(data_dir), *args]
    term = Terminal.start(sshd.command(remote, REMOTE_ENV), cols=cols, rows=rows)
    logins.append(term)
    return term


def remote_apps(data_dir: Path) -> list[int]:
    """Pids of processes (the apps that sshd started) whose command line names `data_dir`."""
    marker = str(data_dir).encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker in argv and b"tui" in argv:
            pids.append(int(entry.name))
    return pids


def wait_for_remote_apps_to_end(data_dir: Path, timeout: float = DEADLINE) -> None:
    """Poll until no app runs on `data_dir` any more."""
    deadline = time.monotonic() + timeout
    while pids := remote_apps(data_dir):
        if time.monotonic() > deadline:
            raise TimeoutError(f"apps on {data_dir} still running after {timeout} s: pids {pids}")
        time.sleep(0.1)


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A fresh data dir; any app still running on it at the end is ended."""
    folder = tmp_path / "data"
    yield folder
    deadline = time.monotonic() + 10
    while remote_apps(folder) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in remote_apps(folder):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# -- data --------------------------------------------------------------------


def prepare(data_dir: Path, tmp_path: Path, *routines: dict, get_ready: int = 0) -> list[str]:
    """Settings (safety note read, no switch time) and `routines` imported by the CLI; their ids."""
    Store.open(data_dir).settings.change(get_ready_seconds=get_ready, switch_seconds=0, safety_acknowledged=True, rate_stretches=False)
    ids = []
    for number, routine in enumerate(routines):
        path = tmp_path / f"routine-{number}.json"
        path.write_text(json.dumps(routine))
        result = run_backrelief(data_dir, "routines", "import", str(path))
        assert result.returncode == 0, result.stderr
        ids.append(result.stdout.strip())
    return ids


def journal(data_dir: Path) -> list[dict]:
    """`backrelief journal list --json`, read by another process."""
    result = run_backrelief(data_dir, "journal", "list", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def wait_for_journal(data_dir: Path, status: str, timeout: float = DEADLINE) -> list[dict]:
    """Poll the journal until a session has `status`; the journal then."""
    deadline = time.monotonic() + timeout
    while True:
        sessions = journal(data_dir)
        if any(s["status"] == status for s in sessions):
            return sessions
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {status} session within {timeout} s: {sessions}")
        time.sleep(0.2)


# -- reading the screen ----------------------------------------------------------


def in_phase(phase: str, exercise_line: str):
    """A screen condition: the hold screen's banner reads `phase` and the exercise line is `exercise_line`."""
    def check(term: Terminal) -> bool:
        lines = [line.strip() for line in term.screen.display]
        banner = any(line == phase or line.startswith(f"{phase}  ·") for line in lines)
        return banner and exercise_line in lines
    return check


def wait_phase(term: Terminal, phase: str, exercise_line: str) -> None:
    """Read until the hold screen shows `phase` for the hold named by `exercise_line`."""
    term.wait_until(in_phase(phase, exercise_line), DEADLINE, f"{phase} / {exercise_line}")


def settled(term: Terminal) -> str:
    """The screen once the frame being drawn has fully arrived."""
    term.drain(0.3)
    return term.text()


def bar_label_end(term: Terminal) -> int:
    """The column just after the hold bar's label (`this phase`), as drawn: where the layout ends."""
    for line in term.screen.display:
        if line.rstrip().endswith("this phase"):
            return len(line.rstrip())
    return -1


def laid_out_at(cols: int):
    """A screen condition: the hold screen is drawn across `cols` columns (its bar ends at the right edge)."""
    def check(term: Terminal) -> bool:
        end = bar_label_end(term)
        return cols - 3 <= end <= cols and "HOLD" in term.text()
    return check


def answer_after_questions(term: Terminal, pain: str, note: str) -> None:
    """The after check-in and the note, then back at the menu."""
    term.wait_for("after the session", timeout=DEADLINE)
    term.press(pain, "enter")
    term.wait_for("A note for your journal", timeout=DEADLINE)
    term.press(note, "enter")
    term.wait_for("Routines", timeout=DEADLINE)


def quit_and_log_out(term: Terminal) -> int:
    """`q` at the menu; the ssh client's exit status (the remote command's)."""
    term.press("q")
    return term.wait_exit(timeout=DEADLINE)


class SessionLog:
    """What a test saw, one line per step with the seconds since it began; printed at its end (`pytest -s`)."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        """When the test began (monotonic)."""
        self.lines: list[str] = []
        """The steps so far."""

    def append(self, text: str) -> None:
        """Note one step."""
        self.lines.append(f"[{time.monotonic() - self.started:5.1f} s] {text}")

    def show(self) -> None:
        """Print every step."""
        print("\n" + "\n".join(self.lines))


@pytest.fixture
def log() -> Iterator[SessionLog]:
    """The test's log, printed when it ends, passed or not."""
    steps = SessionLog()
    yield steps
    steps.show()


# -- the tests ----------------------------------------------------------------


def test_over_ssh_a_cut_link_leaves_the_session_interrupted_and_a_new_login_resumes_it(
        sshd, logins, data_dir, tmp_path, log):
    [routine_id] = prepare(data_dir, tmp_path, SSH_CHECK, get_ready=GET_READY_SECONDS)
    long_hold = "Prayer Pose  ·  rep 1 of 1  ·  hold 3 of 3"

    # Login 1: pain before, cut the get-ready short, two short holds, then pause and resume in the long one.
    term = login(sshd, logins, data_dir, "start", routine_id)
    term.wait_for("Pain check-in", timeout=DEADLINE)
    term.press("4", "enter")
    wait_phase(term, "GET READY", "Pelvic Tilt  ·  rep 1 of 2  ·  hold 1 of 3")
    log.append("ssh login 1: `backrelief start ssh-check` → get-ready screen seen")
    term.press("enter")
    wait_phase(term, "HOLD", "Pelvic Tilt  ·  rep 1 of 2  ·  hold 1 of 3")
    log.append("  enter (start now) → get-ready cut short, hold 1 of 3 under way")
    wait_phase(term, "GET READY", long_hold)  # holds 1 and 2 ran out on their own
    term.press("enter")
    wait_phase(term, "HOLD", long_hold)
    log.append("  holds 1-2 ran out; enter (start now) → hold 3 of 3 (6 s) under way")

    term.press("space")
    term.wait_for("PAUSED (space to resume)", timeout=DEADLINE)
    paused = settled(term)
    term.drain(1.5)
    assert term.text() == paused, "the screen changed while paused"
    log.append("  space → PAUSED, countdown still for 1.5 s")
    term.press("space")
    term.wait_gone("PAUSED", timeout=DEADLINE)
    resumed = settled(term)
    term.wait_until(lambda t: t.text() != resumed, DEADLINE, "the countdown moving again")
    assert in_phase("HOLD", long_hold)(term)
    log.append("  space → resumed, countdown moving again")

    # Cut the link mid-hold: kill -9 the local ssh client; sshd hangs up the remote terminal.
    term.send_signal(signal.SIGKILL)
    assert term.wait_exit(timeout=DEADLINE) == -signal.SIGKILL
    sessions = wait_for_journal(data_dir, "interrupted")
    [cut] = sessions
    assert (cut["status"], cut["holds_done"], cut["holds_planned"]) == ("interrupted", 2, 3)
    assert [(h["exercise"], h["rep"], h["completed"]) for h in cut["holds"]] == [
        ("pelvic-tilt", 1, True), ("pelvic-tilt", 2, True)]
    assert cut["pain_before"] == 4
    wait_for_remote_apps_to_end(data_dir)
    log.append(f"  ssh client killed (SIGKILL) mid-hold → remote app gone; journal: {cut['status']}, "
               f"holds done {cut['holds_done']} of {cut['holds_planned']}")

    # Login 2: the menu offers the session; resume it, and resize the window in the resumed hold.
    term = login(sshd, logins, data_dir, cols=100, rows=30)
    term.wait_for("An interrupted session of SSH check", timeout=DEADLINE)
    term.wait_for("2 of 3 holds done")
    log.append("ssh login 2: `backrelief` → menu banner: interrupted session of SSH check, 2 of 3 holds done")
    term.press("r")
    wait_phase(term, "GET READY", long_hold)  # from the hold that was under way
    term.press("enter")
    wait_phase(term, "HOLD", long_hold)
    assert bar_label_end(term) >= 97
    log.append("  r (resume) → get-ready for hold 3 of 3; enter (start now) → hold under way")

    for cols, rows in ((60, 20), (100, 30)):
        term.resize(cols, rows)
        term.forget_screen()
        term.wait_until(laid_out_at(cols), DEADLINE, f"the hold screen drawn at {cols}x{rows}")
        assert long_hold in [line.strip() for line in term.screen.display]
        assert "Make the window larger" not in term.text()
        log.append(f"  window resized to {cols}x{rows} mid-hold → hold screen redrawn at that size "
                   f"(hold bar ends at column {bar_label_end(term)})")

    answer_after_questions(term, "2", "over ssh")
    term.wait_gone("An interrupted session", timeout=DEADLINE)
    assert quit_and_log_out(term) == 0
    [done] = journal(data_dir)  # one entry: the interrupted one became this one
    assert done["id"] == cut["id"]
    assert (done["status"], done["holds_done"], done["holds_planned"]) == ("completed", 3, 3)
    assert [(h["exercise"], h["rep"], h["completed"]) for h in done["holds"]] == [
        ("pelvic-tilt", 1, True), ("pelvic-tilt", 2, True), ("prayer-pose", 1, True)]
    assert (done["pain_before"], done["pain_after"], done["note"]) == (4, 2, "over ssh")
    log.append(f"  hold ran out, pain after 2, note → q, ssh exit 0; journal: one session "
               f"(same id), {done['status']}, holds {done['holds_done']} of {done['holds_planned']}")


def test_two_ssh_logins_on_one_data_dir_at_once_both_sessions_are_stored(sshd, logins, data_dir, tmp_path, log):
    steady_id, short_id = prepare(data_dir, tmp_path, SSH_STEADY, SSH_SHORT)

    first = login(sshd, logins, data_dir, "start", steady_id)
    first.wait_for("Pain check-in", timeout=DEADLINE)
    first.press("5", "enter")
    wait_phase(first, "HOLD", "Pelvic Tilt  ·  rep 1 of 6  ·  hold 1 of 6")
    log.append("ssh login A: `backrelief start ssh-steady` → hold 1 of 6 under way")

    second = login(sshd, logins, data_dir, "start", short_id)
    second.wait_for("Pain check-in", timeout=DEADLINE)
    second.press("enter")  # skipped
    answer_after_questions(second, "1", "second login")
    second.drain(0.5)
    assert "An interrupted session" not in second.text(), "a session still running was offered as interrupted"
    assert quit_and_log_out(second) == 0
    first_still_going = first.process.poll() is None and "after the session" not in first.text()
    log.append(f"ssh login B (same data dir, meanwhile): `backrelief start ssh-short` → completed, q, ssh exit 0; "
               f"no resume banner for A's running session; A still in its holds: {first_still_going}")

    answer_after_questions(first, "3", "first login")
    assert quit_and_log_out(first) == 0
    sessions = {s["routine_id"]: s for s in journal(data_dir)}
    assert sorted(sessions) == sorted([steady_id, short_id])
    a, b = sessions[steady_id], sessions[short_id]
    assert (a["status"], a["holds_done"], a["holds_planned"]) == ("completed", 6, 6)
    assert [h["rep"] for h in a["holds"]] == [1, 2, 3, 4, 5, 6]
    assert (a["pain_before"], a["pain_after"], a["note"]) == (5, 3, "first login")
    assert (b["status"], b["holds_done"], b["holds_planned"]) == ("completed", 2, 2)
    assert [h["side"] for h in b["holds"]] == ["left", "right"]
    assert (b["pain_before"], b["pain_after"], b["note"]) == (None, 1, "second login")
    # They really overlapped: B started and ended while A's session was under way. The journal keeps times to the
    # second, and B's login can begin its session within the second A's began (or end it within A's last): the
    # times may be equal.
    when = {key: datetime.fromisoformat(value) for key, value in (
        ("a_start", a["started_at"]), ("a_end", a["ended_at"]), ("b_start", b["started_at"]), ("b_end", b["ended_at"]))}
    assert when["a_start"] <= when["b_start"] and when["b_end"] <= when["a_end"]
    log.append(f"ssh login A: holds ran out → completed, q, ssh exit 0; journal: A {a['status']} "
               f"{a['holds_done']}/{a['holds_planned']} holds, B {b['status']} {b['holds_done']}/{b['holds_planned']} "
               f"holds, B's session within A's ({b['started_at'][11:19]}-{b['ended_at'][11:19]} inside "
               f"{a['started_at'][11:19]}-{a['ended_at'][11:19]})")
