"""The JSON API under /api: leads, cases, transitions, reviews, stats (OpenAPI at /api/docs).

Scripts authenticate with a bearer token from `POST /api/token`; the same role checks as the
pages apply (a field officer sees only their field office). Lists are paginated with
`offset` and `limit`; every error is `{"error": "what was wrong and what to do"}`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from soar.cases import audit, service, users
from soar.cases.models import Case
from soar.cases.workflow import Role, load
from soar.report.stats import labels_csv, operation_stats, review_label_count, review_labels
from soar.web.pages.cases import READERS, custody_filter
from soar.web.pages.review import REVIEWERS, decide
from soar.web.present import allowed_moves, case_summary, newest_lead, newest_lead_of, timeline
from soar.web.security import ApiUser, LoginRequired, issue_token, require_role, settings_of
from soar.web.security import store_of as _store

router = APIRouter(prefix="/api", tags=["api"])
LABEL_READERS = (Role.ANALYST, Role.SUPERVISOR, Role.AUDITOR)
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]
Limit = Annotated[int | None, Query(ge=1, description="Items per page (default 50).")]


class TokenRequest(BaseModel):
    username: str
    password: str


class TokenPublic(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds the token stays valid.")


class Page(BaseModel):
    items: list[dict[str, Any]]
    offset: int
    limit: int
    total: int


class TransitionCreate(BaseModel):
    to_state: str
    reason: str
    expected_version: int = Field(description="The case version the decision was made on.")


class ReviewCreate(BaseModel):
    case_id: int
    decision: Literal["confirm", "reject"]
    reason: str
    expected_version: int


def _limit(request: Request, limit: int | None) -> int:
    settings = settings_of(request)
    return min(limit or settings.page_size, settings.max_page_size)


@router.post("/token", response_model=TokenPublic)
def token(request: Request, body: TokenRequest) -> TokenPublic:
    """A bearer token for scripts, from a username and password."""
    settings = settings_of(request)
    with _store(request).transaction() as session:
        user = users.authenticate(session, body.username.strip(), body.password)
        if user is None:
            raise LoginRequired("wrong username or password")
        audit.record(
            session,
            actor=user.username,
            action="user.login",
            subject=f"user:{user.username}",
            detail={"via": "api"},
        )
        issued = issue_token(settings, user)
    return TokenPublic(token=issued, expires_in=int(settings.token_hours * 3600))


@router.get("/me")
def me(user: ApiUser) -> dict[str, Any]:
    """Who the token belongs to."""
    return {
        "username": user.username,
        "role": user.role,
        "field_office": user.field_office,
        "display_name": user.display_name,
    }


@router.get("/leads", response_model=Page)
def leads(request: Request, user: ApiUser, offset: Offset = 0, limit: Limit = None) -> Page:
    """Candidates waiting for review, most probable first, with their evidence."""
    require_role(user, *REVIEWERS, action="review matches")
    size = _limit(request, limit)
    with _store(request).transaction() as session:
        viewer = user.load(session)
        total = (
            session.scalar(select(func.count()).select_from(Case).where(Case.state == "candidate"))
            or 0
        )
        cases = list(
            session.scalars(
                select(Case)
                .where(Case.state == "candidate")
                .order_by(Case.match_probability.desc(), Case.id)
                .offset(offset)
                .limit(size)
            )
        )
        items = []
        for case in cases:
            lead = newest_lead_of(session, case.id)
            items.append({**case_summary(case), "lead": lead})
        service.record_view(
            session, viewer=viewer, subject="leads", purpose="api", detail=f"{len(items)} leads"
        )
    return Page(items=items, offset=offset, limit=size, total=total)


@router.get("/cases", response_model=Page)
def cases(
    request: Request,
    user: ApiUser,
    state: str | None = None,
    field_office: str | None = None,
    policy_decision: str | None = None,
    custody: Annotated[str | None, Query(description="yes or no")] = None,
    offset: Offset = 0,
    limit: Limit = None,
) -> Page:
    """Cases, filtered and paginated; a field officer's are their field office's only."""
    require_role(user, *READERS, action="read cases")
    size = _limit(request, limit)
    with _store(request).transaction() as session:
        found, total = service.search_cases(
            session,
            viewer=user.load(session),
            state=state,
            field_office=field_office,
            policy_decision=policy_decision,
            in_custody=custody_filter(custody),
            offset=offset,
            limit=size,
        )
        items = [case_summary(case) for case in found]
    return Page(items=items, offset=offset, limit=size, total=total)


@router.get("/cases/{case_id}")
def case(request: Request, case_id: int, user: ApiUser) -> dict[str, Any]:
    """One case: its figures, newest lead, timeline and the moves this user may make."""
    require_role(user, *READERS, action="read cases")
    with _store(request).transaction() as session:
        found = service.view_case(
            session, case_id=case_id, viewer=user.load(session), purpose="api"
        )
        return {
            **case_summary(found),
            "lead": newest_lead(found),
            "timeline": [entry.__dict__ for entry in timeline(session, found.id)],
            "allowed_moves": [rule.to_state for rule in allowed_moves(load(), found, user)],
            "detainers": [
                {
                    "facility": item.facility,
                    "served_on": item.served_on.isoformat(),
                    "probable_cause": item.probable_cause,
                    "warrant": item.warrant,
                    "outcome": item.outcome,
                }
                for item in found.detainers
            ],
            "arrests": [
                {
                    "arrested_on": item.arrested_on.isoformat(),
                    "place": item.place,
                    "targeted": item.targeted,
                }
                for item in found.arrests
            ],
        }


@router.post("/cases/{case_id}/transitions")
def transition(
    request: Request, case_id: int, body: TransitionCreate, user: ApiUser
) -> dict[str, Any]:
    """Move a case; 409 when `expected_version` is stale, 403 when the role may not."""
    require_role(user, *READERS, action="read cases")
    with _store(request).transaction() as session:
        service.transition(
            session,
            case_id=case_id,
            to_state=body.to_state,
            actor=user.load(session),
            reason=body.reason,
            expected_version=body.expected_version,
        )
        moved = session.get(Case, case_id)
        assert moved is not None
        return case_summary(moved)


@router.get("/reviews", response_model=Page)
def reviews(request: Request, user: ApiUser, offset: Offset = 0, limit: Limit = None) -> Page:
    """Reviewers' match decisions (labels for evaluating the model), oldest first."""
    require_role(user, *LABEL_READERS, action="read review labels")
    size = _limit(request, limit)
    with _store(request).transaction() as session:
        labels = review_labels(session, offset=offset, limit=size)
        total = review_label_count(session)
    items: list[dict[str, Any]] = []
    for label in labels:
        item = dict(label.__dict__)
        decided: datetime = item["decided_at"]
        item["decided_at"] = decided.isoformat()
        items.append(item)
    return Page(items=items, offset=offset, limit=size, total=total)


