"""StatsScreen: streaks, sessions and minutes per week, the pain trend, and which routines help most."""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Callable, Mapping, Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen

from tui.domain.discomfort import discomfort_by_exercise, problem_counts
from tui.domain.exercises import Exercise
from tui.domain.schedule import Adherence, DoneCounts, PlanHistory, WeekAdherence, adherence
from tui.domain.session_rows import SessionRow
from tui.domain.sessions import Session
from tui.domain.stats import JournalStats, change_in_words, compute_stats
from tui.domain.zone import SystemZone
from tui.paths import screen_styles
from tui.ui.user_text import PlainStatic, plain_rich
from tui.ui.widgets.pain_chart import PainChart, PainPoint, short_day
from tui.ui.widgets.stretch_feel import StretchFeel
from tui.ui.widgets.title_bar import TitleBar
from tui.ui.widgets.fitting_footer import FittingFooter
from tui.ui.screens.steady import SteadyScreen

WEEK_COLUMN = 8
"""Columns each week takes in the weekly table (six for the figures, two between)."""


def hours_and_minutes(seconds: float) -> str:
    """`4 h 05 min`, or `25 min` under an hour."""
    minutes = int(round(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def days(count: int) -> str:
    """`1 day`, `3 days`."""
    return f"{count} day" if count == 1 else f"{count} days"


def on_plan_text(week: WeekAdherence | None) -> str:
    """`9/10`: sessions done toward the plan of `planned`; `-` for a week nothing was planned."""
    return f"{week.done}/{week.planned}" if week is not None and week.planned else "-"


class StatsScreen(SteadyScreen, Screen[None]):
    """Figures worked out once from the sessions the journal shows; `q` or `escape` goes back."""

    CSS_PATH = screen_styles("journal.tcss")

    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("R", "export_report", "Report"),
        Binding("question_mark", "app.help", "Help"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-wide")]
    """Below 76 columns the summary and the routines stack instead of sitting side by side."""

    def __init__(self, sessions: Sequence[Session | SessionRow], today: date, scope: str = "",
                 plans: PlanHistory | None = None, zone: tzinfo | None = None,
                 exercises: Mapping[str, Exercise] | None = None,
                 report: Callable[[Screen[None]], None] | None = None) -> None:
        super().__init__()
        self.report = report
        """Asks where to write the report for a clinician, over the screen it is given (`R`); None: no report."""
        self.stats: JournalStats = compute_stats(sessions, today)
        """The figures shown."""
        self.stretch_feel = StretchFeel(discomfort_by_exercise(sessions), problem_counts(sessions),
                                        {e.id: e.name for e in (exercises or {}).values()}, id="stretch-feel")
        """How each stretch felt, and the problems reported with `!`."""
        self.scope = scope
        """The journal filter the figures are limited to, in words ('' for every session)."""
        self.adherence: Adherence | None = None
        """Sessions done against the plans, week by week, and days on plan; None without any plan."""
        if plans:
            counts = DoneCounts.from_sessions(sessions, zone or SystemZone())
            self.adherence = adherence(plans, counts, today, weeks=len(self.stats.weeks))

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="stats-body"):
            if self.scope:
                yield PlainStatic(f"Only sessions matching the filter: {self.scope}", id="stats-scope")
            with Horizontal(id="stats-top"):
                yield PlainStatic(self.summary(), id="stats-summary")
                yield PlainStatic(self.relief(), id="stats-relief")
            yield PlainStatic("How each stretch felt (discomfort 0-10)", classes="section-title")
            yield self.stretch_feel
            yield PlainStatic("Sessions and minutes of holding per week", classes="section-title")
            yield PlainStatic(id="stats-weeks")
            yield PlainStatic("Pain trend", classes="section-title")
            yield PainChart(id="pain-chart")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.sub_title = "stats"
        self.query_one(PainChart).points = tuple(
            PainPoint(w.start, w.pain_before, w.pain_after) for w in self.stats.weeks
        )
        self.show_weeks()

    def on_resize(self) -> None:
        self.show_weeks()

    def summary(self) -> Text:
        """Streaks, totals and the count of each status."""
        s = self.stats
        text = Text()
        text.append("Streak\n", style="bold")
        text.append(f"  {days(s.current_streak)} now, longest {days(s.longest_streak)}\n")
        text.append("Sessions\n", style="bold")
        text.append(f"  {s.sessions}, {hours_and_minutes(s.seconds_held)} of holding\n")
        by = s.by_status
        text.append(f"  {by.get('completed', 0)} completed, {by.get('logged', 0)} logged\n")
        text.append(f"  {by.get('stopped', 0)} stopped early, {by.get('interrupted', 0)} interrupted")
        if self.adherence is not None:
            text.append("\nOn plan\n", style="bold")
            week = self.adherence.weeks[-1]
            text.append(f"  {days(self.adherence.streak)} in a row; this week {week.done} of {week.planned}")
        return text

    def relief(self) -> Table | Text:
        """Each routine's average drop in pain, the most relief first."""
        if not self.stats.relief:
            return Text.assemble(("What lowers your pain\n", "bold"),
                                 "  Rate your pain before and after a session to see which routines help.")
        table = Table(title="What lowers your pain", title_justify="left", title_style="bold",
                      box=None, pad_edge=False, expand=True, show_edge=False)
        table.add_column("Routine", ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column("Pain on average", justify="right")
        table.add_column("Sessions", justify="right")
        for routine in self.stats.relief:
            table.add_row(plain_rich(routine.routine_name), change_in_words(routine.average_drop), str(routine.sessions))
        return table

    def show_weeks(self) -> None:
        """The recent weeks that fit the width, as columns: sessions and minutes."""
        width = self.size.width or 80
        fitting = max(1, (width - 14) // WEEK_COLUMN)
        weeks = self.stats.weeks[-fitting:]
        table = Table(box=None, pad_edge=False, show_edge=False, show_header=True)
        table.add_column("Week of", style="bold", no_wrap=True)
        for week in weeks:
            table.add_column(short_day(week.start), justify="right", no_wrap=True, min_width=WEEK_COLUMN - 2)
        table.add_row("Sessions", *(str(w.sessions) for w in weeks))
        table.add_row("Minutes", *(f"{w.minutes_held:.0f}" for w in weeks))
        if self.adherence is not None:
            planned = {w.start: w for w in self.adherence.weeks}
            table.add_row("On plan", *(on_plan_text(planned.get(w.start)) for w in weeks))
        self.query_one("#stats-weeks", PlainStatic).update(table)

    def action_export_report(self) -> None:
        """Write the report to take to a clinician (see tui/report.py)."""
        if self.report is not None:
            self.report(self)

    def action_back(self) -> None:
        self.dismiss(None)
