"""A stand-in speech program for tests and benchmarks: it records what it was asked to say, and when.

    python fake_speech.py LOG SECONDS [WAV_COMMAND...] TEXT

Appends one JSON line to LOG as it starts (`start`: the monotonic time, the
text, its own pid, whether it leads a session of its own and has no terminal;
on Linux also `created`: when the kernel created the process, so a benchmark
can leave out this interpreter's own start-up),
then "speaks" for SECONDS: it sleeps, or, given a command after SECONDS (like
`espeak-ng -w DIR/%d.wav`, where %d is replaced by the pid), runs that with the
text and waits for it. A SIGTERM is recorded (`terminated`) before it leaves,
and a natural end as `finished`. CLOCK_MONOTONIC is shared by every process
of the machine, so the times compare with the test's own.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

started = time.monotonic()


def created() -> float | None:
    """When the kernel created this process, on the monotonic clock (Linux), or None.

    /proc gives it in clock ticks since boot (CLOCK_BOOTTIME); it is rounded up to
    the next tick (10 ms on most systems), so it is never earlier than the truth.
    """
    try:
        with open("/proc/self/stat") as stat:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])  # field 22, counted after the name
        boot_now, monotonic_now = time.clock_gettime(time.CLOCK_BOOTTIME), time.monotonic()
        return (ticks + 1) / os.sysconf("SC_CLK_TCK") - boot_now + monotonic_now
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def record(log: str, **fields: object) -> None:
    """One JSON line, appended in one write so lines from several copies never mix."""
    line = json.dumps({**fields, "pid": os.getpid()}) + "\n"
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def main(argv: list[str]) -> int:
    log, seconds, command, text = argv[1], float(argv[2]), argv[3:-1], argv[-1]
    child: list[subprocess.Popen[bytes]] = []

    def on_term(_signum: int, _frame: object) -> None:
        record(log, event="terminated", at=time.monotonic(), text=text)
        for process in child:
            process.wait()  # it got the same SIGTERM: its process group is ours
        os._exit(0)

    signal.signal(signal.SIGTERM, on_term)
    record(log, event="start", at=started, created=created(), text=text, argv=argv[1:],
           own_session=os.getsid(0) == os.getpid(), no_terminal=not any(os.isatty(fd) for fd in (0, 1, 2)))
    if command:
        command = [part.replace("%d", str(os.getpid())) for part in command]
        child.append(subprocess.Popen([*command, text], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL))
        child[0].wait()
    else:
        time.sleep(seconds)
    record(log, event="finished", at=time.monotonic(), text=text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
