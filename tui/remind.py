"""`backrelief remind`: tell the user a planned session is due, where they will see it.

It takes the first of these that works:

1. `notify-send` (libnotify) on a desktop session: a popup on this computer.
   Run as an argument list, never through a shell, with `--` before the
   text: routine names come from files the user may have been handed.
2. A terminal notification (OSC 9 and OSC 777, as the hold screen's cues send,
   wrapped for tmux) when run inside a terminal: stdout, else the controlling
   terminal (`/dev/tty`). This one reaches the user's own desktop over SSH.
3. A line on stdout, for cron to mail or systemd to keep in its journal.

Over SSH the desktop is the user's own machine, not this one, so there the
terminal comes first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence

from tui.domain.schedule import Progress
from tui.status import plain
from tui.ui.cues import notification_sequence

TITLE = "Time to stretch"
"""The notification's title."""
NOTIFY_SEND_SECONDS = 10
"""How long notify-send may take before it is given up on."""


def reminder_text(due: Sequence[Progress], streak: int = 0) -> tuple[str, str]:
    """The title and body telling of the sessions `due`: `Back spasm relief: 1 of 2 today (5-day streak)`."""
    body = "; ".join(f"{p.plan.routine_name}: {p.done} of {p.planned} today" for p in due)
    if streak:
        body += f" ({streak}-day streak)"
    return TITLE, plain(body)


def notify(title: str, body: str, environ: Mapping[str, str] | None = None) -> str:
    """Tell the user, the first way that works (see the module doc); which way it was: notify-send, terminal or stdout."""
    environ = os.environ if environ is None else environ
    over_ssh = bool(environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"))
    if not over_ssh and _on_desktop(environ) and _notify_send(title, body):
        return "notify-send"
    if _to_terminal(notification_sequence(title, body, in_tmux=bool(environ.get("TMUX")))):
        return "terminal"
    if over_ssh and _on_desktop(environ) and _notify_send(title, body):  # an SSH session with its own desktop
        return "notify-send"
    print(f"{title}: {body}", flush=True)
    return "stdout"


def _on_desktop(environ: Mapping[str, str]) -> bool:
    """Whether a desktop session's notification service can be reached from here."""
    if environ.get("DBUS_SESSION_BUS_ADDRESS") or environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return True
    runtime = environ.get("XDG_RUNTIME_DIR") or ""
    return bool(runtime) and os.path.exists(os.path.join(runtime, "bus"))


def _notify_send(title: str, body: str) -> bool:
    """Run notify-send when it is installed; whether it said it worked."""
    program = shutil.which("notify-send")
    if program is None:
        return False
    try:
        done = subprocess.run([program, "--app-name=backrelief", "--", title, body], stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=NOTIFY_SEND_SECONDS)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _to_terminal(sequence: str) -> bool:
    """Write `sequence` to the terminal this runs in (stdout, else /dev/tty); whether there was one."""
    if sys.stdout.isatty():
        sys.stdout.write(sequence)
        sys.stdout.flush()
        return True
    try:
        fd = os.open("/dev/tty", os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError:
        return False  # no controlling terminal: a timer, cron, a pipe
    try:
        os.write(fd, sequence.encode("utf-8"))
    except OSError:
        return False
    finally:
        os.close(fd)
    return True
