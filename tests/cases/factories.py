"""Synthetic leads for the case-store tests (the shape documented in soar.cases.leads)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def make_lead(key: str, **overrides: Any) -> dict[str, Any]:
    """A synthetic lead of the agreed shape (soar.cases.leads); overrides replace keys."""
    lead: dict[str, Any] = {
        "lead_key": key,
        "registry_record_id": f"REG-{key}",
        "immigration_record_id": f"IMM-{key}",
        "person_name": f"Synthetic Person {key}",
        "dob": "1980-04-12",
        "match_probability": 0.97,
        "match_weight": 11.5,
        "evidence": [
            {
                "field": "last_name",
                "left": "ROSALES",
                "right": "ROSALES",
                "level": "exact",
                "weight": 6.1,
            },
            {
                "field": "dob",
                "left": "1980-04-12",
                "right": "1980-12-04",
                "level": "day_month_swap",
                "weight": 2.3,
            },
        ],
        "offenses": [
            {
                "statute": "PC 288(a)",
                "description": "lewd act with a minor",
                "disposition": "convicted",
                "category": "sexual_abuse_of_a_minor",
                "needs_legal_review": True,
            }
        ],
        "policy_id": "2021-09-guidelines",
        "policy_decision": "priority",
        "reasons": ["convicted of sexual abuse of a minor (aggravating)"],
        "citizenship_flags": [],
        "field_office": "Houston",
        "country_of_citizenship": "Synthland",
    }
    lead.update(overrides)
    return lead


def write_leads(path: Path, leads: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(lead) + "\n" for lead in leads), encoding="utf-8")
    return path
