"""Hostile text in every screen: names that look like markup, escape sequences, bidi and zero-width characters.

The data is put where a shared routine file or a merged journal would put it
(the routines file written directly, as an older version or a hand edit
would have left it; the journal by import), then each screen is visited with
keys. What the app would send to the terminal is read from its compositor:
no sequence from the data may be in it, every name must show as written
(`Morning [v2]` keeps `[v2]`), and nothing may be a hyperlink.
"""

from __future__ import annotations

import json
import re

import pytest
from textual import events
from textual.command import CommandList, CommandPalette
from textual.geometry import Region
from textual.widgets import Input, TextArea

from tests import textual_view
from tui.domain.clock import FakeClock
from tui.domain.exercises import Exercise, exercise_to_dict
from tui.domain.routines import Routine, Step, routine_to_dict
from tui.domain.sessions import HoldRecord, Session
from tui.storage.documents import session_to_dict
from tui.storage.files import document, transaction, where_id
from tui.storage.recorder import SessionRecorder
from tui.storage.store import Store
from tui.ui.cues import Cues, notification_sequence
from tui.ui.screens.builder import RoutineBuilder
from tui.ui.screens.exercise_editor import ExerciseEditor
from tui.ui.screens.exercise_picker import ExercisePicker
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.hold import HoldScreen
from tui.ui.screens.journal import JournalScreen
from tui.ui.screens.menu import MenuScreen
from tui.ui.screens.note_dialog import NoteDialog
from tui.ui.screens.pain_checkin import PainCheckIn
from tui.ui.screens.routine_file_dialog import RoutineFileDialog
from tui.ui.screens.session_details import SessionDetails
from tui.ui.screens.session_editor import SessionEditor
from tui.ui.screens.settings import SettingsScreen
from tui.ui.screens.stats import StatsScreen
from tui.ui.user_text import HarmlessText, PlainStatic, drawable, plain, styled

SIZE = (120, 40)

TITLE = "\x1b]0;pwned\x07"
CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"
LINK = "\x1b]8;;https://evil.example\x1b\\click me\x1b]8;;\x1b\\"
CLEAR = "\x9b2J"
HOSTILE = f"Lie down.{TITLE} Hold.{CLIPBOARD}{CLEAR} {LINK} \u202eesrever\u202c and\u200bhidden."
"""A text field as a hostile file would fill it: window title, clipboard write, hyperlink, 8-bit CSI, bidi, zero width."""

NAMES = ["Hip [/x]", "Quick [/] test", "Morning [v2]", "[link='https://x.example']Linked[/link]"]
"""Routine names that Textual would read as markup (the first two crash it, the others lose text or link)."""
LOOKALIKE = "Back spasm relief\u200b"
"""Stored before names refused invisible characters: it must not pass for the built-in routine."""
EXERCISE = "Knee [/x] hug"


def terminal_output(app) -> str:
    """What the app would write to the terminal to draw everything on screen now, escape sequences and all."""
    return textual_view.terminal_output(app)


def widget_text(widget) -> str:
    """The lines one widget draws, as text."""
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, *widget.size)))


async def toasts(pilot) -> str:
    """The text of every toast on the screen (title and message), lines joined."""
    await pilot.pause(0.1)
    return " ".join(" ".join(str(toast.render()).split()) for toast in pilot.app.screen.query(textual_view.Toast))


TEXTUAL_SEQUENCE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
"""Cursor moves and colours: what Textual itself writes to draw."""


def assert_harmless(app) -> str:
    """Assert nothing from the data acts on the terminal; the screen's text (without Textual's own sequences)."""
    output = terminal_output(app)
    text = TEXTUAL_SEQUENCE.sub("", output)
    assert "\x1b" not in text, repr(text[max(0, text.find("\x1b") - 40):text.find("\x1b") + 40])
    acting = {c for c in text if (ord(c) < 0x20 and c not in "\n\r") or 0x7F <= ord(c) <= 0x9F}
    assert not acting, acting
    assert not set(text) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200e\u200f")
    assert "\x1b]8;" not in output  # no hyperlink at all
    return text


