"""Planning a run: which input units are new or changed, which are unchanged, which are gone."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipeline import PIPELINE_VERSION
from pipeline.ingest import IngestUnit, group_units, scan_raw_folder, unit_fingerprint
from pipeline.settings import Settings
from pipeline.warehouse.store import WarehouseStore


@dataclass
class RunPlan:
    """What a run has to do: which input units are new or changed, which are gone."""

    raw_dir: Path
    pipeline_version: str
    base_generation: str | None  # the published warehouse this plan was made against
    units: dict[str, IngestUnit]
    fingerprints: dict[str, str | None]
    to_process: list[str]
    unchanged: list[str]
    removed: list[str]
    n_files: int

    def change_digest(self) -> str:
        """Digest of the pending change set: equal plans request the same run (sensor run key)."""
        parts = [f"+{p}:{self.fingerprints[p]}" for p in self.to_process] + [f"-{p}" for p in self.removed]
        return hashlib.sha256("\n".join([self.pipeline_version, str(self.base_generation), *parts]).encode()).hexdigest()[:20]

    @property
    def is_noop(self) -> bool:
        """Nothing new, changed or removed, and a warehouse already exists."""
        return self.base_generation is not None and not self.to_process and not self.removed


def plan_run(settings: Settings, store: WarehouseStore | None = None) -> RunPlan:
    """Scan the raw folder and compare each unit's fingerprint with the ledger (reads only)."""
    store = store or WarehouseStore(settings.warehouse_dir)
    base = store.generation()
    ledger = {r["source_path"]: r for r in store.read_tables(("ingest_ledger",))["ingest_ledger"].to_pylist()} if base else {}
    files = scan_raw_folder(settings.raw_dir) if settings.raw_dir.exists() else []
    units = {u.path: u for u in group_units(files)}
    fingerprints: dict[str, str | None] = {}
    to_process, unchanged = [], []
    for path, unit in sorted(units.items()):
        fp = unit_fingerprint(settings.raw_dir, unit)
        fingerprints[path] = fp
        prev = ledger.get(path)
        same = (
            prev is not None
            and fp is not None
            and prev["unit_sha256"] == fp
            and prev["pipeline_version"] == PIPELINE_VERSION
            and prev["sidecar_path"] == unit.sidecar
        )
        (unchanged if same else to_process).append(path)
    removed = sorted(set(ledger) - set(units))
    return RunPlan(settings.raw_dir, PIPELINE_VERSION, base, units, fingerprints, to_process, unchanged, removed, len(files))
