"""`soar ingest`: one source file into the workspace, all or nothing, nothing lost.

rows read = loaded + quarantined, always. A quarantined row keeps its file, line, raw text
and the reason in `quarantine/SOURCE/LOAD/quarantine.csv`. Ingesting the same file again
changes nothing; a newer extract of the same source replaces the previous one and reports
new, changed and removed records.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from soar.errors import InputError
from soar.ingest.mapping import Mapping, canonical_mapping, load_mapping
from soar.ingest.readers import (
    JSON,
    LINE,
    RAW,
    RawTable,
    detect_format,
    quote_identifier,
    quote_literal,
    read,
)
from soar.ingest.standardise import standardise
from soar.ingest.store import Store, file_sha256
from soar.ingest.transform import Transform, embedded_offenses
from soar.schema import SENTINELS, SourceKind, fields_for
from soar.workspace import Workspace

Progress = Callable[[int, int, str], None]


@dataclass
class IngestReport:
    """What one ingest did, in numbers that reconcile."""

    path: Path
    source: str
    kind: str
    load_id: str
    unchanged: bool = False
    rows_read: int = 0
    loaded: int = 0
    quarantined: int = 0
    offenses_read: int = 0
    offenses_loaded: int = 0
    offenses_quarantined: int = 0
    sentinels: dict[str, int] = field(default_factory=dict)
    new: int = 0
    changed: int = 0
    removed: int = 0
    quarantine_file: Path | None = None
    encoding: str = ""

    def as_entry(self, sha256: str) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "load_id": self.load_id,
            "file": str(self.path),
            "sha256": sha256,
            "encoding": self.encoding,
            "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "rows_read": self.rows_read,
            "loaded": self.loaded,
            "quarantined": self.quarantined,
            "offenses_loaded": self.offenses_loaded,
            "offenses_quarantined": self.offenses_quarantined,
            "sentinels": self.sentinels,
            "new": self.new,
            "changed": self.changed,
            "removed": self.removed,
        }


def source_key(
    kind: SourceKind, mapping: Mapping | None, jurisdiction: str | None, path: Path
) -> str:
    """A source is a kind of extract from one jurisdiction (or, without one, one file name)."""
    where = jurisdiction or (mapping.jurisdiction if mapping else None)
    if where:
        return f"{kind.value}-{where}"
    return kind.value if path.stem == kind.value else f"{kind.value}-{path.stem}"


def ingest(
    path: Path,
    kind: str,
    *,
    workspace: Workspace,
    mapping_path: Path | None = None,
    jurisdiction: str | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest `path` as records of `kind` into `workspace`."""
    workspace.require()
    try:
        source_kind = SourceKind(kind)
    except ValueError:
        raise InputError(
            f"--kind {kind!r} is not one of {', '.join(k.value for k in SourceKind)}"
        ) from None
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file")
    mapping = load_mapping(mapping_path, source_kind) if mapping_path else None
    key = source_key(source_kind, mapping, jurisdiction, path)
    store = Store(workspace)
    sha256 = file_sha256(path)
    current = store.current(key)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    report = IngestReport(
        path=path, source=key, kind=source_kind.value, load_id=f"{stamp}-{sha256[:10]}"
    )
    if current and current["sha256"] == sha256:
        report.unchanged = True
        for name in (
            "rows_read",
            "loaded",
            "quarantined",
            "offenses_loaded",
            "offenses_quarantined",
        ):
            setattr(report, name, current[name])
        report.load_id = current["load_id"]
        return report

    records_dir, quarantine_dir = store.staging(report.load_id)
    # In memory, spilling to the staging folder when a file outgrows it.
    connection = duckdb.connect()
    try:
        connection.execute("SET enable_progress_bar = false")
        connection.execute(f"SET temp_directory = {quote_literal(str(records_dir / 'tmp'))}")
        _load(
            connection,
            path,
            source_kind,
            mapping,
            report,
            records_dir,
            quarantine_dir,
            current,
            workspace,
            jurisdiction,
            progress,
        )
    except BaseException:
        connection.close()
        shutil.rmtree(records_dir, ignore_errors=True)
        shutil.rmtree(quarantine_dir, ignore_errors=True)
        raise
    connection.close()
    shutil.rmtree(records_dir / "tmp", ignore_errors=True)
    store.commit(key, report.load_id, report.as_entry(sha256))
    if report.quarantined or report.offenses_quarantined:
        report.quarantine_file = workspace.quarantine / key / report.load_id / "quarantine.csv"
    return report


