"""Identifiers, sex and countries: the small normalisations that make equal values equal."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from soar.standardize.names import fold

_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")

#: Country names and codes that sources use, folded, mapped to ISO 3166-1 alpha-3. Small on
#: purpose: the countries of birth common in the operation's data plus every alpha-2 code
#: for them; anything else is compared by its folded name.
_COUNTRIES: Final[dict[str, tuple[str, ...]]] = {
    "USA": ("US", "UNITED STATES", "UNITED STATES OF AMERICA", "U S A", "U S", "AMERICA"),
    "MEX": ("MX", "MEXICO", "ESTADOS UNIDOS MEXICANOS"),
    "GTM": ("GT", "GUATEMALA"),
    "HND": ("HN", "HONDURAS"),
    "SLV": ("SV", "EL SALVADOR", "SALVADOR"),
    "NIC": ("NI", "NICARAGUA"),
    "CRI": ("CR", "COSTA RICA"),
    "PAN": ("PA", "PANAMA"),
    "CUB": ("CU", "CUBA"),
    "DOM": ("DO", "DOMINICAN REPUBLIC", "REPUBLICA DOMINICANA"),
    "HTI": ("HT", "HAITI"),
    "JAM": ("JM", "JAMAICA"),
    "COL": ("CO", "COLOMBIA"),
    "VEN": ("VE", "VENEZUELA"),
    "ECU": ("EC", "ECUADOR"),
    "PER": ("PE", "PERU"),
    "BRA": ("BR", "BRAZIL", "BRASIL"),
    "ARG": ("AR", "ARGENTINA"),
    "CHN": ("CN", "CHINA", "PEOPLES REPUBLIC OF CHINA", "PRC"),
    "IND": ("IN", "INDIA"),
    "PHL": ("PH", "PHILIPPINES"),
    "VNM": ("VN", "VIETNAM", "VIET NAM"),
    "KOR": ("KR", "SOUTH KOREA", "KOREA", "REPUBLIC OF KOREA"),
    "PAK": ("PK", "PAKISTAN"),
    "BGD": ("BD", "BANGLADESH"),
    "IRN": ("IR", "IRAN"),
    "IRQ": ("IQ", "IRAQ"),
    "SYR": ("SY", "SYRIA"),
    "AFG": ("AF", "AFGHANISTAN"),
    "EGY": ("EG", "EGYPT"),
    "SAU": ("SA", "SAUDI ARABIA"),
    "YEM": ("YE", "YEMEN"),
    "SOM": ("SO", "SOMALIA"),
    "ETH": ("ET", "ETHIOPIA"),
    "NGA": ("NG", "NIGERIA"),
    "GHA": ("GH", "GHANA"),
    "RUS": ("RU", "RUSSIA", "RUSSIAN FEDERATION"),
    "UKR": ("UA", "UKRAINE"),
    "POL": ("PL", "POLAND"),
    "GBR": ("GB", "UK", "UNITED KINGDOM", "GREAT BRITAIN", "ENGLAND"),
    "CAN": ("CA", "CANADA"),
    "DEU": ("DE", "GERMANY"),
    "FRA": ("FR", "FRANCE"),
    "ESP": ("ES", "SPAIN"),
    "AUS": ("AU", "AUSTRALIA"),
}
_COUNTRY_LOOKUP: Final[dict[str, str]] = {
    alias: code for code, aliases in _COUNTRIES.items() for alias in (code, *aliases)
}


@lru_cache(maxsize=100_000)
def normalise_identifier(text: str | None) -> str | None:
    """Upper-case letters and digits only, leading zeros dropped: `a-012 345` -> `A12345`.

    An A-number is written `A012345678`, `012345678` or `12345678`; dropping the `A` prefix
    and leading zeros makes those equal. Empty or all-zero becomes None.
    """
    if text is None:
        return None
    cleaned = _NOT_ALNUM.sub("", text.upper())
    if cleaned[:1] == "A" and cleaned[1:].isdigit():
        cleaned = cleaned[1:]
    cleaned = cleaned.lstrip("0")
    return cleaned or None


@lru_cache(maxsize=1_000)
def normalise_sex(text: str | None) -> str | None:
    """`M` or `F` from the usual spellings (`male`, `Masculino`, `f`); anything else None."""
    folded = fold(text)
    if not folded:
        return None
    if folded[0] in {"M", "H"}:  # male, masculino, hombre
        return "M"
    if folded[0] == "F" or folded.startswith("MU"):  # female, femenino, mujer
        return "F"
    return None


@lru_cache(maxsize=10_000)
def normalise_country(text: str | None) -> str | None:
    """ISO alpha-3 for a known country name or code, else the folded name (`México` -> `MEX`)."""
    folded = fold(text)
    if not folded:
        return None
    return _COUNTRY_LOOKUP.get(folded, folded)
