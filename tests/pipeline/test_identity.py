"""Name agreement and the identity safeguard: what one person's names look like written
twice, and what a US-born person who shares a birthday with a noncitizen looks like."""

from __future__ import annotations

import datetime as dt

import pytest

from soar.pipeline.leads import (
    booking_record,
    contested,
    credible_claims,
    own_bookings,
    registrant_identity_flags,
    resting_order,
    split_joined,
)
from soar.pipeline.names import given_names_agree, names_agree, tokens_agree
from soar.policy.safeguards import LinkedRecord, citizenship_flags, contested_flags


def person(first: str, last: str, middle: str = "", aliases: str = "") -> dict[str, str]:
    return {"first_name": first, "middle_name": middle, "last_name": last, "aliases": aliases}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (person("JOSE", "GARCIA"), person("José", "García")),  # accents
        (person("PEPE", "GARCIA"), person("JOSE", "GARCIA LOPEZ")),  # nickname, 2nd surname
        (person("MUNOZ", "JOSE"), person("JOSE", "PEREZ MUNOZ")),  # order exchanged
        (person("YOUSEF", "ALHASSAN"), person("YOUSSEF", "AL-HASSAN")),  # joined surname
        (person("KHANH", "LE", "V"), person("KHANH", "LEE", "V")),  # LE is a surname here
        (person("VICTOR", "OUMAROV"), person("WIKTOR", "OUMAROV")),  # transliteration
        (person("MO", "POPAL"), person("MOHAMMED", "POPAL", "N")),  # short form
        (person("J", "SMITH"), person("JOHN", "SMITH")),  # an initial
        (person("ALI", "HASSAN", aliases="OMAR FARAH"), person("OMAR", "FARAH")),  # an alias
        (person("", "GARCIA"), person("JOSE", "GARCIA")),  # missing is no disagreement
        (person("GILBERTO", "VALDEZ REYES"), person("BETO", "VALDES REYES")),  # shared nickname
        (person("CHELY", "CERVANTES"), person("ARACELI", "CERVANTES")),
        (person("PAVEL", "SHEVCHUK"), person("PAWEL", "SZEWCZUK")),  # Polish romanisation
    ],
)
def test_one_person_written_twice(left: dict[str, str], right: dict[str, str]) -> None:
    assert names_agree([left], [right])
    assert names_agree([right], [left])


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # The bench.leads citizens that linkage put above the threshold on the birth date
        # and part of the name.
        (person("CHRISTINE", "OWENS"), person("KRISTINA", "MOROZOVA")),
        (person("JOSE", "MALDONADO GONSALEZ"), person("AGUSTIN", "GONSALEZ RODRIQUEZ", "JOSE")),
        (
            person("JOSE LUIS", "JIMENEZ-RODRIGUEZ", aliases="JOSE LUIS RODRIGUEZ"),
            person("ANGEL", "SANTIAGO-RODRIGUEZ"),
        ),
        (
            person("JON", "LOUIS", "GEOFFREY", aliases="GERALD DAVIS"),
            person("JOHN", "ROBINSON"),
        ),
    ],
)
def test_a_shared_birthday_and_half_a_name_is_not_agreement(
    left: dict[str, str], right: dict[str, str]
) -> None:
    assert not names_agree([left], [right])
    assert not names_agree([right], [left])


def test_token_agreement_is_symmetric_and_not_everything() -> None:
    assert tokens_agree("FEDOROV", "FYODOROV") and tokens_agree("FYODOROV", "FEDOROV")
    assert not tokens_agree("OWENS", "MOROZOVA")
    assert not tokens_agree("ANGEL", "LUIS")
    assert tokens_agree("BETO", "HUMBERTO") and not tokens_agree("BETO", "JOSE")
    # One sound, but hardly a letter in common, is two names; one sound with the letters
    # of a spelling variant is one.
    assert not tokens_agree("REYES", "RUIZ")
    assert tokens_agree("HUSSEIN", "HUSAIN") and tokens_agree("NASSER", "NASIR")


def _registrant(record_id: str, first: str, last: str, dob: str, **more: str) -> dict[str, str]:
    return {"record_id": record_id, "first_name": first, "last_name": last, "dob": dob, **more}


def test_each_registry_record_of_a_registrant_must_fit_the_a_file() -> None:
    # Dedupe put a US-born look-alike's Texas record (born a day later, no birthplace) beside
    # the noncitizen's Florida record (born in the Philippines, same day as the A-file).
    noncitizen = _registrant("FL1", "DYLAN", "POWELL", "1967-10-19", birth_country_std="PHL")
    lookalike = _registrant("TX1", "DYLAN", "POWELL", "1967-10-20")
    a_file = _registrant("A1", "DYLAN", "POWELL", "1967-10-19", birth_country_std="PHL")
    records = [noncitizen, lookalike]
    linked = [
        LinkedRecord("registry:FL", "FL1", birth_country="PHL"),
        LinkedRecord("registry:TX", "TX1"),
    ]
    strong = {"FL1": 1.0, "TX1": 0.99}
    flags = registrant_identity_flags(linked, records, [a_file], a_file, strong)
    assert len(flags) == 1 and "registry record TX1" in flags[0]
    assert registrant_identity_flags(linked[:1], records[:1], [a_file], a_file, strong) == []


