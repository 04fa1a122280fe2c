"""StretchFeel: how each stretch has felt, by the pain-monitoring traffic light, and the problems reported with `!`.

Each band is a word as well as a colour (`ok`, `watch`, `change`), and each
trend a word as well as an arrow, so the table reads the same under NO_COLOR.
"""

from __future__ import annotations

from typing import Any, Mapping

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from tui.domain.discomfort import TREND_WINDOW, ExerciseDiscomfort
from tui.domain.warning_signs import advice_for
from tui.ui.user_text import plain_rich

TREND_WORDS = {"easing": "↓ easing", "rising": "↑ rising", "steady": "→ steady", None: "-"}
"""How each trend is shown."""


def problems_line(counts: Mapping[str, int]) -> Text:
    """`Reported with !: 2 (1 sharp or shooting pain, 1 dizziness)`, or that none were."""
    total = sum(counts.values())
    text = Text.assemble(("Reported with ! (something wrong): ", "bold"))
    if not total:
        text.append("none")
        return text
    parts = ", ".join(f"{count} {advice_for(kind).label}" for kind, count in counts.items() if count)
    text.append(f"{total} ({parts})")
    return text


class StretchFeel(Widget):
    """A row per rated stretch: ratings, average, the last few against the few before, the trend and the light."""

    DEFAULT_CSS = """
    StretchFeel { height: auto; }
    StretchFeel > .stretch-feel--ok { color: $success; text-style: bold; }
    StretchFeel > .stretch-feel--watch { color: $warning; text-style: bold; }
    StretchFeel > .stretch-feel--change { color: $error; text-style: bold; }
    StretchFeel > .stretch-feel--muted { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"stretch-feel--ok", "stretch-feel--watch", "stretch-feel--change", "stretch-feel--muted"}

    def __init__(self, figures: tuple[ExerciseDiscomfort, ...], problems: Mapping[str, int],
                 names: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.figures = figures
        """Each rated exercise's figures, the one that hurts most now first."""
        self.problems = problems
        """Problems reported with `!`, by kind."""
        self.names = names
        """Exercise names by id (a deleted exercise shows its id)."""

    def render(self) -> Group:
        muted = self.get_component_rich_style("stretch-feel--muted")
        if not self.figures:
            table: Table | Text = Text("No stretch rated yet: after each stretch the session asks how it felt "
                                       "(0-10; it can be turned off in settings).", style=muted)
        else:
            table = Table(box=None, pad_edge=False, show_edge=False, expand=True, header_style="bold")
            table.add_column("Stretch", ratio=1, no_wrap=True, overflow="ellipsis")
            table.add_column("Rated", justify="right", no_wrap=True)
            table.add_column("Average", justify="right", no_wrap=True)
            table.add_column(f"Last {TREND_WINDOW}", justify="right", no_wrap=True)
            table.add_column(f"{TREND_WINDOW} before", justify="right", no_wrap=True)
            table.add_column("Trend", no_wrap=True)
            table.add_column("Now", no_wrap=True)
            for figure in self.figures:
                band = figure.band
                table.add_row(
                    plain_rich(self.names.get(figure.exercise, figure.exercise)),  # a name from a file: plain, harmless
                    str(figure.ratings),
                    f"{figure.average:.1f}",
                    f"{figure.recent:.1f}",
                    "-" if figure.earlier is None else f"{figure.earlier:.1f}",
                    TREND_WORDS[figure.trend],
                    Text(band.id, style=self.get_component_rich_style(f"stretch-feel--{band.id}")),
                )
        legend = Text("ok 0-3 fine · watch 4-5 if it settles · change 6+ shorten or leave out (help: ?)",
                      style=muted)
        return Group(table, legend, problems_line(self.problems))
