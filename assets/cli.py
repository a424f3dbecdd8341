"""`news-etl`: run the asset graph once (same definitions as the UI) or query the warehouse."""

import argparse
import contextlib
import csv
import json
import os
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from pipeline.settings import ENV_RAW_DIR, ENV_WAREHOUSE_DIR

_DAGSTER_YAML = "# Project-local Dagster instance created by news-etl.\ntelemetry:\n  enabled: false\n"


def _ensure_dagster_home() -> Path:
    """DAGSTER_HOME, defaulting to ./.dagster_home so runs from the CLI show in `make ui`."""
    home = Path(os.environ.get("DAGSTER_HOME") or Path.cwd() / ".dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(_DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _apply_dirs(args: argparse.Namespace) -> None:
    # The code location reads these when it loads, exactly as under the UI and the schedule.
    if getattr(args, "raw", None):
        os.environ[ENV_RAW_DIR] = str(Path(args.raw).resolve())
    if getattr(args, "warehouse", None):
        os.environ[ENV_WAREHOUSE_DIR] = str(Path(args.warehouse).resolve())


def cmd_run(args: argparse.Namespace) -> int:
    """Materialize every asset once in this process and print a summary."""
    _apply_dirs(args)
    _ensure_dagster_home()

    from assets.definitions import build_definitions
    from assets.defs.resources import NewsSettings

    settings = NewsSettings.from_env()
    defs = build_definitions(settings)
    started = time.perf_counter()
    with open_dagster_instance() as instance:
        # The console shows warnings and errors only (the full event log is in the UI) unless --verbose.
        level = "DEBUG" if args.verbose else "WARNING"
        result = defs.resolve_job_def("news_etl").execute_in_process(
            instance=instance, raise_on_error=False, run_config={"loggers": {"console": {"config": {"log_level": level}}}}
        )
    elapsed = time.perf_counter() - started
    if not result.success:
        print(f"news-etl: run {result.run_id} failed: {_failure_reason(result)}", file=sys.stderr)
        return 1
    checks = [e.asset_check_evaluation_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    _print_summary(settings, result.run_id, elapsed, checks)
    return 0


@contextlib.contextmanager
def open_dagster_instance():
    """The project's Dagster instance ($DAGSTER_HOME), created safely when two processes race.

    Opening a new SQLite instance creates its schema; two processes doing that at once corrupt
    it, so the first open (and any migration) is serialised by a lock in DAGSTER_HOME.
    """
    import dagster as dg

    _ensure_dagster_home()
    with _instance_lock(), dg.DagsterInstance.get() as instance:
        instance.get_runs(limit=1)
    with dg.DagsterInstance.get() as instance:
        yield instance


@contextlib.contextmanager
def _instance_lock():
    import fcntl

    path = Path(os.environ["DAGSTER_HOME"]) / ".news-etl-instance.lock"
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _failure_reason(result) -> str:
    """The underlying error of the failed step ("the warehouse changed while this run worked ..."), not just its name."""
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = getattr(event.event_specific_data, "error", None)
            while (
                error is not None and error.cause is not None and "DagsterExecutionStepExecutionError" in (error.cls_name or "")
            ):
                error = error.cause
            if error is not None:
                return f"{error.cls_name}: {error.message.strip()}"
    failure = next((e for e in result.all_events if e.is_failure), None)
    return failure.message if failure else "see the Dagster UI"


def _print_summary(settings, run_id: str, elapsed: float, checks: Sequence) -> None:
    from pipeline.warehouse.store import WarehouseStore

    store = WarehouseStore(Path(settings.warehouse_dir))
    with contextlib.closing(store.connect_readonly()) as con:

        def one(sql: str) -> int:
            return con.execute(sql).fetchone()[0]

        counts = {
            "articles": one("SELECT count(*) FROM articles"),
            "quarantined": one("SELECT count(*) FROM quarantine"),
            "boilerplate pieces removed": one("SELECT count(*) FROM boilerplate"),
            "sentences": one("SELECT count(*) FROM sentences"),
            "mentions": one("SELECT count(*) FROM mentions"),
            "entities": one("SELECT count(*) FROM entities"),
            "figures": one("SELECT count(*) FROM figures"),
        }
        reasons = con.execute("SELECT reason, count(*) FROM quarantine GROUP BY reason ORDER BY 2 DESC").fetchall()
    print(f"news-etl run {run_id} finished in {elapsed:.1f}s")
    print(f"  raw:       {settings.raw_dir}")
    print(f"  warehouse: {store.db_path}  (Parquet in {store.parquet_dir})")
    for name, n in counts.items():
        print(f"  {name:<27} {n:>7}")
    if reasons:
        print("  quarantine reasons: " + ", ".join(f"{r} {n}" for r, n in reasons))
    failed = [c for c in checks if not c.passed]
    print(f"  checks: {len(checks) - len(failed)} passed, {len(failed)} failed")
    for c in failed:
        print(f"    FAILED {c.asset_key.to_user_string()}:{c.check_name}")


def _jsonable(value: object) -> object:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


# Exit code of `news-etl query` for a statement the read-only command does not run (1: SQL error, 2: no warehouse).
QUERY_REFUSED = 3


def cmd_query(args: argparse.Namespace) -> int:
    """Read-only SQL against the warehouse, in DuckDB's sandbox; works while a run is writing."""
    _apply_dirs(args)
    import duckdb

    from pipeline.settings import Settings
    from pipeline.warehouse.query import QueryRefused, run_query
    from pipeline.warehouse.store import WarehouseStore

    store = WarehouseStore(Settings.from_env().warehouse_dir)
    if not store.exists():
        print(f"news-etl: no warehouse at {store.db_path}; run `news-etl run` first", file=sys.stderr)
        return 2
    try:
        result = run_query(store.db_path, args.sql)
    except QueryRefused as exc:
        print(f"news-etl query: {exc}", file=sys.stderr)
        return QUERY_REFUSED
    except duckdb.Error as exc:
        print(f"news-etl: query failed: {exc}", file=sys.stderr)
        return 1
    columns, rows = result.columns, result.rows
    out = sys.stdout
    if args.format == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    elif args.format == "json":
        json.dump([{c: _jsonable(v) for c, v in zip(columns, row)} for row in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        _print_table(columns, rows, out)
    return 0


def _print_table(columns: list[str], rows: list[tuple], out) -> None:
    cells = [[("NULL" if v is None else str(_jsonable(v))).replace("\n", " ") for v in row] for row in rows]
    widths = [min(80, max([len(c)] + [len(r[i]) for r in cells])) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return " | ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w) for v, w in zip(values, widths)).rstrip()

    out.write(line(columns) + "\n")
    out.write("-+-".join("-" * w for w in widths) + "\n")
    for r in cells:
        out.write(line(r) + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="news-etl", description="Conflict-news ETL: raw articles to a DuckDB + Parquet warehouse."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="materialize the whole asset graph once, in this process")
    run.add_argument("--raw", help=f"raw folder (default: ${ENV_RAW_DIR} or ./raw)")
    run.add_argument("--warehouse", help=f"warehouse folder (default: ${ENV_WAREHOUSE_DIR} or ./warehouse)")
    run.add_argument("--verbose", action="store_true", help="print Dagster's full event log")
    run.set_defaults(func=cmd_run)
    query = sub.add_parser("query", help="read-only SQL against the warehouse")
    query.add_argument("sql")
    query.add_argument("--warehouse", help=f"warehouse folder (default: ${ENV_WAREHOUSE_DIR} or ./warehouse)")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(func=cmd_query)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
