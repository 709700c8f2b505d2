"""The true population: who each synthetic person is, before any record is written of them.

Everything is drawn with numpy over whole arrays (one chunk of persons at a time); a person
is a row index. Hard negatives (namesakes, twins, US-born look-alikes of noncitizens) are
made here by copying identifying attributes from a donor person, so they are true
different people that records will make look alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from soar.synth import tables
from soar.synth.tables import ORIGINS, IntArray, StrArray, strings

Array = npt.NDArray[Any]
BoolArray = npt.NDArray[np.bool_]

#: The day every synthetic extract is "as of"; fixed so a seed gives the same files forever.
AS_OF = np.datetime64("2026-06-01", "D")

#: Citizenship classes and their shares of the population of interest.
CITIZENSHIP_SHARES: dict[str, float] = {
    "us_born": 0.40,
    "naturalized": 0.12,
    "derived": 0.02,
    "noncitizen": 0.46,
}

#: Origin shares by citizenship class (US-born people are mostly Anglo or Hispanic).
ORIGIN_SHARES: dict[str, tuple[float, ...]] = {
    # hispanic, anglo, vietnamese, chinese, arabic, slavic
    "us_born": (0.32, 0.52, 0.04, 0.04, 0.04, 0.04),
    "naturalized": (0.40, 0.14, 0.12, 0.14, 0.10, 0.10),
    "derived": (0.45, 0.15, 0.10, 0.10, 0.10, 0.10),
    "noncitizen": (0.52, 0.08, 0.09, 0.11, 0.10, 0.10),
}

#: Immigration statuses of noncitizens (DESIGN.md vocabulary) and their shares.
NONCITIZEN_STATUS_SHARES: dict[str, float] = {
    "lpr": 0.33,
    "nonimmigrant": 0.05,
    "overstay": 0.12,
    "ewi": 0.25,
    "parolee": 0.05,
    "asylee": 0.03,
    "refugee": 0.04,
    "tps": 0.06,
    "daca": 0.04,
    "unknown": 0.03,
}

#: Registry jurisdictions and the share of registrants each holds.
JURISDICTION_SHARES: dict[str, float] = {"TX": 0.35, "CA": 0.30, "FL": 0.20, "NY": 0.15}

REGISTRY_SHARE = 0.45  # of all persons: on at least one sex-offender registry
SECOND_REGISTRY_SHARE = 0.04  # of registrants: registered in a second state too
BOOKING_SHARE = {"registrant": 0.20, "other": 0.06}
DUPLICATE_A_FILE_SHARE = 0.03  # of people with an A-file: a second A-number exists
ALIAS_SHARE = 0.25  # of persons: known by at least one other name

#: Hard negatives, as shares of the persons of each origin.
HARD_NEGATIVE_SHARES: dict[str, float] = {
    "namesake": 0.02,  # same full name and birth year, a different person
    "twin": 0.01,  # same surname(s), birth date and address, another given name
    "citizen_lookalike": 0.015,  # US-born citizen with a noncitizen's name, DOB within days
}


@dataclass
class People:
    """Columns of one chunk of persons; every array has one entry per person."""

    columns: dict[str, Array] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Array:
        return self.columns[name]

    def __setitem__(self, name: str, value: Array) -> None:
        self.columns[name] = value

    def __len__(self) -> int:
        return len(next(iter(self.columns.values())))


def _categorical(shares: dict[str, float], size: int, rng: np.random.Generator) -> StrArray:
    labels = strings(list(shares))
    probability = np.array(list(shares.values()))
    return labels[rng.choice(len(labels), size=size, p=probability / probability.sum())]


def _bijection(index: IntArray, modulus: int, multiplier: int, offset: int) -> IntArray:
    """A permutation of range(modulus) evaluated at `index`: unique numbers that look random."""
    return (index * multiplier + offset) % modulus


def _digits(values: IntArray, width: int) -> StrArray:
    return np.strings.zfill(values.astype(np.dtypes.StringDType()), width)


def _letters(values: IntArray, width: int) -> StrArray:
    out = strings([""] * values.size)
    remaining = values.copy()
    alphabet = strings(list("ABCDEFGHJKLMNPRSTUVWXYZ"))
    for _ in range(width):
        out = np.strings.add(alphabet[remaining % alphabet.size], out)
        remaining //= alphabet.size
    return out


def _sample_by_group(
    group: StrArray, part_of: dict[str, str], rng: np.random.Generator, origin_of: StrArray
) -> IntArray:
    """Sample a name index per person from the pool of (origin, part_of[group])."""
    table = tables.names()
    out = np.full(group.size, -1, dtype=np.int64)
    for origin in ORIGINS:
        for key, part in part_of.items():
            mask = (origin_of == origin) & (group == key)
            count = int(mask.sum())
            if count and (origin, part) in table.pools:
                out[mask] = table.pool(origin, part).sample(count, rng)
    return out


def generate_people(size: int, first_index: int, rng: np.random.Generator) -> People:
    """Draw `size` persons whose global numbers start at `first_index`."""
    people = People()
    index = np.arange(first_index, first_index + size, dtype=np.int64)
    people["index"] = index
    people["person_id"] = np.strings.add("P", _digits(index + 1, 8))

    citizenship = _categorical(CITIZENSHIP_SHARES, size, rng)
    people["citizenship"] = citizenship
    origin = strings([""] * size)
    for klass, shares in ORIGIN_SHARES.items():
        mask = citizenship == klass
        origin[mask] = _categorical(dict(zip(ORIGINS, shares, strict=True)), int(mask.sum()), rng)
    people["origin"] = origin

    on_registry = rng.random(size) < REGISTRY_SHARE
    people["on_registry"] = on_registry
    # About 97% of registered sex offenders are men; others in the population are even.
    male = np.where(on_registry, rng.random(size) < 0.96, rng.random(size) < 0.5)
    people["sex"] = np.where(male, "M", "F").astype(np.dtypes.StringDType())

    birth_year = np.clip(np.round(rng.normal(1981, 12, size)), 1946, 2006).astype(np.int64)
    day_of_year = rng.integers(0, 365, size)
    people["dob"] = (birth_year - 1970).astype("datetime64[Y]").astype(
        "datetime64[D]"
    ) + day_of_year

    gender = np.where(male, "m", "f").astype(np.dtypes.StringDType())
    people["given"] = _sample_by_group(gender, {"m": "given_m", "f": "given_f"}, rng, origin)
    people["family"] = _sample_by_group(gender, {"m": "family", "f": "family"}, rng, origin)
    # Hispanic people carry a maternal surname too (most do, a few records never had one).
    maternal = _sample_by_group(gender, {"m": "family", "f": "family"}, rng, origin)
    people["maternal"] = np.where((origin == "hispanic") & (rng.random(size) < 0.92), maternal, -1)
    people["middle"] = _draw_middle(origin, gender, rng)

    _draw_countries_and_status(people, rng)
    _draw_identifiers(people)
    _draw_registry_and_address(people, rng)
    _make_hard_negatives(people, rng)
    people["aliases"] = _draw_aliases(people, rng)
    return people


def _draw_middle(origin: StrArray, gender: StrArray, rng: np.random.Generator) -> IntArray:
    """Middle names by custom: Vietnamese always, Slavic patronymics, Anglo often, Arabic
    a father's name often, Hispanic and Chinese rarely (compound given names stand in)."""
    size = origin.size
    own = _sample_by_group(gender, {"m": "middle_m", "f": "middle_f"}, rng, origin)
    fathers = _sample_by_group(gender, {"m": "given_m", "f": "given_m"}, rng, origin)
    other_given = _sample_by_group(gender, {"m": "given_m", "f": "given_f"}, rng, origin)
    u = rng.random(size)
    middle = np.full(size, -1, dtype=np.int64)
    middle = np.where((origin == "vietnamese") & (u < 0.95), own, middle)
    middle = np.where((origin == "slavic") & (u < 0.85), own, middle)
    middle = np.where((origin == "arabic") & (u < 0.60), fathers, middle)
    middle = np.where((origin == "anglo") & (u < 0.70), other_given, middle)
    middle = np.where((origin == "hispanic") & (u < 0.10), other_given, middle)
    return middle.astype(np.int64)


