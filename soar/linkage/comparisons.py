"""Comparisons: how two records' fields agree, as ordered levels of SQL conditions.

A comparison turns one field (or a group of fields, like a whole name) of a candidate pair
into an agreement level `gamma`: the index of the first level whose condition holds. Level 0
is always "missing" (no weight); the last is always "disagree" (the ELSE branch). Conditions
read the standardised columns of the left (`l.`) and right (`r.`) record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class LevelKind(StrEnum):
    """What a level means for the guard rails: agreements need m >= u, a disagreement m <= u.

    A partial level (same birth year only, surname agrees but given name differs) may weigh
    either way: among namesakes a birth date that shares only its year is evidence against.
    """

    MISSING = "missing"
    AGREE = "agree"
    PARTIAL = "partial"
    DISAGREE = "disagree"


@dataclass(frozen=True, slots=True)
class Level:
    """One agreement level: a label a person reads and the SQL condition that selects it."""

    label: str
    condition: str
    kind: LevelKind = LevelKind.AGREE
    #: Standardised column whose value frequency lowers this level's weight (common names).
    term_frequency_column: str | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    """A named field comparison: ordered levels plus the canonical fields it reads."""

    name: str
    description: str
    fields: tuple[str, ...]
    levels: tuple[Level, ...]
    #: Standardised columns the levels read; a blocking rule on any of them makes the
    #: comparison unfit to train in that pass (EM cannot learn m for a forced agreement).
    columns: tuple[str, ...] = field(default=())
    #: Ceiling on m of the disagreement level, for identifiers that one person cannot hold
    #: two of (see `FINGERPRINT_IDENTIFIERS`); None lets the data decide.
    disagreement_m_ceiling: float | None = None
    #: Take u from the pass blocked on names instead of from random pairs: for fields that
    #: go with a name (country of birth, citizenship, sex), strangers who share a name share
    #: the field far more often than random strangers, and near the threshold every pair
    #: shares a name.
    u_among_namesakes: bool = False

    def gamma_sql(self) -> str:
        """The CASE expression yielding this comparison's level index for a pair."""
        branches = " ".join(
            f"WHEN {level.condition} THEN {index}" for index, level in enumerate(self.levels[:-1])
        )
        return f"CASE {branches} ELSE {len(self.levels) - 1} END"

    @property
    def gamma_column(self) -> str:
        return f"gamma_{self.name}"


def _missing(columns: Iterable[str]) -> Level:
    # Missing when either side lacks all of the columns: there is nothing to compare.
    cols = list(columns)
    left = " AND ".join(f"l.{c} IS NULL" for c in cols)
    right = " AND ".join(f"r.{c} IS NULL" for c in cols)
    return Level("missing", f"({left}) OR ({right})", LevelKind.MISSING)


_DISAGREE = Level("disagree", "TRUE", LevelKind.DISAGREE)


def within_edits(a: str, b: str, edits: int) -> str:
    """Damerau-Levenshtein distance at most `edits`, gated by the much cheaper Levenshtein.

    A transposition is one Damerau edit but two Levenshtein edits, so Levenshtein <= 2k is
    a necessary condition; it spares the slow Damerau call on almost every random pair.
    """
    return f"levenshtein({a}, {b}) <= {2 * edits} AND damerau_levenshtein({a}, {b}) <= {edits}"


def jw(a: str, b: str) -> str:
    """Jaro-Winkler similarity SQL (DuckDB spelling; other dialects go through sqlglot)."""
    return f"jaro_winkler_similarity({a}, {b})"


def _surname_part(side: str, index: int) -> str:
    # Guarded: Spark in ANSI mode fails on an index past the end instead of giving NULL.
    return f"CASE WHEN len({side}.name_parts) >= {index} THEN {side}.name_parts[{index}] END"


def _parts_close(left: int, right: int) -> str:
    """The left record's surname part `left` and the right's part `right` are close."""
    return f"{jw(_surname_part('l', left), _surname_part('r', right))} >= 0.88"