@pytest.fixture
def hostile(store: Store, clock: FakeClock) -> Store:
    """A data dir holding hostile names and texts: custom routines and an exercise, an imported journal."""
    knee = Exercise(id="knee-hug-x", name=EXERCISE, instructions=HOSTILE, hold_range=(1, 30), default_hold=2)
    routines = [Routine(id=f"r{i}", name=name, description=HOSTILE,
                        steps=(Step("knee-hug-x", 2), Step("pelvic-tilt", 1)))
                for i, name in enumerate([*NAMES, LOOKALIKE])]
    with transaction(store.data_dir.routines) as db:
        db.table("exercises").upsert(exercise_to_dict(knee), where_id(knee.id))
        for routine in routines:
            db.table("routines").upsert(routine_to_dict(routine), where_id(routine.id))
    store.settings.change(get_ready_seconds=1, switch_seconds=1)
    started = clock.now()
    session = Session(
        id="evil", routine_id="r0", routine_name=f"Evil {TITLE}[/x] {CLEAR}\u202e", started_at=started,
        ended_at=started, status="completed", holds_planned=1, pain_before=5, pain_after=3, note=HOSTILE,
        holds=(HoldRecord(f"ghost{TITLE}", None, 1, 2, 2.0, True),),
    )
    path = store.data_dir.root.parent / "journal.json"
    path.write_text(json.dumps([session_to_dict(session)]), encoding="utf-8")
    from tui.cli import main

    assert main(["--data-dir", str(store.data_dir.root), "journal", "import", str(path)]) == 0
    return store


async def highlight(pilot, name: str) -> MenuScreen:
    menu = pilot.app.screen
    assert isinstance(menu, MenuScreen)
    names = [r.name for r in menu.routines]
    menu.query_one("#routine-list").highlighted = names.index(name)
    await pilot.pause()
    return menu


# -- the boundary itself -----------------------------------------------------------------------------


def test_the_line_filter_drops_what_slipped_past_and_keeps_widths():
    from rich.segment import Segment
    from rich.style import Style

    segments = [Segment("ok "), Segment(f"a{TITLE}b\u202e\u00ad", Style(link="https://x"))]
    cleaned = HarmlessText().apply(segments, background=None)
    assert [s.text for s in cleaned] == ["ok ", "a]0;pwnedb\ufffd"]  # the soft hyphen took a cell: still one
    assert cleaned[0].text == "ok " and not cleaned[0].style  # no style becomes the empty one (NO_COLOR's filter needs one)
    assert all(s.style is None or s.style.link is None for s in cleaned)
    untouched = [Segment("plain 👨\u200d👩\u200d👧", Style(bold=True))]
    assert HarmlessText().apply(untouched, background=None) is untouched  # nothing to change: the same line
    assert drawable("x\x9by") == "xy"


def test_user_text_is_plain_and_templates_fill_plain_values():
    assert plain("Morning [v2]").plain == "Morning [v2]"
    assert plain(TITLE).plain == "␛]0;pwned␇"
    content = styled("Delete [b]$name[/]?", name="[link='https://x']Hip [/x]")
    assert content.plain == "Delete [link='https://x']Hip [/x]?"
    assert all("link" not in str(span.style) for span in content.spans)


# -- the menu, the hold screen, the done screen ----------------------------------------------------


async def test_the_menu_previews_every_hostile_routine_as_written(make_test_app, hostile):
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for _ in range(200):  # start-up's read of the recent weeks is over (it may put the cursor on the last routine)
            await pilot.pause(0.05)
            if app._trends_started:
                break
        for name in [*NAMES, LOOKALIKE]:
            menu = await highlight(pilot, name)
            shown = assert_harmless(app)
            preview = widget_text(menu.query_one("#preview-body", PlainStatic))
            if name != LOOKALIKE:
                assert name in preview and name in shown
            assert "␛]0;pwned␇" in preview  # the sequence is shown for what it is
            assert EXERCISE in preview
        assert "Back spasm relief\ufffd" in shown  # the look-alike gives itself away