def test_a_record_its_fbi_number_ties_to_a_fitting_one_is_that_persons() -> None:
    # Seed 31337, 20,000 persons: one man's California record gives a birth date a day off
    # his Texas record and his A-file; one FBI number (fingerprints) is on both records.
    fbi = "1136904AD"
    texas = _registrant("TX1", "MIGUEL ANGEL", "CASTANEDA", "1970-02-06", fbi_number_std=fbi)
    california = _registrant("CA1", "MIGUELANGEL", "CASTANEDA", "1970-02-07", fbi_number_std=fbi)
    a_file = _registrant("A1", "MIGUEL ANGEL", "CASTANEDA", "1970-02-06")
    linked = [LinkedRecord("registry:TX", "TX1"), LinkedRecord("registry:CA", "CA1")]
    strong = {"TX1": 1.0, "CA1": 0.98}
    assert registrant_identity_flags(linked, [texas, california], [a_file], a_file, strong) == []
    # Without the FBI number in common, the California record stands alone, a day off.
    other = {**california, "fbi_number_std": "9999999ZZ"}
    flags = registrant_identity_flags(linked, [texas, other], [a_file], a_file, strong)
    assert len(flags) == 1 and "registry record CA1" in flags[0]
    # A tie to a record that does not fit either vouches for nothing.
    both_off = {**texas, "dob": "1970-02-08"}
    assert registrant_identity_flags(linked, [both_off, california], [a_file], a_file, strong)


def test_a_birthplace_in_a_former_state_is_a_foreign_birthplace() -> None:
    # Born in the U.S.S.R.: no one country today, so it never disagrees with RUS or UKR on
    # an A-file, but no US-born look-alike's record says it.
    registrant = _registrant("NY1", "EVGENY", "SMIRNOV", "1966-04-23")
    a_file = _registrant("A1", "EVGENY", "SMIRNOV", "1966-04-22", birth_country_std="RUS")
    strong = {"NY1": 1.0}
    soviet = [LinkedRecord("registry:NY", "NY1", birth_country="U S S R")]
    assert registrant_identity_flags(soviet, [registrant], [a_file], a_file, strong) == []
    russia = LinkedRecord("immigration", "A1", birth_country="RUS")
    assert citizenship_flags([*soviet, russia]) == []
    unknown = [LinkedRecord("registry:NY", "NY1", birth_country="ATLANTIS")]
    assert registrant_identity_flags(unknown, [registrant], [a_file], a_file, strong)


def test_a_booking_with_the_registrants_fbi_number_speaks_for_their_birthplace() -> None:
    # The registry gives no birthplace and a birth date a day off the A-file's: a look-alike
    # would look so. A jail booking with the registrant's FBI number (fingerprints) says
    # Poland, as the A-file does: the registrant is the foreign-born person.
    registrant = _registrant("CA1", "MIKHAIL", "SERGEEV", "1981-03-09", fbi_number_std="8718420AC")
    a_file = _registrant("A1", "MYKHAILO", "SERGEYEV", "1981-03-10", birth_country_std="POL")
    booking = {"record_id": "BK1", "facility": "COUNTY JAIL", "birth_country_std": "POL"}
    itself = LinkedRecord("registry:CA", "CA1")
    strong = {"CA1": 0.99}

    def flags(booked: dict[str, str]) -> list[str]:
        own = {"CA1": own_bookings(registrant, [booked])}
        return registrant_identity_flags([itself], [registrant], [a_file], a_file, strong, own)

    assert flags({**booking, "fbi_number_std": "8718420AC"}) == []
    # Linked on names and birth date alone, the booking could be a look-alike's own.
    assert flags(booking) and "birth dates differ" in flags(booking)[0]
    assert flags({**booking, "fbi_number_std": "1111111AA"})
    # A booking of the registrant that carries the A-file's A-number: one person.
    nowhere = {**booking, "birth_country_std": None, "fbi_number_std": "8718420AC"}
    assert flags(nowhere)
    assert flags({**nowhere, "a_number_std": "201234567"}) == flags(nowhere)
    a_file["a_number_std"] = "201234567"
    assert flags({**nowhere, "a_number_std": "201234567"}) == []


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (person("CHIH-WEI", "WONG"), person("HUANG", "ZHIWEI")),  # Taiwan / mainland
        (person("YONGGANG", "ZHAO"), person("YONG GANG", "CHIU")),  # Cantonese surname
        (person("KEUNG", "SOON"), person("CHIANG", "SOON")),  # Cantonese / Wade-Giles
    ],
)
def test_a_chinese_name_in_another_romanisation_agrees(
    left: dict[str, str], right: dict[str, str]
) -> None:
    assert names_agree([left], [right])
    assert names_agree([right], [left])


