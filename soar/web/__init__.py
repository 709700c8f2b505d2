"""The web application: review queue, case board, operation dashboard, JSON API.

`create_app(settings)` builds it (FastAPI, Jinja2 pages that work without JavaScript);
`soar serve` runs it with uvicorn. Rooms: `settings` (one settings class), `security`
(sessions, CSRF, API tokens, role checks), `pages/` (HTML per area), `api` (JSON under
/api), `present` (view helpers), `waterfall` (the linkage explanation, cached).
"""

from __future__ import annotations

from soar.web.app import create_app
from soar.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
