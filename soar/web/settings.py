"""The web application's settings: one class, read from `SOAR_WEB_*` variables or given."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _fresh_secret() -> SecretStr:
    return SecretStr(secrets.token_urlsafe(32))


class WebSettings(BaseSettings):
    """Where the data is and how sessions behave; every field has a safe default."""

    model_config = SettingsConfigDict(env_prefix="SOAR_WEB_", extra="ignore")

    # The workspace (linkage files for the match explanation; the case store by default).
    home: Path = Path("soar-data")
    # The case store; None means the workspace's (SOAR_DATABASE_URL or cases.sqlite).
    database_url: str | None = None
    # Signs session cookies and API tokens. Without one set, a fresh key per process:
    # everyone logs in again after a restart, and no default key can leak.
    secret_key: SecretStr = Field(default_factory=_fresh_secret)
    # Session cookies are sent over HTTPS only; browsers treat http://127.0.0.1 and
    # http://localhost as secure, so local use works too.
    secure_cookies: bool = True
    session_hours: float = 8.0
    token_hours: float = 12.0
    page_size: int = 50
    max_page_size: int = 500
    # The day the figures are "as of"; None means today (tests and demos pin it).
    today: date | None = None

    def as_of(self) -> date:
        return self.today or date.today()
