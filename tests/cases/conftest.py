"""Case-store fixtures: every test runs on a fresh SQLite file and a fresh PostgreSQL schema.

PostgreSQL is the server on 127.0.0.1:5432 (database `test`, user `postgres`, trust auth),
or `SOAR_TEST_POSTGRES_URL`. Each test gets its own schema, dropped afterwards, so parallel
runs and reruns never see each other's rows. An unreachable server fails the test: a
skipped PostgreSQL run would look green while proving nothing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from soar.cases import db, users
from soar.cases.db import Store
from soar.cases.models import User

POSTGRES_URL = os.environ.get(
    "SOAR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
LEADS_FIXTURE = Path(__file__).parent / "leads.jsonl"
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at minimum cost: the tests check behaviour, not the KDF's strength."""
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def postgres_schema_url(schema: str) -> str:
    """The test server's URL with `schema` first on the search path.

    Commits do not wait for the disk (synchronous_commit off): a crash could lose the last
    test transactions, never corrupt them, and the tests are about behaviour, not fsync.
    """
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}%20-csynchronous_commit%3Doff"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file in tmp_path, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cases.sqlite'}"
        return
    schema = f"soar_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as error:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is unreachable at {POSTGRES_URL} ({error.orig}); the case-store "
            "tests need it: start the server or set SOAR_TEST_POSTGRES_URL",
            pytrace=False,
        )
    try:
        yield postgres_schema_url(schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A migrated, empty case store."""
    db.upgrade(database_url)
    opened = db.open_store(database_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def people(store: Store) -> dict[str, User]:
    """One user per role, plus a second analyst and supervisor and a second field office."""
    made: dict[str, User] = {}
    with store.transaction() as session:
        made["admin"] = users.add(
            session, username="ada", role="admin", password="correct horse battery", actor=None
        )
        for username, role, office in (
            ("alice", "analyst", None),
            ("arthur", "analyst", None),
            ("sam", "supervisor", None),
            ("sofia", "supervisor", None),
            ("hugo", "field_officer", "Houston"),
            ("mia", "field_officer", "Miami"),
            ("otto", "auditor", None),
        ):
            made[username] = users.add(
                session,
                username=username,
                role=role,
                password=None,
                actor=made["admin"],
                field_office=office,
            )
    return made
