"""Blocking rules: which pairs are worth comparing at all, chosen from the fields present.

Each rule is a key computed per record (a value or a list of values); two records are a
candidate pair when they share a key under any rule. Name keys are built to survive the
variations registries produce (see `soar.standardize.names`).
"""

from __future__ import annotations

from dataclasses import dataclass

from soar.linkage.comparisons import IDENTIFIERS


@dataclass(frozen=True, slots=True)
class BlockingRule:
    """A named blocking key over the standardised columns (no table prefix)."""

    name: str
    description: str
    key: str
    is_list: bool
    #: Standardised columns this rule forces to agree; comparisons reading them are not
    #: trained on this rule's pairs.
    columns: tuple[str, ...]
    #: A scalar joined before each element of a list key (`dob|J`), or None.
    prefix: str | None = None
    #: When set, only pairs where at least one record lacks this standardised column: the
    #: catch-all for records a rule with a date prefix cannot reach.
    one_side_lacks: str | None = None


NAME_KEYS = BlockingRule(
    "name",
    "given name with any surname part, either order; every alias",
    "name_block_keys",
    True,
    ("name_first", "name_last"),
)
NAME_SOUNDS = BlockingRule(
    "name_sound",
    "phonetic keys of given name with any surname part, either order; every alias",
    "name_phonetic_keys",
    True,
    ("name_first", "name_last"),
)
DOB_INITIAL = BlockingRule(
    "dob_initial",
    "date of birth with the initial of any name part",
    "name_initials",
    True,
    ("dob", "name_first", "name_last"),
    prefix="CASE WHEN t.dob_full THEN t.dob END",
)
# A date written day-first on one record (1978-12-11 for 1978-11-12) with a
# transliterated name (KOSTIANTYN/KONSTANTIN RUDENKO) met under no rule: five true
# priorities of the leads benchmark (seed 2021). Only dates that can be swapped get a key,
# the smaller of month and day first. With every initial of the record together, at
# 200,000 synthetic persons: 962 more pairs (0.15%), 14 more true pairs reached, 7 more
# linked. DOB_INITIAL on this date (any one initial) made 65,689 more pairs (10%) for 30
# reached and 13 linked.
_SWAPPABLE_DATE = (
    "CASE WHEN t.dob_full AND t.dob_day <= 12 AND t.dob_day <> t.dob_month THEN "
    "CASE WHEN t.dob_month < t.dob_day THEN t.dob "
    "ELSE substr(t.dob, 1, 5) || substr(t.dob, 9, 2) || '-' || substr(t.dob, 6, 2) END END"
)
SWAPPED_DOB_INITIALS = BlockingRule(
    "swapped_dob_initials",
    "date of birth with month and day in either order, and all name initials together",
    "nullif(array_to_string(name_initials, ''), '')",
    False,
    ("dob", "name_first", "name_last"),
    prefix=_SWAPPABLE_DATE,
)
# A birth date one day off (a time-zone or keying slip, DOMAIN.md) together with a name
# variant met under no rule: EVGENY P KUZNTESOV 1977-01-14 / EVEGNY PETROVICH KUZNETSOV
# 1977-01-13, DONALD WILLIAMS 1984-12-28 / WILLIAM DONALD 1984-12-29 (bench.leads).
# Two-day buckets of the day number, once from an even day and once from an odd one: two
# dates one day apart share a bucket under exactly one of the two rules, dates further
# apart under neither, so the pair needs no range join.
_DAY = "date_diff('day', DATE '1970-01-01', t.dob_date)"


def _two_day_bucket(offset: int) -> str:
    return (
        f"CASE WHEN t.dob_full THEN CAST(CAST(floor(({_DAY} + {offset}) / 2) AS BIGINT) "
        "AS VARCHAR) END"
    )


