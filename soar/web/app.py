"""The app factory: settings in, a FastAPI app out, with its store, sessions and routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from soar.cases import db
from soar.cases.errors import ConflictError, NotFound, PermissionDenied, WorkflowError
from soar.errors import InputError, SoarError
from soar.web.api import router as api_router
from soar.web.pages import cases, dashboard, home, review
from soar.web.render import render
from soar.web.security import LoginRequired
from soar.web.settings import WebSettings
from soar.workspace import Workspace

STATIC = Path(__file__).parent / "static"


def status_of(error: SoarError) -> int:
    """The HTTP status that tells a client what kind of refusal this is."""
    if isinstance(error, LoginRequired):
        return 401
    if isinstance(error, PermissionDenied):
        return 403
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, ConflictError):
        return 409
    if isinstance(error, InputError | WorkflowError):
        return 422
    return 500


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


async def _soar_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, SoarError)
    status = status_of(error)
    if _wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"error": str(error)}, status_code=status, headers=headers)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return render(request, "error.html", {"message": str(error), "status": status}, status)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if _wants_json(request):
        return JSONResponse({"error": str(error.detail)}, status_code=error.status_code)
    return render(
        request,
        "error.html",
        {"message": str(error.detail), "status": error.status_code},
        error.status_code,
    )


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """A SOAR web app on the case store and workspace that `settings` name."""
    config = settings or WebSettings()
    url = config.database_url or Workspace(config.home).database_url()
    store = db.open_store(url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="SOAR",
        summary="Registry cross-match operations: leads, cases, reviews and figures.",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = config
    app.state.store = store
    app.add_middleware(
        SessionMiddleware,
        secret_key=config.secret_key.get_secret_value(),
        session_cookie="soar_session",
        max_age=int(config.session_hours * 3600),
        same_site="strict",
        https_only=config.secure_cookies,
    )
    app.add_exception_handler(SoarError, _soar_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (home, review, cases, dashboard):
        app.include_router(module.router)
    app.include_router(api_router)
    return app
