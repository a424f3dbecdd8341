"""Ingest: read every new or changed input unit into raw records; failures become quarantine records."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest import IngestLimits, read_unit, unit_fingerprint
from pipeline.plan import RunPlan
from pipeline.records import QuarantineRecord, RawRecord
from pipeline.spool import Spool, release_spill


@dataclass
class IngestResult:
    plan: RunPlan | None = None  # the plan this ingest followed
    # In memory, or spooled to disk when `ingest` was given a folder to stage in.
    records: list[RawRecord] | Spool[RawRecord] = field(default_factory=list)
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    # Fingerprint of what was actually read, per unit; None when the unit changed or vanished
    # while it was read, so the ledger never vouches for content the warehouse does not hold.
    fingerprints: dict[str, str | None] = field(default_factory=dict)
    formats: Counter[str] = field(default_factory=Counter)  # records per source format


def ingest(plan: RunPlan, limits: IngestLimits | None = None, *, stage_in: Path | None = None) -> IngestResult:
    """Read every new or changed unit; every failure becomes a quarantine record.

    With `stage_in` (a warehouse folder) the records are spooled to disk there as they are read.
    """
    limits = limits or IngestLimits()
    result = IngestResult(plan)
    if stage_in is not None:
        result.records = Spool(stage_in, "raw-records")
    try:
        for path in plan.to_process:
            for item in read_unit(plan.raw_dir, plan.units[path], limits):
                if isinstance(item, RawRecord):
                    result.records.append(item)
                    result.formats[item.source_format] += 1
                else:
                    result.quarantined.append(item)
            after = unit_fingerprint(plan.raw_dir, plan.units[path])
            result.fingerprints[path] = after if after == plan.fingerprints[path] else None
    except BaseException:  # interrupted part-way: the spool goes with the run
        release_spill(result)
        raise
    if isinstance(result.records, Spool):
        result.records.seal()
    return result
