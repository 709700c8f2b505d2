"""The extracts `soar generate` writes, and how each is ingested (for the demo and tests)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from soar.ingest.run import IngestReport, ingest
from soar.workspace import Workspace

#: (file, kind, mapping file) for each extract of a generated population.
GENERATED_EXTRACTS: tuple[tuple[str, str, str], ...] = (
    ("registry/tx_registry.csv", "registry", "registry/tx.mapping.toml"),
    ("registry/tx_offenses.csv", "offense", "registry/tx.mapping.toml"),
    ("registry/ca_registry.csv", "registry", "registry/ca.mapping.toml"),
    ("registry/fl_registry.jsonl", "registry", "registry/fl.mapping.toml"),
    ("registry/ny_registry.csv", "registry", "registry/ny.mapping.toml"),
    ("registry/ny_offenses.csv", "offense", "registry/ny.mapping.toml"),
    ("immigration/immigration.csv", "immigration", "immigration/immigration.mapping.toml"),
    ("booking/booking.csv", "booking", "booking/booking.mapping.toml"),
    ("uscis/certificates.tsv", "naturalization", "uscis/certificates.mapping.toml"),
)


def ingest_generated(
    source: Path,
    workspace: Workspace,
    on_report: Callable[[IngestReport], None] | None = None,
) -> list[IngestReport]:
    """Ingest every extract of a `soar generate` folder with its mapping file."""
    reports = []
    for name, kind, mapping in GENERATED_EXTRACTS:
        report = ingest(source / name, kind, workspace=workspace, mapping_path=source / mapping)
        if on_report:
            on_report(report)
        reports.append(report)
    return reports
