"""Read-only SQL over a published warehouse: the sandbox behind `news-etl query`.

Two layers, each enough on its own for what it guards:

1. DuckDB's own settings. The database is opened read-only with external access off, so no file
   but the database itself can be read or written (no COPY, ATTACH, EXPORT, read_text(), glob(),
   INSTALL/LOAD of extensions), nothing spills to disk, and the configuration is locked so that
   no statement can undo any of it (DuckDB 2.0: `enable_external_access` cannot even be turned
   back on while the database runs).
2. A statement check before anything runs: exactly one statement, and it must be a query
   (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, PIVOT, or EXPLAIN of one). Everything
   else is refused by name, so the user learns what was refused rather than a DuckDB error.

The warehouse's Parquet copies are not reachable: DuckDB's `allowed_directories` would let a
query read them, but it lets COPY and ATTACH write into them as well.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

WHAT_IS_ALLOWED = (
    "the query command is read-only and runs one query (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, "
    "SUMMARIZE, PIVOT, or EXPLAIN of one) on the warehouse's tables and views"
)
# What to write instead, for statements an analyst may reach for out of habit.
_INSTEAD = {
    "PRAGMA": "for table_info and the like, SELECT * FROM pragma_table_info('articles') or DESCRIBE articles",
    "CALL": "SELECT * FROM the_function(...) runs a table function",
    "CREATE": "a WITH clause names a subquery for one query",
}

# Applied as the database starts (in any order); lock_configuration then stops every SET.
SANDBOX_CONFIG: dict[str, str | bool] = {
    # No file other than the database: COPY, ATTACH, EXPORT, read_*()/glob(), extension installs.
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "allow_persistent_secrets": False,  # do not even read ~/.duckdb/stored_secrets
    # A query that outgrows memory would spill into `news.duckdb.tmp/` inside the warehouse folder;
    # it fails with an out-of-memory error instead.
    "temp_directory": "",
    "lock_configuration": True,
}

_COMMENT_OR_SPACE = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/|\()*", re.S)
_KEYWORD = re.compile(r"[A-Za-z_]+")
# EXPLAIN [ANALYZE] [VERBOSE] [(options)] <statement>: the statement is checked like any other.
_EXPLAIN_PREFIX = re.compile(r"EXPLAIN\s+(?:ANALY[SZ]E\s+)?(?:VERBOSE\s+)?", re.I)
_EXPLAIN_OPTIONS = re.compile(r"\([^()]*\)\s*")


class QueryRefused(Exception):
    """The query would do something the read-only query command does not allow."""

    def __init__(self, what: str, detail: str = "") -> None:
        self.what = what
        detail = detail or _INSTEAD.get(what, "")
        super().__init__(f"{what} is refused{f' ({detail})' if detail else ''}: {WHAT_IS_ALLOWED}")


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def connect_sandboxed(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection that can reach nothing but the database file itself.

    Like a plain read-only connection it never blocks a run and is never blocked by one: a run
    publishes by renaming a new file over `news.duckdb`, and this connection keeps the old one.
    """
    return duckdb.connect(str(db_path), read_only=True, config=dict(SANDBOX_CONFIG))


def run_query(db_path: Path, sql: str) -> QueryResult:
    """Run one read-only query; raises QueryRefused, or duckdb.Error for a SQL error."""
    with contextlib.closing(connect_sandboxed(db_path)) as con:
        statement = check_statement(con, sql)
        try:
            cursor = con.execute(statement)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            rows = cursor.fetchall() if columns else []
        except duckdb.PermissionException as exc:
            # Any file but news.duckdb, the warehouse's own Parquet included (other tools read that).
            raise QueryRefused("file access", _first_line(exc)) from None
        except duckdb.InvalidInputException as exc:
            if "configuration has been locked" in str(exc):  # e.g. SELECT * FROM enable_logging()
                raise QueryRefused("changing DuckDB's configuration", _first_line(exc)) from None
            raise
    return QueryResult(columns, rows)


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.Statement:
    """The single query in `sql`, parsed; QueryRefused for anything that is not one query."""
    statements = con.extract_statements(sql)  # a syntax error raises duckdb.ParserException
    if not statements:
        raise duckdb.InvalidInputException("no SQL statement given")
    if len(statements) > 1:
        raise QueryRefused(f"a string of {len(statements)} statements", "one statement per call")
    statement = statements[0]
    try:
        kind = statement.type
    except ValueError:  # a type the Python binding does not know (UPDATE EXTENSIONS): not a query
        raise QueryRefused(leading_keyword(sql)) from None
    if kind == duckdb.StatementType.SELECT:
        return statement
    # PIVOT without an IN list is parsed as several statements (an ENUM type, then the query).
    if kind == duckdb.StatementType.MULTI and leading_keyword(sql) == "PIVOT":
        return statement
    if kind == duckdb.StatementType.EXPLAIN:
        # EXPLAIN ANALYZE runs its statement, so what is explained must pass the same check.
        _check_explained(con, sql)
        return statement
    raise QueryRefused(leading_keyword(sql))


def leading_keyword(sql: str) -> str:
    """The first word of the statement (after comments and brackets), upper-cased: "COPY"."""
    rest = sql[_COMMENT_OR_SPACE.match(sql).end() :]
    words = _KEYWORD.findall(rest[:40])
    if not words:
        return "this statement"
    first = words[0].upper()
    return f"{first} {words[1].upper()}" if first == "FORCE" and len(words) > 1 else first


def _check_explained(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Check the statement after EXPLAIN [ANALYZE] [(options)]; refused when it cannot be found.

    "(...)" after EXPLAIN is either options or a bracketed query; both readings are tried. A
    reading that parses as a query is a query for DuckDB too (no other statement starts with
    a bracket), and one that parses as something else is refused by name.
    """
    rest = sql[_COMMENT_OR_SPACE.match(sql).end() :]
    match = _EXPLAIN_PREFIX.match(rest)
    inner = rest[match.end() :] if match else ""
    options = _EXPLAIN_OPTIONS.match(inner)
    readings = [inner, inner[options.end() :]] if options else [inner]
    refusal = QueryRefused("EXPLAIN of something that is not a plain query")
    for reading in readings:
        try:
            check_statement(con, reading)
            return
        except QueryRefused as exc:
            refusal = exc
        except duckdb.Error:  # this reading is not a statement (or is empty)
            continue
    raise refusal


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