def _draw_countries_and_status(people: People, rng: np.random.Generator) -> None:
    size = len(people)
    countries = tables.countries()
    citizenship, origin = people["citizenship"], people["origin"]
    birth = np.full(size, countries.united_states, dtype=np.int64)
    for name in ORIGINS:
        mask = (origin == name) & (citizenship != "us_born")
        birth[mask] = countries.by_origin[name].sample(int(mask.sum()), rng)
    # Derived citizens are born abroad to citizen parents; naturalized ones abroad too.
    people["birth_country"] = birth
    people["citizenship_country"] = np.where(
        citizenship == "noncitizen", birth, countries.united_states
    )

    status = np.where(
        citizenship == "naturalized",
        "citizen_naturalized",
        np.where(citizenship == "derived", "citizen_derived", ""),
    ).astype(np.dtypes.StringDType())
    noncitizen = citizenship == "noncitizen"
    status[noncitizen] = _categorical(NONCITIZEN_STATUS_SHARES, int(noncitizen.sum()), rng)
    people["immigration_status"] = status

    has_a_file = (citizenship == "noncitizen") | (citizenship == "naturalized")
    has_a_file |= (citizenship == "derived") & (rng.random(size) < 0.5)
    # EWI entrants without an encounter have no A-file; most others do.
    has_a_file &= ~((status == "ewi") & (rng.random(size) < 0.15))
    people["has_a_file"] = has_a_file

    dob = people["dob"]
    adult = dob + 18 * 365
    span = np.maximum((AS_OF - adult).astype(np.int64), 30)
    status_date = adult + (rng.random(size) * span).astype(np.int64)
    people["status_date"] = np.where(has_a_file, status_date, np.datetime64("NaT"))
    naturalized = citizenship == "naturalized"
    people["naturalization_date"] = np.where(naturalized, status_date, np.datetime64("NaT"))

    removable = noncitizen & np.isin(status, ["overstay", "ewi", "unknown", "nonimmigrant"])
    u = rng.random(size)
    order = np.where(
        noncitizen & (u < np.where(removable, 0.30, 0.05)),
        "final",
        np.where(noncitizen & (u < np.where(removable, 0.60, 0.15)), "pending", "none"),
    )
    people["removal_order"] = order.astype(np.dtypes.StringDType())
    prior = rng.poisson(np.where(status == "ewi", 0.35, 0.03), size)
    people["prior_removals"] = np.where(noncitizen, prior, 0)


