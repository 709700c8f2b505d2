"""Policies as data: each regime decides as DOMAIN.md describes, every decision carries its
reasons and the policy id, and a changed policy file changes the decision with no code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from soar.errors import InputError
from soar.policy.facts import Offense, PersonFacts
from soar.policy.offenses import classify
from soar.policy.policies import load_policies, parse_policy, policy_for
from soar.policy.safeguards import (
    LinkedRecord,
    citizenship_flags,
    identity_flags,
    weak_match_flags,
)

AS_OF = dt.date(2026, 6, 1)


def offense(
    statute: str, description: str, disposition: str = "convicted", **kw: object
) -> Offense:
    return Offense(
        statute,
        description,
        disposition,
        classify(statute, description, disposition, jurisdiction="CA"),
        **kw,  # type: ignore[arg-type]
    )


AGGRAVATED = offense(
    "PC 288(a)",
    "LEWD ACTS WITH CHILD UNDER 14",
    sentence_months=96,
    victim_age=9,
    offense_date=dt.date(2019, 1, 1),
)
EXPOSURE = offense("PC 314.1", "INDECENT EXPOSURE", offense_date=dt.date(2010, 1, 1))


def facts(status: str, *offenses: Offense, **kw: object) -> PersonFacts:
    return PersonFacts(AS_OF, status, offenses=tuple(offenses), **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def policies() -> dict[str, object]:
    return load_policies()  # type: ignore[return-value]


def test_built_in_policies_load_with_dates(policies: dict[str, object]) -> None:
    assert {"2017-02", "2021-02-interim", "2021-09-guidelines", "2025-01"} <= set(policies)
    loaded = load_policies()
    assert policy_for(loaded, None, dt.date(2021, 3, 1)).id == "2021-02-interim"
    assert policy_for(loaded, None, dt.date(2022, 3, 1)).id == "2021-09-guidelines"
    assert policy_for(loaded, None, dt.date(2018, 3, 1)).id == "2017-02"
    assert policy_for(loaded, None, AS_OF).id == "2025-01"


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        (facts("lpr", AGGRAVATED), {"2017-02": "priority", "2021-02-interim": "priority"}),
        (facts("ewi", EXPOSURE), {"2017-02": "priority", "2021-02-interim": "needs_preapproval"}),
        (
            facts("lpr", EXPOSURE),
            {"2017-02": "not_a_priority", "2021-02-interim": "not_a_priority"},
        ),
        (facts("ewi", status_date=dt.date(2021, 1, 5)), {"2021-02-interim": "priority"}),
        (
            facts("tps", removal_order="final"),
            {"2017-02": "priority", "2021-02-interim": "needs_preapproval"},
        ),
    ],
)
def test_rule_policies_decide_as_the_regimes_say(
    person: PersonFacts, expected: dict[str, str]
) -> None:
    loaded = load_policies()
    for policy_id, decision in expected.items():
        result = loaded[policy_id].decide(person)
        assert result.decision == decision, (policy_id, result.reasons)
        assert result.policy_id == policy_id
        assert result.reasons and all(isinstance(r, str) and r for r in result.reasons)


def test_guidelines_record_factors_and_propose_never_decide() -> None:
    guidelines = load_policies()["2021-09-guidelines"]
    old = facts("lpr", AGGRAVATED, dob=dt.date(1955, 1, 1), status_date=dt.date(1990, 1, 1))
    result = guidelines.decide(old)
    assert result.decision == "needs_preapproval"
    text = " | ".join(result.reasons)
    assert "aggravating: gravity of the offence" in text
    assert "aggravating: a victim who was a minor" in text
    assert "mitigating: advanced age" in text and "mitigating: long presence" in text
    assert "no bright line: proposal" in text
    assert guidelines.decide(facts("lpr", EXPOSURE)).decision == "not_a_priority"


def test_a_changed_policy_file_changes_the_decision_without_code(tmp_path: Path) -> None:
    person = facts("ewi", EXPOSURE)
    assert load_policies()["2021-02-interim"].decide(person).decision == "needs_preapproval"
    builtin = Path(__file__).parents[2] / "soar/policy/data/policies/2021-02-interim.toml"
    edited = (
        builtin.read_text()
        .replace(
            'reason = "removable but outside the priority categories',
            'reason = "local rule: every removable person is a priority',
        )
        .replace('decision = "needs_preapproval"', 'decision = "priority"')
    )
    (tmp_path / "custom.toml").write_text(edited)
    result = load_policies(tmp_path)["2021-02-interim"].decide(person)
    assert result.decision == "priority"
    assert result.reasons[0].startswith("local rule")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('id = "x"\n', "missing `title`"),
        (
            'id="x"\ntitle="t"\neffective=2020-01-01\nstyle="vibes"\n[default]\ndecision="priority"\nreason="r"\n',
            "style",
        ),
        (
            'id="x"\ntitle="t"\neffective=2020-01-01\nstyle="rules"\n[[rules]]\ndecision="priority"\nreason="r"\n'
            '[rules.when]\nzodiac="leo"\n[default]\ndecision="not_a_priority"\nreason="r"\n',
            "unknown condition 'zodiac'",
        ),
        (
            'id="x"\ntitle="t"\neffective=2020-01-01\nstyle="rules"\n[[rules]]\ndecision="deport"\nreason="r"\n'
            '[default]\ndecision="not_a_priority"\nreason="r"\n',
            "needs decision",
        ),
    ],
)
def test_bad_policy_files_are_refused_with_the_key_named(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_policy(text, Path("bad.toml"))


def test_citizenship_signs_are_flagged_from_any_linked_record() -> None:
    records = [
        LinkedRecord("registry:TX", "TX1", birth_country="USA"),
        LinkedRecord("immigration", "A1", birth_country="MEX", immigration_status="lpr"),
    ]
    flags = citizenship_flags(records)
    assert any("US birthplace on registry:TX record TX1" in f for f in flags)
    assert any("disagree on the birthplace" in f for f in flags)
    naturalized = [LinkedRecord("immigration", "A2", naturalization_date="2018-11-16")]
    assert citizenship_flags(naturalized)
    assert citizenship_flags(
        [LinkedRecord("immigration", "A3", immigration_status="citizen_derived")]
    )
    assert citizenship_flags([LinkedRecord("immigration", "A4", birth_country="MEX")]) == []


def test_identity_is_confirmed_when_names_disagree_on_a_biographic_only_link() -> None:
    registrant = [LinkedRecord("registry:TX", "TX1")]
    how = "the names disagree (CHRISTINE OWENS on the registry, KRISTINA MOROZOVA on the A-file)"
    flags = identity_flags(registrant, [], "1973-06-12", "1973-06-12", how)
    assert len(flags) == 1 and "CHRISTINE OWENS" in flags[0]
    # A shared identifier, or a foreign birthplace on the registrant's own records, is
    # evidence beyond the names: no flag.
    assert identity_flags(registrant, ["a_number"], "1973-06-12", "1973-06-12", how) == []
    abroad = [LinkedRecord("registry:TX", "TX1", birth_country="POL")]
    assert identity_flags(abroad, [], "1973-06-12", "1973-06-12", how) == []
    assert identity_flags(registrant, [], "1973-06-12", "1973-06-12", None) == []


@pytest.mark.parametrize(
    ("registry_dob", "immigration_dob", "flagged"),
    [
        ("1983-04-05", "1983-05-04", False),  # day and month exchanged
        ("1997-10-04", "1990-10-04", False),  # one digit of the year
        ("1985-04-12", "1985-04-13", True),  # a day apart: what a look-alike looks like
        ("1985-04-12", "1985-04-15", True),
        ("1980-03-07", "1981-07-03", True),  # exchanged and another year: two errors
        ("1962-10-19", "1965-10-19", False),
        ("1962-10-19", "1956-10-19", True),  # two digits of the year
    ],
)
def test_a_clerical_birth_date_error_is_not_doubt_about_identity(
    registry_dob: str, immigration_dob: str, flagged: bool
) -> None:
    registrant = [LinkedRecord("registry:TX", "TX1")]
    assert bool(identity_flags(registrant, [], registry_dob, immigration_dob)) is flagged


def test_a_weak_biographic_only_match_waits_for_identity() -> None:
    assert weak_match_flags([], 0.43, 0.5)
    assert "0.43" in weak_match_flags([], 0.43, 0.5)[0]
    assert weak_match_flags(["fbi_number"], 0.43, 0.5) == []  # an identifier is shared
    assert weak_match_flags([], 0.7, 0.5) == []  # not a weak match


def test_a_link_on_the_name_alone_waits_for_identity() -> None:
    registrant = [LinkedRecord("registry:TX", "TX1")]
    flags = identity_flags(registrant, [], "1967-12-28", None)
    assert len(flags) == 1 and "no birth date on the A-file" in flags[0]
    assert identity_flags(registrant, [], None, "1967-12-29")
    assert identity_flags(registrant, ["fbi_number"], "1967-12-28", None) == []
    abroad = [LinkedRecord("registry:TX", "TX1", birth_country="PHL")]
    assert identity_flags(abroad, [], "1967-12-28", None) == []


def test_a_shared_home_explains_a_birth_date_slip_but_not_a_generation() -> None:
    registrant = [LinkedRecord("registry:TX", "TX1")]
    home = "68 4TH ST 76171"
    assert identity_flags(registrant, [], "1985-04-12", "1985-04-13", same_home=home) == []
    # A father and son of one name at one address are decades apart: still doubt.
    assert identity_flags(registrant, [], "1985-04-12", "1958-04-13", same_home=home)
    # With no birth date on one side, the address does not make up for it.
    assert identity_flags(registrant, [], "1985-04-12", None, same_home=home)
    assert identity_flags(registrant, [], "1985-04-12", "1985-04-13")


def test_a_shared_home_explains_another_surname_only_with_the_same_given_name() -> None:
    registrant = [LinkedRecord("registry:TX", "TX1")]
    home = "10984 MEADOW LN 75260"
    differ = "the names disagree (CARLOS CORTES on the registry, CARLOS HERNANDES on the A-file)"
    # Same given name, same birth date, same home: an alias surname, not a look-alike.
    assert (
        identity_flags(
            registrant,
            [],
            "1977-07-13",
            "1977-07-13",
            differ,
            same_home=home,
            given_name_agrees=True,
        )
        == []
    )
    # A twin at that home has their own given name: still doubt.
    assert identity_flags(registrant, [], "1977-07-13", "1977-07-13", differ, same_home=home)
    # Another address, or birth dates days apart: still doubt.
    assert identity_flags(
        registrant, [], "1977-07-13", "1977-07-13", differ, given_name_agrees=True
    )
    assert identity_flags(
        registrant,
        [],
        "1977-07-13",
        "1977-07-15",
        differ,
        same_home=home,
        given_name_agrees=True,
    )


def test_a_clerical_birth_date_error_is_forgiven_only_on_a_strong_link() -> None:
    registrant = [LinkedRecord("registry:CA", "CA1")]
    # A year one digit off: the clerical error of a rare name's strong link is forgiven...
    assert identity_flags(registrant, [], "1978-03-13", "1976-03-13", match_probability=0.99) == []
    # ...but a common name's namesake looks the same at 0.69: confirm identity first.
    flags = identity_flags(registrant, [], "1978-03-13", "1976-03-13", match_probability=0.69)
    assert len(flags) == 1 and "one digit of the year differs" in flags[0] and "0.69" in flags[0]


def test_a_second_name_in_common_explains_a_birth_date_slip_and_a_missing_date() -> None:
    registrant = [LinkedRecord("registry:TX", "TX1")]
    alias = "LUIS NAVA"
    assert identity_flags(registrant, [], "1985-04-12", "1985-04-13", shared_alias=alias) == []
    assert identity_flags(registrant, [], "1985-04-12", None, shared_alias=alias) == []
    # Not a generation apart: a father may have given his son his other name too.
    assert identity_flags(registrant, [], "1985-04-12", "1958-04-13", shared_alias=alias)
