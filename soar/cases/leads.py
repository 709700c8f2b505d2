"""Import leads from the policy stage: each lead becomes (or updates) one case.

Lead file format: JSON lines (UTF-8), one lead per line, blank lines ignored::

    {"lead_key": str,              # stable identity of the lead across linkage runs
     "registry_record_id": str, "immigration_record_id": str,
     "person_name": str, "dob": str,                  # dob: YYYY, YYYY-MM or YYYY-MM-DD
     "match_probability": float,                      # 0..1
     "match_weight": float,                           # log2 Bayes factor
     "evidence": [{"field": str, "left": str, "right": str, "level": str,
                   "weight": float}],                 # per-field contributions
     "offenses": [{"statute": str, "description": str, "disposition": str,
                   "category": str, "needs_legal_review": bool}],
     "policy_id": str, "policy_decision": str, "reasons": [str],
     "citizenship_flags": [str],                      # any sign of US citizenship
     "field_office": str, "country_of_citizenship": str}

Rules (issue 6):
- A new `lead_key` makes a case in `candidate`, or in `citizenship_review` when
  `citizenship_flags` is non-empty (DESIGN.md: citizenship evidence blocks action).
- The lead is kept as an evidence snapshot; re-importing an identical lead changes nothing.
- A changed lead adds a snapshot and updates the case's figures (its version moves on, so
  anyone deciding on the old evidence gets a conflict). New citizenship flags send an open
  case to `citizenship_review` wherever the workflow lets the system do so (every state
  before arrest); past that the case is flagged with a note for a supervisor.
- A closed case is never reopened by an import: the new evidence is kept, a note added and
  the case flagged for a supervisor, who may reopen it.
Unknown extra keys are kept in the snapshot; missing or mistyped keys stop the import
before anything is written, naming the file, line and key.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from soar.cases import audit
from soar.cases.models import Case, CaseNote, LeadSnapshot, Transition, utc_now
from soar.cases.service import system_transition
from soar.cases.workflow import CITIZENSHIP_REVIEW, SYSTEM, load
from soar.errors import InputError

STRING_FIELDS = (
    "lead_key",
    "registry_record_id",
    "immigration_record_id",
    "person_name",
    "dob",
    "policy_id",
    "policy_decision",
    "field_office",
    "country_of_citizenship",
)
NUMBER_FIELDS = ("match_probability", "match_weight")
EVIDENCE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "field": str,
    "left": str,
    "right": str,
    "level": str,
    "weight": (int, float),
}
OFFENSE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "statute": str,
    "description": str,
    "disposition": str,
    "category": str,
    "needs_legal_review": bool,
}
DOB = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Columns of the case that follow the newest lead.
FOLLOWED = (
    "registry_record_id",
    "immigration_record_id",
    "person_name",
    "dob",
    "match_probability",
    "match_weight",
    "policy_id",
    "policy_decision",
    "country_of_citizenship",
)
# Until a case is assigned, the field office follows the lead too.
FIELD_OFFICE_FOLLOWS = (
    "candidate",
    "in_review",
    "match_confirmed",
    CITIZENSHIP_REVIEW,
    "priority_assessed",
    "approved",
)


class LeadError(InputError):
    """A lead that does not have the agreed shape."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_items(
    where: str, name: str, value: Any, spec: dict[str, type | tuple[type, ...]]
) -> None:
    if not isinstance(value, list):
        raise LeadError(f"{where}: {name!r} must be a list")
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise LeadError(f"{where}: {name}[{index}] must be an object")
        for key, kind in spec.items():
            entry = item.get(key)
            wrong = (
                entry is None
                or not isinstance(entry, kind)
                or (kind == (int, float) and isinstance(entry, bool))
            )
            if wrong:
                expected = "a number" if kind == (int, float) else getattr(kind, "__name__", kind)
                raise LeadError(f"{where}: {name}[{index}].{key} must be {expected}")


