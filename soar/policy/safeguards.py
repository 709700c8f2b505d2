"""Citizenship safeguards: any sign of US citizenship stops action until a person clears it.

No score and no policy can override these (DESIGN.md). They read every record linked to the
person, not only the best match: a database that listed a US-born man's birthplace as
Mexico led to litigation (Gonzalez v. ICE); a naturalized citizen's A-file may never have
been updated (GAO-21-487), so USCIS certificates of naturalization and citizenship are read
too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from soar.schema import FORMER_STATES

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
    certificate: str | None = None  # a USCIS certificate, in words ("of naturalization, ...")


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
        if record.certificate:
            flags.append(f"USCIS certificate {record.certificate}: {where}")
    # Only recognised countries can disagree: an unrecognised spelling (PHILLIPINES) is not
    # a second birthplace.
    birthplaces = sorted(
        {r.birth_country for r in records if r.birth_country and _is_country_code(r.birth_country)}
    )
    if len(birthplaces) > 1:
        flags.append(f"linked records disagree on the birthplace: {', '.join(birthplaces)}")
    return flags


def _is_country_code(value: str | None) -> bool:
    return value is not None and len(value) == 3 and value.isalpha() and value.isupper()


def _born_abroad(record: LinkedRecord) -> bool:
    """A foreign birthplace: a country other than the US, or a state that no longer exists
    (U.S.S.R., Yugoslavia), which names no one country but is not the US."""
    place = record.birth_country
    return (_is_country_code(place) and place != US) or place in FORMER_STATES


#: At the same home address, birth dates this close are one person's date miswritten; a
#: father and son of one name at one address are a generation apart, never this close.
SAME_HOME_DAYS = 366


#: A clerical error in the birth date is forgiven only on a link at least this strong. A
#: common name with a birth year one digit off is a namesake as often as not: LUIZ GONSALEZ
#: JUARES (alias LUIS GONZALEZ) 1978-03-13, US-born, and another man's A-file, LUIS GONZALEZ
#: 1976-03-13, linked at 0.69 (bench.leads, seed 2). Linkage already prices how common a
#: name is into the probability, so the probability is the measure of "strong": at 0.9 at
#: most one such link in ten is another person. Cost: about five true priorities in 3,000
#: go to review (bench.leads seeds 2, 99, 2021); 0.75 would cost four and allow one in four.
CLERICAL_MIN_PROBABILITY = 0.9


def _days_apart(first: str, second: str) -> int:
    try:
        return abs((dt.date.fromisoformat(first) - dt.date.fromisoformat(second)).days)
    except ValueError:
        return 1_000_000  # a partial or unreadable date is not close to anything


def clerical_date_error(first: str, second: str) -> str | None:
    """How two full ISO dates of birth are one date miswritten, or None.

    Day and month exchanged (US against day-first order) and one mistyped digit of the year
    are the clerical errors birth dates carry (DOMAIN.md); a look-alike born a few days
    apart, or a namesake born the same year on another day, is neither. A day or two apart
    is not forgiven: that is exactly what a look-alike's birth date looks like.
    """
    if len(first) != 10 or len(second) != 10 or first == second:
        return None
    (y1, m1, d1), (y2, m2, d2) = first.split("-"), second.split("-")
    if y1 == y2 and (m1, d1) == (d2, m2):
        return "day and month exchanged"
    if (m1, d1) == (m2, d2) and sum(a != b for a, b in zip(y1, y2, strict=True)) == 1:
        return "one digit of the year differs"
    return None


#: Statuses whose holder was never authorised to work in the US and so was never issued a
#: Social Security number: one who entered without inspection and has had no status since.
#: (An overstay may hold a number from a visa that allowed work; DACA, TPS and the others
#: come with work authorisation.)
NEVER_ISSUED_SSN = frozenset({"ewi"})


def issued_ssn(digits: str | None) -> bool:
    """A number the Social Security Administration issues: nine digits, never area 000 or
    666, never group 00 or serial 0000, and never 9xx, which is the IRS's ITIN (issued
    whatever one's status) or no number at all."""
    if not digits or len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in {"000", "666"} and area[0] != "9" and group != "00" and serial != "0000"


