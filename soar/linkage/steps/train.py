"""Step 4 — train: u from seeded random pairs, m by EM per blocking pass, prior by EM.

Each comparison learns m only in passes whose blocking rule leaves it free; inside a pass
u is re-estimated too (the strangers a block gathers are not random strangers), the pass's
m is smoothed by half a pair per level, and the passes' estimates are averaged. u is then
refined by down-weighting random pairs that look like matches; fields that go with a name
(country, citizenship, sex, middle name) take u from the name-blocked pass instead. The
guard rails of DESIGN.md are applied last, and every correction is written into the model.
"""

from __future__ import annotations

import numpy as np

from soar.linkage import em
from soar.linkage.blocking_rules import NAME_KEYS, BlockingRule, training_rules
from soar.linkage.comparisons import Comparison, LevelKind
from soar.linkage.engines.base import fetch_all
from soar.linkage.job import LinkJob
from soar.linkage.model import (
    ComparisonParameters,
    LevelParameters,
    Model,
    TrainingPass,
)
from soar.linkage.steps.blocking import measure, pairs_sql
from soar.linkage.steps.compare import pair_patterns_sql, patterns_sql

NAME = "train"
#: Rounds of (EM for m, prior, u refinement); the second round settles, a third changes
#: nothing measurable on FEBRL or the synthetic sets.
ROUNDS = 2


def random_pairs_sql(job: LinkJob) -> str:
    """Seeded random pairs for u; every pair when there are fewer than the sample size."""
    n = job.u_sample_size
    if job.total_pairs <= n:
        condition = "l.rid < r.rid" if job.is_dedupe else "TRUE"
        return (
            "CREATE OR REPLACE TABLE u_pairs AS SELECT l.rid AS l_rid, r.rid AS r_rid "
            f"FROM std_l l, std_r r WHERE {condition}"
        )
    offset = 0 if job.is_dedupe else job.left_count
    seed = job.settings.seed
    return (
        "CREATE OR REPLACE TABLE u_pairs AS SELECT DISTINCT s.l_rid, s.r_rid FROM ("
        f"SELECT CAST(hash(i, {seed}) % {job.left_count} AS BIGINT) AS l_rid, "
        f"CAST(hash(i, {seed + 1}) % {job.right_count} AS BIGINT) + {offset} AS r_rid "
        f"FROM range({n}) t(i)) s WHERE s.l_rid <> s.r_rid"
    )


def _patterns(rows: list[tuple[object, ...]], comparisons: tuple[Comparison, ...]) -> em.Patterns:
    """EM's input from the rows of `patterns_sql`: one row per pattern, its count last."""
    if not rows:
        return em.Patterns(
            np.zeros((0, len(comparisons)), dtype=np.int64), np.zeros(0, dtype=np.float64)
        )
    data = np.array(rows, dtype=np.int64)
    return em.Patterns(data[:, :-1].copy(), data[:, -1].astype(np.float64))


def _is_free(comparison: Comparison, rule: BlockingRule) -> bool:
    return not set(comparison.columns) & set(rule.columns)


def _initial_m(comparison: Comparison) -> np.ndarray:
    # Start EM believing matches agree: most mass on the first agreement level.
    levels = len(comparison.levels)
    start = np.full(levels, 0.1 / max(levels - 2, 1))
    start[0] = 0.0
    start[1] = 0.85
    start[-1] = 0.05
    normalised: np.ndarray = start / start.sum()
    return normalised


def _guard_rails(
    comparison: Comparison, m: np.ndarray, u: np.ndarray, notes: list[str]
) -> np.ndarray:
    """Agreement levels need m >= u; a disagreement may never count for a match."""
    fixed = m.copy()
    for index, level in enumerate(comparison.levels):
        if level.kind is LevelKind.AGREE and fixed[index] < u[index]:
            notes.append(
                f"{comparison.name}: level '{level.label}' learned m={fixed[index]:.3g} below "
                f"u={u[index]:.3g}; set m = u (weight 0) - an agreement is never evidence against"
            )
            fixed[index] = u[index]
        ceiling = comparison.disagreement_m_ceiling
        if level.kind is LevelKind.DISAGREE and ceiling is not None and fixed[index] > ceiling:
            notes.append(
                f"{comparison.name}: level 'disagree' learned m={fixed[index]:.3g}; capped at "
                f"{ceiling:g} - one person holds one {comparison.description}, so a "
                "conflicting one is near-certain proof of two people"
            )
            fixed[index] = ceiling
        if level.kind is LevelKind.DISAGREE and fixed[index] > u[index]:
            notes.append(
                f"{comparison.name}: level 'disagree' learned m={fixed[index]:.3g} above "
                f"u={u[index]:.3g}; set m = u (weight 0) - a disagreement is never evidence for"
            )
            fixed[index] = u[index]
    return fixed


