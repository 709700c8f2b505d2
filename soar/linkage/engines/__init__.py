"""Engines run the steps' SQL: DuckDB in-process (default) or Spark, same steps."""

from soar.linkage.engines.base import Engine
from soar.linkage.engines.duckdb import DuckDBEngine

#: Engine names the command line accepts.
ENGINES = ("duckdb", "spark")


def make_engine(
    name: str, *, spark_master: str = "local[*]", spark_config: dict[str, str] | None = None
) -> Engine:
    """The engine called `name`; Spark needs the `spark` extra (PySpark) and Java 17."""
    if name == "duckdb":
        return DuckDBEngine()
    if name == "spark":
        from soar.linkage.engines.spark import SparkEngine

        return SparkEngine(master=spark_master, config=spark_config)
    raise ValueError(f"unknown engine '{name}'; choose one of: {', '.join(ENGINES)}")


__all__ = ["ENGINES", "DuckDBEngine", "Engine", "make_engine"]
