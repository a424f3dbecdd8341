"""The stage chain, written once: plan, ingest, clean, annotate, publish.

Each step takes the previous step's result, frees the input it has consumed, and carries forward
what publishing needs from the stages before (`Carried`: the plan, their quarantine records, the
ingest fingerprints). `run_pipeline` runs the steps in one go (scripts, tests, benchmarks); the
Dagster assets run one step each (`assets/defs/stages.py`), so both make the same calls.
Records wait between the steps on disk, in the warehouse folder.
"""

from __future__ import annotations

import logging

from pipeline.ingest import IngestLimits
from pipeline.plan import RunPlan, plan_run
from pipeline.publish import PublishSummary, publish
from pipeline.settings import Settings
from pipeline.spool import discard, release_spill
from pipeline.stages.annotate import AnnotateResult, annotate
from pipeline.stages.carried import Carried
from pipeline.stages.clean import CleanResult, clean
from pipeline.stages.ingest import IngestResult, ingest
from pipeline.warehouse.store import WarehouseStore

_log = logging.getLogger(__name__)


def plan_step(settings: Settings, store: WarehouseStore, log: logging.Logger = _log) -> RunPlan:
    """Tidy what an interrupted run left in the warehouse folder, then plan the run."""
    if store.remove_stale_temporaries():
        log.info("Removed temporary files left by an interrupted run.")
    if store.repair_parquet():
        log.warning("Parquet copy was behind news.duckdb (an interrupted run); re-exported it.")
    return plan_run(settings, store)


def ingest_step(plan: RunPlan, settings: Settings) -> IngestResult:
    """Read the plan's new and changed units."""
    return ingest(plan, IngestLimits(max_bytes=settings.max_bytes), stage_in=settings.warehouse_dir)


def clean_step(ingested: IngestResult, settings: Settings) -> CleanResult:
    """Clean the ingested records; their raw text is not needed past cleaning."""
    result = clean(
        ingested.records, processes=settings.nlp_processes, doc_seconds=settings.doc_seconds, stage_in=settings.warehouse_dir
    )
    discard(ingested.records)
    assert ingested.plan is not None, "ingest results carry their plan"
    result.carried = Carried(ingested.plan, list(ingested.quarantined), ingested.fingerprints)
    return result


def annotate_step(cleaned: CleanResult, settings: Settings) -> AnnotateResult:
    """Annotate the clean articles; their bodies now live in the staged rows."""
    result = annotate(
        cleaned.articles,
        model=settings.spacy_model,
        n_process=settings.nlp_processes,
        doc_seconds=settings.doc_seconds,
        stage_in=settings.warehouse_dir,
    )
    discard(cleaned.articles)
    assert cleaned.carried is not None, "clean results come from clean_step"
    result.carried = cleaned.carried.plus(cleaned.quarantined)
    return result


def publish_step(annotated: AnnotateResult, store: WarehouseStore) -> PublishSummary:
    """Publish the annotated rows with every stage's quarantine records, against the run's plan."""
    assert annotated.carried is not None, "annotate results come from annotate_step"
    carried = annotated.carried.plus(annotated.quarantined)
    return publish(carried.plan, store, annotated.rows, carried.quarantined, fingerprints=carried.fingerprints)


def run_stages(plan: RunPlan, store: WarehouseStore, settings: Settings) -> PublishSummary:
    """Every step after planning, in order; every spool and staged part goes with the run, also
    when a step fails part-way."""
    ingested = cleaned = annotated = None
    try:
        ingested = ingest_step(plan, settings)
        cleaned = clean_step(ingested, settings)
        annotated = annotate_step(cleaned, settings)
        return publish_step(annotated, store)
    finally:
        for result in (ingested, cleaned, annotated):
            release_spill(result)


def run_pipeline(settings: Settings) -> PublishSummary:
    """The whole pipeline once, without Dagster; a run with nothing to do changes nothing."""
    store = WarehouseStore(settings.warehouse_dir)
    plan = plan_step(settings, store)  # tidies after a killed run, also when this one is a no-op
    if plan.is_noop:
        return publish(plan, store, None, [])
    return run_stages(plan, store, settings)
