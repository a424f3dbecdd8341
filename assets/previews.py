"""Markdown previews of a few rows, shown as asset metadata in the Dagster UI."""

from collections.abc import Sequence
from typing import Any

import dagster as dg
import pyarrow as pa


def _cell(value: Any, width: int = 60) -> str:
    text = "" if value is None else str(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def md_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], limit: int = 8) -> dg.MetadataValue:
    """A markdown table of the first rows (dicts) over the given columns."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in list(rows)[:limit]:
        lines.append("| " + " | ".join(_cell(row.get(c)) for c in columns) + " |")
    if not rows:
        lines.append("| " + " | ".join("" for _ in columns) + " |")
    return dg.MetadataValue.md("\n".join(lines))


def md_table(table: pa.Table, columns: Sequence[str], limit: int = 8) -> dg.MetadataValue:
    """A markdown table of the first rows of an Arrow table."""
    return md_rows(table.select(list(columns)).slice(0, limit).to_pylist(), columns, limit)
