"""The launcher pauses Python's cycle collector while a command starts: every command gets it back."""

from __future__ import annotations

import gc

import tui.cli
from tui import launcher


def test_a_command_other_than_the_app_runs_with_the_cycle_collector_on(tmp_path, monkeypatch, capsys):
    seen: list[bool] = []
    real_store = tui.cli._store

    def store(data_dir, write=False):
        seen.append(gc.isenabled())  # as the command opens the data dir
        return real_store(data_dir, write)

    monkeypatch.setattr(tui.cli, "_store", store)
    assert launcher.main(["journal", "list", "--data-dir", str(tmp_path / "data")]) == 0
    assert seen == [True]
    assert gc.isenabled()


def test_the_collector_is_on_again_when_a_command_fails(tmp_path, capsys):
    (tmp_path / "data").write_text("a file where the data dir should be")
    assert launcher.main(["journal", "list", "--data-dir", str(tmp_path / "data")]) == 1
    assert "backrelief: error:" in capsys.readouterr().err
    assert gc.isenabled()
