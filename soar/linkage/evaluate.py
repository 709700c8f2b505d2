"""Evaluate scored pairs against the truth: precision, recall and F1 over thresholds.

Truth is `record_id,person_id`. The true pairs are all pairs of records of one person; when
the pairs come from linking two files, give the files' record ids (`left_ids`,
`right_ids`) so that only cross-file pairs count, as a link can find no other.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from soar.errors import InputError
from soar.linkage.tables import read_table

DEFAULT_THRESHOLDS: tuple[float, ...] = (
    0.01,
    0.05,
    0.1,
    0.2,
    0.3,
    0.4,
    0.5,
    0.6,
    0.7,
    0.8,
    0.9,
    0.95,
    0.99,
    0.999,
)


@dataclass(frozen=True, slots=True)
class ThresholdScore:
    """Counts and rates when pairs at or above `threshold` are called matches."""

    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        called = self.true_positives + self.false_positives
        return self.true_positives / called if called else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Scores at the usual thresholds, the best threshold found, and the full PR curve."""

    true_pairs: int
    scored_pairs: int
    lowest_probability: float
    scores: tuple[ThresholdScore, ...]
    best: ThresholdScore
    curve: tuple[ThresholdScore, ...] = field(repr=False)

    def at(self, threshold: float) -> ThresholdScore:
        """The score at any threshold (pairs below the lowest scored probability are absent)."""
        chosen = None
        for point in self.curve:  # curve is sorted by descending threshold
            if point.threshold >= threshold:
                chosen = point
        if chosen is None:
            return ThresholdScore(threshold, 0, 0, self.true_pairs)
        return ThresholdScore(
            threshold, chosen.true_positives, chosen.false_positives, chosen.false_negatives
        )


def _as_table(source: pa.Table | str | Path, columns: tuple[str, ...]) -> pa.Table:
    if isinstance(source, pa.Table):
        missing = [c for c in columns if c not in source.column_names]
        if missing:
            raise InputError(f"table lacks column(s) {', '.join(missing)}")
        return source
    return read_table(Path(source), columns)


def evaluate(
    pairs: pa.Table | str | Path,
    truth: pa.Table | str | Path,
    *,
    left_ids: Collection[str] | None = None,
    right_ids: Collection[str] | None = None,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
) -> Evaluation:
    """Precision, recall and F1 of `pairs` (left_id, right_id, match_probability) vs truth."""
    pair_table = _as_table(pairs, ("left_id", "right_id", "match_probability"))
    truth_table = _as_table(truth, ("record_id", "person_id"))
    con = duckdb.connect()
    try:
        con.register("pairs_in", pair_table)
        con.register("truth_in", truth_table)
        con.execute(
            "CREATE TABLE truth AS SELECT DISTINCT CAST(record_id AS VARCHAR) AS record_id, "
            "CAST(person_id AS VARCHAR) AS person_id FROM truth_in WHERE person_id IS NOT NULL"
        )
        duplicated = con.execute(
            "SELECT record_id FROM truth GROUP BY record_id HAVING count(*) > 1 LIMIT 1"
        ).fetchall()
        if duplicated:
            raise InputError(
                f"truth gives record '{duplicated[0][0]}' more than one person_id; "
                "each record belongs to one person"
            )
        if (left_ids is None) != (right_ids is None):
            raise InputError("give both left and right record ids, or neither")
        if left_ids is not None and right_ids is not None:
            con.register("left_in", pa.table({"record_id": pa.array(sorted(left_ids))}))
            con.register("right_in", pa.table({"record_id": pa.array(sorted(right_ids))}))
            true_pairs = con.execute(
                "SELECT count(*) FROM truth a JOIN truth b ON a.person_id = b.person_id "
                "AND a.record_id <> b.record_id "
                "WHERE a.record_id IN (SELECT record_id FROM left_in) "
                "AND b.record_id IN (SELECT record_id FROM right_in)"
            ).fetchall()[0][0]
        else:
            true_pairs = con.execute(
                "SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM "
                "(SELECT count(*) AS n FROM truth GROUP BY person_id)"
            ).fetchall()[0][0]
        # Count each unordered pair once, whatever order it was written in.
        rows = con.execute(
            "SELECT p.match_probability, count(*) AS pairs, "
            "count(*) FILTER (WHERE a.person_id = b.person_id) AS true_pairs FROM ("
            "SELECT least(CAST(left_id AS VARCHAR), CAST(right_id AS VARCHAR)) AS x, "
            "greatest(CAST(left_id AS VARCHAR), CAST(right_id AS VARCHAR)) AS y, "
            "max(CAST(match_probability AS DOUBLE)) AS match_probability FROM pairs_in "
            "GROUP BY x, y) p "
            "LEFT JOIN truth a ON a.record_id = p.x LEFT JOIN truth b ON b.record_id = p.y "
            "GROUP BY p.match_probability ORDER BY p.match_probability DESC"
        ).fetchall()
    finally:
        con.close()
    curve: list[ThresholdScore] = []
    tp = fp = 0
    for probability, count, true_count in rows:
        tp += int(true_count)
        fp += int(count) - int(true_count)
        curve.append(ThresholdScore(float(probability), tp, fp, int(true_pairs) - tp))
    lowest = curve[-1].threshold if curve else 1.0
    best = max(curve, key=lambda s: (s.f1, s.threshold), default=None)
    evaluation = Evaluation(
        true_pairs=int(true_pairs),
        scored_pairs=tp + fp,
        lowest_probability=lowest,
        scores=(),
        best=best or ThresholdScore(1.0, 0, 0, int(true_pairs)),
        curve=tuple(curve),
    )
    scores = tuple(evaluation.at(t) for t in thresholds)
    return Evaluation(
        true_pairs=evaluation.true_pairs,
        scored_pairs=evaluation.scored_pairs,
        lowest_probability=lowest,
        scores=scores,
        best=evaluation.best,
        curve=evaluation.curve,
    )


def precision_recall_chart(evaluation: Evaluation, path: Path, title: str = "") -> None:
    """Draw the precision-recall curve to a PNG (matplotlib, no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from soar.linkage.tables import atomic_path

    figure, axes = plt.subplots(figsize=(6, 4.5), dpi=120)
    recall = [point.recall for point in evaluation.curve]
    precision = [point.precision for point in evaluation.curve]
    axes.plot(recall, precision, color="#1f4e79", linewidth=1.8)
    at_half = evaluation.at(0.5)
    axes.scatter(
        [at_half.recall],
        [at_half.precision],
        color="#c0392b",
        zorder=3,
        label=f"threshold 0.5: F1 {at_half.f1:.4f}",
    )
    axes.scatter(
        [evaluation.best.recall],
        [evaluation.best.precision],
        color="#27ae60",
        zorder=3,
        label=f"best F1 {evaluation.best.f1:.4f} at {evaluation.best.threshold:.3g}",
    )
    axes.set_xlabel("recall")
    axes.set_ylabel("precision")
    axes.set_title(title or "Precision-recall")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="lower left")
    figure.tight_layout()
    with atomic_path(path) as temp:
        figure.savefig(temp, format="png")
    plt.close(figure)
