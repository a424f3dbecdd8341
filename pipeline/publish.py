"""Publishing: the new article rows, the quarantine and the ledger merged with the unchanged part
of the warehouse, and swapped in as a new generation."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

import pyarrow as pa

from pipeline import PIPELINE_VERSION
from pipeline.clock import now_utc
from pipeline.ingest.units import unit_of
from pipeline.plan import RunPlan
from pipeline.records import LedgerRow, QuarantineRecord, QuarantineRow
from pipeline.warehouse.assemble import write_tables
from pipeline.warehouse.local import empty_local
from pipeline.warehouse.staging import StagedRows
from pipeline.warehouse.store import WarehouseStore


@dataclass
class PublishSummary:
    """What a publish wrote (or that it wrote nothing)."""

    written: bool
    generation: str | None
    row_counts: dict[str, int]
    processed_units: int
    reused_units: int
    removed_units: int


def publish(
    plan: RunPlan,
    store: WarehouseStore,
    rows: dict[str, pa.Table] | StagedRows | None,
    quarantined: Sequence[QuarantineRecord],
    *,
    when: datetime | None = None,
    fingerprints: dict[str, str | None] | None = None,
) -> PublishSummary:
    """Merge the new article rows with the unchanged part of the warehouse and swap the result in.

    `fingerprints` are what ingest read per unit (default: the plan's); the ledger records them.
    """
    if plan.is_noop:
        counts = store.row_counts() if store.exists() else {}
        return PublishSummary(False, plan.base_generation, counts, 0, len(plan.unchanged), 0)
    rows = rows if rows is not None else empty_local()
    when = when or now_utc()
    ledger = _ledger_rows(plan, rows, quarantined, fingerprints if fingerprints is not None else plan.fingerprints, when)
    generation = _generation_id(plan, when)
    # The unchanged units' rows go from the published database to the new one inside DuckDB.
    try:
        store.publish(
            partial(
                write_tables,
                new=rows,
                quarantine=[QuarantineRow(q, when) for q in quarantined],
                ledger=ledger,
                keep_units=set(plan.unchanged),
            ),
            generation=generation,
            expected_base=plan.base_generation,
        )
    finally:
        if isinstance(rows, StagedRows):
            rows.remove()
    return PublishSummary(True, generation, store.row_counts(), len(plan.to_process), len(plan.unchanged), len(plan.removed))


def _ledger_rows(
    plan: RunPlan,
    rows: dict[str, pa.Table] | StagedRows,
    quarantined: Sequence[QuarantineRecord],
    fingerprints: dict[str, str | None],
    when: datetime,
) -> list[LedgerRow]:
    """One ledger row per processed unit: what was read, and how many articles and quarantine rows it gave."""
    new_paths = (
        rows.column("articles", "source_path")
        if isinstance(rows, StagedRows)
        else rows["articles"].column("source_path").to_pylist()
    )
    per_unit_articles = Counter(unit_of(p) for p in new_paths)
    sidecar_of = {u.sidecar: u.path for u in plan.units.values() if u.sidecar}
    per_unit_quarantine = Counter(sidecar_of.get(q.source_path, unit_of(q.source_path)) for q in quarantined)
    return [
        LedgerRow(
            path,
            plan.units[path].sidecar,
            fingerprints.get(path),
            PIPELINE_VERSION,
            when,
            per_unit_articles[path],
            per_unit_quarantine[path],
        )
        for path in plan.to_process
    ]


def _generation_id(plan: RunPlan, when: datetime) -> str:
    """The new generation's id: a digest of the base generation, the time and every unit's fingerprint."""
    parts = [plan.base_generation or "", when.isoformat(), *sorted(f"{p}:{plan.fingerprints[p]}" for p in plan.units)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
