"""`python -m bench [--quick]`: run every benchmark module there is, print one table, write docs/benchmarks.md.

Each module (`bench.storage`, `bench.terminal`, `bench.journal`, `bench.journal_screen`, `bench.memory`, `bench.cues`, `bench.keys`, `bench.status`, `bench.plain` when present) has
`run(quick=False) -> list[dict]`; the figures are described in `bench.report`.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import os
import platform
import sys
import time
from datetime import datetime
from pathlib import Path

from bench.report import format_markdown, format_table

MODULES = ("storage", "terminal", "journal", "journal_screen", "memory", "cues", "user_text", "keys", "status", "plain")
"""Benchmark modules, in the order they run; missing ones are skipped."""
REPORT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
"""Where the table is written."""


def _available(names: tuple[str, ...]) -> list[str]:
    return [name for name in names if importlib.util.find_spec(f"bench.{name}") is not None]


def _run_module(name: str, quick: bool) -> list[dict]:
    module = importlib.import_module(f"bench.{name}")
    run = getattr(module, "run")
    accepts_quick = "quick" in inspect.signature(run).parameters
    rows = run(quick=quick) if accepts_quick else run()
    return [{**row, "module": name} for row in rows]


def machine() -> str:
    """CPU count, Python, platform and how busy the machine was, in one line."""
    load = ", load average %.1f at the start" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
    return (f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}), "
            f"Python {platform.python_version()} ({platform.python_implementation()}), {platform.system()} {platform.release()}{load}")


def markdown(sections: list[tuple[str, list[dict], float]], command: str, started: datetime, machine_line: str) -> str:
    """The whole report as Markdown."""
    lines = [
        "# Benchmarks",
        "",
        "Figures printed by the benchmark scripts in `bench/`; every ratio is against a baseline",
        "measured in the same run on the same machine. Regenerate with the command below.",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M %Z').strip()}",
        f"- Machine: {machine_line}",
        f"- Command: `{command}`",
        "",
    ]
    for name, rows, seconds in sections:
        lines += [f"## {name}", "", f"`python -m bench.{name}` ({seconds:.0f} s)", "", format_markdown(rows), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the table, write the report."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, shorter windows")
    parser.add_argument("--only", choices=MODULES, action="append", help="run only this module (repeatable)")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {REPORT.name}")
    args = parser.parse_args(argv)
    names = _available(tuple(args.only) if args.only else MODULES)
    started = datetime.now().astimezone()
    described_machine = machine()  # the load before the benchmarks add their own
    command = "python -m bench" + (" --quick" if args.quick else "") + "".join(f" --only {n}" for n in args.only or [])
    sections = []
    for name in names:
        print(f"== bench.{name} ==", flush=True)
        began = time.monotonic()
        rows = _run_module(name, args.quick)
        sections.append((name, rows, time.monotonic() - began))
        print(flush=True)
    every = [row for _, rows, _ in sections for row in rows]
    print(format_table(every))
    if not args.no_write:
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(markdown(sections, command, started, described_machine), encoding="utf-8")
        print(f"\nwritten: {REPORT.relative_to(Path.cwd()) if REPORT.is_relative_to(Path.cwd()) else REPORT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
