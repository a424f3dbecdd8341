"""Daily schedule: re-ingest whatever is new in the raw folder (a no-op run costs seconds)."""

import dagster as dg

from assets.jobs import news_etl_job

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=news_etl_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Every day at 06:00 UTC; turn it on in the UI (Automation) to use it.",
)