def ssn_without_status(ssns: list[str], a_file_status: str | None) -> str | None:
    """In words, when the registrant's records give a Social Security number that the
    A-file's person cannot have been issued (`NEVER_ISSUED_SSN`), or None."""
    if a_file_status not in NEVER_ISSUED_SSN or not any(issued_ssn(s) for s in ssns):
        return None
    return (
        "the registry gives a Social Security number, and the A-file's person entered "
        "without inspection and has had no status since, so was never issued one"
    )


#: Grants an aggravated felony conviction bars, by the name the status goes by: lawful
#: permanent residence (inadmissible for a crime involving moral turpitude, INA 212(a)(2)),
#: asylum and refugee status (a particularly serious crime, INA 208(b)(2), 207(c)), TPS (any
#: felony, INA 244(c)(2)(B)) and DACA (any felony). Each is granted after a background check
#: on the applicant's fingerprints.
BARRED_BY_AGGRAVATED_FELONY = {
    "lpr": "lawful permanent residence",
    "asylee": "asylum",
    "refugee": "refugee status",
    "tps": "Temporary Protected Status",
    "daca": "DACA",
}


def status_despite_conviction(
    status: str | None, granted: dt.date | None, convictions: list[tuple[dt.date, str]]
) -> str | None:
    """In words, when the A-file records a grant (`BARRED_BY_AGGRAVATED_FELONY`) made after
    an aggravated felony conviction on the registrant's record, which bars it, or None. The
    A-file's person passed a background check the registrant's conviction would have failed:
    the A-file is another person's, or the grant was an error (20,000 persons, seed 3:
    HASSAN OMAR, US-born, convicted of sexual assault in Texas in 1986, and an Afghan's
    A-file with his name and, by a keying error, his birth date, TPS granted in 2023).
    `convictions` are (conviction date, description) of aggravated felonies."""
    if status not in BARRED_BY_AGGRAVATED_FELONY or granted is None:
        return None
    before = sorted(c for c in convictions if c[0] < granted)
    if not before:
        return None
    when, what = before[0]
    return (
        f"the A-file records {BARRED_BY_AGGRAVATED_FELONY[status]} granted on "
        f"{granted.isoformat()}, after the registry's conviction of {when.isoformat()} "
        f"({what}), an aggravated felony that bars it: the A-file is another person's or the "
        "grant was an error"
    )


def home_state_conflict(registrant_states: set[str], a_file_states: set[str]) -> str | None:
    """In words, when the A-file's address is in a state where none of the registrant's
    records (registration, bookings) puts them, or None. A registrant registers where they
    live; a look-alike lives at their own address, most often in another state (10,000
    persons, seed 1: RICHARD STEWART, US-born, registered in Arlington, TX, and a Jamaican's
    A-file at an address in Fayetteville, NC, with his name and, by a keying error, his
    birth date)."""
    if not registrant_states or not a_file_states or registrant_states & a_file_states:
        return None
    return (
        f"the A-file's address is in {', '.join(sorted(a_file_states))} and the registrant's "
        f"records are in {', '.join(sorted(registrant_states))}"
    )


def _doubt(what: str) -> str:
    """An identity doubt on a biographic-only link, in words, with what raised it."""
    return (
        f"biographic-only link: no identifier shared, {what}, and no foreign birthplace on "
        "the registrant's own records: confirm identity and citizenship before action"
    )


