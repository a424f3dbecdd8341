"""The code location's entry point: every definition under `assets/defs/`, loaded when asked for."""

from pathlib import Path

import dagster as dg

from assets.defs.resources import NewsSettings


@dg.definitions
def defs() -> dg.Definitions:
    """What `dg dev` and `dg check defs` load (code location `news_etl`, see `[tool.dg]`)."""
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)


def build_definitions(settings: NewsSettings | None = None) -> dg.Definitions:
    """The code location with the given settings in place of the environment's (the CLI, tests)."""
    loaded = defs()
    if settings is None:
        return loaded
    return dg.Definitions(
        assets=loaded.assets,
        asset_checks=loaded.asset_checks,
        jobs=loaded.jobs,
        sensors=loaded.sensors,
        schedules=loaded.schedules,
        resources={**(loaded.resources or {}), "news": settings},
        executor=loaded.executor,
        loggers=loaded.loggers,
        metadata=loaded.metadata,
        component_tree=loaded.component_tree,
    )
