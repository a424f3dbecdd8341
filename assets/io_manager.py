"""Step outputs that belong to their run.

Dagster's FilesystemIOManager keeps one file per asset (`storage/<asset key>`), so two runs
sharing a Dagster home (the CLI and the sensor, or two CLI runs on different raw folders) read
each other's plans and manifests. This IO manager pickles each output under
`<storage>/step_outputs/<run id>/<asset key>` and loads an input only from the run Dagster says
produced it. An input whose asset was not materialized in the run (a downstream asset
materialized alone) is an error naming the job to run instead: the stage outputs are manifests
of spool files that live only as long as their run, so there is nothing older to load.

A run's step data, and the spill its manifests point to, are removed when the run ends, failed
or not. The job runs every step in one process (the in-process executor), so that is the
resource's teardown. Folders of runs that finished or whose process is gone (killed) are
removed when the next run starts, so the folder never holds more than the runs in progress.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import dagster as dg

from pipeline.spool import release_spill
from pipeline.warehouse.store import process_alive

STEP_DATA_DIR = "step_outputs"
_OWNER = ".owner-pid"  # the process running the run, to tell a killed run's folder


class StepDataMissing(RuntimeError):
    """An input's step data is not in this run (not materialized by it, or already removed)."""


class RunScopedIOManager(dg.ConfigurableIOManager):
    """Pickles step outputs under `<base_dir>/<run id>/<asset key>` (base_dir defaults to the
    Dagster instance's `storage/step_outputs`) and removes them when the run ends."""

    base_dir: str | None = None
    job_name: str = "news_etl"  # named in the error when a step is run without its upstream

    def root(self, instance: dg.DagsterInstance | None) -> Path:
        if self.base_dir:
            return Path(self.base_dir)
        if instance is None:
            raise dg.DagsterInvariantViolationError("RunScopedIOManager needs a Dagster instance or a base_dir")
        return Path(instance.storage_directory()) / STEP_DATA_DIR

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        run_id = _run_id(context)
        if run_id is None or context.instance is None:
            return
        root = self.root(context.instance)
        prune_step_data(root, context.instance, keep=run_id)
        run_dir = root / run_id
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / _OWNER).write_text(str(os.getpid()))

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        run_id = _run_id(context)
        if run_id is not None and context.instance is not None:
            remove_run_step_data(self.root(context.instance) / run_id)

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        path = self._path(_instance(context), context.run_id, _key_path(context))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as fh:
                pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:  # not stored, so teardown would not find its spill: drop it now
            tmp.unlink(missing_ok=True)
            release_spill(obj)
            raise

    def load_input(self, context: dg.InputContext) -> Any:
        key = _key_path(context)
        asset = "/".join(key)
        run_id = _upstream_run_id(context)
        if run_id is None:
            raise StepDataMissing(
                f"'{asset}' was not materialized in this run, and step data belongs to the run that made it "
                f"(another run's may come from another raw folder). Materialize the whole job ({self.job_name}), "
                "not a part of it."
            )
        path = self._path(_instance(context), run_id, key)
        if not path.exists():
            raise StepDataMissing(
                f"the output of '{asset}' from run {run_id} is gone (step data is removed when its run ends). "
                f"Materialize the whole job ({self.job_name}) instead of re-executing a part of it."
            )
        with open(path, "rb") as fh:
            return pickle.load(fh)

    def _path(self, instance: dg.DagsterInstance | None, run_id: str, key: Sequence[str]) -> Path:
        return self.root(instance).joinpath(run_id, *key)


def _run_id(context: dg.InitResourceContext) -> str | None:
    """The run the resource is set up for (None outside a run)."""
    return context.run.run_id if context.run is not None else None


def _instance(context: dg.InputContext | dg.OutputContext) -> dg.DagsterInstance | None:
    """The run's Dagster instance (None outside a run, where base_dir must be set)."""
    with contextlib.suppress(dg.DagsterInvariantViolationError):
        return context.instance if isinstance(context, dg.InputContext) else context.step_context.instance
    return None


def _key_path(context: dg.InputContext | dg.OutputContext) -> list[str]:
    """The asset key as path parts; an op output (no asset) by its step and output name."""
    if context.has_asset_key:
        return list(context.asset_key.path)
    upstream = context.upstream_output if isinstance(context, dg.InputContext) else context
    return ["ops", str(upstream.step_key), str(upstream.name)]


def _upstream_run_id(context: dg.InputContext) -> str | None:
    """The run Dagster resolved as the producer of this input: this run, or for a re-execution
    the parent run that produced it; None when the asset was not produced by a step of the run."""
    upstream = context.upstream_output
    if upstream is None:
        return None
    try:
        return upstream.run_id
    except dg.DagsterInvariantViolationError:  # an asset loaded from outside the run has no producing run
        return None


def remove_run_step_data(run_dir: Path) -> None:
    """Release the spill every stored output of a run points to, then delete the run's folder."""
    if not run_dir.is_dir():
        return
    for path in sorted(run_dir.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            with contextlib.suppress(Exception), open(path, "rb") as fh:  # unreadable: nothing to release
                release_spill(pickle.load(fh))
    shutil.rmtree(run_dir, ignore_errors=True)


def prune_step_data(root: Path, instance: dg.DagsterInstance, keep: str) -> int:
    """Remove the step data of runs that are over: finished, unknown to the instance (deleted),
    or whose process is gone (killed before its teardown). Returns how many folders went."""
    removed = 0
    for run_dir in root.iterdir() if root.is_dir() else []:
        if run_dir.name == keep or not run_dir.is_dir():
            continue
        run = instance.get_run_by_id(run_dir.name)
        if run is None or run.is_finished or not _owner_alive(run_dir):
            remove_run_step_data(run_dir)
            removed += 1
    return removed


def _owner_alive(run_dir: Path) -> bool:
    try:
        pid = int((run_dir / _OWNER).read_text())
    except (OSError, ValueError):
        return True  # being created right now, or not ours to judge: the run status decides
    return process_alive(pid)
