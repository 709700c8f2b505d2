"""Step 6 — cluster: connected components at the threshold, or one-to-one best links.

Both are iterative SQL: each round is one statement, repeated until nothing changes, so
the same loop runs on any engine.
"""

from __future__ import annotations

from soar.linkage.comparisons import FINGERPRINT_IDENTIFIERS
from soar.linkage.job import LinkJob

NAME = "cluster"
MAX_ROUNDS = 1_000


def one_to_one_round_sql() -> str:
    """Pairs that are each other's best remaining link (ties broken by id, deterministically)."""
    return (
        "CREATE OR REPLACE TABLE accepted AS SELECT l_rid, r_rid FROM ("
        "SELECT l_rid, r_rid, "
        "row_number() OVER (PARTITION BY l_rid ORDER BY match_weight DESC, r_rid) AS left_rank, "
        "row_number() OVER (PARTITION BY r_rid ORDER BY match_weight DESC, l_rid) AS right_rank "
        "FROM remaining) WHERE left_rank = 1 AND right_rank = 1"
    )


def one_to_one(job: LinkJob) -> None:
    """Keep in `scores` only greedy mutual-best links: each record in at most one pair."""
    engine = job.engine
    engine.execute("CREATE OR REPLACE TABLE remaining AS SELECT * FROM scores")
    engine.execute("CREATE OR REPLACE TABLE kept (l_rid BIGINT, r_rid BIGINT)")
    for _ in range(MAX_ROUNDS):
        engine.execute(one_to_one_round_sql())
        if engine.fetch("SELECT count(*) FROM accepted")[0][0] == 0:
            break
        engine.execute("INSERT INTO kept SELECT * FROM accepted")
        engine.execute(
            "DELETE FROM remaining WHERE l_rid IN (SELECT l_rid FROM accepted) "
            "OR r_rid IN (SELECT r_rid FROM accepted)"
        )
    engine.execute(
        "CREATE OR REPLACE TABLE scores AS SELECT s.* FROM scores s "
        "JOIN kept k ON k.l_rid = s.l_rid AND k.r_rid = s.r_rid"
    )


def propagate_sql() -> str:
    """One round of smallest-label propagation along the links, with a pointer jump."""
    return (
        "CREATE OR REPLACE TABLE labels_next AS "
        "SELECT n.rid, coalesce(j.label, n.label) AS label FROM ("
        "SELECT lb.rid, least(lb.label, coalesce(min(nb.label), lb.label)) AS label "
        "FROM labels lb LEFT JOIN edges e ON e.a = lb.rid LEFT JOIN labels nb ON nb.rid = e.b "
        "GROUP BY lb.rid, lb.label) n LEFT JOIN labels j ON j.rid = n.label"
    )


def connected_components(job: LinkJob) -> None:
    """Make table `clusters(rid, cluster_rid)`: every record, linked ones sharing a label."""
    engine = job.engine
    engine.execute(
        "CREATE OR REPLACE TABLE edges AS SELECT l_rid AS a, r_rid AS b FROM scores "
        "UNION ALL SELECT r_rid AS a, l_rid AS b FROM scores"
    )
    engine.execute("CREATE OR REPLACE TABLE labels AS SELECT rid, rid AS label FROM std_l")
    for _ in range(MAX_ROUNDS):
        engine.execute(propagate_sql())
        changed = engine.fetch(
            "SELECT count(*) FROM labels_next n JOIN labels o ON o.rid = n.rid "
            "WHERE n.label <> o.label"
        )[0][0]
        engine.execute("CREATE OR REPLACE TABLE labels AS SELECT * FROM labels_next")
        if changed == 0:
            break
    engine.execute(
        "CREATE OR REPLACE TABLE clusters AS SELECT rid, label AS cluster_rid FROM labels"
    )


def conflicts_sql(column: str) -> str:
    """Clusters whose records carry more than one value of a one-per-person identifier."""
    return (
        f"SELECT c.cluster_rid, count(DISTINCT s.{column}) AS values, "
        f"min(s.record_id) AS example FROM clusters c JOIN std_l s ON s.rid = c.rid "
        f"WHERE s.{column} IS NOT NULL GROUP BY c.cluster_rid "
        f"HAVING count(DISTINCT s.{column}) > 1 ORDER BY example"
    )


def warn_conflicts(job: LinkJob) -> None:
    """Say which clusters join records of different FBI numbers, so a person reviews them.

    Connected components chain: A links to B and B to C though A and C conflict (B has no
    FBI number). Such a cluster is not split silently; it is reported.
    """
    for field in FINGERPRINT_IDENTIFIERS:
        rows = job.engine.fetch(conflicts_sql(f"id_{field}"))
        if rows:
            job.warn(
                f"{len(rows)} cluster(s) join records with different {field} values (e.g. the "
                f"cluster of record '{rows[0][2]}'); one person has one {field}, so review "
                "these clusters before acting on them, or raise --threshold"
            )


def run(job: LinkJob) -> None:
    """Cluster a dedupe; reduce a link to one-to-one when asked."""
    job.report(0, 1, "clustering")
    if job.is_dedupe:
        connected_components(job)
        warn_conflicts(job)
    elif job.one_to_one:
        one_to_one(job)
    job.report(1, 1, "clustered")
