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


POOL_UNDER_A_SIGTERM_HANDLER = """
import signal
from pipeline.parallel import map_chunks

def double(xs):
    return [x * 2 for x in xs]

# A host process that handles SIGTERM without exiting (Dagster, a test runner): its forked
# workers inherit the handler, and Pool.terminate() must still end them.
signal.signal(signal.SIGTERM, lambda *args: None)
for _ in range(30):
    assert map_chunks(double, list(range(200)), processes=2) == [x * 2 for x in range(200)]
print("ok")
"""


def test_worker_pools_end_even_when_the_host_ignores_sigterm() -> None:
    import subprocess
    import sys

    from conftest import ROOT

    done = subprocess.run(
        [sys.executable, "-c", POOL_UNDER_A_SIGTERM_HANDLER], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
