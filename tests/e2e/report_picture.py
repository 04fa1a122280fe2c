"""Page 1 of the report of the made-up journal, as headless Chromium draws it: `python -m tests.e2e.report_picture OUT.png`.

docs/report-page1.png is made this way; tests/e2e/test_report_chromium.py checks that it still can be.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

A4_AT_96_DPI = (794, 1123)
"""An A4 page in CSS pixels: the window the picture is taken in."""


def chromium() -> str | None:
    """The Chromium program, or None when it is not installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def made_up_report(folder: Path) -> Path:
    """Write the made-up journal to a data dir under `folder`, and its HTML report beside it."""
    from tests.unit.made_up_journal import FIRST, LAST, fill
    from tui.report import render, report_data
    from tui.storage.library import safety_note
    from tui.storage.store import Store

    store = Store.open(folder / "data")
    fill(store)
    page = folder / "report.html"
    page.write_text(render(report_data(store, FIRST, LAST, ZoneInfo("UTC")), safety_note(), "html"), encoding="utf-8")
    return page


def draw(page: Path, picture: Path, program: str, profile: Path) -> subprocess.CompletedProcess:
    """Have Chromium, offline and headless, draw the first A4 page of `page` into `picture`."""
    width, height = A4_AT_96_DPI
    return subprocess.run(
        [program, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
         f"--window-size={width},{height}", f"--screenshot={picture}", page.as_uri()],
        capture_output=True, text=True, timeout=120)


def main(out: str) -> int:
    program = chromium()
    if program is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        done = draw(made_up_report(Path(folder)), Path(out).resolve(), program, Path(folder) / "profile")
    print(done.stdout.strip() or done.stderr.strip().splitlines()[-1])
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
