"""Telling binary data from text before (and after) decoding it, and removing the stray
control characters that text kept as text may still carry."""

from __future__ import annotations

import codecs
import re

# Magic numbers of the binary files that most often land in a scrape folder.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"PK\x05\x06", "a ZIP archive (or an Office document)"),
    (b"PK\x07\x08", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
)

# UTF-16/32 text is full of NUL and control bytes; it is checked after decoding.
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)

# C0 control characters other than tab, newline, form feed and carriage return, plus DEL.
# NUL is one of them: a few in a page are noise (stripped), a high share means binary.
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\x0c\r") + b"\x7f"
_CONTROL_BYTE_LIST = tuple(bytes([b]) for b in _CONTROL_BYTES)
_CONTROL_CHARS = _CONTROL_BYTES.decode("ascii")
# What `strip_controls` removes: the C0 controls above (DEL, rare and harmless in text, stays).
_STRAY_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")

# Share of control characters above which data is treated as binary. Real text
# has almost none; compressed or executable data has about one in nine.
MAX_CONTROL_SHARE = 0.05
# UTF-16 without a byte order mark: in Latin-script text one byte of each pair is NUL.
_WIDE_NUL_SHARE, _NARROW_NUL_SHARE = 0.5, 0.05

_BINARY_ADVICE = "convert it to .txt, .html or .json, or remove it from the raw folder"


def binary_problem(data: bytes, *, check_nul: bool = True) -> tuple[str, str] | None:
    """Return `(problem, advice)` when `data` looks binary, else None.

    Decided from the content as a whole: a magic number, a share of control bytes (NUL
    included) over `MAX_CONTROL_SHARE`, UTF-16 without a byte order mark, or NUL bytes in data
    that is not UTF-8 (random or packed bytes). A few stray NULs in UTF-8 text (attribute soup
    in a scraped page) are not binary: the clean stage removes them with `strip_controls`.
    Data with a UTF-16/32 byte order mark is left to `binary_text_problem`.
    `check_nul=False` skips the NUL test (used for whole .jsonl files, where NUL bytes are
    left to the lines they are on).
    """
    if data.startswith(_WIDE_BOMS):
        return None
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if magic == b"\x1f\x8b":
                return (
                    "is gzip-compressed but its name does not end in .gz",
                    "add .gz to its name so it is decompressed",
                )
            return f"looks like {kind}, not text", _BINARY_ADVICE
    # str/bytes.count runs in C and copies nothing, unlike a regex or translate.
    n_nul = data.count(0)
    if n_nul and _looks_utf16(data):
        return (
            "looks like UTF-16 text without a byte order mark (every other byte is NUL)",
            "re-save it as UTF-8, or as UTF-16 with a byte order mark, which is read as text",
        )
    found = _control_problem(sum(data.count(byte) for byte in _CONTROL_BYTE_LIST), len(data), n_nul)
    if found or not (check_nul and n_nul) or _is_utf8(data):
        return found
    return "contains NUL bytes and is not UTF-8 text, so it is binary data rather than text", _BINARY_ADVICE


def binary_text_problem(text: str) -> tuple[str, str] | None:
    """Like `binary_problem`, for already decoded text (catches binary behind a BOM)."""
    return _control_problem(sum(text.count(char) for char in _CONTROL_CHARS), len(text), text.count("\0"))


def strip_controls(text: str) -> str:
    """`text` without NUL and the other C0 control characters; tab, newline, form feed and
    carriage return stay. Text that passed the binary checks may still carry a few."""
    return _STRAY_CONTROLS.sub("", text)


def _looks_utf16(data: bytes) -> bool:
    """NUL in at least half of one byte position (even or odd) and almost never in the other."""
    even, odd = data[0::2], data[1::2]
    if not even or not odd:
        return False
    even_share, odd_share = even.count(0) / len(even), odd.count(0) / len(odd)
    return (odd_share >= _WIDE_NUL_SHARE and even_share <= _NARROW_NUL_SHARE) or (
        even_share >= _WIDE_NUL_SHARE and odd_share <= _NARROW_NUL_SHARE
    )


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _control_problem(n_control: int, length: int, n_nul: int = 0) -> tuple[str, str] | None:
    if length and n_control / length > MAX_CONTROL_SHARE:
        among = " (NUL bytes among them)" if n_nul else ""
        return (
            f"is {n_control / length:.0%} control characters{among}, so it is binary data rather than text",
            _BINARY_ADVICE,
        )
    return None
