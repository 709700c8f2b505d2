"""Which records each source holds of the population, with their source-specific fields.

Registries list their registrants (some in two states) with offenses, tier, status and last
verification; the immigration extract holds one record per A-file (a few people have two);
the booking extract holds people in jail. All in canonical fields (schema.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from soar.synth import tables
from soar.synth.population import AS_OF, DUPLICATE_A_FILE_SHARE, JURISDICTION_SHARES, People
from soar.synth.records import PROFILES, Records, render
from soar.synth.tables import IntArray, StrArray, strings

Array = npt.NDArray[Any]

DISPOSITION_SHARES: dict[str, float] = {
    "convicted": 0.86,
    "charged": 0.04,
    "pending": 0.04,
    "vacated": 0.05,
    "expunged": 0.01,
}
REGISTRATION_STATUS_SHARES: dict[str, float] = {
    "compliant": 0.74,
    "non_compliant": 0.11,
    "absconded": 0.05,
    "incarcerated": 0.08,
    "deceased": 0.02,
}
FEDERAL_OFFENSE_SHARE = 0.05  # of offenses: a federal conviction listed by the state
TIER_RANK = {"I": 1, "II": 2, "III": 3}


def _categorical(shares: dict[str, float], size: int, rng: np.random.Generator) -> StrArray:
    labels = strings(list(shares))
    p = np.array(list(shares.values()))
    return labels[rng.choice(labels.size, size=size, p=p / p.sum())]


def _iso(dates: Array) -> StrArray:
    text = np.datetime_as_string(dates.astype("datetime64[D]"), unit="D")
    return np.where(np.isnat(dates), "", text).astype(np.dtypes.StringDType())


@dataclass
class Offenses:
    """Offenses of the registrants in a chunk, in canonical fields, grouped by person row."""

    person_row: IntArray
    columns: dict[str, StrArray]
    category: StrArray
    age_only: npt.NDArray[np.bool_]
    tier: StrArray
    start: IntArray  # per person: first offense index (CSR over person_row)
    count: IntArray

    def rows_of(self, person_rows: IntArray) -> tuple[IntArray, IntArray]:
        """For each record's person, its offenses: (record position, offense index) pairs."""
        count = self.count[person_rows]
        record = np.repeat(np.arange(person_rows.size), count)
        first = np.repeat(self.start[person_rows], count)
        within = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        return record, first + within


#: Offense categories that make a conviction an aggravated felony (INA 101(a)(43)(A), (I)),
#: and the grants such a conviction bars, which a background check refuses after it.
BARRING_CATEGORIES = ("rape", "sexual_abuse_minor", "child_pornography")
GRANTS_BARRED = ("lpr", "asylee", "refugee", "tps", "daca", "citizen_naturalized")


