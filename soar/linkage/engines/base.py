"""What a linkage engine must do; the steps talk to nothing else."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

#: The dialect the steps write their SQL in; an engine for another dialect transpiles it.
SOURCE_DIALECT = "duckdb"


class Engine(Protocol):
    """Runs SQL written in `SOURCE_DIALECT`, holds named tables, reads and writes files."""

    dialect: str

    def execute(self, sql: str) -> None:
        """Run a statement that returns nothing (CREATE, INSERT, COPY)."""

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        """Run a query and return all its rows."""

    def fetch_arrow(self, sql: str) -> pa.Table:
        """Run a query and return its result as an Arrow table."""

    def register(self, name: str, table: pa.Table) -> None:
        """Make an Arrow table queryable as `name` (materialised, owned by the engine)."""

    def map_values(
        self, name: str, sql: str, make: Callable[[list[Any]], pa.Table], schema: pa.Schema
    ) -> None:
        """Make table `name` (`schema`) from `make(values)`, `values` being the first column
        of query `sql`: Python work per distinct value, run where the engine keeps its data.
        """

    def write(self, sql: str, path: str) -> int:
        """Write a query's rows to a .csv or .parquet path; return how many were written."""

    def read_sql(self, path: Path | str) -> str:
        """A FROM-clause expression reading a CSV or Parquet file as all-text columns."""

    def close(self) -> None:
        """Release the engine's resources."""


def execute_all(engine: Engine, statements: Sequence[str]) -> None:
    """Run statements that do not depend on one another, side by side where the engine can.

    DuckDB gives a table scan one thread per 122,880-row group, so the two sides of a link
    (each often below that) are built one thread each unless built at once. An engine
    without `execute_concurrently` (Spark parallelises each statement itself) runs them in
    order.
    """
    concurrent = getattr(engine, "execute_concurrently", None)
    if concurrent is None or len(statements) < 2:
        for statement in statements:
            engine.execute(statement)
    else:
        concurrent(list(statements))


def fetch_all(engine: Engine, queries: Sequence[str]) -> list[list[tuple[Any, ...]]]:
    """Rows of each of several independent queries, side by side where the engine can."""
    concurrent = getattr(engine, "fetch_concurrently", None)
    if concurrent is None or len(queries) < 2:
        return [engine.fetch(query) for query in queries]
    rows: list[list[tuple[Any, ...]]] = concurrent(list(queries))
    return rows