async def test_a_session_of_a_hostile_routine_runs_through_the_done_screen_to_the_journal(make_test_app, hostile, clock):
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await highlight(pilot, "Hip [/x]")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PainCheckIn)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HoldScreen)
        seen_instructions = False
        while not screen.recorder.engine.finished:
            text = assert_harmless(app)
            seen_instructions |= "Lie down.␛]0;pwned␇ Hold." in text
            clock.advance(0.5)
            screen.tick()
            await pilot.pause()
        assert seen_instructions
        # The done look is behind the after check-in: it names the routine as written.
        assert str(screen.query_one("#exercise-line", PlainStatic).render()).startswith("Hip [/x]: 2 of 2 holds")
        assert "Hip [/x]: 2 of 2 holds" in assert_harmless(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        assert_harmless(app)
        assert "Saved: Hip [/x], 2 of 2 holds, completed." in await toasts(pilot)
    assert [s.routine_name for s in hostile.journal.list() if s.id != "evil"] == ["Hip [/x]"]


async def test_a_hostile_name_in_an_interrupted_session_shows_on_the_resume_banner_at_every_start(make_test_app, hostile,
                                                                                                 clock):
    # A routine name cannot hold an escape (validation refuses it, and a session file whose routine
    # does is reported as damaged: tests/functional/test_damaged_active_session.py); markup and a
    # bidi override are what an older file may still carry.
    evil = Routine(id="r0", name="Hip [/x] \u202eevil", steps=(Step("pelvic-tilt", 1),) * 3)
    recorder = SessionRecorder.begin(hostile, clock, evil, hostile.settings.load().timings(), None)
    recorder.start()
    recorder.interrupt()
    for _ in range(2):  # the banner is there at every start until the session is closed
        app = make_test_app()
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            banner = str(app.screen.query_one("#resume-banner", PlainStatic).render())
            assert "An interrupted session of Hip [/x] \ufffdevil" in banner
            assert_harmless(app)
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert_harmless(app)
        assert "Closed: Hip [/x] \ufffdevil is in your journal" in await toasts(pilot)


async def test_the_command_palette_lists_hostile_names_as_written(make_test_app, hostile):
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+p")
        for query in ("", "Start"):  # what it offers at once, then what matches the query
            await pilot.press(*query)
            for _ in range(40):
                await pilot.pause(0.05)
                prompts = [str(option.prompt) for option in app.screen.query_one(CommandList).options]
                if any("Morning" in prompt for prompt in prompts):
                    break
            assert isinstance(app.screen, CommandPalette)
            for name in NAMES:
                assert any(f"Start {name}" in prompt for prompt in prompts), (name, prompts)
            assert_harmless(app)


# -- the journal, its details, stats and editor -------------------------------------------------------


async def open_journal(pilot) -> JournalScreen:
    await pilot.press("J")
    for _ in range(50):
        await pilot.pause(0.05)
        screen = pilot.app.screen
        if isinstance(screen, JournalScreen) and not screen.reading and screen.shown:
            return screen
    raise AssertionError("the journal did not load")


async def test_the_journal_details_and_stats_show_imported_hostile_text_harmlessly(make_test_app, hostile):
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        journal = await open_journal(pilot)
        assert "Evil ␛]0;pwned␇[/x]" in assert_harmless(app)
        journal.query_one("#journal-table").move_cursor(row=0)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionDetails)
        shown = assert_harmless(app)
        assert "Note: Lie down.␛]0;pwned␇ Hold." in shown
        assert "ghost␛]0;pwned␇" in shown  # a hold of an exercise the data dir does not know
        await pilot.press("escape")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert "Evil ␛]0;pwned␇[/x]" in assert_harmless(app)
    stored = hostile.get_session("evil")
    assert stored.note == HOSTILE  # kept as data, exactly