def validate(lead: Any, where: str) -> dict[str, Any]:
    """The lead if it has the documented shape; else a `LeadError` naming the key."""
    if not isinstance(lead, dict):
        raise LeadError(f"{where}: a lead must be a JSON object")
    for key in STRING_FIELDS:
        if not isinstance(lead.get(key), str):
            raise LeadError(f"{where}: {key!r} must be a string (it is {lead.get(key)!r})")
    for key in ("lead_key", "person_name", "field_office"):
        if not lead[key].strip():
            raise LeadError(f"{where}: {key!r} is empty")
    if not DOB.match(lead["dob"]) and lead["dob"] != "":
        raise LeadError(f"{where}: dob {lead['dob']!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
    for key in NUMBER_FIELDS:
        if not _is_number(lead.get(key)):
            raise LeadError(f"{where}: {key!r} must be a number (it is {lead.get(key)!r})")
    if not 0.0 <= float(lead["match_probability"]) <= 1.0:
        raise LeadError(f"{where}: match_probability {lead['match_probability']} is not in 0..1")
    _check_items(where, "evidence", lead.get("evidence"), EVIDENCE_FIELDS)
    _check_items(where, "offenses", lead.get("offenses"), OFFENSE_FIELDS)
    for key in ("reasons", "citizenship_flags"):
        value = lead.get(key)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise LeadError(f"{where}: {key!r} must be a list of strings")
    return lead


def read_leads(path: Path) -> Iterator[dict[str, Any]]:
    """Leads from a JSON-lines file, each checked; errors name the file and line."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read leads file {path}: {error.strerror}") from error
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path} line {number}"
            try:
                lead = json.loads(line)
            except json.JSONDecodeError as error:
                raise LeadError(f"{where}: not valid JSON ({error.msg})") from error
            yield validate(lead, where)


@dataclass
class ImportSummary:
    """What an import did, in numbers a person checks."""

    read: int = 0
    created: int = 0
    created_in_citizenship_review: int = 0
    updated: int = 0
    unchanged: int = 0
    sent_to_citizenship_review: int = 0
    closed_flagged: int = 0
    open_flagged: int = 0
    case_ids: list[int] = field(default_factory=list, repr=False)


def _sha256(lead: dict[str, Any]) -> str:
    return hashlib.sha256(audit.canonical_json(lead).encode("utf-8")).hexdigest()


def _create_all(session: Session, new: list[tuple[dict[str, Any], str]], source: str) -> list[Case]:
    """Cases for new leads, with their first transition, snapshot and audit entry.

    Batched (one flush per table, one audit append) so a national lead file imports in
    seconds rather than minutes.
    """
    workflow = load()
    now = utc_now()
    cases = []
    for lead, _digest in new:
        flags = list(lead["citizenship_flags"])
        cases.append(
            Case(
                lead_key=lead["lead_key"],
                state=CITIZENSHIP_REVIEW if flags else workflow.initial,
                version=1,
                field_office=lead["field_office"],
                citizenship_flags=flags,
                needs_attention=False,
                attention_reason="",
                created_at=now,
                updated_at=now,
                **{key: lead[key] for key in FOLLOWED},
            )
        )
    session.add_all(cases)
    session.flush()
    events = []
    for case, (lead, digest) in zip(cases, new, strict=True):
        flags = case.citizenship_flags
        reason = (
            f"imported from {source}; signs of US citizenship: {', '.join(flags)}"
            if flags
            else f"imported from {source}"
        )
        session.add(
            Transition(
                case_id=case.id,
                from_state=None,
                to_state=case.state,
                actor_id=None,
                actor_name=SYSTEM,
                actor_role=SYSTEM,
                reason=reason,
                at=now,
                version_after=1,
            )
        )
        session.add(
            LeadSnapshot(
                case_id=case.id, source=source, lead_sha256=digest, lead=lead, imported_at=now
            )
        )
        events.append(
            audit.Event(
                SYSTEM,
                "case.create",
                f"case:{case.id}",
                {"lead_key": case.lead_key, "state": case.state, "source": source, "lead": digest},
            )
        )
    session.flush()
    audit.record_many(session, events)
    return cases


def _note(session: Session, case: Case, text: str) -> None:
    session.add(CaseNote(case_id=case.id, author=SYSTEM, text=text))


def _update(
    session: Session,
    case: Case,
    lead: dict[str, Any],
    digest: str,
    source: str,
    summary: ImportSummary,
) -> None:
    workflow = load()
    session.add(LeadSnapshot(case_id=case.id, source=source, lead_sha256=digest, lead=lead))
    new_flags = [flag for flag in lead["citizenship_flags"] if flag not in case.citizenship_flags]
    if workflow.is_terminal(case.state):
        reason = (
            f"new linkage evidence from {source} for a case closed as {case.state}"
            + (f", with signs of US citizenship: {', '.join(new_flags)}" if new_flags else "")
            + "; a supervisor should decide whether to reopen it"
        )
        _note(session, case, reason)
        case.needs_attention = True
        case.attention_reason = reason
        case.citizenship_flags = sorted({*case.citizenship_flags, *new_flags})
        case.updated_at = utc_now()
        session.flush()
        audit.record(
            session,
            actor=SYSTEM,
            action="case.closed_case_evidence",
            subject=f"case:{case.id}",
            detail={"state": case.state, "source": source, "lead": digest, "new_flags": new_flags},
        )
        summary.closed_flagged += 1
        return
    changes = {
        key: {"was": getattr(case, key), "now": lead[key]}
        for key in FOLLOWED
        if getattr(case, key) != lead[key]
    }
    for key in FOLLOWED:
        setattr(case, key, lead[key])
    if case.field_office != lead["field_office"]:
        if case.state in FIELD_OFFICE_FOLLOWS:
            changes["field_office"] = {"was": case.field_office, "now": lead["field_office"]}
            case.field_office = lead["field_office"]
        else:
            _note(
                session,
                case,
                f"the newest lead ({source}) names field office "
                f"{lead['field_office']}; the case stays with {case.field_office}",
            )
    case.citizenship_flags = sorted({*case.citizenship_flags, *lead["citizenship_flags"]})
    # Always dirty, so the version moves on (mapper version_id_col): a decision taken on the
    # old evidence then conflicts.
    case.updated_at = utc_now()
    session.flush()
    audit.record(
        session,
        actor=SYSTEM,
        action="case.evidence_updated",
        subject=f"case:{case.id}",
        detail={"source": source, "lead": digest, "changes": changes, "new_flags": new_flags},
    )
    summary.updated += 1
    if new_flags and case.state != CITIZENSHIP_REVIEW:
        reason = f"new signs of US citizenship in {source}: {', '.join(new_flags)}"
        # The workflow says from which states the system may stop a case (roles "system").
        moved = system_transition(
            session, case=case, to_state=CITIZENSHIP_REVIEW, reason=reason, workflow=workflow
        )
        if moved is None:
            _note(session, case, reason + f"; the case is {case.state}, review it")
            case.needs_attention = True
            case.attention_reason = reason
            summary.open_flagged += 1
        else:
            summary.sent_to_citizenship_review += 1


# Keys per IN (…) query: well under SQLite's and PostgreSQL's parameter limits.
LOOKUP_CHUNK = 500


def _existing(session: Session, keys: list[str]) -> dict[str, tuple[Case, str | None]]:
    """Known cases by lead_key, each with the digest of its newest snapshot."""
    found: dict[str, tuple[Case, str | None]] = {}
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        cases = {
            case.id: case for case in session.scalars(select(Case).where(Case.lead_key.in_(chunk)))
        }
        if not cases:
            continue
        newest = (
            select(LeadSnapshot.case_id, func.max(LeadSnapshot.id).label("id"))
            .where(LeadSnapshot.case_id.in_(list(cases)))
            .group_by(LeadSnapshot.case_id)
            .subquery()
        )
        digests = {
            case_id: digest
            for case_id, digest in session.execute(
                select(LeadSnapshot.case_id, LeadSnapshot.lead_sha256).join(
                    newest, LeadSnapshot.id == newest.c.id
                )
            )
        }
        for case_id, case in cases.items():
            found[case.lead_key] = (case, digests.get(case_id))
    return found


def import_leads(
    session: Session, leads: Iterable[dict[str, Any]], *, source: str, operator: str = ""
) -> ImportSummary:
    """Create or update one case per lead (keyed by `lead_key`) in the caller's transaction.

    `source` names where the leads came from (a file name) in notes and the audit log;
    `operator` who ran the import (e.g. the OS login), kept in the audit log.
    """
    summary = ImportSummary()
    audit.lock_head(session)
    checked: list[tuple[dict[str, Any], str]] = []
    seen: set[str] = set()
    for number, raw in enumerate(leads, start=1):
        lead = validate(raw, f"{source} lead {number}")
        if lead["lead_key"] in seen:
            raise LeadError(
                f"{source} lead {number}: lead_key {lead['lead_key']!r} appears twice in one "
                "import; each lead must have its own key"
            )
        seen.add(lead["lead_key"])
        checked.append((lead, _sha256(lead)))
    summary.read = len(checked)
    existing = _existing(session, [lead["lead_key"] for lead, _ in checked])
    new = [(lead, digest) for lead, digest in checked if lead["lead_key"] not in existing]
    for lead, digest in checked:
        known = existing.get(lead["lead_key"])
        if known is None:
            continue
        case, latest = known
        if latest == digest:
            summary.unchanged += 1
        else:
            _update(session, case, lead, digest, source, summary)
    created = {case.lead_key: case for case in _create_all(session, new, source)}
    summary.created = len(created)
    summary.created_in_citizenship_review = sum(
        case.state == CITIZENSHIP_REVIEW for case in created.values()
    )
    summary.case_ids = [
        (
            created[lead["lead_key"]]
            if lead["lead_key"] in created
            else existing[lead["lead_key"]][0]
        ).id
        for lead, _ in checked
    ]
    audit.record(
        session,
        actor=SYSTEM,
        action="leads.import",
        subject=f"import:{source}",
        detail={
            "operator": operator,
            "read": summary.read,
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "closed_flagged": summary.closed_flagged,
        },
    )
    return summary


def import_file(session: Session, path: Path, *, operator: str = "") -> ImportSummary:
    """Import a JSON-lines leads file (see the module docstring for the format)."""
    return import_leads(session, list(read_leads(path)), source=path.name, operator=operator)
