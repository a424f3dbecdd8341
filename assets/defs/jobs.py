"""The one job: materialize every asset of the code location (and run its checks)."""

import dagster as dg

news_etl_job = dg.define_asset_job(
    "news_etl", selection=dg.AssetSelection.all(), description="The whole pipeline: raw folder to warehouse."
)
