"""Fixtures shared by every kind of test: a data dir, a fake clock, the app built by `make_app`,
and the run's random seed.

Randomised tests (Hypothesis, and the process tests' random kill moments) draw fresh
points on every run, from one seed per run that the run prints at its end. The same
seed replays a run: `BACKRELIEF_TEST_SEED=N python -m pytest ...` (or Hypothesis's own
`--hypothesis-seed=N`, which wins for the Hypothesis tests).
"""

from __future__ import annotations

import gc
import os
import random
import secrets
import time
from pathlib import Path
from typing import Callable

import pytest

from tests.shared_css import share_parsed_stylesheets
from tests.slow_first import deal_slow_first
from tui.domain.clock import FakeClock
from tui.storage.store import Store
from tui.ui.cues import Cues

COLLECTOR_THRESHOLDS = (10_000, 10, 10)
"""Python's cycle collector in the test processes runs after 10,000 new objects, not Python's 700.

A Pilot run allocates objects by the million: with the default, the collector ran some 13,000 times in
test_safety_keys.py and test_settings.py run alone (one process), 19 s of their 62 s of CPU; with this,
470 times, 6 s of 48 s. Across the whole suite the gain is smaller (user CPU 467 s -> 453 s). The app's own
collector is left as Python sets it (paused only while it starts: tui.launcher)."""
gc.set_threshold(*COLLECTOR_THRESHOLDS)
share_parsed_stylesheets()

SEED_VARIABLE = "BACKRELIEF_TEST_SEED"
"""Set it to replay a run's random draws; unset, each run draws a new seed and exports it here,
so pytest-xdist's workers (started later, with this environment) draw from the same one."""


def run_seed() -> int:
    """This run's seed: the one given in the environment, else a fresh one, kept there."""
    given = os.environ.get(SEED_VARIABLE, "").strip()
    if not given:
        given = os.environ[SEED_VARIABLE] = str(secrets.randbits(32))
    try:
        return int(given)
    except ValueError:
        raise pytest.UsageError(f"{SEED_VARIABLE} must be a whole number, not {given!r}") from None


def replay_hint(seed: int) -> str:
    return f"random seed of this run: {seed} (replay with {SEED_VARIABLE}={seed})"


@pytest.hookimpl(tryfirst=True)  # before Hypothesis's plugin reads its seed option
def pytest_configure(config: pytest.Config) -> None:
    seed = run_seed()
    if config.getoption("hypothesis_seed", None) is None:
        config.option.hypothesis_seed = str(seed)
    if os.environ.get("PYTEST_XDIST_WORKER") or config.getoption("numprocesses", None):
        _no_collections_at_the_end(config)


def _no_collections_at_the_end(config: pytest.Config) -> None:
    """Under pytest-xdist, a worker, and the process that runs the workers, end without pytest's five last
    runs of the cycle collector.

    pytest runs it five times as it ends, to report "Exception ignored" errors from
    what it frees (as warnings, not failures). After a few hundred Pilot tests a
    worker holds some 500,000 objects, so each run takes about a second: 5 s of CPU
    in every worker, all at the end of the run, with the workers that finish together
    sharing two cores, and the run over only when the last has (the main process,
    which runs no test, spent 1 s more after its summary). Each test's own errors of
    that kind are still reported with it, and a run in one process (`-n 0`) keeps
    pytest's collections. pytest's own test helper sets the same (private) setting
    to skip them; if it is gone, this does nothing.
    """
    from _pytest import unraisableexception

    key = getattr(unraisableexception, "gc_collect_iterations_key", None)
    if key is not None:
        config.stash[key] = 0


def pytest_report_header(config: pytest.Config) -> str:
    return replay_hint(run_seed())


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    # Said at the end too, where it is seen after a failure (and under -q, which hides the header).
    terminalreporter.write_line(replay_hint(run_seed()))


