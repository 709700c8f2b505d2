"""Spark beside DuckDB: the same link, step by step, on generated registry and immigration data.

    python -m bench.spark [--persons 2000 200000] [--master local[2]] [--seed 1]

For each population size (made once with `soar generate`, cached under bench/data), links
`canonical/registry` to `canonical/immigration` on DuckDB and on Spark in the same process,
each engine writing its pairs at 0.5 to Parquet itself (Spark: from the executors). Prints
each step's seconds on both engines, Spark's cost per record and per pair, the blocking
rules' pairs, whether the written pairs agree, and the machine's load (`uptime`), which
matters on a shared machine. The smallest size is nearly all fixed cost per statement;
the difference between two sizes is the part that grows with the data.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from bench.harness import table
from bench.synth import generate
from soar.linkage import MatchResult, match
from soar.linkage.engines.base import Engine
from soar.linkage.engines.duckdb import DuckDBEngine

#: Steps as the table names them; "write" is the pairs written to the output path.
STEPS = ("standardise", "blocking", "compare", "train", "score", "cluster", "write")


def _parquet(csv: Path, out: Path) -> Path:
    if not out.exists():
        names = pa_csv.read_csv(csv).column_names
        options = pa_csv.ConvertOptions(column_types={name: pa.string() for name in names})
        pq.write_table(pa_csv.read_csv(csv, convert_options=options), out)
    return out


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def _pairs(path: Path) -> dict[tuple[str, str], float]:
    """The written pairs (a file, or Spark's folder of parts) by (left_id, right_id)."""
    found = pq.read_table(path, columns=["left_id", "right_id", "match_probability"])
    return {
        (row["left_id"], row["right_id"]): row["match_probability"] for row in found.to_pylist()
    }


def _run(engine: Engine, left: Path, right: Path, out: Path) -> MatchResult:
    return match(left, right, threshold=0.5, engine=engine, out=out)


def _size(persons: int, seed: int, session: object, folder: Path) -> None:
    from soar.linkage.engines.spark import SparkEngine

    data = generate(persons, seed)
    left = _parquet(data / "canonical/registry.csv", data / "registry.parquet")
    right = _parquet(data / "canonical/immigration.csv", data / "immigration.parquet")
    print(f"\n{persons:,} persons; before DuckDB: {_load()}")
    duck = _run(DuckDBEngine(), left, right, folder / f"duckdb_{persons}.parquet")
    print(f"before Spark: {_load()}")
    spark = _run(SparkEngine(session=session), left, right, folder / f"spark_{persons}.parquet")
    print(f"after Spark: {_load()}")

    records = pq.read_metadata(left).num_rows + pq.read_metadata(right).num_rows
    pairs = duck.candidate_pairs
    rows = []
    for step in STEPS:
        d, s = duck.timings.get(step, 0.0), spark.timings.get(step, 0.0)
        rows.append([step, f"{d:.2f}", f"{s:.2f}", f"{s / max(d, 1e-3):.0f}x"])
    rows.append(
        [
            "total",
            f"{duck.seconds:.2f}",
            f"{spark.seconds:.2f}",
            f"{spark.seconds / duck.seconds:.0f}x",
        ]
    )
    print(
        f"{records:,} records ({pq.read_metadata(left).num_rows:,} x "
        f"{pq.read_metadata(right).num_rows:,}), {pairs:,} candidate pairs "
        f"({pairs / records:.3f} per record), {duck.pair_count:,} pairs at 0.5"
    )
    print(table([["step", "duckdb s", "spark s", "spark/duckdb"], *rows]))
    per_record = spark.timings["standardise"] / records * 1e6
    per_pair = (spark.timings["compare"] + spark.timings["score"]) / max(pairs, 1) * 1e6
    print(
        f"Spark per unit (fixed costs included): standardise {per_record:.0f} us/record, "
        f"compare + score {per_pair:.0f} us/candidate pair, "
        f"train {spark.timings['train']:.1f} s (u: {spark.model.u_random_pairs:,} random pairs)"
    )
    print(
        table(
            [["blocking rule", "pairs", "new pairs"]]
            + [[r.rule, f"{r.pairs:,}", f"{r.new_pairs:,}"] for r in duck.blocking]
        )
    )
    on_duck = _pairs(folder / f"duckdb_{persons}.parquet")
    on_spark = _pairs(folder / f"spark_{persons}.parquet")
    worst = max(
        (abs(on_duck[k] - on_spark[k]) for k in on_duck.keys() & on_spark.keys()), default=0.0
    )
    print(
        f"written pairs: same set {on_duck.keys() == on_spark.keys()}, largest difference in "
        f"the written (6-digit) probability {worst:.3g}; same model: "
        f"{duck.model.to_json() == spark.model.to_json()}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, nargs="+", default=[2_000, 200_000])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--partitions", type=int, default=8, help="spark.sql.shuffle.partitions (4 x cores)"
    )
    parser.add_argument("--driver-memory", default="6g")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    started = time.perf_counter()
    session = (
        SparkSession.builder.master(args.master)
        .appName("soar-bench")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", args.driver_memory)
        .config("spark.sql.shuffle.partitions", str(args.partitions))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    print(
        f"Spark {session.version} {args.master}, {args.partitions} shuffle partitions, "
        f"session start {time.perf_counter() - started:.1f} s (not in the tables)"
    )
    with tempfile.TemporaryDirectory() as scratch:
        for persons in args.persons:
            _size(persons, args.seed, session, Path(scratch))
    session.stop()


if __name__ == "__main__":
    main()
