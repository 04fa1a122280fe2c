"""backrelief: a keyboard-first terminal guide through back-spasm relief stretches."""

__version__ = "0.1.0"
