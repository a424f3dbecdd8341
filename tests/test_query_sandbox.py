"""`news-etl query` is read-only: nothing written anywhere, no file outside the warehouse read.

Every query goes through the real command (`assets.cli.main`) against a real warehouse built
once by the pipeline from two seed articles; tests that try to damage it get their own copy.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from assets.cli import main
from conftest import copy_raw
from pipeline.settings import ENV_WAREHOUSE_DIR, Settings

SECRET = "SECRET-MARKER-7f3a"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real warehouse: two seed articles run through the whole pipeline (no Dagster)."""
    from pipeline.run import run_pipeline

    base = tmp_path_factory.mktemp("query_sandbox")
    raw = copy_raw(base / "raw", ["001_26ff0d73370cc3a0.txt", "004_5abc85a341ba6bb1.txt"])
    run_pipeline(Settings(raw_dir=raw, warehouse_dir=base / "warehouse", nlp_processes=1))
    return base / "warehouse"


@pytest.fixture
def own_copy(warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the warehouse for tests whose query would damage it on a broken sandbox."""
    dest = tmp_path / "own_warehouse"
    shutil.copytree(warehouse, dest)
    return dest


@pytest.fixture(autouse=True)
def _restore_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # The command exports --warehouse to the environment; undo that after each test.
    monkeypatch.setenv(ENV_WAREHOUSE_DIR, "/nonexistent-set-by-the-test")


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    """Files outside the warehouse that a query must not read: text, CSV, JSON, Parquet."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "notes.txt").write_text(f"{SECRET}\n")
    (folder / "table.csv").write_text(f"a,b\n1,{SECRET}\n")
    (folder / "rows.json").write_text(f'[{{"a": "{SECRET}"}}]')
    pq.write_table(pa.table({"a": [SECRET]}), folder / "data.parquet")
    return folder


def query(capsys: pytest.CaptureFixture, warehouse: Path, sql: str, *extra: str) -> tuple[int, str, str]:
    rc = main(["query", sql, "--warehouse", str(warehouse), *extra])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def table_names(warehouse: Path) -> set[str]:
    with contextlib.closing(duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)) as con:
        return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def figure_count(warehouse: Path) -> int:
    with contextlib.closing(duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)) as con:
        return con.execute("SELECT count(*) FROM figures").fetchone()[0]


def assert_refused(rc: int, err: str, what: str) -> None:
    assert rc != 0, err
    assert "refused" in err and what in err, err