def test_another_chinese_name_does_not_agree() -> None:
    assert not names_agree([person("QIANG", "WANG")], [person("JUN", "LI")])


def test_given_names_agree_whatever_the_surnames_say() -> None:
    assert given_names_agree([person("CARLOS", "CORTES")], [person("CARLOS", "HERNANDES")])
    assert given_names_agree([person("JOSE", "RAMIREZ")], [person("LOPEZ", "JOSE")])  # swapped
    assert not given_names_agree([person("LORENZO", "DELGADO")], [person("JOSE", "DELGADO")])


def test_a_us_birthplace_on_a_jail_booking_is_a_sign_of_citizenship() -> None:
    booking = {"record_id": "BK2", "facility": "HARRIS COUNTY JAIL", "birth_country_std": "USA"}
    flags = citizenship_flags([LinkedRecord("registry:TX", "TX1"), booking_record(booking)])
    assert flags == ["US birthplace on booking:HARRIS COUNTY JAIL record BK2"]
    booking["birth_country_std"] = "MEX"
    assert citizenship_flags([booking_record(booking)]) == []


@pytest.mark.parametrize(
    ("slipped", "other"),
    [
        ("KIHE", "ENRIQUE"),  # KIKE, a letter wrong
        ("ICOLAS", "NICO"),  # NICOLAS, a letter missing
        ("DMITFRI", "DMYTRO"),  # DMITRI, a letter added; DMYTRO its Ukrainian form
    ],
)
def test_a_slip_in_a_known_name_and_a_nickname_at_once(slipped: str, other: str) -> None:
    assert tokens_agree(slipped, other) and tokens_agree(other, slipped)
    assert names_agree([person(slipped, "CARRILLO")], [person(other, "CARRILLO")])
    # One slip from a known name is not one slip from any name: another person's stays apart.
    assert not tokens_agree(slipped, "PEDRO")
    assert not names_agree([person(slipped, "CARRILLO")], [person("PEDRO", "CARRILLO")])


def test_an_a_file_two_registrants_fit_is_taken_from_neither() -> None:
    # `soar generate` seed 2021, 10,000 persons: the A-file's birth date was keyed a day off
    # and so became the US-born look-alike's; the noncitizen's own registry record, a day
    # apart, shares the A-file's home. Both fit; at most one is its person.
    a_file = _registrant(
        "A1",
        "SAMIR",
        "HUSSEIN",
        "1976-07-03",
        street_number="434",
        street="MARKET ST",
        postcode="75251",
        birth_country_std="LBN",
    )
    lookalike = _registrant("CA1", "SAMIR", "HUSSEIN", "1976-07-03", middle_name="ADEL")
    noncitizen = _registrant(
        "TX1",
        "SAMEER",
        "HUSAIN",
        "1976-07-02",
        street_number="434",
        street="MARKET ST",
        postcode="75251",
    )
    # A stranger born two days off with the same name, and a twin: neither fits.
    stranger = _registrant("NY1", "SAMIR", "HUSSEIN", "1976-07-05")
    twin = _registrant("FL1", "KARIM", "HUSSEIN", "1976-07-03", birth_country_std="LBN")
    registry = {r["record_id"]: r for r in (lookalike, noncitizen, stranger, twin)}
    pairs = [{"left_id": r, "right_id": "A1", "match_probability": 0.99} for r in registry]
    claims = credible_claims(pairs, 0.5, registry, {"A1": a_file})
    assert claims == {"A1": {"CA1", "TX1"}}
    for record in (lookalike, noncitizen):
        others = sorted(claims["A1"] - {record["record_id"]})
        itself = LinkedRecord("registry", record["record_id"])
        flags = contested_flags("A1", others, [], [itself])
        assert len(flags) == 1 and "A-file A1 also matches registry record" in flags[0]


def test_a_contested_a_file_stays_with_a_registrant_an_identifier_or_birthplace_ties() -> None:
    itself = LinkedRecord("registry", "TX1")
    assert contested_flags("A1", ["CA1"], ["fbi_number"], [itself]) == []
    abroad = LinkedRecord("booking:COUNTY JAIL", "BK1", birth_country="LBN")
    assert contested_flags("A1", ["CA1"], [], [itself, abroad]) == []
    assert contested_flags("A1", [], [], [itself]) == []


