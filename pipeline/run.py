"""`run_pipeline`: the whole pipeline once, without Dagster (plan, ingest, clean, annotate, publish)."""

from __future__ import annotations

from pipeline.ingest import IngestLimits
from pipeline.plan import plan_run
from pipeline.publish import PublishSummary, publish
from pipeline.settings import Settings
from pipeline.spool import release_spill
from pipeline.stages.annotate import AnnotateResult, annotate
from pipeline.stages.clean import CleanResult, clean
from pipeline.stages.ingest import IngestResult, ingest
from pipeline.warehouse.store import WarehouseStore


def run_pipeline(settings: Settings) -> PublishSummary:
    """The whole pipeline once, without Dagster (the assets call the same stages)."""
    store = WarehouseStore(settings.warehouse_dir)
    store.remove_stale_temporaries()  # left by a run that was killed (even when this one is a no-op)
    store.repair_parquet()
    plan = plan_run(settings, store)
    if plan.is_noop:
        return publish(plan, store, None, [])
    stage_in = settings.warehouse_dir  # records wait between stages on disk, not in memory
    ingested, cleaned, annotated = IngestResult(), CleanResult(), AnnotateResult()
    try:
        ingested = ingest(plan, IngestLimits(max_bytes=settings.max_bytes), stage_in=stage_in)
        cleaned = clean(ingested.records, processes=settings.nlp_processes, doc_seconds=settings.doc_seconds, stage_in=stage_in)
        release_spill(ingested)  # raw text is not needed past cleaning
        annotated = annotate(
            cleaned.articles,
            model=settings.spacy_model,
            n_process=settings.nlp_processes,
            doc_seconds=settings.doc_seconds,
            stage_in=stage_in,
        )
        release_spill(cleaned)  # bodies now live in the staged rows
        return publish(
            plan,
            store,
            annotated.rows,
            [*ingested.quarantined, *cleaned.quarantined, *annotated.quarantined],
            fingerprints=ingested.fingerprints,
        )
    finally:  # every spool and staged part goes with the run, also when a stage failed part-way
        for result in (ingested, cleaned, annotated):
            release_spill(result)
