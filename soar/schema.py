"""Canonical person-record fields, source kinds and their value vocabularies.

Every other room of SOAR speaks in these names (DESIGN.md, "Canonical person record").
This module imports nothing of soar.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

#: Columns of a canonical person record, in the order files are written.
PERSON_FIELDS: Final[tuple[str, ...]] = (
    "record_id",
    "first_name",
    "middle_name",
    "last_name",
    "second_last_name",
    "aliases",
    "dob",
    "sex",
    "birth_country",
    "citizenship_country",
    "a_number",
    "fbi_number",
    "state_id",
    "ssn",
    "fingerprint_id",
    "passport_number",
    "street_number",
    "street",
    "address_line2",
    "city",
    "state",
    "postcode",
)

#: Separator between full names in the `aliases` field.
ALIAS_SEPARATOR: Final = "; "


class SourceKind(StrEnum):
    """The kinds of extract an operation receives."""

    REGISTRY = "registry"
    OFFENSE = "offense"
    IMMIGRATION = "immigration"
    BOOKING = "booking"
    NATURALIZATION = "naturalization"


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


class RegistrationStatus(StrEnum):
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    ABSCONDED = "absconded"
    INCARCERATED = "incarcerated"
    DECEASED = "deceased"


class Tier(StrEnum):
    I = "I"  # noqa: E741 - SORNA tier names are roman numerals
    II = "II"
    III = "III"


class Disposition(StrEnum):
    """How a charge ended; only `convicted` is a conviction (DOMAIN.md)."""

    CONVICTED = "convicted"
    CHARGED = "charged"
    PENDING = "pending"
    VACATED = "vacated"
    EXPUNGED = "expunged"


class ImmigrationStatus(StrEnum):
    CITIZEN_NATURALIZED = "citizen_naturalized"
    CITIZEN_DERIVED = "citizen_derived"
    LPR = "lpr"
    NONIMMIGRANT = "nonimmigrant"
    OVERSTAY = "overstay"
    EWI = "ewi"
    PAROLEE = "parolee"
    ASYLEE = "asylee"
    REFUGEE = "refugee"
    TPS = "tps"
    DACA = "daca"
    UNKNOWN = "unknown"


class CertificateType(StrEnum):
    """USCIS proof of citizenship: naturalization (N-550/N-570) or citizenship (N-560/N-561,
    for derived and acquired citizens)."""

    NATURALIZATION = "naturalization"
    CITIZENSHIP = "citizenship"


class RemovalOrder(StrEnum):
    NONE = "none"
    PENDING = "pending"
    FINAL = "final"


#: Source-specific canonical fields, beyond the person fields.
REGISTRY_FIELDS: Final[tuple[str, ...]] = (
    "jurisdiction",
    "registration_status",
    "tier",
    "last_verified",
)
OFFENSE_FIELDS: Final[tuple[str, ...]] = (
    "record_id",
    "statute",
    "description",
    "offense_date",
    "conviction_date",
    "disposition",
    "victim_age",
    "sentence_months",
)
IMMIGRATION_FIELDS: Final[tuple[str, ...]] = (
    "immigration_status",
    "status_date",
    "removal_order",
    "prior_removals",
    "naturalization_date",
)
#: A USCIS certificate extract: one row per certificate of naturalization or citizenship.
#: USCIS records the naturalization even when the ICE-side A-file status was never updated
#: (GAO-21-487), so it is the record the citizenship check must consult.
NATURALIZATION_FIELDS: Final[tuple[str, ...]] = (
    "certificate_number",
    "certificate_type",
    "certificate_date",
)
BOOKING_FIELDS: Final[tuple[str, ...]] = (
    "facility",
    "booking_date",
    "expected_release",
    "charges",
)

#: Birthplaces written as states that no longer exist, folded (upper case, punctuation as
#: spaces). They name no one country today (a Soviet-born person is Russian, Ukrainian,
#: Uzbek... on newer records), so they compare as unknown, but they are not the US.
FORMER_STATES: Final[frozenset[str]] = frozenset(
    {"USSR", "U S S R", "SOVIET UNION", "YUGOSLAVIA", "CZECHOSLOVAKIA", "EAST GERMANY"}
)

#: Values that sources use to mean "missing"; ingest turns them into empty.
#: Not "NA" (a Chinese and Korean given name) nor "NONE" (a removal-order value).
SENTINELS: Final[frozenset[str]] = frozenset(
    {"UNKNOWN", "UNK", "N/A", "NULL", "1900-01-01", "01/01/1900", "000000000"}
)


def fields_for(kind: SourceKind) -> tuple[str, ...]:
    """The canonical columns of a record of `kind`, person fields first."""
    extra = {
        SourceKind.REGISTRY: REGISTRY_FIELDS,
        SourceKind.IMMIGRATION: IMMIGRATION_FIELDS,
        SourceKind.BOOKING: BOOKING_FIELDS,
        SourceKind.NATURALIZATION: NATURALIZATION_FIELDS,
    }
    if kind is SourceKind.OFFENSE:
        return OFFENSE_FIELDS
    return PERSON_FIELDS + extra[kind]