def test_a_contested_a_file_stays_with_the_registrant_at_its_home() -> None:
    # Seed 31337, 20,000 persons: GEORGE DILLON YOUNG lives at the A-file's address; a
    # US-born GEORGE DYLAN YOUNG in Santa Ana was born the A-file's day too.
    home = {"street_number": "29", "street": "MAIN ST", "postcode": "95350"}
    a_file = _registrant("A1", "GEORGE", "YOUNG", "1974-10-28", middle_name="DYLAN", **home)
    own = _registrant("CA2", "GEORGE", "YOUNG", "1974-10-28", middle_name="DILLON", **home)
    lookalike = _registrant(
        "CA1",
        "GEORGE",
        "YOUNG",
        "1974-10-28",
        street_number="125",
        street="RIVER RD",
        postcode="92701",
        birth_country_std="USA",
    )
    itself = [LinkedRecord("registry:CA", "CA2")]
    registry = {"CA1": lookalike, "CA2": own}
    credible = {"CA1", "CA2"}
    assert contested(itself, [own], {}, "A1", credible, a_file, registry) == []
    # Both at the A-file's home, or neither: the doubt stands.
    registry["CA1"] = {**lookalike, **home}
    assert contested(itself, [own], {}, "A1", credible, a_file, registry)
    moved = {**own, "street_number": "3"}
    assert contested(itself, [moved], {}, "A1", credible, a_file, {**registry, "CA2": moved})
    # A registrant that does not fit the A-file does not take it by living there.
    assert contested_flags("A1", ["CA1"], [], itself, fits=False, own_home="29 MAIN ST 95350")


def test_an_a_file_another_registrant_fits_is_not_a_name_alone_links_to() -> None:
    # Seed 1, 20,000 persons: a naturalized citizen born in Vietnam, registered without a
    # birth date under an alias that is another man's name, linked to that man's A-file at
    # 0.90; the other man's own registry record fits it by name and birth date.
    a_file = _registrant("A1", "TRI", "TRAN", "1965-05-21", middle_name="VAN")
    naturalized = _registrant("CA1", "MINH", "TRN", "", middle_name="VAN", aliases="TRI TRAN")
    owner = _registrant("CA2", "TRI", "TRAN", "1965-05-21", middle_name="VAN")
    registry = {r["record_id"]: r for r in (naturalized, owner)}
    pairs = [
        {"left_id": "CA1", "right_id": "A1", "match_probability": 0.904},
        {"left_id": "CA2", "right_id": "A1", "match_probability": 1.0},
    ]
    claims = credible_claims(pairs, 0.5, registry, {"A1": a_file})
    assert claims == {"A1": {"CA2"}}
    born_abroad = LinkedRecord("registry", "CA1", birth_country="VNM")
    flags = contested_flags("A1", ["CA2"], [], [born_abroad], fits=False)
    assert len(flags) == 1 and "that is another registrant's" in flags[0]
    # The owner, in no doubt of its own, keeps its A-file.
    assert contested_flags("A1", [], [], [LinkedRecord("registry", "CA2")], fits=True) == []


def test_a_lead_rests_on_its_own_a_file_not_on_a_twins_that_outscores_it() -> None:
    # Seed 3, 20,000 persons: HAO LI's twin's A-file (same birth date, surname and home)
    # linked at 1.0, his own at 0.9; the twin's registry record fits the twin's A-file.
    pairs = [
        {"left_id": "HK1", "right_id": "A-TWIN", "match_probability": 1.0},
        {"left_id": "HK1", "right_id": "A-OWN", "match_probability": 0.9},
    ]
    claimed = {"A-TWIN": {"TX-TWIN", "HK1"}}
    # Both fit the twin's A-file: the strongest stays first, and the contest is flagged.
    assert resting_order(pairs, claimed, {"HK1"})[0]["right_id"] == "A-TWIN"
    claimed = {"A-TWIN": {"TX-TWIN"}}
    assert [p["right_id"] for p in resting_order(pairs, claimed, {"HK1"})] == [
        "A-OWN",
        "A-TWIN",
    ]


