"""Logging in and out, session cookies, CSRF, anonymous access and API tokens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from soar.cases import users

from .conftest import PASSWORD, csrf_of, log_in, page

PAGES = ("/review", "/review/1", "/cases", "/cases/1", "/dashboard")
API_GETS = (
    "/api/me",
    "/api/leads",
    "/api/cases",
    "/api/cases/1",
    "/api/reviews",
    "/api/reviews.csv",
    "/api/stats",
)


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_pages_redirect_to_login(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_start_page_sends_anonymous_to_login(client: TestClient) -> None:
    assert client.get("/").headers["location"] == "/login"


@pytest.mark.parametrize("path", API_GETS)
def test_anonymous_api_is_401_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "POST /api/token" in response.json()["error"]


def test_login_form_and_wrong_password(client: TestClient) -> None:
    form = page(client.get("/login")).select_one("form#login-form")
    assert form is not None and form.select_one("input[name=csrf_token]") is not None
    response = client.post(
        "/login",
        data={"username": "alice", "password": "wrong", "csrf_token": csrf_of(client)},
    )
    assert response.status_code == 401
    assert "wrong username or password" in page(response).select_one("#error").text


def test_login_sets_a_secure_httponly_strict_cookie_and_returns_to_next(
    client: TestClient,
) -> None:
    response = client.post(
        "/login",
        data={
            "username": "alice",
            "password": PASSWORD,
            "csrf_token": csrf_of(client),
            "next": "/cases",
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/cases"
    cookie = response.headers["set-cookie"].lower()
    assert "soar_session=" in cookie
    for flag in ("secure", "httponly", "samesite=strict"):
        assert flag in cookie


def test_login_never_redirects_off_site(client: TestClient) -> None:
    response = client.post(
        "/login",
        data={
            "username": "alice",
            "password": PASSWORD,
            "csrf_token": csrf_of(client),
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/"


def test_login_without_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert "security token" in page(response).select_one("#message").text


@pytest.mark.parametrize(
    ("username", "start"),
    [("alice", "/review"), ("sam", "/review"), ("hugo", "/cases"), ("otto", "/dashboard")],
)
def test_start_page_per_role(client: TestClient, username: str, start: str) -> None:
    log_in(client, username)
    assert client.get("/").headers["location"] == start


def test_admin_start_page_says_admins_do_not_read_cases(client: TestClient) -> None:
    log_in(client, "ada")
    response = client.get("/")
    assert response.status_code == 200
    assert "soar users" in page(response).select_one("#admin-note").text


def test_logout_needs_csrf_and_ends_the_session(client: TestClient) -> None:
    log_in(client, "alice")
    assert client.post("/logout", data={}).status_code == 403
    token = csrf_of(client, "/cases")
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert client.get("/cases").status_code == 303


def test_disabled_user_is_logged_out_at_once(
    app: FastAPI, browser: Callable[[str], TestClient]
) -> None:
    alice = browser("alice")
    assert alice.get("/cases").status_code == 200
    with app.state.store.transaction() as session:
        users.disable(
            session, username="alice", actor=users.acting(session, "ada"), reason="left the unit"
        )
    assert alice.get("/cases").status_code == 303


def test_api_token_wrong_password_is_401(client: TestClient) -> None:
    response = client.post("/api/token", json={"username": "alice", "password": "nope"})
    assert response.status_code == 401
    assert response.json() == {"error": "wrong username or password"}


def test_api_token_garbage_is_401(client: TestClient) -> None:
    response = client.get("/api/me", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert "not valid" in response.json()["error"]


def test_api_token_works_and_dies_with_the_account(
    app: FastAPI, client: TestClient, token: Callable[[str], dict[str, str]]
) -> None:
    headers = token("hugo")
    me = client.get("/api/me", headers=headers).json()
    assert me == {
        "username": "hugo",
        "role": "field_officer",
        "field_office": "Houston",
        "display_name": "",
    }
    with app.state.store.transaction() as session:
        users.disable(session, username="hugo", actor=users.acting(session, "ada"), reason="moved")
    assert client.get("/api/me", headers=headers).status_code == 401


def test_pages_are_not_cached_or_framed(client: TestClient) -> None:
    log_in(client, "alice")
    response = client.get("/cases")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
