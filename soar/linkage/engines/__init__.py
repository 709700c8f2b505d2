"""Engines run the steps' SQL: DuckDB in-process today, Spark later, same steps."""

from soar.linkage.engines.base import Engine
from soar.linkage.engines.duckdb import DuckDBEngine

__all__ = ["DuckDBEngine", "Engine"]
