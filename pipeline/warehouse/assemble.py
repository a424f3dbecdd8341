"""Article bundles to warehouse tables, and back.

Per-article work (cleaning, NLP, figures) is cached in the published tables; what depends on
the whole warehouse (article ids for shared URLs, duplicates, canonical entities and their
ids) is recomputed here on every publish, which costs no NLP.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

import pyarrow as pa

from pipeline.entities import resolve_entities
from pipeline.ingest.units import unit_of
from pipeline.records import (
    ArticleBundle,
    BoilerplatePiece,
    CleanArticle,
    Figure,
    LedgerRow,
    Mention,
    QuarantineRecord,
    QuarantineRow,
    Sentence,
)
from pipeline.warehouse.schema import SCHEMAS


def assign_article_ids(articles: Sequence[CleanArticle]) -> dict[str, str]:
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


def _figure_id(article_id: str, fig: Figure) -> str:
    return hashlib.sha1(f"{article_id}|{fig.char_start}|{fig.char_end}|{fig.category}".encode()).hexdigest()[:16]


def build_tables(
    bundles: Sequence[ArticleBundle], quarantine: Sequence[QuarantineRow], ledger: Sequence[LedgerRow]
) -> dict[str, pa.Table]:
    """All warehouse tables from the current set of articles, quarantine rows and ledger."""
    bundles = sorted(bundles, key=lambda b: b.article.source_path)
    ids = assign_article_ids([b.article for b in bundles])

    # Duplicates: the earliest article (by publication time, then path) with the same body.
    first_by_body: dict[str, str] = {}
    duplicate_of: dict[str, str | None] = {}
    order = sorted(bundles, key=lambda b: (b.article.published_at is None, b.article.published_at or 0, b.article.source_path))
    for b in order:
        digest = hashlib.sha256(b.article.body.encode("utf-8")).hexdigest()
        first = first_by_body.setdefault(digest, ids[b.article.source_path])
        duplicate_of[b.article.source_path] = None if first == ids[b.article.source_path] else first

    all_mentions = [m for b in bundles for m in b.mentions]
    entity_ids, entities = resolve_entities(all_mentions)
    mention_entity: dict[int, str] = {id(m): e for m, e in zip(all_mentions, entity_ids)}

    cols: dict[str, dict[str, list]] = {name: defaultdict(list) for name in SCHEMAS}

    def add(table: str, **row: object) -> None:
        for key, value in row.items():
            cols[table][key].append(value)

    for b in bundles:
        a = b.article
        aid = ids[a.source_path]
        add(
            "articles",
            article_id=aid,
            source_path=a.source_path,
            source_url=a.source_url,
            content_sha256=a.content_sha256,
            source_format=a.source_format,
            title=a.title,
            publisher=a.publisher,
            agency=a.agency,
            published_at=a.published_at,
            body=a.body,
            n_chars_raw=a.n_chars_raw,
            duplicate_of=duplicate_of[a.source_path],
            ingested_at=b.ingested_at,
            pipeline_version=b.pipeline_version,
            byline=a.byline,
        )
        for p in a.boilerplate:
            add("boilerplate", article_id=aid, seq=p.seq, kind=p.kind, text=p.text)
        for s in b.sentences:
            add(
                "sentences",
                article_id=aid,
                sentence_idx=s.sentence_idx,
                char_start=s.char_start,
                char_end=s.char_end,
                text=s.text,
            )
        for m in b.mentions:
            add(
                "mentions",
                article_id=aid,
                sentence_idx=m.sentence_idx,
                entity_id=mention_entity[id(m)],
                text=m.text,
                label=m.label,
                char_start=m.char_start,
                char_end=m.char_end,
            )
        for f in b.figures:
            group = mention_entity[id(b.mentions[f.group_mention])] if f.group_mention is not None else None
            place = mention_entity[id(b.mentions[f.location_mention])] if f.location_mention is not None else None
            add(
                "figures",
                figure_id=_figure_id(aid, f),
                article_id=aid,
                sentence_idx=f.sentence_idx,
                text=f.text,
                value=f.value,
                value_low=f.value_low,
                value_high=f.value_high,
                qualifier=f.qualifier,
                category=f.category,
                counted=f.counted,
                group_entity_id=group,
                location_entity_id=place,
                attributed_to=f.attributed_to,
                char_start=f.char_start,
                char_end=f.char_end,
                is_negated=f.is_negated,
                is_cumulative=f.is_cumulative,
                is_contested=f.is_contested,
            )
    for e in entities:
        add(
            "entities",
            entity_id=e.entity_id,
            name=e.name,
            label=e.label,
            n_mentions=e.n_mentions,
            n_articles=e.n_articles,
            aliases=e.aliases,
        )
    for q in sorted(quarantine, key=lambda q: q.record.source_path):
        add(
            "quarantine",
            source_path=q.record.source_path,
            content_sha256=q.record.content_sha256,
            reason=q.record.reason,
            detail=q.record.detail,
            seen_at=q.seen_at,
        )
    for r in sorted(ledger, key=lambda r: r.source_path):
        add(
            "ingest_ledger",
            source_path=r.source_path,
            sidecar_path=r.sidecar_path,
            unit_sha256=r.unit_sha256,
            pipeline_version=r.pipeline_version,
            processed_at=r.processed_at,
            n_articles=r.n_articles,
            n_quarantined=r.n_quarantined,
        )

    return {
        name: pa.table({f.name: pa.array(cols[name].get(f.name, []), type=f.type) for f in schema}, schema=schema)
        for name, schema in SCHEMAS.items()
    }


def bundles_from_tables(
    tables: dict[str, pa.Table], keep_units: set[str]
) -> tuple[list[ArticleBundle], list[QuarantineRow], list[LedgerRow]]:
    """Rebuild the bundles, quarantine rows and ledger rows of unchanged units from a published warehouse."""
    articles = [r for r in tables["articles"].to_pylist() if unit_of(r["source_path"]) in keep_units]
    wanted = {r["article_id"] for r in articles}

    def rows_by_article(name: str) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = defaultdict(list)
        table = tables[name]
        if wanted and table.num_rows:
            for row in table.to_pylist():
                if row["article_id"] in wanted:
                    grouped[row["article_id"]].append(row)
        return grouped

    boiler, sents, ments, figs = (rows_by_article(n) for n in ("boilerplate", "sentences", "mentions", "figures"))
    bundles: list[ArticleBundle] = []
    for r in articles:
        aid, path = r["article_id"], r["source_path"]
        article = CleanArticle(
            source_path=path,
            content_sha256=r["content_sha256"],
            source_format=r["source_format"],
            body=r["body"],
            n_chars_raw=r["n_chars_raw"],
            source_url=r["source_url"],
            title=r["title"],
            publisher=r["publisher"],
            agency=r["agency"],
            published_at=r["published_at"],
            byline=r["byline"],
            boilerplate=[BoilerplatePiece(p["seq"], p["kind"], p["text"]) for p in sorted(boiler[aid], key=lambda p: p["seq"])],
        )
        mention_rows = sorted(ments[aid], key=lambda m: (m["char_start"], m["char_end"]))
        mentions = [Mention(path, m["sentence_idx"], m["text"], m["label"], m["char_start"], m["char_end"]) for m in mention_rows]
        first_mention_of: dict[str, int] = {}
        for k, m in enumerate(mention_rows):
            first_mention_of.setdefault(m["entity_id"], k)
        figures = [
            Figure(
                path,
                f["sentence_idx"],
                f["text"],
                f["value"],
                f["value_low"],
                f["value_high"],
                f["qualifier"],
                f["category"],
                f["counted"],
                f["char_start"],
                f["char_end"],
                first_mention_of.get(f["group_entity_id"]),
                first_mention_of.get(f["location_entity_id"]),
                f["attributed_to"],
                f["is_negated"],
                f["is_cumulative"],
                f["is_contested"],
            )
            for f in sorted(figs[aid], key=lambda f: f["char_start"])
        ]
        sentences = [
            Sentence(path, s["sentence_idx"], s["char_start"], s["char_end"], s["text"])
            for s in sorted(sents[aid], key=lambda s: s["sentence_idx"])
        ]
        bundles.append(ArticleBundle(article, sentences, mentions, figures, r["ingested_at"], r["pipeline_version"]))

    ledger = [LedgerRow(**r) for r in tables["ingest_ledger"].to_pylist() if r["source_path"] in keep_units]
    # A broken sidecar is quarantined under its own path but belongs to its article's unit.
    keep_paths = keep_units | {r.sidecar_path for r in ledger if r.sidecar_path}
    quarantine = [
        QuarantineRow(QuarantineRecord(q["source_path"], q["content_sha256"], q["reason"], q["detail"]), q["seen_at"])
        for q in tables["quarantine"].to_pylist()
        if unit_of(q["source_path"]) in keep_paths
    ]
    return bundles, quarantine, ledger