class _UnshownSnapshotReport:
    """What a pytest-xdist worker's syrupy report shows: nothing (see `pytest_sessionfinish`)."""

    lines: tuple[str, ...] = ()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In a pytest-xdist worker, leave out syrupy's snapshot report: no one sees it.

    A worker's terminal summary goes nowhere, and syrupy leaves unused snapshots to
    the controller (whose report is empty under xdist). Yet making the report's lines
    matched each snapshot file against each test the worker ran: 2-3 s of CPU in
    every worker, all at the end of the run, where the workers finishing together
    share the two cores. Runs in one process (`-n 0`) keep the report.
    """
    syrupy = getattr(session.config, "_syrupy", None)  # made by syrupy's own (earlier) pytest_sessionfinish
    if os.environ.get("PYTEST_XDIST_WORKER") and getattr(syrupy, "report", None) is not None:
        syrupy.report = _UnshownSnapshotReport()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers per core this process may use, and one more.

    The pseudo-terminal, SSH and process tests spend most of their time waiting on a
    child process or on real time, and Pilot tests wait on frames; with one spare
    worker the two cores were busy only 1.4 of the time (5:04 for the suite), with
    two per core and one more 1.8 (3:54), on an idle 2-core machine.
    `PYTEST_XDIST_AUTO_NUM_WORKERS` still overrides it.
    """
    given = os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS", "").strip()
    if given:
        return int(given)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return cores * 2 + 1


SLOW_FIRST = (
    "tests/functional/test_builder_fuzz.py::test_anything_typed_never_crashes_the_builder",
    "tests/unit/test_types.py::test_mypy_finds_no_errors",  # a fresh mypy (no cache, as in CI): about 20 s of one core
    "tests/functional/test_builder.py::test_build_save_list_and_run_a_routine_with_keys_alone",
    "tests/e2e/test_ssh_session.py::test_over_ssh_a_cut_link",
    "tests/e2e/test_pty_cues.py::test_halfway",
    "tests/e2e/test_storage_processes.py::test_sigkill_never_breaks_the_file",
    "tests/e2e/test_pty_cues.py::test_holds_switches_and_rests",
    "tests/e2e/test_ssh_session.py::",
    "tests/functional/test_builder_fuzz.py::test_anything_typed_into_the_exercise_editor",
    "tests/unit/test_routine_file_fuzz.py::test_any_json_value",
    "tests/e2e/test_full_disk_terminal.py::",
    "tests/e2e/test_pty_cues.py::test_espeak_ng",
    "tests/e2e/test_pty_cues.py::test_bells_alone",
    "tests/functional/test_safety_keys.py::test_the_problem_key_in_each_phase",
    "tests/e2e/test_pty_session.py::test_a_killed_session",
    "tests/e2e/test_pty_cues.py::",
    "tests/functional/test_builder.py::test_save_is_refused_with_reasons_until_everything_is_valid",
    "tests/functional/test_settings.py::test_the_palette_opens_each_screen",
    "tests/unit/test_routine_file_fuzz.py::test_json_shaped_like_a_routine_file",
    "tests/unit/test_routine_file_fuzz.py::test_one_field_changed_is_refused_naming_that_field",
    "tests/unit/test_routine_file_fuzz.py::test_a_valid_file_round_trips",
    "tests/e2e/test_pty_session.py::",
    "tests/functional/test_settings.py::test_settings_keys_tab_question_mark_and_q_work_from_a_seconds_field",
    "tests/functional/test_safety_keys.py::test_at_6_or_more",
    "tests/functional/test_safety_keys.py::test_the_journal_its_details_and_the_stats_show_the_problem",
    "tests/e2e/test_plain_pty.py::",
    "tests/e2e/test_key_bursts_pty.py::",
)
"""The tests that take longest (by `--durations`), longest first: handed out last, one of them would
keep a worker busy long after the others ran out of tests. Each entry is the start of node ids."""


