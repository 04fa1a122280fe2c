"""backrelief: a keyboard-first terminal guide through back-spasm relief stretches."""

__version__ = "0.1.0"

DISTRIBUTION = "backrelief"
"""Marks this `tui` package as backrelief's: the name `tui` is generic, and the launcher checks the mark
(see docs/contributing.md, "Why the package is called tui")."""
