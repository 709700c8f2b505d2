"""Spark beside DuckDB: the same link, step by step, on generated registry and immigration data.

    python -m bench.spark [--persons 2000] [--master local[2]] [--seed 7]

Prints each step's seconds on both engines, the ratio, and whether the two engines found
the same pairs with the same probabilities. Spark's cost here is mostly fixed per
statement; run two sizes to see the part that grows with the data.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from bench.harness import table
from soar.linkage.engines.base import Engine
from soar.linkage.engines.duckdb import DuckDBEngine
from soar.linkage.job import LinkJob
from soar.linkage.pipeline import run_steps
from soar.synth.generate import generate


def _parquet(csv: Path, out: Path) -> Path:
    names = pa_csv.read_csv(csv).column_names
    options = pa_csv.ConvertOptions(column_types={name: pa.string() for name in names})
    pq.write_table(pa_csv.read_csv(csv, convert_options=options), out)
    return out


def _run(engine: Engine, left: Path, right: Path) -> tuple[LinkJob, float]:
    job = LinkJob(engine=engine, left=left, right=right, threshold=0.5)
    started = time.perf_counter()
    run_steps(job)
    return job, time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=2_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    from soar.linkage.engines.spark import SparkEngine

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        generate(args.persons, args.seed, folder / "synth")
        left = _parquet(folder / "synth/canonical/registry.csv", folder / "registry.parquet")
        right = _parquet(folder / "synth/canonical/immigration.csv", folder / "immigration.parquet")
        duck, duck_seconds = _run(DuckDBEngine(), left, right)
        started = time.perf_counter()
        session = (
            SparkSession.builder.master(args.master)
            .appName("soar-bench")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        startup = time.perf_counter() - started
        spark, spark_seconds = _run(SparkEngine(session=session), left, right)
        query = "SELECT l_rid, r_rid, match_probability FROM scores"
        on_duck = {(r[0], r[1]): r[2] for r in duck.engine.fetch(query)}
        on_spark = {(r[0], r[1]): r[2] for r in spark.engine.fetch(query)}
        rows = [
            [
                step,
                f"{duck.timings[step]:.2f}",
                f"{spark.timings[step]:.2f}",
                f"{spark.timings[step] / max(duck.timings[step], 1e-3):.0f}x",
            ]
            for step in duck.timings
        ]
        rows.append(
            [
                "total",
                f"{duck_seconds:.2f}",
                f"{spark_seconds:.2f}",
                f"{spark_seconds / duck_seconds:.0f}x",
            ]
        )
        print(
            f"{args.persons:,} persons: {duck.left_count:,} x {duck.right_count:,} records, "
            f"{duck.candidate_pairs:,} candidate pairs; Spark {args.master}, session start "
            f"{startup:.1f} s (not in the table)"
        )
        print(table([["step", "duckdb s", "spark s", "spark/duckdb"], *rows]))
        same = on_duck.keys() == on_spark.keys()
        worst = max(
            (abs(on_duck[k] - on_spark[k]) for k in on_duck.keys() & on_spark.keys()), default=0.0
        )
        print(f"same pairs: {same}; largest probability difference: {worst:.3g}")
        session.stop()


if __name__ == "__main__":
    main()