def test_two_registry_records_born_days_apart_at_two_homes_are_taken_apart() -> None:
    # Seed 99, 10,000 persons: dedupe joined a US-born look-alike's record to the
    # noncitizen's; the A-file fits the look-alike's exactly.
    lookalike = _registrant(
        "TX1",
        "MARIA",
        "MALDONADO RODRIGUEZ",
        "1989-03-29",
        street_number="12",
        street="SYCAMORE ST",
        postcode="77021",
    )
    noncitizen = _registrant(
        "TX2",
        "MARIA",
        "MALDONADO RODRIGUEZ",
        "1989-03-28",
        street_number="7",
        street="WATER ST",
        postcode="78280",
        birth_country_std="SLV",
    )

    def split(*records: dict[str, str]) -> dict[str, str]:
        registry = {r["record_id"]: r for r in records}
        return split_joined({r: "TX1" for r in registry}, registry)[0]

    # Taken apart: each record is a registrant of its own, and each knows what it left.
    clusters, apart = split_joined(
        {"TX1": "TX1", "TX2": "TX1"}, {"TX1": lookalike, "TX2": noncitizen}
    )
    assert clusters == {"TX1": "TX1", "TX2": "TX2"}
    assert apart == {"TX1": ["TX2"], "TX2": ["TX1"]}
    # One home, a clerical error, or one FBI number: one person written twice.
    same_home = {"street_number": "12", "street": "SYCAMORE ST", "postcode": "77021"}
    assert split(lookalike, {**noncitizen, **same_home}) == {"TX1": "TX1", "TX2": "TX1"}
    assert split(lookalike, {**noncitizen, "dob": "1989-03-29"}) == {"TX1": "TX1", "TX2": "TX1"}
    assert split(lookalike, {**noncitizen, "dob": "1980-03-29"}) == {"TX1": "TX1", "TX2": "TX1"}
    fbi = {"fbi_number_std": "1234567AB"}
    assert split({**lookalike, **fbi}, {**noncitizen, **fbi}) == {"TX1": "TX1", "TX2": "TX1"}
    # A twin: same surname, birth date and home, another given name (seed 31337, 20,000).
    home = {"street_number": "16", "street": "MAPLE AVE", "postcode": "78701"}
    angel = _registrant("TX1", "ANGEL", "SOLIS", "1981-01-13", **home)
    sergio = _registrant("TX2", "SERGIO", "SOLIS IBANEZ", "1981-01-13", **home)
    assert split(angel, sergio) == {"TX1": "TX1", "TX2": "TX2"}
    # A nickname, a slip or an alias is one person's given name written another way.
    assert split(angel, {**sergio, "first_name": "ANGELITO"})["TX2"] == "TX1"
    assert split(angel, {**sergio, "first_name": "ANHEL"})["TX2"] == "TX1"
    assert split(angel, {**sergio, "aliases": "ANGEL SOLIS"})["TX2"] == "TX1"
    # A record without a birth date fits either; it stays with the first.
    undated = _registrant("TX3", "MARIA", "MALDONADO", "")
    assert split(lookalike, noncitizen, undated) == {"TX1": "TX1", "TX2": "TX2", "TX3": "TX1"}


def test_a_second_name_in_common_that_a_look_alike_would_not_have() -> None:
    from soar.pipeline.names import shared_other_name

    # Each record's other name is the other's own name (the leads diagnosis, seed 2021).
    registry = person("JOSE", "CONTRERAS", aliases="LUIS NAVA DE JESUS")
    a_file = person("LUIS", "NAVA DE JESÚS", aliases="JOSE CONTRERAS")
    assert shared_other_name([registry], [a_file]) is not None
    # Or the same other name on both.
    assert (
        shared_other_name(
            [person("MARIO", "SOTO", aliases="PEDRO RUIZ")],
            [person("MARIO", "SOTO", aliases="PEDRO RUIZ")],
        )
        == "MARIO SOTO and PEDRO RUIZ"
    )
    # A form of the same name is no second name: a look-alike with the name goes by it too.
    for alias in ("MARIO SOTO", "MARITO SOTO", "MARIO LOPEZ", "PEDRO SOTO"):
        assert (
            shared_other_name(
                [person("MARIO", "SOTO LOPEZ", aliases=alias)],
                [person("MARIO", "SOTO", aliases=alias)],
            )
            is None
        ), alias
    # Other names that differ are none in common.
    assert (
        shared_other_name(
            [person("MARIO", "SOTO", aliases="PEDRO RUIZ")],
            [person("MARIO", "SOTO", aliases="JUAN DIAZ")],
        )
        is None
    )


