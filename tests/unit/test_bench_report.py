"""The benchmark table compares each figure with its target and marks the misses."""

from __future__ import annotations

import pytest

from bench.report import MET, MISSED, figure, format_markdown, format_table


def test_a_ratio_target_is_compared_with_the_ratio():
    assert figure("a", 14.9, "ms", "base", 10.0, "<= 1.5x (issue)")["verdict"] == MET
    assert figure("a", 15.1, "ms", "base", 10.0, "<= 1.5x (issue)")["verdict"] == MISSED
    assert figure("a", 9.9, "ms", "base", 10.0, "< 1x")["verdict"] == MET
    assert figure("a", 10.0, "ms", "base", 10.0, "< 1x")["verdict"] == MISSED


def test_a_value_target_is_compared_in_the_figures_unit():
    assert figure("b", 299.0, "ms", target="< 300 ms")["verdict"] == MET
    assert figure("b", 300.0, "ms", target="< 300 ms")["verdict"] == MISSED
    assert figure("b", 1_000.0, "ms", target="<= 1,000 ms")["verdict"] == MET
    assert figure("c", -0.25, "s", target="|value| <= 0.2 s")["verdict"] == MISSED
    assert figure("c", -0.15, "s", target="|value| <= 0.2 s")["verdict"] == MET


def test_a_reference_or_no_target_has_no_verdict():
    assert figure("d", 1.0, "ms", target="reference (for comparison)")["verdict"] == ""
    assert figure("d", 1.0, "ms")["verdict"] == ""


@pytest.mark.parametrize("target", ["ratio ~1", "below 1", "<= 300 s", "<= 2x"])
def test_a_target_the_bench_cannot_compare_is_refused(target):
    with pytest.raises(ValueError):
        figure("e", 1.0, "ms", target=target)  # words only, another unit, or a ratio without a baseline


def test_the_tables_mark_misses_and_count_them():
    rows = [figure("fast", 100.0, "ms", target="< 300 ms"), figure("slow", 900.0, "ms", target="< 300 ms")]
    assert "1 of 2 targets met: MISSED slow" in format_table(rows)
    markdown = format_markdown(rows)
    assert "| **MISSED** |" in markdown and "| met |" in markdown
