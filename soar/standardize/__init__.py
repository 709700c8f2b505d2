"""Standardisation of person fields: names, dates, identifiers and countries.

Each function takes one raw value and returns its standard form; callers apply them to
each distinct value once (DESIGN.md), so they are pure and cached where it pays.
"""

from soar.standardize.dates import PartialDate, parse_date
from soar.standardize.identifiers import normalise_country, normalise_identifier, normalise_sex
from soar.standardize.names import NameFeatures, fold, fold_text, name_features, phonetic_key

__all__ = [
    "NameFeatures",
    "PartialDate",
    "fold",
    "fold_text",
    "name_features",
    "normalise_country",
    "normalise_identifier",
    "normalise_sex",
    "parse_date",
    "phonetic_key",
]
