"""Golden files for the SQL each step generates, as sqlglot keeps its fixtures.

A change to a step's SQL shows up here as a diff to review; rewrite the golden files with
`SOAR_UPDATE_GOLDEN=1 pytest tests/linkage/test_sql_golden.py` when the change is meant.
Every statement must also parse as DuckDB SQL and transpile to Spark SQL, the promise that
lets a Spark engine run the same steps.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlglot

from soar.linkage.blocking_rules import prediction_rules, training_rules
from soar.linkage.comparisons import comparisons_for
from soar.linkage.engines.duckdb import DuckDBEngine
from soar.linkage.job import LinkJob, Settings
from soar.linkage.model import ComparisonParameters, LevelParameters, Model
from soar.linkage.steps import blocking, cluster, compare, score, standardise, train

GOLDEN = Path(__file__).parent / "golden"
FIELDS = frozenset(standardise.COMPARABLE)
COMPARISONS = comparisons_for(FIELDS)


def _model() -> Model:
    """A fixed model: every level gets m and u from its position, so the SQL is stable."""
    params = []
    for comparison in COMPARISONS:
        levels = []
        count = len(comparison.levels)
        for index, level in enumerate(comparison.levels):
            if index == 0:
                levels.append(LevelParameters(level.label, level.kind.value, None, None))
            else:
                levels.append(
                    LevelParameters(
                        level.label, level.kind.value, 1.0 / (index + 1), 1.0 / 2 ** (count - index)
                    )
                )
        params.append(ComparisonParameters(comparison.name, comparison.description, levels))
    return Model(link_type="link", prior=0.001, comparisons=params)


def _job(dedupe: bool) -> LinkJob:
    job = LinkJob(
        engine=DuckDBEngine(),
        left=Path("left.csv"),
        right=None if dedupe else Path("right.csv"),
        settings=Settings(u_random_pairs=1000, seed=7),
    )
    job.left_count, job.right_count = 5000, 4000
    return job


def _statements() -> dict[str, str]:
    rules = prediction_rules(FIELDS)
    link, dedupe = _job(False), _job(True)
    return {
        "standardise_load": standardise.load_sql(
            "read_csv('left.csv')", "raw_l", frozenset({"first_name", "dob", "ssn"})
        ),
        "standardise_check": standardise.check_sql("raw_l"),
        "standardise_join": standardise.standard_sql("r", 5000),
        "standardise_folded_names": standardise.folded_names_sql("r"),
        "standardise_names": standardise.names_sql("r"),
        "blocking_keys": blocking.keys_sql(rules, "l"),
        "blocking_sizes_link": blocking.block_sizes_sql(rules, dedupe=False),
        "blocking_sizes_dedupe": blocking.block_sizes_sql(rules, dedupe=True),
        "blocking_pairs": blocking.pairs_sql(rules, False, skipped="block_sizes"),
        "blocking_training_sample": blocking.pairs_sql(
            training_rules(FIELDS)[:1], True, prefix="train_", keep_fraction=0.25
        ),
        "blocking_candidates": blocking.candidates_sql(),
        "compare_gammas": compare.gammas_sql(COMPARISONS, "candidates", "gammas"),
        "compare_patterns": compare.patterns_sql(COMPARISONS, "gammas"),
        "train_random_pairs_link": train.random_pairs_sql(link),
        "train_random_pairs_dedupe": train.random_pairs_sql(dedupe),
        "train_patterns": compare.pair_patterns_sql(COMPARISONS, "u_pairs"),
        "score_frequencies": score.term_frequency_sql("name_full", dedupe=False),
        "score_record_frequencies": score.record_frequencies_sql(
            compare.tf_columns(COMPARISONS), "l"
        ),
        "score_pairs": score.scores_sql(COMPARISONS, _model(), "gammas", "scores", 0.5),
        "cluster_one_to_one": cluster.one_to_one_round_sql(),
        "cluster_components": cluster.propagate_sql(),
        "cluster_conflicts": cluster.conflicts_sql("id_fbi_number"),
    }


STATEMENTS = _statements()


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_step_sql_matches_its_golden_file(name: str) -> None:
    golden = GOLDEN / f"{name}.sql"
    sql = STATEMENTS[name].strip() + "\n"
    if os.environ.get("SOAR_UPDATE_GOLDEN"):
        golden.write_text(sql, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}; run with SOAR_UPDATE_GOLDEN=1"
    assert sql == golden.read_text(encoding="utf-8"), f"SQL of {name} changed"


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_step_sql_transpiles_to_spark(name: str) -> None:
    for statement in STATEMENTS[name].split(";"):
        spark = sqlglot.transpile(statement, read="duckdb", write="spark")
        assert spark and spark[0].strip(), f"{name} did not transpile"


def test_every_golden_file_belongs_to_a_statement() -> None:
    stale = {p.stem for p in GOLDEN.glob("*.sql")} - set(STATEMENTS)
    assert not stale, f"golden files without a statement: {sorted(stale)}"
