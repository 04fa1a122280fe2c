"""A small real disk for tests: a tmpfs of a given size, mounted for one test, and a way to fill it.

Mounting needs root (or CAP_SYS_ADMIN); where it is not allowed, `mounted` skips
the test and says why.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest


@contextmanager
def mounted(point: Path, size: str = "1m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `point` (made if missing) for the block; skips the test if it cannot be."""
    if not shutil.which("mount"):
        pytest.skip("needs the mount command (util-linux) to mount a small tmpfs")
    point.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {result.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def fill(folder: Path) -> Path:
    """Write a file until the disk has no room left; the file, to delete when the room is wanted back."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:
        for size in (64 * 1024, 4096, 512, 1):
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    return filler