def identity_flags(
    registrant: list[LinkedRecord],
    shared_identifiers: list[str],
    registry_dob: str | None,
    immigration_dob: str | None,
    names_disagree: str | None = None,
    record_id: str | None = None,
    same_home: str | None = None,
    given_name_agrees: bool = False,
    match_probability: float = 1.0,
    shared_alias: str | None = None,
    home_elsewhere: str | None = None,
    ssn_unexplained: str | None = None,
    other_name_unknown: str | None = None,
    barred_grant: str | None = None,
    fingerprints_differ: str | None = None,
) -> list[str]:
    """Doubt that the registrant is the person of the immigration record, in words.

    A US citizen whose name and birth date are close to a noncitizen's looks like a match
    on biographic evidence alone. When no identifier is shared, the registrant's own records
    show no foreign birthplace, and either the birth dates differ (other than by a clerical
    error, `clerical_date_error`), or one side has no birth date (the name is then all the
    link rests on), or the names disagree
    (`names_disagree`: how, in words; a given name or every surname part differs with no
    alias, nickname or transliteration to explain it), nothing on record says the registrant
    is the foreign-born person of the A-file: identity and citizenship must be confirmed
    (fingerprints, records checks) before any action. `record_id` names the registry record
    checked when a registrant has several (each must stand on its own: a cluster can hold a
    look-alike's record beside the noncitizen's). `same_home` (the address the registry
    record shares with the A-file, in words) explains birth dates less than a year apart:
    a look-alike lives at their own address. For the same reason a surname that differs
    (an alias, a surname dropped or taken) is explained when the given name agrees
    (`given_name_agrees`), the birth dates agree (or differ by a clerical error) and the
    address is the same: a look-alike has their own address, a twin their own given name.
    A clerical error is forgiven only when the record's link (`match_probability`) is
    strong (`CLERICAL_MIN_PROBABILITY`): on a common name it is how a namesake looks.
    `shared_alias` (a second name both sides give, an alias beside the name that links
    them: `soar.pipeline.names.shared_other_name`) explains the same birth dates as the
    address does, and a missing birth date: a look-alike shares the noncitizen's name, not
    the other names the noncitizen goes by.
    Facts on record point to another person even when names and birth dates agree:
    the A-file's address in a state where the registrant is not (`home_elsewhere`,
    `home_state_conflict`; a shared alias explains it, a move having left the A-file
    behind), a Social Security number the A-file's person cannot hold
    (`ssn_unexplained`, `ssn_without_status`), another name the registry gives that the
    A-file, listing other names of its own, does not know (`other_name_unknown`:
    `soar.pipeline.names.unknown_other_name`; the same address explains it), and a grant
    on the A-file that the registrant's aggravated felony would have barred (`barred_grant`,
    `status_despite_conviction`). FBI numbers that differ on the two sides
    (`fingerprints_differ`: `soar.pipeline.leads.fbi_conflict`) make the A-file another
    person's wherever the registrant was born.
    """
    if shared_identifiers:
        return []
    if fingerprints_differ:
        # Another person's A-file, wherever the registrant was born.
        return [f"no identifier shared and {fingerprints_differ}: confirm identity before action"]
    if any(_born_abroad(r) for r in registrant):
        return []
    flags = []
    where = f"registry record {record_id}" if record_id else "the registry"
    clerical = (
        clerical_date_error(registry_dob, immigration_dob)
        if registry_dob and immigration_dob
        else None
    )
    if (
        registry_dob
        and immigration_dob
        and registry_dob != immigration_dob
        and not (clerical and match_probability >= CLERICAL_MIN_PROBABILITY)
        and not (
            (same_home or shared_alias)
            and _days_apart(registry_dob, immigration_dob) <= SAME_HOME_DAYS
        )
    ):
        why = (
            f"; {clerical}, but on a link of probability {match_probability:.2f}, below "
            f"{CLERICAL_MIN_PROBABILITY} (a common name's namesake looks so)"
            if clerical
            else ""
        )
        flags.append(
            f"biographic-only link: no identifier shared, birth dates differ ({registry_dob} on "
            f"{where}, {immigration_dob} on the A-file{why}) and no foreign birthplace on the "
            "registrant's own records: confirm identity and citizenship before action"
        )
    if (not registry_dob or not immigration_dob) and not shared_alias:
        missing = "the A-file" if registry_dob else where
        flags.append(
            f"biographic-only link on the name alone: no identifier shared, no birth date on "
            f"{missing} to compare, and no foreign birthplace on the registrant's own records: "
            "confirm identity and citizenship before action"
        )
    same_person_at_home = (
        same_home is not None
        and given_name_agrees
        and bool(registry_dob)
        and (registry_dob == immigration_dob or clerical is not None)
    )
    if names_disagree and not same_person_at_home:
        flags.append(_doubt(names_disagree))
    if home_elsewhere and not shared_alias:
        flags.append(
            _doubt(
                f"{home_elsewhere} (a registrant registers where they live; a look-alike "
                "lives at their own address)"
            )
        )
    if ssn_unexplained:
        flags.append(_doubt(ssn_unexplained))
    if other_name_unknown and not same_home:
        flags.append(_doubt(other_name_unknown))
    if barred_grant:
        flags.append(_doubt(barred_grant))
    return flags