NEAR_DOB_INITIALS = tuple(
    BlockingRule(
        f"near_dob_initials_{parity}",
        f"date of birth within one day ({parity} two-day buckets) and all name initials together",
        "nullif(array_to_string(name_initials, ''), '')",
        False,
        ("dob", "name_first", "name_last"),
        prefix=_two_day_bucket(offset),
    )
    for parity, offset in (("even", 0), ("odd", 1))
)
DOB = BlockingRule("dob", "full date of birth", "CASE WHEN dob_full THEN dob END", False, ("dob",))
POSTCODE_NUMBER = BlockingRule(
    "postcode_street_number",
    "postcode with street number",
    "addr_postcode || '|' || addr_street_number",
    False,
    ("addr_postcode", "addr_street_number", "addr_city", "addr_street"),
)
STREET_NUMBER = BlockingRule(
    "street",
    "street with street number",
    "addr_street || '|' || addr_street_number",
    False,
    ("addr_postcode", "addr_street_number", "addr_city", "addr_street"),
)
# Street and number alone pair everyone at `7399 OAK ST` in every city: at 200,000 synthetic
# persons 162,000 new pairs and not one match. With the initial of any name part it keeps
# the pairs FEBRL needs (name, date and postcode all corrupted; F1 unchanged on FEBRL3
# and FEBRL4) at a quarter of the pairs.
STREET_NUMBER_INITIAL = BlockingRule(
    "street_initial",
    "street with street number and the initial of any name part",
    "name_initials",
    True,
    ("addr_postcode", "addr_street_number", "addr_city", "addr_street"),
    prefix="t.addr_street || '|' || t.addr_street_number",
)
STREET_POSTCODE = BlockingRule(
    "street_postcode",
    "street with postcode",
    "addr_street || '|' || addr_postcode",
    False,
    ("addr_postcode", "addr_street_number", "addr_city", "addr_street"),
)
_YEAR = "CAST(t.dob_year AS VARCHAR)"
_MONTH_DAY = "CASE WHEN t.dob_full THEN substr(t.dob, 6) END"
_NAME_AND_DOB = ("name_first", "name_last", "dob")
# Names alone make blocks that grow with the square of the population (JOSE|GARCIA); with
# the birth year, or the month and day, they stay small and still survive one DOB error.
NAME_YEAR = BlockingRule(
    "name_year",
    "given name with any surname part (either order, every alias) and birth year",
    "name_block_keys",
    True,
    _NAME_AND_DOB,
    prefix=_YEAR,
)
NAME_MONTH_DAY = BlockingRule(
    "name_month_day",
    "given name with any surname part (either order, every alias) and birth month and day",
    "name_block_keys",
    True,
    _NAME_AND_DOB,
    prefix=_MONTH_DAY,
)
NAME_SOUND_YEAR = BlockingRule(
    "name_sound_year",
    "phonetic keys of given name with any surname part, and birth year",
    "name_phonetic_keys",
    True,
    _NAME_AND_DOB,
    prefix=_YEAR,
)
# A name in two romanisations shares no name key and often no sound key (KOWALENKO and
# KOVALENKO: W and V sound apart to Metaphone); its spelling form with the year finds it.
NAME_SPELLING_YEAR = BlockingRule(
    "name_spelling_year",
    "given name and surname parts in one romanisation (either order) and birth year",
    "name_spelling_form",
    False,
    _NAME_AND_DOB,
    prefix=_YEAR,
)
# The mirror of NAME_SOUND_YEAR: a wrong birth year and a spelling variant together
# (DAVID VALDES 1989-07-08 / DAVID VALDEZ 1984-07-08). At 200,000 synthetic persons:
# 1.3% more pairs, 82 more true pairs reached, 12 more linked.
NAME_SOUND_MONTH_DAY = BlockingRule(
    "name_sound_month_day",
    "phonetic keys of given name with any surname part, and birth month and day",
    "name_phonetic_keys",
    True,
    _NAME_AND_DOB,
    prefix=_MONTH_DAY,
)
# Two or more surname parts are rarer together than a given name with one of them, so
# they need no given name: they survive a wrong given name and a wrong year at once
# (OAR PEREZ-ORTIZ 1984-01-14 / OMAR PEREZ ORTIZ 1983-01-14). At 200,000 synthetic
# persons: 0.1% more pairs, 5 more true pairs reached. With the year instead of month
# and day it made 53 more pairs at 20,000 and reached none.
SURNAMES_MONTH_DAY = BlockingRule(
    "surnames_month_day",
    "every surname part (two or more, any order) with birth month and day",
    "CASE WHEN len(name_parts) > 1 THEN array_to_string(list_sort(name_parts), ' ') END",
    False,
    _NAME_AND_DOB,
    prefix=_MONTH_DAY,
)
NAME_NO_DOB = BlockingRule(
    "name_no_dob",
    "given name with any surname part, where a record has no date of birth",
    "name_block_keys",
    True,
    ("name_first", "name_last"),
    one_side_lacks="dob_year",
)
NAME_SOUND_NO_DOB = BlockingRule(
    "name_sound_no_dob",
    "phonetic keys of given name with any surname part, where a record has no date of birth",
    "name_phonetic_keys",
    True,
    ("name_first", "name_last"),
    one_side_lacks="dob_year",
)
POSTCODE = BlockingRule(
    "postcode", "postcode", "addr_postcode", False, ("addr_postcode", "addr_city")
)


def identifier_rule(field_name: str, description: str) -> BlockingRule:
    column = f"id_{field_name}"
    return BlockingRule(field_name, f"same {description}", column, False, (column,))


def _has_names(fields: frozenset[str]) -> bool:
    return bool(fields & {"first_name", "last_name", "second_last_name", "aliases"})


def prediction_rules(fields: frozenset[str]) -> tuple[BlockingRule, ...]:
    """Rules OR-ed to make candidate pairs, in the order pairs are credited to them."""
    rules: list[BlockingRule] = []
    if _has_names(fields) and "dob" in fields:
        rules += [
            NAME_YEAR,
            NAME_MONTH_DAY,
            NAME_SOUND_YEAR,
            NAME_SPELLING_YEAR,
            NAME_SOUND_MONTH_DAY,
            SURNAMES_MONTH_DAY,
            DOB_INITIAL,
            SWAPPED_DOB_INITIALS,
            *NEAR_DOB_INITIALS,
            NAME_NO_DOB,
            NAME_SOUND_NO_DOB,
        ]
    elif _has_names(fields):
        rules += [NAME_KEYS, NAME_SOUNDS]
    elif "dob" in fields:
        rules.append(DOB)
    rules += [identifier_rule(f, d) for f, d in IDENTIFIERS if f in fields]
    if {"postcode", "street_number"} <= fields:
        rules.append(POSTCODE_NUMBER)
    if {"street", "street_number"} <= fields:
        rules.append(STREET_NUMBER_INITIAL if _has_names(fields) else STREET_NUMBER)
    if {"street", "postcode"} <= fields:
        rules.append(STREET_POSTCODE)
    return tuple(rules)


def training_rules(fields: frozenset[str]) -> tuple[BlockingRule, ...]:
    """EM passes: each comparison must be left free by at least one of them."""
    rules: list[BlockingRule] = []
    if "dob" in fields:
        rules.append(DOB)
    if _has_names(fields):
        rules.append(NAME_KEYS)
    if len(rules) < 2 and "postcode" in fields:
        rules.append(POSTCODE)
    if len(rules) < 2:
        rules += [identifier_rule(f, d) for f, d in IDENTIFIERS if f in fields][: 2 - len(rules)]
    return tuple(rules)
