"""Source records of the true people, in canonical fields, with noise applied.

A `Profile` says how one source writes people (which columns it has, how it treats a
second surname, how often it keeps aliases or identifiers). `render` turns persons into
that source's records; the layouts module then writes them in the source's own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from soar.synth import tables
from soar.synth.noise import RATES, SURNAME_FORMS, SWAP_FACTOR, NoiseLog, digit_typo, initial, typo
from soar.synth.population import People, draw_address, feminise
from soar.synth.tables import IntArray, StrArray, partition, strings

Array = npt.NDArray[Any]
BoolArray = npt.NDArray[np.bool_]
EMPTY = ""


@dataclass(frozen=True)
class Profile:
    """How one source records a person."""

    source: str  # "registry:TX", "immigration", "booking"
    kind: str  # registry | immigration | booking
    utf8: bool  # can hold diacritics (Latin-1 sources hold Spanish accents only)
    surname_forms: tuple[float, ...]  # probabilities over SURNAME_FORMS
    keeps_aliases: float
    identifiers: dict[str, float]  # field -> share of records that carry it
    birth_country: float  # share of records with a birth country
    address: float  # share of records with an address
    country_spelling: str  # "name" (with spelling variants) or "iso3"


PROFILES: dict[str, Profile] = {
    "TX": Profile(
        "registry:TX",
        "registry",
        True,
        (0.0, 0.45, 0.10, 0.40, 0.05),
        0.8,
        {"fbi_number": 0.85, "state_id": 1.0, "a_number": 0.06, "ssn": 0.45},
        0.55,
        1.0,
        "name",
    ),
    "CA": Profile(
        "registry:CA",
        "registry",
        True,
        (0.0, 0.55, 0.05, 0.35, 0.05),
        0.8,
        {"fbi_number": 0.90, "state_id": 1.0, "a_number": 0.08, "ssn": 0.0},
        0.65,
        1.0,
        "name",
    ),
    "FL": Profile(
        "registry:FL",
        "registry",
        True,
        (0.0, 0.40, 0.20, 0.35, 0.05),
        0.8,
        {"fbi_number": 0.80, "state_id": 1.0, "a_number": 0.05, "ssn": 0.0},
        0.50,
        1.0,
        "name",
    ),
    "NY": Profile(
        "registry:NY",
        "registry",
        False,
        (0.0, 0.50, 0.05, 0.40, 0.05),
        0.7,
        {"fbi_number": 0.85, "state_id": 1.0, "a_number": 0.04, "ssn": 0.0},
        0.60,
        1.0,
        "name",
    ),
    "immigration": Profile(
        "immigration",
        "immigration",
        True,
        (0.70, 0.10, 0.05, 0.12, 0.03),
        0.9,
        {"fbi_number": 0.35, "passport_number": 0.55, "ssn": 0.30},
        0.98,
        0.7,
        "iso3",
    ),
    # USCIS certificates: names as on the N-400/N-600, the A-number always, no address.
    "naturalization": Profile(
        "naturalization",
        "naturalization",
        True,
        (0.60, 0.15, 0.05, 0.17, 0.03),
        0.6,
        {"a_number": 1.0},
        1.0,
        0.0,
        "iso3",
    ),
    "booking": Profile(
        "booking",
        "booking",
        True,
        (0.0, 0.40, 0.10, 0.45, 0.05),
        0.3,
        {"fbi_number": 0.90, "state_id": 0.95, "a_number": 0.03, "ssn": 0.20},
        0.25,
        0.6,
        "name",
    ),
}


@dataclass
class Records:
    """Canonical columns of one batch of records, plus who they are of and their noise."""

    noise: NoiseLog
    columns: dict[str, Array] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Array:
        return self.columns[name]

    def __setitem__(self, name: str, value: Array) -> None:
        self.columns[name] = value

    def __len__(self) -> int:
        return len(self.columns["person_row"])


def _text(values: Array) -> StrArray:
    return np.asarray(values).astype(np.dtypes.StringDType())


NAME_PARTS = ("given", "middle", "family", "maternal")


def _name_texts(
    people: People, rows: IntArray, profile: Profile, log: NoiseLog, rng: np.random.Generator
) -> tuple[dict[str, StrArray], BoolArray]:
    """Each name part's text per record, and where the given name is a spelling variant.

    A record written under another romanisation uses it for every part that has one (one
    agency, one system); a record that keeps diacritics keeps them on every part.
    """
    table = tables.names()
    index = {part: people[part][rows] for part in NAME_PARTS}
    safe = {part: np.maximum(index[part], 0) for part in NAME_PARTS}
    picked = {part: table.variants.pick(safe[part], rng) for part in NAME_PARTS}
    varies = {part: (index[part] >= 0) & picked[part][1] for part in NAME_PARTS}
    accents = {
        part: (index[part] >= 0) & (table.accented[safe[part]] != table.text[safe[part]])
        for part in NAME_PARTS
    }
    if not profile.utf8:
        # Latin-1 holds Spanish accents but not Vietnamese ones.
        accents = {part: accents[part] & table.latin1[safe[part]] for part in NAME_PARTS}
    vary = log.draw("transliteration", np.logical_or.reduce(list(varies.values())), rng)
    accent = log.draw("accented", np.logical_or.reduce(list(accents.values())) & ~vary, rng)
    texts = {}
    for part in NAME_PARTS:
        text = np.where(vary & varies[part], picked[part][0], table.text[safe[part]])
        text = np.where(accent & accents[part], table.accented[safe[part]], text)
        texts[part] = np.where(index[part] >= 0, text, EMPTY).astype(np.dtypes.StringDType())
    return texts, vary & varies["given"]


def render(people: People, rows: IntArray, profile: Profile, rng: np.random.Generator) -> Records:
    """Records of `profile`'s source for the persons at `rows` (one record per entry)."""
    size = rows.size
    log = NoiseLog(size)
    records = Records(log)
    records["person_row"] = rows
    records["person_id"] = people["person_id"][rows]
    table = tables.names()
    origin = people["origin"][rows]
    sex = people["sex"][rows]
    feminine = (origin == "slavic") & (sex == "F")
    everyone = np.ones(size, dtype=bool)

    names, given_variant = _name_texts(people, rows, profile, log, rng)
    given, middle, family, maternal = (names[part] for part in NAME_PARTS)
    family = feminise(family, feminine)

    nickname, has_nickname = table.nicknames.pick(np.maximum(people["given"][rows], 0), rng)
    use_nickname = log.draw("nickname", has_nickname & ~given_variant, rng)
    given = np.where(use_nickname, nickname, given)

    # The second surname: kept in its own column, merged, hyphenated, dropped, or the only one.
    has_maternal = maternal != EMPTY
    form = np.asarray(SURNAME_FORMS)[
        rng.choice(len(SURNAME_FORMS), size=size, p=np.array(profile.surname_forms))
    ]
    last = family
    second = np.where(has_maternal & (form == "split"), maternal, EMPTY)
    merged = np.strings.add(np.strings.add(family, " "), maternal)
    hyphen = np.strings.add(np.strings.add(family, "-"), maternal)
    last = np.where(has_maternal & (form == "merged"), merged, last)
    last = np.where(has_maternal & (form == "hyphen"), hyphen, last)
    last = np.where(has_maternal & (form == "maternal_only"), maternal, last)
    log.record(
        "second_surname_dropped",
        has_maternal,
        has_maternal & np.isin(form, ["dropped", "maternal_only"]),
    )
    log.record("surnames_merged", has_maternal, has_maternal & np.isin(form, ["merged", "hyphen"]))

    has_middle = middle != EMPTY
    cut = log.draw("middle_initial", has_middle, rng)
    middle = np.where(cut, initial(middle), middle)
    drop = log.draw("middle_missing", has_middle & ~cut, rng)
    middle = np.where(drop, EMPTY, middle)

    swap_scale = np.ones(size)
    for name, factor in SWAP_FACTOR.items():
        swap_scale[origin == name] = factor
    swap = log.draw("swapped_order", everyone, rng, swap_scale)
    given, last = np.where(swap, last, given), np.where(swap, given, last)

    slip = log.draw("typo", everyone, rng)
    on_given = rng.random(size) < 0.5
    given = np.where(slip & on_given, typo(_text(given), rng), given)
    last = np.where(slip & ~on_given, typo(_text(last), rng), last)

    aliases = people["aliases"][rows]
    keep = rng.random(size) < profile.keeps_aliases
    aliases = np.where(keep, aliases, EMPTY)
    if profile.kind == "registry":
        # The registry knows the person by an alias; the true name is listed as an AKA.
        primary = log.draw("alias_primary", people["aliases"][rows] != EMPTY, rng)
        first_alias = partition(_text(people["aliases"][rows]), "; ")[0]
        alias_given, _, alias_last = partition(first_alias, " ")
        true_name = np.strings.add(np.strings.add(given, " "), last)
        given = np.where(primary, alias_given, given)
        last = np.where(primary, alias_last, last)
        middle = np.where(primary, EMPTY, middle)
        second = np.where(primary, EMPTY, second)
        aliases = np.where(primary, true_name, aliases)

    records["first_name"] = _text(given)
    records["middle_name"] = _text(middle)
    records["last_name"] = _text(last)
    records["second_last_name"] = _text(second)
    records["aliases"] = _text(aliases)
    _render_dob(records, people["dob"][rows], log, rng)
    sex_missing = log.draw("sex_missing", everyone, rng)
    records["sex"] = _text(np.where(sex_missing, EMPTY, sex))
    _render_countries(records, people, rows, profile, log, rng)
    _render_identifiers(records, people, rows, profile, log, rng)
    _render_address(records, people, rows, profile, log, rng)
    return records


