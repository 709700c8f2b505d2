"""Probabilistic person-record linkage (Fellegi-Sunter) on DuckDB.

`match` links two files, `dedupe` clusters one, `evaluate` scores pairs against truth and
`explain` shows why a pair scored what it did. This package links people; it knows nothing
of immigration or offenses (DESIGN.md).
"""

from soar.linkage.api import DedupeResult, MatchResult, dedupe, match
from soar.linkage.evaluate import Evaluation, ThresholdScore, evaluate
from soar.linkage.explain import Explanation, explain
from soar.linkage.job import Settings
from soar.linkage.model import Model

__all__ = [
    "DedupeResult",
    "Evaluation",
    "Explanation",
    "MatchResult",
    "Model",
    "Settings",
    "ThresholdScore",
    "dedupe",
    "evaluate",
    "explain",
    "match",
]