def name_comparison() -> Comparison:
    """Whole name: order-, compound-surname-, alias- and nickname-aware; folded before.

    Levels go from the strongest evidence to the weakest. "Another form" catches swapped
    order, merged or hyphenated surnames, nicknames and aliases; "surname part" a dropped or
    added second surname (`GARCIA LOPEZ` vs `GARCIA`).
    """
    first_close = f"{jw('l.name_first', 'r.name_first')} >= 0.88"
    last_close = f"{jw('l.name_last_key', 'r.name_last_key')} >= 0.88"
    swapped_close = (
        f"{jw('l.name_first', 'r.name_last_key')} >= 0.88 "
        f"AND {jw('l.name_last_key', 'r.name_first')} >= 0.88"
    )
    levels = (
        _missing(["name_first", "name_last"]),
        Level(
            "exact",
            "l.name_first = r.name_first AND l.name_last = r.name_last",
            term_frequency_column="name_full",
        ),
        Level(
            "same name in another form (order, nickname, alias, hyphen)",
            "list_has_any(l.name_forms, r.name_forms) OR "
            "(l.name_first_canon = r.name_first_canon AND l.name_last_key = r.name_last_key)",
            term_frequency_column="name_key",
        ),
        Level(
            "same Chinese name in another romanisation (WONG = HUANG, CHIH-WEI = ZHIWEI)",
            "list_has_any(l.name_romanised, r.name_romanised)",
            term_frequency_column="name_key",
        ),
        Level(
            "same name in another romanisation, either order (OLHA FEDOROFF, OLGA "
            "FEDOROVA; KOWALCZUK, KOVALCHUK)",
            "l.name_spelling_form = r.name_spelling_form",
            term_frequency_column="name_key",
        ),
        Level(
            "given name and one surname part (second surname dropped or added)",
            "l.name_first_canon = r.name_first_canon AND len(l.name_parts) > 0 "
            "AND len(r.name_parts) > 0 AND (list_has_all(l.name_parts, r.name_parts) "
            "OR list_has_all(r.name_parts, l.name_parts))",
            term_frequency_column="name_key",
        ),
        Level(
            "a given name and a surname part agree, either order (fields swapped, a "
            "surname added or dropped)",
            "list_has_any(l.name_block_keys, r.name_block_keys)",
            term_frequency_column="name_key",
        ),
        Level(
            "one part exact, the other a typo or same sound",
            f"(l.name_first_canon = r.name_first_canon AND {last_close}) "
            f"OR (l.name_last_key = r.name_last_key AND {first_close}) "
            "OR (l.name_first_phonetic = r.name_first_phonetic "
            "AND l.name_last_phonetic = r.name_last_phonetic)",
            term_frequency_column="name_key",
        ),
        Level(
            "both parts close (Jaro-Winkler >= 0.88), either order",
            f"({first_close} AND {last_close}) OR ({swapped_close})",
        ),
        # A typo in one surname part while the other part is dropped (LUIZ DEGADO / LUIS
        # DELGADO ESTRADA): the whole surname is too far off for "both parts close".
        Level(
            "given name close and a surname part close, either order (the other dropped or added)",
            f"((l.name_first_canon = r.name_first_canon OR {first_close}) AND "
            f"({_parts_close(1, 1)} OR {_parts_close(1, 2)} OR {_parts_close(2, 1)})) "
            # Given name and surname in each other's fields (LUIZ HERNANDES / HERNANDEZ LUIS
            # RODRIGUEZ).
            f"OR ({jw('l.name_first', _surname_part('r', 1))} >= 0.88 "
            f"AND {jw(_surname_part('l', 1), 'r.name_first')} >= 0.88)",
        ),
        Level(
            "a given name and a surname part sound alike, either order",
            "list_has_any(l.name_phonetic_keys, r.name_phonetic_keys)",
        ),
        Level(
            "surname agrees, a given name is missing",
            "(l.name_first IS NULL OR r.name_first IS NULL) AND "
            f"(l.name_last_key = r.name_last_key OR {jw('l.name_last_key', 'r.name_last_key')}"
            " >= 0.92)",
        ),
        Level(
            "given name agrees, a surname is missing",
            "(l.name_last IS NULL OR r.name_last IS NULL) AND "
            f"(l.name_first_canon = r.name_first_canon OR {jw('l.name_first', 'r.name_first')}"
            " >= 0.92)",
        ),
        Level(
            "surname agrees, given name differs",
            "list_has_any(l.name_parts, r.name_parts) OR "
            "list_has_any(l.name_surname_spellings, r.name_surname_spellings) OR "
            f"{jw('l.name_last_key', 'r.name_last_key')} >= 0.92",
            kind=LevelKind.PARTIAL,
            term_frequency_column="name_last_key",
        ),
        Level(
            "given name agrees, surname differs",
            f"l.name_first_canon = r.name_first_canon OR {jw('l.name_first', 'r.name_first')}"
            " >= 0.92",
            kind=LevelKind.PARTIAL,
        ),
        _DISAGREE,
    )
    return Comparison(
        "name",
        "whole name: first, middle, surnames and aliases",
        ("first_name", "middle_name", "last_name", "second_last_name", "aliases"),
        levels,
        ("name_first", "name_last"),
    )


