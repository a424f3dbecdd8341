"""Article-local rows to the warehouse tables.

Per-article work (cleaning, NLP, figures) is cached in the published tables; what depends on
the whole warehouse (article ids for shared URLs, duplicates, canonical entities and their
ids) is recomputed here on every publish, over Arrow columns and with no NLP.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

import duckdb
import pyarrow as pa

from pipeline.entities.resolve import resolve_entity_columns
from pipeline.records import LedgerRow, QuarantineRow
from pipeline.warehouse.schema import SCHEMAS


class ArticleKey(NamedTuple):
    """The columns of an article that its id and duplicate status depend on."""

    source_path: str
    source_url: str | None
    published_at: datetime | None
    body_sha256: str


def assign_article_ids(articles: Sequence[ArticleKey]) -> dict[str, str]:
    """source_path -> article_id: the URL when known and unclaimed, else the path under raw/.

    When several files carry the same URL, the first by source path keeps the bare URL and
    the others get "<url>#<source_path>", so ids stay unique and deterministic.
    """
    ids: dict[str, str] = {}
    claimed: set[str] = set()
    for art in sorted(articles, key=lambda a: a.source_path):
        if art.source_url and art.source_url not in claimed:
            ids[art.source_path] = art.source_url
            claimed.add(art.source_url)
        elif art.source_url:
            ids[art.source_path] = f"{art.source_url}#{art.source_path}"
        else:
            ids[art.source_path] = art.source_path
    return ids


def _figure_id(article_id: str, char_start: int, char_end: int, category: str) -> str:
    return hashlib.sha1(f"{article_id}|{char_start}|{char_end}|{category}".encode()).hexdigest()[:16]


def duplicates(articles: Sequence[ArticleKey], ids: dict[str, str]) -> dict[str, str | None]:
    """source_path -> article_id of the earliest article (publication time, then path) with the same body."""
    first_by_body: dict[str, str] = {}
    duplicate_of: dict[str, str | None] = {}
    for a in sorted(articles, key=lambda a: (a.published_at is None, a.published_at or datetime.min, a.source_path)):
        first = first_by_body.setdefault(a.body_sha256, ids[a.source_path])
        duplicate_of[a.source_path] = None if first == ids[a.source_path] else first
    return duplicate_of


_TABLE_SQL = {
    "boilerplate": "SELECT i.article_id, b.seq, b.kind, b.text FROM l_boilerplate b JOIN ids i USING (source_path) ORDER BY b.source_path, b.seq",
    "sentences": """SELECT i.article_id, s.sentence_idx, s.char_start, s.char_end, s.text
        FROM l_sentences s JOIN ids i USING (source_path) ORDER BY s.source_path, s.sentence_idx""",
    "mentions": """SELECT i.article_id, m.sentence_idx, m.entity_id, m.text, m.label, m.char_start, m.char_end
        FROM l_mentions m JOIN ids i USING (source_path)
        ORDER BY m.source_path, m.mention_idx""",
    "figures": """SELECT NULL::VARCHAR AS figure_id, i.article_id, f.sentence_idx, f.text, f.value, f.value_low, f.value_high,
               f.qualifier, f.category, f.counted, g.entity_id AS group_entity_id, l.entity_id AS location_entity_id,
               f.attributed_to, f.char_start, f.char_end, f.is_negated, f.is_cumulative, f.is_contested
        FROM l_figures f JOIN ids i USING (source_path)
        LEFT JOIN l_mentions g ON g.source_path = f.source_path AND g.mention_idx = f.group_mention
        LEFT JOIN l_mentions l ON l.source_path = f.source_path AND l.mention_idx = f.location_mention
        ORDER BY f.source_path, f.char_start, f.char_end, f.category""",
}


def finalize(local: dict[str, pa.Table], quarantine: Sequence[QuarantineRow], ledger: Sequence[LedgerRow]) -> dict[str, pa.Table]:
    """All warehouse tables from the article-local rows of every article, the quarantine and the ledger."""
    articles = local["articles"].sort_by("source_path")
    keys = [
        ArticleKey(path, url, published, hashlib.sha256(body.encode("utf-8")).hexdigest())
        for path, url, published, body in zip(
            articles.column("source_path").to_pylist(),
            articles.column("source_url").to_pylist(),
            articles.column("published_at").to_pylist(),
            articles.column("body").to_pylist(),
        )
    ]
    ids = assign_article_ids(keys)
    duplicate_of = duplicates(keys, ids)
    paths = [k.source_path for k in keys]
    out: dict[str, pa.Table] = {}
    articles = articles.append_column("article_id", pa.array([ids[p] for p in paths], pa.string()))
    articles = articles.append_column("duplicate_of", pa.array([duplicate_of[p] for p in paths], pa.string()))
    out["articles"] = articles.select(SCHEMAS["articles"].names).cast(SCHEMAS["articles"])

    mentions = local["mentions"]
    entity_ids, entities = resolve_entity_columns(
        mentions.column("source_path").to_pylist(),
        mentions.column("text").to_pylist(),
        mentions.column("label").to_pylist(),
        mentions.column("canonical_hint").to_pylist(),
    )
    tables = {**local, "mentions": mentions.append_column("entity_id", pa.array(entity_ids, pa.string()))}
    del entity_ids
    with contextlib.closing(duckdb.connect()) as con:
        con.register("ids", pa.table({"source_path": paths, "article_id": [ids[p] for p in paths]}))
        for name in ("boilerplate", "sentences", "mentions", "figures"):
            con.register(f"l_{name}", tables[name])
        for name, sql in _TABLE_SQL.items():
            out[name] = con.sql(sql).to_arrow_table()
    figures = out["figures"]
    figure_ids = [
        _figure_id(a, s, e, c)
        for a, s, e, c in zip(
            figures.column("article_id").to_pylist(),
            figures.column("char_start").to_pylist(),
            figures.column("char_end").to_pylist(),
            figures.column("category").to_pylist(),
        )
    ]
    out["figures"] = figures.set_column(0, "figure_id", pa.array(figure_ids, pa.string()))

    # The small tables, from Python rows.
    out["entities"] = pa.Table.from_pylist([vars(e) for e in entities], schema=SCHEMAS["entities"])
    out["quarantine"] = pa.Table.from_pylist(
        [{**vars(q.record), "seen_at": q.seen_at} for q in sorted(quarantine, key=lambda q: q.record.source_path)],
        schema=SCHEMAS["quarantine"],
    )
    out["ingest_ledger"] = pa.Table.from_pylist(
        [vars(r) for r in sorted(ledger, key=lambda r: r.source_path)], schema=SCHEMAS["ingest_ledger"]
    )
    return {name: out[name].cast(SCHEMAS[name]) for name in SCHEMAS}
