"""Sensor: request a run when files in the raw folder are new, changed or removed."""

import dagster as dg

from assets.defs import jobs  # the module, not the job: the defs loader collects the job from jobs.py only
from assets.defs.resources import NewsSettings
from pipeline.plan import plan_run


@dg.sensor(
    job=jobs.news_etl_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Compares the raw folder with the warehouse ledger; one run per distinct change set.",
)
def raw_folder_sensor(context: dg.SensorEvaluationContext, news: NewsSettings) -> dg.SensorResult | dg.SkipReason:
    plan = plan_run(news.settings())
    if plan.is_noop:
        return dg.SkipReason(f"raw folder unchanged ({len(plan.units)} inputs already in the warehouse)")
    if not plan.units and not plan.removed and plan.base_generation is None:
        return dg.SkipReason(f"raw folder {plan.raw_dir} is empty or missing")
    digest = plan.change_digest()
    # The run key de-duplicates: while a run for this change set is pending, no second run starts.
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=digest,
                tags={"news/new_or_changed": str(len(plan.to_process)), "news/removed": str(len(plan.removed))},
            )
        ],
        cursor=digest,
    )
