"""Alembic environment for the case store: runs on the connection `soar.cases.db` passes in.

There is no alembic.ini: `soar db upgrade` builds the configuration in code, so a user
never has to find or edit one.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from soar.cases.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError(
        "the SOAR case-store migrations run through `soar db upgrade` "
        "(soar.cases.db.upgrade), which passes the database connection in"
    )
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
