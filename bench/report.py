"""What every benchmark shares: a figure as a dict, medians of timed runs, and the printed table.

A figure is a plain dict with the keys `name`, `value`, `unit`, `baseline` (what it is
compared with, in words), `baseline_value`, `ratio` (value / baseline_value),
`target` and `verdict`, plus an optional `note`.

A target is a comparison the bench makes, never only words: `<= 1.5x` (the
ratio), `<= 300 ms` (the value, in the figure's unit), `|value| <= 0.2 s` (its
size either way), optionally followed by words in brackets; or `reference`
(a figure for comparison, with no target). `figure()` works out the verdict,
`met` or `MISSED`, and refuses a target it cannot compare.
"""

from __future__ import annotations

import operator
import re
import statistics
import time
from typing import Callable

COLUMNS = ("figure", "value", "baseline", "baseline value", "ratio", "target", "verdict")
"""The columns of the printed table."""


_TARGET = re.compile(r"^(?P<size>\|value\|\s*)?(?P<op><=|<|>=|>)\s*(?P<limit>[0-9][0-9,]*(?:\.[0-9]+)?)\s*"
                     r"(?P<unit>x|[^\s(]+)?\s*(?:\(.*\))?$")
_COMPARE = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}
MET, MISSED = "met", "MISSED"
"""The verdicts."""


def verdict(target: str, value: float, unit: str, ratio: float | None) -> str:
    """`met` or `MISSED` for a target (see the module doc); '' for none or `reference`. ValueError if it cannot be compared."""
    if not target or target.startswith("reference"):
        return ""
    found = _TARGET.match(target.strip())
    if found is None:
        raise ValueError(f"target {target!r} is not a comparison the bench can make")
    limit = float(found["limit"].replace(",", ""))
    if found["unit"] == "x":
        if ratio is None:
            raise ValueError(f"target {target!r} is a ratio but the figure has no baseline")
        measured = ratio
    elif found["unit"] in (None, unit):
        measured = abs(value) if found["size"] else value
    else:
        raise ValueError(f"target {target!r} is in {found['unit']}, the figure in {unit}")
    return MET if _COMPARE[found["op"]](measured, limit) else MISSED


def figure(name: str, value: float, unit: str, baseline: str = "", baseline_value: float | None = None,
           target: str = "", note: str = "") -> dict:
    """One figure; the ratio is worked out from the two values when there is a baseline, the verdict from the target."""
    ratio = None
    if baseline_value is not None and baseline_value > 0:
        ratio = value / baseline_value
    row = {"name": name, "value": value, "unit": unit, "baseline": baseline,
           "baseline_value": baseline_value, "ratio": ratio, "target": target,
           "verdict": verdict(target, value, unit, ratio)}
    if note:
        row["note"] = note
    return row


def timed(action: Callable[[], object]) -> float:
    """Seconds one call of `action` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median(values: list[float]) -> float:
    """The median; raises on an empty list (a benchmark that measured nothing is a bug)."""
    if not values:
        raise ValueError("no measurements")
    return statistics.median(values)


def format_value(value: float | None, unit: str) -> str:
    """A value with its unit, to a sensible number of digits."""
    if value is None:
        return ""
    if unit in ("B/s", "B", "bytes", "sessions", "docs"):
        return f"{value:,.0f} {unit}"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}" if abs(value) >= 0.1 or value == 0 else f"{value:.3f}"
    return f"{text} {unit}"


def format_ratio(ratio: float | None) -> str:
    """`1.02x`, or '' without a baseline."""
    if ratio is None:
        return ""
    if ratio < 0.1:
        return f"{ratio:.2g}x"
    return f"{ratio:.2f}x" if ratio < 100 else f"{ratio:,.0f}x"


def table_cells(rows: list[dict]) -> list[list[str]]:
    """Each figure as the strings of the table's columns."""
    return [[row["name"], format_value(row["value"], row["unit"]), row.get("baseline") or "",
             format_value(row.get("baseline_value"), row["unit"]), format_ratio(row.get("ratio")),
             row.get("target") or "", row.get("verdict") or ""] for row in rows]


def format_table(rows: list[dict]) -> str:
    """The figures as an aligned plain-text table, notes underneath."""
    cells = table_cells(rows)
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(COLUMNS)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(COLUMNS, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    notes = [f"- {row['name']}: {row['note']}" for row in rows if row.get("note")]
    if notes:
        lines += ["", "Notes:", *notes]
    lines += ["", missed_line(rows)]
    return "\n".join(lines)


def missed_line(rows: list[dict]) -> str:
    """How many figures met their target and which missed it."""
    judged = [row for row in rows if row.get("verdict")]
    missed = [row["name"] for row in judged if row["verdict"] == MISSED]
    line = f"{len(judged) - len(missed)} of {len(judged)} targets met"
    return line + (": MISSED " + "; ".join(missed) if missed else "")


def format_markdown(rows: list[dict]) -> str:
    """The figures as a Markdown table, notes underneath."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(cell(f"**{c}**" if c == MISSED else c) for c in r) + " |" for r in table_cells(rows)]
    notes = [f"- **{cell(row['name'])}**: {row['note']}" for row in rows if row.get("note")]
    if notes:
        lines += ["", *notes]
    lines += ["", missed_line(rows)]
    return "\n".join(lines)


def bench_main(prog: str, doc: str, run: Callable[..., list[dict]], argv: list[str] | None = None) -> int:
    """The command line every bench module shares: `--quick`, then the figures as a table."""
    import argparse

    parser = argparse.ArgumentParser(prog=prog, description=doc.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    print(format_table(run(quick=args.quick)))
    return 0
