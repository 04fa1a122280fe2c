"""`backrelief status`: one short line for a tmux status bar or a shell prompt; nothing when nothing is due.

A status bar runs it every few seconds, so it is answered before the rest of
the command line loads (tui/launcher.py): its few options are read here by
hand, and the data through tui/storage/glance.py (no lock, no TinyDB, ten
years of journal through a small cache). `--help`, and any spelling this does
not know, go to the full parser in tui/cli.py, which calls `run` for the work.
"""

from __future__ import annotations

import json
import sys
from tui.domain.datetimes import datetime, timezone

from tui.domain.schedule import FORMAT_FIELDS, Status, fill_template, status_line, when_text
from tui.domain.zone import SystemZone
from tui.paths import default_data_root, shared_dir_allowed
from tui.storage.glance import GlanceError, current_status

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from tui.domain.datetimes import tzinfo

FORMAT_HELP = ("your own line, with these fields in braces: "
               + "; ".join(f"{{{name}}} {what}" for name, what in FORMAT_FIELDS.items())
               + ". Example: --format '{routine} {done}/{planned} · next {next}'")
"""What `--help` says about `--format`."""


class StatusArgs:
    """What `status` was asked for."""

    __slots__ = ("json", "template", "data_dir", "allow_shared")

    def __init__(self, json: bool = False, template: str | None = None, data_dir: str | None = None,
                 allow_shared: bool = False) -> None:
        self.json = json
        """Print JSON for scripts instead of the line."""
        self.template = template
        """The `--format` line, or None for the default one."""
        self.data_dir = data_dir
        """`--data-dir`, or None for the default."""
        self.allow_shared = allow_shared
        """`--allow-shared-dir`: the cache may be kept in a dir others can write in."""


def parse_args(argv: Sequence[str]) -> StatusArgs | None:
    """The options of a plain `status` command line, or None for anything else (the full parser's to read).

    Takes `[--data-dir DIR] [--allow-shared-dir] status [--json] [--format FMT] [--data-dir DIR]
    [--allow-shared-dir]`, with `--opt=value` spellings too.
    """
    args = StatusArgs()
    seen_command = False
    items = list(argv)
    index = 0
    while index < len(items):
        item = items[index]
        name, has_value, value = item.partition("=")
        if item == "status" and not seen_command:
            seen_command = True
        elif item == "--allow-shared-dir":
            args.allow_shared = True
        elif name in ("--data-dir", "--format") and (seen_command or name == "--data-dir"):
            if not has_value:
                index += 1
                if index == len(items):
                    return None
                value = items[index]
            if not value or (not has_value and value.startswith("-")):
                return None  # as argparse would refuse it: let it say so
            if name == "--data-dir":
                args.data_dir = value
            else:
                args.template = value
        elif item == "--json" and seen_command:
            args.json = True
        else:
            return None
        index += 1
    return args if seen_command else None


def run(args: StatusArgs, now: datetime | None = None, zone: tzinfo | None = None) -> int:
    """Print the status line (or JSON); the exit status."""
    zone = zone or SystemZone()
    if args.template is not None:
        try:
            fill_template(args.template, dict.fromkeys(FORMAT_FIELDS, ""))
        except (KeyError, ValueError) as error:
            fields = ", ".join(FORMAT_FIELDS)
            why = f"unknown field {{{error.args[0]}}}" if isinstance(error, KeyError) else str(error)
            _fail(f"--format: {why} (fields: {fields})")
            return 2
    root = args.data_dir or default_data_root()
    allow_shared = args.allow_shared or shared_dir_allowed()
    moment = now or datetime.now(timezone.utc)
    try:
        status = current_status(root, moment, zone, allow_shared=allow_shared)
    except GlanceError as error:
        _fail(str(error))
        return 1
    except OSError as error:
        _fail(f"cannot read {error.filename or root}: {error.strerror or error}")
        return 1
    if args.json:
        sys.stdout.write(json.dumps(status_document(status, zone), ensure_ascii=False, indent=2) + "\n")
        return 0
    line = plain(status_line(status, zone, args.template))
    if line:
        sys.stdout.write(line + "\n")
    return 0


def status_document(status: Status, zone: tzinfo) -> dict:
    """What `status --json` prints: the line's facts, and each plan in force."""
    def local(moment: datetime | None) -> str | None:
        return None if moment is None else moment.astimezone(zone).isoformat(timespec="seconds")

    return {
        "due": bool(status.due) and not status.running,
        "running": status.running,
        "line": plain(status_line(status, zone)),
        "streak": status.streak,
        "next": local(status.next_at),
        "routines": [{
            "id": p.plan.routine_id, "name": p.plan.routine_name, "due": p.due, "done": p.done,
            "planned": p.planned, "per_day": p.plan.per_day, "next": local(p.next_at),
            "next_text": when_text(p.next_at, status.now, zone),
        } for p in status.routines],
    }


_INVISIBLE = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
"""Zero-width characters and bidi overrides: they change how the rest of a line reads."""


def plain(text: str) -> str:
    """`text` safe for a status bar: control characters (C0, DEL, C1) shown as U+FFFD, invisible ones dropped.

    Routine names come from files the user may have been handed.
    """
    return "".join("\ufffd" if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 else c
                   for c in text if ord(c) not in _INVISIBLE)


def _fail(message: str) -> None:
    print(f"backrelief: error: {' '.join(message.split())}", file=sys.stderr)


__all__ = ["FORMAT_HELP", "StatusArgs", "parse_args", "plain", "run", "status_document"]
