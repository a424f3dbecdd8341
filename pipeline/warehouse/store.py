"""Atomic publishing of the warehouse: DuckDB file and Parquet datasets, swapped in whole.

A new database is built beside the old one (`.news.duckdb.<id>.tmp`) and renamed over it, and
each Parquet file likewise; readers that opened the old file keep reading it, new readers see
the new one, and nobody ever holds a write lock on `news.duckdb`. The DuckDB file is the
authoritative copy: it records the generation it belongs to, and a Parquet copy left behind
by a crash between the two swaps is re-exported from it on the next run.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.warehouse.local import shared_id_units
from pipeline.warehouse.schema import SCHEMAS, UNIQUE_KEYS, duckdb_ddl, existing_columns, select_list

log = logging.getLogger(__name__)

# Storage format readable by DuckDB 1.0 and every later release (DuckDB 2.x writes a newer
# format by default, which 1.x command-line tools cannot open).
STORAGE_VERSION = "v1.0.0"
DB_NAME = "news.duckdb"
PARQUET_FILE = "data.parquet"
PARQUET_BATCH_ROWS = 65_536
# DuckDB's working memory while it builds a new database (its default is 80% of RAM): bounded,
# spilling to disk. The 10,000-article benchmark warehouse needs about 80 MB; a build that still
# runs out gets one retry with the larger limit rather than failing the run.
MEMORY_LIMITS = ("200MB", "1GB")


class StaleBaseError(RuntimeError):
    """Another run published after this run read the warehouse: this run's result is outdated."""


class WarehouseBusyError(RuntimeError):
    """Another run holds the warehouse lock for longer than the wait allowed."""


class DuplicateKeyError(RuntimeError):
    """The new warehouse would hold two rows with one key (`schema.UNIQUE_KEYS`): it is not published."""


