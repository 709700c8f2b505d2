"""`soar generate`: make a synthetic population with its source extracts and ground truth."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from soar.cli.app import app, console, progress_bar
from soar.synth.generate import Summary, generate


@app.command("generate")
def generate_command(
    out: Annotated[
        Path,
        typer.Option("--out", help="Folder to create with the extracts, truth and README.txt."),
    ],
    persons: Annotated[int, typer.Option("--persons", help="How many people to invent.")] = 10_000,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed gives the same files.")
    ] = 1,
    force: Annotated[
        bool, typer.Option("--force", help="Replace --out if it already exists.")
    ] = False,
) -> None:
    """Invent a population, its source extracts and the truth.

    Registry extracts in four layouts, an immigration and a jail-booking extract, with
    noise at stated rates, hard negatives, truth.csv, people.csv and README.txt.
    """
    started = time.perf_counter()
    with progress_bar() as report:
        summary = generate(persons, seed, out, force=force, progress=report)
    print_summary(summary, time.perf_counter() - started)


def print_summary(summary: Summary, seconds: float) -> None:
    """What `generate` made, in a few lines a person can check."""
    console.print(
        f"Generated {summary.persons:,} persons (seed {summary.seed}) in {seconds:.1f} s "
        f"into {summary.out}",
        highlight=False,
    )
    for path, count in sorted(summary.records.items()):
        console.print(f"  {path:42} {count:>10,}", highlight=False)
    negatives = ", ".join(f"{kind} {count:,}" for kind, count in summary.hard_negatives.items())
    console.print(f"  hard negatives: {negatives}", highlight=False)
    console.print(f"  noise rates: see {summary.out / 'README.txt'}", highlight=False)
