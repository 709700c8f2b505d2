"""Login, logout and the start page, which sends each role to where its work is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from soar.cases import audit, users
from soar.web.render import render
from soar.web.security import (
    CSRF_FIELD,
    LoginRequired,
    PageUser,
    WebUser,
    check_csrf,
    page_user,
    store_of,
)

router = APIRouter()

START_PAGES = {
    "analyst": "/review",
    "supervisor": "/review",
    "field_officer": "/cases",
    "auditor": "/dashboard",
}


def _safe_next(target: str | None) -> str:
    """Only paths on this site: a login link must not send people elsewhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/")
def start(request: Request) -> Response:
    try:
        user = page_user(request)
    except LoginRequired:
        return RedirectResponse("/login", status_code=303)
    page = START_PAGES.get(user.role)
    if page is not None:
        return RedirectResponse(page, status_code=303)
    return render(request, "admin.html", {"user": user})


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    check_csrf(request, csrf_token)
    with store_of(request).transaction() as session:
        user = users.authenticate(session, username.strip(), password)
        if user is not None:
            audit.record(
                session,
                actor=user.username,
                action="user.login",
                subject=f"user:{user.username}",
                detail={"via": "web"},
            )
            who = WebUser.of(user)
    if user is None:
        return render(
            request,
            "login.html",
            {"next": _safe_next(next), "error": "wrong username or password", "username": username},
            401,
        )
    # A new session on login: nothing from before the login carries over (no fixation).
    request.session.clear()
    request.session["user_id"] = who.id
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(
    request: Request,
    user: PageUser,
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    check_csrf(request, csrf_token)
    request.session.clear()
    request.session["flash"] = f"{user.username} logged out"
    return RedirectResponse("/login", status_code=303)
