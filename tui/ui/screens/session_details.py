"""SessionDetails: one session from the journal, hold by hold."""

from __future__ import annotations

from typing import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from tui.domain.discomfort import band_for
from tui.domain.exercises import Exercise
from tui.domain.plan import format_duration
from tui.domain.sessions import HoldRecord, Session
from tui.domain.text import safe_text
from tui.domain.warning_signs import advice_for
from tui.paths import screen_styles
from tui.ui.user_text import PlainStatic
from tui.ui.user_text.table import PlainTable
from tui.ui.widgets.title_bar import TitleBar
from tui.ui.widgets.fitting_footer import FittingFooter
from tui.ui.screens.steady import SteadyScreen

TIME_FORMAT = "%Y-%m-%d %H:%M"
"""How the start and end are shown."""


def pain_text(value: int | None) -> str:
    """A pain rating, or a dash when it was skipped."""
    return "-" if value is None else str(value)


def held_text(seconds: float) -> str:
    """Seconds held, to a tenth when not whole: `30 s`, `12.5 s`."""
    return f"{seconds:.0f} s" if float(seconds).is_integer() else f"{seconds:.1f} s"


def done_text(hold: HoldRecord) -> str:
    """`yes`, `cut short`, or `skipped` for a hold not held at all (a stretch left out, say)."""
    if hold.completed:
        return "yes"
    return "skipped" if hold.held_seconds == 0 else "cut short"


class SessionDetails(SteadyScreen, Screen[None]):
    """What was planned and what was held, for each hold of a session; `q` or `escape` goes back."""

    CSS_PATH = screen_styles("journal.tcss")

    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]

    def __init__(self, session: Session, exercises: Mapping[str, Exercise]) -> None:
        super().__init__()
        self.session = session
        """The session shown."""
        self.exercises = exercises
        """Exercises by id, for their names (a deleted one shows its id)."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield PlainStatic(self.summary(), id="session-summary")
        yield PlainTable(id="holds-table", cursor_type="row", zebra_stripes=True)
        yield FittingFooter()

    def summary(self) -> Text:
        """The session's header lines: when, routine, status, counts, pain, note (user text made harmless)."""
        s = self.session
        text = Text()
        text.append(safe_text(s.routine_name, multiline=False), style="bold")
        began = s.started_at.astimezone()
        text.append(f"   {began.strftime(TIME_FORMAT)}")
        if s.ended_at is not None:
            ended = s.ended_at.astimezone()
            text.append(f" to {ended.strftime('%H:%M' if ended.date() == began.date() else TIME_FORMAT)}")
        text.append(f"   {s.status}", style="bold")
        text.append(f"\n{s.holds_done} of {s.holds_planned} holds done, {format_duration(s.seconds_held)} held"
                    f"   pain {pain_text(s.pain_before)} → {pain_text(s.pain_after)}")
        if s.status == "logged":
            text.append("\nLogged by hand: holds are the routine's plan, counted as done in full.", style="dim")
        if s.note:
            text.append("\nNote: ", style="bold")
            text.append(safe_text(s.note))
        for event in s.events:
            text.append("\nSomething was wrong (!)", style="bold red")
            text.append(f" at {event.at.astimezone().strftime('%H:%M')}: {advice_for(event.kind).label}")
            if event.note:
                text.append(": ")
                text.append(safe_text(event.note))  # the person's own words: Text, never markup
        if s.step_ratings:
            text.append("\nHow each stretch felt (0-10): ", style="bold")
            for index, rating in enumerate(s.step_ratings):
                exercise = self.exercises.get(rating.exercise)
                text.append(", " if index else "")
                text.append(f"step {rating.step} {safe_text(exercise.name if exercise else rating.exercise, multiline=False)} ")
                text.append(f"{rating.discomfort} {band_for(rating.discomfort).id}", style="bold")
        return text

    def on_mount(self) -> None:
        self.sub_title = "session details"
        table = self.query_one(PlainTable)
        table.add_column("#", key="number")
        table.add_column("Exercise", key="exercise")
        table.add_column("Side", key="side")
        table.add_column("Rep", key="rep")
        table.add_column("Planned", key="planned")
        table.add_column("Held", key="held")
        table.add_column("Done", key="done")
        for number, hold in enumerate(self.session.holds, 1):
            exercise = self.exercises.get(hold.exercise)
            table.add_row(
                str(number),
                exercise.name if exercise else hold.exercise,  # a str cell: plain text, made harmless
                hold.side or "",
                str(hold.rep),
                f"{hold.planned_seconds} s",
                held_text(hold.held_seconds),
                done_text(hold),
                key=str(number),
            )
        if not self.session.holds:
            self.query_one("#session-summary", PlainStatic).update(
                self.summary().append("\n\nNo holds were done in this session.", style="italic"))
        table.focus()

    def action_back(self) -> None:
        self.dismiss(None)
