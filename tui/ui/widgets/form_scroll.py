"""FormScroll: a dialog of fields that scrolls in a small window, and is never a focus stop itself."""

from __future__ import annotations

from textual.containers import VerticalScroll


class FormScroll(VerticalScroll, can_focus=False):
    """Holds a dialog's fields. Textual's VerticalScroll takes focus when tabbed to, so tab stopped on the
    frame, where typed text went nowhere; here tab goes from field to field, and the focused field scrolls
    into view."""