async def test_the_journal_filter_and_add_dialogs_list_hostile_routine_names_as_written(make_test_app, hostile):
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_journal(pilot)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("enter")  # open the routine list
        await pilot.pause()
        assert "Evil ␛]0;pwned␇[/x]" in assert_harmless(app)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, SessionEditor)
        await pilot.press("enter")  # the routine list: every routine by name
        await pilot.pause()
        shown = assert_harmless(app)
        for name in NAMES:
            assert name in shown


async def test_the_journal_editor_takes_markup_in_pain_and_keeps_an_imported_note(make_test_app, hostile):
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_journal(pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, SessionEditor)
        editor.query_one("#pain-before", Input).value = ""
        await pilot.press(*"[/x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not '[/x'" in str(editor.query_one("#pain-before-error", PlainStatic).render())
        assert isinstance(app.screen, SessionEditor)
        assert "Lie down.␛]0;pwned␇" in assert_harmless(app)  # the note's sequences are shown, to be taken out
        editor.query_one("#pain-before", Input).value = "4"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, JournalScreen)
    stored = hostile.get_session("evil")
    assert (stored.pain_before, stored.note) == (4, HOSTILE)  # the untouched note is kept exactly


async def test_a_pasted_control_character_in_a_note_is_refused_by_its_field(make_test_app, hostile):
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_journal(pilot)
        await pilot.press("e")
        await pilot.pause()
        editor = app.screen
        editor.query_one("#note").load_text(f"new note {TITLE}")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SessionEditor)
        assert "The note contains a control character (U+001B)" in str(
            editor.query_one("#note-error", PlainStatic).render())
        assert_harmless(app)
    assert hostile.get_session("evil").note == HOSTILE


# -- the builder, the picker, import -----------------------------------------------------------------


async def test_the_exercise_editor_shows_stored_hostile_instructions_so_they_can_be_taken_out(make_test_app, hostile):
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab", "tab", "a")
        await pilot.pause()
        await pilot.press(*"[/x]", "tab", "e")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ExerciseEditor)
        shown = assert_harmless(app)
        assert EXERCISE in shown and "Lie down.␛]0;pwned␇" in shown
        assert editor.query_one("#exercise-instructions", TextArea).text.startswith("Lie down.␛]0;pwned␇")


def test_a_desktop_notification_carries_no_sequence_from_a_name():
    sequence = notification_sequence("Hold", f"Knee [/x] hug{TITLE}{CLEAR}\u202e; now", in_tmux=False)
    body = sequence.replace("\x1b]9;", "").replace("\x1b]777;notify;", "").replace("\x1b\\", "")
    assert "\x1b" not in body and "\x07" not in body and "\x9b" not in body and "\u202e" not in body
    assert "Knee [/x] hug␛]0,pwned␇" in body  # ';' would end an OSC 777 field


