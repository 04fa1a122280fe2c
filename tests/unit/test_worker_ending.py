"""How a pytest-xdist worker ends (tests/conftest.py): nothing is worked out at the end that no one sees."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from _pytest import unraisableexception
from _pytest.stash import Stash

from tests import conftest


class Report:
    lines = ("1 snapshot passed.",)


def session_with_report() -> SimpleNamespace:
    return SimpleNamespace(config=SimpleNamespace(_syrupy=SimpleNamespace(report=Report())))


def test_a_worker_leaves_out_the_snapshot_report_no_one_sees(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    session = session_with_report()
    conftest.pytest_sessionfinish(session)
    assert list(session.config._syrupy.report.lines) == []


def test_one_process_keeps_the_snapshot_report(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    session = session_with_report()
    conftest.pytest_sessionfinish(session)
    assert list(session.config._syrupy.report.lines) == ["1 snapshot passed."]


def test_a_session_without_syrupy_or_its_report_is_left_alone(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    conftest.pytest_sessionfinish(SimpleNamespace(config=SimpleNamespace()))
    before = SimpleNamespace(config=SimpleNamespace(_syrupy=SimpleNamespace(report=None)))
    conftest.pytest_sessionfinish(before)
    assert before.config._syrupy.report is None


def configured(workers: int) -> SimpleNamespace:
    """A configuration as `pytest -n WORKERS` gives it, after tests/conftest.py's `pytest_configure`."""
    options = {"hypothesis_seed": "1", "numprocesses": workers}
    config = SimpleNamespace(stash=Stash(), option=SimpleNamespace(**options),
                             getoption=lambda name, default=None: options.get(name, default))
    conftest.pytest_configure(config)
    return config


@pytest.mark.parametrize("worker, workers, runs", [
    ("gw1", 5, 0),  # a worker (the option is the run's: -n 5)
    (None, 5, 0),  # the main process of `-n 5`, which runs no test
    (None, 0, 5),  # one process (-n 0): pytest's own five runs
], ids=["worker", "main process", "one process"])
def test_under_xdist_pytest_ends_without_its_last_collector_runs(worker: str | None, workers: int, runs: int,
                                                                  monkeypatch: pytest.MonkeyPatch):
    """The setting pytest reads as it ends (5 runs unless set)."""
    key = unraisableexception.gc_collect_iterations_key  # if pytest renames it, this says so
    if worker is None:
        monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    else:
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    assert configured(workers).stash.get(key, 5) == runs
