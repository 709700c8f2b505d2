"""`soar leads`: linked people, their offenses, status and custody, decided under a policy.

A lead is one registrant (all their registry records, across states) linked at or above the
match threshold to immigration records, or, when no pair reaches it, linked in the review
band (between the review threshold and the match threshold): a weak match, whose lead says
so first, for the analyst who confirms every match to confirm identity. Pairs below the
review threshold never become leads. Citizenship safeguards run first and no policy can
override them.
Output: `leads.csv` (lists joined by `; `) for people and other tools, and `leads.jsonl`
in the case store's import format.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
from rapidfuzz.distance import DamerauLevenshtein

from soar.errors import InputError
from soar.ingest.store import Store
from soar.pipeline.names import (
    given_names_agree,
    names_agree,
    shared_other_name,
    unknown_other_name,
)
from soar.policy.facts import Offense, PersonFacts
from soar.policy.offenses import classify
from soar.policy.policies import Decision, Policy, load_policies, policy_for
from soar.policy.safeguards import (
    LinkedRecord,
    citizenship_flags,
    clerical_date_error,
    contested_flags,
    home_state_conflict,
    identity_flags,
    ssn_without_status,
    status_despite_conviction,
    weak_match_flags,
)
from soar.standardize.identifiers import normalise_state
from soar.standardize.names import fold_text
from soar.workspace import Workspace

CSV_COLUMNS = (
    "lead_id",
    "registry_record_ids",
    "immigration_record_ids",
    "person_name",
    "dob",
    "match_probability",
    "offense_categories",
    "policy_id",
    "decision",
    "reasons",
    "in_custody",
    "custody",
    "field_office",
    "country_of_citizenship",
    "needs_legal_review",
)


@dataclass
class Lead:
    """One person to act on or to clear, with every reason."""

    lead_id: str
    registry_record_ids: list[str]
    immigration_record_ids: list[str]
    person_name: str
    dob: str
    match_probability: float
    match_weight: float
    offenses: list[dict[str, Any]]
    decision: Decision
    citizenship_flags: list[str]
    custody: str
    field_office: str
    country_of_citizenship: str
    removable: bool = False
    evidence: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for the reviewer; they decide nothing

    @property
    def final_decision(self) -> str:
        return "citizenship_review" if self.citizenship_flags else self.decision.decision

    @property
    def reasons(self) -> list[str]:
        if self.citizenship_flags:
            return [
                *(f"citizenship: {flag}" for flag in self.citizenship_flags),
                "no action until a supervisor clears the citizenship question",
                *self.notes,
            ]
        return [*self.decision.reasons, *self.notes]

    def csv_row(self) -> dict[str, str]:
        return {
            "lead_id": self.lead_id,
            "registry_record_ids": "; ".join(self.registry_record_ids),
            "immigration_record_ids": "; ".join(self.immigration_record_ids),
            "person_name": self.person_name,
            "dob": self.dob,
            "match_probability": f"{self.match_probability:.6f}",
            "offense_categories": "; ".join(
                sorted({str(o["category"]) for o in self.offenses if o["conviction"]})
            ),
            "policy_id": self.decision.policy_id,
            "decision": self.final_decision,
            "reasons": "; ".join(self.reasons),
            "in_custody": "true" if self.custody else "false",
            "custody": self.custody,
            "field_office": self.field_office,
            "country_of_citizenship": self.country_of_citizenship,
            "needs_legal_review": "true"
            if any(o["needs_legal_review"] for o in self.offenses)
            else "false",
        }

    def import_record(self) -> dict[str, Any]:
        """The lead in the case store's import format (soar.cases.leads)."""
        return {
            "lead_key": self.lead_id,
            "registry_record_id": self.registry_record_ids[0],
            "immigration_record_id": self.immigration_record_ids[0],
            "person_name": self.person_name,
            "dob": self.dob,
            "match_probability": self.match_probability,
            "match_weight": self.match_weight,
            "evidence": self.evidence,
            "offenses": [
                {
                    "statute": o["statute"],
                    "description": o["description"],
                    "disposition": o["disposition"],
                    "category": o["category"],
                    "needs_legal_review": o["needs_legal_review"],
                }
                for o in self.offenses
            ],
            "policy_id": self.decision.policy_id,
            "policy_decision": self.final_decision,
            "reasons": self.reasons,
            "citizenship_flags": self.citizenship_flags,
            "field_office": self.field_office,
            "country_of_citizenship": self.country_of_citizenship,
            "in_custody": bool(self.custody),
            "custody": self.custody,
        }


@dataclass
class Funnel:
    """From registry records to priorities, each step a subset of the one before."""

    registry_records: int = 0
    registrants: int = 0
    taken_apart: int = 0  # registrants more than dedupe found: its joins of two people undone
    linked: int = 0
    weak_matches: int = 0  # leads linked only in the review band
    removable: int = 0
    citizenship_review: int = 0
    not_blocked_removable: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    in_custody: int = 0


