"""Blocking finds the variants registries produce, once each, and warns before exploding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from soar.linkage import Settings, match

HEADER = ["record_id", "first_name", "last_name", "second_last_name", "aliases", "dob"]
LEFT = [
    ["swap", "NGUYEN", "VAN AN", "", "", "1980-01-02"],
    ["drop", "JOSE", "GARCIA", "LOPEZ", "", "1971-03-04"],
    ["hyphen", "MARIA", "HERNANDEZ-PEREZ", "", "", "1990-05-06"],
    ["alias", "ABU", "KHALIL", "", "OMAR HASSAN; O HASSAN", "1966-07-08"],
    ["accent", "José", "Núñez", "", "", "1985-09-10"],
    ["nick", "WILLIAM", "BRAXTON", "", "", "1955-11-12"],
    ["other", "ZED", "QUILLON", "", "", "2001-01-01"],
]
RIGHT = [
    ["swap_r", "VAN AN", "NGUYEN", "", "", ""],
    ["drop_r", "JOSE", "GARCIA", "", "", ""],
    ["hyphen_r", "MARIA", "HERNANDEZ", "PEREZ", "", ""],
    ["alias_r", "OMAR", "HASSAN", "", "", ""],
    ["accent_r", "JOSE", "NUNEZ", "", "", ""],
    ["nick_r", "BILL", "BRAXTON", "", "", ""],
    ["stranger_r", "ANNA", "BELL", "", "", ""],
]


def _letters(index: int) -> str:
    return chr(65 + index % 26) + chr(65 + index // 26)


def _candidates(
    records: Callable[..., Path],
    left: list[list[str]] = LEFT,
    right: list[list[str]] = RIGHT,
) -> set[tuple[str, str]]:
    result = match(records("l.csv", HEADER, left), records("r.csv", HEADER, right), threshold=0.0)
    pairs = [(p["left_id"], p["right_id"]) for p in result.pairs.to_pylist()]
    assert len(pairs) == len(set(pairs)), "a pair was generated twice"
    assert sum(r.new_pairs for r in result.blocking) == len(pairs) == result.candidate_pairs
    return set(pairs)


def test_name_keys_survive_registry_variations(records: Callable[..., Path]) -> None:
    found = _candidates(records)
    for variant in ("swap", "drop", "hyphen", "alias", "accent", "nick"):
        assert (variant, f"{variant}_r") in found, f"{variant} not blocked together"
    assert not any(right == "stranger_r" for _, right in found)


# Misses of the leads benchmark that no rule paired: two errors in one person, a date
# error and a name variant. Each `_r` record must meet its left record; each `not_`
# record shares only the weaker half of a key and must stay apart.
TWO_ERRORS_LEFT = [
    ["swapped", "KOSTIANTYN", "RUDENKO", "", "", "1978-12-11"],
    ["year_sound", "DAVID", "VALDES", "", "", "1989-07-08"],
    ["year_given", "OAR", "PEREZ-ORTIZ", "", "", "1984-01-14"],
    ["day_off", "DONALD", "WILLIAMS", "", "", "1984-12-28"],
    ["month_end", "TOAS", "AVILA FERNANDES", "", "", "1981-09-30"],
]
TWO_ERRORS_RIGHT = [
    # Day and month swapped, given name in another transliteration.
    ["swapped_r", "KONSTANTIN", "RUDENKO", "", "", "1978-11-12"],
    # The same swapped date, but no name part with the same initial.
    ["not_swapped", "LUCY", "MILLS", "", "", "1978-11-12"],
    # Year typo and a surname that sounds the same.
    ["year_sound_r", "DAVID", "VALDEZ", "GONZALEZ", "", "1984-07-08"],
    # The name sounds the same, but year and day both differ.
    ["not_year_sound", "DAVID", "VALDEZ", "", "", "1984-07-09"],
    # Year typo and a misspelt given name; both surnames agree.
    ["year_given_r", "OMAR", "PÉREZ", "ORTIZ", "", "1983-01-14"],
    # Month and day and one surname agree, but a single surname is too common alone.
    ["not_year_given", "LUIS", "PEREZ", "", "", "1983-01-14"],
    # Born a day later, names in the wrong fields and one misspelt.
    ["day_off_r", "WILLIAM", "DONALD", "", "", "1984-12-29"],
    # The same names two days later: as often a different person as the same.
    ["not_day_off", "WILLIAM", "DONALD", "", "", "1984-12-30"],
    # A day later across the end of the month, given name misspelt.
    ["month_end_r", "TOMÁS", "ÁVILA", "FERNÁNDEZ", "", "1981-10-01"],
    ["not_month_end", "TOMÁS", "ÁVILA", "FERNÁNDEZ", "", "1981-10-02"],
]


def test_a_date_error_and_a_name_variant_together_still_meet(
    records: Callable[..., Path],
) -> None:
    found = _candidates(records, TWO_ERRORS_LEFT, TWO_ERRORS_RIGHT)
    for left, *_ in TWO_ERRORS_LEFT:
        assert (left, f"{left}_r") in found, f"{left} not blocked with its own record"
        assert (left, f"not_{left}") not in found, f"{left} blocked with not_{left}"


def test_a_rule_about_to_explode_is_reported_with_what_to_do(
    records: Callable[..., Path],
) -> None:
    # Forty records with one placeholder birth date: a block of 40 x 40 pairs.
    rows = [
        [f"{side}{i}", f"NAME{_letters(i)}", f"SURNAME{_letters(i)}", "", "", "1900-01-01"]
        for side in "LR"
        for i in range(40)
    ]
    left = records("l.csv", HEADER, [r for r in rows if r[0].startswith("L")])
    right = records("r.csv", HEADER, [r for r in rows if r[0].startswith("R")])
    result = match(left, right, settings=Settings(max_block_pairs=1000, warn_rule_pairs=10))
    skipped = [w for w in result.warnings if "skipped" in w]
    assert skipped and "1900-01-01" in skipped[0] and "placeholder" in skipped[0]
    big = [w for w in result.warnings if "more than 10" in w]
    assert big and "split the inputs" in big[0]
