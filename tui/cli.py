"""The `backrelief` command line.

Every command opens the data dir through `Store`; the Textual app is imported
only by the commands that show it, so the others start fast. Errors are one
line on stderr with exit 1; usage errors exit 2.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Callable, Sequence

from tui import __version__
from tui.domain.clock import SystemClock
from tui.domain.logged import logged_session
from tui.domain.plan import Timings, expand, format_duration, routine_seconds
from tui.domain.problems import ValidationError
from tui.domain.routines import MAX_FILE_BYTES
from tui.domain.sessions import parse_pain
from tui.paths import default_data_dir
from tui.storage.documents import sessions_from_json, sessions_to_csv, sessions_to_json, session_to_dict
from tui.storage.files import DataFileError
from tui.storage.output import atomic_write_text
from tui.storage.journal import SessionNotFound
from tui.storage.routines import RoutineNotFound, export_json
from tui.storage.store import Store

if TYPE_CHECKING:
    import argparse


class CommandError(Exception):
    """A problem to report as one line on stderr, exit 1."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    import argparse  # not needed to just open the app (see `plain_launch`)

    data_dir = argparse.ArgumentParser(add_help=False)
    data_dir.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                          help="where your routines and journal live (default: $BACKRELIEF_DATA_DIR or the platform's user data dir)")
    parser = argparse.ArgumentParser(
        prog="backrelief", parents=[data_dir],
        description="Guided stretches for a lower back in spasm, with a private pain journal.",
    )
    parser.add_argument("--version", action="version", version=f"backrelief {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    start = commands.add_parser("start", parents=[data_dir], help="go straight into a session")
    start.add_argument("routine", metavar="ROUTINE", help="routine id or exact name")

    routines = commands.add_parser("routines", parents=[data_dir], help="list, show, export, import, delete routines")
    routine_commands = routines.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = routine_commands.add_parser("list", parents=[data_dir], help="every routine")
    listing.add_argument("--json", action="store_true", help="print JSON")
    show = routine_commands.add_parser("show", parents=[data_dir], help="one routine's steps")
    show.add_argument("routine", metavar="ROUTINE")
    show.add_argument("--json", action="store_true", help="print JSON")
    export = routine_commands.add_parser("export", parents=[data_dir], help="write a routine file")
    export.add_argument("routine", metavar="ROUTINE")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    imported = routine_commands.add_parser("import", parents=[data_dir], help="check and store a routine file")
    imported.add_argument("file", type=Path, metavar="FILE")
    delete = routine_commands.add_parser("delete", parents=[data_dir], help="delete a custom routine")
    delete.add_argument("routine", metavar="ROUTINE")

    journal = commands.add_parser("journal", parents=[data_dir], help="your sessions")
    journal_commands = journal.add_subparsers(dest="action", metavar="ACTION", required=True)
    jlist = journal_commands.add_parser("list", parents=[data_dir], help="sessions, newest first")
    jlist.add_argument("--json", action="store_true", help="print JSON")
    jlist.add_argument("--since", metavar="YYYY-MM-DD", help="only sessions on or after this day")
    jlist.add_argument("--limit", metavar="N", help="at most N sessions")
    jexport = journal_commands.add_parser("export", parents=[data_dir], help="every session as CSV or JSON")
    jexport.add_argument("--format", choices=("csv", "json"), default="json")
    jexport.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    jimport = journal_commands.add_parser("import", parents=[data_dir], help="merge a JSON export (sessions already present are skipped)")
    jimport.add_argument("file", type=Path, metavar="FILE")

    log = commands.add_parser("log", parents=[data_dir], help="record a session done away from the app")
    log.add_argument("routine", metavar="ROUTINE")
    log.add_argument("--pain-before", metavar="N", help="pain before, 0-10")
    log.add_argument("--pain-after", metavar="N", help="pain after, 0-10")
    log.add_argument("--note", default="", metavar="TEXT")
    log.add_argument("--at", metavar="ISO-8601", help="when it started (default: now)")

    serve = commands.add_parser(
        "serve", parents=[data_dir], help="the same app in a browser (textual-serve), behind a secret token",
        description="Serve the app to a browser. The address printed at start holds a secret token, new at each "
                    "start: only whoever has it can open the app.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only; anything else warns)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--password", action="store_true",
                       help="also let a password open the page at the bare address: asked on the terminal, "
                            "or taken from $BACKRELIEF_SERVE_PASSWORD (never given on the command line)")
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    plain, data_dir = plain_launch(argv)
    args = SimpleNamespace(command=None) if plain else build_parser().parse_args(argv)
    data_dir = data_dir or getattr(args, "data_dir", None) or default_data_dir()
    handler = _HANDLERS.get((args.command, getattr(args, "action", None)), _run_app)
    try:
        return handler(args, data_dir) or 0
    except (CommandError, ValidationError, DataFileError, RoutineNotFound, SessionNotFound) as error:
        _fail(error)
        return 1
    except OSError as error:
        name = f" {error.filename}" if error.filename else ""
        _fail(f"cannot use{name}: {error.strerror or error}")
        return 1
    except KeyboardInterrupt:
        return 130


def _fail(error: object) -> None:
    message = str(error.args[0] if isinstance(error, LookupError) and error.args else error)
    print(f"backrelief: error: {' '.join(message.split())}", file=sys.stderr)


def _warn(messages: list[str]) -> None:
    """Report problems that did not stop the command (a data file moved aside), one line each."""
    for message in messages:
        print(f"backrelief: warning: {' '.join(message.split())}", file=sys.stderr)


def _store(data_dir: Path) -> Store:
    return Store.open(data_dir)


def _timings(store: Store) -> Timings:
    """The timings of the user's settings, warning about stored values that could not be used."""
    timings = store.settings.load().timings()
    _warn(store.settings.take_problems())
    return timings


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(output, text)


def _read_input(path: Path, limit: int) -> bytes:
    if path.is_dir():
        raise CommandError(f"{path} is a directory, not a file")
    with open(path, "rb") as handle:
        raw = handle.read(limit + 1)
    return raw


# -- the app -----------------------------------------------------------------


def _run_app(args: argparse.Namespace, data_dir: Path) -> int:
    store = _store(data_dir)
    # Unreadable files are moved aside now and the app says so; it checks the journal itself later.
    warnings = store.check(journal=False)
    # The menu lists the routines first thing: a routines file it cannot use stops here, in one line.
    store.routines.list()
    routine = None
    if args.command == "start":
        routine = store.routines.get(args.routine)
    from tui.ui.app import make_app

    app = make_app(store, clock=SystemClock(), start_routine=routine, warnings=warnings)
    app.run()
    return app.return_code or 0


def _serve(args: argparse.Namespace, data_dir: Path) -> int:
    """The app in a browser (see `tui.serve`): one app process per tab, all on the same data dir."""
    from tui import serve

    _store(data_dir)  # create and check the data dir before any browser connects
    try:
        serve.serve(data_dir, args.host, args.port, ask_password=args.password)
    except serve.ServeError as error:
        raise CommandError(str(error)) from None
    return 0


def _port(text: str) -> int:
    """A TCP port number from the command line."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        import argparse

        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 65535, not {text!r}")
    return int(text)


# -- routines ----------------------------------------------------------------


def _routines_list(args: argparse.Namespace, data_dir: Path) -> int:
    store = _store(data_dir)
    exercises = store.routines.exercises()
    timings = _timings(store)
    rows = []
    for routine in store.routines.list():
        rows.append({
            "id": routine.id,
            "name": routine.name,
            "builtin": routine.builtin,
            "steps": len(routine.steps),
            "total_seconds": routine_seconds(routine, exercises, timings),
        })
    if args.json:
        _print(json.dumps(rows, ensure_ascii=False, indent=2))
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
                       "reps": s.reps, "rest_seconds": s.rest_seconds, "sides": s.sides} for s in routine.steps],
        }
        _print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    lines = [f"{routine.name}  ({routine.id}, {'built-in' if routine.builtin else 'custom'}, {format_duration(total)})"]
    if routine.description:
        lines.append("\n".join(_printable(line) for line in routine.description.splitlines()))
    lines.append("")
    lines.append(_table(["#", "EXERCISE", "HOLD", "REPS", "REST", "SIDES"], [
        [str(i), exercises[s.exercise].name, f"{s.hold_seconds} s", str(s.reps), f"{s.rest_seconds} s", s.sides]
        for i, s in enumerate(routine.steps, 1)
    ]))
    _print("\n".join(lines))
    return 0


def _routines_export(args: argparse.Namespace, data_dir: Path) -> int:
    store = _store(data_dir)
    _write_output(export_json(store.routines.export_file(args.routine)), args.output)
    return 0


def _routines_import(args: argparse.Namespace, data_dir: Path) -> int:
    raw = _read_input(args.file, MAX_FILE_BYTES)
    store = _store(data_dir)
    try:
        routine = store.routines.import_file(raw)
    except ValidationError as error:
        raise CommandError(f"{args.file}: {error}") from None
    _print(routine.id)
    return 0


def _routines_delete(args: argparse.Namespace, data_dir: Path) -> int:
    store = _store(data_dir)
    routine = store.routines.delete(args.routine)
    print(f"deleted {routine.name!r} ({routine.id})", file=sys.stderr)
    return 0


# -- journal -----------------------------------------------------------------


def _journal_list(args: argparse.Namespace, data_dir: Path) -> int:
    since = None
    if args.since is not None:
        try:
            since = date.fromisoformat(args.since)
        except ValueError:
            raise CommandError(f"--since must be a date like 2026-01-31, not {args.since!r}") from None
    limit = None
    if args.limit is not None:
        # isascii: str.isdigit also takes digits int() refuses, such as superscripts.
        if not (args.limit.isascii() and args.limit.isdigit()) or int(args.limit) < 1:
            raise CommandError(f"--limit must be a whole number of 1 or more, not {args.limit!r}")
        limit = int(args.limit)
    store = _store(data_dir)
    sessions = store.sessions(since=since, limit=limit)
    problems = store.journal.take_problems() + store.active.take_problems()
    _warn(problems)
    if args.json:
        _print(json.dumps([session_to_dict(s) for s in sessions], ensure_ascii=False, indent=2))
        return 0
    if not sessions:
        if not problems:
            print("no sessions yet", file=sys.stderr)
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
    store = _store(data_dir)
    sessions = store.sessions()
    _warn(store.journal.take_problems() + store.active.take_problems())
    text = sessions_to_csv(sessions) if args.format == "csv" else sessions_to_json(sessions)
    _write_output(text, args.output)
    return 0


def _journal_import(args: argparse.Namespace, data_dir: Path) -> int:
    raw = _read_input(args.file, 512 * 1024 * 1024)
    try:
        sessions = sessions_from_json(raw)
    except ValidationError as error:
        raise CommandError(f"{args.file}: {error}") from None
    store = _store(data_dir)
    interrupted = {i.session.id for i in store.active.interrupted()}
    added, skipped = store.journal.merge(sessions, skip_ids=interrupted)
    print(f"imported {added} sessions, skipped {skipped} already present", file=sys.stderr)
    return 0


def _log(args: argparse.Namespace, data_dir: Path) -> int:
    clock = SystemClock()
    pains = {}
    for name in ("pain_before", "pain_after"):
        value = getattr(args, name)
        try:
            pains[name] = None if value is None else parse_pain(value)
            if value is not None and pains[name] is None:
                raise ValueError("pain must be a whole number from 0 to 10, not ''")
        except ValueError as error:
            raise CommandError(f"--{name.replace('_', '-')}: {error}") from None
    now = clock.now()
    if args.at is None:
        started = now
    else:
        try:
            started = datetime.fromisoformat(args.at)
        except ValueError:
            raise CommandError(f"--at must be an ISO 8601 date and time like 2026-01-31T08:30, not {args.at!r}") from None
        if started.tzinfo is None:
            started = started.astimezone()  # local time, as the user meant it
        if started > now + timedelta(minutes=1):
            raise CommandError(f"--at is in the future ({started.isoformat(timespec='minutes')})")
    if len(args.note) > 2000:
        raise CommandError("--note is longer than 2000 characters")
    store = _store(data_dir)
    routine = store.routines.get(args.routine)
    exercises = store.routines.exercises()
    session = logged_session(routine, exercises, _timings(store), started, note=args.note, **pains)
    store.journal.add(session)
    _print(session.id)
    return 0


def _table(headers: list[str], rows: list[list[str]]) -> str:
    # A note or name from an imported file may hold escape sequences: never send them to the terminal.
    rows = [[_printable(cell) for cell in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def _printable(text: str) -> str:
    """`text` with every control character (C0, DEL, C1) shown as U+FFFD."""
    return "".join("\ufffd" if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else c for c in text)


_HANDLERS: dict[tuple[str | None, str | None], Callable[[argparse.Namespace, Path], int]] = {
    ("routines", "list"): _routines_list,
    ("routines", "show"): _routines_show,
    ("routines", "export"): _routines_export,
    ("routines", "import"): _routines_import,
    ("routines", "delete"): _routines_delete,
    ("journal", "list"): _journal_list,
    ("journal", "export"): _journal_export,
    ("journal", "import"): _journal_import,
    ("log", None): _log,
    ("serve", None): _serve,
}
