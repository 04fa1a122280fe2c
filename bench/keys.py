"""Keys benchmark (issue 11): what it costs that keys arriving in one read go to the app one at a time.

A laggy SSH link delivers typed keys in batches. The app takes each key of a
batch only once the one before has had its effect (`tui/ui/key_queue.py`), so
a batch shows a little later than the same keys would if nothing waited. This
measures it where a user sees it: `backrelief` in an 80x24 pseudo-terminal,
the routine builder open, text typed into the name field.

- A batch: `BATCH` characters written in one `write()`, until the last shows.
- Baseline: the same characters pasted (bracketed paste: one event, so
  nothing waits), until they show.
- One key written alone, until it shows.

The batch against the paste is the cost of taking the keys one at a time;
divided by the batch's size it is what each key adds, compared with the time
one key alone takes to show (both measured in the same run, so a busy machine
slows both).

    python -m bench.keys [--quick]
"""

from __future__ import annotations

import argparse
import os
import string
import sys
import tempfile
import time
from pathlib import Path

from bench.pty_tools import PtyRun, terminal_env
from bench.report import figure, format_table, median

REPO = Path(__file__).resolve().parent.parent
"""The checkout the benchmark runs from."""
BATCH = 20
"""Characters written in one batch."""
ROUNDS = 7
"""Measurements of each kind (the median is reported)."""


def _env() -> dict[str, str]:
    return terminal_env({"PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")]))})


def _name_field(run: PtyRun) -> str:
    """The text on the builder's name line."""
    for line in run.lines():
        if "Name" in line:
            return line
    return ""


def measure(rounds: int) -> dict[str, list[float]]:
    """Seconds until one key, a batch of `BATCH` keys, and the same text pasted show; `rounds` times, alternated."""
    from tui.storage.store import Store

    times: dict[str, list[float]] = {"key": [], "batch": [], "paste": []}
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        Store.open(data).settings.change(safety_acknowledged=True)
        argv = [sys.executable, "-m", "tui", "--data-dir", str(data)]
        with PtyRun(argv, cols=80, rows=24, env=_env()) as run:
            run.wait_for_text("Routines", timeout=60)
            run.send("n")
            run.wait_for(lambda r: "Name" in _name_field(r), timeout=60)
            run.pump(1.0)  # the builder's first frame and its stylesheet are done

            def timed(kind: str, data: str, shown: str) -> None:
                run.send("\x15")  # ctrl+u: empty the field
                run.wait_for(lambda r: "#" not in _name_field(r), timeout=30)
                sent = time.monotonic()
                run.send(data)
                times[kind].append(run.wait_for(lambda r: shown in _name_field(r), timeout=30) - sent)

            for number in range(rounds):
                text = "#" + "".join(string.ascii_lowercase[(number + i) % 26] for i in range(BATCH - 1))
                timed("key", "#", "#")
                timed("batch", text, text)
                timed("paste", f"\x1b[200~{text}\x1b[201~", text)
    return times


def run(quick: bool = False) -> list[dict]:
    times = measure(3 if quick else ROUNDS)
    key, batch, paste = (median(times[kind]) * 1000 for kind in ("key", "batch", "paste"))
    rounds = len(times["key"])
    return [
        figure(f"{BATCH} keys in one read, until the last shows (builder name field, 80x24)", batch, "ms",
               "the same text pasted (one event)", paste, note=f"median of {rounds}"),
        figure("added per key of the batch, against pasting", (batch - paste) / BATCH, "ms",
               "one key written alone, until it shows", key,
               target="<= 1x (a key in a batch costs no more than the same key pressed alone)",
               note=f"one key alone: median of {rounds}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.keys", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args()
    print(format_table(run(quick=args.quick)))


if __name__ == "__main__":
    main()
