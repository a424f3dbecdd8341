"""Article-local rows: what per-article work produces, keyed by source path, as Arrow tables.

New articles (converted from a chunk of bundles as soon as it is annotated) and unchanged
articles (taken from the published warehouse) meet in this form. `pipeline.warehouse.assemble`
then derives what depends on the whole warehouse (article ids, duplicates, entity ids) in one
pass over columns, so a run never holds Python objects for more than one chunk of articles and
an incremental run never rebuilds objects for the articles it keeps.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence

import duckdb
import pyarrow as pa

from pipeline.ingest.units import unit_of
from pipeline.records import ArticleBundle, LedgerRow, QuarantineRecord, QuarantineRow
from pipeline.textsafe import valid_text, valid_value
from pipeline.warehouse.schema import SCHEMAS, existing_columns, select_list

log = logging.getLogger(__name__)


def _without(schema: pa.Schema, *names: str) -> list[pa.Field]:
    return [f for f in schema if f.name not in names]


_SOURCE = pa.field("source_path", pa.string(), False)

LOCAL_SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(_without(SCHEMAS["articles"], "article_id", "duplicate_of")),
    "boilerplate": pa.schema([_SOURCE, *_without(SCHEMAS["boilerplate"], "article_id")]),
    "sentences": pa.schema([_SOURCE, *_without(SCHEMAS["sentences"], "article_id")]),
    "mentions": pa.schema(
        [
            _SOURCE,
            pa.field("mention_idx", pa.int32(), False),  # position among the article's mentions
            *_without(SCHEMAS["mentions"], "article_id", "entity_id"),
            pa.field("canonical_hint", pa.string()),
        ]
    ),
    "figures": pa.schema(
        [
            _SOURCE,
            *_without(SCHEMAS["figures"], "figure_id", "article_id", "group_entity_id", "location_entity_id"),
            pa.field("group_mention", pa.int32()),  # mention_idx of the group / location, if any
            pa.field("location_mention", pa.int32()),
        ]
    ),
}


def valid_column(values: list, type_: pa.DataType) -> list:
    """A column's Python values with every string valid UTF-8 (the last guard before Arrow,
    which refuses lone surrogates and would fail the whole run on one)."""
    if pa.types.is_string(type_):
        return [valid_text(v) if isinstance(v, str) else v for v in values]
    if pa.types.is_list(type_):
        return [valid_value(v) for v in values]
    return values


def table_from_rows(rows: Sequence[dict], schema: pa.Schema) -> pa.Table:
    """An Arrow table from row dicts, every string made valid UTF-8 first."""
    return pa.table(
        {f.name: pa.array(valid_column([r.get(f.name) for r in rows], f.type), type=f.type) for f in schema}, schema=schema
    )


def empty_local() -> dict[str, pa.Table]:
    return {name: schema.empty_table() for name, schema in LOCAL_SCHEMAS.items()}


def local_from_bundles(bundles: Iterable[ArticleBundle]) -> dict[str, pa.Table]:
    """Article-local tables for annotated articles (one chunk at a time, so objects can go)."""
    cols: dict[str, dict[str, list]] = {name: defaultdict(list) for name in LOCAL_SCHEMAS}

    def add(table: str, **row: object) -> None:
        for key, value in row.items():
            cols[table][key].append(value)

    for b in bundles:
        a, path = b.article, b.article.source_path
        add(
            "articles",
            source_path=path,
            source_url=a.source_url,
            content_sha256=a.content_sha256,
            source_format=a.source_format,
            title=a.title,
            publisher=a.publisher,
            agency=a.agency,
            published_at=a.published_at,
            body=a.body,
            n_chars_raw=a.n_chars_raw,
            ingested_at=b.ingested_at,
            pipeline_version=b.pipeline_version,
            byline=a.byline,
            metadata_notes=a.metadata_notes,
            dateline_place=a.dateline_place,
        )
        for p in a.boilerplate:
            add("boilerplate", source_path=path, seq=p.seq, kind=p.kind, text=p.text)
        for s in b.sentences:
            add(
                "sentences",
                source_path=path,
                sentence_idx=s.sentence_idx,
                char_start=s.char_start,
                char_end=s.char_end,
                text=s.text,
            )
        for k, m in enumerate(b.mentions):
            add(
                "mentions",
                source_path=path,
                mention_idx=k,
                sentence_idx=m.sentence_idx,
                text=m.text,
                label=m.label,
                char_start=m.char_start,
                char_end=m.char_end,
                canonical_hint=m.canonical_hint,
            )
        for f in b.figures:
            add(
                "figures",
                source_path=path,
                sentence_idx=f.sentence_idx,
                text=f.text,
                value=f.value,
                value_low=f.value_low,
                value_high=f.value_high,
                qualifier=f.qualifier,
                category=f.category,
                counted=f.counted,
                attributed_to=f.attributed_to,
                char_start=f.char_start,
                char_end=f.char_end,
                is_negated=f.is_negated,
                is_cumulative=f.is_cumulative,
                is_contested=f.is_contested,
                group_mention=f.group_mention,
                location_mention=f.location_mention,
            )
    return {
        name: pa.table(
            {f.name: pa.array(valid_column(cols[name].get(f.name, []), f.type), type=f.type) for f in schema}, schema=schema
        )
        for name, schema in LOCAL_SCHEMAS.items()
    }


def concat_local(parts: Sequence[dict[str, pa.Table]]) -> dict[str, pa.Table]:
    """Several article-local table sets as one (no copy: Arrow concatenates chunk lists)."""
    if not parts:
        return empty_local()
    return {name: pa.concat_tables([p[name] for p in parts]) for name in LOCAL_SCHEMAS}


# Published rows back to article-local rows, as views over the old database (attached as `old`):
# they go from the old file to the new one inside DuckDB. Mentions are numbered in text order; a
# figure's group and location become the first mention of its article that had that entity.
def _carried(con: duckdb.DuckDBPyConnection, table: str, alias: str) -> str:
    """SELECT list of the article-local columns that are columns of the published `table` too,
    from the old database; a column it was written without (added since) reads as NULL."""
    fields = [f for f in LOCAL_SCHEMAS[table] if f.name in SCHEMAS[table].names]
    return select_list(fields, existing_columns(con, "old", table), alias)


def _select_old(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """Every column of `table` in the old database, in today's schema (columns added since as NULL)."""
    return f'SELECT {select_list(SCHEMAS[table], existing_columns(con, "old", table))} FROM old."{table}"'


