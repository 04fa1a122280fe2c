"""The package is called `tui`, a generic name: the launcher makes sure the `tui` it runs from is backrelief's."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN = "from tui.launcher import main; raise SystemExit(main(['--version']))"


def run_with(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RUN], cwd=path, capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(path), "PATH": "/usr/bin:/bin"})


def test_our_own_package_runs():
    result = run_with(ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("backrelief ")


def test_another_programs_tui_mixed_into_ours_is_named_in_one_line(tmp_path):
    # Another distribution's `tui` installed over ours: its __init__, our launcher.
    (tmp_path / "tui").mkdir()
    (tmp_path / "tui" / "__init__.py").write_text('"""Someone else\'s terminal UI kit."""\n')
    shutil.copy(ROOT / "tui" / "launcher.py", tmp_path / "tui" / "launcher.py")
    result = run_with(tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("backrelief: error: the Python package 'tui' in ")
    assert str(tmp_path / "tui") in line and "environment of its own" in line
