"""Detainers (I-247A), the 48-hour hold window, outcomes and arrests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from soar.cases import service
from soar.cases.db import Store
from soar.cases.errors import PermissionDenied, WorkflowError
from soar.cases.federal_holidays import federal_holidays, hold_deadline, is_business_day
from soar.cases.leads import import_file
from soar.cases.models import Case, User
from soar.errors import InputError

from .conftest import LEADS_FIXTURE


# --- the calendar: pure functions, no database ------------------------------------------
def test_holidays_of_2021_include_observed_days_and_juneteenth() -> None:
    days = federal_holidays(2021)
    assert days[date(2021, 6, 18)] == "Juneteenth National Independence Day (observed)"
    assert days[date(2021, 7, 5)] == "Independence Day (observed)"
    assert days[date(2021, 11, 25)] == "Thanksgiving Day"
    assert days[date(2021, 1, 18)] == "Martin Luther King Jr. Day"
    assert days[date(2021, 5, 31)] == "Memorial Day"
    # 1 January 2022 was a Saturday: observed on Friday 31 December 2021.
    assert days[date(2021, 12, 31)] == "New Year's Day (observed)"
    assert date(2022, 1, 1) not in federal_holidays(2022)
    assert len(days) == 12  # eleven holidays, plus 2022's New Year observed in 2021


def test_no_juneteenth_before_2021() -> None:
    assert date(2020, 6, 19) not in federal_holidays(2020)
    assert len(federal_holidays(2019)) == 10


def test_weekends_and_holidays_are_not_business_days() -> None:
    assert not is_business_day(date(2024, 7, 6))  # Saturday
    assert not is_business_day(date(2024, 7, 4))  # Independence Day
    assert is_business_day(date(2024, 7, 5))


def test_the_hold_within_the_week_is_48_hours() -> None:
    assert hold_deadline(datetime(2024, 3, 5, 10, 0)) == datetime(2024, 3, 7, 10, 0)


def test_the_hold_skips_a_weekend() -> None:
    # Released Friday 15:00: 9 h Friday, none Saturday or Sunday, 24 h Monday, 15 h Tuesday.
    assert hold_deadline(datetime(2024, 3, 8, 15, 0)) == datetime(2024, 3, 12, 15, 0)


def test_the_hold_skips_a_weekend_and_a_monday_holiday() -> None:
    # Friday 30 August 2024, then Labor Day Monday 2 September: the hold ends Wednesday.
    assert hold_deadline(datetime(2024, 8, 30, 15, 0)) == datetime(2024, 9, 4, 15, 0)


def test_a_release_on_a_holiday_starts_counting_the_next_business_day() -> None:
    # Released on Thanksgiving (Thursday 28 Nov 2024) evening: counting starts Friday 00:00,
    # 24 h Friday, weekend skipped, 24 h Monday → Tuesday 00:00.
    assert hold_deadline(datetime(2024, 11, 28, 20, 0)) == datetime(2024, 12, 3, 0, 0)


# --- detainers in the case store -------------------------------------------------------------
def assigned_case(store: Store, people: dict[str, User], key: str = "L-0001") -> int:
    """A Houston case walked to `assigned` by an analyst and a second-signing supervisor."""
    with store.transaction() as session:
        import_file(session, LEADS_FIXTURE)
    with store.transaction() as session:
        case_id = session.scalars(select(Case.id).where(Case.lead_key == key)).one()
    for to, who, reason in (
        ("in_review", "alice", "taking it"),
        ("match_confirmed", "alice", "fingerprints and names agree"),
        ("priority_assessed", "alice", "aggravated felony under the 2021 guidelines"),
        ("approved", "sam", "public safety priority"),
        ("assigned", "sam", "Houston AOR"),
    ):
        with store.transaction() as session:
            version = session.scalars(select(Case.version).where(Case.id == case_id)).one()
            service.transition(
                session,
                case_id=case_id,
                to_state=to,
                actor=people[who],
                reason=reason,
                expected_version=version,
            )
    return case_id


def version_of(store: Store, case_id: int) -> int:
    with store.transaction() as session:
        return session.scalars(select(Case.version).where(Case.id == case_id)).one()


def issue(store: Store, people: dict[str, User], case_id: int, **changes: object) -> object:
    arguments: dict[str, object] = {
        "facility": "Harris County Jail",
        "served_on": date(2024, 8, 29),
        "probable_cause": "biometric_confirmation",
        "warrant": "I-200",
        "reason": "in custody on a state charge",
        "release_at": datetime(2024, 8, 30, 15, 0),
    }
    arguments.update(changes)
    with store.transaction() as session:
        return service.issue_detainer(
            session,
            case_id=case_id,
            actor=people["hugo"],
            expected_version=version_of(store, case_id),
            **arguments,  # type: ignore[arg-type]
        )


def test_a_detainer_records_its_basis_warrant_and_hold_deadline(
    store: Store, people: dict[str, User]
) -> None:
    case_id = assigned_case(store, people)
    detainer = issue(store, people, case_id)
    assert detainer.form == "I-247A"  # type: ignore[attr-defined]
    assert detainer.warrant == "I-200"  # type: ignore[attr-defined]
    # Labor Day weekend: Friday 15:00 release, hold ends Wednesday 15:00.
    assert detainer.hold_deadline == datetime(2024, 9, 4, 15, 0)  # type: ignore[attr-defined]
    with store.transaction() as session:
        case = service.view_case(session, case_id=case_id, viewer=people["hugo"])
        assert case.state == "detainer_issued"
        assert case.detainers[0].hold_deadline == datetime(2024, 9, 4, 15, 0)


def test_an_i205_warrant_needs_a_final_order(store: Store, people: dict[str, User]) -> None:
    case_id = assigned_case(store, people)
    with pytest.raises(InputError, match="I-205 warrant of removal needs a final removal order"):
        issue(store, people, case_id, warrant="I-205", probable_cause="pending_proceedings")


def test_a_biographic_only_match_cannot_claim_biometric_confirmation(
    store: Store, people: dict[str, User]
) -> None:
    case_id = assigned_case(store, people, key="L-0002")  # no fingerprint evidence
    with pytest.raises(InputError, match="biographic only"):
        issue(store, people, case_id)
    with pytest.raises(InputError, match="foreign birthplace with no database match"):
        issue(store, people, case_id, probable_cause="other_reliable_evidence")
    issue(store, people, case_id, probable_cause="final_order", warrant="I-205")


def test_only_the_cases_field_office_issues_a_detainer(
    store: Store, people: dict[str, User]
) -> None:
    case_id = assigned_case(store, people)
    with (
        store.transaction() as session,
        pytest.raises(PermissionDenied, match="belongs to Houston"),
    ):
        service.issue_detainer(
            session,
            case_id=case_id,
            actor=people["mia"],
            expected_version=version_of(store, case_id),
            facility="Dade County Jail",
            served_on=date(2024, 8, 29),
            probable_cause="final_order",
            warrant="I-205",
            reason="in custody",
        )


@pytest.mark.parametrize(
    ("outcome", "state"),
    [
        ("honored", "detainer_honored"),
        ("declined", "detainer_declined"),
        ("cancelled", "detainer_cancelled"),
        ("expired", "detainer_expired"),
        ("released_before_transfer", "released_before_transfer"),
    ],
)
def test_each_outcome_is_kept_with_its_reason(
    store: Store, people: dict[str, User], outcome: str, state: str
) -> None:
    case_id = assigned_case(store, people)
    issue(store, people, case_id)
    actor = people["sam"] if outcome == "cancelled" else people["hugo"]
    with store.transaction() as session:
        detainer = service.record_detainer_outcome(
            session,
            case_id=case_id,
            actor=actor,
            expected_version=version_of(store, case_id),
            outcome=outcome,
            reason="sheriff's policy: no holds without a judicial warrant",
        )
    assert detainer.outcome == outcome
    assert detainer.outcome_reason.startswith("sheriff's policy")
    with store.transaction() as session:
        assert session.get(Case, case_id).state == state  # type: ignore[union-attr]


def test_an_outcome_without_a_reason_is_refused(store: Store, people: dict[str, User]) -> None:
    case_id = assigned_case(store, people)
    issue(store, people, case_id)
    with store.transaction() as session, pytest.raises(WorkflowError, match="needs a reason"):
        service.record_detainer_outcome(
            session,
            case_id=case_id,
            actor=people["hugo"],
            expected_version=version_of(store, case_id),
            outcome="declined",
            reason="",
        )


def test_targeted_and_collateral_arrests(store: Store, people: dict[str, User]) -> None:
    case_id = assigned_case(store, people)
    with store.transaction() as session:
        service.record_arrest(
            session,
            case_id=case_id,
            actor=people["hugo"],
            expected_version=version_of(store, case_id),
            arrested_on=date(2024, 9, 3),
            place="residence, Pasadena TX",
            reason="at-large arrest at the registered address",
        )
    with store.transaction() as session:
        service.record_arrest(
            session,
            case_id=case_id,
            actor=people["hugo"],
            expected_version=version_of(store, case_id),
            arrested_on=date(2024, 9, 3),
            place="residence, Pasadena TX",
            reason="encountered at the address, removable",
            targeted=False,
            person_description="adult male, final order 2019",
        )
    with store.transaction() as session:
        case = service.view_case(session, case_id=case_id, viewer=people["sam"])
        counts = service.funnel(session)
    assert case.state == "arrested"
    assert [(a.targeted, a.field_office) for a in case.arrests] == [
        (True, "Houston"),
        (False, "Houston"),
    ]
    assert counts["arrested"] == 1
    assert (counts["arrests_targeted"], counts["arrests_collateral"]) == (1, 1)


@given(
    st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2030, 12, 31)),
)
def test_the_hold_counts_exactly_48_business_hours(release: datetime) -> None:
    deadline = hold_deadline(release)
    counted = timedelta()
    cursor = release
    while cursor < deadline:
        step_end = min(datetime.combine(cursor.date() + timedelta(days=1), time()), deadline)
        if is_business_day(cursor.date()):
            counted += step_end - cursor
        cursor = step_end
    assert counted == timedelta(hours=48)
    assert deadline - release >= timedelta(hours=48)
    # Never more than 48 h plus the longest closure: a 4-day weekend with holidays either side.
    assert deadline - release <= timedelta(days=7)


def test_biometric_evidence_is_agreeing_fingerprint_identifiers(store: Store) -> None:
    from soar.cases.leads import import_leads

    from .factories import make_lead

    def fingerprint(left: str, right: str, weight: float) -> list[dict[str, object]]:
        return [
            {"field": "fingerprint_id", "left": left, "right": right, "level": "", "weight": weight}
        ]

    with store.transaction() as session:
        import_leads(
            session,
            [
                make_lead("same", evidence=fingerprint("FP-1", "FP-1", 0.0)),
                make_lead("empty", evidence=fingerprint("", "", 0.0)),
                make_lead("differ", evidence=fingerprint("FP-1", "FP-2", -9.0)),
                make_lead("scored", evidence=fingerprint("FP-1", "FP 1", 17.5)),
            ],
            source="test",
        )
    with store.transaction() as session:
        found = {
            case.lead_key: service.has_biometric_evidence(session, case)
            for case in session.scalars(select(Case))
        }
    assert found == {"same": True, "empty": False, "differ": False, "scored": True}
