"""PainChart: weekly average pain before and after, as pairs of bars drawn with block characters.

Each week gets two bars side by side (before on the left, after on the right)
on a 0-10 scale; eighth blocks give each row eight steps, so five rows show a
tenth of a point or so. A week without ratings leaves a gap. The bars stay
apart by position as well as by colour, so the chart reads without colour too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"
"""A cell filled from the bottom by 0 to 8 eighths."""
AXIS_WIDTH = 4
"""Columns taken by the scale on the left (`10 ┤`)."""
MAX_PAIN = 10
"""Top of the scale."""


@dataclass(frozen=True)
class PainPoint:
    """One week of the chart."""

    week: date
    """The Monday the week begins on."""
    before: float | None
    """Average pain before, or None when no session that week was rated before."""
    after: float | None
    """Average pain after, or None."""


def eighths(value: float, rows: int) -> int:
    """How many eighth-cells tall a bar for `value` is; at least one for any rating, so a 0 still shows."""
    return max(1, min(rows * 8, round(value / MAX_PAIN * rows * 8)))


def short_day(day: date) -> str:
    """`5 Jan`."""
    return f"{day.day} {day.strftime('%b')}"


def week_labels(points: tuple[PainPoint, ...], column: int) -> str:
    """The line under the chart: `this week` at the right edge, earlier weeks' days where they fit."""
    span = column * len(points)
    labels = [" "] * span
    last = "this week" if len(points) > 1 else short_day(points[-1].week)
    limit = max(0, span - len(last))
    labels[limit:] = last[: span - limit]
    next_free = 0
    for index, point in enumerate(points[:-1]):
        label, start = short_day(point.week), index * column
        if start >= next_free and start + len(label) <= limit - 2:
            labels[start:start + len(label)] = label
            next_free = start + len(label) + 2
    return "".join(labels)


class PainChart(Widget):
    """A two-series bar chart of weekly pain averages, with a scale, a legend and week labels."""

    DEFAULT_CSS = """
    PainChart { height: 9; width: 1fr; }
    PainChart > .pain-chart--before { color: $warning; }
    PainChart > .pain-chart--after { color: $success; }
    PainChart > .pain-chart--axis { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"pain-chart--before", "pain-chart--after", "pain-chart--axis"}

    points: reactive[tuple[PainPoint, ...]] = reactive((), layout=False)
    """The weeks to draw, oldest first."""

    def render(self) -> Text:
        before_style = self.get_component_rich_style("pain-chart--before")
        after_style = self.get_component_rich_style("pain-chart--after")
        axis_style = self.get_component_rich_style("pain-chart--axis")
        width, height = self.size
        rows = max(1, height - 3)  # legend, axis line, week labels
        text = Text(no_wrap=True, overflow="crop", end="")
        text.append("█", style=before_style)
        text.append(" before (left)  ")
        text.append("█", style=after_style)
        text.append(" after (right)  ")
        text.append("weekly average, 0-10", style=axis_style)
        points = self.points
        if not any(p.before is not None or p.after is not None for p in points):
            text.append("\n\nNo pain ratings in these weeks yet.", style=axis_style)
            return text
        # Show the most recent weeks that fit, each as wide as the space allows (3 to 6 columns).
        fitting = max(1, (width - AXIS_WIDTH) // 3)
        points = points[-fitting:]
        column = max(3, min(6, (width - AXIS_WIDTH) // len(points)))
        bar = (column - 1) // 2
        heights = [
            (None if p.before is None else eighths(p.before, rows), None if p.after is None else eighths(p.after, rows))
            for p in points
        ]
        middle = rows // 2
        for row in range(rows - 1, -1, -1):
            label = "10" if row == rows - 1 else (" 5" if row == middle and rows > 2 else " 0" if row == 0 else "  ")
            text.append(f"\n{label} {'┤' if label.strip() else '│'}", style=axis_style)
            for before, after in heights:
                for value, style in ((before, before_style), (after, after_style)):
                    cell = 0 if value is None else max(0, min(8, value - row * 8))
                    text.append(BLOCKS[cell] * bar, style=style)
                text.append(" " * (column - 2 * bar))
        text.append("\n   └" + "─" * (column * len(points)), style=axis_style)
        text.append("\n    " + week_labels(points, column), style=axis_style)
        return text
