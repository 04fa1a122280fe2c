"""What making untrusted text harmless costs (issue 11): the sanitiser and the line filter.

- `safe_text` over every routine name and note of a ten-year journal (3,650
  sessions, mostly ordinary text, one in fifty hostile); baseline: folding
  the whitespace of the same strings (`" ".join(text.split())`), the work each
  journal cell already did before it was shown.
- the `HarmlessText` line filter over every line of a full repaint of the
  journal screen at 120x40 (the screen with the most text); baseline: the
  rest of that repaint, Textual turning the same lines into what is written to
  the terminal. The filter runs once per new line (Textual caches the result on
  the line), so this is its cost when the whole screen changes.

    python -m bench.user_text [--quick]
"""

from __future__ import annotations

import asyncio
import random
import tempfile
from pathlib import Path

from textual._compositor import LayoutUpdate
from textual.color import Color

from bench.report import bench_main, figure, median, timed
from tui.domain.text import safe_text
from tui.ui.user_text import HarmlessText

SESSIONS = 3650
"""Ten years, one session a day."""
HOSTILE = "Lie down.\x1b]0;pwned\x07 Hold.\x9b2J \u202eesrever and\u200bhidden"
"""The odd one out: what a hostile journal would hold."""
BLACK = Color(0, 0, 0)
"""A background for the filter (it does not look at it)."""
WORDS = ("stiff", "better", "after", "the", "second", "hamstring", "thanks", "背中が", "楽に", "ça va", "🙂")


def _strings(count: int, seed: int = 11) -> list[str]:
    """A routine name and a note per session, one in fifty notes hostile."""
    rng = random.Random(seed)
    strings = []
    for index in range(count):
        strings.append(rng.choice(("Back spasm relief", "Morning reset", "Hip [/x]")))
        strings.append(HOSTILE if index % 50 == 0 else " ".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 12))))
    return strings


async def _repaint(rounds: int) -> tuple[list[float], list[float]]:
    """Seconds for the filter over a full journal repaint's lines, and for Textual's rendering of those lines."""
    from bench.journal import generated_sessions
    from tui.domain.clock import FakeClock
    from tui.storage.store import Store
    from tui.ui.app import make_app
    from tui.ui.screens.journal import JournalScreen

    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "data")
        store.settings.change(safety_acknowledged=True)
        for session in generated_sessions(store, 365):
            store.journal.add(session)
        app = make_app(store, clock=FakeClock())
        filtered: list[float] = []
        rendered: list[float] = []
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("J")
            while not (isinstance(app.screen, JournalScreen) and not app.screen.reading):
                await pilot.pause(0.05)
            harmless = HarmlessText()
            for _ in range(rounds):
                app.screen.refresh()
                update = app.screen._compositor.render_update(full=True)
                assert isinstance(update, LayoutUpdate)
                lines = [[segment for strip in row or () if strip for segment in strip] for row in update.strips]
                filtered.append(timed(lambda: [harmless.apply(line, BLACK) for line in lines]))
                rendered.append(timed(lambda: update.render_segments(app.console)))
        return filtered, rendered


def run(quick: bool = False) -> list[dict]:
    """The figures, for `python -m bench`."""
    repeats = 5 if quick else 15
    strings = _strings(SESSIONS)
    sanitised = [timed(lambda: [safe_text(s) for s in strings]) for _ in range(repeats)]
    folded = [timed(lambda: [" ".join(s.split()) for s in strings]) for _ in range(repeats)]
    filtered, rendered = asyncio.run(_repaint(repeats))
    ms = 1000
    return [
        figure(f"safe_text over a ten-year journal's names and notes ({len(strings):,} strings)", median(sanitised) * ms,
               "ms", "folding the whitespace of the same strings", median(folded) * ms, "<= 1.2x (about the same)"),
        figure("line filter over a full journal repaint, 120x40", median(filtered) * ms, "ms",
               "Textual writing the same lines for the terminal", median(rendered) * ms, "<= 1.2x (about the same or below)"),
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    return bench_main("python -m bench.user_text", __doc__, run, argv)


if __name__ == "__main__":
    raise SystemExit(main())
