"""`soar demo`: the whole pipeline on synthetic data, on the embedded defaults."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from soar.cli.app import app, console, progress_bar
from soar.cli.generate import print_summary
from soar.synth.generate import generate

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
    """Run the pipeline on a synthetic population (today: generate it and show what it made)."""
    home.mkdir(parents=True, exist_ok=True)
    console.rule("1. generate a synthetic population with its source extracts")
    started = time.perf_counter()
    with progress_bar() as report:
        summary = generate(persons, DEMO_SEED, home / "source", force=True, progress=report)
    print_summary(summary, time.perf_counter() - started)
    readme = (home / "source" / "README.txt").read_text(encoding="utf-8")
    console.print(readme, highlight=False, markup=False)
    console.print(
        "Ingest, link, leads, cases and report join the demo as each capability lands.",
        highlight=False,
    )