# ---- writing files -------------------------------------------------------------------------
def test_copy_to_any_path_is_refused(capsys, warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    rc, _out, err = query(capsys, warehouse, f"COPY (SELECT * FROM articles) TO '{target}'")
    assert_refused(rc, err, "COPY")
    assert not target.exists()


def test_copy_over_the_warehouse_parquet_is_refused(capsys, own_copy: Path) -> None:
    target = own_copy / "parquet" / "articles" / "data.parquet"
    before = target.read_bytes()
    rc, _out, err = query(capsys, own_copy, f"COPY (SELECT * FROM articles LIMIT 0) TO '{target}' (FORMAT parquet)")
    assert_refused(rc, err, "COPY")
    assert target.read_bytes() == before


def test_explain_analyze_does_not_run_a_copy(capsys, warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    rc, _out, err = query(capsys, warehouse, f"EXPLAIN ANALYZE COPY (SELECT 1) TO '{target}'")
    assert_refused(rc, err, "COPY")
    assert not target.exists()


def test_export_database_is_refused(capsys, warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "export"
    rc, _out, err = query(capsys, warehouse, f"EXPORT DATABASE '{target}'")
    assert_refused(rc, err, "EXPORT")
    assert not target.exists()


# ---- reopening the warehouse writable ------------------------------------------------------
def test_attach_read_write_is_refused(capsys, own_copy: Path, tmp_path: Path) -> None:
    # A second name for the same file slips past DuckDB's check that a file is attached once.
    link = tmp_path / "same_file.duckdb"
    os.link(own_copy / "news.duckdb", link)
    rc, _out, err = query(capsys, own_copy, f"ATTACH '{link}' AS w2 (READ_WRITE)")
    assert_refused(rc, err, "ATTACH")
    rc, _out, err = query(capsys, own_copy, f"ATTACH '{link}' AS w2 (READ_WRITE); DROP TABLE w2.figures")
    assert rc != 0 and "refused" in err, err
    assert "figures" in table_names(own_copy) and figure_count(own_copy) > 0


def test_attach_cannot_create_a_database(capsys, warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "new.duckdb"
    rc, _out, err = query(capsys, warehouse, f"ATTACH '{target}' AS n (READ_WRITE)")
    assert_refused(rc, err, "ATTACH")
    assert not target.exists()


# ---- reading files outside the warehouse ---------------------------------------------------
@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_text('{d}/notes.txt')",
        "SELECT * FROM read_blob('{d}/notes.txt')",
        "SELECT * FROM read_csv('{d}/table.csv')",
        "SELECT * FROM '{d}/table.csv'",
        "SELECT * FROM read_json('{d}/rows.json')",
        "SELECT * FROM read_parquet('{d}/data.parquet')",
        "SELECT * FROM '{d}/*.parquet'",
        "SELECT * FROM glob('{d}/*')",
        "SELECT * FROM sniff_csv('{d}/table.csv')",
    ],
)
def test_files_outside_the_warehouse_are_not_readable(capsys, warehouse: Path, secrets: Path, sql: str) -> None:
    rc, out, err = query(capsys, warehouse, sql.format(d=secrets))
    assert_refused(rc, err, "file")
    assert SECRET not in out + err and "notes.txt" not in out


def test_the_warehouse_parquet_is_not_reachable_either(capsys, warehouse: Path) -> None:
    # Allowing a directory in DuckDB also allows writing into it, so only the tables are reachable.
    rc, out, err = query(capsys, warehouse, f"SELECT count(*) FROM '{warehouse}/parquet/articles/data.parquet'")
    assert_refused(rc, err, "file")


# ---- extensions, settings, DDL, several statements -----------------------------------------
@pytest.mark.parametrize(
    ("sql", "what"),
    [
        ("INSTALL httpfs", "INSTALL"),
        ("LOAD parquet", "LOAD"),
        ("SET enable_external_access = true", "SET"),
        ("RESET enable_external_access", "RESET"),
        ("SET lock_configuration = false", "SET"),
        ("SET VARIABLE x = 1", "SET"),
        ("USE news", "USE"),
        ("PRAGMA enable_profiling", "PRAGMA"),
        ("CALL enable_logging()", "CALL"),
        ("CREATE TEMP VIEW v AS SELECT 1", "CREATE"),
        ("CREATE TEMP TABLE t AS SELECT 1", "CREATE"),
        ("DETACH news", "DETACH"),
        ("CHECKPOINT", "CHECKPOINT"),
        ("BEGIN TRANSACTION", "BEGIN"),
        ("DROP TABLE figures", "DROP"),
        ("INSERT INTO figures SELECT * FROM figures", "INSERT"),
        ("PREPARE p AS SELECT 1", "PREPARE"),
        ("UPDATE EXTENSIONS", "UPDATE"),
        ("/* hello */ COPY (SELECT 1) TO '{tmp}/x.csv'", "COPY"),
        ("EXPLAIN (FORMAT json) COPY (SELECT 1) TO '{tmp}/x.csv'", "COPY"),
    ],
)
def test_statements_other_than_queries_are_refused(capsys, warehouse: Path, tmp_path: Path, sql: str, what: str) -> None:
    rc, out, err = query(capsys, warehouse, sql.format(tmp=tmp_path))
    assert_refused(rc, err, f"{what} is refused")
    assert out == "" and list(tmp_path.iterdir()) == []


def test_several_statements_are_refused(capsys, warehouse: Path) -> None:
    rc, out, err = query(capsys, warehouse, "SELECT 1; SELECT 2")
    assert_refused(rc, err, "one statement")
    assert out == ""


def test_settings_cannot_be_changed_from_inside_a_select(capsys, warehouse: Path) -> None:
    # enable_logging() is a table function that changes settings (and can log to a file).
    rc, _out, err = query(capsys, warehouse, "SELECT * FROM enable_logging()")
    assert_refused(rc, err, "configuration")


def test_the_sandboxed_connection_itself_refuses_writes_and_reads(own_copy: Path, secrets: Path, tmp_path: Path) -> None:
    """The DuckDB settings hold even without the statement check (defence in depth)."""
    from pipeline.warehouse.query import connect_sandboxed

    with contextlib.closing(connect_sandboxed(own_copy / "news.duckdb")) as con:
        for sql in (
            f"COPY (SELECT 1) TO '{tmp_path / 'x.csv'}'",
            f"COPY (SELECT * FROM articles LIMIT 0) TO '{own_copy / 'parquet' / 'articles' / 'data.parquet'}'",
            f"ATTACH '{tmp_path / 'n.duckdb'}' AS n (READ_WRITE)",
            f"SELECT * FROM read_text('{secrets / 'notes.txt'}')",
            f"EXPORT DATABASE '{tmp_path / 'export'}'",
            "INSTALL httpfs",
            "SET enable_external_access = true",
            "SET lock_configuration = false",
            "SET temp_directory = '/tmp'",
        ):
            with pytest.raises((duckdb.PermissionException, duckdb.InvalidInputException)):
                con.execute(sql)
        assert con.execute("SELECT count(*) FROM figures_readable").fetchone()[0] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["own_warehouse", "private"]
    assert figure_count(own_copy) > 0


# ---- what still works ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "sql",
    [
        "SELECT a.title, count(*) AS n FROM figures f JOIN articles a USING (article_id) GROUP BY 1 ORDER BY 1",
        "WITH per AS (SELECT article_id, count(*) AS n FROM sentences GROUP BY 1) SELECT max(n) FROM per",
        "SELECT publisher, value, qualifier FROM figures_readable ORDER BY value",
        "FROM articles SELECT count(*)",
        "DESCRIBE articles",
        "SHOW TABLES",
        "SUMMARIZE figures",
        "EXPLAIN SELECT count(*) FROM figures",
        "EXPLAIN ANALYZE SELECT count(*) FROM figures",
        "EXPLAIN (FORMAT json) SELECT 1",
        "EXPLAIN ANALYZE (SELECT 1) UNION ALL (SELECT 2)",
        "PIVOT figures ON category USING count(*)",
        "SELECT * FROM pragma_table_info('articles')",
        "-- a comment first\nSELECT 1 AS one;",
    ],
)
def test_read_queries_still_work(capsys, warehouse: Path, sql: str) -> None:
    rc, out, err = query(capsys, warehouse, sql)
    assert rc == 0, err
    assert err == "" and "row" in out


def test_output_formats(capsys, warehouse: Path) -> None:
    rc, out, _err = query(capsys, warehouse, "SELECT count(*) AS n FROM articles", "--format", "csv")
    assert rc == 0 and out.splitlines() == ["n", "2"]
    rc, out, _err = query(capsys, warehouse, "SELECT title FROM articles ORDER BY title", "--format", "json")
    assert rc == 0 and '"title": "Taliban claims victory - again"' in out


def test_sql_errors_are_still_sql_errors(capsys, warehouse: Path) -> None:
    rc, _out, err = query(capsys, warehouse, "SELEC nonsense")
    assert rc == 1 and "query failed" in err and "refused" not in err


def test_no_warehouse_says_what_to_do(capsys, tmp_path: Path) -> None:
    rc, _out, err = query(capsys, tmp_path / "nowhere", "SELECT 1")
    assert rc == 2 and "news-etl run" in err
    assert not (tmp_path / "nowhere").exists()
