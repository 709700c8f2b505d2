"""Ingest throughput: a 1,000,000-row registry CSV in the Texas layout, with its mapping.

    python -m bench.ingest [--rows 1000000]

Rows come from `soar generate` (200,000 persons), repeated with fresh record ids until the
file has --rows rows, so names, dates, codes and sentinels are those of a real layout.
Prints rows per second and peak memory (resident, sampled) of the whole `soar ingest` call.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import duckdb

from bench.harness import measure, table
from soar.ingest.run import ingest
from soar.synth.generate import generate
from soar.workspace import init


def build_csv(folder: Path, rows: int) -> tuple[Path, Path]:
    source = folder / "source"
    generate(200_000, 11, source)
    layout = source / "registry" / "tx_registry.csv"
    target = folder / "tx_registry_big.csv"
    have = duckdb.sql(f"SELECT count(*) FROM read_csv('{layout}', all_varchar = true)").fetchall()
    copies = -(-rows // int(have[0][0]))
    duckdb.sql(
        f"COPY (SELECT * REPLACE (SID || '-' || copy AS SID) FROM read_csv('{layout}', "
        f"all_varchar = true) CROSS JOIN range({copies}) r(copy) LIMIT {rows}) "
        f"TO '{target}' (HEADER)"
    )
    return target, source / "registry" / "tx.mapping.toml"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        csv_path, mapping = build_csv(folder, args.rows)
        size_mib = csv_path.stat().st_size / 2**20
        workspace = init(folder / "ws")
        report, measured = measure(
            lambda: ingest(csv_path, "registry", workspace=workspace, mapping_path=mapping)
        )
        assert report.rows_read == report.loaded + report.quarantined == args.rows
        print(f"Ingest of a {args.rows:,}-row Texas registry CSV ({size_mib:,.0f} MiB)")
        print(
            table(
                [
                    ["rows", "seconds", "rows/s", "peak MiB (process)", "peak MiB (added)"],
                    [
                        f"{args.rows:,}",
                        f"{measured.seconds:.1f}",
                        f"{args.rows / measured.seconds:,.0f}",
                        f"{measured.peak_total_mib:,.0f}",
                        f"{measured.peak_extra_mib:,.0f}",
                    ],
                ]
            )
        )
        print(
            f"loaded {report.loaded:,}, quarantined {report.quarantined:,}, "
            f"sentinels {sum(report.sentinels.values()):,}"
        )


if __name__ == "__main__":
    main()
