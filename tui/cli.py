"""The `backrelief` command line.

Every command opens the data dir through `Store`; the Textual app is imported
only by the commands that show it, so the others start fast. Errors are one
line on stderr with exit 1; usage errors exit 2.

Names, notes and paths printed come from files, the journal or the command
line: every line goes out through `_print`, `_say`, `_warn` or `_fail`, which
make it harmless (`safe_text`), and JSON through `json_text`.
"""

from __future__ import annotations

import gc
import os
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Callable, Sequence, cast

from tui import __version__
from tui.domain.bounds import check_day
from tui.domain.clock import SystemClock
from tui.domain.plan import Timings, expand, format_duration, routine_seconds
from tui.domain.problems import ValidationError
from tui.domain.routines import MAX_FILE_BYTES
from tui.domain.schedule import (
    DAYS_HELP,
    DEFAULT_DAYS,
    DEFAULT_HOURS,
    HOURS_HELP,
    PER_DAY_LIMITS,
    days_text,
    format_days,
    hours_text,
    make_plan,
)
from tui.domain.whole_numbers import parse_whole
from tui.domain.text import cell_width, json_text, pad_cells, safe_text
from tui.paths import ALLOW_SHARED_DIR_ENV, default_data_dir, shared_dir_allowed
from tui.storage.errors import StorageError
from tui.storage.routines import RoutineNotFound, export_json
from tui.storage.store import Store

if TYPE_CHECKING:
    import argparse

    from _typeshed import SupportsWrite


class CommandError(Exception):
    """A problem to report as one line on stderr, exit 1."""


Handler = Callable[["argparse.Namespace", Path], int]
"""What runs one command: its parsed arguments and the data dir in, the exit status out."""