@cache
def _field_offices() -> dict[tuple[str, str], str]:
    text = (resources.files("soar.pipeline") / "data" / "field_offices.csv").read_text("utf-8")
    return {
        (row["state"], row["city"]): row["field_office"]
        for row in csv.DictReader(io.StringIO(text))
    }


def field_office(state: str | None, city: str | None) -> str:
    """The ICE field office (area of responsibility) for an address; empty when unknown."""
    offices = _field_offices()
    return offices.get((state or "", (city or "").upper()), offices.get((state or "", ""), ""))


def _date(text: str | None) -> dt.date | None:
    if not text or len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    result = connection.execute(sql)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _files(paths: Iterable[Path]) -> str:
    return "[" + ", ".join(f"'{p}'" for p in paths) + "]"


def _select_all(paths: Iterable[Path]) -> str:
    return f"SELECT * FROM read_parquet({_files(paths)}, union_by_name = true)"


def build_leads(
    workspace: Workspace, *, policy_id: str | None = None, as_of: dt.date | None = None
) -> tuple[list[Lead], Funnel, Policy]:
    """Every lead of the workspace's last linkage run, decided under one policy."""
    workspace.require()
    as_of = as_of or dt.date.today()
    policy = policy_for(load_policies(workspace.home / "policies"), policy_id, as_of)
    linkage = workspace.linkage
    for name in ("pairs.parquet", "registry_clusters.parquet"):
        if not (linkage / name).is_file():
            raise InputError(f"no linkage results in {linkage}; run `soar link` first")
    settings = workspace.config().get("linkage", {})
    threshold = float(settings.get("threshold", 0.5))
    store = Store(workspace)
    connection = duckdb.connect()
    registry = {
        r["record_id"]: r
        for r in _rows(
            connection,
            _select_all(store.files("registry")),
        )
    }
    immigration = {
        r["record_id"]: r
        for r in _rows(
            connection,
            _select_all(store.files("immigration")),
        )
    }
    joined = {
        r["record_id"]: r["cluster_id"]
        for r in _rows(
            connection, f"SELECT * FROM read_parquet('{linkage / 'registry_clusters.parquet'}')"
        )
    }
    pairs = _rows(connection, f"SELECT * FROM read_parquet('{linkage / 'pairs.parquet'}')")
    certificates = Certificates.load(connection, store, linkage, threshold)
    offenses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    offense_files = store.files("offense")
    if offense_files:
        for row in _rows(
            connection, f"SELECT * FROM read_parquet({_files(offense_files)}, union_by_name = true)"
        ):
            offenses[row["record_id"]].append(row)
    clusters, taken_apart = split_joined(joined, registry, offenses)
    custody: dict[str, str] = {}
    booked: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if (linkage / "booking_pairs.parquet").is_file() and store.files("booking"):
        bookings = {
            r["record_id"]: r
            for r in _rows(
                connection,
                _select_all(store.files("booking")),
            )
        }
        for pair in _rows(
            connection, f"SELECT * FROM read_parquet('{linkage / 'booking_pairs.parquet'}')"
        ):
            booking = bookings.get(pair["left_id"])
            if booking:
                booked[pair["right_id"]].append(booking)
            release = _date(booking.get("expected_release")) if booking else None
            if booking and (release is None or release >= as_of):
                custody[pair["right_id"]] = (
                    f"in {booking['facility']} since {booking['booking_date']}"
                    + (f", expected release {release}" if release else ", release date unknown")
                )

    funnel = Funnel(registry_records=len(registry), registrants=len(set(clusters.values())))
    funnel.taken_apart = funnel.registrants - len({joined[r] for r in clusters})
    linked: dict[str, list[dict[str, Any]]] = defaultdict(list)
    review_band: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for pair in pairs:
        person = clusters.get(pair["left_id"], pair["left_id"])
        if pair["match_probability"] >= threshold:
            linked[person].append(pair)
        else:
            review_band[person].append(pair)
    # A registrant with no pair at the threshold but some in the review band is a weak match:
    # still a lead (every lead is reviewed by a person), with all its review-band pairs so
    # that the safeguards read every record it might be.
    claimed = credible_claims(pairs, threshold, registry, immigration)
    weak = {person: band for person, band in review_band.items() if person not in linked}
    linked.update(weak)
    funnel.linked = len(linked)
    funnel.weak_matches = len(weak)

    members: dict[str, list[str]] = defaultdict(list)
    for record_id, cluster in clusters.items():
        members[cluster].append(record_id)
    leads = []
    for person in sorted(linked):
        lead = _lead(
            person,
            members[person],
            linked[person],
            registry,
            immigration,
            offenses,
            custody,
            certificates,
            policy,
            booked,
            claimed,
            as_of,
            weak_below=threshold if person in weak else None,
            taken_apart=taken_apart,
        )
        leads.append(lead)
        funnel.removable += lead.removable
        if lead.citizenship_flags:
            funnel.citizenship_review += 1
        elif lead.removable:
            funnel.not_blocked_removable += 1
        funnel.decisions[lead.final_decision] = funnel.decisions.get(lead.final_decision, 0) + 1
        funnel.in_custody += bool(lead.custody)
    return leads, funnel, policy


