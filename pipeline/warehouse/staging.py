"""Article-local rows staged on disk as they are produced, so a run's memory does not grow with it.

Each batch of annotated articles becomes one Parquet part file per table under a hidden folder
of the warehouse (`.staging.<pid>-<id>.tmp/<table>/part-NNNNN.parquet`); the publish reads the
parts with DuckDB and the folder is removed afterwards (or, if the run died, by the next run).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.warehouse.local import LOCAL_SCHEMAS


class StagedRows:
    """Parquet part files of article-local rows, with their row counts."""

    def __init__(self, warehouse_dir: Path) -> None:
        self.root = Path(warehouse_dir) / f".staging.{os.getpid()}-{uuid.uuid4().hex[:12]}.tmp"
        self.counts: Counter[str] = Counter()
        self._parts = 0

    def add(self, tables: dict[str, pa.Table]) -> None:
        """Write one batch of article-local tables as part files."""
        for name, table in tables.items():
            if table.num_rows:
                folder = self.root / name
                folder.mkdir(parents=True, exist_ok=True)
                pq.write_table(table.cast(LOCAL_SCHEMAS[name]), folder / f"part-{self._parts:05d}.parquet", compression="zstd")
                self.counts[name] += table.num_rows
        self._parts += 1

    def files(self, name: str) -> list[Path]:
        folder = self.root / name
        return sorted(folder.glob("part-*.parquet")) if folder.exists() else []

    def column(self, name: str, column: str) -> list:
        """One column of a staged table (small ones: the articles' source paths)."""
        return [v for f in self.files(name) for v in pq.read_table(f, columns=[column]).column(column).to_pylist()]

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
