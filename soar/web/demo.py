"""Demo logins: the demo users are made without passwords; for `soar demo --serve` they
get one shared, freshly generated password, printed once, so people can try the web app.

Never used outside the demo workspace; each run makes a new password.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select

from soar.cases import audit, users
from soar.cases.db import Store
from soar.cases.models import User


def enable_demo_logins(store: Store, usernames: list[str]) -> str:
    """Give the demo users one new random password (argon2-hashed); returns it."""
    password = "demo-" + secrets.token_urlsafe(9)
    with store.transaction() as session:
        for user in session.scalars(select(User).where(User.username.in_(usernames))):
            user.password_hash = users.HASHER.hash(password)
            audit.record(
                session,
                actor="demo",
                action="user.demo_password",
                subject=f"user:{user.username}",
                detail={"reason": "soar demo --serve: demo users may log in to the web app"},
            )
    return password
