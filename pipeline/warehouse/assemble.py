"""Article-local rows to the warehouse tables.

Per-article work (cleaning, NLP, figures) is cached in the published tables; what depends on
the whole warehouse (article ids for shared URLs, duplicates, canonical entities and their
ids) is recomputed here on every publish, inside DuckDB and with no NLP.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

import duckdb
import pyarrow as pa

from pipeline.records import LedgerRow, QuarantineRow
from pipeline.warehouse.entities import resolve_mentions
from pipeline.warehouse.local import LOCAL_SCHEMAS, register_kept, table_from_rows
from pipeline.warehouse.schema import SCHEMAS, duckdb_ddl
from pipeline.warehouse.staging import StagedRows
from pipeline.warehouse.store import sql_string


class ArticleKey(NamedTuple):
    """The columns of an article that its id and duplicate status depend on."""

    source_path: str
    source_url: str | None
    published_at: datetime | None
    body_sha256: str


def assign_article_ids(articles: Sequence[ArticleKey]) -> dict[str, str]:
    """source_path -> article_id: the URL when known and unclaimed, else the path under raw/.

    Unique by construction and independent of input order. Claims go in three rounds, each
    checked against every id already given, whatever round gave it: an article without a URL
    is always its path (paths are unique); then each URL goes to the first article by path
    that carries it, unless it equals a path id; then every other article with a URL gets
    "<url>#<source_path>", or "<url>#<source_path>#2", "#3", ... when a round before took that.
    Where nothing collides, this is the rule ids always followed.
    """
    ordered = sorted(articles, key=lambda a: a.source_path)
    ids = {a.source_path: a.source_path for a in ordered if not a.source_url}
    taken = set(ids.values())
    later: list[ArticleKey] = []
    for art in ordered:
        if not art.source_url:
            continue
        if art.source_url in taken:
            later.append(art)
        else:
            ids[art.source_path] = art.source_url
            taken.add(art.source_url)
    for art in later:
        base = candidate = f"{art.source_url}#{art.source_path}"
        n = 2
        while candidate in taken:
            candidate, n = f"{base}#{n}", n + 1
        ids[art.source_path] = candidate
        taken.add(candidate)
    return ids


def duplicates(articles: Sequence[ArticleKey], ids: dict[str, str]) -> dict[str, str | None]:
    """source_path -> article_id of the earliest article (publication time, then path) with the same body."""
    first_by_body: dict[str, str] = {}
    duplicate_of: dict[str, str | None] = {}
    for a in sorted(articles, key=lambda a: (a.published_at is None, a.published_at or datetime.min, a.source_path)):
        first = first_by_body.setdefault(a.body_sha256, ids[a.source_path])
        duplicate_of[a.source_path] = None if first == ids[a.source_path] else first
    return duplicate_of


def _insert(table: str, select: str) -> str:
    columns = ", ".join(f'"{n}"' for n in SCHEMAS[table].names)
    return f'INSERT INTO w."{table}" ({columns}) {select}'


_MENTION_ENTITY = """
    SELECT m.*, e.entity_id FROM l_mentions m JOIN mention_entity e
      ON e.source_path = m.source_path AND e.text = m.text AND e.label = m.label
     AND e.canonical_hint IS NOT DISTINCT FROM m.canonical_hint"""

_ARTICLE_COLUMNS = ", ".join(
    "i.article_id" if n == "article_id" else "i.duplicate_of" if n == "duplicate_of" else f'a."{n}"'
    for n in SCHEMAS["articles"].names
)

_TABLE_SQL = {
    "articles": f"SELECT {_ARTICLE_COLUMNS} FROM l_articles a JOIN ids i USING (source_path) ORDER BY a.source_path",
    "boilerplate": """SELECT i.article_id, b.seq, b.kind, b.text
        FROM l_boilerplate b JOIN ids i USING (source_path) ORDER BY b.source_path, b.seq""",
    "sentences": """SELECT i.article_id, s.sentence_idx, s.char_start, s.char_end, s.text
        FROM l_sentences s JOIN ids i USING (source_path) ORDER BY s.source_path, s.sentence_idx""",
    "mentions": """SELECT i.article_id, m.sentence_idx, m.entity_id, m.text, m.label, m.char_start, m.char_end
        FROM me m JOIN ids i USING (source_path) ORDER BY m.source_path, m.mention_idx""",
    "figures": """SELECT fid.figure_id, i.article_id, f.sentence_idx, f.text, f.value, f.value_low, f.value_high,
               f.qualifier, f.category, f.counted, g.entity_id AS group_entity_id, l.entity_id AS location_entity_id,
               f.attributed_to, f.char_start, f.char_end, f.is_negated, f.is_cumulative, f.is_contested
        FROM l_figures f JOIN ids i USING (source_path)
        JOIN figure_ids fid USING (source_path, char_start, char_end, category)
        LEFT JOIN figure_me g ON g.source_path = f.source_path AND g.mention_idx = f.group_mention
        LEFT JOIN figure_me l ON l.source_path = f.source_path AND l.mention_idx = f.location_mention
        ORDER BY f.source_path, f.char_start, f.char_end, f.category""",
}


def write_tables(
    con: duckdb.DuckDBPyConnection,
    new: dict[str, pa.Table] | StagedRows,
    quarantine: Sequence[QuarantineRow],
    ledger: Sequence[LedgerRow],
    keep_units: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Fill the empty warehouse tables of database `w` from the new article-local rows and the
    unchanged units of database `old` (when attached), deriving the global columns.

    The rows themselves flow inside DuckDB (bounded memory, spilling to disk); Python sees only
    one key per article and, a batch of articles at a time, their distinct names.
    """
    kept_quarantine, kept_ledger = register_kept(con, set(keep_units))
    for name, schema in LOCAL_SCHEMAS.items():
        if isinstance(new, StagedRows):
            files = new.files(name)
            if files:
                listed = ", ".join(sql_string(f) for f in files)
                con.execute(f"CREATE OR REPLACE TEMP VIEW n_{name} AS SELECT * FROM read_parquet([{listed}])")
            else:
                con.register(f"n_{name}", schema.empty_table())
        else:
            con.register(f"n_{name}", new[name])
        con.execute(f"CREATE OR REPLACE TEMP VIEW l_{name} AS SELECT * FROM n_{name} UNION ALL BY NAME SELECT * FROM k_{name}")

    keys = [
        ArticleKey(*row)
        for row in con.execute(
            "SELECT source_path, source_url, published_at, md5(body) FROM l_articles ORDER BY source_path"
        ).fetchall()
    ]
    ids = assign_article_ids(keys)
    duplicate_of = duplicates(keys, ids)
    con.register(
        "ids",
        pa.table(
            {
                "source_path": pa.array([k.source_path for k in keys], pa.string()),
                "article_id": pa.array([ids[k.source_path] for k in keys], pa.string()),
                "duplicate_of": pa.array([duplicate_of[k.source_path] for k in keys], pa.string()),
            }
        ),
    )
    del keys

    entities = resolve_mentions(con)  # leaves `mention_entity`, streamed article by article

    # Figure ids are digests of (article id, span, category), computed where the rows are.
    con.execute(
        """CREATE OR REPLACE TEMP TABLE figure_ids AS
           SELECT DISTINCT f.source_path, f.char_start, f.char_end, f.category,
                  substr(sha1(concat_ws('|', i.article_id, f.char_start, f.char_end, f.category)), 1, 16) AS figure_id
           FROM l_figures f JOIN ids i USING (source_path)"""
    )

    # Each mention's entity, materialized once. Figures join it twice (group, location): only
    # the few mentions figures point to, so no statement holds two hash tables of all mentions
    # (DuckDB could not fit those in its memory limit at 10,000 articles).
    con.execute(f"CREATE OR REPLACE TEMP TABLE me AS {_MENTION_ENTITY}")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE figure_me AS SELECT source_path, mention_idx, entity_id FROM me SEMI JOIN (
               SELECT source_path, group_mention AS mention_idx FROM l_figures WHERE group_mention IS NOT NULL
               UNION SELECT source_path, location_mention FROM l_figures WHERE location_mention IS NOT NULL
           ) r USING (source_path, mention_idx)"""
    )

    for name, sql in _TABLE_SQL.items():
        con.execute(_insert(name, sql))

    # The small tables, from Python rows (strings made valid UTF-8 on the way).
    small = {
        "entities": table_from_rows([vars(e) for e in entities], SCHEMAS["entities"]),
        "quarantine": table_from_rows(
            [
                {**vars(q.record), "seen_at": q.seen_at}
                for q in sorted([*kept_quarantine, *quarantine], key=lambda q: q.record.source_path)
            ],
            SCHEMAS["quarantine"],
        ),
        "ingest_ledger": table_from_rows(
            [vars(r) for r in sorted([*kept_ledger, *ledger], key=lambda r: r.source_path)], SCHEMAS["ingest_ledger"]
        ),
    }
    for name, table in small.items():
        con.register(f"small_{name}", table)
        con.execute(_insert(name, f"SELECT * FROM small_{name}"))


def finalize(local: dict[str, pa.Table], quarantine: Sequence[QuarantineRow], ledger: Sequence[LedgerRow]) -> dict[str, pa.Table]:
    """All warehouse tables as Arrow, from article-local rows alone (tests and benchmarks)."""
    with contextlib.closing(duckdb.connect()) as con:
        con.execute("ATTACH ':memory:' AS w")
        for name in SCHEMAS:
            con.execute(duckdb_ddl(name, "w"))
        write_tables(con, local, quarantine, ledger)
        return {name: con.sql(f'SELECT * FROM w."{name}"').to_arrow_table().cast(SCHEMAS[name]) for name in SCHEMAS}