def _kept_sql(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The statements that create the `k_<table>` views and the tables they need."""
    return [
        "CREATE TEMP TABLE kept AS SELECT a.article_id, a.source_path FROM old.articles a JOIN kept_paths USING (source_path)",
        f"""CREATE TEMP VIEW k_articles AS SELECT {_carried(con, "articles", "a")}
            FROM old.articles a JOIN kept_paths USING (source_path)""",
        f"""CREATE TEMP VIEW k_boilerplate AS SELECT k.source_path, {_carried(con, "boilerplate", "b")}
            FROM old.boilerplate b JOIN kept k USING (article_id)""",
        f"""CREATE TEMP VIEW k_sentences AS SELECT k.source_path, {_carried(con, "sentences", "s")}
            FROM old.sentences s JOIN kept k USING (article_id)""",
        # Each kept mention keeps its old entity id beside its number, for the figures' links.
        f"""CREATE TEMP TABLE k_mentions_old AS
            SELECT k.source_path,
                   (row_number() OVER (PARTITION BY m.article_id ORDER BY m.char_start, m.char_end, m.text) - 1)::INTEGER
                       AS mention_idx,
                   {_carried(con, "mentions", "m")}, m.entity_id
            FROM old.mentions m JOIN kept k USING (article_id)""",
        "CREATE TEMP VIEW k_mentions AS SELECT * EXCLUDE (entity_id), NULL::VARCHAR AS canonical_hint FROM k_mentions_old",
        # Tables, not views: figures are read twice, and each statement then holds one large hash
        # table at most, which keeps the build inside DuckDB's memory limit.
        """CREATE TEMP TABLE k_first_mention AS
           SELECT source_path, entity_id, min(mention_idx)::INTEGER AS mention_idx FROM k_mentions_old GROUP BY ALL""",
        f"""CREATE TEMP TABLE k_figures AS
            SELECT k.source_path, {_carried(con, "figures", "f")},
                   g.mention_idx AS group_mention, l.mention_idx AS location_mention
            FROM old.figures f JOIN kept k USING (article_id)
            LEFT JOIN k_first_mention g ON g.source_path = k.source_path AND g.entity_id = f.group_entity_id
            LEFT JOIN k_first_mention l ON l.source_path = k.source_path AND l.entity_id = f.location_entity_id""",
    ]


def register_kept(con: duckdb.DuckDBPyConnection, keep_units: set[str]) -> tuple[list[QuarantineRow], list[LedgerRow]]:
    """Views `k_<table>` of the unchanged units' article-local rows in the published database
    (attached as `old`; empty views when there is none), and their quarantine and ledger rows.

    The old database may have been written before a column was added: that column reads as NULL
    for the kept rows (`schema.select_list`)."""
    has_old = con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = 'old'").fetchall()[0][0] > 0
    if has_old:
        shared = shared_id_units(con, "old") & keep_units
        if shared:
            log.warning("%d unchanged units share article ids in the old warehouse; left out, read again next run", len(shared))
        keep_units = keep_units - shared
    if not has_old or not keep_units:
        for name, schema in LOCAL_SCHEMAS.items():
            con.register(f"k_{name}", schema.empty_table())
        return [], []
    paths = [r[0] for r in con.execute("SELECT source_path FROM old.articles").fetchall()]
    con.register("kept_paths", pa.table({"source_path": pa.array([p for p in paths if unit_of(p) in keep_units], pa.string())}))
    for sql in _kept_sql(con):
        con.execute(sql)

    old_ledger = con.sql(_select_old(con, "ingest_ledger")).to_arrow_table().to_pylist()
    ledger = [LedgerRow(**r) for r in old_ledger if r["source_path"] in keep_units]
    # A broken sidecar is quarantined under its own path but belongs to its article's unit.
    keep_paths = keep_units | {r.sidecar_path for r in ledger if r.sidecar_path}
    # A row under a unit's own path is that unit's, even when the name ends like a JSONL line
    # (warehouses written before such names were escaped).
    units = {r["source_path"] for r in old_ledger}
    quarantine = [
        QuarantineRow(QuarantineRecord(q["source_path"], q["content_sha256"], q["reason"], q["detail"]), q["seen_at"])
        for q in con.sql(_select_old(con, "quarantine")).to_arrow_table().to_pylist()
        if (q["source_path"] if q["source_path"] in units else unit_of(q["source_path"])) in keep_paths
    ]
    return quarantine, ledger


def shared_id_units(con: duckdb.DuckDBPyConnection, database: str) -> set[str]:
    """Units of `database` with an article whose id another article also has.

    Only a warehouse written before ids were unique holds such articles. Their rows cannot be
    told apart, so they are never carried over: without their ledger rows, the next run reads
    the files again (and a planner that knows these units reads them at once).
    """
    shared = con.execute(
        f"""SELECT source_path FROM "{database}".articles WHERE article_id IN (
               SELECT article_id FROM "{database}".articles GROUP BY article_id HAVING count(*) > 1)"""
    ).fetchall()
    return {unit_of(r[0]) for r in shared}