def _draw_identifiers(people: People) -> None:
    index = people["index"]
    people["a_number"] = np.strings.add(
        "A", _digits(_bijection(index, 900_000_000, 7919, 11) + 100_000_000, 9)
    )
    people["a_number_2"] = np.strings.add(
        "A", _digits(_bijection(index + 450_000_000, 900_000_000, 7919, 11) + 100_000_000, 9)
    )
    # FBI numbers (UCN): seven digits and two letters, unique for the first 10 million people.
    people["fbi_number"] = np.strings.add(
        _digits(_bijection(index, 10_000_000, 104729, 3), 7),
        _letters(index // 10_000_000 + index % 7, 2),
    )
    # SSNs: area numbers 001-664, never the 000 that sources use as a sentinel.
    people["ssn"] = _digits(_bijection(index, 664_000_000, 7907, 17) + 1_000_000, 9)
    people["passport_number"] = np.strings.add(
        _letters(index % 23, 1), _digits(_bijection(index, 100_000_000, 7901, 29), 8)
    )
    # The FBI number exists for anyone fingerprinted on arrest: registrants, most bookings.
    people["fingerprint_id"] = np.strings.add(
        "FP", _digits(_bijection(index, 10**10, 7877, 31), 10)
    )


def _draw_registry_and_address(people: People, rng: np.random.Generator) -> None:
    size = len(people)
    on_registry = people["on_registry"]
    jurisdiction = _categorical(JURISDICTION_SHARES, size, rng)
    others = strings(list(JURISDICTION_SHARES))
    second = others[rng.integers(0, others.size, size)]
    second = np.where(
        second == jurisdiction, others[(np.searchsorted(others, second) + 1) % others.size], second
    )
    has_second = on_registry & (rng.random(size) < SECOND_REGISTRY_SHARE)
    people["jurisdiction"] = np.where(on_registry, jurisdiction, "").astype(np.dtypes.StringDType())
    people["second_jurisdiction"] = np.where(has_second, second, "").astype(np.dtypes.StringDType())
    # Non-registrants live across all the states the place table knows.
    all_states = strings(sorted(tables.places().by_state))
    home = np.where(on_registry, jurisdiction, all_states[rng.integers(0, all_states.size, size)])
    people["state"] = home.astype(np.dtypes.StringDType())
    people["city"], people["street"], people["street_number"], people["postcode"] = draw_address(
        people["state"], rng
    )
    people["booked"] = rng.random(size) < np.where(
        on_registry, BOOKING_SHARE["registrant"], BOOKING_SHARE["other"]
    )


def draw_address(
    state: StrArray, rng: np.random.Generator
) -> tuple[StrArray, StrArray, StrArray, StrArray]:
    """A random address in each of `state`: city, street, house number, ZIP code."""
    places = tables.places()
    size = state.size
    city_index = np.zeros(size, dtype=np.int64)
    for name, pool in places.by_state.items():
        mask = state == name
        city_index[mask] = pool.sample(int(mask.sum()), rng)
    street = places.street[places.street_pool.sample(size, rng)]
    number = (np.exp(rng.uniform(np.log(10), np.log(19999), size))).astype(np.int64)
    postcode = np.strings.add(places.zip3[city_index], _digits(rng.integers(0, 100, size), 2))
    return (
        places.city[city_index],
        street,
        number.astype(str).astype(np.dtypes.StringDType()),
        postcode,
    )


def _pairs_within_origin(
    people: People, share: float, donor_ok: BoolArray, taken: BoolArray, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Pick (target, donor) pairs of different persons of one origin; targets are not taken."""
    targets: list[IntArray] = []
    donors: list[IntArray] = []
    origin = people["origin"]
    for name in ORIGINS:
        group = np.flatnonzero(origin == name)
        free = group[~taken[group]]
        pool = group[donor_ok[group] & ~taken[group]]
        count = int(round(share * group.size))
        if count == 0 or free.size < 2 * count or pool.size < 2:
            continue
        target = rng.choice(free, size=count, replace=False)
        taken[target] = True
        # Donors are never targets themselves: a copy of a copy would blur who resembles whom.
        pool = pool[~taken[pool]]
        if pool.size < 2:
            continue
        donor = pool[rng.integers(0, pool.size, count)]
        taken[donor] = True
        targets.append(target)
        donors.append(donor)
    if not targets:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(targets), np.concatenate(donors)


def _make_hard_negatives(people: People, rng: np.random.Generator) -> None:
    size = len(people)
    taken = np.zeros(size, dtype=bool)
    kind = strings([""] * size)
    of = strings([""] * size)
    anyone = np.ones(size, dtype=bool)

    def copy(columns: tuple[str, ...], target: IntArray, donor: IntArray) -> None:
        for column in columns:
            people[column][target] = people[column][donor]

    # Namesakes: same names and birth year, another day; everything else their own.
    target, donor = _pairs_within_origin(
        people, HARD_NEGATIVE_SHARES["namesake"], anyone, taken, rng
    )
    copy(("given", "middle", "family", "maternal", "sex"), target, donor)
    year = people["dob"][donor].astype("datetime64[Y]")
    people["dob"][target] = year.astype("datetime64[D]") + rng.integers(0, 365, target.size)
    kind[target], of[target] = "namesake", people["person_id"][donor]

    # Twins: same surnames, birth date, birthplace, status and home; their own given name.
    # The status comes whole (dates, orders, removals): a twin who took only the donor's
    # status label kept their own naturalization date on a noncitizen's A-file.
    target, donor = _pairs_within_origin(people, HARD_NEGATIVE_SHARES["twin"], anyone, taken, rng)
    copy(
        (
            "family",
            "maternal",
            "dob",
            "birth_country",
            "citizenship_country",
            "citizenship",
            "immigration_status",
            "status_date",
            "naturalization_date",
            "removal_order",
            "prior_removals",
            "has_a_file",
            "state",
            "city",
            "street",
            "street_number",
            "postcode",
        ),
        target,
        donor,
    )
    same_given = people["given"][target] == people["given"][donor]
    people["given"][target[same_given]] = (
        people["given"][donor[same_given]] + 1
    ) % tables.names().text.size
    kind[target], of[target] = "twin", people["person_id"][donor]

    # US-born citizens on a registry whose name and birth date nearly match a noncitizen's:
    # the people a careless cross-match would put in a cell (DOMAIN.md, Gonzalez v. ICE).
    noncitizen = people["citizenship"] == "noncitizen"
    target, donor = _pairs_within_origin(
        people, HARD_NEGATIVE_SHARES["citizen_lookalike"], noncitizen, taken, rng
    )
    copy(("given", "middle", "family", "maternal", "sex"), target, donor)
    # Close, never equal: a lookalike born the same day is a namesake no data could separate.
    shift = rng.choice(np.array([-3, -2, -1, 1, 2, 3]), size=target.size)
    people["dob"][target] = people["dob"][donor] + shift
    countries = tables.countries()
    people["citizenship"][target] = "us_born"
    people["immigration_status"][target] = ""
    people["has_a_file"][target] = False
    people["birth_country"][target] = countries.united_states
    people["citizenship_country"][target] = countries.united_states
    people["removal_order"][target] = "none"
    people["prior_removals"][target] = 0
    people["status_date"][target] = np.datetime64("NaT")
    people["naturalization_date"][target] = np.datetime64("NaT")
    people["on_registry"][target] = True
    people["jurisdiction"][target] = np.where(
        people["jurisdiction"][target] == "", "TX", people["jurisdiction"][target]
    )
    moved = target[people["state"][target] != people["jurisdiction"][target]]
    people["state"][target] = people["jurisdiction"][target]
    # Put on a registry in another state, a look-alike lives in that state: a new address
    # there (it kept a city and ZIP code of its old state: SAN DIEGO, TX 92164), drawn from
    # a stream of its own so that every other draw of the seed stays as it was.
    if moved.size:
        (own,) = rng.spawn(1)
        address = draw_address(people["state"][moved], own)
        for name, values in zip(
            ("city", "street", "street_number", "postcode"), address, strict=True
        ):
            people[name][moved] = values
    kind[target], of[target] = "citizen_lookalike", people["person_id"][donor]

    people["hard_negative_kind"] = kind
    people["hard_negative_of"] = of


def surname_text(family: IntArray, feminine: BoolArray, accented: BoolArray) -> StrArray:
    """Surname strings, in the feminine Slavic form where asked (IVANOV → IVANOVA)."""
    table = tables.names()
    text = np.where(accented, table.accented[family], table.text[family])
    return feminise(text, feminine)


def feminise(text: StrArray, feminine: BoolArray) -> StrArray:
    """Slavic feminine surname forms: -OV/-EV/-IN/-YN + A, -SKIY/-SKY → -SKAYA, -SKI → -SKA."""
    out = text.copy()
    adds_a = feminine & (
        np.strings.endswith(text, "OV")
        | np.strings.endswith(text, "EV")
        | np.strings.endswith(text, "IN")
        | np.strings.endswith(text, "YN")
    )
    out[adds_a] = np.strings.add(text[adds_a], "A")
    for ending, stem in (("SKIY", 4), ("SKY", 3), ("SKI", 3)):
        mask = feminine & np.strings.endswith(text, ending) & ~adds_a
        out[mask] = np.strings.add(
            np.strings.slice(text[mask], 0, np.strings.str_len(text[mask]) - stem),
            "SKAYA" if ending != "SKI" else "SKA",
        )
        adds_a |= mask
    return out


def _draw_aliases(people: People, rng: np.random.Generator) -> StrArray:
    """Other names a person is known by: a nickname, one surname only, or another name."""
    table = tables.names()
    size = len(people)
    has = rng.random(size) < ALIAS_SHARE * np.where(people["on_registry"], 1.2, 0.6)
    feminine = (people["origin"] == "slavic") & (people["sex"] == "F")
    family = surname_text(people["family"], feminine, np.zeros(size, dtype=bool))
    given = table.text[people["given"]]
    nickname, has_nickname = table.nicknames.pick(people["given"], rng)
    maternal = np.where(people["maternal"] >= 0, table.text[np.maximum(people["maternal"], 0)], "")
    gender = np.where(people["sex"] == "M", "m", "f").astype(np.dtypes.StringDType())
    other_given = table.text[
        np.maximum(
            _sample_by_group(gender, {"m": "given_m", "f": "given_f"}, rng, people["origin"]), 0
        )
    ]
    other_family = table.text[
        np.maximum(
            _sample_by_group(gender, {"m": "family", "f": "family"}, rng, people["origin"]), 0
        )
    ]
    u = rng.random(size)
    first = np.where(has_nickname & (u < 0.4), nickname, np.where(u < 0.75, given, other_given))
    last = np.where(
        (u >= 0.4) & (u < 0.6) & (maternal != ""),
        maternal,
        np.where(u < 0.75, family, other_family),
    )
    alias = np.strings.add(np.strings.add(first, " "), last)
    return np.where(has, alias, "").astype(np.dtypes.StringDType())
