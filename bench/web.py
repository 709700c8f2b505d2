"""Page-load times of the review screen and the dashboard on demo data (issue 7).

    python -m bench.web [--persons 200000] [--home DIR] [--views 40]

Runs `soar demo` into DIR (or reuses a finished demo there with --reuse), gives the demo
users a password, and requests pages in-process through the ASGI app (no network: this
measures SOAR's own work — queries, the audited view, the linkage explanation, charts).
The review screen is timed on first view (the explanation starts in the background), then
how long the explanation takes to be ready (`soar explain` on the whole linkage files),
then with it cached; the dashboard as every refresh computes it.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from bench.harness import table
from soar.cases import db
from soar.cases.demo import ANALYST, AUDITOR
from soar.cases.models import Case
from soar.cli.demo import demo_command
from soar.web import WebSettings, create_app
from soar.web.demo import enable_demo_logins
from soar.workspace import Workspace


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _log_in(client: TestClient, username: str, password: str) -> None:
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    if response.status_code != 303:
        raise SystemExit(f"cannot log in as {username}: {response.status_code}")


def _timed(client: TestClient, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"GET {path}: {response.status_code}")
    return elapsed


def _explained(client: TestClient, case_id: int) -> float:
    """Seconds until the pair's waterfall is ready (the fragment the page fetches)."""
    started = time.perf_counter()
    while True:
        response = client.get(f"/review/{case_id}/waterfall")
        if response.status_code != 200:
            raise SystemExit(f"waterfall of case {case_id}: {response.status_code}")
        if 'id="waterfall-pending"' not in response.text:
            return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="Reuse a finished demo in --home.")
    parser.add_argument("--views", type=int, default=40)
    parser.add_argument(
        "--cold", type=int, default=10, help="Review screens opened cold (each runs explain)."
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        home = args.home or Path(scratch) / "demo"
        started = time.perf_counter()
        if not args.reuse:
            demo_command(home=home, persons=args.persons, serve=False)
        built = time.perf_counter() - started
        workspace = Workspace(home / "workspace")
        store = db.open_store(workspace.database_url())
        try:
            with store.transaction() as session:
                usernames = [ANALYST, AUDITOR]
                cases = session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) or 0
                candidates = list(
                    session.scalars(
                        select(Case.id)
                        .where(Case.state == "candidate")
                        .order_by(Case.id)
                        .limit(args.views)
                    )
                )
            password = enable_demo_logins(store, usernames)
        finally:
            store.close()
        app = create_app(WebSettings(home=workspace.home))
        with TestClient(app, base_url="https://bench", follow_redirects=False) as client:
            _log_in(client, ANALYST, password)
            cold = [_timed(client, f"/review/{case_id}") for case_id in candidates[: args.cold]]
            ready = [_explained(client, case_id) for case_id in candidates[: args.cold]]
            warm = [_timed(client, f"/review/{case_id}") for case_id in candidates[: args.cold]]
        with TestClient(app, base_url="https://bench", follow_redirects=False) as client:
            _log_in(client, AUDITOR, password)
            dashboard = [_timed(client, "/dashboard") for _ in range(args.views)]
    rows = [["page", "requests", "p50 ms", "p95 ms"]]
    for name, seconds in (
        ("review screen, first view (explanation started)", cold),
        ("explanation ready, one pair at a time", ready),
        ("review screen with the explanation cached", warm),
        ("dashboard", dashboard),
    ):
        p50, p95 = _percentiles(seconds)
        rows.append([name, str(len(seconds)), f"{p50 * 1000:.0f}", f"{p95 * 1000:.0f}"])
    source = f"demo reused from {home}" if args.reuse else f"{args.persons:,} persons"
    print(f"{source}, {cases:,} cases" + ("" if args.reuse else f"; demo built in {built:.0f} s"))
    print(table(rows))


if __name__ == "__main__":
    main()
