"""Markdown previews of a few rows, shown as asset metadata in the Dagster UI.

Every cell is article text (titles, paths, boilerplate), so none of it may be read as markdown:
a title `![x](http://host/t.png)` must not become an image the UI fetches, nor `<img ...>` HTML,
nor a stray `|` or line break a broken table. `md_cell` escapes every ASCII punctuation
character with a backslash (CommonMark renders each as itself; that covers the emphasis, link,
image, code, HTML, entity and table-pipe syntax) and turns line breaks and control characters
into spaces, so a cell renders as exactly its text, in any CommonMark/GFM renderer.
"""

import string
import unicodedata
from collections.abc import Sequence
from typing import Any

import dagster as dg
import pyarrow as pa

CELL_WIDTH = 60
_ESCAPES = {ord(c): "\\" + c for c in string.punctuation}  # backslash included, so it is escaped first
# Categories that break a table row or can hide text: controls (\r, \n, \x85 ...), line and
# paragraph separators (\u2028, \u2029), lone surrogates (not encodable as UTF-8).
_BREAKING = {"Cc", "Zl", "Zp", "Cs"}


def _one_line(text: str) -> str:
    """The text with every line break and control character turned into a space."""
    return "".join(" " if unicodedata.category(ch) in _BREAKING else ch for ch in text)


def md_cell(value: Any, width: int = CELL_WIDTH) -> str:
    """A value as the literal text of one markdown table cell, cut to `width` characters."""
    text = _one_line("" if value is None else str(value))
    if len(text) > width:  # cut before escaping, so an escape is never split
        text = text[: width - 1] + "…"
    return text.translate(_ESCAPES)


def md_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], limit: int = 8) -> dg.MetadataValue:
    """A markdown table of the first rows (dicts) over the given columns."""
    lines = ["| " + " | ".join(md_cell(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    for row in list(rows)[:limit]:
        lines.append("| " + " | ".join(md_cell(row.get(c)) for c in columns) + " |")
    if not rows:
        lines.append("| " + " | ".join("" for _ in columns) + " |")
    return dg.MetadataValue.md("\n".join(lines))


def md_table(table: pa.Table, columns: Sequence[str], limit: int = 8) -> dg.MetadataValue:
    """A markdown table of the first rows of an Arrow table."""
    return md_rows(table.select(list(columns)).slice(0, limit).to_pylist(), columns, limit)
