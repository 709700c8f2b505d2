"""Expectation-maximisation over counts of distinct agreement patterns.

One row per pattern (a tuple of levels, one per comparison) with the number of pairs that
show it: thousands of rows instead of millions of pairs, so EM runs in milliseconds in
numpy whatever the data size. Level 0 of every comparison is "missing" and contributes a
factor of one to both likelihoods.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: No level is ever given probability zero: one unseen level must not veto a match.
PROBABILITY_FLOOR = 1e-9


@dataclass(frozen=True, slots=True)
class Patterns:
    """Distinct agreement patterns (rows of `levels`) and how many pairs show each."""

    levels: IntArray  # shape (patterns, comparisons)
    counts: FloatArray  # shape (patterns,)

    @property
    def pairs(self) -> int:
        return int(self.counts.sum())


@dataclass(frozen=True, slots=True)
class EMResult:
    """m per comparison level, the share of matching pairs, and how the run ended."""

    m: list[FloatArray]
    proportion_matching: float
    iterations: int
    converged: bool
    #: u inside these pairs (as given, unless EM was asked to estimate it).
    u: list[FloatArray]


def bayes_factors(patterns: Patterns, m: list[FloatArray], u: list[FloatArray]) -> FloatArray:
    """Product over comparisons of m/u for each pattern's level (1 for missing)."""
    log_factor = np.zeros(len(patterns.counts))
    for c, (m_c, u_c) in enumerate(zip(m, u, strict=True)):
        ratio = np.log(np.maximum(m_c, PROBABILITY_FLOOR)) - np.log(
            np.maximum(u_c, PROBABILITY_FLOOR)
        )
        ratio[0] = 0.0  # missing carries no weight
        log_factor += ratio[patterns.levels[:, c]]
    # Clip so that exp cannot overflow: beyond 700 nats the posterior is 1 anyway.
    result: FloatArray = np.exp(np.clip(log_factor, -700.0, 700.0))
    return result


def posterior(bayes: FloatArray, prior: float) -> FloatArray:
    """P(match | pattern) for each pattern from its Bayes factor and the prior."""
    odds = bayes * (prior / (1.0 - prior))
    result: FloatArray = odds / (1.0 + odds)
    return result


def level_frequencies(
    patterns: Patterns, comparison: int, levels: int, weights: FloatArray
) -> FloatArray:
    """Weighted share of each non-missing level of one comparison (index 0 stays 0)."""
    totals = np.bincount(patterns.levels[:, comparison], weights=weights, minlength=levels)
    totals[0] = 0.0
    denominator = totals.sum()
    if denominator <= 0:
        return np.full(levels, np.nan)
    result: FloatArray = totals / denominator
    return result


def expectation_maximisation(
    patterns: Patterns,
    m_start: list[FloatArray],
    u: list[FloatArray],
    *,
    free: list[bool],
    proportion_start: float = 0.1,
    max_iterations: int = 200,
    tolerance: float = 1e-7,
    estimate_u: bool = False,
) -> EMResult:
    """Estimate m for the `free` comparisons and the share of matches.

    A comparison that is not free (its field was forced to agree by the blocking rule that
    made these pairs) is left out of the likelihood altogether: its m is returned unchanged.
    With `estimate_u`, u is re-estimated inside these pairs too (starting from `u`): the
    non-matches a block gathers are not random pairs (namesakes share a country of birth
    far more often than strangers do), and a u fixed at its random-pair value would make
    EM take such namesakes for matches.
    """
    m = [level.copy() for level in m_start]
    used_u = [
        u_c.copy() if is_free else np.ones_like(u_c) for u_c, is_free in zip(u, free, strict=True)
    ]
    proportion = proportion_start
    converged = False
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - reported after the loop
        used_m = [
            m_c if is_free else np.ones_like(m_c) for m_c, is_free in zip(m, free, strict=True)
        ]
        match_odds = bayes_factors(patterns, used_m, used_u) * (proportion / (1 - proportion))
        weights = patterns.counts * match_odds / (1.0 + match_odds)
        new_proportion = float(np.clip(weights.sum() / patterns.counts.sum(), 1e-9, 1 - 1e-9))
        change = abs(new_proportion - proportion)
        for c, is_free in enumerate(free):
            if not is_free:
                continue
            new_m = level_frequencies(patterns, c, len(m[c]), weights)
            if np.isnan(new_m).any():
                continue
            new_m = np.maximum(new_m, PROBABILITY_FLOOR)
            new_m[0] = 0.0
            change = max(change, float(np.abs(new_m - m[c]).max()))
            m[c] = new_m
            if estimate_u:
                new_u = level_frequencies(patterns, c, len(m[c]), patterns.counts - weights)
                if not np.isnan(new_u).any():
                    new_u = np.maximum(new_u, PROBABILITY_FLOOR)
                    new_u[0] = 0.0
                    used_u[c] = new_u
        proportion = new_proportion
        if change < tolerance:
            converged = True
            break
    return EMResult(m, proportion, iterations, converged, used_u)


def estimate_prior(
    patterns: Patterns,
    m: list[FloatArray],
    u: list[FloatArray],
    total_pairs: int,
    *,
    start: float,
    max_iterations: int = 500,
    tolerance: float = 1e-12,
) -> tuple[float, float]:
    """EM for the prior alone over all pairs: candidates as counted, the rest as non-matches.

    Pairs that blocking did not produce have a posterior of (almost) zero, so the sum of the
    candidates' posteriors is the expected number of matches. Returns (prior, expected matches).
    """
    bayes = bayes_factors(patterns, m, u)
    prior = start
    expected = 0.0
    for _ in range(max_iterations):
        expected = float((patterns.counts * posterior(bayes, prior)).sum())
        new_prior = min(max(expected / max(total_pairs, 1), 1e-12), 0.5)
        if abs(new_prior - prior) <= tolerance * max(prior, 1e-12) * 1e3:
            prior = new_prior
            break
        prior = new_prior
    return prior, expected


def estimate_u(
    patterns: Patterns, m: list[FloatArray], u: list[FloatArray], prior: float, pseudo: float
) -> list[FloatArray]:
    """u from random pairs, each weighted by its chance of being a non-match.

    Random pairs include the odd true match; counted as non-matches they inflate u of the
    strongest levels (a shared identifier), which then weighs too little.
    """
    if not m or prior <= 0.0:
        weights = patterns.counts
    else:
        weights = patterns.counts * (1.0 - posterior(bayes_factors(patterns, m, u), prior))
    estimates: list[FloatArray] = []
    for c, u_c in enumerate(u):
        totals = np.bincount(patterns.levels[:, c], weights=weights, minlength=len(u_c))
        totals[0] = 0.0
        # A level never seen among random pairs is rare, not impossible.
        totals[1:] = totals[1:] + float(pseudo)
        result: FloatArray = totals / totals.sum()
        result[0] = 0.0
        estimates.append(result)
    return estimates
