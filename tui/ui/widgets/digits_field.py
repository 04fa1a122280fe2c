"""DigitsField: a field for a whole number, which leaves every key it cannot type to the screen."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


class DigitsField(Input):
    """Takes digits (and `also`, such as a space); Textual's Input claims every printable key, so `?` (help)
    and a dialog's letter keys never reached their bindings from a field that could not type them."""

    def __init__(self, *args: Any, also: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("restrict", f"[0-9{also}]*")
        super().__init__(*args, **kwargs)
        self.also = also
        """Characters besides digits the field takes."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and (character.isdigit() or character in self.also)
