"""The report: self-contained HTML (no external URL), charts with one point per rating, Markdown, text kept as text."""

from __future__ import annotations

import os
import re
import stat
import threading
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from tests.unit.made_up_journal import FIRST, HOSTILE_NOTE, LAST, SESSION_DAYS, fill
from tui.cli import main
from tui.report import render, report_data
from tui.storage.library import safety_note

UTC = ZoneInfo("UTC")


class Tags(HTMLParser):
    """Every tag and attribute of a page, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def filled(store):
    fill(store)
    return store


@pytest.fixture
def page(filled) -> str:
    return render(report_data(filled, FIRST, LAST, UTC), safety_note(), "html")


def test_the_html_needs_nothing_from_the_network(page):
    parsed = Tags()
    parsed.feed(page)
    names = {tag for tag, _ in parsed.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "image", "use", "base"}
    for tag, attrs in parsed.tags:
        assert not set(attrs) & {"src", "href", "xlink:href", "srcset", "action", "data"}, tag
        for value in attrs.values():
            assert "url(" not in (value or "") or re.fullmatch(r"url\(#[\w-]+\)", value), (tag, value)
    assert not re.search(r"https?:|//[a-z]|@import|@font-face", page, re.IGNORECASE)
    style = page[page.index("<style>"):page.index("</style>")]
    assert "url(" not in style


def test_the_charts_hold_one_point_per_rating_and_one_bar_per_week(filled, page):
    sessions = filled.journal.list()
    assert len(sessions) == len(SESSION_DAYS)
    assert page.count('class="pt-before"') == sum(s.pain_before is not None for s in sessions) == 22
    assert page.count('class="pt-after"') == sum(s.pain_after is not None for s in sessions) == 22
    weeks = (LAST - FIRST).days // 7 + 1
    assert page.count('class="bar-done"') == weeks == 5
    assert page.count('class="bar-planned"') == weeks  # a plan for every week
    assert page.count('class="bar-discomfort"') == 4  # the four stretches of the routine
    assert ">4/5<" in page and ">5/5<" in page  # sessions done against the plan, written on the bars


def test_user_text_is_shown_as_text_and_the_page_carries_the_safety_note(page):
    assert "<script>" not in page and "<b>tight" not in page
    parsed = Tags()
    parsed.feed(page)
    text = "".join(parsed.text)
    assert HOSTILE_NOTE in text
    assert " ".join(safety_note().split())[:80] in " ".join(text.split())
    assert "pain spreading down a leg during Back spasm relief" in text and "left calf" in text
    assert "an urgent warning sign applied" in text
    assert "Hamstring Stretch: 5 × 20 s, both sides, 10 s rest" in text
    assert "@page" in page and "break-inside: avoid" in page


def test_markdown_holds_the_same_report(filled):
    text = render(report_data(filled, FIRST, LAST, UTC), safety_note(), "md")
    assert text.startswith("# Back stretching report, 2026-10-05 to 2026-11-08\n")
    assert text.count("\n| 2026-") == 22 + 5  # a row per rated session and per week
    assert "| 2026-10-12 | 4 | 5 |" in text
    assert r"\<script\>alert(1)\</script\>" in text and "<script>" not in text
    assert "## Safety note" in text and "1 a day, Mon-Fri, 08:00-18:00" in text


def test_the_period_leaves_out_what_is_outside_it(filled):
    data = report_data(filled, FIRST, FIRST.replace(day=11), UTC)
    assert data.sessions == 4 and len(data.pain) == 4 and len(data.weeks) == 1
    assert [e.text for e in data.screenings] == ["none of the warning signs applied"]


def test_the_command_writes_html_or_markdown_to_a_file_stdout_or_a_fifo(filled, data_dir, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", "--since", "2026-10-05", "--until", "2026-11-08", "-o", str(out), "--data-dir", str(data_dir)]) == 0
    assert out.read_text(encoding="utf-8").count('class="pt-before"') == 22
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert main(["report", "--since", "2026-10-05", "--until", "2026-11-08", "--format", "md", "-o", "-",
                 "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out.startswith("# Back stretching report")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert main(["report", "--until", "2026-11-08", "--format", "md", "-o", str(fifo), "--data-dir", str(data_dir)]) == 0
    reader.join(10)
    assert got and got[0].decode().startswith("# Back stretching report, 2026-08-10 to 2026-11-08")
    assert fifo.is_fifo()


@pytest.mark.parametrize("args, message", [
    (["--since", "2026-13-01"], "--since must be a date like 2026-01-31, not '2026-13-01'"),
    (["--since", "2026-11-09", "--until", "2026-11-08"], "--since (2026-11-09) is after --until (2026-11-08)"),
])
def test_bad_dates_are_refused_by_name(filled, data_dir, capsys, args, message):
    assert main(["report", *args, "--data-dir", str(data_dir)]) != 0
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