class WarehouseStore:
    """The warehouse folder: `news.duckdb`, `parquet/<table>/data.parquet`, a lock file."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.db_path = self.root / DB_NAME
        self.parquet_dir = self.root / "parquet"
        self.lock_path = self.root / ".lock"

    # ---- reading -------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.db_path.exists()

    def connect_readonly(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection; never blocks and is never blocked by a run."""
        return duckdb.connect(str(self.db_path), read_only=True)

    def generation(self) -> str | None:
        """Generation id of the published database, None when there is none."""
        if not self.exists():
            return None
        with contextlib.closing(self.connect_readonly()) as con:
            row = next(iter(con.execute("SELECT generation FROM warehouse_meta").fetchall()), None)
        return row[0] if row else None

    def read_tables(self, names: tuple[str, ...] | None = None) -> dict[str, pa.Table]:
        """Tables of the published database as Arrow (empty tables when there is no warehouse)."""
        names = names or tuple(SCHEMAS)
        if not self.exists():
            return {n: SCHEMAS[n].empty_table() for n in names}
        out: dict[str, pa.Table] = {}
        with contextlib.closing(self.connect_readonly()) as con:
            for name in names:
                out[name] = con.sql(select_published(con, name)).to_arrow_table().cast(SCHEMAS[name])
        return out

    def row_counts(self) -> dict[str, int]:
        """Rows per table of the published database (cheap: no table is read)."""
        if not self.exists():
            return {}
        with contextlib.closing(self.connect_readonly()) as con:
            return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0] for name in SCHEMAS}

    def shared_id_units(self) -> set[str]:
        """Input units whose articles share an id in the published warehouse (one written before
        ids were unique): a planner should read them again, their rows cannot be carried over."""
        if not self.exists():
            return set()
        with contextlib.closing(self.connect_readonly()) as con:
            return shared_id_units(con, con.execute("SELECT current_database()").fetchall()[0][0])

    def head(self, name: str, columns: list[str], limit: int = 8) -> pa.Table:
        """The first rows of a published table, only the columns asked for (previews)."""
        if not self.exists():
            return SCHEMAS[name].empty_table().select(columns)
        with contextlib.closing(self.connect_readonly()) as con:
            return con.sql(f"{select_published(con, name, columns)} LIMIT {int(limit)}").to_arrow_table()

    # ---- writing -------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self, wait_seconds: float = 600.0) -> Iterator[None]:
        """Exclusive lock on the warehouse folder (one publisher at a time)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as fh:
            deadline = time.monotonic() + wait_seconds
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise WarehouseBusyError(f"another run has held {self.lock_path} for over {wait_seconds:.0f}s") from None
                    time.sleep(0.2)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def publish(
        self,
        content: dict[str, pa.Table] | Callable[[duckdb.DuckDBPyConnection], None],
        *,
        generation: str,
        expected_base: str | None,
    ) -> None:
        """Build the new database and Parquet files beside the old ones, then swap them in.

        `content` is either the tables as Arrow, or a function that fills them: it gets a DuckDB
        connection where `w` is the new database (tables created, empty) and `old` the published
        one (read only) when there is one, so rows can go from the old file to the new one
        without passing through Python. `expected_base` is the generation the run started from;
        if another run published in between, nothing is swapped and StaleBaseError is raised.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        self.remove_stale_temporaries()
        token = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        tmp_db = self.root / f".{DB_NAME}.{token}.tmp"
        tmp_parquet: dict[str, Path] = {}
        try:
            for attempt, limit in enumerate(MEMORY_LIMITS):
                try:
                    self._build_duckdb(tmp_db, content, generation, token, limit)
                    break
                except duckdb.OutOfMemoryException:
                    if attempt == len(MEMORY_LIMITS) - 1:
                        raise
                    log.warning(
                        "building the warehouse needed more than %s of memory; retrying with %s",
                        limit,
                        MEMORY_LIMITS[attempt + 1],
                    )
                    for path in _with_wal(tmp_db):
                        path.unlink(missing_ok=True)
            tmp_parquet = self._write_parquet_beside(tmp_db, token)
            with self.lock():
                current = self.generation()
                if current != expected_base:
                    raise StaleBaseError(
                        f"the warehouse changed while this run worked (expected generation {expected_base}, "
                        f"found {current}); run again to include the other run's result"
                    )
                os.replace(tmp_db, self.db_path)
                self._swap_parquet(tmp_parquet, generation)
        finally:
            for path in [*_with_wal(tmp_db), *tmp_parquet.values()]:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()

    def repair_parquet(self) -> bool:
        """Re-export Parquet from DuckDB when a crash left the two at different generations."""
        if not self._parquet_behind():
            return False
        with self.lock():  # checked again under the lock: another run may have published meanwhile
            if not self._parquet_behind():
                return False
            tmp_parquet = self._write_parquet_beside(self.db_path, f"{os.getpid()}-{uuid.uuid4().hex[:12]}")
            self._swap_parquet(tmp_parquet, self.generation())
        return True

    def _parquet_behind(self) -> bool:
        generation = self.generation()
        marker = self.parquet_dir / "_generation"
        return generation is not None and not (marker.exists() and marker.read_text().strip() == generation)

    def remove_stale_temporaries(self) -> int:
        """Delete temporary files left by runs that died (their process is gone); returns how many."""
        removed = 0
        # A database being built may also have its write-ahead log beside it (".tmp.wal").
        for path in [
            *self.root.glob(".*.tmp"),
            *self.root.glob(".*.tmp.wal"),
            *self.parquet_dir.glob("*/.*.tmp"),
            *self.parquet_dir.glob(".*.tmp"),
        ]:
            match = re.search(r"\.(\d+)-[0-9a-f]+\.tmp(\.wal)?$", path.name)
            if match and process_alive(int(match.group(1))):
                continue
            if path.is_dir():  # a DuckDB spill directory
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
                continue
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        return removed

    def _write_parquet_beside(self, db_path: Path, token: str) -> dict[str, Path]:
        """Each table of the database to a hidden temporary file in its dataset folder, ready to
        be renamed in; streamed in record batches, with the Arrow schema (and its column docs)."""
        written: dict[str, Path] = {}
        with contextlib.closing(duckdb.connect(str(db_path), read_only=True)) as con:
            for name, schema in SCHEMAS.items():
                folder = self.parquet_dir / name
                folder.mkdir(parents=True, exist_ok=True)
                tmp = folder / f".{PARQUET_FILE}.{token}.tmp"
                written[name] = tmp
                rel = con.sql(select_published(con, name))  # an older file may lack later columns
                # DuckDB 2 renamed the batch reader; 1.x has only the old name.
                reader = (
                    rel.to_arrow_reader(PARQUET_BATCH_ROWS)
                    if hasattr(rel, "to_arrow_reader")
                    else rel.fetch_record_batch(PARQUET_BATCH_ROWS)
                )
                with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
                    for batch in reader:
                        writer.write_table(pa.Table.from_batches([batch]).cast(schema))
                _fsync(tmp)
        return written

    def _swap_parquet(self, tmp_parquet: dict[str, Path], generation: str) -> None:
        for name, tmp in tmp_parquet.items():
            os.replace(tmp, self.parquet_dir / name / PARQUET_FILE)
        marker_tmp = self.parquet_dir / f"._generation.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
        marker_tmp.write_text(generation + "\n")
        os.replace(marker_tmp, self.parquet_dir / "_generation")

    def _build_duckdb(
        self,
        path: Path,
        content: dict[str, pa.Table] | Callable[[duckdb.DuckDBPyConnection], None],
        generation: str,
        token: str,
        memory_limit: str = MEMORY_LIMITS[0],
    ) -> None:
        con = duckdb.connect()
        spill = self.root / f".spill.{token}.tmp"
        try:
            # Bounded working memory; what does not fit (large sorts and joins) spills to disk.
            con.execute(f"SET memory_limit = '{memory_limit}'")
            con.execute(f"SET temp_directory = {sql_string(spill)}")
            con.execute(f"ATTACH {sql_string(path)} AS w (STORAGE_VERSION '{STORAGE_VERSION}')")
            for name in SCHEMAS:
                con.execute(duckdb_ddl(name, "w"))
            if callable(content):
                if self.exists():
                    con.execute(f"ATTACH {sql_string(self.db_path)} AS old (READ_ONLY)")
                content(con)
            else:
                for name, table in content.items():
                    con.register("src_table", table.cast(SCHEMAS[name]))
                    con.execute(f'INSERT INTO w."{name}" SELECT * FROM src_table')
                    con.unregister("src_table")
            check_unique_keys(con, "w")
            con.execute("CREATE TABLE w.warehouse_meta (generation VARCHAR NOT NULL, published_at TIMESTAMP NOT NULL)")
            con.execute("INSERT INTO w.warehouse_meta VALUES (?, now()::TIMESTAMP)", [generation])
            con.execute("USE w")
            views = resources.files("pipeline.warehouse").joinpath("views.sql").read_text(encoding="utf-8")
            con.execute(views)
            con.execute("USE memory")
            con.execute("CHECKPOINT w")
            con.execute("DETACH w")
        finally:
            con.close()
            shutil.rmtree(spill, ignore_errors=True)
        _fsync(path)


