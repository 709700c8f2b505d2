"""`soar link` and `soar leads`: linkage of a workspace, and leads decided under a policy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from soar.cli.app import app, console, progress_bar
from soar.cli.linkage import EngineOption, SparkMasterOption
from soar.errors import InputError
from soar.linkage.engines import ENGINES
from soar.pipeline.leads import Funnel, build_leads, write_leads
from soar.pipeline.link import LinkReport, link_workspace
from soar.workspace import resolve

HomeOption = Annotated[
    Path | None,
    typer.Option("--home", help="Workspace folder (default: $SOAR_HOME, else ./soar-data)."),
]


@app.command("link")
def link_command(
    home: HomeOption = None,
    engine: EngineOption = "duckdb",
    spark_master: SparkMasterOption = "local[*]",
) -> None:
    """Link registry to immigration records; dedupe the registry; link bookings."""
    if engine not in ENGINES:
        raise InputError(f"--engine {engine}: choose one of {', '.join(ENGINES)}")
    with progress_bar() as report:
        result = link_workspace(
            resolve(home), progress=report, engine=engine, spark_master=spark_master
        )
    print_link(result)


def print_link(report: LinkReport) -> None:
    console.print(
        f"Linked {report.registry_records:,} registry records to "
        f"{report.immigration_records:,} immigration records: {report.pairs_matched:,} pairs "
        f"at or above {report.threshold}, {report.pairs_for_review:,} for review "
        f"(from {report.review_threshold}); {report.registry_persons:,} registrants after "
        f"dedupe across states; {report.booking_links:,} bookings linked"
        + (
            f"; {report.certificate_links:,} registry–USCIS certificate pairs "
            f"(from {report.review_threshold}) among {report.certificate_records:,} certificates"
            if report.certificate_records
            else ""
        ),
        highlight=False,
    )


@app.command("leads")
def leads_command(
    policy: Annotated[
        str | None,
        typer.Option("--policy", help="Policy id (default: the one in force on --as-of)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Decide as of this date (YYYY-MM-DD; default today)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Leads CSV (default: reports/leads.csv); leads.jsonl beside it."
        ),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Decide each linked registrant under a policy, citizenship safeguards first."""
    workspace = resolve(home)
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        raise InputError(f"--as-of {as_of!r} is not a date like 2021-06-04") from None
    leads, funnel, chosen = build_leads(workspace, policy_id=policy, as_of=day)
    target = out or workspace.reports / "leads.csv"
    jsonl = write_leads(leads, target)
    console.print(f"Policy {chosen.id} ({chosen.title}) as of {day}", highlight=False)
    print_funnel(funnel)
    console.print(f"Leads: {target} (and {jsonl.name} for `soar cases import`)", highlight=False)


def print_funnel(funnel: Funnel) -> None:
    undone = (
        f"({funnel.taken_apart:,} dedupe joins of two people undone) " if funnel.taken_apart else ""
    )
    console.print(
        f"  registry records {funnel.registry_records:,} → registrants {funnel.registrants:,} "
        + undone
        + f"→ linked to immigration records {funnel.linked:,} → removable {funnel.removable:,} "
        f"→ not citizenship-blocked {funnel.not_blocked_removable:,} → priority "
        f"{funnel.decisions.get('priority', 0):,}",
        highlight=False,
    )
    decisions = ", ".join(f"{name} {count:,}" for name, count in sorted(funnel.decisions.items()))
    console.print(
        f"  decisions: {decisions}; in custody now {funnel.in_custody:,}; "
        f"weak matches (review band only: confirm identity) {funnel.weak_matches:,}",
        highlight=False,
    )
