"""Step 2 — blocking: candidate pairs from several rules OR-ed, each pair kept once.

Every rule is measured before it runs (the sum over its keys of left count times right
count), so a rule about to explode is reported with what to do instead of filling the disk.
"""

from __future__ import annotations

from soar.linkage.blocking_rules import BlockingRule, prediction_rules
from soar.linkage.job import LinkJob, RuleReport

NAME = "blocking"


def keys_sql(rule: BlockingRule, table: str, *, lacking: bool = False) -> str:
    """One row per (record, key) for a rule; a list key is exploded, NULL keys dropped.

    With `lacking`, only records without the rule's `one_side_lacks` column.
    """
    extra = f" AND t.{rule.one_side_lacks} IS NULL" if lacking else ""
    if rule.is_list:
        key = "u.part" if rule.prefix is None else f"{rule.prefix} || '|' || u.part"
        return (
            f"SELECT t.rid, {key} AS block_key FROM {table} t "
            f"CROSS JOIN UNNEST(t.{rule.key}) AS u(part) WHERE {key} IS NOT NULL{extra}"
        )
    return (
        f"SELECT t.rid, {rule.key} AS block_key FROM {table} t WHERE {rule.key} IS NOT NULL{extra}"
    )


def _sides(rule: BlockingRule, dedupe: bool) -> list[tuple[bool, bool]]:
    """Which sides keep only records lacking the rule's column: one join per entry."""
    if rule.one_side_lacks is None:
        return [(False, False)]
    return [(True, False)] if dedupe else [(True, False), (False, True)]


def block_sizes_sql(rule: BlockingRule, dedupe: bool) -> str:
    """Pairs each key value would produce (an upper bound for a one-side-lacks rule)."""
    if dedupe and rule.one_side_lacks is None:
        return (
            f"SELECT block_key, count(*) * (count(*) - 1) // 2 AS pairs "
            f"FROM ({keys_sql(rule, 'std_l')}) GROUP BY block_key"
        )
    parts = []
    for left_lacks, right_lacks in _sides(rule, dedupe):
        left = keys_sql(rule, "std_l", lacking=left_lacks)
        right = keys_sql(rule, "std_r", lacking=right_lacks)
        parts.append(
            f"SELECT kl.block_key, kl.n * kr.n AS pairs FROM "
            f"(SELECT block_key, count(*) AS n FROM ({left}) GROUP BY block_key) kl JOIN "
            f"(SELECT block_key, count(*) AS n FROM ({right}) GROUP BY block_key) kr "
            f"ON kl.block_key = kr.block_key"
        )
    union = " UNION ALL ".join(parts)
    return f"SELECT block_key, sum(pairs) AS pairs FROM ({union}) GROUP BY block_key"


def pairs_sql(
    rule: BlockingRule,
    index: int,
    dedupe: bool,
    *,
    skip_keys: str | None = None,
    keep_fraction: float = 1.0,
) -> str:
    """Distinct pairs sharing a key under `rule`, tagged with the rule's index."""
    conditions = []
    if dedupe:
        conditions.append("kl.rid <> kr.rid" if rule.one_side_lacks else "kl.rid < kr.rid")
    if skip_keys is not None:
        conditions.append(f"kl.block_key NOT IN ({skip_keys})")
    if keep_fraction < 1.0:
        # A seeded, engine-independent sample: a pair is kept by the hash of its ids.
        conditions.append(f"hash(kl.rid, kr.rid) % 1000000 < {round(keep_fraction * 1_000_000)}")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    # In a dedupe a lacking record may sit on either side of its pair: order the ids.
    ids = (
        "least(kl.rid, kr.rid) AS l_rid, greatest(kl.rid, kr.rid) AS r_rid"
        if dedupe and rule.one_side_lacks
        else "kl.rid AS l_rid, kr.rid AS r_rid"
    )
    joins = [
        f"SELECT {ids} FROM ({keys_sql(rule, 'std_l', lacking=left_lacks)}) kl "
        f"JOIN ({keys_sql(rule, 'std_r', lacking=right_lacks)}) kr "
        f"ON kl.block_key = kr.block_key{where}"
        for left_lacks, right_lacks in _sides(rule, dedupe)
    ]
    return f"SELECT DISTINCT l_rid, r_rid, {index} AS rule FROM ({' UNION ALL '.join(joins)})"


