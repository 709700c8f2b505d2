"""Synthetic hard-name benchmark: registry vs immigration, SOAR vs Splink 5 in one process.

    python -m bench.synth [--persons 20000] [--seed 1] [--repeat 1]

Generates (once) a `soar generate` population, then links `canonical/registry.csv` to
`canonical/immigration.csv` with both tools from the same files and scores the pairs
against `truth.csv`, counting only registry-immigration pairs as true pairs.

Splink is configured as its documentation's person-data example does
(docs/demos/examples/duckdb/deduplicate_50k_synthetic): ForenameSurnameComparison with a
concatenated name column, DateOfBirthComparison, PostcodeComparison, exact matches with
term frequencies for categorical fields; the same blocking-rule families, a prior from
deterministic rules (recall 0.6), u from 1e7 random pairs and EM passes blocked on the
names and on the date of birth. As a competent user would, the two surname columns are
joined into one `surname`, and shared identifiers get exact-match comparisons and
blocking rules of their own.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv

from bench.febrl import _repeat, report
from soar.linkage import match
from soar.linkage.evaluate import evaluate

DATA = Path(__file__).parent / "data"


def generate(persons: int, seed: int) -> Path:
    """The population folder, made with `soar generate` unless it exists already."""
    folder = DATA / f"synth{persons}_seed{seed}"
    if not (folder / "truth.csv").exists():
        DATA.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from soar.cli import main; main()",
                "generate",
                "--persons",
                str(persons),
                "--seed",
                str(seed),
                "--out",
                str(folder),
                "--force",
            ],
            check=True,
        )
    return folder


def _ids(path: Path) -> set[str]:
    options = pa_csv.ConvertOptions(
        column_types={"record_id": pa.string()}, include_columns=["record_id"]
    )
    return set(pa_csv.read_csv(path, convert_options=options).column("record_id").to_pylist())


def splink_link(left: Path, right: Path, threshold: float) -> pa.Table:
    """Splink 5 on DuckDB, set up as its person-data example recommends (module docstring)."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)

    def prepared(path: Path) -> Any:
        return con.sql(
            "SELECT record_id, first_name, "
            "trim(concat_ws(' ', last_name, second_last_name)) AS surname, "
            "first_name || ' ' || trim(concat_ws(' ', last_name, second_last_name)) "
            "AS first_name_surname_concat, dob, sex, birth_country, a_number, fbi_number, "
            "postcode FROM read_csv(?, all_varchar = true, header = true)",
            params=[str(path)],
        )

    frames = [db_api.register(prepared(left)), db_api.register(prepared(right))]
    settings = SettingsCreator(
        unique_id_column_name="record_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("dob", "birth_country"),
            block_on("substr(first_name,1,2)", "substr(surname,1,2)", "substr(dob,1,4)"),
            block_on("a_number"),
            block_on("fbi_number"),
        ],
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name",
                "surname",
                forename_surname_concat_col_name="first_name_surname_concat",
            ),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("birth_country").configure(term_frequency_adjustments=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("a_number"),
            cl.ExactMatch("fbi_number"),
        ],
    )
    linker = Linker(frames, settings)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name", "surname", "dob"),
            block_on("substr(first_name,1,2)", "surname", "substr(postcode,1,2)"),
            block_on("dob", "postcode"),
        ],
        recall=0.6,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), estimate_without_term_frequencies=True
    )
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    frame = predictions.as_pandas_dataframe()
    return pa.table(
        {
            "left_id": frame["record_id_l"].astype(str).tolist(),
            "right_id": frame["record_id_r"].astype(str).tolist(),
            "match_probability": frame["match_probability"].astype(float).tolist(),
        }
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20_000, help="population size")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool; median time")
    parser.add_argument("--skip-splink", action="store_true", help="run SOAR only")
    args = parser.parse_args(argv)
    logging.getLogger("splink").setLevel(logging.WARNING)
    folder = generate(args.persons, args.seed)
    left = folder / "canonical" / "registry.csv"
    right = folder / "canonical" / "immigration.csv"
    truth = folder / "truth.csv"
    left_ids, right_ids = _ids(left), _ids(right)
    low = 0.01
    soar_pairs, soar_measured = _repeat(
        lambda: match(left, right, threshold=low).pairs, args.repeat
    )
    results = {
        "SOAR": (
            evaluate(soar_pairs, truth, left_ids=left_ids, right_ids=right_ids),
            soar_measured,
        ),
    }
    if not args.skip_splink:
        splink_pairs, splink_measured = _repeat(lambda: splink_link(left, right, low), args.repeat)
        results["Splink"] = (
            evaluate(splink_pairs, truth, left_ids=left_ids, right_ids=right_ids),
            splink_measured,
        )
    title = (
        f"Synthetic registry ({len(left_ids):,}) vs immigration ({len(right_ids):,}), "
        f"{args.persons:,} persons, seed {args.seed}, whole run"
    )
    if args.skip_splink:
        evaluation, measured = results["SOAR"]
        half = evaluation.at(0.5)
        print(
            f"\n{title}\nSOAR F1@0.5 {half.f1:.4f} precision {half.precision:.4f} "
            f"recall {half.recall:.4f}; best F1 {evaluation.best.f1:.4f}; "
            f"{measured.seconds:.2f} s; peak {measured.peak_extra_mib:.0f} MiB"
        )
        return
    print(report(title, results))
    soar_error = 1 - results["SOAR"][0].at(0.5).f1
    splink_error = 1 - results["Splink"][0].at(0.5).f1
    print(
        f"1 - F1 at 0.5: SOAR {soar_error:.4f}, Splink {splink_error:.4f} "
        f"(ratio {soar_error / splink_error:.3f})"
    )


if __name__ == "__main__":
    main()