def _load(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    kind: SourceKind,
    mapping: Mapping | None,
    report: IngestReport,
    records_dir: Path,
    quarantine_dir: Path,
    current: dict[str, Any] | None,
    workspace: Workspace,
    jurisdiction: str | None,
    progress: Progress | None,
) -> None:
    def step(done: int, description: str) -> None:
        if progress:
            progress(done, 5, description)

    step(0, f"reading {path.name}")
    fmt = detect_format(path, mapping.format if mapping else None)
    raw = read(
        connection,
        path,
        fmt=fmt,
        encoding=mapping.encoding if mapping else None,
        delimiter=mapping.delimiter if mapping else None,
        scratch=records_dir,
    )
    report.encoding = raw.encoding
    if mapping is None:
        if raw.format == "jsonl":
            raise InputError(
                f"{path}: a JSON lines file needs a mapping file (--mapping) naming its fields"
            )
        mapping = canonical_mapping(kind, raw.columns)
    where = jurisdiction or mapping.jurisdiction
    if kind is SourceKind.REGISTRY and where and not mapping.sources_of("jurisdiction"):
        mapping = replace(mapping, constants={"jurisdiction": where, **mapping.constants})
    step(1, "mapping to canonical fields")
    transform = Transform(connection, raw, mapping, str(path))
    transform.build()
    offenses = (
        embedded_offenses(connection, raw, mapping, str(path))
        if kind is SourceKind.REGISTRY
        else None
    )
    report.sentinels = _sentinel_counts(connection, raw, mapping)
    standard = standardise(connection, "canonical", LINE) if kind is not SourceKind.OFFENSE else []

    step(2, "writing records")
    fields = ", ".join(quote_identifier(f) for f in (*fields_for(kind), *standard))
    provenance = (
        f"{quote_literal(str(path))} AS source_file, {LINE} AS source_line, "
        f"{quote_literal(report.load_id)} AS load_id"
    )
    target = records_dir / "records.parquet"
    connection.execute(
        f"COPY (SELECT {fields}, {provenance} FROM canonical WHERE __reason IS NULL ORDER BY "
        f"{LINE}) "
        f"TO {quote_literal(str(target))} (FORMAT PARQUET)"
    )
    counts = connection.execute(
        "SELECT count(*) FILTER (WHERE __reason IS NULL), count(*) FILTER (WHERE __reason IS "
        "NOT NULL) FROM canonical"
    ).fetchone()
    assert counts is not None
    report.loaded, report.quarantined = int(counts[0]), int(counts[1]) + len(raw.rejects)
    report.rows_read = raw.rows + len(raw.rejects)
    if report.rows_read != report.loaded + report.quarantined:
        raise AssertionError(
            f"{path}: {report.rows_read} read != {report.loaded} + {report.quarantined}"
        )

    if offenses is not None:
        offense_fields = ", ".join(quote_identifier(f) for f in fields_for(SourceKind.OFFENSE))
        # Offenses of a quarantined registry row are quarantined with it.
        connection.execute(
            "CREATE TABLE offense_final AS SELECT o.*, CASE WHEN o.__reason IS NOT NULL THEN "
            "o.__reason "
            "WHEN c.__reason IS NOT NULL THEN 'its registry row on line ' || c.__line || ' was "
            "quarantined' "
            "END AS __why FROM offense_canonical o LEFT JOIN canonical c ON o.__line = c.__line"
        )
        connection.execute(
            f"COPY (SELECT {offense_fields}, {provenance} FROM offense_final WHERE __why IS "
            f"NULL ORDER BY {LINE}) "
            f"TO {quote_literal(str(records_dir / 'offenses.parquet'))} (FORMAT PARQUET)"
        )
        ocounts = connection.execute(
            "SELECT count(*) FILTER (WHERE __why IS NULL), count(*) FILTER (WHERE __why IS NOT "
            "NULL) FROM offense_final"
        ).fetchone()
        assert ocounts is not None
        report.offenses_loaded, report.offenses_quarantined = int(ocounts[0]), int(ocounts[1])
        report.offenses_read = report.offenses_loaded + report.offenses_quarantined

    step(3, "writing quarantine")
    _write_quarantine(
        connection, raw, path, quarantine_dir / "quarantine.csv", offenses is not None
    )
    step(4, "comparing with the previous extract")
    if current is not None:
        _compare(
            connection, workspace.home / current["folder"] / "records.parquet", target, kind, report
        )
    else:
        report.new = report.loaded
    step(5, "done")


