"""Characters a person cannot see but a computer compares: one list, used for headers and cells.

Two exports joined with `cat` leave a byte-order mark (U+FEFF) at the start of the second
file's first line; text pasted from web pages brings zero-width spaces (U+200B) and Unicode
line separators (U+2028). Each would make `2024-000002` a different id from `\\ufeff2024-000002`.
"""

from __future__ import annotations

import re

# Removed outright: they have no width and never carry meaning in an export.
ZERO_WIDTH = "\ufeff\u200b\u200c\u200d\u2060\u00ad\u180e"
# Read as a space (then collapsed like any other): they break a line or a paragraph.
LINE_SEPARATORS = "\u2028\u2029\u0085"

INVISIBLE_PATTERN = f"[{ZERO_WIDTH}]"
SEPARATOR_PATTERN = f"[{LINE_SEPARATORS}]"

_TABLE = {ord(c): None for c in ZERO_WIDTH} | {ord(c): " " for c in LINE_SEPARATORS}
_LONE_CR = re.compile(r"\r(?!\n)")


def visible(text: str) -> str:
    """The text without zero-width characters, with Unicode line separators as spaces."""
    return text.translate(_TABLE)


def unix_lines(text: str) -> tuple[str, int]:
    """Old-Mac line endings (CR alone) as LF, and how many were changed; CRLF stays as it is."""
    return _LONE_CR.subn("\n", text)
