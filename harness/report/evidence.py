"""The evidence behind each entry: each cell's own record, in a file beside the page.

A page of a large matrix that carried every cell's record would be slow to open, so index.html holds
none: ``evidence/<k>.js`` holds the records of the cells the report was given k-th by ``PER_FILE``
(as results.json has them, their texts made visible and the links a page may not follow taken out),
and the page's script loads the one file a reader asks for. A few cells to a file: a file each would
be thousands of files for a large matrix, which take longer to make than all they hold to write.

A script, not a JSON file: a page opened from a file on disk may not fetch() another file, but it
may load a script beside it. The record is a JSON text, a JavaScript expression that is data and
nothing else.
"""

from __future__ import annotations

FOLDER = "evidence"
# What marks an evidence folder as written by dbcompat, so that rendering never replaces someone else's.
MARKER = "README.txt"
MARKER_TEXT = (
    "Written by dbcompat: the evidence of index.html, one file per cell, loaded by the page when asked for.\n"
    "Rendering the report again replaces this folder.\n"
)
# The function each file calls, once per cell: the page's script defines it.
CALLBACK = "dbcompatEvidence"
PER_FILE = 4  # cells


def file_of(number: int) -> int:
    """The evidence file holding the record of the ``number``-th cell (from 0)."""
    return number // PER_FILE


def evidence_script(number: int, record: bytes) -> bytes:
    """Cell ``number``'s part of its file: a call handing the page its record, ``record`` being compact JSON.

    A JSON text is a JavaScript expression, which the browser reads as fast as a string: it is
    handed over as it is, unless a key ``__proto__`` would mean something else in an object literal.
    Then it is a string (in compact JSON a newline or other control character is always escaped, so
    escaping backslashes and double quotes is enough), which the page parses.
    """
    if b'"__proto__"' in record:
        record = b'"%s"' % record.replace(b"\\", b"\\\\").replace(b'"', b'\\"')
    # Line terminators in JavaScript before ES2019, even in a string.
    if not record.isascii() and (b"\xe2\x80\xa8" in record or b"\xe2\x80\xa9" in record):
        record = record.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
    return b"%s(%d,%s);\n" % (CALLBACK.encode(), number, record)
