"""`soar init` and `soar ingest`: a workspace, and source extracts loaded into it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from soar.cli.app import HomeOption, app, console, progress_bar
from soar.ingest.run import IngestReport, ingest
from soar.workspace import init, resolve


@app.command("init")
def init_command(
    home: Annotated[
        Path | None,
        typer.Argument(help="Folder to create (default: $SOAR_HOME, else ./soar-data)."),
    ] = None,
) -> None:
    """Create a workspace (config, records, quarantine, reports)."""
    workspace = init(resolve(home).home)
    console.print(f"Workspace ready at {workspace.home.resolve()}", highlight=False)


@app.command("ingest")
def ingest_command(
    path: Annotated[Path, typer.Argument(help="The extract: CSV, JSON lines or Parquet.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="What the file holds: registry, offense, immigration, booking, naturalization.",
        ),
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping", help="Mapping file (TOML); not needed when columns are canonical."
        ),
    ] = None,
    jurisdiction: Annotated[
        str | None,
        typer.Option(
            "--jurisdiction", help="Jurisdiction code (e.g. TX) when the mapping has none."
        ),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Load an extract; unusable rows go to quarantine.

    Rows read = loaded + quarantined; each quarantined row keeps its file, line, raw text
    and a reason. The same file twice changes nothing; a newer extract of the same source
    replaces the previous one and reports new, changed and removed records.
    """
    with progress_bar() as report:
        result = ingest(
            path,
            kind,
            workspace=resolve(home),
            mapping_path=mapping,
            jurisdiction=jurisdiction,
            progress=report,
        )
    print_report(result)


def print_report(report: IngestReport) -> None:
    """The reconciled counts of one ingest, in a few lines."""
    if report.unchanged:
        console.print(
            f"{report.path.name} → {report.source}: already ingested (same content); nothing "
            "changed",
            highlight=False,
        )
        return
    console.print(
        f"{report.path.name} → {report.source}: {report.rows_read:,} rows read = "
        f"{report.loaded:,} loaded + {report.quarantined:,} quarantined",
        highlight=False,
    )
    if report.offenses_read:
        console.print(
            f"  offenses: {report.offenses_read:,} = {report.offenses_loaded:,} loaded + "
            f"{report.offenses_quarantined:,} quarantined",
            highlight=False,
        )
    if report.sentinels:
        detail = ", ".join(f"{name} {count:,}" for name, count in sorted(report.sentinels.items()))
        console.print(
            f"  sentinels made missing: {sum(report.sentinels.values()):,} ({detail})",
            highlight=False,
        )
    console.print(
        f"  against the previous extract: {report.new:,} new, {report.changed:,} changed, "
        f"{report.removed:,} removed",
        highlight=False,
    )
    if report.quarantine_file:
        console.print(f"  quarantine: {report.quarantine_file}", highlight=False)
