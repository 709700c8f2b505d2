"""Migrations build the same schema from empty to head on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError

from soar.cases import db
from soar.cases.db import Store
from soar.cases.models import Base
from soar.errors import SoarError

TABLES = {
    "users",
    "cases",
    "lead_snapshots",
    "case_transitions",
    "case_notes",
    "detainers",
    "arrests",
    "audit_log",
    "audit_head",
}


def test_upgrade_from_empty_to_head_creates_every_table(database_url: str) -> None:
    before, after = db.upgrade(database_url)
    assert before is None
    assert after == db.head_revision()
    engine = db.make_engine(database_url)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_upgrade_twice_changes_nothing(database_url: str) -> None:
    db.upgrade(database_url)
    assert db.upgrade(database_url) == (db.head_revision(), db.head_revision())


def test_migrated_schema_matches_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_an_unmigrated_store_is_refused_with_the_command_to_run(database_url: str) -> None:
    with pytest.raises(SoarError, match="is empty.*run `soar db upgrade`"):
        db.open_store(database_url)


def test_sqlite_store_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cases.sqlite'}"
    db.upgrade(url)
    store = db.open_store(url)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()


def test_the_database_itself_refuses_to_change_audit_entries(store: Store) -> None:
    from soar.cases import audit

    with store.transaction() as session:
        audit.record(session, actor="t", action="test", subject="x")
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), store.transaction() as session:
            session.execute(text(statement))
