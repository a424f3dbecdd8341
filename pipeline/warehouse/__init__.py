"""Warehouse stage: one Arrow schema per table, atomic Parquet + DuckDB publishing, the ledger."""

from pipeline.warehouse.schema import CONTRACT_TABLES, SCHEMAS, duckdb_ddl

__all__ = ["CONTRACT_TABLES", "SCHEMAS", "duckdb_ddl"]
