"""A warehouse written before a column was added still carries over (issue 11, item 4's new column).

The old layout is made for real: a warehouse is built by the pipeline, then columns added since
(`articles.metadata_notes` and `articles.dateline_place`, and `articles.byline` /
`figures.attributed_to` standing in for the next ones) are dropped from its news.duckdb. The next
run, through the Dagster job with its checks, must keep the unchanged article (its later columns NULL) and add the new one.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow.parquet as pq

from assets.definitions import build_definitions
from assets.defs.resources import NewsSettings
from pipeline.run import run_pipeline
from pipeline.settings import Settings
from pipeline.warehouse.schema import SCHEMAS
from pipeline.warehouse.store import WarehouseStore

from conftest import HERAT, KUNDUZ

# Columns an older warehouse lacks: the notes and dateline place columns, and two stand-ins for columns added later.
LATER_COLUMNS = {"articles": ("metadata_notes", "dateline_place", "byline"), "figures": ("attributed_to",)}


def _make_old_layout(warehouse: Path) -> None:
    """Rewrite news.duckdb as an older version wrote it: without the later columns. Parquet is
    marked behind, as after a crash between the two swaps, so it is re-exported from this file."""
    with contextlib.closing(duckdb.connect(str(warehouse / "news.duckdb"))) as con:
        for table, columns in LATER_COLUMNS.items():
            for column in columns:
                con.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        con.execute("CHECKPOINT")
    (warehouse / "parquet" / "_generation").unlink()


def _run_job(news: NewsSettings, home: Path) -> dg.ExecuteInProcessResult:
    home.mkdir(exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with dg.DagsterInstance.local_temp(str(home)) as instance:
        return build_definitions(news).resolve_job_def("news_etl").execute_in_process(instance=instance, raise_on_error=False)


def test_an_older_warehouse_reads_with_later_columns_null(tmp_path: Path) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "wh"
    raw.mkdir()
    (raw / "kunduz.txt").write_text(KUNDUZ)
    run_pipeline(Settings(raw_dir=raw, warehouse_dir=warehouse))
    # The stand-in columns hold values today, so NULL below means "read from the old layout".
    first = WarehouseStore(warehouse).read_tables(("articles", "figures"))
    assert any(f["attributed_to"] for f in first["figures"].to_pylist())
    _make_old_layout(warehouse)

    store = WarehouseStore(warehouse)
    tables = store.read_tables()  # the reading side: later columns read as NULL, in schema order
    assert tables["articles"].schema.names == SCHEMAS["articles"].names
    assert tables["articles"].column("metadata_notes").to_pylist() == [None]
    assert store.head("articles", ["source_path", "metadata_notes"]).to_pylist() == [
        {"source_path": "kunduz.txt", "metadata_notes": None}
    ]
    assert store.row_counts()["articles"] == 1
    assert store.repair_parquet()  # re-exported from the old file, in today's schema
    assert pq.read_schema(warehouse / "parquet" / "articles" / "data.parquet").names == SCHEMAS["articles"].names
    before = tables["articles"].to_pylist()[0]

    (raw / "herat.txt").write_text("HERAT, Afghanistan (Tigris Wire) - " + HERAT)
    (raw / "herat.meta.json").write_text(json.dumps({"published": "2021-03-01T10:00:00+99:00"}))
    result = _run_job(NewsSettings(raw_dir=str(raw), warehouse_dir=str(warehouse)), tmp_path / "dagster_home")

    assert result.success
    checks = [e.asset_check_evaluation_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert checks and all(c.passed for c in checks), [c.check_name for c in checks if not c.passed]
    tables = WarehouseStore(warehouse).read_tables()
    articles = {a["source_path"]: a for a in tables["articles"].to_pylist()}
    kept, new = articles["kunduz.txt"], articles["herat.txt"]
    assert kept["ingested_at"] == before["ingested_at"]  # carried over, not read again
    assert kept["metadata_notes"] is None and kept["byline"] is None and kept["dateline_place"] is None
    assert (new["dateline_place"], new["agency"]) == ("HERAT, Afghanistan", "Tigris Wire")
    assert new["body"].startswith("Rebel forces attacked an army base near Herat on Tuesday")
    assert new["metadata_notes"] == "published: '2021-03-01T10:00:00+99:00' is not a valid date (dropped)"
    figures = tables["figures"].to_pylist()
    kept_figures = [f for f in figures if f["article_id"] == kept["article_id"]]
    assert kept_figures and all(f["attributed_to"] is None for f in kept_figures)
    parquet = pq.read_table(warehouse / "parquet" / "articles" / "data.parquet")
    assert set(parquet.column("metadata_notes").to_pylist()) == {new["metadata_notes"], None}