def _lead(
    person: str,
    registry_ids: list[str],
    pairs: list[dict[str, Any]],
    registry: dict[str, dict[str, Any]],
    immigration: dict[str, dict[str, Any]],
    offenses: dict[str, list[dict[str, Any]]],
    custody: dict[str, str],
    certificates: Certificates,
    policy: Policy,
    booked: dict[str, list[dict[str, Any]]],
    claimed: dict[str, set[str]],
    as_of: dt.date,
    weak_below: float | None = None,
    taken_apart: dict[str, list[str]] | None = None,
) -> Lead:
    pairs = resting_order(pairs, claimed, set(registry_ids))
    best = pairs[0]
    immigration_ids = list(dict.fromkeys(p["right_id"] for p in pairs))
    main = immigration[best["right_id"]]
    home = registry[best["left_id"]]
    classified = []
    registered_in = sorted(
        {str(registry[r].get("jurisdiction")) for r in registry_ids} - {"", "None"}
    )
    for record_id in sorted(registry_ids):
        jurisdiction = registry[record_id].get("jurisdiction")
        for row in offenses.get(record_id, []):
            result = classify(
                row.get("statute"),
                row.get("description"),
                row.get("disposition"),
                jurisdiction=jurisdiction,
                other_jurisdictions=tuple(j for j in registered_in if j != jurisdiction),
                victim_age=_int(row.get("victim_age")),
            )
            classified.append(
                (
                    Offense(
                        row.get("statute") or "",
                        row.get("description") or "",
                        row.get("disposition") or "",
                        result,
                        offense_date=_date(row.get("offense_date")),
                        conviction_date=_date(row.get("conviction_date")),
                        victim_age=_int(row.get("victim_age")),
                        sentence_months=_int(row.get("sentence_months")),
                    ),
                    record_id,
                )
            )
    # One offense listed by two states is one offense.
    unique: dict[tuple[str, str, str], Offense] = {}
    for offense, _ in classified:
        unique.setdefault(
            (
                offense.statute,
                offense.offense_date.isoformat() if offense.offense_date else "",
                offense.disposition,
            ),
            offense,
        )
    facts = PersonFacts(
        as_of=as_of,
        immigration_status=main.get("immigration_status"),
        removal_order=main.get("removal_order"),
        prior_removals=_int(main.get("prior_removals")) or 0,
        status_date=_date(main.get("status_date")),
        dob=_date(main.get("dob")) or _date(home.get("dob")),
        offenses=tuple(unique.values()),
    )
    linked_records = [
        LinkedRecord(
            f"registry:{registry[r].get('jurisdiction') or ''}",
            r,
            birth_country=registry[r].get("birth_country_std"),
        )
        for r in sorted(registry_ids)
    ] + [
        LinkedRecord(
            "immigration",
            i,
            birth_country=immigration[i].get("birth_country_std"),
            citizenship_country=immigration[i].get("citizenship_country_std"),
            immigration_status=immigration[i].get("immigration_status"),
            naturalization_date=immigration[i].get("naturalization_date"),
        )
        for i in immigration_ids
    ]
    registrant_records = linked_records[: len(registry_ids)]
    registrant_rows = [registry[r] for r in sorted(registry_ids)]
    a_files = [immigration[i] for i in immigration_ids]
    own = {r: own_bookings(registry[r], booked.get(r, [])) for r in registry_ids}
    # A jail booking of the registrant is their record too: a US birthplace on it is a sign
    # of citizenship like one on the registry.
    linked_records += [booking_record(b) for r in sorted(registry_ids) for b in booked.get(r, [])]
    linked_records += certificates.of(
        {r: registry[r] for r in registry_ids},
        [registry[r] for r in registry_ids] + a_files,
    )
    name = " ".join(
        part
        for part in (home.get("first_name"), home.get("middle_name"), home.get("last_name"))
        if part
    )
    in_custody = next((custody[r] for r in sorted(registry_ids) if r in custody), "")
    key = hashlib.sha256(f"{min(registry_ids)}|{min(immigration_ids)}".encode()).hexdigest()[:12]
    evidence = [
        {
            "field": f,
            "left": str(home.get(f) or ""),
            "right": str(main.get(f) or ""),
            "level": "",
            "weight": 0.0,
        }
        for f in (
            "first_name",
            "middle_name",
            "last_name",
            "second_last_name",
            "dob",
            "sex",
            "birth_country",
            "a_number",
            "fbi_number",
        )
        if home.get(f) or main.get(f)
    ]
    return Lead(
        lead_id=f"L-{key}",
        registry_record_ids=sorted(registry_ids),
        immigration_record_ids=immigration_ids,
        person_name=name,
        dob=str(home.get("dob") or main.get("dob") or ""),
        match_probability=float(best["match_probability"]),
        match_weight=float(best["match_weight"]),
        offenses=[
            {
                "statute": o.statute,
                "description": o.description,
                "disposition": o.disposition,
                "category": o.classification.category.value,
                "conviction": o.classification.conviction,
                "aggravated_felony": o.classification.aggravated_felony or "",
                "needs_legal_review": o.classification.needs_legal_review,
                "evidence": list(o.classification.evidence),
            }
            for o in facts.offenses
        ],
        decision=_weak(policy.decide(facts), best["match_probability"], weak_below),
        citizenship_flags=citizenship_flags(linked_records)
        + registrant_identity_flags(
            registrant_records,
            registrant_rows,
            a_files,
            main,
            # A record in the registrant's cluster with no pair of its own stands on the
            # lead's best link, through the registry record dedupe joined it to.
            {
                r: max(
                    (p["match_probability"] for p in pairs if p["left_id"] == r),
                    default=float(best["match_probability"]),
                )
                for r in registry_ids
            },
            own,
            barring={
                r: [
                    (o.conviction_date, o.description or o.statute)
                    for o, record_id in classified
                    if record_id == r
                    and o.conviction_date
                    and o.classification.conviction
                    and o.classification.aggravated_felony
                    # on the reviewed statute table, not proposed from the description
                    and not o.classification.needs_legal_review
                ]
                for r in registry_ids
            },
        )
        + contested(
            registrant_records,
            registrant_rows,
            own,
            best["right_id"],
            claimed.get(best["right_id"], set()),
            immigration[best["right_id"]],
            registry,
        )
        + (
            weak_match_flags(
                _shared_identifiers(registrant_rows, a_files),
                float(best["match_probability"]),
                weak_below,
            )
            if weak_below is not None
            else []
        ),
        custody=in_custody,
        field_office=field_office(home.get("state"), home.get("city")),
        country_of_citizenship=str(main.get("citizenship_country") or ""),
        removable=facts.removability()[0],
        evidence=evidence,
        notes=_apart_notes(sorted(registry_ids), registry, taken_apart or {}),
    )


