"""Step 3 — compare: an agreement level per comparison for every candidate pair."""

from __future__ import annotations

from soar.linkage.comparisons import Comparison
from soar.linkage.job import LinkJob

NAME = "compare"


def tf_columns(comparisons: tuple[Comparison, ...]) -> list[str]:
    """Standardised columns whose value frequencies adjust some level, each once."""
    found: list[str] = []
    for comparison in comparisons:
        for level in comparison.levels:
            column = level.term_frequency_column
            if column is not None and column not in found:
                found.append(column)
    return found


def gammas_sql(comparisons: tuple[Comparison, ...], pairs: str, out: str) -> str:
    """Create table `out`: the pair's ids and one gamma column per comparison.

    The values that term frequencies adjust are not copied per pair: scoring looks up each
    record's frequencies by rid (`score.record_frequencies_sql`).
    """
    columns = ["p.l_rid", "p.r_rid"]
    columns += [f"{c.gamma_sql()} AS {c.gamma_column}" for c in comparisons]
    select = ",\n  ".join(columns)
    return (
        f"CREATE OR REPLACE TABLE {out} AS\nSELECT\n  {select}\nFROM {pairs} p\n"
        "JOIN std_l l ON l.rid = p.l_rid\nJOIN std_r r ON r.rid = p.r_rid"
    )


def patterns_sql(comparisons: tuple[Comparison, ...], table: str) -> str:
    """Distinct agreement patterns with their pair counts: EM's whole input."""
    gammas = ", ".join(c.gamma_column for c in comparisons)
    # Ordered so that EM sums in the same order on every run: the model is reproducible
    # to the last digit, not just to rounding.
    return f"SELECT {gammas}, count(*) AS pairs FROM {table} GROUP BY {gammas} ORDER BY {gammas}"


def pair_patterns_sql(comparisons: tuple[Comparison, ...], pairs: str) -> str:
    """Agreement patterns of a pair table counted straight away, nothing stored per pair.

    Training needs only the counts of the random and blocked pairs' patterns.
    """
    gammas = ",\n  ".join(f"{c.gamma_sql()} AS {c.gamma_column}" for c in comparisons)
    return (
        f"SELECT\n  {gammas}\nFROM {pairs} p\nJOIN std_l l ON l.rid = p.l_rid\n"
        "JOIN std_r r ON r.rid = p.r_rid"
    )


def run(job: LinkJob) -> None:
    """Make table `gammas` from `candidates`."""
    job.report(0, 1, "comparing candidate pairs")
    job.engine.execute(gammas_sql(job.comparisons, "candidates", "gammas"))
    job.report(1, 1, "compared")