def contested_flags(
    a_file: str,
    other_registrants: list[str],
    shared_identifiers: list[str],
    registrant: list[LinkedRecord],
    *,
    fits: bool = True,
    own_home: str | None = None,
) -> list[str]:
    """Doubt when the A-file a lead rests on fits another registrant too, in words.

    `other_registrants` are registry records of other registrants that fit the A-file as
    its person would (an identifier ties them, or their names and birth date pass the
    identity safeguard). When this registrant fits it as well (`fits`), at most one of them
    is its person: a US-born look-alike whose birth date matches the A-file's because the
    A-file's own date was keyed a day off links as strongly as the noncitizen does
    (`soar generate` seed 2021, 10,000 persons: SAMIR ADEL HUSSEIN, US-born, at 0.995); a
    registrant whose own records give a foreign birthplace is not in that doubt. When this
    registrant does not fit it (a name alone, an alias that is another person's name), the
    A-file is the other's, whatever this registrant's birthplace: a naturalized citizen
    born abroad was linked on the alias TRI TRAN to another man's A-file (seed 1, 20,000
    persons). A registrant an identifier ties to the A-file is in no doubt, nor is one that
    fits it and alone gives its home address (`own_home`, in words): a look-alike lives at
    their own address (20,000 persons, seed 31337: GEORGE DILLON YOUNG at the A-file's
    29 MAIN ST, MODESTO, and a US-born GEORGE DYLAN YOUNG in Santa Ana, both born the
    A-file's day).
    """
    if not other_registrants or shared_identifiers or (fits and own_home):
        return []
    others = ", ".join(other_registrants)
    if not fits:
        return [
            f"biographic-only link to an A-file that is another registrant's: A-file {a_file} "
            f"fits registry record {others} as its person, and this registrant's names and "
            "birth date do not fit it as well: confirm identity and citizenship before action"
        ]
    if any(_born_abroad(r) for r in registrant):
        return []
    return [
        f"biographic-only link to an A-file another registrant is linked to as well: "
        f"A-file {a_file} also matches registry record {others}; at most one of them is its "
        "person, no identifier ties this registrant to it and no foreign birthplace is on "
        "the registrant's own records: confirm identity and citizenship before action"
    ]


def weak_match_flags(
    shared_identifiers: list[str], match_probability: float, threshold: float
) -> list[str]:
    """A weak match (below the match threshold) on names and dates alone is more likely two
    people than one: with no identifier shared, identity and citizenship come first."""
    if shared_identifiers or match_probability >= threshold:
        return []
    return [
        f"weak biographic-only match (probability {match_probability:.2f}, below the match "
        f"threshold {threshold}) and no identifier shared: confirm identity and citizenship "
        "before action"
    ]
