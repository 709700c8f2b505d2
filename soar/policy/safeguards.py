"""Citizenship safeguards: any sign of US citizenship stops action until a person clears it.

No score and no policy can override these (DESIGN.md). They read every record linked to the
person, not only the best match: a database that listed a US-born man's birthplace as
Mexico led to litigation (Gonzalez v. ICE); a naturalized citizen's A-file may never have
been updated (GAO-21-487).
"""

from __future__ import annotations

from dataclasses import dataclass

US = "USA"
CITIZEN_STATUSES = {"citizen_naturalized": "naturalized", "citizen_derived": "derived citizen"}


@dataclass(frozen=True)
class LinkedRecord:
    """The citizenship-relevant fields of one record linked to the person."""

    source: str  # e.g. "registry:TX", "immigration"
    record_id: str
    birth_country: str | None = None  # ISO alpha-3 where known
    citizenship_country: str | None = None
    immigration_status: str | None = None
    naturalization_date: str | None = None
    citizenship_claim: bool = False


def citizenship_flags(records: list[LinkedRecord]) -> list[str]:
    """Every sign of citizenship, or of doubt about birthplace, in words; empty when none."""
    flags: list[str] = []
    for record in records:
        where = f"{record.source} record {record.record_id}"
        if record.birth_country == US:
            flags.append(f"US birthplace on {where}")
        if record.citizenship_country == US:
            flags.append(f"US citizenship on {where}")
        if record.naturalization_date:
            flags.append(f"naturalization date {record.naturalization_date} on {where}")
        if record.immigration_status in CITIZEN_STATUSES:
            flags.append(f"status {CITIZEN_STATUSES[record.immigration_status]} on {where}")
        if record.citizenship_claim:
            flags.append(f"a claim of US citizenship on {where}")
    birthplaces = sorted({r.birth_country for r in records if r.birth_country})
    if len(birthplaces) > 1:
        flags.append(f"linked records disagree on the birthplace: {', '.join(birthplaces)}")
    return flags