def dob_comparison() -> Comparison:
    """Date of birth: exact, then the usual clerical errors, then partial agreement."""
    both_full = "l.dob_full AND r.dob_full"
    levels = (
        _missing(["dob"]),
        Level("exact", f"{both_full} AND l.dob = r.dob"),
        Level(
            "day and month swapped",
            f"{both_full} AND l.dob_year = r.dob_year AND l.dob_month = r.dob_day "
            "AND l.dob_day = r.dob_month",
        ),
        Level(
            "one day apart",
            "abs(date_diff('day', l.dob_date, r.dob_date)) <= 1",
        ),
        # The clerical error of the year alone (DOMAIN.md; the identity safeguard forgives
        # it too): strangers share a day and month 1 time in 365, and then a year one digit
        # apart far less often than they share one digit-slip of the whole date.
        Level(
            "same day and month, one digit of the year wrong",
            f"{both_full} AND l.dob_month = r.dob_month AND l.dob_day = r.dob_day "
            "AND levenshtein(substr(l.dob_digits, 1, 4), substr(r.dob_digits, 1, 4)) = 1",
        ),
        Level(
            "one digit typed wrong or two swapped",
            f"{both_full} AND {within_edits('l.dob_digits', 'r.dob_digits', 1)}",
        ),
        Level(
            "same year and month",
            "l.dob_year = r.dob_year AND l.dob_month = r.dob_month",
            LevelKind.PARTIAL,
        ),
        Level("same year", "l.dob_year = r.dob_year", LevelKind.PARTIAL),
        _DISAGREE,
    )
    return Comparison("dob", "date of birth", ("dob",), levels, ("dob",))


#: Identifiers issued from fingerprints: one person has one FBI number, so two records
#: whose FBI numbers differ by more than a typo are two people. EM can only say "no match in
#: this sample disagreed" (m below 1/number of matches, about -10 bits); the ceiling states
#: the domain fact instead: at most one in ten million records of a person carries a
#: different valid FBI number. A-numbers are not here: one person can have two A-files.
FINGERPRINT_IDENTIFIERS: dict[str, float] = {"fbi_number": 1e-7}


def identifier_comparison(field_name: str, description: str) -> Comparison:
    """An identifier: exact, a typo, or a conflict (strong counter-evidence)."""
    col = f"id_{field_name}"
    levels = (
        _missing([col]),
        Level("exact", f"l.{col} = r.{col}"),
        Level(
            "one character typed wrong or two swapped",
            f"length(l.{col}) >= 5 AND {within_edits(f'l.{col}', f'r.{col}', 1)}",
        ),
        # Levenshtein, not Damerau, for two edits: a 7-digit random pair passes the cheap
        # Levenshtein <= 4 gate too often for the gate to pay, and a swap plus a typo is rare.
        Level(
            "two characters wrong",
            f"length(l.{col}) >= 5 AND levenshtein(l.{col}, r.{col}) <= 2",
        ),
        _DISAGREE,
    )
    return Comparison(
        field_name,
        description,
        (field_name,),
        levels,
        (col,),
        disagreement_m_ceiling=FINGERPRINT_IDENTIFIERS.get(field_name),
    )


def exact_comparison(
    field_name: str, column: str, description: str, *, goes_with_name: bool = False
) -> Comparison:
    """A field that either agrees or not (sex, country)."""
    levels = (
        _missing([column]),
        Level("exact", f"l.{column} = r.{column}"),
        _DISAGREE,
    )
    return Comparison(
        field_name,
        description,
        (field_name,),
        levels,
        (column,),
        u_among_namesakes=goes_with_name,
    )


def street_comparison(fields: tuple[str, ...]) -> Comparison:
    """House number and street together: they are not independent evidence."""
    number_eq = "l.addr_street_number = r.addr_street_number"
    street_eq = "l.addr_street = r.addr_street"
    street_close = f"{jw('l.addr_street', 'r.addr_street')} >= 0.9"
    levels = (
        _missing(["addr_street_number", "addr_street"]),
        Level("number and street exact", f"{number_eq} AND {street_eq}"),
        Level("street exact, number differs or missing", street_eq),
        Level("number exact, street a typo", f"{number_eq} AND {street_close}"),
        Level("street a typo", street_close),
        Level("number exact only", number_eq, LevelKind.PARTIAL),
        _DISAGREE,
    )
    return Comparison(
        "street", "street number and street", fields, levels, ("addr_street_number", "addr_street")
    )


