"""The report in headless Chromium: page 1 is drawn, offline, as the picture in docs/ shows it."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.e2e.report_picture import A4_AT_96_DPI, chromium, draw, made_up_report

DOCS_PICTURE = Path(__file__).resolve().parents[2] / "docs" / "report-page1.png"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.skipif(chromium() is None, reason="needs Chromium: apt-get install chromium")
def test_page_one_is_drawn_offline_at_a4_size(tmp_path):
    page = made_up_report(tmp_path)
    picture = tmp_path / "page1.png"
    done = draw(page, picture, chromium(), tmp_path / "profile")
    assert done.returncode == 0, done.stderr
    data = picture.read_bytes()
    assert png_size(data) == A4_AT_96_DPI
    assert len(data) > 20_000  # charts and text, not a blank page (a blank A4 PNG is a few kB)


def test_the_picture_in_docs_is_page_one_at_a4_size():
    assert png_size(DOCS_PICTURE.read_bytes()) == A4_AT_96_DPI