def _render_dob(records: Records, dob: Array, log: NoiseLog, rng: np.random.Generator) -> None:
    size = dob.size
    year = dob.astype("datetime64[Y]").astype(np.int64) + 1970
    month = (dob.astype("datetime64[M]").astype(np.int64) % 12) + 1
    day = (dob - dob.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    swappable = (day <= 12) & (day != month)
    # One draw decides which single date error (if any) a record carries.
    u = rng.random(size)
    edges = np.cumsum(
        [
            RATES[k]
            for k in (
                "dob_day_month_swap",
                "dob_off_by_one",
                "dob_year_digit",
                "dob_missing",
                "dob_sentinel",
            )
        ]
    )
    swap = swappable & (u < edges[0])
    off = (u >= edges[0]) & (u < edges[1])
    digit = (u >= edges[1]) & (u < edges[2])
    missing = (u >= edges[2]) & (u < edges[3])
    sentinel = (u >= edges[3]) & (u < edges[4])
    everyone = np.ones(size, dtype=bool)
    # Rates of the other kinds are stated among all records; the swap among swappable ones.
    log.record("dob_day_month_swap", swappable, swap)
    log.record("dob_off_by_one", everyone, off)
    log.record("dob_year_digit", everyone, digit)
    log.record("dob_missing", everyone, missing)
    log.record("dob_sentinel", everyone, sentinel)

    new_year = year - year % 10 + (year % 10 + rng.integers(1, 10, size)) % 10
    new_year = np.where(new_year > 2008, new_year - 10, new_year)
    y = np.where(digit, new_year, year)
    m = np.where(swap, day, month)
    d = np.where(swap, month, day)
    d = np.where(digit & (m == 2) & (d == 29), 28, d)  # a wrong year may not be a leap year
    shifted = ((y - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (m - 1)).astype(
        "datetime64[D]"
    ) + (d - 1)
    shifted = np.where(off, shifted + rng.choice(np.array([-1, 1]), size), shifted)
    iso = np.datetime_as_string(shifted.astype("datetime64[D]"), unit="D").astype(
        np.dtypes.StringDType()
    )
    records["dob"] = np.where(missing | sentinel, EMPTY, iso).astype(np.dtypes.StringDType())
    records["dob_sentinel"] = sentinel


def _render_countries(
    records: Records,
    people: People,
    rows: IntArray,
    profile: Profile,
    log: NoiseLog,
    rng: np.random.Generator,
) -> None:
    countries = tables.countries()
    size = rows.size
    birth = people["birth_country"][rows]
    citizen_of = people["citizenship_country"][rows]
    if profile.country_spelling == "iso3":
        birth_text, citizen_text = countries.iso3[birth], countries.iso3[citizen_of]
    else:
        spelling, has = countries.spellings.pick(birth, rng)
        birth_text = np.where(has & (rng.random(size) < 0.25), spelling, countries.name[birth])
        citizen_text = countries.name[citizen_of]
    present = rng.random(size) < profile.birth_country
    sentinel = (
        log.draw("country_sentinel", present, rng)
        if profile.kind != "immigration"
        else np.zeros(size, bool)
    )
    records["birth_country"] = _text(np.where(present & ~sentinel, birth_text, EMPTY))
    records["country_sentinel"] = sentinel
    has_citizenship = rng.random(size) < (0.95 if profile.kind == "immigration" else 0.2)
    records["citizenship_country"] = _text(np.where(has_citizenship, citizen_text, EMPTY))


def state_id(people: People, rows: IntArray, state: StrArray) -> StrArray:
    """A state's criminal-history number for a person: stable per (person, state)."""
    salt = np.zeros(rows.size, dtype=np.int64)
    for i, name in enumerate(sorted(tables.places().by_state)):
        salt[state == name] = i + 1
    number = (people["index"][rows] * 7841 + salt * 1_000_003) % 100_000_000
    return np.strings.add(
        state, np.strings.zfill(number.astype(str).astype(np.dtypes.StringDType()), 8)
    )


def _render_identifiers(
    records: Records,
    people: People,
    rows: IntArray,
    profile: Profile,
    log: NoiseLog,
    rng: np.random.Generator,
) -> None:
    size = rows.size
    for name in ("a_number", "fbi_number", "state_id", "ssn", "passport_number", "fingerprint_id"):
        records[name] = strings([EMPTY] * size)
    state = (
        _text(people["state"][rows])
        if profile.kind != "registry"
        else _text(np.full(size, profile.source.split(":")[1]))
    )
    has_a_file = people["has_a_file"][rows]
    for name, share in profile.identifiers.items():
        present = rng.random(size) < share
        if name == "a_number":
            present &= has_a_file
            values = people["a_number"][rows]
        elif name == "state_id":
            values = state_id(people, rows, state)
        elif name == "ssn":
            # US-born citizens and lawful residents have SSNs; most without status do not.
            present &= ~np.isin(people["immigration_status"][rows], ["ewi", "overstay", "unknown"])
            values = people["ssn"][rows]
        else:
            values = people[name][rows]
        records[name] = _text(np.where(present, values, EMPTY))
    for name, skip in (("a_number", 1), ("fbi_number", 0)):
        present = records[name] != EMPTY
        slip = log.draw("identifier_typo", present, rng)
        records[name] = np.where(slip, digit_typo(_text(records[name]), rng, skip), records[name])
    present = records["ssn"] != EMPTY
    records["ssn_sentinel"] = log.draw("ssn_sentinel", present, rng)
    records["ssn"] = _text(np.where(records["ssn_sentinel"], EMPTY, records["ssn"]))


def _render_address(
    records: Records,
    people: People,
    rows: IntArray,
    profile: Profile,
    log: NoiseLog,
    rng: np.random.Generator,
) -> None:
    size = rows.size
    home = _text(people["state"][rows])
    if profile.kind == "registry":
        # A registrant's record in a second state holds an address in that state.
        state = strings([profile.source.split(":")[1]] * size)
        elsewhere = home != state
    else:
        state, elsewhere = home, np.zeros(size, dtype=bool)
    moved = log.draw("moved_address", ~elsewhere, rng) | elsewhere
    city, street, number, postcode = draw_address(state, rng)
    present = rng.random(size) < profile.address

    def pick(new: StrArray, current: str) -> StrArray:
        return _text(np.where(present, np.where(moved, new, people[current][rows]), EMPTY))

    records["street_number"] = pick(number, "street_number")
    records["street"] = pick(street, "street")
    unit = np.strings.add("APT ", _text(rng.integers(1, 400, size).astype(str)))
    records["address_line2"] = _text(np.where(present & (rng.random(size) < 0.12), unit, EMPTY))
    records["city"] = pick(city, "city")
    records["state"] = _text(np.where(present, state, EMPTY))
    records["postcode"] = pick(postcode, "postcode")