def place_comparison(fields: tuple[str, ...]) -> Comparison:
    """City, postcode and state together: a shared postcode implies a shared city and state."""
    pc_eq = "l.addr_postcode = r.addr_postcode"
    city_eq = "l.addr_city = r.addr_city"
    city_close = f"{jw('l.addr_city', 'r.addr_city')} >= 0.9"
    levels = (
        _missing(["addr_postcode", "addr_city"]),
        Level("postcode and city exact", f"{pc_eq} AND {city_eq}"),
        Level("postcode exact, city differs or missing", pc_eq),
        Level("city exact, postcode differs or missing", city_eq, LevelKind.PARTIAL),
        Level(
            "postcode one character off and city close",
            f"{within_edits('l.addr_postcode', 'r.addr_postcode', 1)} AND {city_close}",
        ),
        Level(
            "postcode one character off",
            within_edits("l.addr_postcode", "r.addr_postcode", 1),
        ),
        Level("city a typo", city_close),
        Level("same state only", "l.addr_state = r.addr_state", LevelKind.PARTIAL),
        _DISAGREE,
    )
    return Comparison(
        "place", "city, postcode and state", fields, levels, ("addr_postcode", "addr_city")
    )


def middle_name_comparison() -> Comparison:
    """Middle name or patronymic: twins and namesakes often differ only here."""
    levels = (
        _missing(["name_middle"]),
        Level("exact", "l.name_middle = r.name_middle AND length(l.name_middle) > 1"),
        # A Russian and a Ukrainian record of one person: NIKOLAYEVICH and MYKOLAIOVYCH.
        Level(
            "same father's name in another romanisation (patronymic)",
            "l.name_middle_father = r.name_middle_father",
        ),
        # Two middle names on one record, one on the other (or a surname written in the
        # middle field): HERNANDES ALBERTO / ALBERTO.
        Level(
            "a middle name in common (another added or dropped)",
            "list_has_any(string_split(l.name_middle, ' '), string_split(r.name_middle, ' '))",
        ),
        Level(
            "same initial (one side gives only the initial)",
            "substr(l.name_middle, 1, 1) = substr(r.name_middle, 1, 1) "
            "AND (length(l.name_middle) = 1 OR length(r.name_middle) = 1)",
        ),
        Level("close (Jaro-Winkler >= 0.88)", f"{jw('l.name_middle', 'r.name_middle')} >= 0.88"),
        _DISAGREE,
    )
    # Middle names run in families and cultures (VAN, THI; patronymics): among strangers who
    # share a name they agree far more often than among random pairs.
    return Comparison(
        "middle_name",
        "middle name or patronymic",
        ("middle_name",),
        levels,
        ("name_middle",),
        u_among_namesakes=True,
    )


def text_comparison(field_name: str, column: str, description: str) -> Comparison:
    """A free-text field: exact, close (Jaro-Winkler >= 0.9), or different."""
    levels = (
        _missing([column]),
        Level("exact", f"l.{column} = r.{column}"),
        Level("close (Jaro-Winkler >= 0.9)", f"{jw(f'l.{column}', f'r.{column}')} >= 0.9"),
        _DISAGREE,
    )
    return Comparison(field_name, description, (field_name,), levels, (column,))


#: Identifier fields with their descriptions, strongest evidence first.
IDENTIFIERS: tuple[tuple[str, str], ...] = (
    ("a_number", "alien registration number (A-number)"),
    ("fbi_number", "FBI number"),
    ("ssn", "social security number"),
    ("passport_number", "passport number"),
    ("state_id", "state identification number"),
)
NAME_FIELDS = ("first_name", "middle_name", "last_name", "second_last_name", "aliases")


def comparisons_for(present: frozenset[str]) -> tuple[Comparison, ...]:
    """The comparisons to use given the canonical fields both inputs carry, in a fixed order."""
    chosen: list[Comparison] = []
    if present & {"first_name", "last_name", "second_last_name", "aliases"}:
        chosen.append(name_comparison())
    if "middle_name" in present:
        chosen.append(middle_name_comparison())
    if "dob" in present:
        chosen.append(dob_comparison())
    for field_name, description in IDENTIFIERS:
        if field_name in present:
            chosen.append(identifier_comparison(field_name, description))
    if "sex" in present:
        chosen.append(exact_comparison("sex", "sex", "sex", goes_with_name=True))
    if "birth_country" in present:
        chosen.append(
            exact_comparison(
                "birth_country", "birth_country", "country of birth", goes_with_name=True
            )
        )
    if "citizenship_country" in present:
        chosen.append(
            exact_comparison(
                "citizenship_country", "citizenship_country", "citizenship", goes_with_name=True
            )
        )
    street_fields = tuple(f for f in ("street_number", "street") if f in present)
    if street_fields:
        chosen.append(street_comparison(street_fields))
    if "address_line2" in present:
        chosen.append(text_comparison("address_line2", "addr_line2", "address line 2"))
    place_fields = tuple(f for f in ("city", "postcode", "state") if f in present)
    if place_fields:
        chosen.append(place_comparison(place_fields))
    return tuple(chosen)
