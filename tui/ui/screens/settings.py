"""SettingsScreen: every setting on one page; each change is stored and takes effect at once."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Switch

from tui.domain.cues import LAST_SECONDS_MIN_HOLD, LONG_HOLD_SECONDS, MOMENT_NAMES, Moment, parse_pattern
from tui.domain.exercises import REST_LIMITS
from tui.domain.problems import ValidationError
from tui.domain.whole_numbers import parse_whole
from tui.domain.settings import COUNTDOWN_FONTS, GET_READY_LIMITS, PATTERN_FIELDS, SWITCH_LIMITS, Settings
from tui.paths import screen_styles
from tui.storage.errors import StorageError
from tui.storage.settings import SettingsRepository
from tui.ui.speech import over_ssh
from tui.ui.user_text import PlainSelect, PlainStatic, styled
from tui.ui.widgets.countdown import fit_countdown
from tui.ui.widgets.title_bar import TitleBar
from tui.ui.widgets.digits_field import DigitsField
from tui.ui.widgets.fitting_footer import FittingFooter
from tui.ui.widgets.form_scroll import FormScroll
from tui.ui.screens.steady import SteadyScreen

if TYPE_CHECKING:
    from tui.ui.app import BackreliefApp

NUMBER_FIELDS = {
    "get_ready_seconds": ("Get ready", GET_READY_LIMITS, "Before each exercise"),
    "switch_seconds": ("Switch sides", SWITCH_LIMITS, "Between left and right"),
    "default_rest_seconds": ("Default rest", REST_LIMITS, "New steps in the builder"),
}
"""The settings typed as whole seconds: label, limits, what they do."""

SWITCH_FIELDS = {
    "bell": ("Bell", "Each moment rings its own pattern."),
    "notifications": ("Notifications", "Desktop notice too (OSC 9/777)."),
    "last_seconds_cue": ("Count 3-2-1", f"Last 3 s of holds of {LAST_SECONDS_MIN_HOLD} s or more."),
    "halfway_cue": ("Halfway", f"In holds of {LONG_HOLD_SECONDS} s or more."),
    "speech": ("Speech", "Speaks each cue on this computer."),
    "reduced_motion": ("Reduced motion", "No animations."),
    "plain_mode": ("Plain mode", "start: a line per event, for screen readers."),
    "rate_stretches": ("Rate stretches", "Ask how each stretch felt."),
}
"""The on/off settings: label, what they do."""

PATTERN_HELP = {
    Moment.GET_READY: "Before a new exercise.",
    Moment.HOLD: "As a hold begins.",
    Moment.SWITCH: "Change to the other side.",
    Moment.REST: "A rest between reps.",
    Moment.LAST_SECONDS: "3, 2, 1 (if Count 3-2-1 is on).",
    Moment.HALFWAY: "If Halfway is on.",
    Moment.DONE: "The end of the session.",
}
"""When each bell pattern rings, as the settings screen says it."""

SSH_SPEECH_NOTE = ("You are logged in over SSH: speech plays on this server, not on your own computer. "
                   "For your own screen reader, use backrelief start ROUTINE --plain.")
"""Said by the speech setting in an SSH login."""

FONT_LABELS = {"future": "Segments (lightest over SSH)", "big": "Big", "standard": "Standard", "small": "Small",
               "digits": "Plain digits"}
"""How each countdown font is named in the list."""

PREVIEW_TEXT = "10"
"""What the font preview shows."""


def parse_seconds(text: str, limits: tuple[int, int]) -> int:
    """Whole seconds typed by the user; ValueError says what is wrong, as a sentence for the field."""
    try:
        return parse_whole(text, limits, "seconds")
    except ValueError as error:
        reason = str(error)
        raise ValueError(f"{reason[:1].upper()}{reason[1:]}. Not saved.") from None


class PatternInput(DigitsField):
    """A field for a bell pattern (`3 x 250`): it takes what a pattern is typed with, and leaves `q` and `?` to the screen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("also", "xX× ")
        super().__init__(*args, **kwargs)


