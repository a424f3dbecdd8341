"""Records between stages, spooled to disk, so a run's memory does not grow with its size.

A `Spool` is an append-only file of pickled records in a hidden temporary file of the warehouse
folder (`.<name>.<pid>-<id>.tmp`). It is iterated as often as needed, one record in memory at a
time, and pickles as its path and count, so a Dagster asset's output is the manifest, not the
records. A run removes its spools on the way out, also when a stage fails part-way
(`release_spill`; in Dagster, the run-scoped IO manager at the run's end); a run that is killed
leaves them to the next run's clean-up, which matches the process id.
"""

from __future__ import annotations

import os
import pickle
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import IO, Generic, TypeVar

from pipeline.warehouse.staging import StagedRows

T = TypeVar("T")


class Spool(Generic[T]):
    """Records written once, read back in order any number of times."""

    def __init__(self, folder: Path, name: str = "spool") -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f".{name}.{os.getpid()}-{uuid.uuid4().hex[:12]}.tmp"
        self.count = 0
        self._out: IO[bytes] | None = open(self.path, "wb")  # noqa: SIM115 - closed by seal()

    def append(self, record: T) -> None:
        if self._out is None:
            raise ValueError(f"spool {self.path} is sealed")
        pickle.dump(record, self._out, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def extend(self, records: Iterable[T]) -> None:
        for record in records:
            self.append(record)

    def seal(self) -> Spool[T]:
        """Finish writing; returns the spool, ready to be read."""
        if self._out is not None:
            self._out.close()
            self._out = None
        return self

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[T]:
        self.seal()
        if not self.path.exists():
            raise FileNotFoundError(
                f"records staged by an earlier step are gone ({self.path}); run the whole job again, not one step"
            )
        with open(self.path, "rb") as fh:
            for _ in range(self.count):
                yield pickle.load(fh)

    def remove(self) -> None:
        self.seal()
        self.path.unlink(missing_ok=True)

    def __getstate__(self) -> dict:
        self.seal()
        return {"path": self.path, "count": self.count}

    def __setstate__(self, state: dict) -> None:
        self.path, self.count, self._out = state["path"], state["count"], None


def discard(records: Iterable[object]) -> None:
    """Free a stage's input once it has been consumed: a spool's file, or a list's items."""
    if isinstance(records, Spool):
        records.remove()
    elif isinstance(records, list):
        records.clear()


def release_spill(result: object) -> None:
    """Remove the files a stage result keeps on disk (its spool, its staged rows); safe to repeat.

    Used on the way out of a run, whether it succeeded or failed part-way, so a run's spill
    never outlives it (a killed run's is removed by the next run, by its process id).
    """
    if not is_dataclass(result):
        return
    for f in fields(result):
        value = getattr(result, f.name)
        if isinstance(value, (Spool, StagedRows)):
            value.remove()
