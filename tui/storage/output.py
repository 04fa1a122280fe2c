"""Writing an export where the user said: a file replaced whole, or a pipe or device written into.

A regular file (or a name not yet taken) is replaced atomically through
`files.replace_file`: a failed write leaves the old file and no half of a new
one. Anything else the user names (a FIFO another program reads, a terminal,
`/dev/null`) is opened and written into, as the shell's `>` would: replacing it
would leave the reader with nothing and a stray file in its place.
`/dev/stdout`, `/dev/stderr` and `/dev/fd/N` write to this process's own open
file, so `-o /dev/stdout` behaves as printing does even when stdout is a file
opened for appending.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from tui.storage.files import replace_file, write_all

_OWN_FD = re.compile(r"/dev/(?:fd/(\d+)|(stdout)|(stderr))|/proc/self/fd/(\d+)")
"""Names of this process's own open files, and the fd each stands for."""


def write_export(path: Path, text: str, wait_for_reader: bool = True) -> None:
    """Write `text` (UTF-8) to `path`: replace a regular file atomically (0600), write into anything else.

    A symbolic link to a regular file replaces the file it points to and keeps
    the link. With `wait_for_reader` false, a FIFO no program is reading raises
    OSError(ENXIO) at once instead of waiting for one (the app cannot wait).
    Raises OSError naming the path (or its folder) when it cannot be written.
    """
    path = Path(path).expanduser()
    data = text.encode("utf-8")
    own = _OWN_FD.fullmatch(str(path))
    if own:
        fd = int(own[1] or own[4]) if (own[1] or own[4]) else (1 if own[2] else 2)
        _write_all(fd, data, path)
        return
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is None or stat.S_ISREG(info.st_mode):
        replace_file(target, data)
        return
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    flags = os.O_WRONLY | os.O_CLOEXEC | (0 if wait_for_reader else os.O_NONBLOCK)
    fd = os.open(target, flags)
    try:
        if not wait_for_reader:
            os.set_blocking(fd, True)  # only the open must not wait: the reader is there now
        _write_all(fd, data, path)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes, path: Path) -> None:
    """Write every byte, however many writes a pipe takes; an OSError names `path`."""
    try:
        write_all(fd, data)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from None
