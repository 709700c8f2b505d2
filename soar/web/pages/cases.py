"""The case board (filters, pages) and the case page (timeline, moves, field forms).

Every form states the case version it was read at; a stale one comes back with the
conflict explained and the person's entries kept, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from soar.cases import service
from soar.cases.errors import ConflictError, WorkflowError
from soar.cases.models import Case
from soar.cases.service import DetainerOutcome, ProbableCause, Warrant
from soar.cases.workflow import Role, load
from soar.errors import InputError, SoarError
from soar.web.present import allowed_moves, can_record, newest_lead, timeline
from soar.web.render import render
from soar.web.security import (
    CSRF_FIELD,
    PageUser,
    WebUser,
    check_csrf,
    require_role,
    settings_of,
    store_of,
)

router = APIRouter()
READERS = (Role.ANALYST, Role.SUPERVISOR, Role.FIELD_OFFICER, Role.AUDITOR)
CSRF = Annotated[str, Form(alias=CSRF_FIELD)]


def _optional(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def custody_filter(value: str | None) -> bool | None:
    """ "yes" / "no" from the board's filter; anything else is no filter."""
    return {"yes": True, "no": False}.get((value or "").strip().lower())


@router.get("/cases")
def board(
    request: Request,
    user: PageUser,
    state: str | None = None,
    field_office: str | None = None,
    policy_decision: str | None = None,
    custody: str | None = None,
    page: int = 1,
) -> Response:
    require_role(user, *READERS, action="read cases")
    settings = settings_of(request)
    size = settings.page_size
    page = max(page, 1)
    filters = {
        "state": _optional(state),
        "field_office": _optional(field_office),
        "policy_decision": _optional(policy_decision),
        "custody": _optional(custody),
    }
    with store_of(request).transaction() as session:
        cases, total = service.search_cases(
            session,
            viewer=user.load(session),
            state=filters["state"],
            field_office=filters["field_office"],
            policy_decision=filters["policy_decision"],
            in_custody=custody_filter(filters["custody"]),
            offset=(page - 1) * size,
            limit=size,
        )
        offices = list(
            session.scalars(select(Case.field_office).distinct().order_by(Case.field_office))
        )
        decisions = list(
            session.scalars(select(Case.policy_decision).distinct().order_by(Case.policy_decision))
        )
    if user.role == Role.FIELD_OFFICER:
        offices = [user.field_office or ""]
    query = "&".join(f"{key}={value}" for key, value in filters.items() if value)
    return render(
        request,
        "cases.html",
        {
            "user": user,
            "cases": cases,
            "total": total,
            "page": page,
            "pages": max((total + size - 1) // size, 1),
            "filters": filters,
            "query": query,
            "states": list(load().states),
            "offices": offices,
            "decisions": decisions,
        },
    )


def case_context(session: Session, user: WebUser, case_id: int) -> dict[str, Any]:
    """Everything the case page shows (the view is audited)."""
    viewer = user.load(session)
    case = service.view_case(session, case_id=case_id, viewer=viewer, purpose="case page")
    workflow = load()
    return {
        "user": user,
        "case": case,
        "lead": newest_lead(case),
        "timeline": timeline(session, case.id),
        "moves": allowed_moves(workflow, case, user),
        "can_detainer": can_record(workflow, case, user, "detainer"),
        "can_outcome": can_record(workflow, case, user, "detainer_outcome"),
        "can_arrest": can_record(workflow, case, user, "arrest"),
        "state_description": workflow.states[case.state].description,
        "probable_causes": [basis.value for basis in ProbableCause],
        "warrants": [warrant.value for warrant in Warrant],
        "outcomes": [outcome.value for outcome in DetainerOutcome],
        "form": {},
        "error": None,
        "today": date.today().isoformat(),
    }


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: int, user: PageUser) -> Response:
    require_role(user, *READERS, action="read cases")
    with store_of(request).transaction() as session:
        context = case_context(session, user, case_id)
    return render(request, "case.html", context)


def _act(
    request: Request,
    user: WebUser,
    case_id: int,
    form: dict[str, str],
    action: Callable[[Session], str],
) -> Response:
    """Run one change; on success back to the case page, on refusal the page again with
    the reason and the person's entries (409 for a stale version)."""
    try:
        with store_of(request).transaction() as session:
            done = action(session)
    except (ConflictError, WorkflowError, InputError) as error:
        return _refused(request, user, case_id, form, error)
    request.session["flash"] = done
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


def _refused(
    request: Request, user: WebUser, case_id: int, form: dict[str, str], error: SoarError
) -> Response:
    with store_of(request).transaction() as session:
        context = case_context(session, user, case_id)
    conflict = isinstance(error, ConflictError)
    context.update({"error": str(error), "conflict": conflict, "form": form})
    return render(request, "case.html", context, 409 if conflict else 422)


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as error:
        raise InputError(f"{what}: {value!r} is not a date; use YYYY-MM-DD") from error


