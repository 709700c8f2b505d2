"""Enforcement policies as data: versioned TOML files with dates, rules or factors.

Built-in files are in `soar/policy/data/policies/`; a workspace's `policies/` folder adds or
overrides more, without touching code. A `rules` policy tries its rules in order and the
first whose conditions all hold decides; a `factors` policy (no bright lines) records the
aggravating and mitigating factors it finds and proposes, leaving the decision to a person.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from soar.errors import InputError
from soar.policy.facts import PersonFacts

DECISIONS = ("priority", "needs_preapproval", "not_a_priority")
STYLES = ("rules", "factors")


def _at_least(value: float | None, threshold: Any) -> bool:
    return value is not None and value >= float(threshold)


#: Every condition a policy file may use: name -> test of the facts against its value.
CONDITIONS: dict[str, Callable[[PersonFacts, Any], bool]] = {
    "removable": lambda f, v: f.removability()[0] == bool(v),
    "convicted_any": lambda f, v: bool(f.convictions) == bool(v),
    "charged_any": lambda f, v: (
        any(o.disposition in ("charged", "pending") for o in f.offenses) == bool(v)
    ),
    "convicted_aggravated_felony": lambda f, v: bool(f.aggravated_felonies) == bool(v),
    "convicted_category": lambda f, v: any(o.classification.category in v for o in f.convictions),
    "convictions_at_least": lambda f, v: len(f.convictions) >= int(v),
    "immigration_status": lambda f, v: f.immigration_status in v,
    "removal_order": lambda f, v: f.removal_order in v,
    "prior_removals_at_least": lambda f, v: f.prior_removals >= int(v),
    "status_on_or_after": lambda f, v: f.status_date is not None and f.status_date >= v,
    "sentence_months_at_least": lambda f, v: any(
        (o.sentence_months or 0) >= int(v) for o in f.convictions
    ),
    "victim_minor": lambda f, v: f.victim_minor() == bool(v),
    "age_at_least": lambda f, v: _at_least(f.age, v),
    "age_below": lambda f, v: f.age is not None and f.age < int(v),
    "years_in_us_at_least": lambda f, v: _at_least(f.years_in_us(), v),
    "years_since_last_offense_at_least": lambda f, v: _at_least(f.years_since_last_offense(), v),
    "vacated_or_expunged": lambda f, v: (
        any(o.disposition in ("vacated", "expunged") for o in f.offenses) == bool(v)
    ),
}


@dataclass(frozen=True)
class Rule:
    decision: str
    reason: str
    when: dict[str, Any]


@dataclass(frozen=True)
class Factor:
    name: str
    when: dict[str, Any]


@dataclass(frozen=True)
class Decision:
    """What a policy says about one person, every reason in words, and the policy id."""

    policy_id: str
    decision: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    effective: dt.date
    ends: dt.date | None
    style: str
    summary: str
    rules: tuple[Rule, ...]
    aggravating: tuple[Factor, ...]
    mitigating: tuple[Factor, ...]
    default: Rule
    path: Path | None

    def in_force(self, day: dt.date) -> bool:
        return self.effective <= day and (self.ends is None or day <= self.ends)

    def decide(self, facts: PersonFacts) -> Decision:
        """Apply the policy to one person's facts."""
        removable, grounds = facts.removability()
        ground_text = [f"removable: {ground}" for ground in grounds]
        if self.style == "factors":
            if not removable:
                return Decision(self.id, self.default.decision, (self.default.reason,))
            found_aggravating = [f.name for f in self.aggravating if _holds(f.when, facts)]
            found_mitigating = [f.name for f in self.mitigating if _holds(f.when, facts)]
            proposal = (
                "priority" if len(found_aggravating) > len(found_mitigating) else "not a priority"
            )
            reasons = [
                *ground_text,
                *(f"aggravating: {name}" for name in found_aggravating),
                *(f"mitigating: {name}" for name in found_mitigating),
                f"no bright line: proposal {proposal} ({len(found_aggravating)} aggravating, "
                f"{len(found_mitigating)} mitigating); a supervisor weighs the totality",
            ]
            return Decision(self.id, "needs_preapproval", tuple(reasons))
        for rule in self.rules:
            if _holds(rule.when, facts):
                return Decision(self.id, rule.decision, (rule.reason, *ground_text))
        return Decision(self.id, self.default.decision, (self.default.reason, *ground_text))


