"""`soar demo`: the whole pipeline on synthetic data, on the embedded defaults."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path
from typing import Annotated

import typer

from soar.cases.demo import run_demo
from soar.cli.app import app, console, progress_bar
from soar.cli.generate import print_summary
from soar.cli.ingest import print_report
from soar.cli.pipeline import print_funnel, print_link
from soar.cli.web import DEFAULT_HOST, DEFAULT_PORT, run_server
from soar.ingest.extracts import ingest_generated
from soar.pipeline.leads import build_leads, write_leads
from soar.pipeline.link import link_workspace
from soar.synth.generate import generate
from soar.workspace import Workspace, init

DEMO_PERSONS = 20_000
DEMO_SEED = 2021
#: The synthetic extracts are "as of" this day (soar.synth.population.AS_OF).
AS_OF = dt.date(2026, 6, 1)
DEMO_POLICIES = ("2017-02", "2021-02-interim", "2021-09-guidelines")


@app.command("demo")
def demo_command(
    home: Annotated[
        Path, typer.Option("--home", help="Folder for the demo's data (replaced on each run).")
    ] = Path("soar-data/demo"),
    persons: Annotated[
        int, typer.Option("--persons", help="People in the demo population.")
    ] = DEMO_PERSONS,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve",
            help="Afterwards, serve the demo workspace's web app, with demo logins printed.",
        ),
    ] = False,
) -> None:
    """Run the pipeline on synthetic data, start to end.

    Generate a population, ingest every extract, link, decide leads under each policy,
    then work cases in the case store with demo users (review, approval, detainers,
    arrests), printing the funnel at each step.
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

    console.rule("3. link registry records to immigration records; dedupe; link bookings")
    with progress_bar() as report:
        linked = link_workspace(workspace, progress=report)
    print_link(linked)

    console.rule(f"4. leads as of {AS_OF}, citizenship safeguards first")
    for policy_id in DEMO_POLICIES:
        leads, funnel, policy = build_leads(workspace, policy_id=policy_id, as_of=AS_OF)
        console.print(f"Policy {policy.id}: {policy.title}", highlight=False)
        print_funnel(funnel)
    leads, funnel, policy = build_leads(workspace, as_of=AS_OF)
    jsonl = write_leads(leads, workspace.reports / "leads.csv")
    console.print(
        f"Policy in force on {AS_OF}: {policy.id}; {len(leads):,} leads written to "
        f"{workspace.reports / 'leads.csv'}",
        highlight=False,
    )

    console.rule("5. cases: review, two-person approval, detainers and arrests (demo users)")
    result = run_demo(workspace, jsonl, today=AS_OF)
    steps = " → ".join(f"{name} {count:,}" for name, count in result.funnel.items())
    console.print(steps, highlight=False)
    console.print(
        f"Audit chain: {result.audit_entries:,} entries, "
        f"{'verified' if result.audit_ok else 'BROKEN'}; case store {workspace.database_url()}",
        highlight=False,
    )
    if serve:
        serve_demo(workspace, result.usernames)
    else:
        console.print(
            f"See it in the web app: soar demo --serve, or soar serve --home {workspace.home} "
            "with users that have passwords",
            highlight=False,
        )


def serve_demo(workspace: Workspace, usernames: list[str]) -> None:
    """Give the demo users a printed password and serve the demo workspace."""
    from soar.cases import db
    from soar.web.demo import enable_demo_logins

    console.rule("6. the web application on the demo workspace")
    store = db.open_store(workspace.database_url())
    try:
        password = enable_demo_logins(store, usernames)
    finally:
        store.close()
    console.print(
        f"Open http://{DEFAULT_HOST}:{DEFAULT_PORT}/ and log in as any demo user "
        f"(this run only, password {password}):",
        highlight=False,
    )
    for username in usernames:
        console.print(f"  {username}", highlight=False)
    run_server(workspace, DEFAULT_HOST, DEFAULT_PORT)
