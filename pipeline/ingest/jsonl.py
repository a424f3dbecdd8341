"""Cutting a .jsonl file into its non-blank lines, keeping their line numbers."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .decode import decode_wide, wide_bom


@dataclass(frozen=True)
class JsonlLine:
    """One non-blank line of a .jsonl file."""

    number: int  # 1-based line number in the file, blank lines included
    raw: bytes  # the line's bytes without the line ending
    text: str | None  # already decoded (files with a UTF-16/32 byte order mark), else None


def split_jsonl(data: bytes) -> list[JsonlLine]:
    """Split decompressed .jsonl bytes into non-blank lines.

    Lines are cut on bytes, so each line keeps the exact bytes its digest is
    taken over. UTF-16/32 files cannot be cut on b"\\n", so they are decoded
    first and each line is re-encoded; a broken one raises `IngestProblem`.
    """
    bom = wide_bom(data)
    if bom is not None:
        return _split_wide(data, *bom)
    lines: list[JsonlLine] = []
    for index, raw in enumerate(data.split(b"\n")):
        raw = raw.removesuffix(b"\r")
        content = raw.removeprefix(codecs.BOM_UTF8) if index == 0 else raw
        if content.strip():
            lines.append(JsonlLine(index + 1, raw, None))
    return lines


def _split_wide(data: bytes, bom_length: int, codec: str) -> list[JsonlLine]:
    text = decode_wide(data, bom_length, codec).text
    lines: list[JsonlLine] = []
    for index, line in enumerate(text.split("\n")):
        line = line.removesuffix("\r")
        if line.strip():
            lines.append(JsonlLine(index + 1, line.encode(codec), line))
    return lines
