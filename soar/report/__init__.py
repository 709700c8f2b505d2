"""Operation figures from the case store (DESIGN.md, "Figures an operation reports").

`stats.operation_stats(session, ...)` computes them once for every consumer (web
dashboard, JSON API, CLI); `charts` draws them as SVG with matplotlib, offline.
"""

from __future__ import annotations

from soar.report.stats import OperationStats, operation_stats, review_labels

__all__ = ["OperationStats", "operation_stats", "review_labels"]
