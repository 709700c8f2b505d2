"""Every page and endpoint for every role: allowed, or 403 with a reason (datasette-style
in-process checks). A field officer sees only their field office."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from .conftest import page

ROLES = ("ada", "alice", "sam", "hugo", "mia", "otto")
# path: the users who may open it (case 1 is Houston's, case 3 Miami's).
PAGES: dict[str, set[str]] = {
    "/review": {"alice", "sam"},
    "/review/1": {"alice", "sam"},
    "/cases": {"alice", "sam", "hugo", "mia", "otto"},
    "/cases/1": {"alice", "sam", "hugo", "otto"},
    "/cases/3": {"alice", "sam", "mia", "otto"},
    "/dashboard": {"alice", "sam", "hugo", "mia", "otto"},
}
API: dict[str, set[str]] = {
    "/api/me": set(ROLES),
    "/api/leads": {"alice", "sam"},
    "/api/cases": {"alice", "sam", "hugo", "mia", "otto"},
    "/api/cases/1": {"alice", "sam", "hugo", "otto"},
    "/api/reviews": {"alice", "sam", "otto"},
    "/api/reviews.csv": {"alice", "sam", "otto"},
    "/api/stats": {"alice", "sam", "hugo", "mia", "otto"},
}


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("path", sorted(PAGES))
def test_page_access(browser: Callable[[str], TestClient], path: str, username: str) -> None:
    response = browser(username).get(path)
    if username in PAGES[path]:
        assert response.status_code in (200, 303), response.text
        if response.status_code == 303:
            assert response.headers["location"].startswith("/review/")
    else:
        assert response.status_code == 403
        message = page(response).select_one("#message")
        assert message is not None and username in message.text


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("path", sorted(API))
def test_api_access(
    client: TestClient, token: Callable[[str], dict[str, str]], path: str, username: str
) -> None:
    response = client.get(path, headers=token(username))
    if username in API[path]:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 403
        assert username in response.json()["error"]


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/review/1", {"decision": "confirm", "reason": "same person, all fields agree"}),
        ("/cases/1/transition", {"to_state": "in_review", "reason": "taking it"}),
        ("/cases/1/detainer", {"facility": "Harris County Jail", "served_on": "2026-06-01"}),
        ("/cases/1/detainer-outcome", {"outcome": "honored", "reason": "custody transferred"}),
        ("/cases/1/arrest", {"arrested_on": "2026-06-01", "place": "home", "reason": "arrest"}),
    ],
)
@pytest.mark.parametrize("username", ("ada", "otto", "mia"))
def test_forms_refuse_roles_that_may_not_act(
    browser: Callable[[str], TestClient], path: str, data: dict[str, str], username: str
) -> None:
    client = browser(username)
    token = page(client.get("/login")).select_one("input[name=csrf_token]")
    assert token is not None
    response = client.post(
        path, data={**data, "expected_version": "1", "csrf_token": token["value"]}
    )
    assert response.status_code == 403


def test_field_officer_board_shows_only_their_office(
    browser: Callable[[str], TestClient],
) -> None:
    board = page(browser("mia").get("/cases"))
    offices = {row.select("td")[3].text for row in board.select("#cases tbody tr[data-case]")}
    assert offices == {"Miami"}
    refused = browser("mia").get("/cases?field_office=Houston")
    assert refused.status_code == 403


def test_field_officer_api_lists_only_their_office(
    client: TestClient, token: Callable[[str], dict[str, str]]
) -> None:
    items = client.get("/api/cases?limit=50", headers=token("hugo")).json()["items"]
    assert items and {item["field_office"] for item in items} == {"Houston"}
    assert client.get("/api/cases?field_office=Miami", headers=token("hugo")).status_code == 403
