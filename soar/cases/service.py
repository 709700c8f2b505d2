"""What people do to cases: move them through the workflow, view them, lodge detainers,
record arrests. Every function runs in the caller's transaction and writes its audit entry
there too (use `Store.transaction()`).

Rules enforced here, whatever `workflow.toml` says (DESIGN.md, "Policy" safeguards):
- the person who confirmed the match never approves the priority of the same case;
- `citizenship_review` is left only by a supervisor, with a written reason;
- a field officer acts only on cases of their own field office;
- every move records who, when, from, to and why; a move states the case version it was
  decided on, and a stale version is a `ConflictError`, never a lost update.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from soar.cases import audit
from soar.cases.errors import ConflictError, NotFound, PermissionDenied, WorkflowError
from soar.cases.federal_holidays import hold_deadline
from soar.cases.models import (
    Arrest,
    AuditEntry,
    Case,
    CaseNote,
    Detainer,
    LeadSnapshot,
    Transition,
    User,
    utc_now,
)
from soar.cases.workflow import (
    APPROVED,
    CASE_ROLES,
    CITIZENSHIP_CLEARING_MIN_REASON,
    CITIZENSHIP_REVIEW,
    MATCH_CONFIRMED,
    SYSTEM,
    Role,
    Rule,
    Workflow,
    load,
)
from soar.errors import InputError


class ProbableCause(StrEnum):
    """The probable-cause basis an I-247A states (DOMAIN.md, "Detainers")."""

    FINAL_ORDER = "final_order"
    PENDING_PROCEEDINGS = "pending_proceedings"
    BIOMETRIC_CONFIRMATION = "biometric_confirmation"
    OTHER_RELIABLE_EVIDENCE = "other_reliable_evidence"


class Warrant(StrEnum):
    """The administrative warrant that must accompany an I-247A."""

    I_200 = "I-200"  # warrant for arrest of alien
    I_205 = "I-205"  # warrant of removal/deportation


class DetainerOutcome(StrEnum):
    """How a detainer ended; each leads to the workflow state of the same meaning."""

    HONORED = "honored"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    RELEASED_BEFORE_TRANSFER = "released_before_transfer"


OUTCOME_STATES: dict[DetainerOutcome, str] = {
    DetainerOutcome.HONORED: "detainer_honored",
    DetainerOutcome.DECLINED: "detainer_declined",
    DetainerOutcome.CANCELLED: "detainer_cancelled",
    DetainerOutcome.EXPIRED: "detainer_expired",
    DetainerOutcome.RELEASED_BEFORE_TRANSFER: "released_before_transfer",
}
# How a move that needs a record is made, for the message that refuses a bare move.
REQUIREMENT_HELP = {
    "detainer": "lodge it with its facility, basis and warrant (`soar cases detainer`)",
    "detainer_outcome": "record the detainer's outcome with a reason "
    "(`soar cases detainer-outcome`)",
    "arrest": "record the arrest with its date and place (`soar cases arrest`)",
}
# States in which a field office may record an arrest on the case.
ARREST_STATES = ("assigned", "detainer_honored", "arrested")


@dataclass(frozen=True)
class Actor:
    """Who makes a move: a user, or the system (import, safeguards)."""

    name: str
    role: str
    user: User | None = None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.username, user.role, user)


SYSTEM_ACTOR = Actor(SYSTEM, SYSTEM)


def _case(session: Session, case_id: int) -> Case:
    """The case, freshly read, after taking the writers' lock (see `audit.lock_head`)."""
    audit.lock_head(session)
    case = session.get(Case, case_id, populate_existing=True)
    if case is None:
        raise NotFound(f"no case {case_id}; see `soar cases list`")
    return case


def _conflict(session: Session, case: Case, expected_version: int) -> ConflictError:
    last = session.scalars(
        select(Transition).where(Transition.case_id == case.id).order_by(Transition.id.desc())
    ).first()
    change = (
        f" (last change: {last.from_state} → {last.to_state} by {last.actor_name} at "
        f"{last.at:%Y-%m-%d %H:%M:%S} UTC)"
        if last is not None
        else ""
    )
    return ConflictError(
        f"case {case.id} was changed by someone else after you read it: you read version "
        f"{expected_version}, it is now version {case.version}, state {case.state}{change}; "
        f"reload it (`soar cases show {case.id}`) and decide again"
    )


