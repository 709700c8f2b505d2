"""The audit chain: every change and view is recorded; tampering is found and located."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from soar.cases import audit, service
from soar.cases.db import Store
from soar.cases.errors import PermissionDenied, WorkflowError
from soar.cases.leads import import_leads
from soar.cases.models import AuditEntry, User

from .factories import make_lead


def drop_append_only_guard(store: Store) -> None:
    """What a database superuser could do before tampering: remove the triggers."""
    with store.transaction() as session:
        if store.engine.dialect.name == "sqlite":
            session.execute(text("DROP TRIGGER audit_log_no_update"))
            session.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            session.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))


def busy_store(store: Store, people: dict[str, User]) -> int:
    """A few cases imported, moved and viewed; returns the number of audit entries."""
    with store.transaction() as session:
        import_leads(session, [make_lead(f"K{n}") for n in range(3)], source="leads.jsonl")
    with store.transaction() as session:
        service.transition(
            session,
            case_id=1,
            to_state="in_review",
            actor=people["alice"],
            reason="taking it",
            expected_version=1,
        )
        service.view_case(session, case_id=2, viewer=people["otto"], purpose="quarterly audit")
    with store.transaction() as session:
        result = audit.verify(session)
    assert result.ok, result.problem
    return result.entries


def verify(store: Store) -> audit.Verification:
    with store.transaction() as session:
        return audit.verify(session)


def test_a_clean_chain_verifies(store: Store, people: dict[str, User]) -> None:
    entries = busy_store(store, people)
    # 8 users, 3 cases created, 1 import, 1 transition, 1 view.
    assert entries == 8 + 3 + 1 + 1 + 1


def test_an_edited_entry_is_found(store: Store, people: dict[str, User]) -> None:
    busy_store(store, people)
    drop_append_only_guard(store)
    with store.transaction() as session:
        session.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE id = 11"))
    result = verify(store)
    assert not result.ok
    assert result.first_bad_id == 11
    assert "entry 11 was edited" in result.problem


def test_an_edit_that_recomputes_the_hash_is_found_at_the_next_entry(
    store: Store, people: dict[str, User]
) -> None:
    busy_store(store, people)
    drop_append_only_guard(store)
    with store.transaction() as session:
        entry = session.get(AuditEntry, 10)
        assert entry is not None
        forged = audit.entry_hash(
            entry_id=10,
            at=entry.at,
            actor="mallory",
            action=entry.action,
            subject=entry.subject,
            detail=entry.detail,
            prev_hash=entry.prev_hash,
        )
        session.execute(
            text("UPDATE audit_log SET actor = 'mallory', hash = :h WHERE id = 10"), {"h": forged}
        )
    result = verify(store)
    assert result.first_bad_id == 11
    assert "does not follow entry 10" in result.problem


def test_a_deleted_entry_is_found(store: Store, people: dict[str, User]) -> None:
    busy_store(store, people)
    drop_append_only_guard(store)
    with store.transaction() as session:
        session.execute(text("DELETE FROM audit_log WHERE id = 5"))
    result = verify(store)
    assert result.first_bad_id == 5
    assert "entry 5 missing" in result.problem


def test_deleting_the_newest_entries_is_found(store: Store, people: dict[str, User]) -> None:
    entries = busy_store(store, people)
    drop_append_only_guard(store)
    with store.transaction() as session:
        session.execute(text("DELETE FROM audit_log WHERE id >= :n"), {"n": entries - 1})
    result = verify(store)
    assert not result.ok
    assert result.first_bad_id == entries - 1
    assert "the last 2 entries were deleted" in result.problem


def test_reordered_entries_are_found(store: Store, people: dict[str, User]) -> None:
    busy_store(store, people)
    drop_append_only_guard(store)
    with store.transaction() as session:
        # Swap the ids of entries 6 and 7 (via a free id).
        session.execute(text("UPDATE audit_log SET id = -1 WHERE id = 6"))
        session.execute(text("UPDATE audit_log SET id = 6 WHERE id = 7"))
        session.execute(text("UPDATE audit_log SET id = 7 WHERE id = -1"))
    result = verify(store)
    assert result.first_bad_id == 6
    assert not result.ok


def test_views_of_a_case_are_audited_with_who_and_why(
    store: Store, people: dict[str, User]
) -> None:
    busy_store(store, people)
    with store.transaction() as session:
        views = [e for e in audit.entries_for(session, "case:2") if e.action == "case.view"]
    assert len(views) == 1
    assert views[0].actor == "otto"
    assert "quarterly audit" in views[0].detail


def test_a_refused_change_leaves_no_audit_entry(store: Store, people: dict[str, User]) -> None:
    entries = busy_store(store, people)
    with (
        pytest.raises(WorkflowError, match="cannot go to approved"),
        store.transaction() as session,
    ):
        service.transition(
            session,
            case_id=1,
            to_state="approved",
            actor=people["sam"],
            reason="approve it now",
            expected_version=2,
        )
    assert verify(store).entries == entries


def test_views_of_a_person_outside_a_case_are_audited(
    store: Store, people: dict[str, User]
) -> None:
    with store.transaction() as session:
        service.record_view(
            session, viewer=people["alice"], subject="person:REG-77", purpose="match explanation"
        )
    with store.transaction() as session:
        (entry,) = audit.entries_for(session, "person:REG-77")
    assert (entry.actor, entry.action) == ("alice", "person.view")


def test_only_auditors_and_supervisors_read_the_log_and_reading_is_audited(
    store: Store, people: dict[str, User]
) -> None:
    busy_store(store, people)
    refusal = "only auditors and supervisors"
    with pytest.raises(PermissionDenied, match=refusal), store.transaction() as session:
        service.read_audit_log(session, viewer=people["alice"])
    with store.transaction() as session:
        shown = service.read_audit_log(session, viewer=people["otto"], subject="case:1")
    assert [e.action for e in shown] == ["case.transition", "case.create"]
    with store.transaction() as session:
        readers = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.action == "audit.read")
        ).all()
    assert readers == ["otto"]
