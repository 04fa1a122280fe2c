"""DigitsField: a field for a whole number, which leaves `?` (help) to the screen."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


LEFT_TO_SCREEN = "?"
"""Characters every number field leaves to the screen's bindings: help. Any other printable key is
swallowed, as in a text field, so a slip of the finger while typing a number (x, q, a) never removes a
step, leaves the builder or adds a step; a dialog whose one-key answers must work from its field names
them (`passes`)."""


class DigitsField(Input):
    """Takes digits (and `also`, such as a space); Textual's Input claims every printable key, so `?` (help)
    never reached its binding from a field that could not type it."""

    def __init__(self, *args: Any, also: str = "", passes: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("restrict", f"[0-9{also}]*")
        super().__init__(*args, **kwargs)
        self.also = also
        """Characters besides digits the field takes."""
        self.passes = LEFT_TO_SCREEN + passes
        """Keys left to the screen: help, and the dialog's own one-key answers."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and character.isprintable() and character not in self.passes