async def test_the_builder_edits_a_hostile_routine_and_refuses_a_hidden_character_in_a_name(make_test_app, hostile):
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await highlight(pilot, "Hip [/x]")
        await pilot.press("e")
        await pilot.pause()
        builder = app.screen
        assert isinstance(builder, RoutineBuilder)
        shown = assert_harmless(app)
        assert EXERCISE in shown and "Editing Hip [/x]" in shown
        name = builder.query_one("#routine-name", Input)
        name.focus()
        await pilot.press("ctrl+u", "ctrl+k", *"[/x")
        await pilot.pause()
        assert_harmless(app)
        await pilot.press("ctrl+u", "ctrl+k")
        name.post_message(events.Paste("Back spasm\u200b relief"))
        await pilot.pause()
        message = str(builder.query_one("#name-message", PlainStatic).render())
        assert "contains an invisible character (U+200B ZERO WIDTH SPACE)" in message
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert_harmless(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert not any("\u200b" in r.name for r in hostile.routines.list() if r.id != "r4")


async def test_the_exercise_picker_shows_hostile_instructions_harmlessly(make_test_app, hostile):
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("tab", "tab", "a")
        await pilot.pause()
        assert isinstance(app.screen, ExercisePicker)
        await pilot.press(*"knee [/x]")
        await pilot.pause()
        shown = assert_harmless(app)
        assert EXERCISE in shown and "Lie down.␛]0;pwned␇" in shown


async def test_import_with_i_takes_a_name_that_looks_like_markup_and_refuses_escapes(make_test_app, hostile, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"format": "backrelief-routine", "version": 1, "name": "Shared [/] stretch",
                                "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 5}]}), encoding="utf-8")
    (tmp_path / "[" / "old]").mkdir(parents=True)
    bad = tmp_path / "[" / "old]" / "bad.json"
    bad.write_text(json.dumps({"format": "backrelief-routine", "version": 1, "name": "Fine",
                               "description": f"hi {TITLE}",
                               "steps": [{"exercise": "pelvic-tilt", "hold_seconds": 5}]}), encoding="utf-8")
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RoutineFileDialog)
        dialog.query_one(Input).value = str(bad)
        await pilot.press("enter")
        await pilot.pause()
        said = str(dialog.query_one("#routine-path-message", PlainStatic).render())
        assert "[/old]/bad.json: description: contains a control character (U+001B)" in said
        assert_harmless(app)
        dialog.query_one(Input).value = str(good)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        assert app.screen.selected.name == "Shared [/] stretch"
        assert_harmless(app)
        assert "Imported 'Shared [/] stretch' (1 steps)." in await toasts(pilot)
    assert "Fine" not in [r.name for r in hostile.routines.list()]


# -- settings, warnings, help ---------------------------------------------------------------------


async def test_a_stored_setting_that_looks_like_markup_is_reported_plainly(make_test_app, store):
    with transaction(store.data_dir.settings) as db:
        current = db.table("settings").get(doc_id=1)
        db.table("settings").upsert(document({**current, "get_ready_seconds": "[/x]"}, doc_id=1))
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert_harmless(app)
        assert "[/x]" in await toasts(pilot)


async def test_a_data_dir_whose_path_looks_like_markup_is_named_as_it_is(tmp_path):
    from tui.ui.app import make_app

    root = tmp_path / "backup [/old] [link='https://x.example']"
    store = Store.open(root)
    store.settings.change(safety_acknowledged=True)
    store.data_dir.settings.write_bytes(b"\x00 not a settings file")
    warnings = store.check(journal=False)
    assert warnings and str(root) in warnings[0]
    cues = Cues(write=lambda text: None, bell=False, in_tmux=False)
    app = make_app(store, clock=FakeClock(), cues=cues, warnings=warnings)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert_harmless(app)
        assert f"{root}" in await toasts(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        about = app.screen.query(PlainStatic).last()
        app.screen.scroll_to_widget(about, animate=False)
        await pilot.pause()
        assert "[/old]" in assert_harmless(app)
        assert f"Everything is kept in {root} (readable only by you)" in str(about.render())


async def test_toasts_are_plain_whatever_a_screen_asks(make_test_app, store):
    app = make_test_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.screen.notify(f"Deleted [link='https://x.example']Hip[/link] [/x] {TITLE}", title=f"T{CLEAR}")
        app.notify("[b]not bold[/]", markup=True)
        await pilot.pause()
        assert_harmless(app)
        shown = await toasts(pilot)
        assert "T\ufffd2J Deleted [link='https://x.example']Hip[/link] [/x] ␛]0;pwned␇" in shown
        assert "[b]not bold[/]" in shown

