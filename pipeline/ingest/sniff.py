"""Telling binary data from text before (and after) decoding it."""

from __future__ import annotations

import codecs

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
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\x0c\r") + b"\x7f"
_CONTROL_BYTE_LIST = tuple(bytes([b]) for b in _CONTROL_BYTES)
_CONTROL_CHARS = _CONTROL_BYTES.decode("ascii")

# Share of control characters above which data is treated as binary. Real text
# has almost none; compressed or executable data has about one in nine.
MAX_CONTROL_SHARE = 0.05

_BINARY_ADVICE = "convert it to .txt, .html or .json, or remove it from the raw folder"


def binary_problem(data: bytes, *, check_nul: bool = True) -> tuple[str, str] | None:
    """Return `(problem, advice)` when `data` looks binary, else None.

    Data with a UTF-16/32 byte order mark is left to `binary_text_problem`.
    `check_nul=False` skips the NUL-byte test (used for whole .jsonl files,
    where a NUL byte only spoils its own line).
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
    if check_nul and b"\0" in data:
        return "contains NUL bytes, so it is binary data rather than text", _BINARY_ADVICE
    # str/bytes.count runs in C and copies nothing, unlike a regex or translate.
    return _control_problem(sum(data.count(byte) for byte in _CONTROL_BYTE_LIST), len(data))


def binary_text_problem(text: str) -> tuple[str, str] | None:
    """Like `binary_problem`, for already decoded text (catches binary behind a BOM)."""
    if "\0" in text:
        return "contains NUL characters, so it is binary data rather than text", _BINARY_ADVICE
    return _control_problem(sum(text.count(char) for char in _CONTROL_CHARS), len(text))


def _control_problem(n_control: int, length: int) -> tuple[str, str] | None:
    if length and n_control / length > MAX_CONTROL_SHARE:
        return (
            f"is {n_control / length:.0%} control characters, so it is binary data rather than text",
            _BINARY_ADVICE,
        )
    return None
