"""The line layout: a TinyDB file that takes a new document without rewriting the ones before it.

A journal month file gains one session at a time. Written whole, its sessions
would be read, checked and written again at every finish; in this layout the
new session is appended and the bytes already there are never touched. It is
still one plain JSON object that stock TinyDB (or an older backrelief) reads::

    {"_meta": {"schema": 1}, "sessions": {
    "1": {...}
    ,"2": {...}
    }}

one document a line (JSON text never holds a raw newline), then the closing
line. An append is two writes, each made durable before the next:

1. the new document and a new closing line go after the file's end. Until the
   next write the file is its old self followed by bytes that are not JSON; a
   reader takes it up to its first closing line (`cut_unfinished`), which is
   the old file exactly, whether the process was killed, the disk filled or
   the power went mid-way;
2. the old closing line's two braces become two spaces: one write of two bytes
   inside one page (a closing line is never placed across a page's end), so
   the file is either the old one or the new one.

No Textual, no TinyDB, nothing slow to import: `backrelief status` reads month
files through this module too.
"""

from __future__ import annotations

import json

CLOSING = b"\n}}\n"
"""The last line: the end of the table and of the file."""
PAGE = 4096
"""Two bytes written inside one page are written whole; a closing line's braces never straddle one."""


def head(table: str, schema: int) -> bytes:
    """The first line, up to the opening of `table`."""
    return b'{"_meta": {"schema": %d}, %s: {' % (schema, json.dumps(table).encode("utf-8"))


def document_line(doc_id: int, document: bytes, first: bool) -> bytes:
    """The line of one document (its JSON text), without its newline; every one but the first opens with a comma."""
    return b'%s"%d": %s' % (b"" if first else b",", doc_id, document)


def padded(before_closing: int) -> bytes:
    """What goes between a last line ending at `before_closing` and the closing line: a space when the braces
    would otherwise start on the last byte of a page."""
    return b" " if (before_closing + 1) % PAGE == PAGE - 1 else b""


def layout(table: str, schema: int, documents: list[tuple[int, bytes]]) -> bytes:
    """A whole file in the line layout: `documents` are (id, JSON text) in order."""
    parts = [head(table, schema)]
    for index, (doc_id, document) in enumerate(documents):
        parts.append(b"\n" + document_line(doc_id, document, first=index == 0))
    body = b"".join(parts)
    return body + padded(len(body)) + CLOSING


def appendable(data: bytes, table: str, schema: int) -> bool:
    """Whether `data`, a whole file known to be valid JSON with no table but `table`, ends as this layout does,
    so a document can be appended after it."""
    start = head(table, schema)
    return (len(data) >= len(start) + len(CLOSING) + 1 and data.startswith(start) and data.endswith(CLOSING)
            and data[-len(CLOSING) - 1:-len(CLOSING)] in (b"{", b"}", b" ") and not straddles(len(data) - 3))


def straddles(braces: int) -> bool:
    """Whether the closing braces at offset `braces` cross a page's end (then they are not overwritten in place)."""
    return braces % PAGE == PAGE - 1


def last_is_head(before_closing: bytes) -> bool:
    """Whether the byte before the closing line ends the first line (the table is empty: no comma before the next)."""
    return before_closing == b"{"


def cut_unfinished(data: bytes) -> bytes | None:
    """The file as it was before an append that did not finish (everything up to its first closing line),
    or None when `data` is not such a file. The caller checks that what is left is valid JSON."""
    end = data.find(CLOSING)
    if end < 0 or end + len(CLOSING) == len(data):
        return None
    return data[:end + len(CLOSING)]
