"""`match` and `dedupe`: run the pipeline on files, return pairs, clusters and the model."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from soar.errors import InputError
from soar.linkage.comparisons import Comparison, comparisons_for
from soar.linkage.engines.base import Engine
from soar.linkage.engines.duckdb import DuckDBEngine
from soar.linkage.job import LinkJob, Progress, RuleReport, Settings
from soar.linkage.model import Model
from soar.linkage.pipeline import run_steps
from soar.linkage.steps.standardise import COMPARABLE
from soar.linkage.tables import input_path, write_table

PathLike = str | Path


@dataclass(slots=True)
class MatchResult:
    """Scored pairs at or above the threshold, the model that scored them, and the run's report.

    `pairs` (left_id, right_id, match_probability, match_weight) is None when the engine
    wrote them to a path itself (`out=`): on Spark they never come to the driver.
    """

    pairs: pa.Table | None
    model: Model
    blocking: list[RuleReport]
    candidate_pairs: int
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    pair_count: int = 0

    def write(self, path: PathLike) -> None:
        """Write the pairs to CSV or Parquet (by suffix), atomically."""
        if self.pairs is None:
            raise InputError(
                "the engine wrote these pairs to the run's output path already; read them there"
            )
        write_table(self.pairs, Path(path))


@dataclass(slots=True)
class DedupeResult(MatchResult):
    """A dedupe's pairs plus `clusters` (record_id, cluster_id) for every record.

    `clusters` is None when the engine wrote them to a path itself (`out=`).
    """

    clusters: pa.Table | None = None
    record_count: int = 0
    cluster_count: int = 0


def known_comparisons() -> dict[str, Comparison]:
    """Every comparison this version can run, by name (to rebuild a saved model's)."""
    return {c.name: c for c in comparisons_for(frozenset(COMPARABLE))}


def comparisons_of(model: Model, source: str) -> tuple[Comparison, ...]:
    """The comparisons a loaded model was trained with, checked against this version."""
    known = known_comparisons()
    model.check_against(tuple(known.values()), source)
    return tuple(known[params.name] for params in model.comparisons)


def _load_model(model: Model | PathLike | None) -> Model | None:
    if model is None or isinstance(model, Model):
        return model
    return Model.load(Path(model))


def pairs_sql() -> str:
    return (
        "SELECT l.record_id AS left_id, r.record_id AS right_id, "
        "round(s.match_probability, 6) AS match_probability, "
        "round(s.match_weight, 4) AS match_weight FROM scores s "
        "JOIN std_l l ON l.rid = s.l_rid JOIN std_r r ON r.rid = s.r_rid "
        "ORDER BY left_id, right_id"
    )


def _pairs(engine: Engine, out: PathLike | None) -> tuple[pa.Table | None, int]:
    """The scored pairs, collected, or written by the engine to `out` and counted."""
    if out is None:
        pairs = engine.fetch_arrow(pairs_sql())
        return pairs, pairs.num_rows
    return None, engine.write(pairs_sql(), str(out))


def _run(
    left: PathLike,
    right: PathLike | None,
    *,
    threshold: float,
    model: Model | PathLike | None,
    one_to_one: bool,
    settings: Settings | None,
    progress: Progress | None,
    engine: Engine | None = None,
) -> tuple[LinkJob, Engine]:
    if not 0.0 <= threshold <= 1.0:
        raise InputError(f"threshold {threshold} is not a probability; give one in [0, 1]")
    loaded = _load_model(model)
    # The engine hook: DuckDB unless the caller brings another (e.g. SparkEngine).
    engine = engine if engine is not None else DuckDBEngine()
    job = LinkJob(
        engine=engine,
        left=input_path(left),
        right=input_path(right) if right is not None else None,
        settings=settings or Settings(),
        threshold=threshold,
        one_to_one=one_to_one,
        model=loaded,
        progress=progress,
    )
    if loaded is not None:
        expected = "dedupe" if right is None else "link"
        if loaded.link_type != expected:
            raise InputError(
                f"the model was trained for a {loaded.link_type}, not a {expected}; "
                "train one on this kind of run"
            )
        job.comparisons = comparisons_of(loaded, str(model))
    try:
        run_steps(job)
    except BaseException:
        engine.close()
        raise
    return job, engine


def match(
    left: PathLike,
    right: PathLike,
    *,
    threshold: float = 0.5,
    model: Model | PathLike | None = None,
    one_to_one: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
    out: PathLike | None = None,
) -> MatchResult:
    """Link two files of person records; unsupervised unless a trained `model` is given.

    Returns every pair with match probability at or above `threshold`; with `one_to_one`,
    each record keeps at most its single best link. With `out` (.csv or .parquet) the
    engine writes the pairs there instead (Spark: from the executors, as a folder of parts).
    """
    started = time.perf_counter()
    job, engine = _run(
        left,
        right,
        threshold=threshold,
        model=model,
        one_to_one=one_to_one,
        settings=settings,
        progress=progress,
        engine=engine,
    )
    try:
        written = time.perf_counter()
        pairs, count = _pairs(engine, out)
        job.timings["write"] = round(time.perf_counter() - written, 3)
    finally:
        engine.close()
    assert job.model is not None
    return MatchResult(
        pairs=pairs,
        model=job.model,
        blocking=job.blocking_report,
        candidate_pairs=job.candidate_pairs,
        warnings=job.warnings,
        timings=job.timings,
        seconds=round(time.perf_counter() - started, 3),
        pair_count=count,
    )


def dedupe(
    records: PathLike,
    *,
    threshold: float = 0.5,
    model: Model | PathLike | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    engine: Engine | None = None,
    out: PathLike | None = None,
    pairs_out: PathLike | None = None,
) -> DedupeResult:
    """Find the records of one file that are the same person; cluster them.

    Clusters are connected components of the pairs at or above `threshold`; a record with
    no link is its own cluster. `cluster_id` is the smallest record_id of the cluster.
    With `out`, the engine writes the clusters there itself (and the pairs to `pairs_out`,
    if given; not at all otherwise) instead of returning them.
    """
    started = time.perf_counter()
    job, engine = _run(
        records,
        None,
        threshold=threshold,
        model=model,
        one_to_one=False,
        settings=settings,
        progress=progress,
        engine=engine,
    )
    # Labels are the smallest rid of a cluster, and rids follow record_id order.
    clusters_sql = (
        "SELECT s.record_id, m.record_id AS cluster_id "
        "FROM clusters c JOIN std_l s ON s.rid = c.rid "
        "JOIN std_l m ON m.rid = c.cluster_rid ORDER BY s.record_id"
    )
    clusters: pa.Table | None = None
    try:
        written = time.perf_counter()
        if out is None:
            pairs, count = _pairs(engine, pairs_out)
            clusters = engine.fetch_arrow(clusters_sql)
        else:
            engine.write(clusters_sql, str(out))
            if pairs_out is not None:
                pairs, count = _pairs(engine, pairs_out)
            else:
                pairs, count = None, int(engine.fetch("SELECT count(*) FROM scores")[0][0])
        record_count, cluster_count = engine.fetch(
            "SELECT count(*), count(DISTINCT cluster_rid) FROM clusters"
        )[0]
        job.timings["write"] = round(time.perf_counter() - written, 3)
    finally:
        engine.close()
    assert job.model is not None
    return DedupeResult(
        pairs=pairs,
        model=job.model,
        blocking=job.blocking_report,
        candidate_pairs=job.candidate_pairs,
        warnings=job.warnings,
        timings=job.timings,
        seconds=round(time.perf_counter() - started, 3),
        pair_count=count,
        clusters=clusters,
        record_count=int(record_count),
        cluster_count=int(cluster_count),
    )
