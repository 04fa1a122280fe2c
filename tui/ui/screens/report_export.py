"""ReportExportDialog: write the report to take to a clinician, as HTML or Markdown, to a file the user names.

The same file `backrelief report` writes (tui/report.py), through the same
writer as the journal's export (a file is replaced whole; a FIFO is written into).
"""

from __future__ import annotations

from datetime import date, timedelta, tzinfo
from pathlib import Path

from textual.screen import Screen

from tui.domain.report import DEFAULT_DAYS, ReportData
from tui.report import render, report_data
from tui.storage.errors import StorageError
from tui.storage.library import safety_note
from tui.storage.store import Store
from tui.ui.screens.journal_export import JournalExportDialog


class ReportExportDialog(JournalExportDialog):
    """Dismisses with (the file written, sessions in the report), or None when cancelled."""

    HEADING = "Export a report for your clinician"
    FORMAT_CHOICES = (("HTML (print or send)", "html"), ("Markdown (paste into a message)", "md"))

    def __init__(self, data: ReportData, safety_note: str, default_name: str) -> None:
        super().__init__([], default_name)
        self.data = data
        """What the report holds."""
        self.safety_note = safety_note
        """The safety note the report carries."""

    def explanation(self) -> str:
        return (f"The last {(self.data.until - self.data.since).days + 1} days ({self.data.sessions} sessions), "
                "the same file `backrelief report` makes; it names no one.")

    def file_text(self, file_format: str) -> str:
        return render(self.data, self.safety_note, file_format)

    def export_count(self) -> int:
        """How many sessions the report covers."""
        return self.data.sessions


def export_report(screen: Screen[None], store: Store, until: date, zone: tzinfo) -> None:
    """Gather the report of the DEFAULT_DAYS days up to `until` and ask where to write it, over `screen`."""
    try:
        data = report_data(store, until - timedelta(days=DEFAULT_DAYS), until, zone)
    except StorageError as error:
        screen.notify(f"Cannot read the journal for the report: {error}", severity="error")
        return

    def exported(result: tuple[Path, int] | None) -> None:
        if result is not None:
            path, count = result
            screen.notify(f"Wrote a report of {count} sessions to {path}.")

    screen.app.push_screen(ReportExportDialog(data, safety_note(), f"backrelief-report-{until.isoformat()}"), exported)
