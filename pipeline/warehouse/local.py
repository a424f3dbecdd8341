"""Article-local rows: what per-article work produces, keyed by source path, as Arrow tables.

New articles (converted from a chunk of bundles as soon as it is annotated) and unchanged
articles (taken from the published warehouse) meet in this form. `pipeline.warehouse.assemble`
then derives what depends on the whole warehouse (article ids, duplicates, entity ids) in one
pass over columns, so a run never holds Python objects for more than one chunk of articles and
an incremental run never rebuilds objects for the articles it keeps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import duckdb
import pyarrow as pa

from pipeline.ingest.units import unit_of
from pipeline.records import ArticleBundle, LedgerRow, QuarantineRecord, QuarantineRow
from pipeline.warehouse.schema import SCHEMAS


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
        name: pa.table({f.name: pa.array(cols[name].get(f.name, []), type=f.type) for f in schema}, schema=schema)
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
_ARTICLE_COLUMNS = ", ".join(f'a."{n}"' for n in LOCAL_SCHEMAS["articles"].names)
_KEPT_SQL = [
    "CREATE TEMP TABLE kept AS SELECT a.article_id, a.source_path FROM old.articles a JOIN kept_paths USING (source_path)",
    f"CREATE TEMP VIEW k_articles AS SELECT {_ARTICLE_COLUMNS} FROM old.articles a JOIN kept_paths USING (source_path)",
    """CREATE TEMP VIEW k_boilerplate AS SELECT k.source_path, b.seq, b.kind, b.text
       FROM old.boilerplate b JOIN kept k USING (article_id)""",
    """CREATE TEMP VIEW k_sentences AS SELECT k.source_path, s.sentence_idx, s.char_start, s.char_end, s.text
       FROM old.sentences s JOIN kept k USING (article_id)""",
    # Each kept mention keeps its old entity id beside its number, for the figures' links.
    """CREATE TEMP TABLE k_mentions_old AS
       SELECT k.source_path,
              (row_number() OVER (PARTITION BY m.article_id ORDER BY m.char_start, m.char_end, m.text) - 1)::INTEGER
                  AS mention_idx,
              m.sentence_idx, m.text, m.label, m.char_start, m.char_end, m.entity_id
       FROM old.mentions m JOIN kept k USING (article_id)""",
    """CREATE TEMP VIEW k_mentions AS
       SELECT source_path, mention_idx, sentence_idx, text, label, char_start, char_end, NULL::VARCHAR AS canonical_hint
       FROM k_mentions_old""",
    # Tables, not views: figures are read twice, and each statement then holds one large hash
    # table at most, which keeps the build inside DuckDB's memory limit.
    """CREATE TEMP TABLE k_first_mention AS
       SELECT source_path, entity_id, min(mention_idx)::INTEGER AS mention_idx FROM k_mentions_old GROUP BY ALL""",
    """CREATE TEMP TABLE k_figures AS
       SELECT k.source_path, f.sentence_idx, f.text, f.value, f.value_low, f.value_high, f.qualifier, f.category,
              f.counted, f.attributed_to, f.char_start, f.char_end, f.is_negated, f.is_cumulative, f.is_contested,
              g.mention_idx AS group_mention, l.mention_idx AS location_mention
       FROM old.figures f JOIN kept k USING (article_id)
       LEFT JOIN k_first_mention g ON g.source_path = k.source_path AND g.entity_id = f.group_entity_id
       LEFT JOIN k_first_mention l ON l.source_path = k.source_path AND l.entity_id = f.location_entity_id""",
]


def register_kept(con: duckdb.DuckDBPyConnection, keep_units: set[str]) -> tuple[list[QuarantineRow], list[LedgerRow]]:
    """Views `k_<table>` of the unchanged units' article-local rows in the published database
    (attached as `old`; empty views when there is none), and their quarantine and ledger rows."""
    has_old = con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = 'old'").fetchall()[0][0] > 0
    if not has_old or not keep_units:
        for name, schema in LOCAL_SCHEMAS.items():
            con.register(f"k_{name}", schema.empty_table())
        return [], []
    paths = [r[0] for r in con.execute("SELECT source_path FROM old.articles").fetchall()]
    con.register("kept_paths", pa.table({"source_path": pa.array([p for p in paths if unit_of(p) in keep_units], pa.string())}))
    for sql in _KEPT_SQL:
        con.execute(sql)

    ledger = [
        LedgerRow(**r)
        for r in con.sql("SELECT * FROM old.ingest_ledger").to_arrow_table().to_pylist()
        if r["source_path"] in keep_units
    ]
    # A broken sidecar is quarantined under its own path but belongs to its article's unit.
    keep_paths = keep_units | {r.sidecar_path for r in ledger if r.sidecar_path}
    quarantine = [
        QuarantineRow(QuarantineRecord(q["source_path"], q["content_sha256"], q["reason"], q["detail"]), q["seen_at"])
        for q in con.sql("SELECT * FROM old.quarantine").to_arrow_table().to_pylist()
        if unit_of(q["source_path"]) in keep_paths
    ]
    return quarantine, ledger
