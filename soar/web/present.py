"""View helpers shared by pages and the API: highlighted differences, case summaries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from soar.cases.models import AuditEntry, Case, LeadSnapshot
from soar.cases.workflow import Rule, Workflow
from soar.web.security import WebUser


def highlight_differences(left: str, right: str) -> tuple[Markup, Markup]:
    """Both values escaped, with the characters that differ wrapped in <mark>."""
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    left_parts: list[str] = []
    right_parts: list[str] = []
    for operation, l1, l2, r1, r2 in matcher.get_opcodes():
        left_text, right_text = str(escape(left[l1:l2])), str(escape(right[r1:r2]))
        if operation == "equal":
            left_parts.append(left_text)
            right_parts.append(right_text)
            continue
        if left_text:
            left_parts.append(f"<mark>{left_text}</mark>")
        if right_text:
            right_parts.append(f"<mark>{right_text}</mark>")
    return Markup("".join(left_parts)), Markup("".join(right_parts))


def newest_lead(case: Case) -> dict[str, Any]:
    """The lead as last imported (evidence, offenses, reasons), or {}."""
    return dict(case.snapshots[-1].lead) if case.snapshots else {}


def newest_lead_of(session: Session, case_id: int) -> dict[str, Any]:
    lead = session.scalar(
        select(LeadSnapshot.lead)
        .where(LeadSnapshot.case_id == case_id)
        .order_by(LeadSnapshot.id.desc())
        .limit(1)
    )
    return dict(lead) if isinstance(lead, dict) else {}


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a case's history, from the audit log."""

    at: str
    actor: str
    action: str
    detail: dict[str, Any]


def timeline(session: Session, case_id: int) -> list[TimelineEntry]:
    """Everything done to the case (not who merely looked), oldest first."""
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject == f"case:{case_id}", AuditEntry.action != "case.view")
        .order_by(AuditEntry.id)
    )
    result = []
    for entry in entries:
        try:
            detail = json.loads(entry.detail)
        except json.JSONDecodeError:
            detail = {"text": entry.detail}
        result.append(
            TimelineEntry(
                entry.at.strftime("%Y-%m-%d %H:%M UTC"),
                entry.actor,
                entry.action.removeprefix("case."),
                detail if isinstance(detail, dict) else {"value": detail},
            )
        )
    return result


def allowed_moves(workflow: Workflow, case: Case, user: WebUser) -> list[Rule]:
    """The plain moves this user's role may make from the case's state (forms for the
    detainer, its outcome and the arrest are shown separately)."""
    if user.role == "field_officer" and user.field_office != case.field_office:
        return []
    return [
        rule
        for rule in workflow.moves_from(case.state)
        if user.role in rule.roles and rule.requires is None
    ]


def can_record(workflow: Workflow, case: Case, user: WebUser, requirement: str) -> bool:
    """Whether the user may record a detainer / outcome / arrest on the case now."""
    if user.role == "field_officer" and user.field_office != case.field_office:
        return False
    return any(
        rule.requires == requirement and user.role in rule.roles
        for rule in workflow.moves_from(case.state)
    )


def other_candidates(session: Session, case: Case, limit: int = 20) -> list[Case]:
    """Other leads that share this case's registry or immigration record."""
    return list(
        session.scalars(
            select(Case)
            .where(
                Case.id != case.id,
                or_(
                    Case.registry_record_id == case.registry_record_id,
                    Case.immigration_record_id == case.immigration_record_id,
                ),
            )
            .order_by(Case.match_probability.desc(), Case.id)
            .limit(limit)
        )
    )


def case_summary(case: Case) -> dict[str, Any]:
    """A case as the API shows it in lists."""
    return {
        "id": case.id,
        "lead_key": case.lead_key,
        "state": case.state,
        "version": case.version,
        "field_office": case.field_office,
        "person_name": case.person_name,
        "dob": case.dob,
        "country_of_citizenship": case.country_of_citizenship,
        "registry_record_id": case.registry_record_id,
        "immigration_record_id": case.immigration_record_id,
        "match_probability": case.match_probability,
        "match_weight": case.match_weight,
        "policy_id": case.policy_id,
        "policy_decision": case.policy_decision,
        "citizenship_flags": list(case.citizenship_flags),
        "needs_attention": case.needs_attention,
        "updated_at": case.updated_at.isoformat(),
    }
