"""The `backrelief` command line.

Every command opens the data dir through `Store`; the Textual app is imported
only by the commands that show it, so the others start fast. Errors are one
line on stderr with exit 1; usage errors exit 2.
"""

from __future__ import annotations

import json
import os
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
from tui.paths import ALLOW_SHARED_DIR_ENV, default_data_dir, shared_dir_allowed
from tui.storage.documents import sessions_from_json, sessions_to_csv, sessions_to_json, session_to_dict
from tui.storage.files import DataFileError
from tui.storage.output import write_export
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
    data_dir.add_argument("--allow-shared-dir", action="store_true", default=argparse.SUPPRESS,
                          help="save in a data dir other users can write in (group or world writable); "
                               "without it backrelief only reads there, with a warning "
                               f"(also: {ALLOW_SHARED_DIR_ENV}=1)")
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
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help=_OUTPUT_HELP)
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
    jexport.add_argument("-o", "--output", type=Path, metavar="FILE", help=_OUTPUT_HELP)
    jimport = journal_commands.add_parser("import", parents=[data_dir], help="merge a JSON export (sessions already present are skipped)")
    jimport.add_argument("file", type=Path, metavar="FILE")

    log = commands.add_parser("log", parents=[data_dir], help="record a session done away from the app")
    log.add_argument("routine", metavar="ROUTINE")
    log.add_argument("--pain-before", metavar="N", help="pain before, 0-10")
    log.add_argument("--pain-after", metavar="N", help="pain after, 0-10")
    log.add_argument("--note", default="", metavar="TEXT")
    log.add_argument("--at", metavar="ISO-8601", help="when it started (default: now)")

    serve = commands.add_parser("serve", parents=[data_dir], help="the same app in a browser (no authentication)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this computer only; anything else warns)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
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
    allow_before = os.environ.get(ALLOW_SHARED_DIR_ENV)
    if getattr(args, "allow_shared_dir", False):
        # Through the environment, so the app processes `serve` starts for each tab are allowed too.
        os.environ[ALLOW_SHARED_DIR_ENV] = "1"
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
    finally:
        if allow_before is None:
            os.environ.pop(ALLOW_SHARED_DIR_ENV, None)
        else:
            os.environ[ALLOW_SHARED_DIR_ENV] = allow_before


def _fail(error: object) -> None:
    message = str(error.args[0] if isinstance(error, LookupError) and error.args else error)
    print(f"backrelief: error: {' '.join(message.split())}", file=sys.stderr)


def _warn(messages: list[str]) -> None:
    """Report problems that did not stop the command (a data file moved aside), one line each."""
    for message in messages:
        print(f"backrelief: warning: {' '.join(message.split())}", file=sys.stderr)


def _store(data_dir: Path, write: bool = False) -> Store:
    """The data dir opened; a command that saves (`write`) refuses a dir it must not save in, in one line."""
    store = Store.open(data_dir)
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
    _warn(store.settings.take_problems())
    return timings


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


_OUTPUT_HELP = ("write to FILE instead of stdout ('-' is stdout); a file is replaced whole, "
                "a FIFO or device is written into")


def _write_output(text: str, output: Path | None) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
    else:
        sys.stdout.flush()  # -o /dev/stdout writes to the same file, after anything already printed
        write_export(output, text)


def _read_input(path: Path, limit: int) -> bytes:
    if path.is_dir():
        raise CommandError(f"{path} is a directory, not a file")
    with open(path, "rb") as handle:
        raw = handle.read(limit + 1)
    return raw


# -- the app -----------------------------------------------------------------


def _run_app(args: argparse.Namespace, data_dir: Path) -> int:
    store = _store(data_dir, write=True)  # the app saves as it goes: a dir it must not save in stops here
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
    """The app in a browser: textual-serve starts one app process per browser tab, all on the same data dir."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise CommandError("'serve' needs textual-serve: pip install 'backrelief[serve]'") from None
    _store(data_dir, write=True)  # create and check the data dir before any browser connects
    host, port = args.host, args.port
    _check_address(host, port)
    if _is_loopback(host):
        print("backrelief: serving to this computer only. There is no authentication: "
              "anyone with an account on this computer can open it.", file=sys.stderr)
    else:
        print(f"backrelief: warning: serving on {host} port {port} with no authentication: anyone who can "
              "reach this address can open the app, read your journal and change your routines.\n"
              f"backrelief: to keep it private, serve on 127.0.0.1 (the default) and reach it from elsewhere "
              f"through an SSH tunnel: ssh -L {port}:127.0.0.1:{port} THIS-COMPUTER", file=sys.stderr)
    sys.stderr.flush()
    command = f"{_quote(sys.executable)} -m tui --data-dir {_quote(str(Path(data_dir).resolve()))}"
    server = _browser_server(Server, host, port)(command, host=host, port=port, title="backrelief")
    try:
        server.serve()
    except OSError as error:
        raise CommandError(f"cannot serve on {host} port {port}: {error.strerror or error}") from None
    return 0


def _port(text: str) -> int:
    """A TCP port number from the command line."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        import argparse

        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 65535, not {text!r}")
    return int(text)


def _is_loopback(host: str) -> bool:
    """Whether `host` can be reached from this computer only."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_address(host: str, port: int) -> None:
    """Fail with one clear line, before anything starts, if `host` and `port` cannot be listened on."""
    import socket

    try:
        addresses = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise CommandError(f"cannot serve on {host}: {error.strerror}") from None
    for family, kind, protocol, _, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself will
            try:
                probe.bind(address)
            except OSError as error:
                raise CommandError(f"cannot serve on {host} port {port}: {error.strerror}; another program "
                                   "(or another backrelief serve) may be using it: try another --port") from None


def _browser_server(base: type, host: str, port: int) -> type:
    """textual-serve's server, with the page's links following the address the browser used, and two guards.

    The page names its websocket with an absolute address: built from `--host` it
    would send a browser to 0.0.0.0 or to an unbracketed IPv6 address, so it is
    built from the Host header of each request instead. Guards: served on loopback,
    only loopback names are answered (a web page cannot use DNS rebinding to reach
    it); and the websocket that drives the app refuses pages from other sites,
    since browsers let any page open a websocket to 127.0.0.1.
    """
    from urllib.parse import urlsplit

    from aiohttp import web

    local_names = {"localhost", "127.0.0.1", "::1"} if _is_loopback(host) else None

    class BrowserServer(base):
        def _check_host(self, request: web.Request) -> None:
            name = (urlsplit(f"//{request.host}").hostname or "").lower()
            if local_names is not None and name not in local_names:
                raise web.HTTPForbidden(text="backrelief serves this computer only: open it as 127.0.0.1 or localhost")

        async def handle_index(self, request: web.Request):
            self._check_host(request)
            # Nothing awaits between setting this and the page using it, so requests cannot mix.
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request):
            self._check_host(request)
            origin = request.headers.get("Origin")
            if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
                raise web.HTTPForbidden(text="backrelief: only its own page may open the app")
            return await super().handle_websocket(request)

        async def on_startup(self, app: web.Application) -> None:
            shown = f"[{host}]" if ":" in host else host
            if host in ("0.0.0.0", "::"):
                shown = "THIS-COMPUTER"
            print(f"backrelief: open http://{shown}:{port} in a browser (one app per tab); ctrl+c stops the server",
                  flush=True)

    return BrowserServer


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


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
                       "reps": s.reps, "rest_seconds": s.rest_seconds, "sides": s.sides, "order": s.order}
                      for s in routine.steps],
        }
        _print(json.dumps(document, ensure_ascii=False, indent=2))
        return 0
    lines = [f"{routine.name}  ({routine.id}, {'built-in' if routine.builtin else 'custom'}, {format_duration(total)})"]
    if routine.description:
        lines.append("\n".join(_printable(line) for line in routine.description.splitlines()))
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
    _write_output(export_json(store.routines.export_file(args.routine)), args.output)
    return 0


def _routines_import(args: argparse.Namespace, data_dir: Path) -> int:
    raw = _read_input(args.file, MAX_FILE_BYTES)
    store = _store(data_dir, write=True)
    try:
        routine = store.routines.import_file(raw)
    except ValidationError as error:
        raise CommandError(f"{args.file}: {error}") from None
    _print(routine.id)
    return 0


def _routines_delete(args: argparse.Namespace, data_dir: Path) -> int:
    store = _store(data_dir, write=True)
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
    store = _store(data_dir, write=True)
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
    store = _store(data_dir, write=True)
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
