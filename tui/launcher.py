"""What `backrelief` and `python -m tui` run first: `status` is answered at once, the rest by tui/cli.py.

`status` runs from status bars and shell prompts every few seconds. The full
command line (argparse, the storage layer, TinyDB, dataclasses) would cost it
several times Python's own start-up, so a plain `status` is told apart here,
before any of that is imported (a test proves it stays that way).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    if "status" in args:
        from tui import status

        quick = status.parse_args(args)
        if quick is not None:
            return status.run(quick)
    from tui.cli import main as full_command_line

    return full_command_line(args)
