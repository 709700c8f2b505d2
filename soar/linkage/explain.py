"""Explain one pair: each comparison's values, level and weight, the prior, the result.

The explanation is computed by the same SQL as a run (standardise, compare, score), so its
weights add up to exactly the match weight the run gives the pair.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from soar.errors import InputError
from soar.linkage.api import PathLike, comparisons_of
from soar.linkage.engines.duckdb import DuckDBEngine
from soar.linkage.job import LinkJob
from soar.linkage.model import Model
from soar.linkage.pipeline import Step, run_steps
from soar.linkage.steps import compare, score, standardise


@dataclass(frozen=True, slots=True)
class ExplainedComparison:
    """One line of the waterfall."""

    name: str
    description: str
    left_values: dict[str, str | None]
    right_values: dict[str, str | None]
    level: str
    match_weight: float


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a pair scored what it did: prior + each comparison (+ name frequency) = total."""

    left_id: str
    right_id: str
    prior_weight: float
    comparisons: tuple[ExplainedComparison, ...]
    frequency_adjustments: dict[str, float]
    match_weight: float

    @property
    def match_probability(self) -> float:
        return 1.0 / (1.0 + math.pow(2.0, -self.match_weight))

    def rows(self) -> list[tuple[str, float]]:
        """(label, weight) lines in waterfall order, ending before the total."""
        lines = [("prior (two random records match)", self.prior_weight)]
        lines += [(f"{c.name}: {c.level}", c.match_weight) for c in self.comparisons]
        lines += [
            (f"{name}: how common the name is", w) for name, w in self.frequency_adjustments.items()
        ]
        return lines


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _find(job: LinkJob, side: str, record_id: str, source: Path) -> int:
    rows = job.engine.fetch(f"SELECT rid FROM std_{side} WHERE record_id = {_quote(record_id)}")
    if not rows:
        raise InputError(f"{source}: no record with record_id '{record_id}'")
    return int(rows[0][0])


def explain(
    left_id: str,
    right_id: str,
    *,
    model: Model | PathLike,
    left: PathLike | None = None,
    right: PathLike | None = None,
) -> Explanation:
    """Explain the pair (`left_id` in `left`, `right_id` in `right`) under `model`.

    `left` and `right` default to the files the model was trained on; for a dedupe model
    both ids are looked up in the one file.
    """
    loaded = model if isinstance(model, Model) else Model.load(Path(model))
    source = "model" if isinstance(model, Model) else str(model)
    left_path = Path(left) if left is not None else _trained_on(loaded, "left")
    right_path: Path | None
    if loaded.link_type == "dedupe":
        right_path = None
    else:
        right_path = Path(right) if right is not None else _trained_on(loaded, "right")
    engine = DuckDBEngine()
    try:
        job = LinkJob(engine=engine, left=left_path, right=right_path, model=loaded, keep_raw=True)
        job.comparisons = comparisons_of(loaded, source)
        run_steps(job, (Step(standardise.NAME, standardise.run),))
        l_rid = _find(job, "l", left_id, left_path)
        r_rid = _find(job, "r", right_id, right_path or left_path)
        engine.execute(f"CREATE OR REPLACE TABLE pair AS SELECT {l_rid} AS l_rid, {r_rid} AS r_rid")
        engine.execute(compare.gammas_sql(job.comparisons, "pair", "pair_gammas"))
        score.prepare(job)
        engine.execute(score.scores_sql(job.comparisons, loaded, "pair_gammas", "pair_score", 0.0))
        total = float(engine.fetch("SELECT match_weight FROM pair_score")[0][0])
        gammas = engine.fetch(
            "SELECT " + ", ".join(c.gamma_column for c in job.comparisons) + " FROM pair_gammas"
        )[0]
        adjustments: dict[str, float] = {}
        joins = score.tf_joins(job.comparisons, "g")
        for comparison in job.comparisons:
            sql = score.tf_adjustment_sql(comparison, loaded, "g")
            if sql is None:
                continue
            value = engine.fetch(f"SELECT {sql} FROM pair_gammas g{joins}")[0][0]
            if value:
                adjustments[comparison.name] = float(value)
        explained = []
        right_table = "raw_l" if right_path is None else "raw_r"
        for comparison, gamma in zip(job.comparisons, gammas, strict=True):
            params = loaded.parameters(comparison.name)
            fields = ", ".join(comparison.fields)
            left_row = engine.fetch(
                f"SELECT {fields} FROM raw_l WHERE record_id = {_quote(left_id)}"
            )[0]
            right_row = engine.fetch(
                f"SELECT {fields} FROM {right_table} WHERE record_id = {_quote(right_id)}"
            )[0]
            explained.append(
                ExplainedComparison(
                    name=comparison.name,
                    description=comparison.description,
                    left_values=dict(zip(comparison.fields, left_row, strict=True)),
                    right_values=dict(zip(comparison.fields, right_row, strict=True)),
                    level=comparison.levels[gamma].label,
                    match_weight=params.levels[gamma].weight,
                )
            )
    finally:
        engine.close()
    return Explanation(
        left_id=left_id,
        right_id=right_id,
        prior_weight=loaded.prior_weight,
        comparisons=tuple(explained),
        frequency_adjustments=adjustments,
        match_weight=total,
    )


def _trained_on(model: Model, side: str) -> Path:
    recorded = model.inputs.get(side)
    if not recorded:
        raise InputError(f"the model does not record its {side} input file; give it with --{side}")
    path = Path(recorded)
    if not path.exists():
        raise InputError(
            f"the model was trained on {path}, which no longer exists; give the file with --{side}"
        )
    return path
