"""Leads measured against a synthetic population's truth (`soar generate` output).

Who is truly a priority is decided by the same policy file applied to each person's TRUE
attributes (people.csv) and TRUE offense categories (the generator's statute table, with
the victim's age), so that linkage, classification and safeguard errors all show.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from soar.pipeline.leads import Lead
from soar.policy.facts import Offense, PersonFacts
from soar.policy.offenses import (
    AGGRAVATED_FELONY,
    ESQUIVEL_QUINTANA_AGE,
    Classification,
    OffenseCategory,
)
from soar.policy.policies import Policy
from soar.synth import tables

ACTION = ("priority", "needs_preapproval")


@dataclass(frozen=True)
class LeadTruth:
    """How a run's leads compare with the truth, under one policy."""

    policy_id: str
    true_priority: int
    found_priority: int
    citizens_with_action: int
    citizens_flagged: int
    leads_with_action: int

    @property
    def recall(self) -> float:
        return self.found_priority / self.true_priority if self.true_priority else 1.0


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if len(text) == 10 else None


def true_facts(source: Path, as_of: dt.date) -> dict[str, PersonFacts]:
    """Each registrant's true facts, from people.csv and the canonical offense file."""
    statutes = tables.statutes()
    truth_of = {
        (str(statutes.jurisdiction[i]), str(statutes.statute[i])): i
        for i in range(len(statutes.statute))
    }
    by_statute = {statute: index for (_, statute), index in truth_of.items()}
    person_of = {r["record_id"]: r["person_id"] for r in _read(source / "truth.csv")}
    registry = {r["record_id"]: r["jurisdiction"] for r in _read(source / "canonical/registry.csv")}
    offenses: dict[str, dict[tuple[str, str, str], Offense]] = defaultdict(dict)
    for row in _read(source / "canonical/offenses.csv"):
        person = person_of[row["record_id"]]
        # A second state's record lists the offenses of the first state, under its statutes.
        index = truth_of.get((registry[row["record_id"]], row["statute"]))
        if index is None:
            index = by_statute[row["statute"]]
        category = OffenseCategory(str(statutes.category[index]))
        age = int(row["victim_age"]) if row["victim_age"] else None
        if statutes.age_only[index] and age is not None and age >= ESQUIVEL_QUINTANA_AGE:
            category = OffenseCategory.OTHER_SEXUAL
        conviction = row["disposition"] == "convicted"
        aggravated = AGGRAVATED_FELONY.get(category) if conviction else None
        ground = "aggravated felony" if aggravated else None
        if conviction and category is OffenseCategory.FAILURE_TO_REGISTER_FEDERAL:
            ground = "18 USC 2250"
        classification = Classification(category, conviction, aggravated, ground, False, ())
        key = (row["statute"], row["offense_date"], row["disposition"])
        offenses[person][key] = Offense(
            row["statute"],
            row["description"],
            row["disposition"],
            classification,
            offense_date=_day(row["offense_date"]),
            victim_age=age,
            sentence_months=int(row["sentence_months"]) if row["sentence_months"] else None,
        )
    facts = {}
    for row in _read(source / "people.csv"):
        if not row["registries"]:
            continue
        facts[row["person_id"]] = PersonFacts(
            as_of=as_of,
            immigration_status=row["immigration_status"] or None,
            removal_order=row["removal_order"] or None,
            prior_removals=int(row["prior_removals"] or 0),
            status_date=_day(row["status_date"]),
            dob=_day(row["dob"]),
            offenses=tuple(offenses[row["person_id"]].values()),
        )
    return facts


def true_priorities(
    people: dict[str, dict[str, str]], facts: dict[str, PersonFacts], policy: Policy
) -> set[str]:
    """The noncitizens with an A-file whom `policy` makes a priority on their true facts."""
    return {
        person
        for person, fact in facts.items()
        if people[person]["citizenship"] == "noncitizen"
        and people[person]["a_number"]
        and policy.decide(fact).decision == "priority"
    }


def compare(source: Path, leads: list[Lead], policy: Policy, as_of: dt.date) -> LeadTruth:
    """Recall of true priorities, and citizens given an action decision (must be none)."""
    people = {r["person_id"]: r for r in _read(source / "people.csv")}
    person_of = {r["record_id"]: r["person_id"] for r in _read(source / "truth.csv")}
    facts = true_facts(source, as_of)
    true_priority = true_priorities(people, facts, policy)
    found: set[str] = set()
    citizens_with_action = 0
    citizens_flagged = 0
    with_action = 0
    for lead in leads:
        persons = {person_of[r] for r in lead.registry_record_ids}
        citizen = any(people[p]["citizenship"] != "noncitizen" for p in persons)
        if lead.final_decision in ACTION:
            with_action += 1
            citizens_with_action += citizen
        if lead.final_decision == "citizenship_review":
            citizens_flagged += citizen
        if lead.final_decision == "priority":
            found |= persons & true_priority
    return LeadTruth(
        policy.id,
        len(true_priority),
        len(found),
        citizens_with_action,
        citizens_flagged,
        with_action,
    )
