"""Offense classification: statute and description text to a proposed category, with the
evidence used. A proposal, never a decision: courts use the categorical approach, so any
category not from a reviewed statute says it needs legal review (DOMAIN.md).

The tables live in data files: `data/statutes.csv` (statutes a lawyer has reviewed) and
`data/offense_rules.toml` (patterns for everything else).
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

from soar.schema import Disposition


class OffenseCategory(StrEnum):
    RAPE = "rape"
    SEXUAL_ABUSE_MINOR = "sexual_abuse_minor"
    CHILD_PORNOGRAPHY = "child_pornography"
    OTHER_SEXUAL = "other_sexual"
    FAILURE_TO_REGISTER_STATE = "failure_to_register_state"
    FAILURE_TO_REGISTER_FEDERAL = "failure_to_register_federal"
    NON_SEXUAL = "non_sexual"
    UNKNOWN = "unknown"


#: Categories that are aggravated felonies under INA 101(a)(43): (A) murder, rape, sexual
#: abuse of a minor; (I) child pornography (18 USC 2251, 2251A, 2252).
AGGRAVATED_FELONY: dict[OffenseCategory, str] = {
    OffenseCategory.RAPE: "INA 101(a)(43)(A)",
    OffenseCategory.SEXUAL_ABUSE_MINOR: "INA 101(a)(43)(A)",
    OffenseCategory.CHILD_PORNOGRAPHY: "INA 101(a)(43)(I)",
}
#: Esquivel-Quintana v. Sessions (2017): age-only statutory rape meets (A) only below 16.
ESQUIVEL_QUINTANA_AGE = 16


@dataclass(frozen=True)
class Classification:
    """A proposed category for one offense, and why."""

    category: OffenseCategory
    conviction: (
        bool  # only `convicted` is a conviction; charged, pending, vacated, expunged are not
    )
    aggravated_felony: (
        str | None
    )  # the INA paragraph, when the category is one and it is a conviction
    removal_ground: str | None  # the INA 237 ground a conviction would support
    needs_legal_review: bool
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class _Statute:
    category: OffenseCategory
    age_only: bool
    reviewed: bool
    note: str


@dataclass(frozen=True)
class _Rule:
    category: OffenseCategory
    statute: re.Pattern[str] | None
    description: re.Pattern[str] | None
    why: str


def _normalise_statute(text: str) -> str:
    return re.sub(r"\s+", " ", text.upper().replace("§", " ")).strip()


@cache
def _statutes() -> dict[tuple[str, str], _Statute]:
    content = (resources.files("soar.policy") / "data" / "statutes.csv").read_text("utf-8")
    table = {}
    for row in csv.DictReader(io.StringIO(content)):
        key = (row["jurisdiction"].strip().upper(), _normalise_statute(row["statute"]))
        table[key] = _Statute(
            OffenseCategory(row["category"].strip()),
            row["age_only"].strip().lower() == "true",
            row["reviewed"].strip().lower() == "true",
            row["note"].strip(),
        )
    return table


@cache
def _rules() -> tuple[_Rule, ...]:
    text = (resources.files("soar.policy") / "data" / "offense_rules.toml").read_text("utf-8")
    rules = []
    for rule in tomllib.loads(text)["rules"]:
        rules.append(
            _Rule(
                OffenseCategory(rule["category"]),
                re.compile(rule["statute"]) if "statute" in rule else None,
                re.compile(rule["description"]) if "description" in rule else None,
                rule["why"],
            )
        )
    return tuple(rules)


def _ground(category: OffenseCategory, aggravated: str | None) -> str | None:
    if aggravated:
        return "INA 237(a)(2)(A)(iii) (aggravated felony)"
    if category is OffenseCategory.FAILURE_TO_REGISTER_FEDERAL:
        return "INA 237(a)(2)(A)(v) (18 USC 2250 conviction)"
    return None


def classify(
    statute: str | None,
    description: str | None,
    disposition: str | None,
    *,
    jurisdiction: str | None = None,
    other_jurisdictions: tuple[str, ...] = (),
    victim_age: int | None = None,
) -> Classification:
    """Propose a category for one offense from its statute, text, disposition and victim age.

    `other_jurisdictions` are the other states where the person is registered: a second
    state's registry lists the offenses of the first under the first state's statutes.
    """
    evidence: list[str] = []
    normalised = _normalise_statute(statute or "")
    text = re.sub(r"\s+", " ", (description or "").upper()).strip()
    entry = None
    for place in (jurisdiction or "", *other_jurisdictions, "US"):
        entry = _statutes().get((place.upper(), normalised))
        if entry:
            if place not in (jurisdiction or "", "US"):
                evidence.append(
                    f"statute {statute} is not {jurisdiction or 'this registry'}'s: read as "
                    f"{place}'s, where the person is also registered"
                )
            break
    age_only = False
    if entry:
        category = entry.category
        age_only = entry.age_only
        reviewed = entry.reviewed
        state = "reviewed" if reviewed else "listed, not yet reviewed"
        evidence.append(f"statute {statute} is on the statute table ({state}): {entry.note}")
    else:
        reviewed = False
        category = OffenseCategory.UNKNOWN
        for rule in _rules():
            if rule.statute and normalised and rule.statute.search(normalised):
                category = rule.category
                evidence.append(f"statute {statute}: {rule.why}")
                break
            if rule.description and text and rule.description.search(text):
                category = rule.category
                evidence.append(f"description {text!r}: {rule.why}")
                break
        if category is OffenseCategory.UNKNOWN:
            evidence.append("neither the statute nor the description matches a known offence")

    if age_only and category is OffenseCategory.SEXUAL_ABUSE_MINOR:
        if victim_age is not None and victim_age >= ESQUIVEL_QUINTANA_AGE:
            category = OffenseCategory.OTHER_SEXUAL
            evidence.append(
                f"age-only statute with a victim aged {victim_age}: not sexual abuse of a minor "
                "under INA 101(a)(43)(A) (Esquivel-Quintana v. Sessions, 2017)"
            )
        elif victim_age is None:
            reviewed = False
            evidence.append(
                "age-only statute and the victim's age is not recorded: (A) applies only if "
                "the victim was under 16 (Esquivel-Quintana)"
            )

    conviction = disposition == Disposition.CONVICTED.value
    if not conviction:
        evidence.append(f"disposition {disposition or 'unknown'}: not a conviction")
    aggravated = AGGRAVATED_FELONY.get(category) if conviction else None
    return Classification(
        category=category,
        conviction=conviction,
        aggravated_felony=aggravated,
        removal_ground=_ground(category, aggravated) if conviction else None,
        needs_legal_review=not reviewed,
        evidence=tuple(evidence),
    )
