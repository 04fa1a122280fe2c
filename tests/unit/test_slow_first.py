"""The test order of tests/slow_first.py: every worker's first share opens with slow tests, as pytest-xdist hands it out."""

from __future__ import annotations

import pytest

from tests.slow_first import deal_slow_first, worksteal_shares

worksteal = pytest.importorskip("xdist.scheduler.worksteal")


class Worker:
    """Stands in for a pytest-xdist worker: keeps the test indices it is sent."""

    shutting_down = False

    def __init__(self, number: int) -> None:
        self.sent: list[int] = []
        self.gateway = type("Gateway", (), {"id": f"gw{number}"})()

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent += indices

    def shutdown(self) -> None:
        """Told there is nothing left to take: it runs what it has."""


class Options:
    """The options the scheduler reads: `count` workers on this machine."""

    def __init__(self, count: int) -> None:
        self.count = count

    def getvalue(self, name: str):
        return {"tx": [f"{self.count}*popen"]}[name]


def first_shares(collection: list[str], count: int) -> list[list[str]]:
    """What xdist's own work-stealing scheduler sends each of `count` workers at the start."""
    scheduler = worksteal.WorkStealingScheduling(Options(count))
    workers = [Worker(number) for number in range(count)]
    for worker in workers:
        scheduler.add_node(worker)
        scheduler.add_node_collection(worker, collection)
    scheduler.schedule()
    return [[collection[index] for index in worker.sent] for worker in workers]


@pytest.mark.parametrize(("count", "workers"), [(2142, 5), (11, 3), (7, 7), (5, 1)])
def test_the_shares_are_those_xdist_sends(count, workers):
    names = [f"t{n}" for n in range(count)]
    assert [len(share) for share in first_shares(names, workers)] == worksteal_shares(count, workers)


def rank_of(name: str) -> int | None:
    """`slow3` is the fourth slowest; `quick...` is not slow."""
    return int(name[4:]) if name.startswith("slow") else None


def test_each_worker_starts_on_its_own_slow_tests_longest_first_there_and_back():
    collected = [f"quick{n}" for n in range(40)] + [f"slow{n}" for n in reversed(range(8))] + ["quick40"]
    order = deal_slow_first(collected, rank_of, 3)
    assert sorted(order) == sorted(collected)  # nothing lost, nothing twice
    shares = first_shares(order, 3)
    assert [share[:3] for share in shares] == [
        ["slow0", "slow5", "slow6"], ["slow1", "slow4", "slow7"], ["slow2", "slow3", "quick26"]]
    quick = [name for share in shares for name in share if name.startswith("quick")]
    assert quick == [f"quick{n}" for n in range(41)]  # the rest keep their order


def test_a_share_that_is_full_passes_its_turn_on():
    collected = [f"slow{n}" for n in (4, 9, 0, 7, 2, 5, 1, 8, 3, 6)]  # shares of 2, 2, 3 and 3
    shares = first_shares(deal_slow_first(collected, rank_of, 4), 4)
    assert shares == [["slow0", "slow7"], ["slow1", "slow6"], ["slow2", "slow5", "slow8"], ["slow3", "slow4", "slow9"]]


def test_one_worker_runs_the_slow_tests_first():
    collected = ["quick0", "slow1", "quick1", "slow0"]
    assert deal_slow_first(collected, rank_of, 1) == ["slow0", "slow1", "quick0", "quick1"]
