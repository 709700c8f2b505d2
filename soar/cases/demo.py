"""The case-store part of `soar demo`: demo users, lead import, a few cases walked to arrest.

Demo users are made without passwords (they cannot log in; nothing secret is created or
shown): one admin, analyst, supervisor pair for the two-person rule, auditor, and one field
officer per field office that gets a case. Every step goes through the same functions,
rules and audit log as real work, one transaction per person's action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from soar.cases import audit, db, leads, service, users
from soar.cases.db import Store
from soar.cases.errors import NotFound
from soar.cases.models import Case, User
from soar.cases.workflow import Role
from soar.workspace import Workspace

ADMIN = "demo-admin"
ANALYST = "demo-analyst"
SUPERVISOR = "demo-supervisor"
SECOND_SUPERVISOR = "demo-supervisor-2"
AUDITOR = "demo-auditor"
# At most this many leads are reviewed, and this many approved cases taken to the field.
REVIEW_LIMIT = 40
FIELD_LIMIT = 6
# Below this match probability the demo analyst rejects the match.
CONFIRM_AT = 0.9


@dataclass
class DemoResult:
    """What the demo did: the funnel counts, who acted, and whether the audit chain holds."""

    funnel: dict[str, int]
    usernames: list[str] = field(default_factory=list)
    imported: leads.ImportSummary = field(default_factory=leads.ImportSummary)
    audit_ok: bool = False
    audit_entries: int = 0


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "office"


def _user(session: Session, username: str, role: Role, office: str | None = None) -> User:
    """The demo user `username`, created (passwordless) when missing."""
    existing = session.scalars(select(User).where(User.username == username)).one_or_none()
    if existing is not None:
        return existing
    admin = session.scalars(
        select(User).where(User.role == Role.ADMIN, User.active).order_by(User.id)
    ).first()
    return users.add(
        session,
        username=username,
        role=role.value,
        password=None,
        actor=admin,
        display_name=f"Demo {role.value.replace('_', ' ')}",
        field_office=office,
    )


def _field_officer_name(office: str) -> str:
    return f"demo-fo-{_slug(office)}"


def _step(store: Store, case_id: int, to_state: str, username: str, reason: str) -> None:
    with store.transaction() as session:
        case = session.get(Case, case_id, populate_existing=True)
        if case is None:
            raise NotFound(f"demo: case {case_id} vanished while the demo ran")
        service.transition(
            session,
            case_id=case_id,
            to_state=to_state,
            actor=users.acting(session, username),
            reason=reason,
            expected_version=case.version,
        )


def _version(session: Session, case_id: int) -> int:
    """The case's current version, read in the acting person's own transaction."""
    return session.scalars(select(Case.version).where(Case.id == case_id)).one()


def _is_priority(decision: str) -> bool:
    """Policy decisions that ask for action; "not_a_priority" and the like do not."""
    lowered = decision.lower()
    return not any(word in lowered for word in ("not", "no_", "none", "citizenship"))


def _field_action(store: Store, case: Case, turn: int, today: date) -> None:
    """Three endings in turn: detainer honored then arrest; at-large arrest; declined."""
    officer = _field_officer_name(case.field_office)
    with store.transaction() as session:
        biometric = service.has_biometric_evidence(session, case)
    if turn % 3 == 1:
        with store.transaction() as session:
            service.record_arrest(
                session,
                case_id=case.id,
                actor=users.acting(session, officer),
                expected_version=_version(session, case.id),
                arrested_on=today,
                place=f"registered address, {case.field_office} AOR",
                reason="at-large arrest at the registered address",
            )
        return
    release = datetime.combine(today + timedelta(days=1), time(15, 0))
    with store.transaction() as session:
        service.issue_detainer(
            session,
            case_id=case.id,
            actor=users.acting(session, officer),
            expected_version=_version(session, case.id),
            facility=f"{case.field_office} County Jail",
            served_on=today,
            probable_cause="biometric_confirmation" if biometric else "pending_proceedings",
            warrant="I-200",
            reason="in local custody on a state charge",
            release_at=release,
        )
    if turn % 3 == 2:
        with store.transaction() as session:
            service.record_detainer_outcome(
                session,
                case_id=case.id,
                actor=users.acting(session, officer),
                expected_version=_version(session, case.id),
                outcome="declined",
                reason="sheriff's policy: no holds without a judicial warrant",
            )
        return
    with store.transaction() as session:
        service.record_detainer_outcome(
            session,
            case_id=case.id,
            actor=users.acting(session, officer),
            expected_version=_version(session, case.id),
            outcome="honored",
            reason="custody transferred at the jail's release time",
        )
    with store.transaction() as session:
        service.record_arrest(
            session,
            case_id=case.id,
            actor=users.acting(session, officer),
            expected_version=_version(session, case.id),
            arrested_on=release.date(),
            place=f"{case.field_office} County Jail",
            reason="custody transfer under the detainer",
        )


def run_demo(
    workspace: Workspace,
    leads_path: Path,
    *,
    today: date | None = None,
    review_limit: int = REVIEW_LIMIT,
    field_limit: int = FIELD_LIMIT,
) -> DemoResult:
    """Migrate the workspace's case store, make demo users, import leads, work some cases.

    Reviews up to `review_limit` candidates (most probable first): confirms matches at or
    above 0.9, rejects the rest; a second supervisor approves priorities the analyst
    assessed; up to `field_limit` approved cases go to their field office and end in an
    arrest after an honored detainer, an at-large arrest, or a declined detainer.
    Leads held for citizenship review stay there: only a supervisor's written reason frees them.
    """
    url = workspace.database_url()
    db.upgrade(url)
    store = db.open_store(url)
    day = today or date.today()
    try:
        with store.transaction() as session:
            made = [
                _user(session, ADMIN, Role.ADMIN),
                _user(session, ANALYST, Role.ANALYST),
                _user(session, SUPERVISOR, Role.SUPERVISOR),
                _user(session, SECOND_SUPERVISOR, Role.SUPERVISOR),
                _user(session, AUDITOR, Role.AUDITOR),
            ]
        with store.transaction() as session:
            imported = leads.import_file(session, leads_path)
        with store.transaction() as session:
            candidates = list(
                session.scalars(
                    select(Case)
                    .where(Case.state == "candidate")
                    .order_by(Case.match_probability.desc(), Case.id)
                    .limit(review_limit)
                )
            )
            offices = sorted({case.field_office for case in candidates})
            made += [
                _user(session, _field_officer_name(office), Role.FIELD_OFFICER, office)
                for office in offices
            ]
        approved: list[Case] = []
        for case in candidates:
            _step(store, case.id, "in_review", ANALYST, "demo: taking the lead for review")
            if case.match_probability < CONFIRM_AT:
                _step(
                    store,
                    case.id,
                    "match_rejected",
                    ANALYST,
                    f"demo: match probability {case.match_probability:.2f} is too weak",
                )
                continue
            _step(
                store,
                case.id,
                "match_confirmed",
                ANALYST,
                f"demo: evidence reviewed, match probability {case.match_probability:.3f}",
            )
            _step(
                store,
                case.id,
                "priority_assessed",
                ANALYST,
                f"demo: assessed under {case.policy_id}: {case.policy_decision}",
            )
            if _is_priority(case.policy_decision):
                # The second signature: a supervisor who did not confirm the match.
                _step(store, case.id, "approved", SECOND_SUPERVISOR, "demo: priority approved")
                approved.append(case)
            else:
                _step(
                    store,
                    case.id,
                    "not_a_priority",
                    SECOND_SUPERVISOR,
                    f"demo: {case.policy_decision} under {case.policy_id}",
                )
        for turn, case in enumerate(approved[:field_limit]):
            _step(store, case.id, "assigned", SUPERVISOR, f"demo: to {case.field_office}")
            _field_action(store, case, turn, day)
        with store.transaction() as session:
            counts = service.funnel(session)
            verification = audit.verify(session)
        return DemoResult(
            funnel=counts,
            usernames=[user.username for user in made],
            imported=imported,
            audit_ok=verification.ok,
            audit_entries=verification.entries,
        )
    finally:
        store.close()