def _sentinel_counts(
    connection: duckdb.DuckDBPyConnection, raw: RawTable, mapping: Mapping
) -> dict[str, int]:
    """How many values of each canonical field were sentinels (UNKNOWN, 000000000, a
    1900-01-01 birth date...), now missing."""
    sentinels = ", ".join(quote_literal(s) for s in sorted(SENTINELS))
    columns = [(c, t[0]) for c, t in mapping.columns.items() if "aliases" not in t]
    counts: dict[str, int] = {}
    if columns:
        parts = ", ".join(
            f"count(*) FILTER (WHERE upper({raw.expression(c)}) IN ({sentinels}))"
            for c, _ in columns
        )
        row = connection.execute(f"SELECT {parts} FROM {RAW}").fetchone()
        assert row is not None
        for (_, name), value in zip(columns, row, strict=True):
            if value:
                counts[name] = counts.get(name, 0) + int(value)
    if "dob" in fields_for(mapping.kind):
        # Dates that parse to a sentinel day are emptied by the transform.
        hit = connection.execute(
            f"SELECT count(*) FROM mapped m JOIN canonical c USING ({LINE}) "
            f"WHERE m.dob IS NOT NULL AND c.dob IS NULL AND c.__reason IS NULL"
        ).fetchone()
        if hit and hit[0]:
            counts["dob"] = counts.get("dob", 0) + int(hit[0])
    return counts


def _write_quarantine(
    connection: duckdb.DuckDBPyConnection, raw: RawTable, path: Path, target: Path, offenses: bool
) -> None:
    """Every row that did not load: file, line, reason, and the raw row as the file had it."""
    if raw.format == "jsonl":
        raw_text = f"r.{JSON}"
    else:
        # Qualified: DuckDB names are case-insensitive, so LAST_NAME would clash with last_name.
        pairs = ", ".join(f"{quote_literal(c)}: r.{quote_identifier(c)}" for c in raw.columns)
        raw_text = f"to_json({{{pairs}}})"
    connection.execute(
        "CREATE TABLE quarantine (source_file VARCHAR, line BIGINT, reason VARCHAR, raw VARCHAR)"
    )
    file_literal = quote_literal(str(path))
    connection.execute(
        f"INSERT INTO quarantine SELECT {file_literal}, c.{LINE}, c.__reason, {raw_text} "
        f"FROM canonical c JOIN {RAW} r ON c.{LINE} = r.{LINE} WHERE c.__reason IS NOT NULL"
    )
    if offenses:
        connection.execute(
            f"INSERT INTO quarantine SELECT {file_literal}, o.{LINE}, 'offense: ' || o.__why, "
            f"{raw_text} "
            f"FROM offense_final o JOIN {RAW} r ON o.{LINE} = r.{LINE} WHERE o.__why IS NOT NULL"
        )
    for reject in raw.rejects:
        connection.execute(
            "INSERT INTO quarantine VALUES (?, ?, ?, ?)",
            [str(path), reject.line, reject.reason, reject.raw],
        )
    connection.execute(
        "COPY (SELECT * FROM quarantine ORDER BY line, reason) TO "
        f"{quote_literal(str(target))} (FORMAT CSV, HEADER)"
    )


def _compare(
    connection: duckdb.DuckDBPyConnection,
    previous: Path,
    current: Path,
    kind: SourceKind,
    report: IngestReport,
) -> None:
    """New, changed and removed records against the previous extract of the same source."""
    if kind is SourceKind.OFFENSE or not previous.is_file():
        report.new = report.loaded
        return
    fields = ", ".join(quote_identifier(f) for f in fields_for(kind) if f != "record_id")
    row_hash = f"md5(concat_ws('|', {fields}))"
    old = f"(SELECT record_id, {row_hash} AS h FROM read_parquet({quote_literal(str(previous))}))"
    new = f"(SELECT record_id, {row_hash} AS h FROM read_parquet({quote_literal(str(current))}))"
    connection.execute(
        "COPY (SELECT COALESCE(n.record_id, o.record_id) AS record_id, CASE WHEN o.record_id "
        "IS NULL "
        f"THEN 'new' WHEN n.record_id IS NULL THEN 'removed' WHEN o.h <> n.h THEN 'changed' "
        f"ELSE 'unchanged' END AS change FROM {new} n FULL OUTER JOIN {old} o USING (record_id)) "
        f"TO {quote_literal(str(current.with_name('changes.parquet')))} (FORMAT PARQUET)"
    )
    counts = connection.execute(
        "SELECT count(*) FILTER (WHERE change = 'new'), count(*) FILTER (WHERE change = "
        "'changed'), "
        f"count(*) FILTER (WHERE change = 'removed') FROM read_parquet("
        f"{quote_literal(str(current.with_name('changes.parquet')))})"
    ).fetchone()
    assert counts is not None
    report.new, report.changed, report.removed = (int(v) for v in counts)