def test_an_a_file_at_a_home_in_another_state_is_a_look_alikes() -> None:
    # 10,000 persons, seed 1: a US-born RICHARD STEWART registered in Texas, no birthplace
    # on record; a Jamaican's A-file in North Carolina with his name and, through a keying
    # error, his birth date. Nothing else links them.
    texas = _registrant("TX1", "RICHARD", "STEWART", "1984-10-05", state="TX")
    a_file = _registrant("A1", "RICHARD", "STEWART", "1984-10-05", state="NC")
    linked = [LinkedRecord("registry:TX", "TX1")]
    flags = registrant_identity_flags(linked, [texas], [a_file], a_file, {"TX1": 0.997})
    assert len(flags) == 1 and "A-file's address is in NC" in flags[0] and "in TX" in flags[0]
    # The A-file in the registrant's state (however written), with no address, or with a
    # state written in a form no table reads (TEX.), is no sign of another person.
    for home in (
        {**a_file, "state": "Texas"},
        {**a_file, "state": None},
        {**a_file, "state": "Tex."},
    ):
        assert registrant_identity_flags(linked, [texas], [home], home, {"TX1": 0.997}) == []
    # A registrant who moved is registered where they live now and where they lived: the
    # A-file's old state among their records is their own.
    carolina = _registrant("NC1", "RICHARD", "STEWART", "1984-10-05", state="NC")
    both = [*linked, LinkedRecord("registry:NC", "NC1")]
    strong = {"TX1": 0.997, "NC1": 0.997}
    assert registrant_identity_flags(both, [texas, carolina], [a_file], a_file, strong) == []
    # So is a jail booking in that state, certainly theirs.
    jail = {"record_id": "B1", "state": "NC"}
    booked, strong = {"TX1": [jail]}, {"TX1": 0.997}
    assert registrant_identity_flags(linked, [texas], [a_file], a_file, strong, booked) == []
    # An identifier in common, a foreign birthplace or a second name both give settle it.
    fbi = {**texas, "fbi_number_std": "1234567AB"}
    tied = {**a_file, "fbi_number_std": "1234567AB"}
    assert registrant_identity_flags(linked, [fbi], [tied], tied, {"TX1": 0.997}) == []
    abroad = [LinkedRecord("registry:TX", "TX1", birth_country="JAM")]
    assert registrant_identity_flags(abroad, [texas], [a_file], a_file, {"TX1": 0.997}) == []
    alias = {**texas, "aliases": "ANTHONY BLAKE"}
    known = {**a_file, "aliases": "ANTHONY BLAKE"}
    assert registrant_identity_flags(linked, [alias], [known], known, {"TX1": 0.997}) == []


@pytest.mark.parametrize(
    ("ssn", "status", "flagged"),
    [
        ("044401540", "ewi", True),  # a number no one who entered without inspection holds
        ("044401540", "lpr", False),  # a permanent resident is issued one
        ("044401540", "overstay", False),  # a visa that allowed work may have come with one
        ("044401540", "daca", False),  # deferred action comes with work authorisation
        ("912701234", "ewi", False),  # 9xx is an ITIN, issued whatever one's status
        ("000401540", "ewi", False),  # no area 000: not a number anyone holds
        (None, "ewi", False),
    ],
)
def test_a_social_security_number_the_a_files_person_cannot_hold(
    ssn: str | None, status: str, flagged: bool
) -> None:
    # 10,000 persons, seed 7: a US-born AMANDA EMMA COLEMAN in Texas, her SSN on the
    # registry, and a Guyanese A-file of her name and (by a keying error) birth date, of a
    # woman who entered without inspection and never had status.
    texas = _registrant("TX1", "AMANDA", "COLEMAN", "1985-07-03", middle_name="EMMA", ssn_std=ssn)
    a_file = _registrant(
        "A1", "AMANDA", "COLEMAN", "1985-07-03", middle_name="EMMA", immigration_status=status
    )
    linked = [LinkedRecord("registry:TX", "TX1")]
    flags = registrant_identity_flags(linked, [texas], [a_file], a_file, {"TX1": 1.0})
    assert bool(flags) is flagged
    if flagged:
        assert "Social Security number" in flags[0] and "without inspection" in flags[0]


def test_a_registrant_who_moved_still_fits_the_a_file_a_twin_lives_at() -> None:
    # 10,000 persons, seed 777: AHMED ABDULLAH ALI, born in Egypt, moved to Florida; his
    # A-file still gives the family home in Fresno, where his twin MOHAMMED ALI is
    # registered. Whether a record fits an A-file is a matter of names and birth date: the
    # one who moved keeps his claim, and the twin's address does not take it from him.
    home = {"street_number": "2151", "street": "LAKE DR", "postcode": "93712", "state": "CA"}
    a_file = _registrant("A1", "AHMAD", "ALY", "1987-04-28", middle_name="ABDULLA", **home)
    moved = _registrant(
        "FL1", "AHMED", "ALI", "1987-04-28", middle_name="ABDULLAH", state="FL", postcode="33784"
    )
    twin = _registrant("CA1", "ALI", "MOHAMMED", "1987-04-28", **home)
    registry = {"FL1": moved, "CA1": twin}
    pairs = [{"left_id": r, "right_id": "A1", "match_probability": 0.997} for r in registry]
    claims = credible_claims(pairs, 0.5, registry, {"A1": a_file})
    assert "FL1" in claims["A1"]
    # Born in Egypt by his own record, in contest with a registrant that fits too, he keeps it.
    abroad = [LinkedRecord("registry:FL", "FL1", birth_country="EGY")]
    assert contested(abroad, [moved], {}, "A1", claims["A1"], a_file, registry) == []
    # Alone, with no birthplace, the A-file's state is still a doubt of his own.
    alone = [LinkedRecord("registry:FL", "FL1")]
    flags = registrant_identity_flags(alone, [moved], [a_file], a_file, {"FL1": 0.997})
    assert len(flags) == 1 and "A-file's address is in CA" in flags[0]


