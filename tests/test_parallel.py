"""Both cores give the same warehouse as one: chunked workers keep order and content."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import write_corpus
from pipeline.run import run_pipeline
from pipeline.settings import Settings
from pipeline.warehouse.store import WarehouseStore

TIMESTAMPS = {"ingested_at", "seen_at", "processed_at"}


def _rows(warehouse: Path) -> dict[str, list]:
    tables = WarehouseStore(warehouse).read_tables()
    return {
        name: sorted(repr({k: v for k, v in row.items() if k not in TIMESTAMPS}) for row in table.to_pylist())
        for name, table in tables.items()
    }


def test_two_processes_write_the_same_warehouse_as_one(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_corpus(raw, 60, seed=7, mean_words=250)
    run_pipeline(Settings(raw_dir=raw, warehouse_dir=tmp_path / "one", nlp_processes=1))
    run_pipeline(Settings(raw_dir=raw, warehouse_dir=tmp_path / "two", nlp_processes=2))
    one, two = _rows(tmp_path / "one"), _rows(tmp_path / "two")
    assert len(one["articles"]) == 60
    assert one == two
