"""Who is asking and may they: session logins, CSRF tokens, API bearer tokens, role checks.

Pages use a signed, HTTP-only, SameSite=strict session cookie (Starlette's
SessionMiddleware, itsdangerous) holding the user id and a per-session CSRF token; every
form carries that token and every POST is refused without it. Scripts use the JSON API
with a bearer token (`POST /api/token`), signed with the same secret and bound to the user's
password hash, so a password change or a disabled account ends it. Every request re-reads
the user, so a disabled account is refused at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from soar.cases.db import Store
from soar.cases.errors import PermissionDenied
from soar.cases.models import User
from soar.cases.workflow import Role
from soar.errors import SoarError
from soar.web.settings import WebSettings

CSRF_FIELD = "csrf_token"
TOKEN_SALT = "soar-api-token"


class LoginRequired(SoarError):
    """No valid login: pages redirect to the login form, the API answers 401."""


class CsrfRefused(PermissionDenied):
    """A form came back without this session's CSRF token."""


@dataclass(frozen=True)
class WebUser:
    """The logged-in person as the web layer needs them (never the password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    field_office: str | None

    @classmethod
    def of(cls, user: User) -> WebUser:
        return cls(user.id, user.username, user.display_name, user.role, user.field_office)

    def load(self, session: Session) -> User:
        """The user row in this transaction (to act as them)."""
        user = session.get(User, self.id)
        if user is None or not user.active:
            raise LoginRequired(f"user {self.username} no longer exists or is disabled")
        return user


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def settings_of(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def require_role(user: WebUser, *roles: Role, action: str) -> None:
    """Refuse (403) unless the user has one of `roles`."""
    if user.role not in roles:
        allowed = " or ".join(role.value.replace("_", " ") for role in roles)
        raise PermissionDenied(
            f"{user.username} is {_a(user.role)}; only {_a(allowed)} may {action}"
        )


def _a(words: str) -> str:
    """`analyst` → `an analyst`, `field_officer` → `a field officer`."""
    text = words.replace("_", " ")
    return f"{'an' if text[:1] in 'aeiou' else 'a'} {text}"


def _active_user(request: Request, user_id: Any) -> WebUser | None:
    if not isinstance(user_id, int):
        return None
    with store_of(request).transaction() as session:
        user = session.get(User, user_id)
        if user is None or not user.active or user.password_hash is None:
            return None
        return WebUser.of(user)


def page_user(request: Request) -> WebUser:
    """The user of this browser session, or LoginRequired (redirect to the login form)."""
    user = _active_user(request, request.session.get("user_id"))
    if user is None:
        request.session.pop("user_id", None)
        raise LoginRequired("log in to continue")
    return user


def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first use."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a form post whose token is missing or not this session's."""
    expected = request.session.get(CSRF_FIELD)
    if (
        not isinstance(expected, str)
        or not submitted
        or not hmac.compare_digest(expected.encode(), submitted.encode())
    ):
        raise CsrfRefused(
            "the form's security token is missing or out of date (another tab logged you "
            "out or in); reload the page and submit again"
        )


def _password_binding(user: User) -> str:
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def _serializer(settings: WebSettings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key.get_secret_value(), salt=TOKEN_SALT)


def issue_token(settings: WebSettings, user: User) -> str:
    """A bearer token for `user`, valid `settings.token_hours`, void on password change."""
    return _serializer(settings).dumps({"uid": user.id, "pw": _password_binding(user)})


def api_user(request: Request) -> WebUser:
    """The user named by the `Authorization: Bearer` token, or LoginRequired (401)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise LoginRequired(
            "send `Authorization: Bearer TOKEN`; get a token with POST /api/token "
            "(username and password)"
        )
    settings = settings_of(request)
    try:
        payload = _serializer(settings).loads(
            token.strip(), max_age=int(settings.token_hours * 3600)
        )
    except SignatureExpired as error:
        raise LoginRequired("the token has expired; get a new one with POST /api/token") from error
    except BadSignature as error:
        raise LoginRequired("the token is not valid; get one with POST /api/token") from error
    if not isinstance(payload, dict):
        raise LoginRequired("the token is not valid; get one with POST /api/token")
    with store_of(request).transaction() as session:
        user = session.get(User, payload.get("uid"))
        if (
            user is None
            or not user.active
            or user.password_hash is None
            or payload.get("pw") != _password_binding(user)
        ):
            raise LoginRequired(
                "the token's user is disabled or changed their password; get a new token"
            )
        return WebUser.of(user)


PageUser = Annotated[WebUser, Depends(page_user)]
ApiUser = Annotated[WebUser, Depends(api_user)]