def test_two_fbi_numbers_in_one_registry_cluster_are_two_people() -> None:
    # 200,000 persons, seed 1: dedupe joined, through a third record with no FBI number, the
    # California and New York records of two noncitizens born the same day with the same
    # given name and surname. One person has one FBI number (fingerprints).
    california = _registrant(
        "CA1", "JAVIER", "RIVERA-HERNANDEZ", "1975-08-08", fbi_number_std="1019215AD"
    )
    new_york = _registrant(
        "NY1", "XAVIER", "HERNADEZ SANDOVAL", "1975-08-08", fbi_number_std="0561419AC"
    )
    registry = {"CA1": california, "NY1": new_york}
    clusters, apart = split_joined({"CA1": "CA1", "NY1": "CA1"}, registry)
    assert clusters == {"CA1": "CA1", "NY1": "NY1"}
    assert apart == {"CA1": ["NY1"], "NY1": ["CA1"]}
    # One digit mistyped is one person's number.
    typo = {**new_york, "fbi_number_std": "1019216AD", "first_name": "JAVIER"}
    assert split_joined({"CA1": "CA1", "NY1": "CA1"}, {"CA1": california, "NY1": typo})[0] == {
        "CA1": "CA1",
        "NY1": "CA1",
    }


def test_another_name_the_a_file_does_not_know_is_a_look_alikes() -> None:
    # 20,000 persons, seed 3: a US-born QUYÊN THỊ LÊ on the Texas registry, also known as
    # MAI LE, and a Vietnamese woman's A-file, QUYEN LEE, also QUYEN LE, with her birth date
    # through a keying error. Each file lists its person's other names: they are two women.
    texas = _registrant("TX1", "QUYÊN", "LÊ", "1977-04-27", middle_name="THỊ", aliases="MAI LE")
    a_file = _registrant("A1", "QUYEN", "LEE", "1977-04-27", aliases="QUYEN LE")
    linked = [LinkedRecord("registry:TX", "TX1")]
    flags = registrant_identity_flags(linked, [texas], [a_file], a_file, {"TX1": 0.997})
    assert len(flags) == 1 and "MAI LE, which the A-file does not give" in flags[0]
    # An alias the A-file knows in any form (another romanisation, a spelling of the same
    # given name, the name it is filed under) or an A-file silent on other names is no
    # sign of another person; neither is an identifier in common.
    for registry_name, registry_alias, a_file_name, a_file_alias in (
        ("QUYEN LE", "QUYEN LE", "QUYEN LEE", "QUYEN LE"),
        ("JACK MA", "KIT MAH", "JIE MA", "JACK MA"),  # filed under an alias; Cantonese
        ("ROBERT CAMPBELL", "GEORGE LOUIS", "GEORGE LEWIS", "ROBERT CAMPBELL"),  # a spelling
        ("QUYEN LE", "MAI LE", "QUYEN LEE", ""),  # the A-file lists no other name
    ):
        given, last = registry_name.split()
        mine = _registrant("TX1", given, last, "1977-04-27", aliases=registry_alias)
        given, last = a_file_name.split()
        other = _registrant("A1", given, last, "1977-04-27", aliases=a_file_alias)
        assert registrant_identity_flags(linked, [mine], [other], other, {"TX1": 0.997}) == []
    fbi = {**texas, "fbi_number_std": "1234567AB"}
    tied = {**a_file, "fbi_number_std": "1234567AB"}
    assert registrant_identity_flags(linked, [fbi], [tied], tied, {"TX1": 0.997}) == []


