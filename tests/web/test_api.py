"""The JSON API: tokens, pagination, transitions, reviews and labels, stats, JSON errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from .conftest import TO_ASSIGNED, walk

Token = Callable[[str], dict[str, str]]

# The case store runs on SQLite and PostgreSQL (STYLE.md): both, for these flows.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def test_openapi_document_lists_the_endpoints(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    for path in (
        "/api/token",
        "/api/leads",
        "/api/cases",
        "/api/cases/{case_id}/transitions",
        "/api/reviews",
        "/api/stats",
    ):
        assert path in spec["paths"]
    assert client.get("/api/docs").status_code == 200


def test_leads_are_candidates_most_probable_first_with_pagination(
    client: TestClient, token: Token
) -> None:
    headers = token("alice")
    first = client.get("/api/leads?limit=3", headers=headers).json()
    assert first["total"] == 8 and first["limit"] == 3 and first["offset"] == 0
    assert [item["id"] for item in first["items"]] == [1, 2, 3]
    assert first["items"][0]["lead"]["evidence"][0]["field"] == "last_name"
    rest = client.get("/api/leads?offset=3&limit=10", headers=headers).json()
    assert [item["id"] for item in rest["items"]] == [5, 6, 9, 7, 8]


def test_page_size_is_capped_and_validated(app: FastAPI, client: TestClient, token: Token) -> None:
    app.state.settings.max_page_size = 2
    assert client.get("/api/cases?limit=100", headers=token("alice")).json()["limit"] == 2
    bad = client.get("/api/cases?limit=0", headers=token("alice"))
    assert bad.status_code == 422


def test_cases_filters_and_detail(client: TestClient, token: Token) -> None:
    headers = token("sam")
    custody = client.get("/api/cases?custody=yes", headers=headers).json()
    assert [item["id"] for item in custody["items"]] == [9]
    detail = client.get("/api/cases/1", headers=headers).json()
    assert detail["state"] == "candidate" and detail["version"] == 1
    assert detail["allowed_moves"] == ["in_review", "citizenship_review", "closed"]
    assert detail["timeline"][0]["action"] == "create"
    missing = client.get("/api/cases/999", headers=headers)
    assert missing.status_code == 404 and "no case 999" in missing.json()["error"]


def test_transition_then_stale_version_is_409(client: TestClient, token: Token) -> None:
    headers = token("alice")
    body = {"to_state": "in_review", "reason": "taking it", "expected_version": 1}
    moved = client.post("/api/cases/1/transitions", json=body, headers=headers)
    assert moved.status_code == 200 and moved.json()["state"] == "in_review"
    again = client.post("/api/cases/1/transitions", json=body, headers=headers)
    assert again.status_code == 409
    assert "changed by someone else" in again.json()["error"]


def test_transition_refusals_are_json(client: TestClient, token: Token) -> None:
    body = {"to_state": "approved", "reason": "priority, approved", "expected_version": 1}
    wrong_move = client.post("/api/cases/1/transitions", json=body, headers=token("sam"))
    assert wrong_move.status_code == 422 and "cannot go to approved" in wrong_move.json()["error"]
    body = {"to_state": "in_review", "reason": "taking it", "expected_version": 1}
    auditor = client.post("/api/cases/1/transitions", json=body, headers=token("otto"))
    assert auditor.status_code == 403
    malformed = client.post("/api/cases/1/transitions", json={"to": "x"}, headers=token("sam"))
    assert malformed.status_code == 422


def test_reviews_are_stored_as_labels_and_exported(client: TestClient, token: Token) -> None:
    headers = token("alice")
    confirm = {
        "case_id": 1,
        "decision": "confirm",
        "reason": "all fields agree",
        "expected_version": 1,
    }
    reject = {"case_id": 9, "decision": "reject", "reason": "another A-file", "expected_version": 1}
    assert client.post("/api/reviews", json=confirm, headers=headers).status_code == 201
    assert client.post("/api/reviews", json=reject, headers=headers).status_code == 201
    stale = client.post("/api/reviews", json=confirm, headers=headers)
    assert stale.status_code == 409
    labels = client.get("/api/reviews", headers=token("otto")).json()
    assert labels["total"] == 2
    assert [(item["case_id"], item["match"]) for item in labels["items"]] == [(1, True), (9, False)]
    exported = client.get("/api/reviews.csv", headers=headers)
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [
        (row["registry_record_id"], row["immigration_record_id"], row["match"]) for row in rows
    ] == [
        ("REG-L-0001", "IMM-L-0001", "1"),
        ("REG-L-0001", "IMM-L-0009", "0"),
    ]


def test_field_officer_cannot_review(client: TestClient, token: Token) -> None:
    body = {
        "case_id": 1,
        "decision": "confirm",
        "reason": "all fields agree",
        "expected_version": 1,
    }
    assert client.post("/api/reviews", json=body, headers=token("hugo")).status_code == 403


def test_stats_scoped_for_a_field_officer(app: FastAPI, client: TestClient, token: Token) -> None:
    walk(app, 1, *TO_ASSIGNED)
    everyone = client.get("/api/stats", headers=token("sam")).json()
    assert everyone["headline"] == "0 arrests as of 2026-06-01"
    assert everyone["funnel"]["assigned"] == 1 and everyone["field_office"] is None
    miami = client.get("/api/stats", headers=token("mia")).json()
    assert miami["field_office"] == "Miami" and miami["funnel"]["assigned"] == 0
