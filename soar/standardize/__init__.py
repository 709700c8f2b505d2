"""Standardisation of person fields: names, dates, identifiers and countries.

Each function takes one raw value and returns its standard form; callers apply them to
each distinct value once (DESIGN.md), so they are pure and cached where it pays.
"""

from soar.standardize.dates import PartialDate, parse_date
from soar.standardize.identifiers import (
    normalise_country,
    normalise_identifier,
    normalise_sex,
    normalise_state,
)
from soar.standardize.names import (
    AliasFeatures,
    GivenFeatures,
    NameFeatures,
    SurnameFeatures,
    alias_features,
    fold,
    fold_text,
    given_features,
    joined_given_readings,
    name_features,
    phonetic_key,
    surname_features,
    surname_parts,
)
from soar.standardize.transliteration import father_name, formal_spelling, spelling_key


def clear_caches() -> None:
    """Forget every cached standard form (to free memory, or to time a cold run fairly)."""
    from soar.standardize import dates, identifiers, names, romanisation, transliteration

    for cached in (
        names.fold,
        names.fold_text,
        names.canonical_given,
        names.phonetic_key,
        names.split_compound_given,
        romanisation.token_readings,
        transliteration.spelling_key,
        transliteration.formal_spelling,
        transliteration.father_name,
        dates.parse_date,
        identifiers.normalise_identifier,
        identifiers.normalise_sex,
        identifiers.normalise_country,
        identifiers.normalise_state,
    ):
        cached.cache_clear()


__all__ = [
    "AliasFeatures",
    "alias_features",
    "clear_caches",
    "GivenFeatures",
    "given_features",
    "joined_given_readings",
    "NameFeatures",
    "SurnameFeatures",
    "surname_features",
    "PartialDate",
    "fold",
    "fold_text",
    "name_features",
    "normalise_country",
    "normalise_identifier",
    "normalise_sex",
    "normalise_state",
    "parse_date",
    "phonetic_key",
    "father_name",
    "formal_spelling",
    "spelling_key",
    "surname_parts",
]
