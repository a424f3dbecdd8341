"""Dagster code location for news-etl (thin: every stage calls into `pipeline`)."""

from assets.definitions import build_definitions

defs = build_definitions()

__all__ = ["build_definitions", "defs"]