def _apart_notes(
    registry_ids: list[str], registry: dict[str, dict[str, Any]], apart: dict[str, list[str]]
) -> list[str]:
    """For the reviewer: the registry records dedupe joined to this registrant that were
    taken apart as probably another person (`split_joined`), and why."""
    notes = []
    for other in sorted({o for r in registry_ids for o in apart.get(r, [])}):
        why = next(
            (
                reason
                for r in registry_ids
                if (reason := two_people(registry.get(r, {}), registry.get(other, {})))
            ),
            "it does not fit with another of the records it was joined to",
        )
        notes.append(
            f"note: dedupe joined registry record {other} to this registrant; taken apart as "
            f"probably another person ({why})"
        )
    return notes


@dataclass
class Certificates:
    """USCIS certificates of naturalization and citizenship, and the registrants they match.

    A certificate counts against a lead when its A-number is on any record of the lead
    (registry or immigration), or when linkage paired it with one of the registrant's
    records by name and birth date at or above the match threshold: the same bar as the
    lead's own link. Weaker name pairs are namesakes far more often than the same person
    (bench.leads: they flagged ten true noncitizens and no citizen the A-number missed).
    A pair found by name and birth date must also pass the test the lead's own A-file
    passes (`fits`): the names agree and the birth dates agree, bar a clerical error. The
    certificate of JUAN GALVAN-GOMEZ born the same day as JUAN HERNANDEZ GUZMAN is another
    JUAN's, and linkage of two short records can rank it above the threshold on a given
    name and a birthday (bench.leads, seed 2021: four of seven such flags, all true
    noncitizens). A missing birth date cannot rule a certificate out: it still counts.
    """

    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_a_number: dict[str, list[str]] = field(default_factory=dict)
    by_registry_record: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    @classmethod
    def load(
        cls, connection: duckdb.DuckDBPyConnection, store: Store, linkage: Path, threshold: float
    ) -> Certificates:
        files = store.files("naturalization")
        certificates = cls()
        if not files:
            return certificates
        for row in _rows(connection, _select_all(files)):
            certificates.by_id[row["record_id"]] = row
            if row.get("a_number_std"):
                certificates.by_a_number.setdefault(row["a_number_std"], []).append(
                    row["record_id"]
                )
        pairs = linkage / "certificate_pairs.parquet"
        if pairs.is_file():
            for pair in _rows(
                connection,
                f"SELECT * FROM read_parquet('{pairs}') WHERE match_probability >= {threshold}",
            ):
                certificates.by_registry_record.setdefault(pair["left_id"], []).append(
                    (pair["right_id"], float(pair["match_probability"]))
                )
        return certificates

    @staticmethod
    def fits(registry_record: dict[str, Any], certificate: dict[str, Any]) -> bool:
        """Whether a certificate paired by name and birth date can be the registrant's."""
        if not names_agree([registry_record], [certificate]):
            return False
        ours, theirs = registry_record.get("dob"), certificate.get("dob")
        if not ours or not theirs or ours == theirs:
            return True
        return clerical_date_error(str(ours), str(theirs)) is not None

    def of(
        self, registry: dict[str, dict[str, Any]], records: list[dict[str, Any]]
    ) -> list[LinkedRecord]:
        """The certificates that speak for this registrant (its registry records by id),
        each with how it was found."""
        found: dict[str, str] = {}
        for record in records:
            number = record.get("a_number_std")
            for certificate in self.by_a_number.get(number or "", []):
                found.setdefault(
                    certificate, f"same A-number {number} as record {record['record_id']}"
                )
        for record_id in sorted(registry):
            for certificate, probability in self.by_registry_record.get(record_id, []):
                if not self.fits(registry[record_id], self.by_id[certificate]):
                    continue
                found.setdefault(
                    certificate,
                    f"names and birth date match registry record {record_id} "
                    f"(match probability {probability:.2f})",
                )
        linked = []
        for certificate, how in sorted(found.items()):
            row = self.by_id[certificate]
            kind = row.get("certificate_type") or "naturalization"
            issued = row.get("certificate_date") or "date unknown"
            linked.append(
                LinkedRecord(
                    "USCIS",
                    certificate,
                    birth_country=row.get("birth_country_std"),
                    certificate=f"of {kind} {certificate} issued {issued}, {how}",
                )
            )
        return linked


