"""Assets, one per pipeline stage; each calls `pipeline` and reports what it did."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from itertools import islice

import dagster as dg

from assets.previews import md_rows, md_table
from assets.resources import NewsSettings
from pipeline.ingest import IngestLimits
from pipeline.clock import now_utc
from pipeline.plan import RunPlan, plan_run
from pipeline.publish import publish
from pipeline.spool import discard, release_spill
from pipeline.stages.annotate import AnnotateResult, annotate
from pipeline.stages.clean import CleanResult, clean
from pipeline.stages.ingest import IngestResult, ingest
from pipeline.warehouse.schema import CONTRACT_TABLES
from pipeline.warehouse.store import WarehouseStore

GROUP = "news"
PREVIEW_ROWS = 8
TABLE_KEYS = [dg.AssetKey(name) for name in CONTRACT_TABLES]

_TABLE_DESCRIPTIONS = {
    "articles": "One row per article version: clean body and metadata columns.",
    "boilerplate": "Every piece of text removed from an article, with its kind.",
    "sentences": "Sentences of each body, with character offsets.",
    "entities": "Canonical entities across the warehouse, with stable ids.",
    "mentions": "Entity mentions in bodies, linked to canonical entities.",
    "figures": "Numeric claims about people, forces and losses.",
    "quarantine": "Every input that did not become an article, with an actionable reason.",
}
_PREVIEW_COLUMNS = {
    "articles": ["article_id", "title", "publisher", "published_at", "agency"],
    "boilerplate": ["article_id", "seq", "kind", "text"],
    "sentences": ["article_id", "sentence_idx", "text"],
    "entities": ["name", "label", "n_mentions", "n_articles"],
    "mentions": ["article_id", "text", "label", "entity_id"],
    "figures": ["text", "value", "qualifier", "category", "counted", "attributed_to"],
    "quarantine": ["source_path", "reason", "detail"],
}


@contextmanager
def _released_on_error(result: object) -> Iterator[None]:
    """Remove a stage result's spill if the step fails before its output is stored (once stored,
    the IO manager releases it when the run ends, whatever happens)."""
    try:
        yield
    except BaseException:
        release_spill(result)
        raise


@dg.asset(group_name=GROUP, description="Scan the raw folder and compare each input with the ledger of processed inputs.")
def raw_inventory(context: dg.AssetExecutionContext, news: NewsSettings) -> dg.Output[RunPlan]:
    settings = news.settings()
    store = WarehouseStore(settings.warehouse_dir)
    if store.remove_stale_temporaries():
        context.log.info("Removed temporary files left by an interrupted run.")
    if store.repair_parquet():
        context.log.warning("Parquet copy was behind news.duckdb (an interrupted run); re-exported it.")
    plan = plan_run(settings, store)
    return dg.Output(
        plan,
        metadata={
            "raw_dir": str(settings.raw_dir),
            "files": plan.n_files,
            "units": len(plan.units),
            "to_process": len(plan.to_process),
            "unchanged": len(plan.unchanged),
            "removed": len(plan.removed),
            "noop": plan.is_noop,
            "to_process_preview": md_rows([{"path": p} for p in plan.to_process], ["path"]),
        },
    )


@dg.asset(
    group_name=GROUP, description="Read new and changed inputs: decode, gunzip, parse JSON, attach sidecars; quarantine the rest."
)
def raw_records(raw_inventory: RunPlan, news: NewsSettings) -> dg.Output[IngestResult]:
    # Records are spooled to disk in the warehouse folder; the output is their manifest.
    result = ingest(raw_inventory, IngestLimits(max_bytes=news.max_bytes), stage_in=news.settings().warehouse_dir)
    with _released_on_error(result):
        return dg.Output(
            result,
            metadata={
                "records": len(result.records),
                "quarantined": len(result.quarantined),
                **{f"format_{k}": v for k, v in sorted(result.formats.items())},
                "quarantine_preview": md_rows([asdict(q) for q in result.quarantined], ["source_path", "reason", "detail"]),
            },
        )


@dg.asset(group_name=GROUP, description="HTML to text with boilerpy3, then text-level boilerplate removal and metadata columns.")
def clean_articles(raw_records: IngestResult, news: NewsSettings) -> dg.Output[CleanResult]:
    result = clean(
        raw_records.records, processes=news.nlp_processes, doc_seconds=news.doc_seconds, stage_in=news.settings().warehouse_dir
    )
    discard(raw_records.records)  # the raw text is not needed past cleaning
    n_cleaner_quarantined = len(result.quarantined)
    # Later stages need the ingest quarantine and fingerprints, not the raw text: carry them.
    result.quarantined[:0] = raw_records.quarantined
    result.fingerprints = raw_records.fingerprints
    with _released_on_error(result):
        return dg.Output(
            result,
            metadata={
                "articles": len(result.articles),
                "quarantined": n_cleaner_quarantined,
                "boilerplate_pieces": sum(result.removed.values()),
                **{f"removed_{k}": v for k, v in sorted(result.removed.items())},
                "preview": md_rows(_clean_preview(result), ["source_path", "title", "publisher", "chars"]),
            },
        )


def _clean_preview(result: CleanResult) -> list[dict]:
    """The first few clean articles (read back from the spool), as the UI shows them."""
    return [
        {"source_path": a.source_path, "title": a.title, "publisher": a.publisher, "chars": len(a.body)}
        for a in islice(result.articles, PREVIEW_ROWS)
    ]


@dg.asset(group_name=GROUP, description="spaCy over the clean bodies (one pass): sentences, entity mentions and figures.")
def annotated_articles(clean_articles: CleanResult, news: NewsSettings) -> dg.Output[AnnotateResult]:
    result = annotate(
        clean_articles.articles,
        model=news.spacy_model or None,
        n_process=news.nlp_processes,
        doc_seconds=news.doc_seconds,
        stage_in=news.settings().warehouse_dir,  # rows go to Parquet parts; the output is their manifest
    )
    discard(clean_articles.articles)  # the bodies now live in the staged rows
    n_nlp_quarantined = len(result.quarantined)
    result.quarantined[:0] = clean_articles.quarantined
    result.fingerprints = clean_articles.fingerprints
    with _released_on_error(result):
        return dg.Output(
            result,
            metadata={
                "articles": result.n_articles,
                "quarantined": n_nlp_quarantined,
                "sentences": result.count("sentences"),
                "mentions": result.count("mentions"),
                "figures": result.count("figures"),
            },
        )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key,
            group_name=GROUP,
            description=_TABLE_DESCRIPTIONS[key.path[-1]],
            deps=["raw_inventory", "raw_records", "clean_articles", "annotated_articles"],
        )
        for key in TABLE_KEYS
    ],
    description="Merge new results with the unchanged warehouse, resolve entities, and swap in the new DuckDB file and Parquet datasets atomically.",
)
def warehouse_tables(
    context: dg.AssetExecutionContext, news: NewsSettings, raw_inventory: RunPlan, annotated_articles: AnnotateResult
):
    store = WarehouseStore(news.settings().warehouse_dir)
    summary = publish(
        raw_inventory,
        store,
        annotated_articles.rows,
        annotated_articles.quarantined,  # every stage's quarantine, carried forward
        when=now_utc(),
        fingerprints=annotated_articles.fingerprints,
    )
    context.log.info(
        f"{'published generation ' + str(summary.generation) if summary.written else 'no change: warehouse left as it was'}; "
        f"processed {summary.processed_units} inputs, reused {summary.reused_units}, removed {summary.removed_units}"
    )
    for name in CONTRACT_TABLES:
        preview = store.head(name, _PREVIEW_COLUMNS[name])  # a few rows, never the whole table
        yield dg.MaterializeResult(
            asset_key=name,
            metadata={
                "dagster/row_count": summary.row_counts.get(name, 0),
                "changed": summary.written,
                "generation": str(summary.generation),
                "duckdb": dg.MetadataValue.path(str(store.db_path)),
                "parquet": dg.MetadataValue.path(str(store.parquet_dir / name)),
                "preview": md_table(preview, _PREVIEW_COLUMNS[name]),
            },
        )
