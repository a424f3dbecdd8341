"""The warehouse: contract tables in DuckDB and Parquet, incremental runs, atomic publishing."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import RAW, copy_raw
from pipeline.plan import plan_run
from pipeline.run import run_pipeline
from pipeline.settings import Settings
from pipeline.warehouse.schema import CONTRACT_TABLES, SCHEMAS
from pipeline.warehouse.store import StaleBaseError, WarehouseStore

# The contract's columns and DuckDB types (warehouse-contract.md), checked independently of schema.py.
CONTRACT = {
    "articles": {
        "article_id": "VARCHAR",
        "source_path": "VARCHAR",
        "source_url": "VARCHAR",
        "content_sha256": "VARCHAR",
        "source_format": "VARCHAR",
        "title": "VARCHAR",
        "publisher": "VARCHAR",
        "agency": "VARCHAR",
        "published_at": "TIMESTAMP",
        "body": "VARCHAR",
        "n_chars_raw": "INTEGER",
        "duplicate_of": "VARCHAR",
        "ingested_at": "TIMESTAMP",
        "pipeline_version": "VARCHAR",
    },
    "boilerplate": {"article_id": "VARCHAR", "seq": "INTEGER", "kind": "VARCHAR", "text": "VARCHAR"},
    "sentences": {
        "article_id": "VARCHAR",
        "sentence_idx": "INTEGER",
        "char_start": "INTEGER",
        "char_end": "INTEGER",
        "text": "VARCHAR",
    },
    "entities": {"entity_id": "VARCHAR", "name": "VARCHAR", "label": "VARCHAR", "n_mentions": "INTEGER", "n_articles": "INTEGER"},
    "mentions": {
        "article_id": "VARCHAR",
        "sentence_idx": "INTEGER",
        "entity_id": "VARCHAR",
        "text": "VARCHAR",
        "label": "VARCHAR",
        "char_start": "INTEGER",
        "char_end": "INTEGER",
    },
    "figures": {
        "figure_id": "VARCHAR",
        "article_id": "VARCHAR",
        "sentence_idx": "INTEGER",
        "text": "VARCHAR",
        "value": "DOUBLE",
        "value_low": "DOUBLE",
        "value_high": "DOUBLE",
        "qualifier": "VARCHAR",
        "category": "VARCHAR",
        "counted": "VARCHAR",
        "group_entity_id": "VARCHAR",
        "location_entity_id": "VARCHAR",
        "attributed_to": "VARCHAR",
        "char_start": "INTEGER",
        "char_end": "INTEGER",
    },
    "quarantine": {
        "source_path": "VARCHAR",
        "content_sha256": "VARCHAR",
        "reason": "VARCHAR",
        "detail": "VARCHAR",
        "seen_at": "TIMESTAMP",
    },
}


def _snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, read from the DuckDB file."""
    with contextlib.closing(duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)) as con:
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in SCHEMAS}


def test_contract_tables_and_types_in_duckdb(built: Settings) -> None:
    with contextlib.closing(duckdb.connect(str(built.warehouse_dir / "news.duckdb"), read_only=True)) as con:
        for table, columns in CONTRACT.items():
            found = dict(
                con.execute(
                    f"SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '{table}'"
                ).fetchall()
            )
            for column, type_ in columns.items():
                assert found.get(column) == type_, f"{table}.{column}: {found.get(column)} != {type_}"


def test_parquet_has_the_same_rows_as_duckdb(built: Settings) -> None:
    with contextlib.closing(duckdb.connect(str(built.warehouse_dir / "news.duckdb"), read_only=True)) as con:
        for table in CONTRACT_TABLES:
            parquet = pq.read_table(built.warehouse_dir / "parquet" / table)
            db = con.sql(f'SELECT * FROM "{table}"').to_arrow_table()
            assert parquet.num_rows == db.num_rows
            assert sorted(map(repr, parquet.to_pylist())) == sorted(map(repr, db.to_pylist()))


def test_every_span_matches_its_body(tables: dict) -> None:
    bodies = {a["article_id"]: a["body"] for a in tables["articles"]}
    for table in ("sentences", "mentions", "figures"):
        assert tables[table]
        for row in tables[table]:
            assert bodies[row["article_id"]][row["char_start"] : row["char_end"]] == row["text"], (table, row)