def booking_record(booking: dict[str, Any]) -> LinkedRecord:
    """The citizenship-relevant fields of a jail booking."""
    return LinkedRecord(
        f"booking:{booking.get('facility') or ''}",
        booking["record_id"],
        birth_country=booking.get("birth_country_std"),
        citizenship_country=booking.get("citizenship_country_std"),
    )


BOOKING_IDENTIFIERS = ("fbi_number_std", "state_id_std", "ssn_std", "a_number_std")


def own_bookings(record: dict[str, Any], bookings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The bookings that are certainly the registry record's person: they carry its FBI
    number (issued from fingerprints), state id, SSN or A-number. The birthplace a jail
    took down at booking, and an identifier it carries, then speak for the registrant; a
    booking linked on names and birth date alone could be a look-alike's and does not."""
    return [
        b
        for b in bookings
        if any(record.get(name) and record.get(name) == b.get(name) for name in BOOKING_IDENTIFIERS)
    ]


#: Edits by which two writings of one FBI number can differ: a slip on each side (20,000
#: persons, seed 3: BO SUN, 06380920G on the registry and 0638092A1 on his A-file).
FBI_TYPOS = 2


def _fbi_apart(left: list[str], right: list[str]) -> bool:
    """Whether no FBI number on the left is within `FBI_TYPOS` of one on the right."""
    return not any(DamerauLevenshtein.distance(a, b) <= FBI_TYPOS for a in left for b in right)


def _offenses_in_common(first: list[dict[str, Any]], second: list[dict[str, Any]]) -> bool:
    """Whether two registry records list one offense: the same statute, offense date or
    conviction date (each state writes the conviction its own way; one field is enough)."""
    for field_name in ("statute", "offense_date", "conviction_date"):
        left = {fold_text(str(o[field_name])) for o in first if o.get(field_name)}
        right = {fold_text(str(o[field_name])) for o in second if o.get(field_name)}
        if left & right:
            return True
    return False


def two_people(
    first: dict[str, Any],
    second: dict[str, Any],
    offenses: dict[str, list[dict[str, Any]]] | None = None,
) -> str | None:
    """How two registry records dedupe joined are more likely two people than one, in
    words; None when nothing says so.

    Dedupe joins records across states on names and birth date; a US-born look-alike born a
    day apart joins the noncitizen's record so (`soar generate` seed 99, 10,000 persons:
    MARIA MALDONADO RODRIGUEZ, born 1989-03-29 at one address and 1989-03-28 at another),
    and so does a twin, same surname, birth date and home (20,000 persons, seed 31337:
    ANGEL SOLIS and SERGIO SOLIS IBANEZ). Two records that share no identifier may be two
    people when their birth dates differ other than by a clerical error and they give
    different homes, or when their given names differ with no alias, nickname,
    transliteration or slip to explain it. Two FBI numbers more than `FBI_TYPOS` apart are two
    people whatever else agrees: dedupe joins namesakes born the same day through a third
    record that has none (200,000 persons, seed 1: JAVIER RIVERA-HERNANDEZ in California
    and XAVIER HERNADEZ SANDOVAL in New York, through a US-born JAVIER HERNANDEZ in Texas).
    So are two records that both list offenses (`offenses`, by record id) and share none
    (statute, offense date or conviction date): a registrant who moves registers the same
    conviction in the new state (200,000 persons, seed 1: a US-born MOHAMMED NASSER in
    Florida, no FBI number, and a Saudi MOHAMMED NAZARI in California, born the same day).
    """
    if _shared_identifiers([first], [second]):
        return None
    fbi = (first.get("fbi_number_std"), second.get("fbi_number_std"))
    if fbi[0] and fbi[1] and _fbi_apart([fbi[0]], [fbi[1]]):
        return f"FBI numbers {fbi[0]} and {fbi[1]}: one person has one, slips aside"
    listed = [(offenses or {}).get(str(r.get("record_id")), []) for r in (first, second)]
    if listed[0] and listed[1] and not _offenses_in_common(*listed):
        statutes = [", ".join(sorted({str(o.get("statute") or "?") for o in x})) for x in listed]
        return (
            f"no offense in common ({statutes[0]}; {statutes[1]}): a registrant who moves "
            "registers the same conviction in the new state"
        )
    born = (first.get("dob"), second.get("dob"))
    if (
        born[0]
        and born[1]
        and born[0] != born[1]
        and not clerical_date_error(born[0], born[1])
        and (_home(first) is None or _home(first) != _home(second))
    ):
        return f"born {born[0]} and {born[1]} at different homes, no identifier shared"
    if (
        first.get("first_name")
        and second.get("first_name")
        and not given_names_agree([first], [second])
    ):
        return f"given names {first['first_name']} and {second['first_name']}, no identifier shared"
    return None


def fbi_conflict(registrant: list[dict[str, Any]], immigration: list[dict[str, Any]]) -> str | None:
    """In words, when the registrant's records and the A-file the lead rests on both give FBI
    numbers and none of one side's is within `FBI_TYPOS` of the other's, or None. The FBI
    number comes from fingerprints: one person has one (200,000 persons, seed 2: a US-born
    JOSE JUAN MARTINEZ ORTIZ in Texas, FBI number 8315669AC, and the A-file of a Honduran
    of his name and, by a keying error, birth date, FBI number 4604826AA)."""
    mine = sorted({str(r["fbi_number_std"]) for r in registrant if r.get("fbi_number_std")})
    theirs = sorted({str(r["fbi_number_std"]) for r in immigration if r.get("fbi_number_std")})
    if not mine or not theirs or not _fbi_apart(mine, theirs):
        return None
    return (
        f"the FBI numbers differ ({', '.join(mine)} on the registrant's records, "
        f"{', '.join(theirs)} on the A-file): a fingerprint-based number is one person's"
    )


def split_joined(
    clusters: dict[str, str],
    registry: dict[str, dict[str, Any]],
    offenses: dict[str, list[dict[str, Any]]] | None = None,
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Registry clusters with the records that may be two people (`two_people`) taken apart.

    Each cluster is split into groups of records no two of which may be two people (each
    record, in record_id order, joins the first group it fits), and each group is a
    registrant of its own, labelled by its smallest record_id. Held together, a look-alike's
    record puts its US birthplace and its birth date a day off on the noncitizen's lead and
    holds both (`soar generate` 10,000 persons, seed 1: 10 of 48 missed priorities); taken
    apart, each record answers for itself: the look-alike's link to the A-file fails the
    identity safeguard, the noncitizen's stands. Returns the new clusters and, for each
    record taken apart, the records of its old cluster it was taken from.
    """
    members: dict[str, list[str]] = defaultdict(list)
    for record_id, cluster in clusters.items():
        members[cluster].append(record_id)
    split: dict[str, str] = {}
    apart: dict[str, list[str]] = {}
    for ids in members.values():
        groups: list[list[str]] = []
        for record_id in sorted(ids):
            record = registry.get(record_id, {})
            for group in groups:
                if not any(two_people(record, registry.get(o, {}), offenses) for o in group):
                    group.append(record_id)
                    break
            else:
                groups.append([record_id])
        for group in groups:
            for record_id in group:
                split[record_id] = group[0]
                if len(groups) > 1:
                    apart[record_id] = sorted(set(ids) - set(group))
    return split, apart


def resting_order(
    pairs: list[dict[str, Any]], claimed: dict[str, set[str]], registry_ids: set[str]
) -> list[dict[str, Any]]:
    """A lead's pairs, the one it rests on first: the strongest, unless another registrant
    fits that A-file as its person and this registrant does not (`credible_claims`; a
    twin's A-file, same birth date, surname and home, outscoring the registrant's own),
    then the strongest of the others."""

    def taken(a_file: str) -> bool:
        fitting = claimed.get(a_file, set())
        return bool(fitting - registry_ids) and not fitting & registry_ids

    return sorted(
        pairs, key=lambda p: (taken(p["right_id"]), -p["match_probability"], p["right_id"])
    )


def credible_claims(
    pairs: list[dict[str, Any]],
    threshold: float,
    registry: dict[str, dict[str, Any]],
    immigration: dict[str, dict[str, Any]],
) -> dict[str, set[str]]:
    """For each A-file linked at the threshold to more than one registry record, the
    records that fit it as its person would: an identifier ties them, or the identity
    safeguard finds their names and birth date in order (`registrant_identity_flags`, the
    birthplace left out: a foreign-born twin is still another person). Their claim on the
    A-file is doubt about every other registrant's (`contested_flags`). A look-alike's
    record born days apart, or a twin's with another given name, does not fit and does not
    take the A-file from the person it belongs to."""
    claims: dict[str, dict[str, float]] = defaultdict(dict)
    for pair in pairs:
        if pair["match_probability"] >= threshold:
            claims[pair["right_id"]][pair["left_id"]] = float(pair["match_probability"])
    credible: dict[str, set[str]] = {}
    for a_file, claimants in claims.items():
        if len(claimants) < 2:
            continue
        main = immigration[a_file]
        credible[a_file] = {
            r
            for r, probability in claimants.items()
            if not registrant_identity_flags(
                [LinkedRecord("registry", r)],
                [registry[r]],
                [main],
                main,
                {r: probability},
                names_and_dates_only=True,
            )
        }
    return credible


def contested(
    registrant: list[LinkedRecord],
    registry_records: list[dict[str, Any]],
    bookings: dict[str, list[dict[str, Any]]],
    a_file: str,
    credible: set[str],
    record: dict[str, Any],
    registry: dict[str, dict[str, Any]],
) -> list[str]:
    """`contested_flags` for the A-file the lead rests on, when registry records of other
    registrants fit it (`credible_claims`); the registrant's own bookings count as its
    records. The A-file's home address on one of the registrant's records and on none of
    the others' (read from `registry`) is its own home."""
    ids = {r["record_id"] for r in registry_records}
    others = sorted(credible - ids)
    if not others:
        return []
    booked = [b for r in registry_records for b in bookings.get(r["record_id"], [])]
    own_home = next((h for r in registry_records if (h := _same_home(r, [record]))), None)
    if any(_same_home(registry[o], [record]) for o in others if o in registry):
        own_home = None
    return contested_flags(
        a_file,
        others,
        _shared_identifiers(registry_records + booked, [record]),
        registrant + [booking_record(b) for b in booked],
        fits=bool(credible & ids),
        own_home=own_home,
    )


def registrant_identity_flags(
    registrant: list[LinkedRecord],
    registry_records: list[dict[str, Any]],
    immigration_records: list[dict[str, Any]],
    main: dict[str, Any],
    probability: dict[str, float],
    bookings: dict[str, list[dict[str, Any]]] | None = None,
    *,
    names_and_dates_only: bool = False,
    barring: dict[str, list[tuple[dt.date, str]]] | None = None,
) -> list[str]:
    """The identity safeguard on each of the registrant's registry records, each standing on
    its own: dedupe across states can put a US-born look-alike's record beside the
    noncitizen's, and the foreign birthplace on the noncitizen's record says nothing about
    the look-alike's, whose birth date or names do not fit the A-file. `bookings` holds,
    by registry record id, the bookings certainly of its person (`own_bookings`): their
    birthplace and identifiers count as the record's own. A record that an identifier
    (fingerprint-based FBI number, SSN...) ties to another of the registrant's records is
    that record's person: when the other passes on its own, this one's birth date a day
    off is its own keying error, not a look-alike's (20,000 persons, seed 31337: MIGUEL ANGEL
    CASTANEDA, born 1970-02-07 on his California record and 1970-02-06, in Mexico, on his
    Texas one, under one FBI number). `names_and_dates_only` leaves out the A-file's home
    state and the SSN: whether a record fits an A-file as its person (`credible_claims`)
    is a question of names and birth dates; where each claimant lives is weighed after.
    """
    flags: list[str] = []
    several = len(registry_records) > 1
    own: dict[str, list[str]] = {}
    # Where the registrant lives is read from all their records: one who moved registers
    # in the new state, and the A-file may still give the old address.
    states = _states([*registry_records, *(b for bs in (bookings or {}).values() for b in bs)])
    home_elsewhere = (
        None if names_and_dates_only else home_state_conflict(states, _states(immigration_records))
    )
    for record, linked in zip(registry_records, registrant, strict=True):
        booked = (bookings or {}).get(record["record_id"], [])
        own[record["record_id"]] = identity_flags(
            [linked, *(booking_record(b) for b in booked)],
            _shared_identifiers([record, *booked], immigration_records),
            record.get("dob"),
            main.get("dob"),
            _names_disagree([record], immigration_records),
            record_id=record["record_id"] if several else None,
            same_home=_same_home(record, immigration_records),
            given_name_agrees=given_names_agree([record], immigration_records),
            match_probability=probability[record["record_id"]],
            shared_alias=shared_other_name([record, *booked], immigration_records),
            home_elsewhere=home_elsewhere,
            ssn_unexplained=None
            if names_and_dates_only
            else ssn_without_status(
                [r["ssn_std"] for r in (record, *booked) if r.get("ssn_std")],
                main.get("immigration_status"),
            ),
            other_name_unknown=None
            if names_and_dates_only
            else unknown_other_name([record, *booked], immigration_records),
            fingerprints_differ=None
            if names_and_dates_only
            else fbi_conflict([record, *booked], [main]),
            barred_grant=None
            if names_and_dates_only
            else status_despite_conviction(
                main.get("immigration_status"),
                _date(main.get("status_date")),
                (barring or {}).get(record["record_id"], []),
            ),
        )
    for record in registry_records:
        vouched = any(
            not own[other["record_id"]] and _shared_identifiers([record], [other])
            for other in registry_records
            if other is not record
        )
        for flag in [] if vouched else own[record["record_id"]]:
            if flag not in flags:
                flags.append(flag)
    return flags


def _states(records: list[dict[str, Any]]) -> set[str]:
    """The states of the records' addresses as postal codes (Texas, TEXAS -> TX). Ingest
    keeps the source's text; a state no table reads (TEX.) is left out rather than taken
    for another state: it is no evidence."""
    return {code for r in records if (code := normalise_state(r.get("state")))}


def _home(record: dict[str, Any]) -> tuple[str, str, str] | None:
    number = str(record.get("street_number") or "").strip()
    street = fold_text(record.get("street")) or ""
    place = str(record.get("postcode") or "")[:5] or (fold_text(record.get("city")) or "")
    return (number, street, place) if number and street and place else None


def _same_home(record: dict[str, Any], immigration: list[dict[str, Any]]) -> str | None:
    """The address the registry record shares with an A-file, in words, or None."""
    home = _home(record)
    if home is None:
        return None
    for other in immigration:
        if _home(other) == home:
            return f"{home[0]} {home[1]} {home[2]}"
    return None


def _weak(decision: Decision, probability: float, threshold: float | None) -> Decision:
    """A weak match's decision says first that identity must be confirmed."""
    if threshold is None:
        return decision
    note = (
        f"weak match: confirm identity (match probability {probability:.2f}, below the match "
        f"threshold {threshold}) before anything else"
    )
    return Decision(decision.policy_id, decision.decision, (note, *decision.reasons))


def _full_name(record: dict[str, Any]) -> str:
    parts = ("first_name", "middle_name", "last_name", "second_last_name")
    return " ".join(str(record[p]) for p in parts if record.get(p))


def _names_disagree(
    registrant: list[dict[str, Any]], immigration: list[dict[str, Any]]
) -> str | None:
    """How the names disagree, in words; None when some name form of each side agrees."""
    if names_agree(registrant, immigration):
        return None
    return (
        f"the names disagree ({_full_name(registrant[0])} on the registry, "
        f"{_full_name(immigration[0])} on the A-file: a given name or every surname differs, "
        "with no alias, nickname or transliteration to explain it)"
    )


IDENTIFIERS = ("a_number_std", "fbi_number_std", "ssn_std", "passport_number_std")


def _shared_identifiers(
    registrant: list[dict[str, Any]], immigration: list[dict[str, Any]]
) -> list[str]:
    """Identifiers the registrant's records share with the linked immigration records."""
    shared = []
    for name in IDENTIFIERS:
        left = {r.get(name) for r in registrant} - {None, ""}
        right = {r.get(name) for r in immigration} - {None, ""}
        if left & right:
            shared.append(name.removesuffix("_std"))
    return shared


def write_leads(leads: list[Lead], csv_path: Path) -> Path:
    """Write leads.csv and, beside it, leads.jsonl for `soar cases import`; all or nothing."""
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    jsonl_path = csv_path.with_suffix(".jsonl")
    scratch_csv = csv_path.with_name(csv_path.name + ".partial")
    scratch_jsonl = jsonl_path.with_name(jsonl_path.name + ".partial")
    with scratch_csv.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for lead in leads:
            writer.writerow(lead.csv_row())
    with scratch_jsonl.open("w", encoding="utf-8") as handle:
        for lead in leads:
            handle.write(json.dumps(lead.import_record(), sort_keys=True) + "\n")
    scratch_csv.replace(csv_path)
    scratch_jsonl.replace(jsonl_path)
    return jsonl_path