def candidates_sql() -> str:
    """Each pair once, credited to the first rule that found it."""
    return (
        "CREATE OR REPLACE TABLE candidates AS "
        "SELECT l_rid, r_rid, min(rule) AS rule FROM blocked GROUP BY l_rid, r_rid"
    )


def measure(
    job: LinkJob, rules: tuple[BlockingRule, ...], table: str
) -> list[tuple[int, str | None]]:
    """Estimate each rule's pairs in one query; keep its oversized keys in `table` and warn.

    Returns, per rule, the pairs it will make without its skipped keys, and a subquery
    listing those keys (None when none is skipped).
    """
    limit = job.settings.max_block_pairs
    sizes = " UNION ALL ".join(
        f"SELECT {i} AS rule, block_key, pairs FROM ({block_sizes_sql(rule, job.is_dedupe)})"
        for i, rule in enumerate(rules)
    )
    job.engine.execute(f"CREATE OR REPLACE TABLE {table} AS {sizes}")
    rows = job.engine.fetch(
        f"SELECT rule, coalesce(sum(pairs), 0), count(*) FILTER (WHERE pairs > {limit}), "
        f"coalesce(sum(pairs) FILTER (WHERE pairs > {limit}), 0), "
        f"max(block_key) FILTER (WHERE pairs > {limit}) FROM {table} GROUP BY rule"
    )
    job.engine.execute(f"DELETE FROM {table} WHERE pairs <= {limit}")
    found = {int(row[0]): row[1:] for row in rows}
    results: list[tuple[int, str | None]] = []
    for i, rule in enumerate(rules):
        total, skipped_keys, skipped_pairs, example = found.get(i, (0, 0, 0, None))
        kept = int(total) - int(skipped_pairs)
        if skipped_keys:
            job.warn(
                f"blocking rule '{rule.name}': skipped {skipped_keys} key value(s) with more "
                f"than {limit:,} pairs each (e.g. '{example}', {int(skipped_pairs):,} pairs in "
                "all); such a value is usually a placeholder (a default date, 'UNKNOWN') or a "
                "very common name - clean it at ingest, or raise Settings.max_block_pairs if "
                "it is real"
            )
        if kept > job.settings.warn_rule_pairs:
            job.warn(
                f"blocking rule '{rule.name}' ({rule.description}) makes {kept:,} pairs, more "
                f"than {job.settings.warn_rule_pairs:,}; the run will be slow and need memory - "
                "split the inputs (e.g. by birth year) or link against a smaller file first"
            )
        skip = f"SELECT block_key FROM {table} WHERE rule = {i}" if skipped_keys else None
        results.append((kept, skip))
    return results


def run(job: LinkJob) -> None:
    """Make table `candidates(l_rid, r_rid, rule)` and the per-rule report."""
    job.rules = prediction_rules(job.fields)
    job.report(0, 2, "blocking: measuring rules")
    measured = measure(job, job.rules, "skipped_keys")
    job.report(1, 2, "blocking: making pairs")
    union = " UNION ALL ".join(
        pairs_sql(rule, index, job.is_dedupe, skip_keys=skip)
        for index, (rule, (_, skip)) in enumerate(zip(job.rules, measured, strict=True))
    )
    job.engine.execute(f"CREATE OR REPLACE TABLE blocked AS {union}")
    job.engine.execute(candidates_sql())
    produced = dict(job.engine.fetch("SELECT rule, count(*) FROM blocked GROUP BY rule"))
    credited = dict(job.engine.fetch("SELECT rule, count(*) FROM candidates GROUP BY rule"))
    job.blocking_report = [
        RuleReport(rule.name, rule.description, int(produced.get(i, 0)), int(credited.get(i, 0)))
        for i, rule in enumerate(job.rules)
    ]
    job.candidate_pairs = sum(r.new_pairs for r in job.blocking_report)
    job.engine.execute("DROP TABLE blocked")
