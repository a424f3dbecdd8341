"""Daily schedule: re-ingest whatever is new in the raw folder (a no-op run costs seconds)."""

import dagster as dg

from assets.defs import jobs  # the module, not the job: the defs loader collects the job from jobs.py only

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=jobs.news_etl_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Every day at 06:00 UTC; turn it on in the UI (Automation) to use it.",
)
