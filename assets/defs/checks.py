"""Data-quality checks on the published warehouse (read-only DuckDB queries)."""

import contextlib

import dagster as dg

from assets.defs.resources import NewsSettings
from pipeline.clean.rules import BOILERPLATE_PHRASES_FOR_CHECKS
from pipeline.ingest import scan_raw_folder
from pipeline.warehouse.schema import CONTRACT_TABLES, UNIQUE_KEYS
from pipeline.warehouse.store import WarehouseStore

SPAN_TABLES = ("sentences", "mentions", "figures")


def _query(news: NewsSettings, sql: str, params: list | None = None) -> list[tuple]:
    store = WarehouseStore(news.settings().warehouse_dir)
    with contextlib.closing(store.connect_readonly()) as con:
        return con.execute(sql, params or []).fetchall()


def _examples(**examples: list | str) -> dict[str, str]:
    """The examples there are, as text: a passing check shows no empty metadata rows."""
    return {name: value if isinstance(value, str) else str(value) for name, value in examples.items() if value}


def _unique_check(table: str, keys: tuple[tuple[str, ...], ...]) -> dg.AssetChecksDefinition:
    # The same keys the publish step enforces (pipeline.warehouse.schema.UNIQUE_KEYS), so the two cannot drift.
    described = " and ".join(f"({', '.join(k)})" for k in keys)

    @dg.asset_check(asset=table, name=f"{table}_unique_keys", description=f"{described} unique in {table}.")
    def check(news: NewsSettings) -> dg.AssetCheckResult:
        dupes = []
        for key in keys:
            cols = ", ".join(key)
            dupes += _query(news, f"SELECT {cols}, count(*) AS n FROM {table} GROUP BY {cols} HAVING n > 1 LIMIT 5")
        return dg.AssetCheckResult(passed=not dupes, metadata={"duplicate_keys": len(dupes), **_examples(examples=dupes)})

    return check


def _span_check(table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=table,
        name=f"{table}_spans_match_body",
        description=f"Every {table} span lies inside its article body and equals its text.",
    )
    def check(news: NewsSettings) -> dg.AssetCheckResult:
        bad = _query(
            news,
            f"""SELECT t.article_id, t.char_start, t.char_end, t.text FROM {table} t JOIN articles a USING (article_id)
                WHERE t.char_start < 0 OR t.char_end > length(a.body) OR t.char_end <= t.char_start
                   OR substr(a.body, t.char_start + 1, t.char_end - t.char_start) <> t.text
                LIMIT 5""",
        )
        orphans = _query(news, f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT article_id FROM articles)")[0][0]
        return dg.AssetCheckResult(
            passed=not bad and orphans == 0,
            metadata={"bad_spans": len(bad), "orphan_rows": orphans, **_examples(examples=bad)},
        )

    return check


@dg.asset_check(
    asset="articles",
    name="no_known_boilerplate_left",
    description="No body contains a known boilerplate phrase (donation, subscription, comment prompts...).",
)
def no_known_boilerplate_left(news: NewsSettings) -> dg.AssetCheckResult:
    # One pass over the bodies for all phrases (each body lower-cased once).
    hits = _query(
        news,
        """WITH p AS (SELECT lower(unnest(?::VARCHAR[])) AS phrase),
                a AS (SELECT article_id, lower(body) AS body FROM articles)
           SELECT a.article_id, p.phrase FROM a, p WHERE contains(a.body, p.phrase) ORDER BY ALL LIMIT 50""",
        [list(BOILERPLATE_PHRASES_FOR_CHECKS)],
    )
    return dg.AssetCheckResult(
        passed=not hits, metadata={"articles_with_boilerplate": len(hits), **_examples(examples=hits[:10])}
    )


@dg.asset_check(
    asset="quarantine",
    name="every_raw_file_accounted_for",
    description="Every file under the raw folder is an article, part of one (sidecar, JSONL line) or a quarantine row.",
)
def every_raw_file_accounted_for(news: NewsSettings) -> dg.AssetCheckResult:
    settings = news.settings()
    files = scan_raw_folder(settings.raw_dir) if settings.raw_dir.exists() else []
    on_disk = {f.path for f in files}
    ledger = _query(news, "SELECT source_path, sidecar_path FROM ingest_ledger")
    covered = {r[0] for r in ledger} | {r[1] for r in ledger if r[1]}
    produced = {
        r[0]
        for r in _query(
            news,
            # A JSONL line is "feed.jsonl#3"; any other "#" is part of a file name.
            "SELECT regexp_replace(source_path, '(?i)(\\.jsonl(\\.gz)?)#[0-9]+$', '\\1') FROM articles "
            "UNION SELECT regexp_replace(source_path, '(?i)(\\.jsonl(\\.gz)?)#[0-9]+$', '\\1') FROM quarantine",
        )
    }
    missing = sorted(on_disk - covered)  # on disk but never processed
    without_rows = sorted(r[0] for r in ledger if r[0] not in produced)  # processed but neither article nor quarantine
    return dg.AssetCheckResult(
        passed=not missing and not without_rows,
        metadata={
            "files_on_disk": len(on_disk),
            "not_in_ledger": len(missing),
            "units_without_rows": len(without_rows),
            **_examples(missing_examples=missing[:10], without_rows_examples=without_rows[:10]),
        },
    )


# A long text whose cleaning removed more than this share was probably mis-cleaned.
MAX_REMOVED_SHARE = 0.9
LONG_TEXT_CHARS = 2000


@dg.asset_check(
    asset="articles",
    name="removed_share_plausible",
    description=f"No long text (>= {LONG_TEXT_CHARS} chars) lost more than {MAX_REMOVED_SHARE:.0%} to text-level boilerplate removal.",
)
def removed_share_plausible(news: NewsSettings) -> dg.AssetCheckResult:
    # Page chrome dropped by HTML extraction (`navigation`) is expected to be large; what is
    # judged is the share removed from the extracted or scraped text itself.
    rows = _query(
        news,
        """WITH removed AS (
               SELECT article_id, sum(length(text)) AS n FROM boilerplate WHERE kind <> 'navigation' GROUP BY article_id)
           SELECT a.article_id, r.n, length(a.body) FROM articles a JOIN removed r USING (article_id)
           WHERE r.n + length(a.body) >= ? AND r.n > ? * (r.n + length(a.body))
           ORDER BY r.n DESC""",
        [LONG_TEXT_CHARS, MAX_REMOVED_SHARE],
    )
    return dg.AssetCheckResult(
        passed=not rows,
        metadata={
            "articles_over_limit": len(rows),
            **_examples(
                articles=", ".join(r[0] for r in rows[:20]),
                examples=[(r[0], f"removed {r[1]} chars, kept {r[2]}") for r in rows[:5]],
            ),
        },
    )


@dg.definitions
def checks() -> dg.Definitions:
    """Every asset check of the code location."""
    return dg.Definitions(
        asset_checks=[
            *(_unique_check(t, UNIQUE_KEYS[t]) for t in CONTRACT_TABLES),
            *(_span_check(t) for t in SPAN_TABLES),
            no_known_boilerplate_left,
            every_raw_file_accounted_for,
            removed_share_plausible,
        ]
    )
