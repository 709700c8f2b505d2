"""The pipeline from extracts to leads on a generated population: link, decide, safeguard."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from soar.ingest.extracts import ingest_generated
from soar.pipeline.leads import Certificates, build_leads, write_leads
from soar.pipeline.link import link_workspace
from soar.pipeline.truth import compare
from soar.policy.policies import load_policies
from soar.workspace import Workspace, init

AS_OF = dt.date(2026, 6, 1)
DECISIONS = {"priority", "needs_preapproval", "not_a_priority", "citizenship_review"}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def linked(population: Path, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    workspace = init(tmp_path_factory.mktemp("pipeline") / "ws")
    ingest_generated(population, workspace)
    link_workspace(workspace)
    return workspace


def test_every_lead_carries_its_decision_reasons_and_policy(linked: Workspace) -> None:
    for policy_id in ("2017-02", "2021-02-interim", "2021-09-guidelines"):
        leads, funnel, policy = build_leads(linked, policy_id=policy_id, as_of=AS_OF)
        assert leads and policy.id == policy_id
        for lead in leads:
            assert lead.final_decision in DECISIONS
            assert lead.reasons and all(reason.strip() for reason in lead.reasons)
            assert lead.csv_row()["policy_id"] == policy_id
        counts = [funnel.registry_records, funnel.registrants, funnel.linked, funnel.removable]
        assert counts == sorted(counts, reverse=True)
        assert funnel.not_blocked_removable <= funnel.removable


def test_any_sign_of_citizenship_stops_action(linked: Workspace) -> None:
    leads, _, _ = build_leads(linked, policy_id="2017-02", as_of=AS_OF)
    flagged = [lead for lead in leads if lead.citizenship_flags]
    assert flagged
    for lead in flagged:
        assert lead.final_decision == "citizenship_review"
        assert lead.reasons[-1].startswith("no action until")
    us_born_signs = [
        lead for lead in leads if any("US birthplace" in f for f in lead.citizenship_flags)
    ]
    assert us_born_signs


def test_a_uscis_certificate_stops_action_on_a_stale_a_file(
    linked: Workspace, population: Path
) -> None:
    # The A-file of a naturalized citizen that still says permanent resident carries no sign
    # of citizenship; the certificate of naturalization, found by A-number, does.
    people = {row["person_id"]: row for row in _read(population / "people.csv")}
    person_of = {row["record_id"]: row["person_id"] for row in _read(population / "truth.csv")}
    leads, _, _ = build_leads(linked, policy_id="2017-02", as_of=AS_OF)
    naturalized = [
        lead
        for lead in leads
        if {people[person_of[r]]["citizenship"] for r in lead.registry_record_ids}
        == {"naturalized"}
    ]
    assert naturalized
    assert all(lead.final_decision == "citizenship_review" for lead in naturalized)
    by_certificate = [
        lead
        for lead in naturalized
        if any("USCIS certificate of naturalization" in f for f in lead.citizenship_flags)
        and not any(
            "naturalization date" in f or "status naturalized" in f for f in lead.citizenship_flags
        )
    ]
    assert by_certificate, "no stale A-file was caught by its certificate alone"


def test_a_weak_match_is_a_lead_that_asks_for_identity_first(linked: Workspace) -> None:
    leads, funnel, _ = build_leads(linked, policy_id="2017-02", as_of=AS_OF)
    weak = [lead for lead in leads if lead.match_probability < 0.5]
    assert weak and len(weak) == funnel.weak_matches
    for lead in weak:
        assert lead.match_probability >= 0.2
        assert lead.decision.reasons[0].startswith("weak match: confirm identity")
    strong = [lead for lead in leads if lead.match_probability >= 0.5]
    assert not any(r.startswith("weak match") for lead in strong for r in lead.decision.reasons)


def test_the_policy_in_force_changes_how_many_are_priorities(linked: Workspace) -> None:
    broad, _, _ = build_leads(linked, policy_id="2017-02", as_of=AS_OF)
    narrow, _, _ = build_leads(linked, policy_id="2021-02-interim", as_of=AS_OF)
    guidelines, _, _ = build_leads(linked, policy_id="2021-09-guidelines", as_of=AS_OF)
    priority = {
        name: sum(lead.final_decision == "priority" for lead in leads)
        for name, leads in (("broad", broad), ("narrow", narrow), ("guidelines", guidelines))
    }
    assert priority["broad"] >= priority["narrow"] > 0
    assert priority["guidelines"] == 0  # no bright line: it proposes, a person decides


def test_leads_against_the_truth(linked: Workspace, population: Path) -> None:
    policy = load_policies()["2021-02-interim"]
    leads, _, _ = build_leads(linked, policy_id=policy.id, as_of=AS_OF)
    truth = compare(population, leads, policy, AS_OF)
    assert truth.true_priority > 100
    assert truth.recall >= 0.9
    # No true US citizen gets an action decision, under any policy (issue #5): look-alikes,
    # stale A-files and weak matches are all stopped for a person to clear.
    assert truth.citizens_flagged > 20
    for policy_id in ("2017-02", "2021-02-interim", "2021-09-guidelines"):
        other = load_policies()[policy_id]
        decided, _, _ = build_leads(linked, policy_id=policy_id, as_of=AS_OF)
        assert compare(population, decided, other, AS_OF).citizens_with_action == 0


def test_records_of_two_people_dedupe_joined_are_two_leads(
    linked: Workspace, population: Path
) -> None:
    # Dedupe across states joins a US-born look-alike's record, born a day apart at another
    # home, to the noncitizen's. Taken apart, each record is a lead of its own that names
    # the record it was taken from, and no lead holds records of two birth dates at two
    # homes with no identifier in common.
    person_of = {row["record_id"]: row["person_id"] for row in _read(population / "truth.csv")}
    leads, funnel, _ = build_leads(linked, policy_id="2017-02", as_of=AS_OF)
    apart = [lead for lead in leads if any("taken apart" in r for r in lead.reasons)]
    assert apart, "the population has no records dedupe joined across a look-alike"
    # The funnel counts the registrants the undoing added to what dedupe found.
    assert funnel.taken_apart >= 1
    lead_of = {r: lead for lead in leads for r in lead.registry_record_ids}
    two_persons = 0
    for lead in apart:
        note = next(r for r in lead.reasons if "taken apart" in r)
        others = [r for r in re.findall(r"\b[A-Z]+\d+\b", note) if r in person_of]
        assert others and not set(others) & set(lead.registry_record_ids)
        assert all(lead_of.get(o) is not lead for o in others)
        two_persons += any(
            person_of[o] != person_of[r] for o in others for r in lead.registry_record_ids
        )
    # The joins taken apart were mostly two people indeed.
    assert two_persons * 2 > len(apart)


def test_leads_are_deterministic_and_written_for_the_case_store(
    linked: Workspace, tmp_path: Path
) -> None:
    first, _, _ = build_leads(linked, policy_id="2021-02-interim", as_of=AS_OF)
    second, _, _ = build_leads(linked, policy_id="2021-02-interim", as_of=AS_OF)
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    write_leads(first, a)
    write_leads(second, b)
    assert a.read_bytes() == b.read_bytes()
    assert a.with_suffix(".jsonl").read_bytes() == b.with_suffix(".jsonl").read_bytes()
    header = a.read_text().splitlines()[0].split(",")
    for column in (
        "lead_id",
        "registry_record_ids",
        "immigration_record_ids",
        "match_probability",
        "offense_categories",
        "policy_id",
        "decision",
        "reasons",
        "in_custody",
    ):
        assert column in header


def test_link_and_leads_commands(linked: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "leads.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "soar",
            "leads",
            "--policy",
            "2017-02",
            "--as-of",
            "2026-06-01",
            "--out",
            str(out),
            "--home",
            str(linked.home),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "registry records" in result.stdout and "priority" in result.stdout
    assert out.is_file() and out.with_suffix(".jsonl").is_file()
    bad = subprocess.run(
        [sys.executable, "-m", "soar", "leads", "--as-of", "June 4", "--home", str(linked.home)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 2 and "--as-of" in bad.stderr


def test_a_certificate_paired_by_name_and_birthday_must_fit_the_registrant() -> None:
    registrant = {"first_name": "JUAN", "last_name": "HERNANDEZ GUZMAN", "dob": "1992-11-19"}
    fits = Certificates.fits
    # Another JUAN born the same day: not the registrant's certificate.
    assert not fits(
        registrant, {"first_name": "JUAN", "last_name": "GALVAN-GOMEZ", "dob": "1992-11-19"}
    )
    # Same name, born months apart: another person.
    assert not fits(
        registrant, {"first_name": "JUAN", "last_name": "HERNANDEZ", "dob": "1992-04-19"}
    )
    # Same name, the second surname dropped, the date with day and month exchanged: theirs.
    assert fits(registrant, {"first_name": "JUAN", "last_name": "HERNANDEZ", "dob": "1992-11-19"})
    assert fits(
        {**registrant, "dob": "1992-03-04"},
        {"first_name": "JUAN", "last_name": "HERNANDEZ", "dob": "1992-04-03"},
    )
    # No birth date on one side cannot rule a certificate out.
    assert fits({**registrant, "dob": None}, {"first_name": "JUAN", "last_name": "HERNANDEZ"})
