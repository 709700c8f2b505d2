"""EM over pattern counts recovers the m, u and share of matches it was simulated from."""

from __future__ import annotations

import numpy as np
import pytest

from soar.linkage import em

# Three comparisons; level 0 is "missing". m and u of the non-missing levels sum to 1.
TRUE_M = [
    np.array([0.0, 0.80, 0.15, 0.05]),
    np.array([0.0, 0.90, 0.10]),
    np.array([0.0, 0.60, 0.30, 0.07, 0.03]),
]
TRUE_U = [
    np.array([0.0, 0.01, 0.09, 0.90]),
    np.array([0.0, 0.20, 0.80]),
    np.array([0.0, 0.001, 0.01, 0.089, 0.90]),
]
MISSING = [0.05, 0.0, 0.10]
PROPORTION = 0.2


def simulate(pairs: int, seed: int) -> em.Patterns:
    """Pairs drawn from the model above, with fields missing at random, as pattern counts."""
    rng = np.random.default_rng(seed)
    is_match = rng.random(pairs) < PROPORTION
    columns = []
    for m, u, missing in zip(TRUE_M, TRUE_U, MISSING, strict=True):
        levels = np.arange(len(m))
        from_m = rng.choice(levels, size=pairs, p=m)
        from_u = rng.choice(levels, size=pairs, p=u)
        column = np.where(is_match, from_m, from_u)
        column[rng.random(pairs) < missing] = 0
        columns.append(column)
    data = np.stack(columns, axis=1)
    unique, counts = np.unique(data, axis=0, return_counts=True)
    return em.Patterns(unique.astype(np.int64), counts.astype(np.float64))


def flat_start(m: np.ndarray) -> np.ndarray:
    start = np.full(len(m), 1.0 / (len(m) - 1))
    start[0] = 0.0
    return start


def test_patterns_are_far_fewer_than_pairs() -> None:
    patterns = simulate(200_000, seed=1)
    assert patterns.pairs == 200_000
    assert len(patterns.counts) <= 4 * 3 * 5


def test_em_recovers_m_and_the_share_of_matches_with_u_known() -> None:
    patterns = simulate(200_000, seed=2)
    result = em.expectation_maximisation(
        patterns, [flat_start(m) for m in TRUE_M], TRUE_U, free=[True, True, True]
    )
    assert result.converged
    assert result.proportion_matching == pytest.approx(PROPORTION, abs=0.01)
    for learned, true in zip(result.m, TRUE_M, strict=True):
        np.testing.assert_allclose(learned[1:], true[1:], atol=0.02)


def test_em_recovers_u_too_when_asked() -> None:
    # Starting from a rough u (as random pairs give for pairs in a block), not from the truth.
    patterns = simulate(200_000, seed=3)
    rough_u = [0.5 * u + 0.5 * flat_start(u) for u in TRUE_U]
    result = em.expectation_maximisation(
        patterns,
        [flat_start(m) for m in TRUE_M],
        rough_u,
        free=[True, True, True],
        estimate_u=True,
    )
    assert result.proportion_matching == pytest.approx(PROPORTION, abs=0.02)
    for learned, true in zip(result.m, TRUE_M, strict=True):
        np.testing.assert_allclose(learned[1:], true[1:], atol=0.03)


def test_a_comparison_forced_to_agree_keeps_its_m() -> None:
    patterns = simulate(50_000, seed=4)
    start = [flat_start(m) for m in TRUE_M]
    result = em.expectation_maximisation(patterns, start, TRUE_U, free=[True, False, True])
    np.testing.assert_array_equal(result.m[1], start[1])


def test_prior_em_finds_the_share_of_matches_among_all_pairs() -> None:
    # 200,000 candidate pairs out of 10 million possible, 20% of them matches: prior 0.004.
    # The comparisons are as strong as names, dates and identifiers are, so that matches
    # and non-matches separate as they do in real candidate sets.
    strong_m = [np.array([0.0, 0.95, 0.05])] * 3
    strong_u = [np.array([0.0, 0.001, 0.999])] * 3
    rng = np.random.default_rng(5)
    is_match = rng.random(200_000) < PROPORTION
    columns = [
        np.where(is_match, rng.choice(3, 200_000, p=m), rng.choice(3, 200_000, p=u))
        for m, u in zip(strong_m, strong_u, strict=True)
    ]
    unique, counts = np.unique(np.stack(columns, axis=1), axis=0, return_counts=True)
    patterns = em.Patterns(unique.astype(np.int64), counts.astype(np.float64))
    prior, expected = em.estimate_prior(patterns, strong_m, strong_u, 10_000_000, start=1e-5)
    assert expected == pytest.approx(40_000, rel=0.03)
    assert prior == pytest.approx(0.004, rel=0.03)


def test_u_from_random_pairs_discounts_the_matches_among_them() -> None:
    # A random sample where 1% of pairs are matches: u must describe the other 99%.
    rng = np.random.default_rng(6)
    share = 0.01
    is_match = rng.random(100_000) < share
    columns = [
        np.where(is_match, rng.choice(len(m), 100_000, p=m), rng.choice(len(u), 100_000, p=u))
        for m, u in zip(TRUE_M, TRUE_U, strict=True)
    ]
    unique, counts = np.unique(np.stack(columns, axis=1), axis=0, return_counts=True)
    patterns = em.Patterns(unique.astype(np.int64), counts.astype(np.float64))
    naive = em.estimate_u(patterns, [], TRUE_U, 0.0, pseudo=0.5)
    refined = em.estimate_u(patterns, TRUE_M, TRUE_U, share, pseudo=0.5)
    # Exact agreement on the third comparison: u = 0.001, inflated by matches when naive.
    assert naive[2][1] > 0.004
    assert refined[2][1] == pytest.approx(0.001, abs=0.0007)