class SettingsScreen(SteadyScreen, Screen[None]):
    """Get-ready, switch and rest seconds, cues, countdown font, theme and motion."""

    CSS_PATH = screen_styles("settings.tcss")

    BINDINGS = [
        Binding("escape", "close", "Back"),
        # Priority, so `q` works from a seconds field too (the fields take digits only).
        Binding("q", "close_unless_typing", "Back", show=False, priority=True),
    ]  # `?` (help) is the app's own binding, as on every screen

    app: BackreliefApp  # typed: the settings in effect, their cues and theme are the app's

    def __init__(self, settings: SettingsRepository) -> None:
        super().__init__()
        self.settings = settings
        """Where the settings are stored: each change is saved there, then applied to the app."""

    def compose(self) -> ComposeResult:
        settings = self._reload()
        yield TitleBar()
        with FormScroll(id="settings-form"):
            yield PlainStatic(styled("Changes are saved as you make them; numbers on [b]enter[/] or when you move on."),
                              id="settings-intro")
            yield PlainStatic("Session", classes="section-title")
            for name, (label, limits, what) in NUMBER_FIELDS.items():
                yield self._row(name, label, f"{limits[0]}-{limits[1]} s. {what}.",
                                DigitsField(str(getattr(settings, name)), id=name, max_length=3, passes="q",
                                            compact=True, classes="setting-number"))
            yield self._switch_row("rate_stretches", settings.rate_stretches)
            yield PlainStatic("Cues", classes="section-title")
            for name in ("bell", "notifications", "last_seconds_cue", "halfway_cue", "speech"):
                yield self._switch_row(name, getattr(settings, name))
            yield self._row("speech_command", "Speech command", "Empty: espeak-ng, say... if found.",
                            Input(settings.speech_command, id="speech_command", compact=True, max_length=300,
                                  placeholder="find one", classes="setting-command"))
            yield PlainStatic(id="speech-status", classes="setting-note")
            if over_ssh():
                yield PlainStatic(SSH_SPEECH_NOTE, id="speech-over-ssh", classes="setting-note")
            yield PlainStatic("Bell patterns", classes="section-title")
            yield PlainStatic("Rings x ms apart, like 3 x 250 (1-5 rings, 200-2000 ms). Enter plays it.",
                         classes="setting-note")
            for name, moment in PATTERN_FIELDS.items():
                yield self._row(name, MOMENT_NAMES[moment], PATTERN_HELP[moment],
                                PatternInput(settings.pattern(moment).text(), id=name, max_length=12,
                                             restrict=r"[0-9xX× ms]*", compact=True, classes="setting-pattern"))
            yield PlainStatic("Look", classes="section-title")
            fonts = [(FONT_LABELS[font], font) for font in COUNTDOWN_FONTS]
            yield self._row("countdown_font", "Countdown font", "The numbers on the hold screen.",
                            PlainSelect(fonts, value=settings.countdown_font, allow_blank=False, compact=True,
                                        id="countdown_font"))
            yield PlainStatic(id="font-preview")
            themes = sorted(self.app.available_themes)
            theme = settings.theme if settings.theme in themes else self.app.theme
            yield self._row("theme", "Theme", "high-contrast: white on black.",
                            PlainSelect([(name, name) for name in themes], value=theme, allow_blank=False, compact=True,
                                        id="theme"))
            yield self._switch_row("reduced_motion", settings.reduced_motion)
            yield self._switch_row("plain_mode", settings.plain_mode)
        yield FittingFooter()

    def _row(self, name: str, label: str, what: str, control: Widget) -> Vertical:
        """One setting: its label, control and what it does, with a line for a message below."""
        return Vertical(
            Horizontal(PlainStatic(label, classes="setting-label"), control, PlainStatic(what, classes="setting-help"),
                       classes="setting-line"),
            PlainStatic("", id=f"{name}-message", classes="setting-message"),
            classes="setting",
        )

    def _switch_row(self, name: str, value: bool) -> Vertical:
        label, what = SWITCH_FIELDS[name]
        control = Horizontal(Switch(value, id=name), PlainStatic(_on_off(value), id=f"{name}-state", classes="switch-state"),
                             classes="switch-box")
        return self._row(name, label, what, control)

    def _reload(self) -> Settings:
        """The stored settings, which another copy of the app (a browser tab) may have changed, now in effect here."""
        try:
            self.app.apply_settings(self.settings.load())
        except StorageError as error:
            self.app.notify(f"Could not read the settings file: {error}", severity="warning")
        return self.app.settings

    def on_mount(self) -> None:
        self.title = "Settings"
        self.sub_title = ""
        self._show_font_preview()
        self._show_speech_status()
        self.query_one(f"#{next(iter(NUMBER_FIELDS))}", Input).focus()

    # -- saving --------------------------------------------------------

    def _message(self, name: str, text: str) -> None:
        message = self.query_one(f"#{name}-message", PlainStatic)
        message.update(text)
        message.set_class(bool(text), "-shown")

    def save(self, name: str, value: Any) -> bool:
        """Store one setting and apply it; a bad value gets a message by its field and nothing is stored."""
        current = self.app.settings
        if getattr(current, name) == value:
            self._message(name, "")
            return True
        try:
            replace(current, **{name: value}).check()
            settings = self.settings.change(**{name: value})
        except ValidationError as error:
            problem = error.problems[0]
            reason = problem.reason if problem.field == name else str(problem)
            self._message(name, f"{reason[:1].upper()}{reason[1:]}. Not saved.")
            return False
        except StorageError as error:
            self._message(name, f"Could not save: {error}")
            return False
        self._message(name, "")
        self.app.apply_settings(settings)
        return True

    def _save_number(self, field: Input) -> bool:
        name = field.id or ""
        try:
            value = parse_seconds(field.value, NUMBER_FIELDS[name][1])
        except ValueError as error:
            self._message(name, str(error))
            return False
        return self.save(name, value)

    @on(Input.Changed, ".setting-number")
    def check_number(self, event: Input.Changed) -> None:
        """Say at once what is wrong with a typed number; it is saved on enter or when you move on."""
        name = event.input.id or ""
        try:
            parse_seconds(event.value, NUMBER_FIELDS[name][1])
        except ValueError as error:
            self._message(name, str(error))
        else:
            self._message(name, "")

    @on(Input.Submitted, ".setting-number")
    @on(Input.Blurred, ".setting-number")
    def save_number(self, event: Input.Submitted | Input.Blurred) -> None:
        if self._save_number(event.input) and isinstance(event, Input.Submitted):
            self.focus_next()

    @on(Switch.Changed)
    def save_switch(self, event: Switch.Changed) -> None:
        name = event.switch.id or ""
        self.query_one(f"#{name}-state", PlainStatic).update(_on_off(event.value))
        self.save(name, event.value)
        if name == "speech":
            self._show_speech_status()

    # -- cues ----------------------------------------------------------

    def _save_pattern(self, field: Input, play: bool = False) -> bool:
        """Store a typed bell pattern; `play` rings it so the user hears what they chose."""
        name = field.id or ""
        moment = PATTERN_FIELDS[name]
        try:
            pattern = parse_pattern(field.value, keep_spacing=self.app.settings.pattern(moment).spacing_ms)
        except ValueError as error:
            self._message(name, str(error))
            return False
        if not self.save(name, pattern):
            return False
        if field.value != pattern.text():
            field.value = pattern.text()
        self._message(name, self._same_as(moment))
        if play:
            self.app.cues.ring(pattern)
        return True

    def _same_as(self, moment: Moment) -> str:
        """A note when this moment's pattern is another's too: saved, but the two cannot be told apart."""
        settings = self.app.settings
        twins = [MOMENT_NAMES[other] for other in Moment
                 if other is not moment and settings.pattern(other).text() == settings.pattern(moment).text()]
        return f"Sounds the same as {', '.join(twins)}: hard to tell apart by ear." if twins else ""

    @on(Input.Submitted, ".setting-pattern")
    @on(Input.Blurred, ".setting-pattern")
    def save_pattern(self, event: Input.Submitted | Input.Blurred) -> None:
        self._save_pattern(event.input, play=isinstance(event, Input.Submitted))

    @on(Input.Submitted, "#speech_command")
    @on(Input.Blurred, "#speech_command")
    def save_speech_command(self, event: Input.Submitted | Input.Blurred) -> None:
        self.save("speech_command", event.input.value.strip())
        self._show_speech_status()

    def _show_speech_status(self) -> None:
        """Which program will speak, or why none can: said whether speech is on or not, so it can be fixed first."""
        choice = self.app.cues.choose_speech(self.app.settings.speech_command)
        status = self.query_one("#speech-status", PlainStatic)
        status.update(choice.description)
        status.set_class(choice.command is None, "-problem")

    @on(PlainSelect.Changed)
    def save_choice(self, event: PlainSelect.Changed) -> None:
        if event.value is PlainSelect.BLANK:
            return
        name = event.select.id or ""
        self.save(name, event.value)
        if name == "countdown_font":
            self._show_font_preview()

    def _show_font_preview(self) -> None:
        font = self.app.settings.countdown_font
        self.query_one("#font-preview", PlainStatic).update("\n".join(fit_countdown(PREVIEW_TEXT, 60, 10, font)))

    def action_close_unless_typing(self) -> None:
        """`q` goes back, except in the speech command, where it is a letter."""
        if isinstance(self.focused, Input) and self.focused.id == "speech_command":
            raise SkipAction()
        self.action_close()

    def action_close(self) -> None:
        """Keep every good number still in its field, then go back."""
        for field in self.query(".setting-number").results(Input):
            if not self._save_number(field):
                label = NUMBER_FIELDS[field.id or ""][0]
                value = getattr(self.app.settings, field.id or "")
                self.app.notify(f"{label} kept at {value} s: {field.value.strip() or 'nothing'} is not allowed.",
                                severity="warning")
        for field in self.query(".setting-pattern").results(Input):
            if not self._save_pattern(field):
                moment = PATTERN_FIELDS[field.id or ""]
                kept = self.app.settings.pattern(moment).describe()
                self.app.notify(f"{MOMENT_NAMES[moment]} kept at {kept}: {field.value.strip() or 'nothing'} is not allowed.",
                                severity="warning", markup=False)
        self.save("speech_command", self.query_one("#speech_command", Input).value.strip())
        self.dismiss(None)


def _on_off(value: bool) -> str:
    return "on" if value else "off"

