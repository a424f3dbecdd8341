"""Assets, one per pipeline stage; each runs one step of `pipeline.run` and reports what it did."""

from collections.abc import Callable, Sequence
from dataclasses import asdict
from itertools import islice
from typing import TypeVar

import dagster as dg

from assets.previews import md_rows, md_table
from assets.defs.resources import NewsSettings
from pipeline.plan import RunPlan
from pipeline.run import annotate_step, clean_step, ingest_step, plan_step, publish_step
from pipeline.spool import release_spill
from pipeline.stages.annotate import AnnotateResult
from pipeline.stages.clean import CleanResult
from pipeline.stages.ingest import IngestResult
from pipeline.warehouse.schema import CONTRACT_TABLES
from pipeline.warehouse.store import WarehouseStore

T = TypeVar("T")

GROUP = "news"
PREVIEW_ROWS = 8

_TABLE_DESCRIPTIONS = {
    "articles": "One row per article version: clean body and metadata columns.",
    "boilerplate": "Every piece of text removed from an article, with its kind.",
    "sentences": "Sentences of each body, with character offsets.",
    "entities": "Canonical entities across the warehouse, with stable ids.",
    "mentions": "Entity mentions in bodies, linked to canonical entities.",
    "figures": "Numeric claims about people, forces and losses.",
    "quarantine": "Every input that did not become an article, with an actionable reason.",
}
# What each table is built from, as the lineage view draws it. All seven are written together by
# one atomic step (`warehouse_tables`), whose input is the annotated articles' rows.
_BUILT_FROM = {
    "articles": ["clean_articles"],  # clean bodies and metadata columns
    "boilerplate": ["clean_articles"],  # what cleaning removed
    "sentences": ["annotated_articles"],
    "entities": ["annotated_articles"],  # resolved from the mentions spaCy found
    "mentions": ["annotated_articles", "entities"],  # linked to their entity
    "figures": ["annotated_articles", "entities"],  # group and place linked to entities
    "quarantine": ["raw_records", "clean_articles", "annotated_articles"],  # every stage quarantines
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


def _previews(**previews: tuple[list[dict], list[str]]) -> dict[str, dg.MetadataValue]:
    """Markdown previews of the rows there are: an empty preview is left out, not shown as a blank table."""
    return {name: md_rows(rows, columns) for name, (rows, columns) in previews.items() if rows}


def _nothing_new(news: NewsSettings, tables: Sequence[str]) -> dict[str, object]:
    """A stage's metadata in a run with nothing new: that nothing changed, and what the warehouse holds."""
    counts = WarehouseStore(news.settings().warehouse_dir).row_counts()
    return {"changed": False, **{f"{table}_in_warehouse": counts.get(table, 0) for table in tables}}


def _stage_output(
    result: T, news: NewsSettings, *, noop: bool, tables: Sequence[str], metadata: Callable[[], dict[str, object]]
) -> dg.Output[T]:
    """A stage's output with its metadata: what it did, or (nothing new) what the warehouse holds.

    If the step fails before the output is stored, the result's spill is removed here; once stored,
    the IO manager releases it when the run ends, whatever happens.
    """
    try:
        return dg.Output(result, metadata=_nothing_new(news, tables) if noop else {"changed": True, **metadata()})
    except BaseException:
        release_spill(result)
        raise


@dg.asset(group_name=GROUP, description="Scan the raw folder and compare each input with the ledger of processed inputs.")
def raw_inventory(context: dg.AssetExecutionContext, news: NewsSettings) -> dg.Output[RunPlan]:
    settings = news.settings()
    plan = plan_step(settings, WarehouseStore(settings.warehouse_dir), context.log)
    return dg.Output(
        plan,
        metadata={
            "changed": not plan.is_noop,
            "raw_dir": str(settings.raw_dir),
            "files": plan.n_files,
            "units": len(plan.units),
            "to_process": len(plan.to_process),
            "unchanged": len(plan.unchanged),
            "removed": len(plan.removed),
            **_previews(to_process_preview=([{"path": p} for p in plan.to_process], ["path"])),
        },
    )


@dg.asset(
    group_name=GROUP, description="Read new and changed inputs: decode, gunzip, parse JSON, attach sidecars; quarantine the rest."
)
def raw_records(raw_inventory: RunPlan, news: NewsSettings) -> dg.Output[IngestResult]:
    # Records are spooled to disk in the warehouse folder; the output is their manifest.
    result = ingest_step(raw_inventory, news.settings())
    return _stage_output(
        result,
        news,
        noop=raw_inventory.is_noop,
        tables=["articles", "quarantine"],
        metadata=lambda: {
            "records": len(result.records),
            "quarantined": len(result.quarantined),
            **{f"format_{k}": v for k, v in sorted(result.formats.items())},
            **_previews(quarantine_preview=([asdict(q) for q in result.quarantined], ["source_path", "reason", "detail"])),
        },
    )


@dg.asset(
    group_name=GROUP,
    description="HTML to text by four extractors voting (trafilatura twice, readability, boilerpy3), "
    "then text-level boilerplate removal, paragraphs repeated across a publisher's articles, and metadata columns.",
)
def clean_articles(raw_records: IngestResult, news: NewsSettings) -> dg.Output[CleanResult]:
    result = clean_step(raw_records, news.settings())
    return _stage_output(
        result,
        news,
        noop=result.carried.plan.is_noop,
        tables=["articles", "boilerplate"],
        metadata=lambda: {
            "articles": len(result.articles),
            "quarantined": len(result.quarantined),
            "boilerplate_pieces": sum(result.removed.values()),
            "pages_with_parser_warnings": result.pages_with_parser_warnings,
            **{f"removed_{k}": v for k, v in sorted(result.removed.items())},
            **_previews(preview=(_clean_preview(result), ["source_path", "title", "publisher", "chars"])),
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
    result = annotate_step(clean_articles, news.settings())  # rows go to Parquet parts; the output is their manifest
    return _stage_output(
        result,
        news,
        noop=result.carried.plan.is_noop,
        tables=["articles", "sentences", "mentions", "figures"],
        metadata=lambda: {
            "articles": result.n_articles,
            "quarantined": len(result.quarantined),
            "sentences": result.count("sentences"),
            "mentions": result.count("mentions"),
            "figures": result.count("figures"),
        },
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(name, group_name=GROUP, description=_TABLE_DESCRIPTIONS[name], deps=_BUILT_FROM[name])
        for name in CONTRACT_TABLES
    ],
    description="Merge new results with the unchanged warehouse, resolve entities, and swap in the new DuckDB file "
    "and Parquet datasets atomically: every table in one step.",
)
def warehouse_tables(context: dg.AssetExecutionContext, news: NewsSettings, annotated_articles: AnnotateResult):
    store = WarehouseStore(news.settings().warehouse_dir)
    summary = publish_step(annotated_articles, store)  # with every stage's quarantine, carried forward
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
