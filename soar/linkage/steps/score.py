"""Step 5 — score: match weight (log2 Bayes factor plus prior) and match probability.

Exact agreement on a whole name is adjusted by how common the name is among the inputs:
`JOSE GARCIA` agreeing says less than `ISIDRO ZAMBRANO` agreeing (DESIGN.md).
"""

from __future__ import annotations

from soar.linkage.comparisons import Comparison
from soar.linkage.job import LinkJob
from soar.linkage.model import Model
from soar.linkage.steps.compare import tf_columns

NAME = "score"


def _number(value: float) -> str:
    return repr(round(value, 10))


def weight_terms(comparisons: tuple[Comparison, ...], model: Model, table: str) -> list[str]:
    """One SQL term per comparison (its level's weight) plus one per TF adjustment."""
    terms = []
    for comparison in comparisons:
        weights = model.parameters(comparison.name).weights()
        cases = " ".join(f"WHEN {i} THEN {_number(w)}" for i, w in enumerate(weights))
        terms.append(f"CASE {table}.{comparison.gamma_column} {cases} ELSE 0.0 END")
    for comparison, _ in tf_columns(comparisons):
        terms.append(tf_adjustment_sql(comparison, model, table))
    return terms


def tf_adjustment_sql(comparison: Comparison, model: Model, table: str) -> str:
    """log2(u of the level / frequency of this value), only where the level is exact."""
    params = model.parameters(comparison.name)
    index = next(
        i for i, level in enumerate(comparison.levels) if level.term_frequency_column is not None
    )
    u_level = params.levels[index].u or 0.0
    if u_level <= 0:
        return "0.0"
    return (
        f"CASE WHEN {table}.{comparison.gamma_column} = {index} THEN "
        f"log2({_number(u_level)} / greatest(coalesce(tf_{comparison.name}.frequency, 0.0), "
        f"tf_floor.value)) ELSE 0.0 END"
    )


def term_frequency_sql(comparison: Comparison, column: str, dedupe: bool) -> str:
    """Share of all input records carrying each value of `column`."""
    source = (
        f"SELECT {column} AS value FROM std_l"
        if dedupe
        else f"SELECT {column} AS value FROM std_l UNION ALL SELECT {column} AS value FROM std_r"
    )
    return (
        f"CREATE OR REPLACE TABLE tf_{comparison.name} AS SELECT value, "
        f"count(*) / (SELECT count(*) FROM ({source})) AS frequency "
        f"FROM ({source}) WHERE value IS NOT NULL GROUP BY value"
    )


def scores_sql(
    comparisons: tuple[Comparison, ...], model: Model, source: str, out: str, threshold: float
) -> str:
    """Create `out(l_rid, r_rid, match_weight, match_probability)` for pairs at or above
    `threshold`."""
    terms = " + ".join([_number(model.prior_weight), *weight_terms(comparisons, model, "g")])
    joins = "".join(
        f" LEFT JOIN tf_{c.name} ON tf_{c.name}.value = g.tf_{c.name}"
        for c, _ in tf_columns(comparisons)
    )
    return (
        f"CREATE OR REPLACE TABLE {out} AS SELECT * FROM (SELECT l_rid, r_rid, match_weight, "
        f"1.0 / (1.0 + pow(2.0, -match_weight)) AS match_probability FROM ("
        f"SELECT g.l_rid, g.r_rid, {terms} AS match_weight FROM {source} g{joins}, tf_floor)) "
        f"WHERE match_probability >= {_number(threshold)}"
    )


def prepare(job: LinkJob) -> None:
    """Term-frequency tables and the frequency floor (one record among all inputs)."""
    records = job.left_count if job.is_dedupe else job.left_count + job.right_count
    job.engine.execute(
        f"CREATE OR REPLACE TABLE tf_floor AS SELECT {_number(1.0 / max(records, 1))} AS value"
    )
    for comparison, column in tf_columns(job.comparisons):
        job.engine.execute(term_frequency_sql(comparison, column, job.is_dedupe))


def run(job: LinkJob) -> None:
    """Make table `scores` of candidate pairs at or above the threshold."""
    assert job.model is not None, "the train step runs before scoring"
    job.report(0, 1, "scoring pairs")
    prepare(job)
    job.engine.execute(scores_sql(job.comparisons, job.model, "gammas", "scores", job.threshold))
    job.report(1, 1, "scored")
