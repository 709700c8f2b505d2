"""Connect to the case store and migrate it: SQLite (WAL, foreign keys) or PostgreSQL.

One `Store` per database URL. Every unit of work runs in `store.transaction()`, so a change
and the audit entry that records it commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from soar.errors import InputError, SoarError

MIGRATIONS = Path(__file__).parent / "migrations"
# A writer waits this long for another's SQLite write lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def safe_url(url: str) -> str:
    """The URL with any password masked, fit for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module's own transaction handling would open transactions lazily and
    # upgrade read locks to write locks mid-way ("database is locked"); turn it off and
    # begin every transaction with BEGIN IMMEDIATE instead (SQLAlchemy pysqlite docs,
    # "Serializable isolation / Savepoints / Transactional DDL").
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    # WAL: readers never block the writer and the writer never blocks readers.
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # Take the write lock up front: two writers queue instead of deadlocking on upgrade.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys, a busy timeout, BEGIN IMMEDIATE."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise InputError(
            f"database URL {url!r} is not valid ({error}); use e.g. "
            "sqlite:////path/cases.sqlite or postgresql+psycopg://user@host:5432/dbname"
        ) from error
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not Path(database).parent.is_dir():
            raise InputError(
                f"no folder for the case store {database}; create the workspace first "
                "(`soar init`) or set SOAR_DATABASE_URL"
            )
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise InputError(f"database {safe_url(url)}: SOAR supports SQLite and PostgreSQL only")
    return create_engine(url, pool_pre_ping=True)


def _alembic_config(connection: Connection) -> Config:
    """Alembic settings built in code: the migrations ship inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration shipped with this version of SOAR."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise SoarError(f"no migrations found in {MIGRATIONS}; the installation is broken")
    return head


def upgrade(url: str) -> tuple[str | None, str]:
    """Apply every pending migration; returns (revision before, revision after)."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            before = MigrationContext.configure(connection).get_current_revision()
            command.upgrade(_alembic_config(connection), "head")
            after = MigrationContext.configure(connection).get_current_revision()
    except OperationalError as error:
        raise SoarError(
            f"cannot migrate the case store at {safe_url(url)}: {error.orig}"
        ) from error
    finally:
        engine.dispose()
    return before, after or ""


@dataclass
class Store:
    """The case store at one URL: an engine and a session factory."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error.

        Do not open a second one while this one is open: on SQLite it would wait for this
        one's write lock (up to the busy timeout) and then fail with "database is locked".
        """
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, check_revision: bool = True) -> Store:
    """Open the case store at `url`, refusing one that is not migrated to head."""
    engine = make_engine(url)
    if check_revision:
        try:
            with engine.connect() as connection:
                current = MigrationContext.configure(connection).get_current_revision()
        except OperationalError as error:
            engine.dispose()
            raise SoarError(
                f"cannot open the case store at {safe_url(url)}: {error.orig}"
            ) from error
        head = head_revision()
        if current != head:
            engine.dispose()
            state = "is empty" if current is None else f"is at revision {current}"
            raise SoarError(
                f"the case store at {safe_url(url)} {state}, this SOAR needs {head}; "
                "run `soar db upgrade` (with the same --home / SOAR_DATABASE_URL)"
            )
    # expire_on_commit off: objects returned from a unit of work stay readable afterwards.
    return Store(url, engine, sessionmaker(engine, expire_on_commit=False))