def _holds(when: dict[str, Any], facts: PersonFacts) -> bool:
    return all(CONDITIONS[name](facts, value) for name, value in when.items())


def _conditions(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: `when` must be a table of conditions")
    unknown = [name for name in raw if name not in CONDITIONS]
    if unknown:
        raise InputError(
            f"{where}: unknown condition {unknown[0]!r}; known: {', '.join(sorted(CONDITIONS))}"
        )
    return dict(raw)


def parse_policy(text: str, path: Path | None = None) -> Policy:
    """Read and check one policy file; errors name the file and the key."""
    where = str(path) if path else "policy"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{where}: not valid TOML ({error})") from error
    for key in ("id", "title", "effective", "style", "default"):
        if key not in data:
            raise InputError(f"{where}: missing `{key}`")
    if data["style"] not in STYLES:
        raise InputError(f"{where}: style = {data['style']!r}; use one of {', '.join(STYLES)}")
    for key in ("effective", "ends"):
        if key in data and not isinstance(data[key], dt.date):
            raise InputError(f"{where}: `{key}` must be a date like 2021-02-18")

    def rule(raw: Any, label: str) -> Rule:
        if not isinstance(raw, dict) or raw.get("decision") not in DECISIONS:
            raise InputError(f"{where}: {label} needs decision = one of {', '.join(DECISIONS)}")
        if not raw.get("reason"):
            raise InputError(f"{where}: {label} needs a reason in words")
        return Rule(
            raw["decision"], raw["reason"], _conditions(raw.get("when", {}), f"{where} {label}")
        )

    def factors(key: str) -> tuple[Factor, ...]:
        return tuple(
            Factor(str(item["name"]), _conditions(item.get("when", {}), f"{where} {key} {i + 1}"))
            for i, item in enumerate(data.get(key, []))
        )

    rules = tuple(rule(raw, f"rule {i + 1}") for i, raw in enumerate(data.get("rules", [])))
    if data["style"] == "rules" and not rules:
        raise InputError(f"{where}: a rules policy needs at least one [[rules]] entry")
    return Policy(
        id=str(data["id"]),
        title=str(data["title"]),
        effective=data["effective"],
        ends=data.get("ends"),
        style=data["style"],
        summary=str(data.get("summary", "")).strip(),
        rules=rules,
        aggravating=factors("aggravating"),
        mitigating=factors("mitigating"),
        default=rule(data["default"], "[default]"),
        path=path,
    )


def load_policies(extra: Path | None = None) -> dict[str, Policy]:
    """Built-in policies, then those in `extra` (a workspace's policies/ folder), by id."""
    policies: dict[str, Policy] = {}
    builtin = resources.files("soar.policy") / "data" / "policies"
    for entry in sorted(builtin.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            policy = parse_policy(entry.read_text(encoding="utf-8"), Path(entry.name))
            policies[policy.id] = policy
    if extra is not None and extra.is_dir():
        for path in sorted(extra.glob("*.toml")):
            policy = parse_policy(path.read_text(encoding="utf-8"), path)
            policies[policy.id] = policy
    return policies


def policy_for(policies: dict[str, Policy], policy_id: str | None, day: dt.date) -> Policy:
    """The policy asked for by id, else the one in force on `day`."""
    if policy_id:
        if policy_id not in policies:
            raise InputError(f"no policy {policy_id!r}; known: {', '.join(sorted(policies))}")
        return policies[policy_id]
    in_force = [p for p in policies.values() if p.in_force(day)]
    if not in_force:
        raise InputError(f"no policy is in force on {day}; name one with --policy")
    return max(in_force, key=lambda p: p.effective)
