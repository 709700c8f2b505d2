"""The operation dashboard and the statistics behind it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient

from soar.cases import service, users
from soar.cases.models import Case
from soar.report.stats import operation_stats

from .conftest import TO_ASSIGNED, page, walk


def _arrest(app: FastAPI, case_id: int, officer: str, on: date) -> None:
    walk(app, case_id, *TO_ASSIGNED)
    with app.state.store.transaction() as session:
        case = session.get(Case, case_id, populate_existing=True)
        assert case is not None
        service.record_arrest(
            session,
            case_id=case_id,
            actor=users.acting(session, officer),
            expected_version=case.version,
            arrested_on=on,
            place="registered address",
            reason="at-large arrest",
        )


def test_dashboard_headline_charts_and_tables(
    app: FastAPI, browser: Callable[[str], TestClient]
) -> None:
    _arrest(app, 1, "hugo", date(2026, 5, 20))
    _arrest(app, 2, "hugo", date(2026, 5, 28))
    screen = page(browser("otto").get("/dashboard"))
    assert screen.select_one("#headline").text.split()[:5] == [
        "2",
        "arrests",
        "as",
        "of",
        "2026-06-01",
    ]
    for chart in ("cumulative", "category", "office", "country"):
        assert screen.select_one(f"#chart-{chart} svg") is not None
    assert "2 arrests as of 2026-06-01" in screen.select_one("#chart-cumulative").text
    convicted = screen.select_one("#convicted")
    assert convicted is not None and "convicted" in convicted.text and "2" in convicted.text
    funnel = {row.th.text: row.td.text for row in screen.select("#funnel tr")}
    assert funnel["leads"] == "9" and funnel["arrested"] == "2" and funnel["approved"] == "2"
    reviews = {row.th.text: row.td.text for row in screen.select("#reviews tr")}
    assert reviews["matches confirmed"] == "2"
    assert reviews["citizenship reviews opened"] == "1"


def test_field_officer_dashboard_is_their_office_only(
    app: FastAPI, browser: Callable[[str], TestClient]
) -> None:
    _arrest(app, 1, "hugo", date(2026, 5, 20))
    assert page(browser("mia").get("/dashboard")).select_one("#arrest-count").text == "0"
    hugo = page(browser("hugo").get("/dashboard"))
    assert hugo.select_one("#arrest-count").text == "1"
    assert "Houston" in hugo.select_one("h1").text


def test_stats_by_category_country_and_cumulative(app: FastAPI) -> None:
    _arrest(app, 1, "hugo", date(2026, 5, 20))
    _arrest(app, 2, "hugo", date(2026, 5, 28))
    with app.state.store.transaction() as session:
        stats = operation_stats(session, as_of=date(2026, 6, 1))
        earlier = operation_stats(session, as_of=date(2026, 5, 21))
    assert stats.headline == "2 arrests as of 2026-06-01"
    assert stats.cumulative_arrests == [(date(2026, 5, 20), 1), (date(2026, 5, 28), 2)]
    assert stats.by_offense_category == {"sexual_abuse_of_a_minor": 2}
    assert stats.by_field_office == {"Houston": 2}
    assert stats.by_country == {"Norvania": 1, "Synthland": 1}
    assert stats.as_dict()["cumulative_arrests"][1] == {"date": "2026-05-28", "arrests": 2}
    assert earlier.headline == "1 arrest as of 2026-05-21"