def select_published(con: duckdb.DuckDBPyConnection, table: str, columns: list[str] | None = None) -> str:
    """SELECT of `table` (or of its `columns`) in the connection's database, in today's schema: a
    database written before a column was added reads it as NULL (`schema.select_list`)."""
    schema = SCHEMAS[table]
    fields = [schema.field(c) for c in columns] if columns else list(schema)
    database = con.execute("SELECT current_database()").fetchall()[0][0]
    return f'SELECT {select_list(fields, existing_columns(con, database, table))} FROM "{table}"'


def check_unique_keys(con: duckdb.DuckDBPyConnection, database: str) -> None:
    """Raise DuplicateKeyError naming the table, the key and examples when a key of
    `schema.UNIQUE_KEYS` repeats in `database` (a build checked before it is swapped in)."""
    for table, keys in UNIQUE_KEYS.items():
        for key in keys:
            cols = ", ".join(f'"{c}"' for c in key)
            dupes = con.execute(
                f"""SELECT * FROM (SELECT {cols}, count(*) AS n, count(*) OVER () AS n_keys
                                   FROM "{database}"."{table}" GROUP BY ALL HAVING count(*) > 1)
                    ORDER BY n DESC, {cols} LIMIT 3"""
            ).fetchall()
            if dupes:
                examples = "; ".join(f"{row[:-2]!r} {row[-2]} times" for row in dupes)
                raise DuplicateKeyError(
                    f"refusing to publish: table {table} has {dupes[0][-1]} duplicate key(s) ({', '.join(key)}), "
                    f"e.g. {examples}; the published warehouse was left unchanged. This is a pipeline bug: "
                    "please report it with the raw files involved."
                )


def _with_wal(db_path: Path) -> tuple[Path, Path]:
    """A DuckDB file and the write-ahead log DuckDB may keep beside it."""
    return db_path, db_path.with_name(db_path.name + ".wal")


def sql_string(value: object) -> str:
    """A SQL string literal (for paths in statements that take no parameters, like ATTACH)."""
    return "'" + str(value).replace("'", "''") + "'"


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (one owned by another user counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
