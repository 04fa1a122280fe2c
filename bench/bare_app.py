"""The start-up baseline: a bare Textual app that shows one line of text and nothing else.

Run it as `python -m bench.bare_app`; `bench.terminal` times it against `backrelief`.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

READY_TEXT = "bare Textual app ready"
"""The line it shows; the benchmark waits for it to appear."""


class BareApp(App[None]):
    """One line of text; `q` quits."""

    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static(READY_TEXT)


if __name__ == "__main__":
    BareApp().run()
