"""Dagster code location for news-etl (thin: every stage calls into `pipeline`).

`assets.definitions` is the entry point Dagster tools load (`dg dev`, `dg check defs`); it
finds everything under `assets/defs/`. `assets.cli` is the `news-etl` command.
"""