def date_grants_before_convictions(people: People, offenses: Offenses) -> None:
    """Date each barred grant (`GRANTS_BARRED`) before its holder's first aggravated felony
    conviction: LPR, asylum, TPS, DACA and naturalization are granted after a fingerprint
    check that such a conviction fails, and a holder convicted later keeps the status on
    their A-file (removable all the same). A grant drawn after the conviction moves into
    the years between birth and the conviction, in proportion, so that every draw of the
    seed stays as it was."""
    barring = (offenses.columns["disposition"] == "convicted") & np.isin(
        offenses.category, BARRING_CATEGORIES
    )
    never = np.iinfo(np.int64).max
    first = np.full(len(people), never, dtype=np.int64)
    convicted_on = (
        offenses.columns["conviction_date"][barring].astype(object).astype("datetime64[D]")
    )
    np.minimum.at(first, offenses.person_row[barring], convicted_on.astype(np.int64))
    granted = people["status_date"].astype("datetime64[D]")
    moved = (
        np.isin(people["immigration_status"], GRANTS_BARRED)
        & ~np.isnat(granted)
        & (first != never)
        & (granted.astype(np.int64) >= first)
    )
    if not moved.any():
        return
    born = people["dob"][moved].astype("datetime64[D]").astype(np.int64)
    drawn = granted[moved].astype(np.int64) - born
    span = np.maximum(np.int64(AS_OF.astype("datetime64[D]").astype(np.int64)) - born, 1)
    window = np.maximum(first[moved] - 1 - born, 0)
    dated = (born + drawn * window // span).astype("datetime64[D]")
    people["status_date"][moved] = dated
    naturalized = moved & (people["immigration_status"] == "citizen_naturalized")
    people["naturalization_date"][naturalized] = people["status_date"][naturalized]


def draw_offenses(people: People, rng: np.random.Generator) -> Offenses:
    """Each registrant's offense history, from their registry state's statutes."""
    statutes = tables.statutes()
    registrants = np.flatnonzero(people["on_registry"])
    per_person = 1 + rng.poisson(0.45, registrants.size)
    person_row = np.repeat(registrants, per_person)
    size = person_row.size
    statute = np.zeros(size, dtype=np.int64)
    jurisdiction = people["jurisdiction"][person_row]
    federal = rng.random(size) < FEDERAL_OFFENSE_SHARE
    for name in JURISDICTION_SHARES:
        mask = (jurisdiction == name) & ~federal
        statute[mask] = statutes.by_jurisdiction[name].sample(int(mask.sum()), rng)
    statute[federal] = statutes.by_jurisdiction["US"].sample(int(federal.sum()), rng)
    category = statutes.category[statute]
    age_only = statutes.age_only[statute]

    dob = people["dob"][person_row]
    earliest = dob + 16 * 365
    span = np.maximum((AS_OF - 60 - earliest).astype(np.int64), 1)
    offense_date = earliest + (rng.random(size) * span).astype(np.int64)
    disposition = _categorical(DISPOSITION_SHARES, size, rng)
    decided = np.isin(disposition, ["convicted", "vacated", "expunged"])
    conviction_date = np.where(
        decided, offense_date + rng.integers(60, 700, size), np.datetime64("NaT")
    )
    conviction_date = np.where(conviction_date > AS_OF, AS_OF - 1, conviction_date)
    # Victim ages: minors for abuse of a minor (age-only statutes: 13 to 17), adults or
    # minors for rape, none recorded for images or registration offenses.
    victim_age = np.full(size, -1, dtype=np.int64)
    minor = category == "sexual_abuse_minor"
    victim_age[minor] = rng.integers(5, 18, int(minor.sum()))
    victim_age[minor & age_only] = rng.integers(13, 18, int((minor & age_only).sum()))
    rape = category == "rape"
    victim_age[rape] = rng.integers(14, 60, int(rape.sum()))
    victim_age[rng.random(size) < 0.3] = -1  # often withheld
    convicted = disposition == "convicted"
    sentence = np.where(
        convicted, np.round(np.exp(rng.normal(3.3, 1.0, size))).astype(np.int64), -1
    )

    def number(values: IntArray) -> StrArray:
        return np.where(values >= 0, values.astype(str), "").astype(np.dtypes.StringDType())

    count = np.zeros(len(people), dtype=np.int64)
    count[registrants] = per_person
    start = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
    return Offenses(
        person_row=person_row,
        columns={
            "statute": statutes.statute[statute],
            "description": statutes.description[statute],
            "offense_date": _iso(offense_date),
            "conviction_date": _iso(conviction_date),
            "disposition": disposition,
            "victim_age": number(victim_age),
            "sentence_months": number(sentence),
        },
        category=category,
        age_only=age_only,
        tier=statutes.tier[statute],
        start=start,
        count=count,
    )


def person_tier(people: People, offenses: Offenses) -> StrArray:
    """SORNA tier per person: the highest tier among their convictions (I when none)."""
    rank = np.ones(len(people), dtype=np.int64)
    convicted = offenses.columns["disposition"] == "convicted"
    tier_rank = np.select(
        [offenses.tier == "III", offenses.tier == "II"], [3, 2], default=1
    ).astype(np.int64)
    np.maximum.at(rank, offenses.person_row[convicted], tier_rank[convicted])
    return strings(["", "I", "II", "III"])[rank]


def registry_records(
    people: People, jurisdiction: str, tier: StrArray, rng: np.random.Generator
) -> Records:
    """One jurisdiction's registry records: its registrants and those also registered there."""
    rows = rng.permutation(
        np.flatnonzero(
            (people["jurisdiction"] == jurisdiction)
            | (people["second_jurisdiction"] == jurisdiction)
        )
    )
    records = render(people, rows, PROFILES[jurisdiction], rng)
    size = rows.size
    records["jurisdiction"] = strings([jurisdiction] * size)
    records["registration_status"] = _categorical(REGISTRATION_STATUS_SHARES, size, rng)
    records["tier"] = tier[rows]
    records["last_verified"] = _iso(AS_OF - rng.integers(1, 400, size))
    return records


def immigration_records(people: People, rng: np.random.Generator) -> Records:
    """One record per A-file; a few people have a second A-file under another number."""
    holders = np.flatnonzero(people["has_a_file"])
    second = holders[rng.random(holders.size) < DUPLICATE_A_FILE_SHARE]
    order = rng.permutation(holders.size + second.size)
    rows = np.concatenate((holders, second))[order]
    is_second = (np.arange(order.size) >= holders.size)[order]
    records = render(people, rows, PROFILES["immigration"], rng)
    records["a_number"] = np.where(
        is_second, people["a_number_2"][rows], people["a_number"][rows]
    ).astype(np.dtypes.StringDType())
    status = people["immigration_status"][rows].copy()
    naturalization = people["naturalization_date"][rows].copy()
    # A naturalized person's A-file that was never updated still says permanent resident
    # (GAO-21-487: the citizenship field was not required to be updated).
    naturalized = status == "citizen_naturalized"
    stale = records.noise.draw("stale_status", naturalized, rng)
    status[stale] = "lpr"
    naturalization[stale] = np.datetime64("NaT")
    records["immigration_status"] = status
    records["status_date"] = _iso(people["status_date"][rows])
    records["removal_order"] = people["removal_order"][rows]
    prior = people["prior_removals"][rows]
    records["prior_removals"] = prior.astype(str).astype(np.dtypes.StringDType())
    records["naturalization_date"] = _iso(naturalization)
    return records


def naturalization_records(people: People, rng: np.random.Generator) -> Records:
    """USCIS certificates: one per naturalized citizen (certificate of naturalization) and
    per derived citizen with an A-file (certificate of citizenship, N-600). USCIS holds the
    naturalization even when the A-file's status field was never updated (GAO-21-487)."""
    naturalized = people["citizenship"] == "naturalized"
    derived = (people["citizenship"] == "derived") & people["has_a_file"]
    rows = rng.permutation(np.flatnonzero(naturalized | derived))
    records = render(people, rows, PROFILES["naturalization"], rng)
    is_naturalized = people["citizenship"][rows] == "naturalized"
    records["certificate_type"] = np.where(is_naturalized, "naturalization", "citizenship").astype(
        np.dtypes.StringDType()
    )
    records["certificate_date"] = _iso(
        np.where(is_naturalized, people["naturalization_date"][rows], people["status_date"][rows])
    )
    return records


FACILITY_KINDS = strings(["COUNTY JAIL", "DETENTION CENTER", "CORRECTIONAL FACILITY"])
CHARGES = strings(
    [
        "FAILURE TO REGISTER",
        "DWI",
        "ASSAULT",
        "THEFT",
        "PROBATION VIOLATION",
        "POSSESSION OF CONTROLLED SUBSTANCE",
        "DRIVING WHILE LICENSE SUSPENDED",
        "TRESPASS",
        "BURGLARY",
        "FAILURE TO APPEAR",
    ]
)


def booking_records(people: People, rng: np.random.Generator) -> Records:
    """People booked into a jail in the last four months, with their expected release."""
    rows = rng.permutation(np.flatnonzero(people["booked"]))
    records = render(people, rows, PROFILES["booking"], rng)
    size = rows.size
    records["facility"] = np.strings.add(
        np.strings.add(people["city"][rows], " "), FACILITY_KINDS[rng.integers(0, 3, size)]
    )
    booked = AS_OF - rng.integers(0, 120, size)
    records["booking_date"] = _iso(booked)
    release = np.where(
        rng.random(size) < 0.7, booked + rng.integers(1, 400, size), np.datetime64("NaT")
    )
    records["expected_release"] = _iso(release)
    first = CHARGES[rng.integers(0, CHARGES.size, size)]
    other = CHARGES[rng.integers(0, CHARGES.size, size)]
    two = (rng.random(size) < 0.3) & (other != first)
    records["charges"] = np.where(two, np.strings.add(np.strings.add(first, "; "), other), first)
    return records