def test_sample_is_fully_accounted_for(tables: dict) -> None:
    files = {p.relative_to(RAW).as_posix() for p in RAW.rglob("*") if p.is_file()}
    units = {a["source_path"].split("#")[0] for a in tables["articles"]} | {q["source_path"] for q in tables["quarantine"]}
    sidecars = {f for f in files if f.endswith(".meta.json")}
    assert files == units | sidecars
    assert [q["reason"] for q in tables["quarantine"]] == ["parse_error"]
    assert {a["source_format"] for a in tables["articles"]} == {"text", "html", "json"}


def test_rerun_on_unchanged_input_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(raw_dir=copy_raw(tmp_path / "raw"), warehouse_dir=tmp_path / "wh")
    run_pipeline(settings)
    before = _snapshot(settings.warehouse_dir)
    mtime = (settings.warehouse_dir / "news.duckdb").stat().st_mtime_ns

    def no_nlp(*args, **kwargs):  # the second run must not reach the NLP stage at all
        raise AssertionError("NLP ran on unchanged input")

    monkeypatch.setattr("pipeline.run.annotate", no_nlp)
    summary = run_pipeline(settings)
    assert not summary.written
    assert _snapshot(settings.warehouse_dir) == before
    assert (settings.warehouse_dir / "news.duckdb").stat().st_mtime_ns == mtime


def test_changed_new_and_removed_files(tmp_path: Path) -> None:
    raw = copy_raw(tmp_path / "raw", ["000_9be1167d6977def7.txt", "003_327fcd0398eff92d.txt", "004_5abc85a341ba6bb1.txt"])
    settings = Settings(raw_dir=raw, warehouse_dir=tmp_path / "wh")
    run_pipeline(settings)
    first = WarehouseStore(settings.warehouse_dir).read_tables()
    kept_before = [r for r in first["sentences"].to_pylist() if r["article_id"] == "000_9be1167d6977def7.txt"]
    ingested_before = {r["article_id"]: r["ingested_at"] for r in first["articles"].to_pylist()}

    (raw / "003_327fcd0398eff92d.txt").write_text(
        "Afghan forces enter southern province\n\nAbout 3,000 fighters were massing near Kandahar, officials said.\n"
    )
    (raw / "004_5abc85a341ba6bb1.txt").unlink()
    shutil.copy(RAW / "001_26ff0d73370cc3a0.txt", raw / "001_26ff0d73370cc3a0.txt")
    plan = plan_run(settings)
    assert sorted(plan.to_process) == ["001_26ff0d73370cc3a0.txt", "003_327fcd0398eff92d.txt"]
    assert plan.removed == ["004_5abc85a341ba6bb1.txt"]
    summary = run_pipeline(settings)
    assert (summary.processed_units, summary.reused_units, summary.removed_units) == (2, 1, 1)

    second = WarehouseStore(settings.warehouse_dir).read_tables()
    articles = {r["article_id"]: r for r in second["articles"].to_pylist()}
    assert set(articles) == {"000_9be1167d6977def7.txt", "001_26ff0d73370cc3a0.txt", "003_327fcd0398eff92d.txt"}
    assert articles["000_9be1167d6977def7.txt"]["ingested_at"] == ingested_before["000_9be1167d6977def7.txt"]
    assert articles["003_327fcd0398eff92d.txt"]["ingested_at"] > ingested_before["003_327fcd0398eff92d.txt"]
    assert "3,000 fighters" in articles["003_327fcd0398eff92d.txt"]["body"]
    assert [r for r in second["sentences"].to_pylist() if r["article_id"] == "000_9be1167d6977def7.txt"] == kept_before
    figures_003 = [f for f in second["figures"].to_pylist() if f["article_id"] == "003_327fcd0398eff92d.txt"]
    assert [(f["value"], f["category"]) for f in figures_003] == [(3000.0, "troops")]
    assert not any(
        r["article_id"] == "004_5abc85a341ba6bb1.txt"
        for t in ("sentences", "mentions", "figures", "boilerplate")
        for r in second[t].to_pylist()
    )


