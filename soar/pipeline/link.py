"""`soar link`: link a workspace's ingested records and write the results to `linkage/`.

Registry records are linked against immigration records (pairs at or above the review
threshold are kept, each with its probability), deduplicated across jurisdictions (one
person registered in two states is one cluster), and jail bookings are linked to the
registry. Everything is written to a staging folder and moved into place at the end, so
a failed run leaves the previous results whole.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from soar.errors import InputError
from soar.ingest.store import Store
from soar.linkage import Model, dedupe, match
from soar.linkage.engines import Engine, make_engine
from soar.schema import PERSON_FIELDS
from soar.workspace import Workspace

Progress = Callable[[int, int, str], None]
OUTPUTS = (
    "registry.parquet",
    "immigration.parquet",
    "booking.parquet",
    "pairs.parquet",
    "model.json",
    "registry_clusters.parquet",
    "booking_pairs.parquet",
    "naturalization.parquet",
    "certificate_pairs.parquet",
    "run.json",
)


@dataclass
class LinkReport:
    """Counts of one linkage run."""

    registry_records: int = 0
    immigration_records: int = 0
    booking_records: int = 0
    pairs_for_review: int = 0
    pairs_matched: int = 0
    registry_persons: int = 0
    booking_links: int = 0
    certificate_records: int = 0
    certificate_links: int = 0
    threshold: float = 0.5
    review_threshold: float = 0.2
    seconds: dict[str, float] = field(default_factory=dict)


def _inputs(store: Store, kind: str, target: Path) -> int:
    """The canonical person fields of every `kind` source, in one Parquet file."""
    files = [str(path) for path in store.files(kind)]
    if not files:
        return 0
    columns = ", ".join(f'"{name}"' for name in PERSON_FIELDS)
    duckdb.sql(
        f"COPY (SELECT {columns} FROM read_parquet({files}, union_by_name = true) "
        f"ORDER BY record_id) TO '{target}' (FORMAT PARQUET)"
    )
    rows = duckdb.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchall()
    return int(rows[0][0])


def link_workspace(
    workspace: Workspace,
    progress: Progress | None = None,
    *,
    engine: str = "duckdb",
    spark_master: str = "local[*]",
) -> LinkReport:
    """Link registry to immigration records, dedupe the registry, link bookings.

    `engine` is duckdb or spark; Spark settings come from the `[spark]` table of config.toml
    (e.g. `"spark.executor.memory" = "8g"`).
    """
    workspace.require()
    settings = workspace.config().get("linkage", {})
    spark_config = {str(k): str(v) for k, v in workspace.config().get("spark", {}).items()}

    def runner() -> Engine:
        return make_engine(engine, spark_master=spark_master, spark_config=spark_config)

    report = LinkReport(
        threshold=float(settings.get("threshold", 0.5)),
        review_threshold=float(settings.get("review_threshold", 0.2)),
    )
    if not 0 < report.review_threshold <= report.threshold <= 1:
        raise InputError(
            f"{workspace.config_path}: need 0 < review_threshold <= threshold <= 1 in [linkage]"
        )
    store = Store(workspace)
    staging = workspace.linkage / ".staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)

    def step(done: int, text: str) -> None:
        if progress:
            progress(done, 4, text)

    def link(
        left: str, right: str, threshold: float, timing: str, out: str
    ) -> tuple[pa.Table, Model]:
        """Match two staged files, time it, keep the pairs (collected on every engine: they
        become leads or citizenship flags in the case store)."""
        started = time.perf_counter()
        result = match(staging / left, staging / right, threshold=threshold, engine=runner())
        report.seconds[timing] = round(time.perf_counter() - started, 1)
        assert result.pairs is not None, "match() without out= returns the pairs"
        pq.write_table(result.pairs, staging / out)
        return result.pairs, result.model

    try:
        step(0, "collecting ingested records")
        report.registry_records = _inputs(store, "registry", staging / "registry.parquet")
        report.immigration_records = _inputs(store, "immigration", staging / "immigration.parquet")
        report.booking_records = _inputs(store, "booking", staging / "booking.parquet")
        report.certificate_records = _inputs(
            store, "naturalization", staging / "naturalization.parquet"
        )
        if not report.registry_records or not report.immigration_records:
            raise InputError(
                "link needs registry and immigration records in the workspace; "
                "ingest them first with `soar ingest PATH --kind registry|immigration`"
            )
        step(1, "linking registry to immigration records")
        matched, model = link(
            "registry.parquet",
            "immigration.parquet",
            report.review_threshold,
            "registry_immigration",
            "pairs.parquet",
        )
        model.save(staging / "model.json")
        probabilities = matched.column("match_probability").to_pylist()
        report.pairs_matched = sum(
            1 for p in probabilities if p is not None and p >= report.threshold
        )
        report.pairs_for_review = len(probabilities) - report.pairs_matched

        step(2, "finding registrants registered in more than one state")
        started = time.perf_counter()
        clusters = dedupe(staging / "registry.parquet", threshold=report.threshold, engine=runner())
        report.seconds["registry_dedupe"] = round(time.perf_counter() - started, 1)
        assert clusters.clusters is not None, "dedupe() without out= returns the clusters"
        pq.write_table(clusters.clusters, staging / "registry_clusters.parquet")
        report.registry_persons = clusters.cluster_count

        step(3, "linking jail bookings to registrants")
        if report.booking_records:
            bookings, _ = link(
                "booking.parquet",
                "registry.parquet",
                report.threshold,
                "booking_registry",
                "booking_pairs.parquet",
            )
            report.booking_links = bookings.num_rows
        if report.certificate_records:
            # Registrants against USCIS certificates: a naturalized citizen whose A-file still
            # says permanent resident shows here (GAO-21-487). Pairs down to the review
            # threshold are kept: for citizenship, a weak sign is still a sign.
            certificates, _ = link(
                "registry.parquet",
                "naturalization.parquet",
                report.review_threshold,
                "registry_certificates",
                "certificate_pairs.parquet",
            )
            report.certificate_links = certificates.num_rows
        (staging / "run.json").write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
        for name in OUTPUTS:
            if (staging / name).exists():
                (staging / name).replace(workspace.linkage / name)
        step(4, "done")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report
