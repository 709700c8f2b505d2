"""The case store: leads become cases, people review and act on them, all of it audited.

Rooms: `models` (tables), `db` (connect, migrate: SQLite or PostgreSQL), `workflow` (+
`workflow.toml`: states and who may move a case), `service` (transitions, views, detainers,
arrests), `leads` (import from the policy stage), `users` (roles, argon2 passwords),
`audit` (hash-chained log), `federal_holidays` (the detainer hold window), `demo`.

Typical use::

    store = db.open_store(workspace.database_url())
    with store.transaction() as session:
        service.transition(session, case_id=12, to_state="in_review",
                           actor=users.acting(session, "alice"), reason="taking it",
                           expected_version=1)
"""

from __future__ import annotations

from soar.cases.db import Store, open_store, upgrade
from soar.cases.errors import ConflictError, NotFound, PermissionDenied, WorkflowError

__all__ = [
    "ConflictError",
    "NotFound",
    "PermissionDenied",
    "Store",
    "WorkflowError",
    "open_store",
    "upgrade",
]
