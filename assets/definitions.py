"""The Dagster code location: assets, checks, job, sensor, schedule and resources."""

import dagster as dg

from assets import stages
from assets.checks import all_checks
from assets.io_manager import RunScopedIOManager
from assets.jobs import news_etl_job
from assets.resources import NewsSettings
from assets.schedules import daily_refresh
from assets.sensors import raw_folder_sensor


def build_definitions(settings: NewsSettings | None = None) -> dg.Definitions:
    """Definitions with the given settings (default: from environment variables)."""
    return dg.Definitions(
        assets=[
            stages.raw_inventory,
            stages.raw_records,
            stages.clean_articles,
            stages.annotated_articles,
            stages.warehouse_tables,
        ],
        asset_checks=all_checks(),
        jobs=[news_etl_job],
        sensors=[raw_folder_sensor],
        schedules=[daily_refresh],
        # Step outputs are kept per run, so runs sharing a Dagster home never read each other's.
        resources={"news": settings or NewsSettings.from_env(), "io_manager": RunScopedIOManager()},
        # One process: the spaCy model loads once per run and nlp.pipe handles the parallelism.
        # The IO manager relies on it too: its teardown (removing the run's step data) is the run's end.
        executor=dg.in_process_executor,
    )
