"""Valid UTF-8 strings: escaped file names, and record text with lone surrogates replaced.

Every string the warehouse stores must be valid UTF-8 (Arrow and DuckDB refuse anything else).
Two inputs break that:

- **File names** are bytes on POSIX. A name that is not UTF-8 (a scraper on a Latin-1 system
  writes `caf\\xe9.txt`) reaches Python as a str holding lone surrogates (PEP 383). Each name is
  escaped when the raw folder is scanned: a byte that is not part of valid UTF-8 becomes `\\xNN`
  (two lower-case hex digits), a literal backslash becomes `\\\\`, and the `#` of a name that
  ends like a JSONL line reference (`feed.jsonl#3`) becomes `\\x23`, so that such a file is never
  taken for line 3 of `feed.jsonl`. Valid UTF-8 names with neither are unchanged. The rule is
  reversible: `unescape_name` gives back the exact bytes, and every disk access goes through it.
- **JSON strings** may hold escapes of lone surrogates (`"\\ud800"`): `valid_text` replaces each
  lone surrogate with U+FFFD (a valid pair becomes its character), leaving the rest as it is.
"""

from __future__ import annotations

import os
import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
# What `escape_name` writes: a doubled backslash, or \x and two hex digits.
_ESCAPE = re.compile(r"\\(?:(\\)|x([0-9a-fA-F]{2}))")
# The "#" of a name ending like "feed.jsonl#3" or "feed.jsonl.gz#3" (what `unit_of` splits on).
_JSONL_LINE_HASH = re.compile(r"(?<=\.jsonl)#(?=\d+$)|(?<=\.jsonl\.gz)#(?=\d+$)", re.IGNORECASE)
# surrogateescape maps an undecodable byte b to the code point 0xDC00 + b (b >= 0x80).
_ESCAPED_BYTE_BASE = 0xDC00


def escape_name(name: str | bytes) -> str:
    """One file or folder name (bytes, or str as `os` returns it) as valid UTF-8, reversibly.

    `b"caf\\xe9.txt"` -> `caf\\xe9.txt` (backslash, x, e, 9); `a\\b.txt` -> `a\\\\b.txt`;
    `café.txt` -> `café.txt`.
    """
    raw = name if isinstance(name, bytes) else os.fsencode(name)
    text = raw.decode("utf-8", "surrogateescape").replace("\\", "\\\\")
    if _SURROGATE.search(text):  # only undecodable bytes: decoding made them U+DC80..U+DCFF
        text = _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - _ESCAPED_BYTE_BASE:02x}", text)
    return _JSONL_LINE_HASH.sub(r"\\x23", text)


def unescape_name(escaped: str) -> bytes:
    """The exact bytes of a name written by `escape_name` (an unknown escape is kept as written)."""
    out = bytearray()
    pos = 0
    for match in _ESCAPE.finditer(escaped):
        out += escaped[pos : match.start()].encode("utf-8", "surrogateescape")
        out += b"\\" if match.group(1) else bytes([int(match.group(2), 16)])
        pos = match.end()
    out += escaped[pos:].encode("utf-8", "surrogateescape")
    return bytes(out)


def os_name(escaped: str) -> str:
    """A name written by `escape_name` in the form `os` functions take (str, surrogateescape)."""
    return escaped if "\\" not in escaped else os.fsdecode(unescape_name(escaped))


def escape_path(path: str) -> str:
    """A relative POSIX path of os-level names, escaped name by name."""
    return "/".join(escape_name(part) for part in path.split("/"))


def valid_text(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD; a valid surrogate pair becomes its character."""
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def valid_value(value: Any) -> Any:
    """`value` with `valid_text` applied to every string in it, in lists and dict keys and values too."""
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, list):
        return [valid_value(item) for item in value]
    if isinstance(value, dict):
        return {valid_value(key): valid_value(item) for key, item in value.items()}
    return value
