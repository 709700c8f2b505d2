"""Chinese names in other romanisations: pinyin, Wade-Giles, Cantonese, Hokkien/Teochew."""

from __future__ import annotations

import pytest

from soar.standardize import name_features
from soar.standardize.romanisation import (
    MAX_READINGS,
    field_readings,
    romanised_forms,
    token_readings,
    wade_giles,
)


@pytest.mark.parametrize(
    ("pinyin", "wade_giles_spelling"),
    [
        ("ZHANG", "CHANG"),  # zh -> ch
        ("QIANG", "CHIANG"),  # q -> ch (aspiration mark dropped)
        ("XIAO", "HSIAO"),  # x -> hs
        ("JIAN", "CHIEN"),  # j -> ch, -ian -> -ien
        ("GUO", "KUO"),  # g -> k, -uo kept after k
        ("LUO", "LO"),  # -uo -> -o elsewhere
        ("ZHONG", "CHUNG"),  # -ong -> -ung
        ("XIONG", "HSIUNG"),  # -iong -> -iung
        ("JIE", "CHIEH"),  # -ie -> -ieh
        ("ZHI", "CHIH"),  # the empty rhyme
        ("ZI", "TZU"),
        ("CAI", "TSAI"),  # c -> ts
        ("RUI", "JUI"),  # r -> j
        ("HE", "HO"),  # -e -> -o after h
        ("DENG", "TENG"),  # d -> t
        ("BIN", "PIN"),  # b -> p
    ],
)
def test_wade_giles_follows_its_rules(pinyin: str, wade_giles_spelling: str) -> None:
    assert wade_giles(pinyin) == wade_giles_spelling


@pytest.mark.parametrize(
    ("spelling", "pinyin"),
    [
        ("WONG", "HUANG"),  # Cantonese
        ("WONG", "WANG"),  # one spelling, two names
        ("CHEUNG", "ZHANG"),
        ("TEO", "ZHANG"),  # Teochew
        ("TAN", "CHEN"),  # Hokkien
        ("QUEK", "GUO"),
        ("KWOK", "GUO"),
        ("NG", "WU"),
        ("KEUNG", "QIANG"),
        ("CHANG", "ZHANG"),  # Wade-Giles
        ("HSIUNG", "XIONG"),
        ("ZHANG", "ZHANG"),  # pinyin reads as itself
    ],
)
def test_a_spelling_reads_as_the_pinyin_it_stands_for(spelling: str, pinyin: str) -> None:
    assert pinyin in token_readings(spelling)


def test_given_names_run_together_split_into_syllables() -> None:
    assert token_readings("ZHIWEI") == {"ZHIWEI"}
    assert token_readings("CHIHWEI") == {"ZHIWEI"}  # Wade-Giles run together
    assert field_readings("CHIH WEI") == {"ZHIWEI"}  # hyphen folded to a space
    assert field_readings("KIN WAH") == {"JIANHUA"}  # Cantonese, written apart
    # HUANG is one syllable: not HUA + NG (dialect spellings are never run together).
    assert token_readings("HUANG") == {"HUANG"}


def test_names_that_are_not_chinese_are_not_read() -> None:
    assert token_readings("JOSE") == frozenset()
    assert field_readings("MARIA") == frozenset()
    assert romanised_forms("JOSE", "LEE") == ()  # every token must read
    assert romanised_forms("", "WONG") == ()  # a name needs both parts


def test_one_name_in_three_romanisations_meets() -> None:
    pinyin = set(romanised_forms("ZHIWEI", "HUANG"))
    assert pinyin & set(romanised_forms("CHIH WEI", "WONG"))  # Taiwan/Hong Kong
    assert pinyin & set(romanised_forms("HUANG", "ZHIWEI"))  # order exchanged
    assert set(romanised_forms("QIANG", "WANG")) & set(romanised_forms("WONG", "CHIANG"))
    assert not set(romanised_forms("QIANG", "WANG")) & set(romanised_forms("QIANG", "LI"))


def test_too_ambiguous_a_name_is_not_read() -> None:
    for given, surname in (("CHAN", "CHAN"), ("HO", "WONG"), ("CHI MING", "LEE")):
        assert len(romanised_forms(given, surname)) <= MAX_READINGS


def test_name_features_carry_the_readings_and_block_on_them() -> None:
    taiwan = name_features("Chih-Wei", None, "Wong", None, None)
    mainland = name_features("Zhiwei", None, "Huang", None, None)
    assert set(taiwan.romanised) & set(mainland.romanised)
    # The pinyin record's own block key meets the other's reading.
    assert set(taiwan.block_keys) & set(mainland.block_keys)
    assert name_features("José", None, "García", None, None).romanised == ()
