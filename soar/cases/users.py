"""Users and roles: add, list, disable, authenticate. Passwords are argon2id hashes only.

Roles (DESIGN.md): analyst, supervisor, field_officer (scoped to one field office),
auditor (reads cases and the audit log), admin (manages users). Users are never deleted,
because transitions and the audit log refer to them; they are disabled.
No function here returns, prints or logs a password.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from soar.cases import audit
from soar.cases.errors import NotFound, PermissionDenied
from soar.cases.models import User
from soar.cases.workflow import Role
from soar.errors import InputError

# argon2id with the library's defaults (RFC 9106 "second recommended" profile).
HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{1,63}$")


@dataclass(frozen=True)
class UserInfo:
    """A user as shown to people: never the password hash."""

    username: str
    display_name: str
    role: str
    field_office: str | None
    active: bool
    can_log_in: bool


def info(user: User) -> UserInfo:
    return UserInfo(
        user.username,
        user.display_name,
        user.role,
        user.field_office,
        user.active,
        user.password_hash is not None,
    )


def find(session: Session, username: str) -> User:
    """The user named `username` (active or not)."""
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise NotFound(f"no user {username!r}; see `soar users list`")
    return user


def acting(session: Session, username: str) -> User:
    """The active user named `username`, who is about to do something."""
    user = find(session, username)
    if not user.active:
        raise PermissionDenied(f"user {username!r} is disabled and cannot act")
    return user


def require_role(user: User, *roles: Role, action: str) -> None:
    """Refuse unless the user has one of `roles`."""
    if user.role not in roles:
        allowed = " or ".join(role.value for role in roles)
        raise PermissionDenied(f"{user.username} is a {user.role}; only a {allowed} may {action}")


def _active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)
        )
        or 0
    )


def add(
    session: Session,
    *,
    username: str,
    role: str,
    password: str | None,
    actor: User | None,
    display_name: str = "",
    field_office: str | None = None,
) -> User:
    """Create a user. `actor` must be an admin; None only to create the first admin.

    `password` None makes an account that cannot log in (demo users, service accounts).
    """
    if actor is None:
        if _active_admins(session) > 0:
            raise PermissionDenied(
                "only an admin may add users; name one with --as ADMIN "
                "(an unnamed actor may only create the first admin)"
            )
        if role != Role.ADMIN:
            raise PermissionDenied(
                "the first user must be an admin (--role admin), who then adds the others"
            )
    else:
        require_role(actor, Role.ADMIN, action="add users")
    if not USERNAME.match(username):
        raise InputError(
            f"username {username!r}: use 2–64 lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter"
        )
    if role not in tuple(Role):
        raise InputError(f"role {role!r}: use one of {', '.join(Role)}")
    if role == Role.FIELD_OFFICER and not field_office:
        raise InputError("a field officer needs a field office (--field-office)")
    if role != Role.FIELD_OFFICER and field_office:
        raise InputError(f"only field officers have a field office, not a {role}")
    if session.scalars(select(User).where(User.username == username)).first() is not None:
        raise InputError(f"user {username!r} already exists")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        field_office=field_office,
        password_hash=HASHER.hash(password) if password is not None else None,
        active=True,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor.username if actor else "bootstrap",
        action="user.add",
        subject=f"user:{username}",
        detail={"role": role, "field_office": field_office, "can_log_in": password is not None},
    )
    return user


def disable(session: Session, *, username: str, actor: User, reason: str) -> User:
    """Disable a user: they can no longer log in or act; their history stays."""
    require_role(actor, Role.ADMIN, action="disable users")
    user = find(session, username)
    if not reason.strip():
        raise InputError("say why the user is disabled (--reason)")
    if not user.active:
        raise InputError(f"user {username!r} is already disabled")
    if user.role == Role.ADMIN and _active_admins(session) <= 1:
        raise InputError(f"{username!r} is the last active admin; add another admin first")
    user.active = False
    audit.record(
        session,
        actor=actor.username,
        action="user.disable",
        subject=f"user:{username}",
        detail={"reason": reason},
    )
    return user


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user if the password is right, else None (the reason is not revealed)."""
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None or not user.active or user.password_hash is None:
        # Hash anyway so a missing user takes as long as a wrong password.
        HASHER.hash(password)
        return None
    try:
        HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    return user
