"""Entity resolution inside the warehouse build, streamed article by article.

The mentions stay in DuckDB; Python sees one batch of articles' distinct (text, label, hint)
rows at a time and keeps only the distinct names, so a publish's memory does not grow with
the number of articles in the warehouse.
"""

from __future__ import annotations

from itertools import groupby

import duckdb
import pyarrow as pa

from pipeline.entities.resolve import CanonicalEntity, EntityResolver, sort_entities

ARTICLES_PER_BATCH = 500


def _batch_bounds(con: duckdb.DuckDBPyConnection, per_batch: int) -> list[str]:
    """The first source path of each batch, in DuckDB's own order (half-open ranges between them)."""
    return [
        r[0]
        for r in con.execute(
            "SELECT source_path FROM (SELECT source_path, row_number() OVER (ORDER BY source_path) - 1 AS i "
            "FROM (SELECT DISTINCT source_path FROM mention_names)) WHERE i % ? = 0 ORDER BY source_path",
            [per_batch],
        ).fetchall()
    ]


def resolve_mentions(
    con: duckdb.DuckDBPyConnection, mentions: str = "l_mentions", *, articles_per_batch: int = ARTICLES_PER_BATCH
) -> list[CanonicalEntity]:
    """Resolve the mentions of relation `mentions` (source_path, text, label, canonical_hint).

    Leaves the temporary relation `mention_entity` (source_path, text, label, canonical_hint,
    entity_id) for joining back onto the mentions, and returns the canonical entities in table
    order.
    """
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE mention_names AS
            SELECT source_path, text, label, canonical_hint, count(*)::INTEGER AS n FROM {mentions}
            GROUP BY ALL ORDER BY source_path"""
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE mention_keys (
               source_path VARCHAR, text VARCHAR, label VARCHAR, canonical_hint VARCHAR, n INTEGER, key VARCHAR)"""
    )
    resolver = EntityResolver()
    bounds = _batch_bounds(con, articles_per_batch)
    for lo, hi in zip(bounds, [*bounds[1:], None]):
        upper, params = ("", [lo]) if hi is None else (" AND source_path < ?", [lo, hi])
        batch = con.sql(
            f"SELECT * FROM mention_names WHERE source_path >= ?{upper} ORDER BY source_path", params=params
        ).to_arrow_table()
        paths, texts, labels, hints = (batch.column(c).to_pylist() for c in ("source_path", "text", "label", "canonical_hint"))
        keys: list[str] = []
        for _, run in groupby(range(len(paths)), key=paths.__getitem__):  # rows come grouped by article
            rows = list(run)
            keys += resolver.article([texts[i] for i in rows], [labels[i] for i in rows], [hints[i] for i in rows])
        con.register("mention_keys_batch", batch.append_column("key", pa.array(keys, pa.string())))
        con.execute("INSERT INTO mention_keys SELECT * FROM mention_keys_batch")
        con.unregister("mention_keys_batch")
    con.execute("DROP TABLE mention_names")

    links = resolver.cross_article_links()
    con.register(
        "key_links", pa.table({"key": pa.array(list(links), pa.string()), "linked": pa.array(list(links.values()), pa.string())})
    )
    con.execute(
        """CREATE OR REPLACE TEMP VIEW final_keys AS
           SELECT m.* EXCLUDE (key), coalesce(l.linked, m.key) AS key FROM mention_keys m LEFT JOIN key_links l USING (key)"""
    )
    written = con.execute("SELECT key, text, label, sum(n)::BIGINT FROM final_keys GROUP BY ALL").fetchall()
    n_articles = dict(con.execute("SELECT key, count(DISTINCT source_path) FROM final_keys GROUP BY key").fetchall())
    entities = resolver.entities(written, n_articles)
    con.register(
        "entity_keys",
        pa.table(
            {
                "key": pa.array(list(entities), pa.string()),
                "entity_id": pa.array([e.entity_id for e in entities.values()], pa.string()),
            }
        ),
    )
    con.execute(
        """CREATE OR REPLACE TEMP VIEW mention_entity AS
           SELECT f.source_path, f.text, f.label, f.canonical_hint, e.entity_id FROM final_keys f JOIN entity_keys e USING (key)"""
    )
    return sort_entities(entities.values())
