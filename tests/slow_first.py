"""The order the tests are handed out in, so the slowest start first on every worker.

pytest-xdist's `--dist worksteal` hands the collected tests out once, at the
start, in consecutive shares: each worker in turn gets an even part of what is
left. A worker that runs out then takes the second half of the longest queue
left. Sorted to the front, the slow tests all fell in the first worker's share
and stayed at the head of its queue (a steal takes from the tail): they ran
one after the other there, while the other workers ran quick tests, and the
last of them started late and set the run's tail. Dealt one to each share in
turn, every worker starts on its own slow tests, longest first, and the quick
ones are what the idle workers take.
"""

from __future__ import annotations

import itertools
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")


def worksteal_shares(count: int, workers: int) -> list[int]:
    """How many of `count` tests each of `workers` workers gets at the start under `--dist worksteal`."""
    sizes, left = [], count
    for index in range(workers):
        size = left // (workers - index)
        sizes.append(size)
        left -= size
    return sizes


def deal_slow_first(items: Sequence[Item], rank: Callable[[Item], int | None], workers: int) -> list[Item]:
    """`items` in the order that opens each worker's share with slow tests.

    `rank` gives a slow test's place (0 the slowest) and None for the rest. The slow
    ones are dealt in rank order to the shares in turn, there and back (0 1 2 2 1 0 ...:
    the share that got the slowest of a round gets the quickest of the next), each at
    the front of its share; the rest fill the shares in their own order. With one
    worker (or none) the slow ones simply come first.
    """
    ranks = [rank(item) for item in items]
    slow = [item for _, item in sorted(((r, i), item) for i, (r, item) in enumerate(zip(ranks, items)) if r is not None)]
    rest = iter([item for r, item in zip(ranks, items) if r is None])
    sizes = worksteal_shares(len(items), max(workers, 1))
    shares: list[list[Item]] = [[] for _ in sizes]
    turns = itertools.cycle([*range(len(sizes)), *reversed(range(len(sizes)))])  # 0 1 2 2 1 0 0 1 2 ...
    for item in slow:
        share = next(index for index in turns if len(shares[index]) < sizes[index])
        shares[share].append(item)
    for share, size in zip(shares, sizes):
        share.extend(next(rest) for _ in range(size - len(share)))
    return [item for share in shares for item in share]
