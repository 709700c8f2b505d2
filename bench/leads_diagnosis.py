"""Why each true priority was missed, and why each true citizen got an action decision.

Used by `python -m bench.leads --diagnose`. Reads the generator's truth (people.csv,
truth.csv) beside the leads; everything it prints is synthetic.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import duckdb

from soar.pipeline.leads import Lead
from soar.pipeline.truth import true_facts, true_priorities
from soar.policy.policies import Policy
from soar.workspace import Workspace

ACTION = ("priority", "needs_preapproval")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _pairs(workspace: Workspace) -> list[dict[str, Any]]:
    path = workspace.linkage / "pairs.parquet"
    result = duckdb.execute(f"SELECT left_id, right_id, match_probability FROM '{path}'")
    return [
        {"left_id": a, "right_id": b, "match_probability": float(p)}
        for a, b, p in result.fetchall()
    ]


def _names(rows: dict[str, dict[str, str]], record_id: str) -> str:
    row = rows.get(record_id, {})
    parts = (
        row.get("first_name"),
        row.get("middle_name"),
        row.get("last_name"),
        row.get("second_last_name"),
    )
    return f"{' '.join(p for p in parts if p)} {row.get('dob', '')} {row.get('birth_country', '')}"


def diagnose(
    source: Path,
    workspace: Workspace,
    leads: list[Lead],
    policy: Policy,
    as_of: dt.date,
    *,
    threshold: float,
    verbose: bool = True,
) -> Counter[str]:
    """Print one line per missed true priority and per citizen with action; count causes."""
    people = {r["person_id"]: r for r in _read(source / "people.csv")}
    person_of = {r["record_id"]: r["person_id"] for r in _read(source / "truth.csv")}
    registry = {r["record_id"]: r for r in _read(source / "canonical/registry.csv")}
    immigration = {r["record_id"]: r for r in _read(source / "canonical/immigration.csv")}
    records_of: dict[str, list[str]] = defaultdict(list)
    for record_id, person in person_of.items():
        records_of[person].append(record_id)
    facts = true_facts(source, as_of)
    true_priority = true_priorities(people, facts, policy)
    best: dict[tuple[str, str], float] = {}
    for pair in _pairs(workspace):
        key = (person_of[pair["left_id"]], person_of[pair["right_id"]])
        best[key] = max(best.get(key, 0.0), pair["match_probability"])
    # A person's registry records can be in several leads (records taken apart as probably
    # two people): a priority among them finds the person, as in `compare`.
    lead_of: dict[str, Lead] = {}
    for lead in leads:
        for record_id in lead.registry_record_ids:
            person = person_of[record_id]
            if person not in lead_of or lead.final_decision == "priority":
                lead_of[person] = lead
    causes: Counter[str] = Counter()
    print(f"\n--- {policy.id}: missed true priorities ---")
    for person in sorted(true_priority):
        lead = lead_of.get(person)
        if lead is not None and lead.final_decision == "priority":
            continue
        own = [r for r in records_of[person] if r in immigration]
        regs = [r for r in records_of[person] if r in registry]
        if lead is None:
            band = best.get((person, person))
            cause = (
                "unlinked: own A-file only in the review band"
                if band is not None
                else "unlinked: no pair with the own A-file at or above the review threshold"
            )
            detail = f"best own pair {band}" if band is not None else ""
            detail += f" | reg {_names(registry, regs[0])} | A {_names(immigration, own[0])}"
        else:
            linked = {person_of[i] for i in lead.immigration_record_ids}
            wrong = linked - {person}
            if lead.final_decision == "citizenship_review":
                identity = any("biographic-only" in f for f in lead.citizenship_flags)
                others = [f for f in lead.citizenship_flags if "biographic-only" not in f]
                if identity and not others:
                    cause = "citizenship_review: identity safeguard only"
                elif wrong:
                    cause = "citizenship_review: a wrong linked record"
                else:
                    cause = "citizenship_review: own records"
                detail = " / ".join(lead.citizenship_flags)
            else:
                cause = f"decided {lead.final_decision}" + (" (wrong link)" if wrong else "")
                detail = (
                    " / ".join(lead.decision.reasons)
                    + " | truth: "
                    + " / ".join(policy.decide(facts[person]).reasons)
                )
            detail += (
                f" | p={lead.match_probability:.3f} reg {_names(registry, regs[0])}"
                f" | A {_names(immigration, lead.immigration_record_ids[0])}"
                + (f" (person {sorted(wrong)})" if wrong else "")
            )
        causes[cause] += 1
        if verbose:
            print(f"{person}  {cause}  {detail}")
    print(f"\n--- {policy.id}: true citizens with an action decision ---")
    for lead in leads:
        if lead.final_decision not in ACTION:
            continue
        for person in sorted({person_of[r] for r in lead.registry_record_ids}):
            row = people[person]
            if row["citizenship"] == "noncitizen":
                continue
            linked = sorted({person_of[i] for i in lead.immigration_record_ids})
            cause = f"citizen with action: {row['citizenship']}" + (
                " (own A-file)" if linked == [person] else " (wrong link)"
            )
            causes[cause] += 1
            first_registry = _names(registry, lead.registry_record_ids[0])
            first_immigration = _names(immigration, lead.immigration_record_ids[0])
            print(
                f"{person} {row['citizenship']} {row['hard_negative_kind'] or '-'}"
                f"{'/' + row['hard_negative_of'] if row['hard_negative_of'] else ''}"
                f"  p={lead.match_probability:.3f} reg {first_registry}"
                f" | A {lead.immigration_record_ids} {first_immigration}"
                f" of {linked} | {lead.final_decision}"
            )
    print(f"\n--- {policy.id}: causes ---")
    for cause, count in causes.most_common():
        print(f"{count:6}  {cause}")
    return causes