def slow_rank(item: pytest.Item) -> int | None:
    """The place of `item` in `SLOW_FIRST` (0 the slowest), or None if it is not a slow test."""
    return next((i for i, start in enumerate(SLOW_FIRST) if item.nodeid.startswith(start)), None)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """Tell each pytest-xdist worker how tests are handed out, for `pytest_collection_modifyitems`."""
    node.workerinput["dist"] = node.config.getoption("dist")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put the tests of `SLOW_FIRST` first, in its order; the rest keep theirs.

    Under `--dist worksteal` "first" means at the front of every worker's share
    (see tests/slow_first.py); in one process, at the front of the run.
    """
    worker = getattr(config, "workerinput", {})
    if worker.get("dist") == "worksteal":
        items[:] = deal_slow_first(items, slow_rank, int(worker["workercount"]))
    else:
        items.sort(key=lambda item: len(SLOW_FIRST) if (rank := slow_rank(item)) is None else rank)  # stable


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> random.Random:
    """Random numbers for one test: fresh each run, the same for a test whenever the run's seed is."""
    seed = run_seed()
    print(f"{request.node.nodeid}: {replay_hint(seed)}")  # shown with the test's output when it fails
    return random.Random(f"{seed}:{request.node.nodeid}")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh data dir path (not yet created)."""
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Store:
    """An opened data dir whose user has already acknowledged the safety note and turned off the question
    after each stretch (so a session runs straight through; the tests of that question turn it on)."""
    opened = Store.open(data_dir)
    opened.settings.change(safety_acknowledged=True, rate_stretches=False)
    return opened


@pytest.fixture
def local_time():
    """Sets the local time zone for the rest of one test: `local_time("UTC")`; put back after it."""
    before = os.environ.get("TZ")

    def set_zone(zone: str) -> None:
        os.environ["TZ"] = zone
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def clock() -> FakeClock:
    """A clock that moves only when told to."""
    return FakeClock()


class CueRecorder(list):
    """Collects what the app would write to the terminal as cues.

    It also stands in for the event loop's timer: the later rings of a bell pattern
    are written at once (their planned delays kept in `delays`), so a test sees a
    whole pattern as soon as its moment comes.
    """

    def __init__(self) -> None:
        super().__init__()
        self.delays: list[float] = []
        """The delay each later ring was planned with, in order."""

    def __call__(self, text: str) -> None:
        self.append(text)

    def later(self, delay: float, callback):
        """Run `callback` now, as if `delay` seconds had passed; nothing is left to cancel."""
        self.delays.append(delay)
        callback()
        return _Done()

    def rings(self) -> int:
        """How many bells were written (an OSC string's closing ESC \\ is no bell)."""
        return "".join(self).count("\a")


class _Done:
    """A planned call that already ran."""

    def cancel(self) -> None:
        """Nothing left to call off."""


@pytest.fixture
def cue_log() -> CueRecorder:
    """Every cue written, in order."""
    return CueRecorder()


def build_test_app(store: Store, clock: FakeClock, write_cue: Callable[[str], None], **kwargs):
    """The app exactly as the command line builds it, with a fake clock and its cues handed to `write_cue`.

    Every test that needs the app builds it here: through `make_test_app`, or through
    `app_builder` where the app outlives one test."""
    from tui.ui.app import make_app

    settings = kwargs.pop("settings", None) or store.settings.load()
    extra = {"later": write_cue.later} if hasattr(write_cue, "later") else {}  # a CueRecorder plans later rings too
    if "choose_speech" in kwargs:  # a fixed speech program, so that a picture does not depend on the machine
        extra["choose_speech"] = kwargs.pop("choose_speech")
    cues = Cues(write=write_cue, in_tmux=False, **extra)
    return make_app(store, clock=clock, settings=settings, cues=cues, **kwargs)


@pytest.fixture(scope="session")
def app_builder() -> Callable[..., object]:
    """`build_test_app` itself, for a fixture wider than one test (an app a whole module shares)."""
    return build_test_app


@pytest.fixture
def make_test_app(store: Store, clock: FakeClock, cue_log: CueRecorder):
    """Build the app exactly as the command line does, with a fake clock and recorded cues."""

    def build(**kwargs):
        return build_test_app(store, clock, cue_log, **kwargs)

    return build