COMMANDS = ("start", "routines", "journal", "report", "log", "plan", "status", "remind", "serve")
"""The commands, in the order help lists them."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser for every command, or with `only` for that one command alone.

    A command's parser alone parses that command exactly as the whole one does, and it is
    several times quicker to build: the scripts and tests that run `backrelief` by the
    hundred pay for the parsers of every other command otherwise (see `command_named`)."""
    import argparse  # not needed to just open the app (see `plain_launch`)

    class Parser(argparse.ArgumentParser):
        """Usage errors quote what was typed: printed harmless like every other message."""

        def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
            super()._print_message(safe_text(message), file)

    data_dir = Parser(add_help=False)
    data_dir.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                          help="where your routines and journal live (default: $BACKRELIEF_DATA_DIR or the platform's user data dir)")
    data_dir.add_argument("--allow-shared-dir", action="store_true", default=argparse.SUPPRESS,
                          help="save in a data dir other users can write in (group or world writable); "
                               "without it backrelief only reads there, with a warning "
                               f"(also: {ALLOW_SHARED_DIR_ENV}=1)")
    parser = Parser(
        prog="backrelief", parents=[data_dir],
        description="Guided stretches for a lower back in spasm, with a private pain journal.",
    )
    parser.add_argument("--version", action="version", version=f"backrelief {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(group: Any, handler: Handler | None, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        """A command's parser, with the data-dir options and `handler`, what runs it (None: it only groups others)."""
        parser = group.add_parser(name, parents=[data_dir], **kwargs)
        if handler is not None:
            parser.set_defaults(handler=handler)
        return parser

    def add_start() -> None:
        start = command(commands, _run_app, "start", help="go straight into a session")
        start.add_argument("routine", metavar="ROUTINE", help=_ROUTINE_HELP)
        start.add_argument("--plain", action="store_true",
                           help="plain mode: one line per event, no drawing, for screen readers and slow links "
                                "(also the plain_mode setting, or TERM=dumb)")

    def add_routines() -> None:
        routines = command(commands, None, "routines", help="list, show, export, import, delete routines")
        routine_commands = routines.add_subparsers(dest="action", metavar="ACTION", required=True)
        listing = command(routine_commands, _routines_list, "list", help="every routine")
        listing.add_argument("--json", action="store_true", help="print JSON")
        show = command(routine_commands, _routines_show, "show", help="one routine's steps")
        show.add_argument("routine", metavar="ROUTINE", help=_ROUTINE_HELP)
        show.add_argument("--json", action="store_true", help="print JSON")
        export = command(routine_commands, _routines_export, "export", help="write a routine file")
        export.add_argument("routine", metavar="ROUTINE", help=_ROUTINE_HELP)
        export.add_argument("-o", "--output", type=Path, metavar="FILE", help=_OUTPUT_HELP)
        imported = command(routine_commands, _routines_import, "import", help="check and store a routine file")
        imported.add_argument("file", type=Path, metavar="FILE", help="the routine file (JSON, as 'routines export' writes), or - for stdin")
        imported.add_argument("--as-copy", action="store_true",
                              help="when a routine of that name is there already, store this one as 'NAME (copy)'")
        delete = command(routine_commands, _routines_delete, "delete", help="delete a custom routine")
        delete.add_argument("routine", metavar="ROUTINE", help=_ROUTINE_HELP)

    def add_journal() -> None:
        from tui.storage.documents import EXPORT_FORMATS  # the journal's documents: only its commands need them

        journal = command(commands, None, "journal", help="your sessions")
        journal_commands = journal.add_subparsers(dest="action", metavar="ACTION", required=True)
        jlist = command(journal_commands, _journal_list, "list", help="sessions, newest first")
        jlist.add_argument("--json", action="store_true", help="print JSON")
        jlist.add_argument("--since", metavar="YYYY-MM-DD", help="only sessions on or after this day")
        jlist.add_argument("--limit", metavar="N", help="at most N sessions")
        jexport = command(journal_commands, _journal_export, "export", help="every session as CSV or JSON")
        jexport.add_argument("--format", choices=EXPORT_FORMATS,
                             help="default: from FILE's extension (.csv or .json), else json")
        jexport.add_argument("-o", "--output", type=Path, metavar="FILE", help=_OUTPUT_HELP)
        jimport = command(journal_commands, _journal_import, "import", help="merge a JSON export (sessions already present are skipped)")
        jimport.add_argument("file", type=Path, metavar="FILE", help="a JSON export ('journal export'), or - for stdin")

    def add_report() -> None:
        report = command(
            commands, _report, "report", help="a report to take to a clinician: one HTML page to print, or Markdown",
            description="A report of the journal to take to a doctor or physiotherapist: pain before and after, sessions "
                        "per week against the plan, discomfort per exercise, problems reported, warning-sign answers, "
                        "notes and the routine as planned. One self-contained HTML file (nothing from the network; "
                        "prints on A4 and Letter) or Markdown. It names no one.")
        report.add_argument("--since", metavar="YYYY-MM-DD", help="first day (default: 90 days before the last)")
        report.add_argument("--until", metavar="YYYY-MM-DD", help="last day (default: today)")
        report.add_argument("--format", choices=("html", "md"), default="html", help="html (default) or md")
        report.add_argument("-o", "--output", type=Path, metavar="FILE", help=_OUTPUT_HELP)

    def add_log() -> None:
        log = command(commands, _log, "log", help="record a session done away from the app")
        log.add_argument("routine", metavar="ROUTINE", help=_ROUTINE_HELP)
        log.add_argument("--pain-before", metavar="N", help="pain before, 0-10")
        log.add_argument("--pain-after", metavar="N", help="pain after, 0-10")
        log.add_argument("--note", default="", metavar="TEXT")
        log.add_argument("--at", metavar="ISO-8601", help="when it started (default: long enough ago that it ends now)")

    def add_plan() -> None:
        plan = command(commands, None, "plan", help="how often to do a routine: set, show, clear")
        plan_commands = plan.add_subparsers(dest="action", metavar="ACTION", required=True)
        plan_set = command(
            plan_commands, _plan_set, "set", help="plan a routine: how many times a day, on which days, within which hours",
            description="Plan a routine: its sessions are spread evenly over the hours (2 a day from 08 to 18: "
                        "one from 08:00, the next from 13:00). Example: backrelief plan set back-spasm-relief "
                        "--per-day 2 --days mon-fri --hours 08-18")
        plan_set.add_argument("routine", metavar="ROUTINE", help=_ROUTINE_HELP)
        plan_set.add_argument("--per-day", required=True, metavar="N",
                              help=f"sessions a day, {PER_DAY_LIMITS[0]}-{PER_DAY_LIMITS[1]}")
        plan_set.add_argument("--days", default=DEFAULT_DAYS, metavar="DAYS",
                              help=f"which days: {DAYS_HELP} (default: {DEFAULT_DAYS})")
        plan_set.add_argument("--hours", default=DEFAULT_HOURS, metavar="HOURS",
                              help=f"within which hours: {HOURS_HELP} (default: {DEFAULT_HOURS})")
        plan_show = command(plan_commands, _plan_show, "show", help="every plan, and where it stands today")
        plan_show.add_argument("--json", action="store_true", help="print JSON")
        plan_clear = command(plan_commands, _plan_clear, "clear", help="stop planning a routine")
        plan_clear.add_argument("routine", metavar="ROUTINE", help=_ROUTINE_HELP)

    def add_status() -> None:
        from tui.status import FORMAT_HELP

        status = command(
            commands, _status, "status", help="one line for a tmux status bar or a prompt; empty when nothing is due",
            description="One short line when a planned session is due (Back spasm relief due · 1/2 today · "
                        "5-day streak), nothing otherwise: for tmux (set -g status-right '#(backrelief status)') "
                        "or a shell prompt. Cheap enough to run every few seconds.")
        status.add_argument("--json", action="store_true", help="print JSON for scripts (always, due or not)")
        status.add_argument("--format", metavar="FMT", help=FORMAT_HELP)

    def add_remind() -> None:
        command(
            commands, _remind, "remind", help="a desktop or terminal notification when a planned session is due",
            description="Tell the user when a planned session is due: notify-send on a desktop, else a terminal "
                        "notification (OSC 9) when run in a terminal, else a line on stdout (cron mails it). "
                        "Each slot is told once; nothing happens when nothing is due or a session is running. "
                        "Run it from a timer: see the README.")

    def add_serve() -> None:
        serve = command(
            commands, _serve, "serve", help="the same app in a browser (textual-serve), behind a secret token",
            description="Serve the app to a browser. The address printed at start holds a secret token, new at each "
                        "start: only whoever has it can open the app.")
        serve.add_argument("--host", default="127.0.0.1",
                           help="address to listen on (default: 127.0.0.1, this computer only; anything else warns)")
        serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
        serve.add_argument("--password", action="store_true",
                           help="also let a password open the page at the bare address: asked on the terminal, "
                                "or taken from $BACKRELIEF_SERVE_PASSWORD (never given on the command line)")

    adders = {"start": add_start, "routines": add_routines, "journal": add_journal, "report": add_report,
              "log": add_log, "plan": add_plan, "status": add_status, "remind": add_remind, "serve": add_serve}
    for name in COMMANDS if only is None else (only,):
        adders[name]()
    return parser


def plain_launch(argv: Sequence[str]) -> tuple[bool, Path | None]:
    """Whether `argv` only opens the app (nothing, or `--data-dir DIR`), and the DIR given.

    The most common command needs no parser: building the full one costs more
    than anything else before the menu shows. Anything else, even a valid
    spelling this does not know, goes through the parser.
    """
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--data-dir" and argv[1] and not argv[1].startswith("-"):
        return True, Path(argv[1])
    if len(argv) == 1 and argv[0].startswith("--data-dir=") and argv[0] != "--data-dir=":
        return True, Path(argv[0].removeprefix("--data-dir="))
    return False, None


def command_named(argv: Sequence[str]) -> str | None:
    """The command `argv` runs, when only the data-dir options come before it; else None (the whole parser
    then reads it: `--help`, `--version`, a misspelt command or option, an abbreviated option)."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--allow-shared-dir" or (word.startswith("--data-dir=") and word != "--data-dir="):
            index += 1
        elif word == "--data-dir" and index + 1 < len(argv) and not argv[index + 1].startswith("-"):
            index += 2
        else:
            return word if word in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    plain, data_dir = plain_launch(argv)
    # No argparse for the plain app (start-up stays quick): a namespace with what `_run_app` reads.
    args = cast("argparse.Namespace", SimpleNamespace(command=None)) if plain else build_parser(command_named(argv)).parse_args(argv)
    data_dir = data_dir or getattr(args, "data_dir", None) or default_data_dir()
    handler: Handler = getattr(args, "handler", _run_app)  # each command's parser sets its own
    if handler is not _run_app:
        gc.enable()  # the launcher's start-up pause of the cycle collector ends here (the app ends it itself)
    allow_before = os.environ.get(ALLOW_SHARED_DIR_ENV)
    if getattr(args, "allow_shared_dir", False):
        # Through the environment, so the app processes `serve` starts for each tab are allowed too.
        os.environ[ALLOW_SHARED_DIR_ENV] = "1"
    try:
        return handler(args, data_dir) or 0
    except (CommandError, ValidationError, StorageError) as error:
        _fail(error)
        return 1
    except OSError as error:
        name = f" {error.filename}" if error.filename else ""
        _fail(f"cannot use{name}: {error.strerror or error}")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if allow_before is None:
            os.environ.pop(ALLOW_SHARED_DIR_ENV, None)
        else:
            os.environ[ALLOW_SHARED_DIR_ENV] = allow_before


def _fail(error: object) -> None:
    message = str(error.args[0] if isinstance(error, LookupError) and error.args else error)
    _say(f"backrelief: error: {message}")


def _warn(messages: list[str]) -> None:
    """Report problems that did not stop the command (a data file moved aside), one line each."""
    for message in messages:
        _say(f"backrelief: warning: {message}")


def _say(message: str) -> None:
    """One line on stderr, made harmless: messages quote names, paths and what was typed."""
    print(" ".join(safe_text(message, multiline=False).split()), file=sys.stderr)


def _store(data_dir: Path, write: bool = False, tighten_journal: bool = True) -> Store:
    """The data dir opened; a command that saves (`write`) refuses a dir it must not save in, in one line.

    Every file of ours found looser than 0600 is made 0600, the journal's too
    unless not `tighten_journal` (the app does those in its journal check, after
    the menu shows: there are three a month).
    """
    store = Store.open(data_dir)
    if tighten_journal:
        store.data_dir.tighten_journal()
    allowed = shared_dir_allowed()
    if write:
        problem = store.data_dir.write_problem(allowed)
        if problem:
            raise CommandError(problem)
    else:
        warning = store.data_dir.warning(allowed)
        _warn([warning] if warning else [])
    return store


def _timings(store: Store) -> Timings:
    """The timings of the user's settings, warning about stored values that could not be used."""
    timings = store.settings.load().timings()
    _warn(store.take_problems())
    return timings


def _print(text: str) -> None:
    """Text for stdout, made harmless (JSON from `json_text` already is, and comes out as it is)."""
    text = safe_text(text)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


_ROUTINE_HELP = "a routine's id or name (any case, when only one routine matches)"

_OUTPUT_HELP = ("write to FILE instead of stdout ('-' is stdout); a file is replaced whole, "
                "a FIFO or device is written into")


def _write_output(text: str, output: Path | None) -> None:
    if output is None or str(output) == "-":
        if sys.stdout.isatty():
            # A CSV keeps a note's characters as they are for a spreadsheet; a terminal shows them harmless.
            text = safe_text(text)
        sys.stdout.write(text)
    else:
        from tui.storage.output import write_export  # the modules of one command load with it

        sys.stdout.flush()  # -o /dev/stdout writes to the same file, after anything already printed
        write_export(output, text)


def _read_input(path: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of FILE, or of stdin for `-`."""
    if str(path) == "-":
        return sys.stdin.buffer.read(limit + 1)
    from tui.storage.routine_files import read_named_file

    return read_named_file(path, limit)


# -- the app -----------------------------------------------------------------


def _run_app(args: argparse.Namespace, data_dir: Path) -> int:
    # The app saves as it goes: a dir it must not save in stops here. The menu does not wait on the journal.
    store = _store(data_dir, write=True, tighten_journal=False)
    # Unreadable files are moved aside now and the app says so; it checks the journal itself later.
    warnings = store.check(journal=False)
    # The menu lists the routines first thing: a routines file it cannot use stops here, in one line.
    store.routines.list()
    routine = None
    if args.command == "start":
        routine = store.routines.get(args.routine)
        if _plain_mode(args, store):
            from tui.plain.session import run_plain  # no Textual in plain mode

            store.data_dir.tighten_journal()  # plain mode has no journal check of its own
            settings = store.settings.load()
            _warn([str(warning) for warning in warnings] + store.take_problems())
            return run_plain(store, SystemClock(), routine, settings)
    from tui.ui.app import SWITCH_INTERVAL, make_app

    sys.setswitchinterval(SWITCH_INTERVAL)  # the terminal's writes get their turn while the app is busy
    app = make_app(store, clock=SystemClock(), start_routine=routine, warnings=warnings)
    app.run()
    return app.return_code or 0


def _plain_mode(args: argparse.Namespace, store: Store) -> bool:
    """Whether `start` runs in plain mode: asked for, the setting, or a terminal that cannot draw (TERM=dumb)."""
    if getattr(args, "plain", False) or os.environ.get("TERM") == "dumb":
        return True
    return store.settings.load().plain_mode


def _serve(args: argparse.Namespace, data_dir: Path) -> int:
    """The app in a browser (see `tui.serve`): one app process per tab, all on the same data dir."""
    from tui import serve

    _store(data_dir, write=True)  # create and check the data dir before any browser connects
    try:
        serve.serve(data_dir, args.host, args.port, ask_password=args.password)
    except serve.ServeError as error:
        raise CommandError(str(error)) from None
    return 0


def _port(text: str) -> int:
    """A TCP port number from the command line."""
    try:
        return parse_whole(text, (1, 65535))
    except ValueError as error:
        import argparse

        raise argparse.ArgumentTypeError(str(error)) from None


# -- routines ----------------------------------------------------------------


def _routines_list(args: argparse.Namespace, data_dir: Path) -> int:
    store = _store(data_dir)
    exercises = store.routines.exercises()
    timings = _timings(store)
    rows: list[dict[str, Any]] = []
    for routine in store.routines.list():
        rows.append({
            "id": routine.id,
            "name": routine.name,
            "builtin": routine.builtin,
            "steps": len(routine.steps),
            "total_seconds": routine_seconds(routine, exercises, timings),
        })
    if args.json:
        _print(json_text(rows))
        return 0
    _print(_table(["ID", "NAME", "STEPS", "TIME", "KIND"],
                  [[r["id"], r["name"], str(r["steps"]), format_duration(r["total_seconds"]),
                    "built-in" if r["builtin"] else "custom"] for r in rows]))
    return 0


def _routines_show(args: argparse.Namespace, data_dir: Path) -> int:
    store = _store(data_dir)
    routine = store.routines.get(args.routine)
    exercises = store.routines.exercises()
    timings = _timings(store)
    total = routine_seconds(routine, exercises, timings)
    if args.json:
        document = {
            "id": routine.id, "name": routine.name, "description": routine.description,
            "builtin": routine.builtin, "total_seconds": total,
            "holds": len(expand(routine, exercises)),
            "steps": [{"exercise": s.exercise, "name": exercises[s.exercise].name, "hold_seconds": s.hold_seconds,
                       "reps": s.reps, "rest_seconds": s.rest_seconds, "sides": s.sides, "order": s.order}
                      for s in routine.steps],
        }
        _print(json_text(document))
        return 0
    name = safe_text(routine.name, multiline=False)
    lines = [f"{name}  ({routine.id}, {'built-in' if routine.builtin else 'custom'}, {format_duration(total)})"]
    if routine.description:
        lines.append(safe_text(routine.description))
    lines.append("")
    lines.append(_table(["#", "EXERCISE", "HOLD", "REPS", "REST", "SIDES"], [
        [str(i), exercises[s.exercise].name, f"{s.hold_seconds} s", str(s.reps), f"{s.rest_seconds} s",
         "both, one side first" if s.sides == "both" and s.order == "one-side-first" else s.sides]
        for i, s in enumerate(routine.steps, 1)
    ]))
    _print("\n".join(lines))
    return 0


def _routines_export(args: argparse.Namespace, data_dir: Path) -> int:
    store = _store(data_dir)
    if args.output is None or str(args.output) == "-":
        _write_output(export_json(store.routines.export_file(args.routine)), None)
    else:
        from tui.storage.routine_files import export_routine_file

        sys.stdout.flush()  # -o /dev/stdout writes to the same file, after anything already printed
        export_routine_file(store.routines, args.routine, args.output)
    return 0


def _routines_import(args: argparse.Namespace, data_dir: Path) -> int:
    from tui.storage.routine_files import RoutineFileClash, import_routine_file

    raw = _read_input(args.file, MAX_FILE_BYTES)
    store = _store(data_dir, write=True)
    try:
        routine = import_routine_file(store.routines, args.file, as_copy=args.as_copy, raw=raw)
    except RoutineFileClash as taken:
        raise CommandError(f"{taken}; to {taken.again}, add --as-copy") from None
    _print(routine.id)
    return 0


def _routines_delete(args: argparse.Namespace, data_dir: Path) -> int:
    store = _store(data_dir, write=True)
    routine = store.routines.delete(args.routine)
    _say(f"deleted {routine.name!r} ({routine.id})")
    return 0


# -- journal -----------------------------------------------------------------


def _journal_list(args: argparse.Namespace, data_dir: Path) -> int:
    from tui.storage.documents import session_to_dict

    since = None
    if args.since is not None:
        try:
            since = date.fromisoformat(args.since)
        except ValueError:
            raise CommandError(f"--since must be a date like 2026-01-31, not {args.since!r}") from None
        check_day(since, "--since")
    limit = None
    if args.limit is not None:
        try:
            limit = parse_whole(args.limit, (1, None))  # a limit past the journal's size means no limit
        except ValueError as error:
            raise CommandError(f"--limit {error}") from None
    store = _store(data_dir)
    sessions = store.sessions(since=since, limit=limit)
    problems = store.take_problems()
    _warn(problems)
    if args.json:
        _print(json_text([session_to_dict(s) for s in sessions]))
        return 0
    if not sessions:
        if not problems:
            _say("no sessions yet")
        return 0
    _print(_table(["WHEN", "ROUTINE", "STATUS", "HOLDS", "HELD", "PAIN", "NOTE"], [
        [s.started_at.astimezone().strftime("%Y-%m-%d %H:%M"), s.routine_name, s.status,
         f"{s.holds_done}/{s.holds_planned}", format_duration(s.seconds_held),
         f"{_pain(s.pain_before)} -> {_pain(s.pain_after)}", " ".join(s.note.split())[:40]]
        for s in sessions
    ]))
    return 0


def _pain(value: int | None) -> str:
    return "-" if value is None else str(value)


def _journal_export(args: argparse.Namespace, data_dir: Path) -> int:
    from tui.storage.documents import export_format, journal_export_text

    store = _store(data_dir)
    sessions = store.sessions()
    _warn(store.take_problems())
    # The format asked for, or the one FILE's extension names (`-o sessions.csv`), or JSON.
    file_format = args.format or export_format(args.output and args.output.name) or "json"
    _write_output(journal_export_text(sessions, file_format), args.output)
    return 0


def _journal_import(args: argparse.Namespace, data_dir: Path) -> int:
    from tui.storage.documents import sessions_from_json

    raw = _read_input(args.file, 512 * 1024 * 1024)
    try:
        sessions = sessions_from_json(raw)
    except ValidationError as error:
        raise CommandError(f"{args.file}: {error}") from None
    store = _store(data_dir, write=True)
    interrupted = {i.session.id for i in store.active.interrupted()}
    _warn(store.take_problems())
    added, skipped = store.journal.merge(sessions, skip_ids=interrupted)
    _say(f"imported {added} sessions, skipped {skipped} already present")
    return 0


def _log(args: argparse.Namespace, data_dir: Path) -> int:
    from tui.domain.logged import logged_session, parse_logged_time
    from tui.domain.sessions import note_problem, parse_pain

    clock = SystemClock()
    pains: dict[str, int | None] = {}
    for name in ("pain_before", "pain_after"):
        value = getattr(args, name)
        try:
            pains[name] = None if value is None else parse_pain(value, skippable=False)
        except ValueError as error:
            raise CommandError(f"--{name.replace('_', '-')}: {error}") from None
    now = clock.now()
    started = None
    if args.at is not None:
        try:
            started = parse_logged_time(args.at, now)  # without an offset: local time, as the user meant it
        except ValueError as error:
            raise CommandError(f"--at: {error}") from None
    if problem := note_problem(args.note):
        raise CommandError(f"--note {problem}")
    store = _store(data_dir, write=True)
    routine = store.routines.get(args.routine)
    exercises = store.routines.exercises()
    timings = _timings(store)
    if started is None:
        # Logged just after doing it: it ended now, so it began its length ago.
        started = now - timedelta(seconds=routine_seconds(routine, exercises, timings))
    session = logged_session(routine, exercises, timings, started, pains["pain_before"], pains["pain_after"], args.note)
    store.journal.add(session)
    _print(session.id)
    return 0


# -- plans, status, reminders --------------------------------------------------


def _today() -> date:
    """Today in the user's zone."""
    return datetime.now().astimezone().date()


def _plan_set(args: argparse.Namespace, data_dir: Path) -> int:
    try:
        make_plan("", "", args.per_day, args.days, args.hours)  # the input first: no data dir is touched for a typo
    except ValidationError as error:
        raise CommandError("; ".join(f"--{p.field}: {p.reason}" for p in error.problems)) from None
    store = _store(data_dir, write=True)
    routine = store.routines.get(args.routine)
    plan = store.plans.set(make_plan(routine.id, routine.name, args.per_day, args.days, args.hours), _today())
    _print(f"{safe_text(routine.name, multiline=False)}: {plan.describe()}")
    return 0


def _plan_show(args: argparse.Namespace, data_dir: Path) -> int:
    from tui.domain.zone import SystemZone

    store = _store(data_dir)
    zone, now = SystemZone(), datetime.now().astimezone()
    names = {r.id: r.name for r in store.routines.list()}
    rows = [(where.plan, names.get(routine_id), where) for routine_id, where in store.plan_progress(now, zone).items()]
    if args.json:
        _print(json_text([{
            "id": plan.routine_id, "name": name if name is not None else plan.routine_name,
            "routine_exists": name is not None, "per_day": plan.per_day, "days": days_text(plan.days),
            "hours": hours_text(plan.start, plan.end), "today": {
                "done": where.done, "planned": where.planned, "due": where.due,
                "next": where.next_at.astimezone(zone).isoformat(timespec="seconds")},
        } for plan, name, where in rows]))
        return 0
    if not rows:
        print("no plans yet: backrelief plan set ROUTINE --per-day N [--days mon-fri] [--hours 08-18]", file=sys.stderr)
        return 0
    _print(_table(["ROUTINE", "PER DAY", "DAYS", "HOURS", "TODAY"], [
        [name if name is not None else f"{plan.routine_name} (routine deleted)", str(plan.per_day),
         format_days(plan.days), hours_text(plan.start, plan.end), where.summary(now, zone)]
        for plan, name, where in rows
    ]))
    return 0


def _plan_clear(args: argparse.Namespace, data_dir: Path) -> int:
    store = _store(data_dir, write=True)
    today = _today()
    try:
        routine = store.routines.get(args.routine)
        routine_id, name = routine.id, routine.name
    except RoutineNotFound:
        # A deleted routine's plan can still be cleared, by the id or name it had.
        planned = [p for p in store.plans.current(today) if args.routine in (p.routine_id, p.routine_name)]
        if not planned:
            raise
        routine_id, name = planned[0].routine_id, planned[0].routine_name
    if store.plans.clear(routine_id, today) is None:
        raise CommandError(f"{name!r} has no plan to clear (see 'backrelief plan show')")
    print(f"cleared the plan for {safe_text(name, multiline=False)!r}", file=sys.stderr)
    return 0


def _status(args: argparse.Namespace, data_dir: Path) -> int:
    from tui.status import StatusArgs, run

    return run(StatusArgs(json=args.json, template=args.format, data_dir=str(data_dir),
                          allow_shared=bool(getattr(args, "allow_shared_dir", False))))


def _remind(args: argparse.Namespace, data_dir: Path) -> int:
    from tui.domain.zone import SystemZone
    from tui.remind import notify, reminder_text
    from tui.storage.glance import GlanceError, current_status

    zone = SystemZone()
    try:
        status = current_status(str(data_dir), datetime.now().astimezone(), zone)
    except GlanceError as error:
        raise CommandError(str(error)) from None
    if status.running or not status.due:
        return 0
    store = _store(data_dir, write=True)  # to remember what was told: a dir it must not save in stops here
    told = set(store.reminders.claim({p.plan.routine_id: p.slot_key for p in status.due if p.slot_key is not None}))
    if told:
        notify(*reminder_text([p for p in status.due if p.plan.routine_id in told], status.streak))
    return 0


def _table(headers: list[str], rows: list[list[str]]) -> str:
    # A note or name from an imported file may hold escape sequences: made harmless (one character for one) first.
    rows = [[safe_text(cell, multiline=False) for cell in row] for row in rows]
    # Widths in terminal columns: a CJK character or an emoji takes two.
    widths = [max(cell_width(h), *(cell_width(r[i]) for r in rows)) if rows else cell_width(h) for i, h in enumerate(headers)]
    lines = ["  ".join(pad_cells(h, w) for h, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(pad_cells(c, w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def _report_day(text: str, option: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} must be a date like 2026-01-31, not {text!r}") from None
    check_day(day, option)
    return day


def _report(args: argparse.Namespace, data_dir: Path) -> int:
    from tui.domain.report import DEFAULT_DAYS
    from tui.domain.zone import SystemZone
    from tui.report import render, report_data
    from tui.storage.library import safety_note

    until = _report_day(args.until, "--until") if args.until is not None else _today()
    since = _report_day(args.since, "--since") if args.since is not None else until - timedelta(days=DEFAULT_DAYS)
    if since > until:
        raise CommandError(f"--since ({since}) is after --until ({until})")
    store = _store(data_dir)
    data = report_data(store, since, until, SystemZone())
    _warn(store.take_problems())
    _write_output(render(data, safety_note(), args.format), args.output)
    return 0