def _check_actor_may_act(actor: Actor, case: Case) -> None:
    """Role may act on cases at all, and a field officer only in their field office."""
    if actor.user is None:
        return
    if not actor.user.active:
        raise PermissionDenied(f"user {actor.name} is disabled and cannot act")
    if actor.role not in CASE_ROLES:
        raise PermissionDenied(
            f"{actor.name} is an {actor.role}, who cannot change cases "
            f"(only {', '.join(CASE_ROLES)} can)"
        )
    if actor.role == Role.FIELD_OFFICER and actor.user.field_office != case.field_office:
        raise PermissionDenied(
            f"{actor.name} is a field officer of {actor.user.field_office}; case {case.id} "
            f"belongs to {case.field_office}, so only its own field office may act on it"
        )


def _rule_for(workflow: Workflow, case: Case, to_state: str) -> Rule:
    if to_state not in workflow.states:
        raise InputError(
            f"{to_state!r} is not a workflow state; states: {', '.join(workflow.states)}"
        )
    rule = workflow.rule(case.state, to_state)
    if rule is None:
        moves = workflow.moves_from(case.state)
        allowed = (
            "; from there it can go to "
            + ", ".join(f"{move.to_state} ({'/'.join(move.roles)})" for move in moves)
            if moves
            else "; it is closed and has no moves"
        )
        raise WorkflowError(f"case {case.id} is {case.state} and cannot go to {to_state}{allowed}")
    return rule


def _confirmers(session: Session, case_id: int) -> set[int | None]:
    """Everyone who has confirmed this case's match, at any time."""
    return set(
        session.scalars(
            select(Transition.actor_id).where(
                Transition.case_id == case_id, Transition.to_state == MATCH_CONFIRMED
            )
        )
    )


def _check_fixed_rules(session: Session, case: Case, rule: Rule, actor: Actor, reason: str) -> None:
    """The rules no workflow file can loosen."""
    if case.state == CITIZENSHIP_REVIEW and rule.to_state != CITIZENSHIP_REVIEW:
        if actor.role != Role.SUPERVISOR:
            raise PermissionDenied(
                f"case {case.id} is in citizenship_review: only a supervisor may clear it, "
                f"and {actor.name} is a {actor.role}"
            )
        if len(reason.strip()) < CITIZENSHIP_CLEARING_MIN_REASON:
            raise WorkflowError(
                f"clearing citizenship_review on case {case.id} needs a written reason of at "
                f"least {CITIZENSHIP_CLEARING_MIN_REASON} characters saying what evidence "
                "settles the citizenship question"
            )
        if rule.to_state == "priority_assessed" and not _confirmers(session, case.id):
            raise WorkflowError(
                f"case {case.id} has no confirmed match on record; clear citizenship review "
                "to in_review so an analyst can confirm the match first"
            )
    if rule.to_state == APPROVED:
        confirmers = _confirmers(session, case.id)
        if not confirmers:
            raise WorkflowError(
                f"case {case.id} has no confirmed match on record; a match must be confirmed "
                "before its priority is approved"
            )
        if actor.user is not None and actor.user.id in confirmers:
            raise PermissionDenied(
                f"two-person rule: {actor.name} confirmed the match on case {case.id} and so "
                "cannot also approve its priority; another supervisor must approve it"
            )


