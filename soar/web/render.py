"""Jinja2 templates and the one function every page renders through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from soar.web.present import highlight_differences
from soar.web.security import csrf_token

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.globals["highlight"] = highlight_differences
TEMPLATES.env.filters["label"] = lambda text: str(text).replace("_", " ")


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> Response:
    """The page `name` with the user, flash message and CSRF token every form needs."""
    values: dict[str, Any] = {
        "csrf_token": csrf_token(request),
        "flash": request.session.pop("flash", None),
        "user": None,
    }
    values.update(context or {})
    response = TEMPLATES.TemplateResponse(request, name, values, status_code=status)
    # Pages show personal data: never cached, never framed.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'none'; form-action 'self'"
    )
    return response
