"""Export report in the app: `R` in the journal and in its stats writes the same file `backrelief report` does."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.functional.test_export_targets_app import submit_path
from tests.functional.test_journal_screen import open_journal
from tests.unit.made_up_journal import LAST, fill
from tui.domain.clock import FakeClock
from tui.domain.report import DEFAULT_DAYS
from tui.report import render, report_data
from tui.storage.library import safety_note
from tui.ui.screens.journal import JournalScreen
from tui.ui.screens.report_export import ReportExportDialog
from tui.ui.screens.stats import StatsScreen
from tui.ui.user_text import PlainSelect

UTC = timezone.utc


@pytest.fixture(autouse=True)
def utc_local_time(local_time):
    local_time("UTC")


@pytest.fixture
def clock() -> FakeClock:
    """The day after the made-up journal's last."""
    return FakeClock(start=datetime.combine(LAST + timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=10))


async def test_the_journal_and_its_stats_export_the_report(store, make_test_app, tmp_path):
    fill(store)
    until = LAST + timedelta(days=1)
    expected = report_data(store, until - timedelta(days=DEFAULT_DAYS), until, ZoneInfo("UTC"))
    app = make_test_app(zone=UTC)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_journal(pilot)
        await pilot.press("R")
        assert isinstance(app.screen, ReportExportDialog)
        await submit_path(pilot, "export-path", tmp_path / "report.html")
        assert isinstance(app.screen, JournalScreen)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("R")
        dialog = app.screen
        assert isinstance(dialog, ReportExportDialog)
        dialog.query_one("#export-format", PlainSelect).value = "md"
        await pilot.pause()
        assert dialog.query_one("#export-path").value.endswith(".md")
        await submit_path(pilot, "export-path", tmp_path / "report.md")
        assert isinstance(app.screen, StatsScreen)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page == render(expected, safety_note(), "html")
    assert page.count('class="pt-before"') == 22
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == render(expected, safety_note(), "md")
