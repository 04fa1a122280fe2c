"""The one channel for messages about unusable data: kept once, taken once, safe across threads."""

from __future__ import annotations

import threading

from tui.storage.store import Store
from tui.storage.unreported import Unreported


def test_a_message_waiting_is_kept_once_and_taken_once():
    unreported = Unreported()
    unreported.add("settings.json: bell must be true or false")
    unreported.add("settings.json: bell must be true or false")
    unreported.add("2026-01.json moved aside")
    assert unreported.waiting() == ["settings.json: bell must be true or false", "2026-01.json moved aside"]
    assert unreported.take() == ["settings.json: bell must be true or false", "2026-01.json moved aside"]
    assert unreported.take() == []
    unreported.add("2026-01.json moved aside")  # found again after it was said: said again
    assert unreported.take() == ["2026-01.json moved aside"]


def test_messages_added_from_many_threads_while_another_takes_are_each_taken_exactly_once():
    unreported = Unreported()
    writers, each = 4, 2000
    taken: list[str] = []
    done = threading.Event()

    def add(n: int) -> None:
        for i in range(each):
            unreported.add(f"{n}-{i}")

    def take() -> None:
        while not done.is_set():
            taken.extend(unreported.take())
        taken.extend(unreported.take())

    taker = threading.Thread(target=take)
    taker.start()
    threads = [threading.Thread(target=add, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    taker.join()
    assert sorted(taken) == sorted(f"{n}-{i}" for n in range(writers) for i in range(each))


def test_the_store_takes_every_repository_s_messages_together(tmp_path):
    store = Store.open(tmp_path / "data")
    store.settings.problems.add("settings: bad")
    store.active.problems.add("active: bad")
    store.journal.problems.add("journal: bad")
    assert store.take_problems() == ["settings: bad", "active: bad", "journal: bad"]
    assert store.take_problems() == []
