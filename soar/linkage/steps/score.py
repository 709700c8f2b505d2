"""Step 5 — score: match weight (log2 Bayes factor plus prior) and match probability.

Exact agreement on a whole name is adjusted by how common the name is among the inputs:
`JOSE GARCIA` agreeing says less than `ISIDRO ZAMBRANO` agreeing (DESIGN.md). The value's
chance of turning up in a different person's record is its share of all input records,
leaving out two occurrences (the record itself and its match); where that exceeds the
level's u, the level's weight drops to log2(m / share). A rare name keeps the level's
weight: the level's u is already the average over all agreeing pairs, common names
included, so raising rare names above it would count the same evidence twice.
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
    """One SQL term per comparison (its level's weight) plus one per adjusted comparison."""
    terms = []
    for comparison in comparisons:
        weights = model.parameters(comparison.name).weights()
        cases = " ".join(f"WHEN {i} THEN {_number(w)}" for i, w in enumerate(weights))
        terms.append(f"CASE {table}.{comparison.gamma_column} {cases} ELSE 0.0 END")
        adjustment = tf_adjustment_sql(comparison, model, table)
        if adjustment is not None:
            terms.append(adjustment)
    return terms


def tf_adjustment_sql(comparison: Comparison, model: Model, table: str) -> str | None:
    """log2(u of the level / share of the value) where the share exceeds u; else 0.

    None when no level of the comparison is adjusted.
    """
    params = model.parameters(comparison.name)
    cases = []
    for index, level in enumerate(comparison.levels):
        column = level.term_frequency_column
        u_level = params.levels[index].u or 0.0
        if column is None or u_level <= 0:
            continue
        # The commoner of the two records' values sets the share: `JOSE ANGEL
        # FERNANDEZ-SANCHEZ` meeting `JOSE SANCHEZ` is as weak as `JOSE SANCHEZ` is common.
        cases.append(
            f"WHEN {index} THEN least(0.0, log2({_number(u_level)} / greatest("
            f"coalesce(tf_l.{column}, 0.0), coalesce(tf_r.{column}, 0.0), "
            f"{_number(u_level)})))"
        )
    if not cases:
        return None
    return f"CASE {table}.{comparison.gamma_column} {' '.join(cases)} ELSE 0.0 END"


def term_frequency_sql(column: str, dedupe: bool) -> str:
    """Share of all input records carrying each value of `column`, two occurrences left out."""
    source = (
        f"SELECT {column} AS value FROM std_l"
        if dedupe
        else f"SELECT {column} AS value FROM std_l UNION ALL SELECT {column} AS value FROM std_r"
    )
    return (
        f"CREATE OR REPLACE TABLE tf_{column} AS SELECT value, "
        f"greatest(count(*) - 2, 0) / (SELECT count(*) FROM ({source})) AS frequency "
        f"FROM ({source}) WHERE value IS NOT NULL GROUP BY value"
    )


def record_frequencies_sql(columns: list[str], side: str) -> str:
    """Create `frequencies_<side>`: each record's share for every adjusted column, by rid.

    Looked up once per record rather than once per pair: scoring then joins two tables on
    integer ids instead of one frequency table per column on text.
    """
    values = ", ".join(f"tf_{column}.frequency AS {column}" for column in columns)
    joins = "".join(
        f" LEFT JOIN tf_{column} ON tf_{column}.value = s.{column}" for column in columns
    )
    return (
        f"CREATE OR REPLACE TABLE frequencies_{side} AS SELECT s.rid, {values} "
        f"FROM std_{side} s{joins}"
    )


def tf_joins(comparisons: tuple[Comparison, ...], table: str) -> str:
    """LEFT JOINs of both records' frequencies onto the pairs."""
    if not tf_columns(comparisons):
        return ""
    return "".join(
        f" LEFT JOIN frequencies_{side} tf_{side} ON tf_{side}.rid = {table}.{side}_rid"
        for side in ("l", "r")
    )


def scores_sql(
    comparisons: tuple[Comparison, ...], model: Model, source: str, out: str, threshold: float
) -> str:
    """Create `out(l_rid, r_rid, match_weight, match_probability)` for pairs at or above
    `threshold`."""
    terms = " + ".join([_number(model.prior_weight), *weight_terms(comparisons, model, "g")])
    return (
        f"CREATE OR REPLACE TABLE {out} AS SELECT * FROM (SELECT l_rid, r_rid, match_weight, "
        f"1.0 / (1.0 + pow(2.0, -match_weight)) AS match_probability FROM ("
        f"SELECT g.l_rid, g.r_rid, {terms} AS match_weight FROM {source} g"
        f"{tf_joins(comparisons, 'g')})) "
        f"WHERE match_probability >= {_number(threshold)}"
    )


def prepare(job: LinkJob) -> None:
    """Term-frequency tables, one per adjusted column, and each record's frequencies."""
    columns = tf_columns(job.comparisons)
    if not columns:
        return
    for column in columns:
        job.engine.execute(term_frequency_sql(column, job.is_dedupe))
    for side in ("l", "r"):
        job.engine.execute(record_frequencies_sql(columns, side))


def run(job: LinkJob) -> None:
    """Make table `scores` of candidate pairs at or above the threshold."""
    assert job.model is not None, "the train step runs before scoring"
    job.report(0, 1, "scoring pairs")
    prepare(job)
    job.engine.execute(scores_sql(job.comparisons, job.model, "gammas", "scores", job.threshold))
    job.report(1, 1, "scored")