def _move(
    session: Session,
    case: Case,
    rule: Rule,
    actor: Actor,
    reason: str,
    expected_version: int,
    detail: Mapping[str, Any] | None = None,
) -> Transition:
    """Change the state if the case is still at `expected_version`; record and audit it."""
    now = utc_now()
    result = cast(
        CursorResult[Any],
        session.execute(
            update(Case)
            .where(Case.id == case.id, Case.version == expected_version)
            .values(state=rule.to_state, version=expected_version + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        session.refresh(case)
        raise _conflict(session, case, expected_version)
    from_state = case.state
    set_committed_value(case, "state", rule.to_state)
    set_committed_value(case, "version", expected_version + 1)
    set_committed_value(case, "updated_at", now)
    step = Transition(
        case_id=case.id,
        from_state=from_state,
        to_state=rule.to_state,
        actor_id=actor.user.id if actor.user else None,
        actor_name=actor.name,
        actor_role=actor.role,
        reason=reason.strip(),
        at=now,
        version_after=expected_version + 1,
    )
    session.add(step)
    session.flush()
    audit.record(
        session,
        actor=actor.name,
        action="case.transition",
        subject=f"case:{case.id}",
        detail={
            "from": from_state,
            "to": rule.to_state,
            "reason": reason.strip(),
            "version": expected_version + 1,
            **(detail or {}),
        },
    )
    return step


def _checked_rule(
    session: Session,
    case: Case,
    to_state: str,
    actor: Actor,
    reason: str,
    expected_version: int,
    workflow: Workflow,
    requirement: str | None,
) -> Rule:
    """Every check before a move, in the order a person would want to hear about them."""
    if case.version != expected_version:
        raise _conflict(session, case, expected_version)
    _check_actor_may_act(actor, case)
    rule = _rule_for(workflow, case, to_state)
    if actor.role not in rule.roles:
        raise PermissionDenied(
            f"moving case {case.id} from {case.state} to {to_state} needs a "
            f"{' or '.join(rule.roles)}; {actor.name} is a {actor.role}"
        )
    if rule.requires != requirement:
        if rule.requires is None:
            raise WorkflowError(f"{case.state} → {to_state} is a plain transition")
        raise WorkflowError(
            f"case {case.id} goes to {to_state} only with its record: "
            f"{REQUIREMENT_HELP[rule.requires]}"
        )
    if len(reason.strip()) < rule.min_reason:
        raise WorkflowError(
            f"moving case {case.id} to {to_state} needs a reason of at least "
            f"{rule.min_reason} characters (--reason)"
        )
    _check_fixed_rules(session, case, rule, actor, reason)
    return rule


def transition(
    session: Session,
    *,
    case_id: int,
    to_state: str,
    actor: User,
    reason: str,
    expected_version: int,
    workflow: Workflow | None = None,
) -> Transition:
    """Move a case to `to_state` as `actor`, if allowed and the case is still as read."""
    case = _case(session, case_id)
    flow = workflow or load()
    who = Actor.of(actor)
    rule = _checked_rule(session, case, to_state, who, reason, expected_version, flow, None)
    return _move(session, case, rule, who, reason, expected_version)


def system_transition(
    session: Session, *, case: Case, to_state: str, reason: str, workflow: Workflow | None = None
) -> Transition | None:
    """An automatic move (e.g. new citizenship evidence); None when the workflow has none."""
    flow = workflow or load()
    rule = flow.rule(case.state, to_state)
    if rule is None or SYSTEM not in rule.roles:
        return None
    return _move(session, case, rule, SYSTEM_ACTOR, reason, case.version)


def _check_viewer(viewer: User, case: Case | None = None) -> None:
    if not viewer.active:
        raise PermissionDenied(f"user {viewer.username} is disabled")
    if viewer.role == Role.ADMIN:
        raise PermissionDenied(
            f"{viewer.username} is an admin, who manages users and does not read cases"
        )
    if (
        case is not None
        and viewer.role == Role.FIELD_OFFICER
        and viewer.field_office != case.field_office
    ):
        raise PermissionDenied(
            f"{viewer.username} is a field officer of {viewer.field_office}; case {case.id} "
            f"belongs to {case.field_office}"
        )


def view_case(session: Session, *, case_id: int, viewer: User, purpose: str = "") -> Case:
    """A case with its history, evidence, detainers and arrests; the view is audited."""
    case = session.scalars(
        select(Case)
        .where(Case.id == case_id)
        .options(
            selectinload(Case.transitions),
            selectinload(Case.snapshots),
            selectinload(Case.notes),
            selectinload(Case.detainers),
            selectinload(Case.arrests),
        )
    ).one_or_none()
    if case is None:
        raise NotFound(f"no case {case_id}; see `soar cases list`")
    _check_viewer(viewer, case)
    audit.record(
        session,
        actor=viewer.username,
        action="case.view",
        subject=f"case:{case.id}",
        detail={"person_name": case.person_name, "purpose": purpose, "version": case.version},
    )
    return case


def record_view(
    session: Session, *, viewer: User, subject: str, purpose: str = "", detail: str = ""
) -> None:
    """Audit a view of something about a person outside a case page (e.g. a registry
    record or a match explanation in the web app): `subject` like `person:REG-123`."""
    _check_viewer(viewer)
    if not subject.strip():
        raise InputError("say what was viewed (subject)")
    audit.record(
        session,
        actor=viewer.username,
        action="person.view",
        subject=subject,
        detail={"purpose": purpose, "detail": detail},
    )


def read_audit_log(
    session: Session, *, viewer: User, subject: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    """The newest audit entries (about `subject` if given) for an auditor; audited too."""
    if not viewer.active:
        raise PermissionDenied(f"user {viewer.username} is disabled")
    if viewer.role not in (Role.AUDITOR, Role.SUPERVISOR):
        raise PermissionDenied(
            f"{viewer.username} is a {viewer.role}; only auditors and supervisors read the "
            "audit log"
        )
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if subject is not None:
        query = query.where(AuditEntry.subject == subject)
    entries = list(session.scalars(query))
    audit.record(
        session,
        actor=viewer.username,
        action="audit.read",
        subject=subject or "audit_log",
        detail={"shown": len(entries)},
    )
    return entries


def _listing_scope(viewer: User, state: str | None, field_office: str | None) -> str | None:
    """The field office a listing may show (a field officer's own, always), after checking
    the viewer and the state filter."""
    _check_viewer(viewer)
    if viewer.role == Role.FIELD_OFFICER:
        if field_office not in (None, viewer.field_office):
            raise PermissionDenied(
                f"{viewer.username} is a field officer of {viewer.field_office} and cannot "
                f"list cases of {field_office}"
            )
        field_office = viewer.field_office
    if state is not None and state not in load().states:
        raise InputError(f"{state!r} is not a workflow state; states: {', '.join(load().states)}")
    return field_office


def list_cases(
    session: Session,
    *,
    viewer: User,
    state: str | None = None,
    field_office: str | None = None,
    limit: int = 1_000,
) -> list[Case]:
    """Cases by id, filtered; a field officer sees only their field office. Audited."""
    field_office = _listing_scope(viewer, state, field_office)
    query = select(Case).order_by(Case.id).limit(limit)
    if state is not None:
        query = query.where(Case.state == state)
    if field_office is not None:
        query = query.where(Case.field_office == field_office)
    cases = list(session.scalars(query))
    audit.record(
        session,
        actor=viewer.username,
        action="case.list",
        subject="cases",
        detail={"state": state, "field_office": field_office, "shown": len(cases)},
    )
    return cases


def search_cases(
    session: Session,
    *,
    viewer: User,
    state: str | None = None,
    field_office: str | None = None,
    policy_decision: str | None = None,
    in_custody: bool | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Case], int]:
    """One page of cases (newest change first) and how many match in all; scoped and
    audited like `list_cases`. Custody is read from each case's newest lead."""
    field_office = _listing_scope(viewer, state, field_office)
    conditions: list[Any] = []
    if state is not None:
        conditions.append(Case.state == state)
    if field_office is not None:
        conditions.append(Case.field_office == field_office)
    if policy_decision is not None:
        conditions.append(Case.policy_decision == policy_decision)
    if in_custody is not None:
        newest = (
            select(func.max(LeadSnapshot.id))
            .where(LeadSnapshot.case_id == Case.id)
            .correlate(Case)
            .scalar_subquery()
        )
        custody = func.coalesce(LeadSnapshot.lead["in_custody"].as_boolean(), False)
        conditions.append(
            select(LeadSnapshot.id)
            .where(LeadSnapshot.id == newest, custody.is_(in_custody))
            .exists()
        )
    total = session.scalar(select(func.count()).select_from(Case).where(*conditions)) or 0
    cases = list(
        session.scalars(
            select(Case)
            .where(*conditions)
            .order_by(Case.updated_at.desc(), Case.id.desc())
            .offset(max(offset, 0))
            .limit(max(limit, 0))
        )
    )
    audit.record(
        session,
        actor=viewer.username,
        action="case.list",
        subject="cases",
        detail={
            "state": state,
            "field_office": field_office,
            "policy_decision": policy_decision,
            "in_custody": in_custody,
            "offset": offset,
            "shown": len(cases),
        },
    )
    return cases, total


def add_note(session: Session, *, case_id: int, author: User, text: str) -> CaseNote:
    """A remark on a case by a person who may act on it."""
    case = _case(session, case_id)
    _check_actor_may_act(Actor.of(author), case)
    if not text.strip():
        raise InputError("the note is empty")
    note = CaseNote(case_id=case.id, author=author.username, text=text.strip())
    session.add(note)
    session.flush()
    audit.record(
        session,
        actor=author.username,
        action="case.note",
        subject=f"case:{case.id}",
        detail={"text": note.text},
    )
    return note


def has_biometric_evidence(session: Session, case: Case) -> bool:
    """Whether the newest lead shows the fingerprint identifiers agreeing.

    Agreement is equal, non-empty values, or a positive weight from the linkage model.
    """
    snapshot = session.scalars(
        select(LeadSnapshot).where(LeadSnapshot.case_id == case.id).order_by(LeadSnapshot.id.desc())
    ).first()
    if snapshot is None:
        return False
    for item in snapshot.lead.get("evidence", []):
        if not isinstance(item, dict) or item.get("field") != "fingerprint_id":
            continue
        left, right = str(item.get("left", "")).strip(), str(item.get("right", "")).strip()
        if (left and left == right) or float(item.get("weight", 0.0)) > 0:
            return True
    return False


def issue_detainer(
    session: Session,
    *,
    case_id: int,
    actor: User,
    expected_version: int,
    facility: str,
    served_on: date,
    probable_cause: str,
    warrant: str,
    reason: str,
    release_at: datetime | None = None,
    probable_cause_detail: str = "",
    workflow: Workflow | None = None,
) -> Detainer:
    """Lodge an I-247A with a jail; the case goes to `detainer_issued`.

    `release_at` is when the jail would otherwise release the person (facility-local);
    when given, the 48-hour hold deadline is computed from it.
    """
    case = _case(session, case_id)
    who = Actor.of(actor)
    flow = workflow or load()
    rule = _checked_rule(
        session, case, "detainer_issued", who, reason, expected_version, flow, "detainer"
    )
    if not facility.strip():
        raise InputError("name the facility holding the person (--facility)")
    try:
        basis = ProbableCause(probable_cause)
    except ValueError as error:
        raise InputError(
            f"probable-cause basis {probable_cause!r}: use one of {', '.join(ProbableCause)}"
        ) from error
    try:
        warrant_form = Warrant(warrant)
    except ValueError as error:
        raise InputError(f"warrant {warrant!r}: use {' or '.join(Warrant)}") from error
    # An I-205 warrant of removal executes a final order (8 CFR 241.2); without one, I-200.
    if warrant_form == Warrant.I_205 and basis != ProbableCause.FINAL_ORDER:
        raise InputError(
            "an I-205 warrant of removal needs a final removal order as the basis; "
            "use an I-200 warrant for other bases"
        )
    if basis == ProbableCause.OTHER_RELIABLE_EVIDENCE and not probable_cause_detail.strip():
        raise InputError(
            "basis other_reliable_evidence needs the evidence described (--basis-detail); "
            "a foreign birthplace with no database match is not enough"
        )
    if basis == ProbableCause.BIOMETRIC_CONFIRMATION and not has_biometric_evidence(session, case):
        raise InputError(
            f"case {case.id}'s match is biographic only (no agreeing fingerprint evidence in "
            "the lead); biometric_confirmation cannot be the basis"
        )
    deadline = hold_deadline(release_at) if release_at is not None else None
    step = _move(
        session,
        case,
        rule,
        who,
        reason,
        expected_version,
        {
            "facility": facility.strip(),
            "served_on": served_on.isoformat(),
            "probable_cause": basis.value,
            "warrant": warrant_form.value,
            "hold_deadline": deadline.isoformat() if deadline else None,
        },
    )
    detainer = Detainer(
        case_id=case.id,
        form="I-247A",
        facility=facility.strip(),
        served_on=served_on,
        probable_cause=basis.value,
        probable_cause_detail=probable_cause_detail.strip(),
        warrant=warrant_form.value,
        release_at=release_at,
        hold_deadline=deadline,
        issued_by=actor.id,
        issued_at=step.at,
        outcome_reason="",
    )
    session.add(detainer)
    session.flush()
    return detainer


def record_detainer_outcome(
    session: Session,
    *,
    case_id: int,
    actor: User,
    expected_version: int,
    outcome: str,
    reason: str,
    workflow: Workflow | None = None,
) -> Detainer:
    """How the open detainer ended, with the reason (DOMAIN.md: keep refusal reasons)."""
    try:
        result = DetainerOutcome(outcome)
    except ValueError as error:
        raise InputError(
            f"detainer outcome {outcome!r}: use one of {', '.join(DetainerOutcome)}"
        ) from error
    case = _case(session, case_id)
    who = Actor.of(actor)
    flow = workflow or load()
    rule = _checked_rule(
        session,
        case,
        OUTCOME_STATES[result],
        who,
        reason,
        expected_version,
        flow,
        "detainer_outcome",
    )
    detainer = session.scalars(
        select(Detainer)
        .where(Detainer.case_id == case.id, Detainer.outcome.is_(None))
        .order_by(Detainer.id.desc())
    ).first()
    if detainer is None:
        raise WorkflowError(f"case {case.id} has no open detainer to record an outcome for")
    step = _move(
        session,
        case,
        rule,
        who,
        reason,
        expected_version,
        {"detainer": detainer.id, "outcome": result.value},
    )
    detainer.outcome = result.value
    detainer.outcome_reason = reason.strip()
    detainer.outcome_at = step.at
    detainer.outcome_by = actor.id
    session.flush()
    return detainer


def record_arrest(
    session: Session,
    *,
    case_id: int,
    actor: User,
    expected_version: int,
    arrested_on: date,
    place: str,
    reason: str,
    targeted: bool = True,
    person_description: str = "",
    workflow: Workflow | None = None,
) -> Arrest:
    """An arrest on a case. Targeted: the case goes to `arrested`. Collateral: someone
    else encountered during the action; recorded on the case, whose state stays."""
    case = _case(session, case_id)
    who = Actor.of(actor)
    if not place.strip():
        raise InputError("say where the arrest was made (--place)")
    if targeted:
        flow = workflow or load()
        rule = _checked_rule(
            session, case, "arrested", who, reason, expected_version, flow, "arrest"
        )
        _move(
            session,
            case,
            rule,
            who,
            reason,
            expected_version,
            {"arrested_on": arrested_on.isoformat(), "place": place.strip(), "targeted": True},
        )
    else:
        if case.version != expected_version:
            raise _conflict(session, case, expected_version)
        _check_actor_may_act(who, case)
        if actor.role != Role.FIELD_OFFICER:
            raise PermissionDenied(
                f"only a field officer records arrests; {actor.username} is a {actor.role}"
            )
        if case.state not in ARREST_STATES:
            raise WorkflowError(
                f"case {case.id} is {case.state}; collateral arrests are recorded on cases "
                f"in field action ({', '.join(ARREST_STATES)})"
            )
        if not person_description.strip():
            raise InputError("describe the person arrested collaterally (--person)")
        audit.record(
            session,
            actor=actor.username,
            action="case.collateral_arrest",
            subject=f"case:{case.id}",
            detail={
                "arrested_on": arrested_on.isoformat(),
                "place": place.strip(),
                "person": person_description.strip(),
                "reason": reason.strip(),
            },
        )
    arrest = Arrest(
        case_id=case.id,
        arrested_on=arrested_on,
        place=place.strip(),
        field_office=actor.field_office or case.field_office,
        targeted=targeted,
        person_description=person_description.strip(),
        recorded_by=actor.id,
    )
    session.add(arrest)
    session.flush()
    return arrest


# The funnel an operation reports (DOMAIN.md, "Figures"): cases that ever reached a state.
FUNNEL_STATES = (
    "in_review",
    MATCH_CONFIRMED,
    CITIZENSHIP_REVIEW,
    "priority_assessed",
    APPROVED,
    "assigned",
    "detainer_issued",
    "detainer_honored",
    "arrested",
    "removed",
)


def funnel(session: Session) -> dict[str, int]:
    """Leads imported, then how many cases ever reached each stage, then arrests made."""
    counts: dict[str, int] = {"leads": session.scalar(select(func.count()).select_from(Case)) or 0}
    reached: dict[str, int] = {
        to_state: count
        for to_state, count in session.execute(
            select(Transition.to_state, func.count(func.distinct(Transition.case_id)))
            .where(Transition.to_state.in_(FUNNEL_STATES))
            .group_by(Transition.to_state)
        )
    }
    for state in FUNNEL_STATES:
        counts[state] = reached.get(state, 0)
    arrests: dict[bool, int] = {
        targeted: count
        for targeted, count in session.execute(
            select(Arrest.targeted, func.count()).group_by(Arrest.targeted)
        )
    }
    counts["arrests_targeted"] = arrests.get(True, 0)
    counts["arrests_collateral"] = arrests.get(False, 0)
    return counts
