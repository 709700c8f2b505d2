"""Lead import: one case per lead_key, evidence kept, closed cases never silently reopened."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from soar.cases import service
from soar.cases.db import Store
from soar.cases.errors import ConflictError
from soar.cases.leads import LeadError, import_file, import_leads, read_leads
from soar.cases.models import Case, User
from soar.cases.workflow import load

from .conftest import LEADS_FIXTURE
from .factories import make_lead, write_leads


def cases(store: Store) -> list[Case]:
    """Every case with its history, snapshots and notes, read outside any audited view."""
    with store.transaction() as session:
        query = (
            select(Case)
            .order_by(Case.id)
            .options(
                selectinload(Case.transitions),
                selectinload(Case.snapshots),
                selectinload(Case.notes),
            )
        )
        return list(session.scalars(query))


def test_the_fixture_imports_one_case_per_lead(store: Store) -> None:
    with store.transaction() as session:
        summary = import_file(session, LEADS_FIXTURE)
    assert (summary.read, summary.created, summary.created_in_citizenship_review) == (8, 8, 1)
    states = {case.lead_key: case.state for case in cases(store)}
    assert states["L-0004"] == "citizenship_review"  # naturalization date in the record
    assert {state for key, state in states.items() if key != "L-0004"} == {"candidate"}


def test_a_case_keeps_its_evidence_snapshot(store: Store, people: dict[str, User]) -> None:
    with store.transaction() as session:
        import_file(session, LEADS_FIXTURE)
    with store.transaction() as session:
        case = service.view_case(session, case_id=1, viewer=people["alice"])
    lead = case.snapshots[0].lead
    assert lead["evidence"][0]["field"] == "last_name"
    assert lead["offenses"][0]["needs_legal_review"] is True
    assert lead["reasons"] == ["convicted of sexual abuse of a minor (aggravating)"]
    assert case.match_probability == pytest.approx(0.999)


def test_reimport_does_not_duplicate(store: Store) -> None:
    with store.transaction() as session:
        import_file(session, LEADS_FIXTURE)
    with store.transaction() as session:
        summary = import_file(session, LEADS_FIXTURE)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 8)
    assert len(cases(store)) == 8


def test_new_evidence_updates_the_case_and_outdates_what_people_read(
    store: Store, people: dict[str, User]
) -> None:
    with store.transaction() as session:
        import_leads(session, [make_lead("K1")], source="run1.jsonl")
    with store.transaction() as session:
        summary = import_leads(
            session, [make_lead("K1", match_probability=0.71)], source="run2.jsonl"
        )
    assert summary.updated == 1
    (case,) = cases(store)
    assert case.match_probability == pytest.approx(0.71)
    assert case.version == 2
    assert len(case.snapshots) == 2
    # An analyst who read version 1 is told the evidence changed under them.
    with pytest.raises(ConflictError, match="you read version 1"), store.transaction() as s:
        service.transition(
            s,
            case_id=case.id,
            to_state="in_review",
            actor=people["alice"],
            reason="taking it",
            expected_version=1,
        )


def test_reimport_never_silently_reopens_a_closed_case(
    store: Store, people: dict[str, User]
) -> None:
    with store.transaction() as session:
        import_leads(session, [make_lead("K1")], source="run1.jsonl")
    for to, who, reason in (
        ("in_review", "alice", "taking it"),
        ("match_rejected", "alice", "different person: DOB 20 years apart"),
    ):
        with store.transaction() as session:
            version = session.scalars(select(Case.version).where(Case.id == 1)).one()
            service.transition(
                session,
                case_id=1,
                to_state=to,
                actor=people[who],
                reason=reason,
                expected_version=version,
            )
    with store.transaction() as session:
        summary = import_leads(
            session, [make_lead("K1", match_probability=0.99)], source="run2.jsonl"
        )
    assert summary.closed_flagged == 1
    (case,) = cases(store)
    assert case.state == "match_rejected"
    assert case.needs_attention
    assert "closed as match_rejected" in case.attention_reason
    assert any("run2.jsonl" in note.text for note in case.notes)
    assert len(case.snapshots) == 2  # the new evidence is kept for the reviewer


def test_new_citizenship_evidence_stops_an_open_case(store: Store, people: dict[str, User]) -> None:
    with store.transaction() as session:
        import_leads(session, [make_lead("K1")], source="run1.jsonl")
    with store.transaction() as session:
        summary = import_leads(
            session,
            [make_lead("K1", citizenship_flags=["citizenship claim recorded at booking"])],
            source="run2.jsonl",
        )
    assert summary.sent_to_citizenship_review == 1
    (case,) = cases(store)
    assert case.state == "citizenship_review"
    assert case.transitions[-1].actor_name == "system"
    assert "citizenship claim" in case.transitions[-1].reason


def test_a_malformed_lead_names_file_line_and_key(tmp_path: Path, store: Store) -> None:
    bad = make_lead("K2")
    bad["match_probability"] = "high"
    path = write_leads(tmp_path / "leads.jsonl", [make_lead("K1"), bad])
    with (
        pytest.raises(LeadError, match=r"leads.jsonl line 2: 'match_probability' must be a number"),
        store.transaction() as session,
    ):
        import_file(session, path)
    assert cases(store) == []  # nothing half-imported


def test_a_broken_json_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "leads.jsonl"
    path.write_text('{"lead_key": "K1"\n', encoding="utf-8")
    with pytest.raises(LeadError, match="line 1: not valid JSON"):
        list(read_leads(path))


def test_the_same_key_twice_in_one_import_is_refused(store: Store) -> None:
    with pytest.raises(LeadError, match="appears twice"), store.transaction() as session:
        import_leads(session, [make_lead("K1"), make_lead("K1")], source="x")


def test_states_a_lead_can_start_in_exist() -> None:
    assert {"candidate", "citizenship_review"} <= set(load().states)


def _force(store: Store, state: str) -> None:
    from sqlalchemy import update

    with store.transaction() as session:
        session.execute(update(Case).where(Case.id == 1).values(state=state))


def test_new_citizenship_evidence_stops_a_case_with_a_live_detainer(store: Store) -> None:
    with store.transaction() as session:
        import_leads(session, [make_lead("K1")], source="run1.jsonl")
    _force(store, "detainer_issued")
    with store.transaction() as session:
        import_leads(
            session, [make_lead("K1", citizenship_flags=["US birth certificate"])], source="r2"
        )
    (case,) = cases(store)
    assert case.state == "citizenship_review"


def test_new_citizenship_evidence_after_arrest_flags_the_case(store: Store) -> None:
    with store.transaction() as session:
        import_leads(session, [make_lead("K1")], source="run1.jsonl")
    _force(store, "in_proceedings")
    with store.transaction() as session:
        summary = import_leads(
            session, [make_lead("K1", citizenship_flags=["US birth certificate"])], source="r2"
        )
    assert summary.open_flagged == 1
    (case,) = cases(store)
    assert case.state == "in_proceedings"
    assert case.needs_attention and "US birth certificate" in case.attention_reason
    assert any("review it" in note.text for note in case.notes)


def test_a_mixed_import_reports_each_leads_case_in_file_order(store: Store) -> None:
    with store.transaction() as session:
        first = import_leads(session, [make_lead("B"), make_lead("D")], source="run1")
    with store.transaction() as session:
        second = import_leads(
            session,
            [make_lead("A"), make_lead("B"), make_lead("C"), make_lead("D", match_weight=3.0)],
            source="run2",
        )
    b, d = first.case_ids
    assert (second.created, second.unchanged, second.updated) == (2, 1, 1)
    assert second.case_ids[1] == b and second.case_ids[3] == d
    assert len(set(second.case_ids)) == 4