def _comparable(warehouse: Path) -> dict[str, list[str]]:
    """Every table's rows, without the columns that record when a row was written, in a fixed order."""
    volatile = {"ingested_at", "seen_at", "processed_at"}
    return {
        name: sorted(repr({k: v for k, v in row.items() if k not in volatile}) for row in table.to_pylist())
        for name, table in WarehouseStore(warehouse).read_tables().items()
    }


def test_incremental_runs_build_the_same_warehouse_as_one_clean_run(tmp_path: Path) -> None:
    """Rows carried over from the published warehouse (entities re-resolved over old and new
    mentions, figures relinked) equal the rows a clean run over the same files writes."""
    files = sorted(p.relative_to(RAW).as_posix() for p in RAW.rglob("*") if p.is_file())
    raw = tmp_path / "raw"

    def add(names: list[str]) -> None:
        for name in names:
            (raw / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(RAW / name, raw / name)

    add(files[: len(files) // 2])
    step = Settings(raw_dir=raw, warehouse_dir=tmp_path / "step")
    run_pipeline(step)
    add(files[len(files) // 2 :])
    summary = run_pipeline(step)
    assert summary.reused_units > 0 and summary.processed_units > 0
    whole = Settings(raw_dir=raw, warehouse_dir=tmp_path / "whole")
    run_pipeline(whole)
    assert _comparable(step.warehouse_dir) == _comparable(whole.warehouse_dir)
    # Staged rows, DuckDB spill folders and temporary files are all gone after a run.
    leftovers = [p.name for p in step.warehouse_dir.iterdir() if p.name.startswith(".") and p.name != ".lock"]
    assert leftovers == []


def test_new_pipeline_version_reprocesses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(raw_dir=copy_raw(tmp_path / "raw", ["002_9053da883cae559c.txt"]), warehouse_dir=tmp_path / "wh")
    run_pipeline(settings)
    for module in ("pipeline.plan", "pipeline.stages.annotate", "pipeline.publish"):  # each stamps the version
        monkeypatch.setattr(f"{module}.PIPELINE_VERSION", "9.9.9-test")
    assert plan_run(settings).to_process == ["002_9053da883cae559c.txt"]
    run_pipeline(settings)
    versions = {
        r["pipeline_version"] for r in WarehouseStore(settings.warehouse_dir).read_tables(("articles",))["articles"].to_pylist()
    }
    assert versions == {"9.9.9-test"}


def test_duplicate_bodies_and_shared_urls(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    text = (RAW / "002_9053da883cae559c.txt").read_text()
    (raw / "a.txt").write_text(text)
    (raw / "b.txt").write_text(text)
    for name in ("a", "b"):
        (raw / f"{name}.meta.json").write_text('{"url": "https://example.org/story", "published": "2001-11-18"}')
    settings = Settings(raw_dir=raw, warehouse_dir=tmp_path / "wh")
    run_pipeline(settings)
    articles = {
        r["source_path"]: r for r in WarehouseStore(settings.warehouse_dir).read_tables(("articles",))["articles"].to_pylist()
    }
    assert articles["a.txt"]["article_id"] == "https://example.org/story"
    assert articles["b.txt"]["article_id"] == "https://example.org/story#b.txt"
    assert articles["b.txt"]["duplicate_of"] == "https://example.org/story"
    assert articles["a.txt"]["duplicate_of"] is None


def test_readers_keep_working_across_a_publish(tmp_path: Path) -> None:
    raw = copy_raw(tmp_path / "raw", ["000_9be1167d6977def7.txt"])
    settings = Settings(raw_dir=raw, warehouse_dir=tmp_path / "wh")
    run_pipeline(settings)
    reader = duckdb.connect(str(settings.warehouse_dir / "news.duckdb"), read_only=True)
    try:
        shutil.copy(RAW / "001_26ff0d73370cc3a0.txt", raw)
        run_pipeline(settings)  # publishes while the reader holds the old file open
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    finally:
        reader.close()
    with contextlib.closing(duckdb.connect(str(settings.warehouse_dir / "news.duckdb"), read_only=True)) as fresh:
        assert fresh.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_stale_run_does_not_overwrite_a_newer_warehouse(tmp_path: Path) -> None:
    store = WarehouseStore(tmp_path / "wh")
    empty = {n: s.empty_table() for n, s in SCHEMAS.items()}
    store.publish(empty, generation="g1", expected_base=None)
    store.publish(empty, generation="g2", expected_base="g1")
    with pytest.raises(StaleBaseError):
        store.publish(empty, generation="g3", expected_base="g1")
    assert store.generation() == "g2"
    assert not list((tmp_path / "wh").glob(".*.tmp"))


def test_parquet_left_behind_by_a_crash_is_repaired(tmp_path: Path) -> None:
    settings = Settings(raw_dir=copy_raw(tmp_path / "raw", ["003_327fcd0398eff92d.txt"]), warehouse_dir=tmp_path / "wh")
    run_pipeline(settings)
    marker = settings.warehouse_dir / "parquet" / "_generation"
    marker.write_text("older-generation\n")  # as if the run died between the DuckDB and Parquet swaps
    (settings.warehouse_dir / "parquet" / "articles" / "data.parquet").unlink()
    assert WarehouseStore(settings.warehouse_dir).repair_parquet()
    assert pq.read_table(settings.warehouse_dir / "parquet" / "articles").num_rows == 1


def test_database_file_uses_a_storage_format_duckdb_1x_reads(built: Settings) -> None:
    # DuckDB's header stores the storage version number at byte 8..16 of the main header block;
    # 64 is the number written for the v1.0.0 storage format (read by DuckDB 0.10 and every 1.x).
    header = (built.warehouse_dir / "news.duckdb").read_bytes()[:64]
    assert header[8:12] == b"DUCK"
    assert int.from_bytes(header[12:20], "little") == 64


def test_a_warehouse_path_with_quotes_and_spaces_works(tmp_path: Path) -> None:
    """Paths reach DuckDB statements that take no parameters (ATTACH, read_parquet): quoted right."""
    raw = copy_raw(tmp_path / "raw", ["000_9be1167d6977def7.txt"])
    settings = Settings(raw_dir=raw, warehouse_dir=tmp_path / "analyst's warehouse")
    run_pipeline(settings)
    shutil.copy(RAW / "002_9053da883cae559c.txt", raw / "002_9053da883cae559c.txt")
    summary = run_pipeline(settings)  # incremental: attaches the published file as `old`
    assert summary.written and summary.row_counts["articles"] == 2


def test_a_build_over_duckdbs_memory_limit_is_retried_with_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A warehouse that outgrows the bounded build memory still publishes (and says so)."""
    from pipeline.warehouse import store as store_module

    raw = copy_raw(tmp_path / "raw")
    run_pipeline(Settings(raw_dir=raw, warehouse_dir=tmp_path / "reference"))
    monkeypatch.setattr(store_module, "MEMORY_LIMITS", ("1MB", "200MB"))
    with caplog.at_level("WARNING", logger="pipeline.warehouse.store"):
        summary = run_pipeline(Settings(raw_dir=raw, warehouse_dir=tmp_path / "wh"))
    assert "needed more than 1MB" in caplog.text
    assert summary.written and summary.row_counts == WarehouseStore(tmp_path / "reference").row_counts()
    assert [p.name for p in (tmp_path / "wh").iterdir() if p.name.startswith(".") and p.name != ".lock"] == []


def test_temporaries_of_dead_runs_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    store = WarehouseStore(tmp_path)
    dead, alive = "999999999-0123456789ab", f"{os.getpid()}-0123456789ab"  # no process 999999999
    (tmp_path / "parquet" / "articles").mkdir(parents=True)
    stale = [
        tmp_path / f".news.duckdb.{dead}.tmp",
        tmp_path / f".news.duckdb.{dead}.tmp.wal",  # the write-ahead log of a database being built
        tmp_path / "parquet" / "articles" / f".data.parquet.{dead}.tmp",
        tmp_path / "parquet" / f"._generation.{dead}.tmp",
    ]
    kept = [tmp_path / f".news.duckdb.{alive}.tmp", tmp_path / f".news.duckdb.{alive}.tmp.wal"]
    for path in [*stale, *kept]:
        path.write_bytes(b"x")
    spill = tmp_path / f".spill.{dead}.tmp"
    spill.mkdir()
    (spill / "block").write_bytes(b"x")
    assert store.remove_stale_temporaries() == len(stale) + 1
    assert [p for p in [*stale, spill] if p.exists()] == []
    assert all(p.exists() for p in kept)
