"""What `backrelief` and `python -m tui` run first: `status` is answered at once, the rest by tui/cli.py.

`status` runs from status bars and shell prompts every few seconds. The full
command line (argparse, the storage layer, TinyDB, dataclasses) would cost it
several times Python's own start-up, so a plain `status` is told apart here,
before any of that is imported (a test proves it stays that way).
"""

from __future__ import annotations

import gc
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def foreign_package() -> str | None:
    """None when the `tui` package imported is backrelief's own; otherwise what to tell the user.

    Another distribution may install a top-level `tui` too; installed into the same
    environment, its files and ours mix in one folder. The mark in our `__init__`
    and the folder this launcher came from tell ours apart, at no cost to `status`.
    """
    import os

    import tui

    ours = getattr(tui, "DISTRIBUTION", None) == "backrelief"
    where = os.path.dirname(os.path.abspath(getattr(tui, "__file__", None) or "?"))
    if ours and where == os.path.dirname(os.path.abspath(__file__)):
        return None
    return (f"backrelief: error: the Python package 'tui' in {where} is not backrelief's: another program "
            "installed a package of the same name into this environment. Install backrelief in an environment "
            "of its own (pipx install backrelief, or a virtual environment).")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    # Start-up makes a few hundred thousand objects (Textual's classes and styles, ours), none of them garbage,
    # and Python's cycle collector went over them some 70 times (~25 ms) before the menu was on the screen.
    # It is off while the command starts, and on again once it is under way: the app turns it on after its
    # first frame (BackreliefApp.on_mount), every other command as it begins (tui.cli.main), and it is on
    # again here whatever happened.
    gc.disable()
    try:
        return _command_line(argv)
    finally:
        gc.enable()


def _command_line(argv: Sequence[str] | None) -> int:
    problem = foreign_package()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    args = sys.argv[1:] if argv is None else list(argv)
    if "status" in args:
        from tui import status

        quick = status.parse_args(args)
        if quick is not None:
            return status.run(quick)
    from tui.cli import main as full_command_line

    return full_command_line(args)
