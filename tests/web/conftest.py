"""Web fixtures: a migrated SQLite case store with one user per role (with passwords),
the synthetic leads of the case-store tests, and in-process clients (HTTPS, so the secure
session cookie is sent back)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from soar.cases import db, leads, users
from soar.web import WebSettings, create_app
from soar.workspace import init

from ..cases.conftest import LEADS_FIXTURE

PASSWORD = "synthetic-pass-phrase"
TODAY = date(2026, 6, 1)
# username: (role, field office)
PEOPLE = {
    "ada": ("admin", None),
    "alice": ("analyst", None),
    "arthur": ("analyst", None),
    "sam": ("supervisor", None),
    "sofia": ("supervisor", None),
    "hugo": ("field_officer", "Houston"),
    "mia": ("field_officer", "Miami"),
    "otto": ("auditor", None),
}


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at minimum cost: the tests check behaviour, not the KDF's strength."""
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def make_store(home: Path, leads_path: Path = LEADS_FIXTURE) -> str:
    """A workspace at `home` whose case store has the test people and leads; its URL."""
    workspace = init(home)
    url = workspace.database_url()
    db.upgrade(url)
    store = db.open_store(url)
    try:
        with store.transaction() as session:
            admin = users.add(session, username="ada", role="admin", password=PASSWORD, actor=None)
            for username, (role, office) in PEOPLE.items():
                if username == "ada":
                    continue
                users.add(
                    session,
                    username=username,
                    role=role,
                    password=PASSWORD,
                    actor=admin,
                    field_office=office,
                )
        with store.transaction() as session:
            leads.import_file(session, leads_path)
    finally:
        store.close()
    return url


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    url = make_store(tmp_path / "ws")
    settings = WebSettings(home=tmp_path / "ws", database_url=url, today=TODAY, page_size=5)
    yield create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An anonymous browser."""
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as anonymous:
        yield anonymous


def page(response: object) -> BeautifulSoup:
    text = getattr(response, "text", "")
    return BeautifulSoup(str(text), "html.parser")


def csrf_of(client: TestClient, path: str = "/login") -> str:
    """The CSRF token the page at `path` puts in its forms."""
    field = page(client.get(path)).select_one("input[name=csrf_token]")
    assert field is not None, f"no CSRF field on {path}"
    return str(field["value"])


def log_in(client: TestClient, username: str) -> TestClient:
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(client)},
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def browser(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """`browser("alice")`: a client logged in as that person (each its own cookies)."""
    opened: list[TestClient] = []

    def open_as(username: str) -> TestClient:
        client = TestClient(app, base_url="https://testserver", follow_redirects=False)
        client.__enter__()
        opened.append(client)
        return log_in(client, username)

    yield open_as
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def token(app: FastAPI) -> Iterator[Callable[[str], dict[str, str]]]:
    """`token("alice")`: Authorization headers for the JSON API."""
    with TestClient(app, base_url="https://testserver") as client:

        def headers(username: str) -> dict[str, str]:
            response = client.post("/api/token", json={"username": username, "password": PASSWORD})
            assert response.status_code == 200, response.text
            return {"Authorization": f"Bearer {response.json()['token']}"}

        yield headers
