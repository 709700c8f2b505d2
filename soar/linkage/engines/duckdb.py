"""The DuckDB engine: in-process, the default for everything up to national scale."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import sqlglot

from soar.errors import InputError
from soar.linkage.engines.base import SOURCE_DIALECT
from soar.linkage.tables import write_table


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class DuckDBEngine:
    """Runs the steps' SQL on an in-memory DuckDB connection."""

    dialect = "duckdb"

    def __init__(self, *, threads: int | None = None, memory_limit: str | None = None) -> None:
        config: dict[str, Any] = {}
        if threads is not None:
            config["threads"] = threads
        if memory_limit is not None:
            config["memory_limit"] = memory_limit
        self._con = duckdb.connect(":memory:", config=config)

    def _sql(self, sql: str) -> str:
        # The steps write DuckDB SQL; transpiling is for engines of other dialects only.
        if self.dialect == SOURCE_DIALECT:
            return sql
        return ";\n".join(sqlglot.transpile(sql, read=SOURCE_DIALECT, write=self.dialect))

    def execute(self, sql: str) -> None:
        self._con.execute(self._sql(sql))

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._con.execute(self._sql(sql)).fetchall()
        return rows

    def fetch_arrow(self, sql: str) -> pa.Table:
        table: pa.Table = self._con.sql(self._sql(sql)).to_arrow_table()
        return table

    def register(self, name: str, table: pa.Table) -> None:
        view = f"__arrow_{name}"
        self._con.register(view, table)
        try:
            self._con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {view}")
        finally:
            self._con.unregister(view)

    def map_values(
        self, name: str, sql: str, make: Callable[[list[Any]], pa.Table], schema: pa.Schema
    ) -> None:
        values = [row[0] for row in self.fetch(sql)]
        self.register(name, make(values))

    def write(self, sql: str, path: str) -> int:
        table = self.fetch_arrow(sql)
        write_table(table, Path(path))
        return table.num_rows

    def read_sql(self, path: Path) -> str:
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            return f"read_parquet({_quote(str(path))})"
        if suffix in {".csv", ".txt", ".tsv"}:
            return (
                f"read_csv({_quote(str(path))}, header = true, all_varchar = true, "
                "auto_detect = true)"
            )
        raise InputError(
            f"{path}: unknown file type '{suffix}'; give a .csv or .parquet file of records"
        )

    def close(self) -> None:
        self._con.close()
