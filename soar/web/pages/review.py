"""The review queue: the next candidate match, its evidence, and confirm / reject / skip.

A confirm or reject is a case transition by the reviewer (candidate → in_review → decision
in one transaction), so it is audited and becomes a label for evaluating the model
(`soar.report.stats.review_labels`). A skip writes a note with the reason and hides the
case from this reviewer for the rest of the session.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from soar.cases import service
from soar.cases.errors import ConflictError, NotFound, WorkflowError
from soar.cases.models import Case
from soar.cases.workflow import Role
from soar.errors import InputError, SoarError
from soar.web.present import newest_lead, other_candidates
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
from soar.web.waterfall import Waterfall, prefetch, waterfall
from soar.workspace import Workspace

router = APIRouter()
REVIEWERS = (Role.ANALYST, Role.SUPERVISOR)
DECISIONS = {"confirm": "match_confirmed", "reject": "match_rejected"}
REVIEWABLE = ("candidate", "in_review")
MAX_SKIPPED = 500
# Explanations started ahead of the reviewer, and how long the waterfall fragment waits.
PREFETCH = 3
FRAGMENT_WAIT_SECONDS = 10.0


def _skipped(request: Request) -> list[int]:
    value = request.session.get("skipped", [])
    return [item for item in value if isinstance(item, int)] if isinstance(value, list) else []


def next_candidates(session: Session, skipped: list[int], count: int = 1) -> list[Case]:
    """The most probable candidates this reviewer has not skipped."""
    query = (
        select(Case)
        .where(Case.state == "candidate")
        .order_by(Case.match_probability.desc(), Case.id)
        .limit(count)
    )
    if skipped:
        query = query.where(Case.id.not_in(skipped))
    return list(session.scalars(query))


def _linkage(request: Request) -> Path:
    return Workspace(settings_of(request).home).linkage


@router.get("/review")
def queue(request: Request, user: PageUser) -> Response:
    require_role(user, *REVIEWERS, action="review matches")
    with store_of(request).transaction() as session:
        upcoming = next_candidates(session, _skipped(request), 1 + PREFETCH)
        waiting = session.scalar(select(Case.id).where(Case.state == "candidate").limit(1))
    prefetch(
        _linkage(request),
        [(case.registry_record_id, case.immigration_record_id) for case in upcoming],
    )
    case_id = upcoming[0].id if upcoming else None
    if case_id is None:
        return render(
            request, "review_empty.html", {"user": user, "skipped_some": waiting is not None}
        )
    return RedirectResponse(f"/review/{case_id}", status_code=303)


def review_context(
    request: Request, session: Session, user: WebUser, case_id: int
) -> dict[str, Any]:
    """Everything the review screen shows about one case (the view is audited)."""
    viewer = user.load(session)
    case = service.view_case(session, case_id=case_id, viewer=viewer, purpose="match review")
    lead = newest_lead(case)
    explained = waterfall(_linkage(request), case.registry_record_id, case.immigration_record_id)
    return {
        "user": user,
        "case": case,
        "lead": lead,
        "evidence": [item for item in lead.get("evidence", []) if isinstance(item, dict)],
        "offenses": [item for item in lead.get("offenses", []) if isinstance(item, dict)],
        "waterfall": explained,
        "largest_weight": _largest(explained),
        "others": other_candidates(session, case),
        "reviewable": case.state in REVIEWABLE,
    }


def _largest(explained: Waterfall) -> float:
    return max([abs(line.weight) for line in explained.lines] + [1.0])


@router.get("/review/{case_id}/waterfall")
def review_waterfall(request: Request, case_id: int, user: PageUser) -> Response:
    """The waterfall section alone, waiting up to a few seconds for it (fetched by the page)."""
    require_role(user, *REVIEWERS, action="review matches")
    with store_of(request).transaction() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(f"no case {case_id}; see the case board")
        pair = (case.registry_record_id, case.immigration_record_id)
        service.record_view(
            session,
            viewer=user.load(session),
            subject=f"person:{pair[0]}",
            purpose="match explanation",
            detail=f"case {case_id}: {pair[0]} / {pair[1]}",
        )
    explained = waterfall(_linkage(request), *pair, wait_seconds=FRAGMENT_WAIT_SECONDS)
    return render(
        request,
        "_waterfall.html",
        {"case": case, "waterfall": explained, "largest_weight": _largest(explained)},
    )


@router.get("/review/{case_id}")
def review_page(request: Request, case_id: int, user: PageUser) -> Response:
    require_role(user, *REVIEWERS, action="review matches")
    with store_of(request).transaction() as session:
        context = review_context(request, session, user, case_id)
    return render(request, "review.html", context)


def decide(
    session: Session, *, user: WebUser, case_id: int, decision: str, reason: str, version: int
) -> None:
    """Confirm or reject, taking a candidate into review first (one transaction)."""
    to_state = DECISIONS.get(decision)
    if to_state is None:
        raise InputError(f"decision {decision!r}: use confirm, reject or skip")
    actor = user.load(session)
    case = session.get(Case, case_id)
    if case is not None and case.state == "candidate" and case.version == version:
        service.transition(
            session,
            case_id=case_id,
            to_state="in_review",
            actor=actor,
            reason="taken for review in the web app",
            expected_version=version,
        )
        version += 1
    service.transition(
        session,
        case_id=case_id,
        to_state=to_state,
        actor=actor,
        reason=reason,
        expected_version=version,
    )


@router.post("/review/{case_id}")
def review_decision(
    request: Request,
    case_id: int,
    user: PageUser,
    decision: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    expected_version: Annotated[int, Form()] = 0,
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    check_csrf(request, csrf_token)
    require_role(user, *REVIEWERS, action="review matches")
    store = store_of(request)
    try:
        with store.transaction() as session:
            if decision == "skip":
                if len(reason.strip()) < 3:
                    raise InputError("say why you skip this lead (a few words)")
                service.add_note(
                    session,
                    case_id=case_id,
                    author=user.load(session),
                    text=f"skipped in review: {reason.strip()}",
                )
            else:
                decide(
                    session,
                    user=user,
                    case_id=case_id,
                    decision=decision,
                    reason=reason,
                    version=expected_version,
                )
    except (ConflictError, WorkflowError, InputError) as error:
        status = 409 if isinstance(error, ConflictError) else 422
        return _again(request, user, case_id, error, reason, status)
    if decision == "skip":
        request.session["skipped"] = [*_skipped(request), case_id][-MAX_SKIPPED:]
        request.session["flash"] = f"case {case_id} skipped"
    else:
        request.session["flash"] = f"case {case_id}: match {DECISIONS[decision].split('_')[1]}"
    return RedirectResponse("/review", status_code=303)


def _again(
    request: Request, user: WebUser, case_id: int, error: SoarError, reason: str, status: int
) -> Response:
    """The review screen again, with the refusal and the reviewer's words kept."""
    with store_of(request).transaction() as session:
        context = review_context(request, session, user, case_id)
    context.update({"error": str(error), "reason": reason})
    return render(request, "review.html", context, status)
