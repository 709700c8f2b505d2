"""Web fixtures: a migrated SQLite case store with one user per role (with passwords),
the synthetic leads of the case-store tests, and in-process clients (HTTPS, so the secure
session cookie is sent back)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from soar.cases import db, leads, users
from soar.web import WebSettings, create_app
from soar.workspace import init

LEADS_FIXTURE = Path(__file__).parent.parent / "cases" / "leads.jsonl"

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


# A second candidate for REG-L-0001's registrant (another immigration record), in custody.
def _extra_lead() -> dict[str, object]:
    lead = json.loads(LEADS_FIXTURE.read_text("utf-8").splitlines()[0])
    lead.update(
        lead_key="L-0009",
        immigration_record_id="IMM-L-0009",
        person_name="Rosa Quintero",
        match_probability=0.61,
        in_custody=True,
        custody="Harris County Jail",
    )
    return dict(lead)


EXTRA_LEADS = [_extra_lead()]


def make_store(home: Path, url: str | None = None) -> str:
    """A workspace at `home` whose case store (its own, or `url`) has the test people and
    leads; returns the store's URL.

    Cases 1-8 are the case-store tests' leads (file order), case 9 is `EXTRA_LEADS`.
    """
    workspace = init(home)
    leads_path = home / "leads.jsonl"
    leads_path.write_text(
        LEADS_FIXTURE.read_text("utf-8") + "".join(json.dumps(lead) + "\n" for lead in EXTRA_LEADS),
        encoding="utf-8",
    )
    url = url or workspace.database_url()
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


POSTGRES_URL = os.environ.get(
    "SOAR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None (the workspace's SQLite file) unless a module parametrizes it with
    "postgresql": then a fresh schema on the test server, dropped afterwards."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield None
        return
    schema = f"soar_web_{uuid.uuid4().hex[:16]}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        admin.dispose()
        pytest.fail(f"PostgreSQL is unreachable at {POSTGRES_URL} ({error.orig})", pytrace=False)
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def app(tmp_path: Path, database_url: str | None) -> Iterator[FastAPI]:
    url = make_store(tmp_path / "ws", database_url)
    settings = WebSettings(home=tmp_path / "ws", database_url=url, today=TODAY, page_size=5)
    web = create_app(settings)
    yield web
    web.state.store.close()


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


def walk(app: FastAPI, case_id: int, *steps: tuple[str, str]) -> None:
    """Move a case through `(to_state, username)` steps with the service, as people would."""
    from soar.cases import service
    from soar.cases.models import Case

    store = app.state.store
    for to_state, username in steps:
        with store.transaction() as session:
            case = session.get(Case, case_id, populate_existing=True)
            assert case is not None
            service.transition(
                session,
                case_id=case_id,
                to_state=to_state,
                actor=users.acting(session, username),
                reason=f"test step to {to_state}",
                expected_version=case.version,
            )


# Houston case 1 from candidate to assigned: confirmed by alice, approved by sofia.
TO_ASSIGNED = (
    ("in_review", "alice"),
    ("match_confirmed", "alice"),
    ("priority_assessed", "alice"),
    ("approved", "sofia"),
    ("assigned", "sam"),
)


def version_of(app: FastAPI, case_id: int) -> int:
    from soar.cases.models import Case

    with app.state.store.transaction() as session:
        case = session.get(Case, case_id, populate_existing=True)
        assert case is not None
        return case.version
