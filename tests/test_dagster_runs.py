"""Runs sharing one Dagster home: step data belongs to its run, and a run's spill goes with it.

Two runs are interleaved deterministically: run A pauses in a success hook after a chosen step
(in a thread, on its own instance object over the shared home, as the CLI and the sensor would),
run B runs whole, then A resumes. No timing decides the order.
"""

from __future__ import annotations

import pickle
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import build_definitions
from assets.defs.resources import NewsSettings
from conftest import RAW, copy_raw
from pipeline.plan import plan_run
from pipeline.run import run_pipeline
from pipeline.spool import Spool
from pipeline.stages.ingest import IngestResult
from pipeline.warehouse.store import WarehouseStore

A_FILE, B_FILE, C_FILE = "000_9be1167d6977def7.txt", "002_9053da883cae559c.txt", "003_327fcd0398eff92d.txt"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """One Dagster home for every run of a test (a project's .dagster_home)."""
    path = tmp_path / "dagster_home"
    path.mkdir()
    (path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return path


@contextmanager
def instance_at(home: Path) -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.local_temp(str(home)) as instance:
        yield instance


def run_job(news: NewsSettings, home: Path, **kwargs) -> dg.ExecuteInProcessResult:
    with instance_at(home) as instance:
        return build_definitions(news).resolve_job_def("news_etl").execute_in_process(
            instance=instance, raise_on_error=False, **kwargs
        )


def interleave(first: NewsSettings, pause_after: str, second: Callable[[], object], home: Path) -> dg.ExecuteInProcessResult:
    """Run `first` until step `pause_after` has stored its output, run `second()` to the end,
    then let `first` finish; returns the result of `first`."""
    reached, resume = threading.Event(), threading.Event()
    results: dict[str, dg.ExecuteInProcessResult] = {}

    @dg.success_hook
    def pause(context: dg.HookContext) -> None:
        if context.op.name == pause_after:
            reached.set()
            resume.wait()

    def run_first() -> None:
        with instance_at(home) as instance:
            job = build_definitions(first).resolve_job_def("news_etl").with_hooks({pause})
            results["first"] = job.execute_in_process(instance=instance, raise_on_error=False)

    thread = threading.Thread(target=run_first)
    thread.start()
    try:
        while not reached.wait(0.05):
            assert thread.is_alive(), "the first run ended before the pause"
        second()
    finally:
        resume.set()
        thread.join()
    return results["first"]


def source_paths(news: NewsSettings, table: str = "articles") -> list[str]:
    tables = WarehouseStore(Path(news.warehouse_dir)).read_tables((table,))
    return sorted(tables[table].column("source_path").to_pylist())


def leftovers(folder: Path) -> list[str]:
    """Hidden temporaries (spools, staged parts, builds) anywhere in a warehouse folder."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".*") if p.name != ".lock")


def step_data(home: Path) -> list[str]:
    """Every file the IO manager left in the Dagster home's storage (compute logs aside)."""
    storage = home / "storage"
    return sorted(str(p.relative_to(storage)) for p in storage.rglob("*") if p.is_file() and "compute_logs" not in p.parts)


def test_overlapping_runs_on_two_raw_folders_each_publish_their_own_folder(tmp_path: Path, home: Path) -> None:
    a = NewsSettings(raw_dir=str(copy_raw(tmp_path / "raw_a", [A_FILE])), warehouse_dir=str(tmp_path / "wh_a"))
    b = NewsSettings(raw_dir=str(copy_raw(tmp_path / "raw_b", [B_FILE, C_FILE])), warehouse_dir=str(tmp_path / "wh_b"))
    second: dict[str, dg.ExecuteInProcessResult] = {}
    # A has planned its folder when B plans, ingests and publishes B's; then A goes on.
    first = interleave(a, "raw_inventory", lambda: second.setdefault("b", run_job(b, home)), home)
    assert first.success and second["b"].success
    assert source_paths(a) == [A_FILE]
    assert source_paths(b) == [B_FILE, C_FILE]
    assert source_paths(a, "ingest_ledger") == [A_FILE]  # not the other folder's ledger
    assert source_paths(b, "ingest_ledger") == [B_FILE, C_FILE]
    assert step_data(home) == []  # each run's step data went with it


def test_a_file_deleted_between_overlapping_runs_leaves_the_warehouse(tmp_path: Path, home: Path) -> None:
    raw = copy_raw(tmp_path / "raw", [A_FILE, B_FILE])
    news = NewsSettings(raw_dir=str(raw), warehouse_dir=str(tmp_path / "wh"))
    assert run_job(news, home).success
    shutil.copy(RAW / C_FILE, raw / A_FILE)  # A_FILE edited: the next run re-reads it

    def delete_and_run() -> None:
        (raw / A_FILE).unlink()
        assert run_job(news, home).success

    # The first run has read and cleaned the edited file when it is deleted and a second run publishes.
    first = interleave(news, "clean_articles", delete_and_run, home)
    assert not first.success  # its plan predates the second run's publish: refused, nothing written
    assert source_paths(news) == [B_FILE]
    assert source_paths(news, "ingest_ledger") == [B_FILE]
    assert plan_run(news.settings()).is_noop  # the warehouse mirrors the folder; no run is pending
    assert leftovers(Path(news.warehouse_dir)) == []
    assert step_data(home) == []


def test_a_step_materialized_without_its_upstream_refuses_to_read_another_runs_output(tmp_path: Path, home: Path) -> None:
    a = NewsSettings(raw_dir=str(copy_raw(tmp_path / "raw_a", [A_FILE])), warehouse_dir=str(tmp_path / "wh_a"))
    b = NewsSettings(raw_dir=str(copy_raw(tmp_path / "raw_b", [B_FILE])), warehouse_dir=str(tmp_path / "wh_b"))
    assert run_job(a, home).success
    # B's raw_records alone (the UI's "Materialize selected"): A's plan is the only one ever stored.
    result = run_job(b, home, asset_selection=[dg.AssetKey("raw_records")])
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "Materialize the whole job (news_etl)" in str(failure.event_specific_data.error.to_string())
    assert step_data(home) == []


def test_a_killed_runs_step_data_and_spill_are_removed_by_the_next_run(tmp_path: Path, home: Path) -> None:
    news = NewsSettings(raw_dir=str(copy_raw(tmp_path / "raw", [A_FILE])), warehouse_dir=str(tmp_path / "wh"))
    step_root = home / "storage" / "step_outputs"
    with instance_at(home) as instance:
        # A run the instance still shows as started, whose process died (kill -9) before its teardown,
        # and a folder of a run since deleted from the instance.
        killed = instance.add_run(dg.DagsterRun(job_name="news_etl", run_id=str(uuid.uuid4()), status=dg.DagsterRunStatus.STARTED))
    spool: Spool[str] = Spool(tmp_path / "elsewhere", "raw-records")
    spool.extend(["record"])
    for run_id, owner in ((killed.run_id, "999999999"), (str(uuid.uuid4()), None)):
        (step_root / run_id).mkdir(parents=True)
        (step_root / run_id / "raw_records").write_bytes(pickle.dumps(IngestResult(records=spool.seal())))
        if owner:
            (step_root / run_id / ".owner-pid").write_text(owner)
    assert run_job(news, home).success
    assert step_data(home) == []
    assert not spool.path.exists()  # the killed run's spill went with its step data


def test_a_failing_nlp_stage_leaves_no_spill_and_the_old_warehouse_whole(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = copy_raw(tmp_path / "raw", [A_FILE])
    wh = tmp_path / "wh"
    monkeypatch.setenv("NEWS_RAW_DIR", str(raw))
    monkeypatch.setenv("NEWS_WAREHOUSE_DIR", str(wh))
    monkeypatch.setenv("NEWS_NLP_PROCESSES", "1")
    assert run_job(NewsSettings.from_env(), home).success
    store = WarehouseStore(wh)
    before = (store.generation(), source_paths(NewsSettings.from_env()))
    shutil.copy(RAW / B_FILE, raw)
    shutil.copytree(RAW / "samples" / "json", raw / "json")  # a few more records spooled by ingest and clean
    monkeypatch.setenv("NEWS_SPACY_MODEL", "no_such_spacy_model")  # annotate fails after ingest and clean spooled

    result = run_job(NewsSettings.from_env(), home)
    assert not result.success
    failed = [e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failed == ["annotated_articles"]
    assert leftovers(wh) == []
    assert step_data(home) == []
    assert (store.generation(), source_paths(NewsSettings.from_env())) == before

    with pytest.raises(OSError, match="no_such_spacy_model"):  # the same failure without Dagster
        run_pipeline(NewsSettings.from_env().settings())
    assert leftovers(wh) == []
    assert (store.generation(), source_paths(NewsSettings.from_env())) == before