def train(job: LinkJob) -> Model:
    """Learn a model from the inputs (tables std_l, std_r, gammas must exist)."""
    comparisons = job.comparisons
    settings = job.settings
    job.report(0, 4, "training: u from random pairs")
    job.engine.execute(random_pairs_sql(job))

    # Pair sets of the training passes, made once; EM then iterates on their patterns.
    pass_rules: list[tuple[BlockingRule, list[bool]]] = []
    for rule in training_rules(job.fields):
        job.report(1, 4, f"training: EM pass blocked on {rule.name}")
        free = [_is_free(c, rule) for c in comparisons]
        if not any(free):
            continue
        measured = measure(job, (rule,), prefix="train_")
        keep = min(1.0, settings.max_training_pairs / max(measured.pairs[0], 1))
        job.engine.execute(
            f"CREATE OR REPLACE TABLE train_pairs_{len(pass_rules)} AS "
            + pairs_sql(
                (rule,),
                job.is_dedupe,
                prefix="train_",
                skipped=measured.skipped,
                keep_fraction=keep,
            )
        )
        pass_rules.append((rule, free))
    # Counting the patterns is the costly part, and each set is independent of the others.
    sources = [f"({pair_patterns_sql(comparisons, 'u_pairs')})"]
    sources += [
        f"({pair_patterns_sql(comparisons, f'train_pairs_{i}')})" for i in range(len(pass_rules))
    ]
    sources.append("gammas")
    counted = [
        _patterns(rows, comparisons)
        for rows in fetch_all(job.engine, [patterns_sql(comparisons, t) for t in sources])
    ]
    random_patterns, candidate_patterns = counted[0], counted[-1]
    passes = [
        (rule, patterns, free)
        for (rule, free), patterns in zip(pass_rules, counted[1:-1], strict=True)
    ]
    scratch = ["u_pairs", "train_keys_l", "train_keys_r", "train_block_sizes"]
    for table in scratch + [f"train_pairs_{i}" for i in range(len(pass_rules))]:
        job.engine.execute(f"DROP TABLE IF EXISTS {table}")
    u_pairs = random_patterns.pairs
    pseudo = 0.5
    start_m = [_initial_m(c) for c in comparisons]
    u = em.estimate_u(random_patterns, [], [np.ones(len(c.levels)) for c in comparisons], 0, pseudo)

    m = start_m
    prior = 1.0 / max(job.left_count, job.right_count, 1)
    expected = 0.0
    records: list[TrainingPass] = []
    for _ in range(ROUNDS):
        estimates: list[list[np.ndarray]] = [[] for _ in comparisons]
        records = []
        namesake_u: dict[int, np.ndarray] = {}
        for rule, patterns, free in passes:
            if patterns.pairs == 0:
                continue
            result = em.expectation_maximisation(
                patterns,
                m,
                u,
                free=free,
                max_iterations=settings.em_max_iterations,
                tolerance=settings.em_tolerance,
                estimate_u=settings.em_estimate_u,
            )
            if rule.name == NAME_KEYS.name:
                namesake_u = {
                    c: result.u[c]
                    for c, comparison in enumerate(comparisons)
                    if comparison.u_among_namesakes and free[c]
                }
            # Half a pair of pseudo-count per level: a level no match showed among W
            # matches gets m near 1/(2W), not zero - unseen is not impossible.
            matches = result.proportion_matching * patterns.pairs
            for c, is_free in enumerate(free):
                if is_free:
                    levels = len(result.m[c]) - 1
                    smoothed = (result.m[c] * matches + 0.5) / (matches + 0.5 * levels)
                    smoothed[0] = 0.0
                    estimates[c].append(smoothed)
            records.append(
                TrainingPass(
                    rule=rule.name,
                    pairs=patterns.pairs,
                    patterns=len(patterns.counts),
                    proportion_matching=round(result.proportion_matching, 6),
                    iterations=result.iterations,
                    converged=result.converged,
                    trained=[c.name for c, f in zip(comparisons, free, strict=True) if f],
                )
            )
        m = [np.mean(found, axis=0) if found else start_m[c] for c, found in enumerate(estimates)]
        job.report(2, 4, "training: prior by EM over candidate pairs")
        scoring_u = [namesake_u.get(c, u_c) for c, u_c in enumerate(u)]
        prior, expected = em.estimate_prior(
            candidate_patterns, m, scoring_u, job.total_pairs, start=prior
        )
        u = em.estimate_u(random_patterns, m, u, prior, pseudo)
        scoring_u = [namesake_u.get(c, u_c) for c, u_c in enumerate(u)]
        prior, expected = em.estimate_prior(
            candidate_patterns, m, scoring_u, job.total_pairs, start=prior
        )

    notes: list[str] = []
    params: list[ComparisonParameters] = []
    for c, comparison in enumerate(comparisons):
        trained_in = [r.rule for r in records if comparison.name in r.trained]
        if not trained_in:
            notes.append(
                f"{comparison.name}: no training pass left it free; m is the starting guess"
            )
        u_c = scoring_u[c]
        if c in namesake_u:
            notes.append(
                f"{comparison.name}: u taken among strangers who share a name "
                f"(agree {u_c[1]:.3g}) rather than among random pairs (agree {u[c][1]:.3g})"
            )
        m_c = _guard_rails(comparison, m[c], u_c, notes)
        params.append(
            ComparisonParameters(
                name=comparison.name,
                description=comparison.description,
                levels=[
                    LevelParameters(
                        level.label,
                        level.kind.value,
                        None if level.kind == LevelKind.MISSING else round(float(m_c[i]), 10),
                        None if level.kind == LevelKind.MISSING else round(float(u_c[i]), 10),
                    )
                    for i, level in enumerate(comparison.levels)
                ],
                trained_in=trained_in,
            )
        )
    job.report(4, 4, "trained")
    return Model(
        link_type="dedupe" if job.is_dedupe else "link",
        prior=prior,
        comparisons=params,
        expected_matches=round(expected, 2),
        u_random_pairs=u_pairs,
        seed=settings.seed,
        training_passes=records,
        adjustments=notes,
        inputs={"left": str(job.left), "right": str(job.right) if job.right else None},
    )


def run(job: LinkJob) -> None:
    """Train a model unless the caller gave one."""
    if job.model is None:
        job.model = train(job)
