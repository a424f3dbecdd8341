"""The one schema definition: Arrow schemas that both the Parquet writer and DuckDB use.

DuckDB tables are created from `duckdb_ddl`, generated from these schemas, so the two
copies of the warehouse cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import duckdb
import pyarrow as pa

from pipeline.figures.categories import CATEGORIES

_TS = pa.timestamp("us")


def _f(name: str, type_: pa.DataType, nullable: bool = True, doc: str = "") -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc} if doc else None)


SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            _f(
                "article_id",
                pa.string(),
                False,
                "stable, unique id of the source document: its URL when known and unclaimed, else its path under raw/",
            ),
            _f(
                "source_path",
                pa.string(),
                False,
                "path under the raw folder (bytes not UTF-8 as \\xNN, a backslash as \\\\); for .jsonl, with #line appended",
            ),
            _f("source_url", pa.string(), True, "null when unknown"),
            _f("content_sha256", pa.string(), False, "hex digest of the raw record's (decompressed) bytes"),
            _f("source_format", pa.string(), False, "text, html or json"),
            _f("title", pa.string(), True, "headline, null when none was found"),
            _f("publisher", pa.string(), True, "null when unknown"),
            _f("agency", pa.string(), True, "wire agency credited, null when none"),
            _f("published_at", _TS, True, "publication time (UTC when the source gave a zone), null when unknown"),
            _f("body", pa.string(), False, "article text with boilerplate removed; paragraphs separated by a blank line"),
            _f("n_chars_raw", pa.int32(), False, "length of the text before boilerplate removal"),
            _f("duplicate_of", pa.string(), True, "article_id of an earlier article with the same body, else null"),
            _f("ingested_at", _TS, False, "when this version was written"),
            _f("pipeline_version", pa.string(), False, "version of the code that wrote it"),
            _f("byline", pa.string(), True, "extra column: the author line as the source gives it, null when none"),
            _f(
                "metadata_notes",
                pa.string(),
                True,
                "extra column: metadata values dropped as unreadable (field, value, why), joined with '; '; null when none",
            ),
            _f(
                "dateline_place",
                pa.string(),
                True,
                "extra column: the place of the wire dateline that opened the text, as written ('MOSUL, Iraq'); null when none",
            ),
        ]
    ),
    "boilerplate": pa.schema(
        [
            _f("article_id", pa.string(), False),
            _f("seq", pa.int32(), False, "order in the source"),
            _f(
                "kind",
                pa.string(),
                False,
                "donation_appeal, subscription_prompt, comment_prompt, read_more, related_links, advertisement, navigation, credit, dateline, repeated_text, other",
            ),
            _f("text", pa.string(), False, "the removed text"),
        ]
    ),
    "sentences": pa.schema(
        [
            _f("article_id", pa.string(), False),
            _f("sentence_idx", pa.int32(), False),
            _f("char_start", pa.int32(), False),
            _f("char_end", pa.int32(), False),
            _f("text", pa.string(), False),
        ]
    ),
    "entities": pa.schema(
        [
            _f("entity_id", pa.string(), False, "stable across runs: digest of the canonical name's matching key"),
            _f("name", pa.string(), False, "canonical name"),
            _f("label", pa.string(), False, "spaCy label: PERSON, ORG, GPE, LOC, NORP, FAC, ..."),
            _f("n_mentions", pa.int32(), False),
            _f("n_articles", pa.int32(), False),
            _f("aliases", pa.list_(pa.string()), False, "every written form linked to this entity"),
        ]
    ),
    "mentions": pa.schema(
        [
            _f("article_id", pa.string(), False),
            _f("sentence_idx", pa.int32(), False),
            _f("entity_id", pa.string(), False),
            _f("text", pa.string(), False, "as written"),
            _f("label", pa.string(), False, "label of this mention as the model (or gazetteer) gave it"),
            _f("char_start", pa.int32(), False),
            _f("char_end", pa.int32(), False),
        ]
    ),
    "figures": pa.schema(
        [
            _f("figure_id", pa.string(), False, "stable across runs"),
            _f("article_id", pa.string(), False),
            _f("sentence_idx", pa.int32(), False),
            _f("text", pa.string(), False, "the span as written"),
            _f("value", pa.float64(), True, "point value; null when vague or a range"),
            _f("value_low", pa.float64(), True, "lower bound for vague words and ranges; null where open"),
            _f("value_high", pa.float64(), True, "upper bound for vague words and ranges; null where open"),
            _f("qualifier", pa.string(), False, "exact, approx, at_least, at_most, range, vague"),
            _f(
                "category",
                pa.string(),
                False,
                ", ".join(CATEGORIES),
            ),
            _f("counted", pa.string(), True, "lemma of the counted noun"),
            _f("group_entity_id", pa.string(), True, "entity the counted belong to"),
            _f("location_entity_id", pa.string(), True, "where, null when not stated"),
            _f("attributed_to", pa.string(), True, "who the article says made the claim"),
            _f("char_start", pa.int32(), False),
            _f("char_end", pa.int32(), False),
            _f("is_negated", pa.bool_(), False, 'extra column: a negated count ("no civilians were killed" -> value 0)'),
            _f("is_cumulative", pa.bool_(), False, 'extra column: a running total ("the death toll rose to 45")'),
            _f("is_contested", pa.bool_(), False, "extra column: the article says the claim is denied or disputed"),
        ]
    ),
    "quarantine": pa.schema(
        [
            _f("source_path", pa.string(), False),
            _f("content_sha256", pa.string(), True, "null when unreadable"),
            _f(
                "reason",
                pa.string(),
                False,
                "empty, binary, decode_error, too_large, parse_error, no_article_text, unsupported_type",
            ),
            _f("detail", pa.string(), False, "a sentence a person can act on"),
            _f("seen_at", _TS, False),
        ]
    ),
    # Not in the contract: the incremental state, one row per input unit (a file and its sidecar).
    "ingest_ledger": pa.schema(
        [
            _f("source_path", pa.string(), False, "main file of the unit, under raw/"),
            _f("sidecar_path", pa.string(), True, "its .meta.json sidecar, if any"),
            _f("unit_sha256", pa.string(), True, "digest over the file and sidecar bytes; null when unreadable"),
            _f("pipeline_version", pa.string(), False),
            _f("processed_at", _TS, False),
            _f("n_articles", pa.int32(), False),
            _f("n_quarantined", pa.int32(), False),
        ]
    ),
}

CONTRACT_TABLES = ("articles", "boilerplate", "sentences", "entities", "mentions", "figures", "quarantine")

# The columns that identify a row: no two rows of a table may share one of its keys. A build
# that breaks this is never published (`store.WarehouseStore.publish`).
UNIQUE_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "articles": (("article_id",), ("source_path",)),
    "boilerplate": (("article_id", "seq"),),
    "sentences": (("article_id", "sentence_idx"),),
    "entities": (("entity_id",),),
    "mentions": (("article_id", "char_start", "char_end"),),
    "figures": (("figure_id",),),
    "quarantine": (("source_path",),),
    "ingest_ledger": (("source_path",),),
}

_DUCKDB_TYPES = {
    pa.string(): "VARCHAR",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    _TS: "TIMESTAMP",
    pa.list_(pa.string()): "VARCHAR[]",
    pa.bool_(): "BOOLEAN",
}


def duckdb_type(field: pa.Field) -> str:
    """The DuckDB type of a schema field."""
    return _DUCKDB_TYPES[field.type]


def duckdb_ddl(table: str, schema_name: str | None = None) -> str:
    """CREATE TABLE statement for a table, derived from its Arrow schema."""
    cols = []
    for field in SCHEMAS[table]:
        sql_type = duckdb_type(field)
        cols.append(f'"{field.name}" {sql_type}{"" if field.nullable else " NOT NULL"}')
    qualified = f'"{schema_name}"."{table}"' if schema_name else f'"{table}"'
    return f"CREATE TABLE {qualified} (\n  " + ",\n  ".join(cols) + "\n)"


def empty_table(table: str) -> pa.Table:
    """A table with the schema and no rows."""
    return SCHEMAS[table].empty_table()


# ---- reading a warehouse written by an older version ----------------------------------------
# Columns are only ever added to a table. A published database written before a column was added
# lacks it: every read of such a database selects the column as a typed NULL, so rows kept from an
# older warehouse read as NULL there. A column added later is therefore nullable, or comes with a
# PIPELINE_VERSION bump (then no rows are kept: every article is written again).


def existing_columns(con: duckdb.DuckDBPyConnection, database: str, table: str) -> frozenset[str]:
    """Names of the columns `table` has in the attached database `database`."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'main' AND table_name = ?",
        [database, table],
    ).fetchall()
    return frozenset(r[0] for r in rows)


def select_list(fields: Iterable[pa.Field], present: Collection[str], alias: str | None = None) -> str:
    """A SELECT list of `fields` from a table with the columns `present`: each field as itself,
    or `NULL::<type> AS "<name>"` when the table was written before the field was added."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(
        f'{prefix}"{f.name}"' if f.name in present else f'NULL::{duckdb_type(f)} AS "{f.name}"' for f in fields
    )
