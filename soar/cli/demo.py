"""`soar demo`: the whole pipeline on synthetic data, on the embedded defaults."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Annotated

import typer

from soar.cli.app import app, console, progress_bar
from soar.cli.generate import print_summary
from soar.cli.ingest import print_report
from soar.ingest.extracts import ingest_generated
from soar.synth.generate import generate
from soar.workspace import init

DEMO_PERSONS = 20_000
DEMO_SEED = 2021


@app.command("demo")
def demo_command(
    home: Annotated[
        Path, typer.Option("--home", help="Folder for the demo's data (replaced on each run).")
    ] = Path("soar-data/demo"),
    persons: Annotated[
        int, typer.Option("--persons", help="People in the demo population.")
    ] = DEMO_PERSONS,
) -> None:
    """Run the pipeline on synthetic data, start to end.

    Today: generate a population, then ingest every extract into a fresh workspace.
    """
    home.mkdir(parents=True, exist_ok=True)
    console.rule("1. generate a synthetic population with its source extracts")
    started = time.perf_counter()
    with progress_bar() as report:
        summary = generate(persons, DEMO_SEED, home / "source", force=True, progress=report)
    print_summary(summary, time.perf_counter() - started)

    console.rule("2. ingest every extract into a workspace, with its mapping file")
    shutil.rmtree(home / "workspace", ignore_errors=True)
    workspace = init(home / "workspace")
    started = time.perf_counter()
    reports = ingest_generated(home / "source", workspace, on_report=print_report)
    read = sum(r.rows_read for r in reports)
    loaded = sum(r.loaded for r in reports)
    console.print(
        f"Ingested {len(reports)} extracts in {time.perf_counter() - started:.1f} s: "
        f"{read:,} rows read = {loaded:,} loaded + {read - loaded:,} quarantined; "
        f"workspace {workspace.home}",
        highlight=False,
    )
    console.print(
        "Link, leads, cases and report join the demo as each capability lands.", highlight=False
    )
