"""What each stage hands on to publishing, besides its own output."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.plan import RunPlan
from pipeline.records import QuarantineRecord


@dataclass
class Carried:
    """The run's plan, every earlier stage's quarantine records (in stage order) and the
    fingerprint of each unit as ingest read it: what publishing needs from the stages before it,
    so no step has to load an earlier step's output again."""

    plan: RunPlan
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    fingerprints: dict[str, str | None] = field(default_factory=dict)

    def plus(self, quarantined: list[QuarantineRecord]) -> Carried:
        """These records followed by a later stage's quarantine."""
        return Carried(self.plan, [*self.quarantined, *quarantined], self.fingerprints)
