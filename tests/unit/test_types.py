"""The type checker finds nothing: mypy, as configured in pyproject.toml ([tool.mypy]), over `tui`.

Run here so the README's test command, which CI runs, checks types too. In a
fresh interpreter (`python -m mypy`), from the project root, so it reads the
project's configuration and nothing this test run has imported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_finds_no_errors():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--hide-error-context"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 0 and not errors, "\n".join(errors) or result.stdout + result.stderr


def test_the_configuration_checks_what_it_says():
    """The settings that make the check worth having are on (a loosened config would pass anything)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 on

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["files"] == ["tui"]
    for setting in ("warn_unused_ignores", "strict_equality", "disallow_incomplete_defs", "check_untyped_defs"):
        assert config[setting] is True, setting