def _datetime(value: str, what: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise InputError(
            f"{what}: {value!r} is not a date and time; use YYYY-MM-DDTHH:MM"
        ) from error


@router.post("/cases/{case_id}/transition")
def move(
    request: Request,
    case_id: int,
    user: PageUser,
    csrf_token: CSRF = "",
    to_state: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    expected_version: Annotated[int, Form()] = 0,
) -> Response:
    check_csrf(request, csrf_token)
    require_role(user, *READERS, action="read cases")

    def action(session: Session) -> str:
        step = service.transition(
            session,
            case_id=case_id,
            to_state=to_state,
            actor=user.load(session),
            reason=reason,
            expected_version=expected_version,
        )
        moved = f"{step.from_state} → {step.to_state}".replace("_", " ")
        return f"case {case_id}: {moved}"

    form = {"form": "transition", "to_state": to_state, "reason": reason}
    return _act(request, user, case_id, form, action)


@router.post("/cases/{case_id}/detainer")
def detainer(
    request: Request,
    case_id: int,
    user: PageUser,
    csrf_token: CSRF = "",
    facility: Annotated[str, Form()] = "",
    served_on: Annotated[str, Form()] = "",
    probable_cause: Annotated[str, Form()] = "",
    probable_cause_detail: Annotated[str, Form()] = "",
    warrant: Annotated[str, Form()] = "",
    release_at: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    expected_version: Annotated[int, Form()] = 0,
) -> Response:
    check_csrf(request, csrf_token)
    require_role(user, *READERS, action="read cases")

    def action(session: Session) -> str:
        lodged = service.issue_detainer(
            session,
            case_id=case_id,
            actor=user.load(session),
            expected_version=expected_version,
            facility=facility,
            served_on=_date(served_on, "served on"),
            probable_cause=probable_cause,
            probable_cause_detail=probable_cause_detail,
            warrant=warrant,
            release_at=_datetime(release_at, "release"),
            reason=reason,
        )
        deadline = (
            f"; hold until {lodged.hold_deadline:%Y-%m-%d %H:%M}" if lodged.hold_deadline else ""
        )
        return f"case {case_id}: detainer lodged with {lodged.facility}{deadline}"

    form = {
        "form": "detainer",
        "facility": facility,
        "served_on": served_on,
        "probable_cause": probable_cause,
        "probable_cause_detail": probable_cause_detail,
        "warrant": warrant,
        "release_at": release_at,
        "reason": reason,
    }
    return _act(request, user, case_id, form, action)


@router.post("/cases/{case_id}/detainer-outcome")
def detainer_outcome(
    request: Request,
    case_id: int,
    user: PageUser,
    csrf_token: CSRF = "",
    outcome: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    expected_version: Annotated[int, Form()] = 0,
) -> Response:
    check_csrf(request, csrf_token)
    require_role(user, *READERS, action="read cases")

    def action(session: Session) -> str:
        service.record_detainer_outcome(
            session,
            case_id=case_id,
            actor=user.load(session),
            expected_version=expected_version,
            outcome=outcome,
            reason=reason,
        )
        return f"case {case_id}: detainer {outcome.replace('_', ' ')}"

    form = {"form": "outcome", "outcome": outcome, "reason": reason}
    return _act(request, user, case_id, form, action)


@router.post("/cases/{case_id}/arrest")
def arrest(
    request: Request,
    case_id: int,
    user: PageUser,
    csrf_token: CSRF = "",
    arrested_on: Annotated[str, Form()] = "",
    place: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    targeted: Annotated[str, Form()] = "yes",
    person_description: Annotated[str, Form()] = "",
    expected_version: Annotated[int, Form()] = 0,
) -> Response:
    check_csrf(request, csrf_token)
    require_role(user, *READERS, action="read cases")

    def action(session: Session) -> str:
        made = service.record_arrest(
            session,
            case_id=case_id,
            actor=user.load(session),
            expected_version=expected_version,
            arrested_on=_date(arrested_on, "arrested on"),
            place=place,
            reason=reason,
            targeted=targeted != "no",
            person_description=person_description,
        )
        kind = "arrest" if made.targeted else "collateral arrest"
        return f"case {case_id}: {kind} recorded ({made.arrested_on.isoformat()}, {made.place})"

    form = {
        "form": "arrest",
        "arrested_on": arrested_on,
        "place": place,
        "reason": reason,
        "targeted": targeted,
        "person_description": person_description,
    }
    return _act(request, user, case_id, form, action)