@router.get("/reviews.csv", response_class=PlainTextResponse)
def reviews_csv(request: Request, user: ApiUser) -> PlainTextResponse:
    """Every label as CSV (`match` 1 or 0) for scoring the model against people's calls."""
    require_role(user, *LABEL_READERS, action="read review labels")
    with _store(request).transaction() as session:
        text = labels_csv(review_labels(session))
    return PlainTextResponse(
        text,
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="review_labels.csv"'},
    )


@router.post("/reviews", status_code=201)
def review(request: Request, body: ReviewCreate, user: ApiUser) -> dict[str, Any]:
    """Confirm or reject a candidate match (a candidate is taken into review first)."""
    require_role(user, *REVIEWERS, action="review matches")
    with _store(request).transaction() as session:
        decide(
            session,
            user=user,
            case_id=body.case_id,
            decision=body.decision,
            reason=body.reason,
            version=body.expected_version,
        )
        decided = session.get(Case, body.case_id)
        assert decided is not None
        return case_summary(decided)


@router.get("/stats")
def stats(request: Request, user: ApiUser) -> dict[str, Any]:
    """The dashboard's figures; a field officer gets their field office's."""
    require_role(user, *READERS, action="see the operation's figures")
    office = user.field_office if user.role == Role.FIELD_OFFICER else None
    with _store(request).transaction() as session:
        figures = operation_stats(session, as_of=settings_of(request).as_of(), field_office=office)
    return figures.as_dict()
