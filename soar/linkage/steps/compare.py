"""Step 3 — compare: an agreement level per comparison for every candidate pair."""

from __future__ import annotations

from soar.linkage.comparisons import Comparison
from soar.linkage.job import LinkJob

NAME = "compare"


def tf_columns(comparisons: tuple[Comparison, ...]) -> list[tuple[Comparison, str]]:
    """Comparisons with a term-frequency-adjusted level, and the column that holds the value."""
    found = []
    for comparison in comparisons:
        for level in comparison.levels:
            if level.term_frequency_column is not None:
                found.append((comparison, level.term_frequency_column))
                break
    return found


def gammas_sql(comparisons: tuple[Comparison, ...], pairs: str, out: str) -> str:
    """Create table `out`: the pair's ids, one gamma column per comparison, TF values."""
    columns = ["p.l_rid", "p.r_rid"]
    columns += [f"{c.gamma_sql()} AS {c.gamma_column}" for c in comparisons]
    columns += [f"l.{column} AS tf_{c.name}" for c, column in tf_columns(comparisons)]
    select = ",\n  ".join(columns)
    return (
        f"CREATE OR REPLACE TABLE {out} AS\nSELECT\n  {select}\nFROM {pairs} p\n"
        "JOIN std_l l ON l.rid = p.l_rid\nJOIN std_r r ON r.rid = p.r_rid"
    )


def patterns_sql(comparisons: tuple[Comparison, ...], table: str) -> str:
    """Distinct agreement patterns with their pair counts: EM's whole input."""
    gammas = ", ".join(c.gamma_column for c in comparisons)
    return f"SELECT {gammas}, count(*) AS pairs FROM {table} GROUP BY {gammas}"


def run(job: LinkJob) -> None:
    """Make table `gammas` from `candidates`."""
    job.report(0, 1, "comparing candidate pairs")
    job.engine.execute(gammas_sql(job.comparisons, "candidates", "gammas"))
    job.report(1, 1, "compared")
