"""The workflow: only listed moves, only by the listed roles, with the fixed rules on top."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest
from sqlalchemy import update

from soar.cases import service, workflow
from soar.cases.db import Store
from soar.cases.errors import ConflictError, PermissionDenied, WorkflowError
from soar.cases.leads import import_leads
from soar.cases.models import Case, Transition, User
from soar.errors import InputError, SoarError

from .factories import make_lead

FLOW = workflow.load()


def new_case(store: Store, key: str = "K1", **lead: object) -> int:
    with store.transaction() as session:
        return import_leads(session, [make_lead(key, **lead)], source="test").case_ids[0]


def move(store: Store, case_id: int, to: str, who: User, reason: str = "checked the evidence"):  # type: ignore[no-untyped-def]
    with store.transaction() as session:
        version = session.get(Case, case_id, populate_existing=True).version  # type: ignore[union-attr]
        return service.transition(
            session,
            case_id=case_id,
            to_state=to,
            actor=who,
            reason=reason,
            expected_version=version,
        )


def force_state(store: Store, case_id: int, state: str) -> int:
    with store.transaction() as session:
        session.execute(update(Case).where(Case.id == case_id).values(state=state))
        return session.get(Case, case_id, populate_existing=True).version  # type: ignore[union-attr]


def walk_to_priority_assessed(store: Store, case_id: int, people: dict[str, User]) -> None:
    move(store, case_id, "in_review", people["alice"])
    move(store, case_id, "match_confirmed", people["alice"], "names, DOB and A-number agree")
    move(store, case_id, "priority_assessed", people["alice"], "aggravated felony conviction")


def test_the_packaged_workflow_has_every_state_of_the_design() -> None:
    assert set(workflow.REQUIRED_STATES) <= set(FLOW.states)
    assert FLOW.initial == "candidate"
    assert {"detainer_cancelled", "detainer_expired", "citizenship_confirmed"} <= set(FLOW.states)


def test_a_workflow_file_letting_an_analyst_clear_citizenship_review_is_refused() -> None:
    text = resources.files("soar.cases").joinpath("workflow.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    for rule in data["transitions"]:
        if rule["from"] == ["citizenship_review"]:
            rule["roles"] = ["analyst", "supervisor"]
    with pytest.raises(InputError, match="supervisors only"):
        workflow.parse(data, "edited.toml")


def test_a_workflow_file_with_an_unknown_state_names_it() -> None:
    text = resources.files("soar.cases").joinpath("workflow.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    data["transitions"][0]["to"] = "limbo"
    with pytest.raises(InputError, match="transition 1: to = 'limbo' is not a state"):
        workflow.parse(data, "edited.toml")


def test_every_move_not_in_the_workflow_is_refused(store: Store, people: dict[str, User]) -> None:
    case_id = new_case(store)
    supervisor = people["sam"]
    refused = 0
    for from_state in FLOW.states:
        for to_state in FLOW.states:
            if FLOW.rule(from_state, to_state) is not None:
                continue
            version = force_state(store, case_id, from_state)
            refusal = f"is {from_state} and cannot go to {to_state}"
            with pytest.raises(WorkflowError, match=refusal), store.transaction() as session:
                service.transition(
                    session,
                    case_id=case_id,
                    to_state=to_state,
                    actor=supervisor,
                    reason="a long enough written reason",
                    expected_version=version,
                )
            refused += 1
    assert refused > 350  # every pair of states not joined by a rule
    with store.transaction() as session:
        assert session.query(Transition).filter_by(case_id=case_id).count() == 1  # import only


def test_every_move_by_a_role_not_listed_is_refused(store: Store, people: dict[str, User]) -> None:
    case_id = new_case(store)  # field office Houston, so hugo is in scope
    actors = {
        "analyst": people["alice"],
        "supervisor": people["sam"],
        "field_officer": people["hugo"],
        "auditor": people["otto"],
        "admin": people["admin"],
    }
    checked = 0
    for (from_state, to_state), rule in FLOW.rules.items():
        for role, actor in actors.items():
            if role in rule.roles:
                continue
            version = force_state(store, case_id, from_state)
            with pytest.raises(PermissionDenied) as refusal, store.transaction() as session:
                service.transition(
                    session,
                    case_id=case_id,
                    to_state=to_state,
                    actor=actor,
                    reason="a long enough written reason",
                    expected_version=version,
                )
            assert actor.username in str(refusal.value)
            checked += 1
    assert checked > 100


def test_a_refusal_says_what_the_case_can_do_instead(store: Store, people: dict[str, User]) -> None:
    case_id = new_case(store)
    with pytest.raises(WorkflowError) as refusal:
        move(store, case_id, "approved", people["sam"])
    assert "case 1 is candidate and cannot go to approved" in str(refusal.value)
    assert "in_review (analyst/supervisor)" in str(refusal.value)


def test_an_unknown_state_lists_the_states(store: Store, people: dict[str, User]) -> None:
    case_id = new_case(store)
    with pytest.raises(InputError, match="'deported' is not a workflow state; states: candidate"):
        move(store, case_id, "deported", people["alice"])


def test_two_person_rule_the_confirming_supervisor_cannot_approve(
    store: Store, people: dict[str, User]
) -> None:
    case_id = new_case(store)
    move(store, case_id, "in_review", people["sam"])
    move(store, case_id, "match_confirmed", people["sam"], "fingerprints and names agree")
    move(store, case_id, "priority_assessed", people["sam"], "aggravated felony conviction")
    with pytest.raises(PermissionDenied, match="two-person rule: sam confirmed the match"):
        move(store, case_id, "approved", people["sam"], "approve the priority")
    move(store, case_id, "approved", people["sofia"], "approve the priority")
    with store.transaction() as session:
        assert session.get(Case, case_id).state == "approved"  # type: ignore[union-attr]


def test_two_person_rule_survives_a_promotion(store: Store, people: dict[str, User]) -> None:
    """An analyst who confirmed the match and was later made supervisor still cannot approve."""
    case_id = new_case(store)
    walk_to_priority_assessed(store, case_id, people)
    with store.transaction() as session:
        alice = session.merge(people["alice"])
        alice.role = "supervisor"
    with pytest.raises(PermissionDenied, match="two-person rule"):
        move(store, case_id, "approved", alice, "approve the priority")


def test_approval_needs_a_confirmed_match_on_record(store: Store, people: dict[str, User]) -> None:
    case_id = new_case(store)
    version = force_state(store, case_id, "priority_assessed")
    with (
        pytest.raises(WorkflowError, match="no confirmed match on record"),
        store.transaction() as session,
    ):
        service.transition(
            session,
            case_id=case_id,
            to_state="approved",
            actor=people["sam"],
            reason="approve the priority",
            expected_version=version,
        )


def test_citizenship_review_is_cleared_only_by_a_supervisor_in_writing(
    store: Store, people: dict[str, User]
) -> None:
    case_id = new_case(store, citizenship_flags=["birth_country is United States"])
    with store.transaction() as session:
        assert session.get(Case, case_id).state == "citizenship_review"  # type: ignore[union-attr]
    with pytest.raises(PermissionDenied, match="needs a supervisor"):
        move(store, case_id, "in_review", people["alice"], "looks like a data entry error")
    with pytest.raises(WorkflowError, match="at least 20 characters"):
        move(store, case_id, "in_review", people["sam"], "ok")
    # No match was ever confirmed: clearing straight to the priority decision is refused.
    with pytest.raises(WorkflowError, match="no confirmed match on record"):
        move(
            store,
            case_id,
            "priority_assessed",
            people["sam"],
            "birth certificate shows birth in Synthland, not the US",
        )
    move(
        store,
        case_id,
        "in_review",
        people["sam"],
        "birth certificate shows birth in Synthland, not the US",
    )
    with store.transaction() as session:
        last = session.get(Case, case_id).transitions[-1]  # type: ignore[union-attr]
        assert (last.from_state, last.to_state, last.actor_name) == (
            "citizenship_review",
            "in_review",
            "sam",
        )
        assert "birth certificate" in last.reason


def test_field_officers_act_only_in_their_field_office(
    store: Store, people: dict[str, User]
) -> None:
    case_id = new_case(store)  # Houston
    version = force_state(store, case_id, "arrested")
    with (
        pytest.raises(
            PermissionDenied, match="mia is a field officer of Miami; case 1 belongs to Houston"
        ),
        store.transaction() as session,
    ):
        service.transition(
            session,
            case_id=case_id,
            to_state="in_proceedings",
            actor=people["mia"],
            reason="NTA filed",
            expected_version=version,
        )
    with (
        pytest.raises(PermissionDenied, match="belongs to Houston"),
        store.transaction() as session,
    ):
        service.view_case(session, case_id=case_id, viewer=people["mia"])
    move(store, case_id, "in_proceedings", people["hugo"], "NTA filed with the court")


def test_auditors_and_admins_cannot_change_cases(store: Store, people: dict[str, User]) -> None:
    case_id = new_case(store)
    for who in ("otto", "admin"):
        with pytest.raises(PermissionDenied, match="cannot change cases"):
            move(store, case_id, "in_review", people[who])


def test_a_disabled_user_cannot_act(store: Store, people: dict[str, User]) -> None:
    from soar.cases import users

    case_id = new_case(store)
    with store.transaction() as session:
        users.disable(
            session, username="alice", actor=session.merge(people["admin"]), reason="left the unit"
        )
        alice = users.find(session, "alice")
    with pytest.raises(PermissionDenied, match="disabled"):
        move(store, case_id, "in_review", alice)


def test_a_short_reason_is_refused(store: Store, people: dict[str, User]) -> None:
    case_id = new_case(store)
    move(store, case_id, "in_review", people["alice"], "mine")
    with pytest.raises(WorkflowError, match="reason of at least 10 characters"):
        move(store, case_id, "match_confirmed", people["alice"], "yes")


def test_a_stale_version_is_a_conflict_naming_what_changed(
    store: Store, people: dict[str, User]
) -> None:
    case_id = new_case(store)
    move(store, case_id, "in_review", people["alice"])
    with pytest.raises(ConflictError) as conflict, store.transaction() as session:
        service.transition(
            session,
            case_id=case_id,
            to_state="match_confirmed",
            actor=people["arthur"],
            reason="names and DOB agree",
            expected_version=1,
        )
    message = str(conflict.value)
    assert "you read version 1, it is now version 2" in message
    assert "candidate → in_review by alice" in message


def test_detainer_moves_need_their_record(store: Store, people: dict[str, User]) -> None:
    case_id = new_case(store)
    force_state(store, case_id, "assigned")
    with pytest.raises(WorkflowError, match="only with its record: lodge it"):
        move(store, case_id, "detainer_issued", people["hugo"])


def test_every_move_records_who_when_from_to_and_why(store: Store, people: dict[str, User]) -> None:
    case_id = new_case(store)
    walk_to_priority_assessed(store, case_id, people)
    move(store, case_id, "approved", people["sam"], "public safety priority approved")
    move(store, case_id, "assigned", people["sam"], "Houston AOR")
    with store.transaction() as session:
        history = session.get(Case, case_id).transitions  # type: ignore[union-attr]
        steps = [(t.from_state, t.to_state, t.actor_name, t.version_after) for t in history]
    assert steps == [
        (None, "candidate", "system", 1),
        ("candidate", "in_review", "alice", 2),
        ("in_review", "match_confirmed", "alice", 3),
        ("match_confirmed", "priority_assessed", "alice", 4),
        ("priority_assessed", "approved", "sam", 5),
        ("approved", "assigned", "sam", 6),
    ]
    assert all(t.reason and t.at is not None for t in history)


def test_errors_are_soar_errors_for_the_cli() -> None:
    for error in (ConflictError, PermissionDenied, WorkflowError):
        assert issubclass(error, SoarError)


def test_a_field_officer_lists_only_their_field_office(
    store: Store, people: dict[str, User]
) -> None:
    with store.transaction() as session:
        import_leads(
            session,
            [make_lead("H1"), make_lead("M1", field_office="Miami"), make_lead("H2")],
            source="test",
        )
    with store.transaction() as session:
        listed = service.list_cases(session, viewer=people["hugo"])
        assert [case.lead_key for case in listed] == ["H1", "H2"]
        assert len(service.list_cases(session, viewer=people["sam"])) == 3
    with (
        pytest.raises(PermissionDenied, match="cannot list cases of Miami"),
        store.transaction() as session,
    ):
        service.list_cases(session, viewer=people["hugo"], field_office="Miami")
