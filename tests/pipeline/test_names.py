"""Name agreement for the identity safeguard: what one person's names look like written
twice, and what a US-born person who shares a birthday with a noncitizen looks like."""

from __future__ import annotations

import pytest

from soar.pipeline.names import names_agree, tokens_agree


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