@pytest.mark.parametrize(
    ("status", "granted", "convicted", "reviewed", "flagged"),
    [
        ("tps", "2023-07-12", "1986-11-11", True, True),  # a felony bars TPS
        ("lpr", "2010-05-01", "2009-01-01", True, True),  # and permanent residence
        ("daca", "2016-05-01", "2015-01-01", True, True),
        ("tps", "1985-07-12", "1986-11-11", True, False),  # granted first: still removable
        ("ewi", "2023-07-12", "1986-11-11", True, False),  # no grant, no background check
        ("tps", "2023-07-12", "1986-11-11", False, False),  # a category still to review
    ],
)
def test_a_grant_made_after_the_registrants_aggravated_felony_is_another_persons(
    status: str, granted: str, convicted: str, reviewed: bool, flagged: bool
) -> None:
    # 20,000 persons, seed 3: a US-born HASSAN OMAR convicted of sexual assault in Texas
    # in 1986, and an Afghan's A-file with his name and (by a keying error) birth date, TPS
    # granted in 2023. TPS is refused to anyone with a felony, after a fingerprint check.
    texas = _registrant("TX1", "HASSAN", "OMAR", "1968-07-09")
    a_file = _registrant(
        "A1", "HASSAN", "OMAR", "1968-07-09", immigration_status=status, status_date=granted
    )
    linked = [LinkedRecord("registry:TX", "TX1")]
    rape = [(dt.date.fromisoformat(convicted), "SEXUAL ASSAULT")] if reviewed else []
    flags = registrant_identity_flags(
        linked, [texas], [a_file], a_file, {"TX1": 1.0}, barring={"TX1": rape}
    )
    assert bool(flags) is flagged
    if flagged:
        assert f"granted on {granted}, after the registry's conviction of {convicted}" in flags[0]
    # An identifier in common makes the grant an error, not another person.
    fbi = {**texas, "fbi_number_std": "1234567AB"}
    tied = {**a_file, "fbi_number_std": "1234567AB"}
    assert (
        registrant_identity_flags(linked, [fbi], [tied], tied, {"TX1": 1.0}, barring={"TX1": rape})
        == []
    )


def test_an_a_file_with_another_fbi_number_is_another_persons() -> None:
    # 200,000 persons, seed 2: a US-born JOSE JUAN MARTINEZ ORTIZ in Texas and a Honduran's
    # A-file of his name and (by a keying error) birth date; each file gives its person's
    # FBI number, and they are not one number.
    texas = _registrant("TX1", "JOSE", "MARTINEZ ORTIZ", "1961-09-24", fbi_number_std="8315669AC")
    a_file = _registrant("A1", "JOSE", "MARTINES ORTIZ", "1961-09-24", fbi_number_std="4604826AA")
    linked = [LinkedRecord("registry:TX", "TX1")]
    flags = registrant_identity_flags(linked, [texas], [a_file], a_file, {"TX1": 1.0})
    assert len(flags) == 1 and "FBI numbers differ (8315669AC" in flags[0]
    # A foreign birthplace does not make the A-file his: the number is another person's.
    abroad = [LinkedRecord("registry:TX", "TX1", birth_country="HND")]
    assert registrant_identity_flags(abroad, [texas], [a_file], a_file, {"TX1": 1.0})
    # A slip on each side is one number; a number on one side only is no conflict.
    for number in ("0638092A1", None):
        other = {**a_file, "fbi_number_std": number}
        mine = {**texas, "fbi_number_std": "06380920G"}
        assert registrant_identity_flags(linked, [mine], [other], other, {"TX1": 1.0}) == []
    # Only the A-file the lead rests on counts: a namesake's A-file linked beside it is not
    # the registrant's own.
    own = _registrant("A2", "JOSE", "MARTINES ORTIZ", "1961-09-24")
    assert registrant_identity_flags(linked, [texas], [own, a_file], own, {"TX1": 1.0}) == []


def test_two_registry_records_with_no_offense_in_common_are_two_people() -> None:
    # 200,000 persons, seed 1: dedupe joined a US-born MOHAMMED NASSER's Florida record (no
    # FBI number) to a Saudi MOHAMMED NAZARI's California one, born the same day. A
    # registrant who moves registers the same conviction in the new state; these two list
    # none in common.
    florida = _registrant("FL1", "MOHAMMED", "NASSER", "1968-05-12")
    california = _registrant("CA1", "MOHAMMED", "NAZARI", "1968-05-12", fbi_number_std="1288038AB")
    registry = {"FL1": florida, "CA1": california}
    joined = {"FL1": "CA1", "CA1": "CA1"}
    offenses = {
        "FL1": [{"statute": "F.S. 847.0135(4)", "offense_date": "2004-05-19"}],
        "CA1": [{"statute": "PC 288(b)(1)", "offense_date": "1999-02-03"}],
    }
    clusters, apart = split_joined(joined, registry, offenses)
    assert clusters == {"FL1": "FL1", "CA1": "CA1"}
    assert apart == {"CA1": ["FL1"], "FL1": ["CA1"]}
    # One offense in common (the statute, or the date however the statute is written), or
    # a record that lists none, keeps them one registrant.
    for florida_lists in (
        [{"statute": "PC 288(b)(1)", "offense_date": "2000-01-01"}],
        [{"statute": "LEWD ACT ON CHILD (CA)", "offense_date": "1999-02-03"}],
        [],
    ):
        listed = {**offenses, "FL1": florida_lists}
        assert split_joined(joined, registry, listed)[0] == {"FL1": "CA1", "CA1": "CA1"}
