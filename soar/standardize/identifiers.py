"""Identifiers, sex and countries: the small normalisations that make equal values equal."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from soar.standardize.names import fold

_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")

#: What ISO 3166 (via pycountry) does not list but sources write: demonyms, Spanish
#: names, short forms and abbreviations, for the countries common in the operation's data.
_COUNTRY_VARIANTS: Final[dict[str, tuple[str, ...]]] = {
    "USA": (
        "US",
        "U S",
        "U S A",
        "UNITED STATES",
        "AMERICA",
        "AMERICAN",
        "ESTADOS UNIDOS",
        "EEUU",
        "EE UU",
    ),
    "MEX": ("MEXICAN", "MEJICO", "ESTADOS UNIDOS MEXICANOS", "MEXICANO", "MEXICANA"),
    "GTM": ("GUATEMALAN", "GUATEMALTECO"),
    "HND": ("HONDURAN", "HONDURENO"),
    "SLV": ("SALVADORAN", "SALVADOREAN", "SALVADORENO", "REPUBLIC OF EL SALVADOR"),
    "NIC": ("NICARAGUAN",),
    "CRI": ("COSTA RICAN",),
    "PAN": ("PANAMANIAN",),
    "CUB": ("CUBAN", "CUBANO"),
    "DOM": ("DOMINICAN", "REPUBLICA DOMINICANA", "DOMINICAN REP"),
    "HTI": ("HAITIAN",),
    "JAM": ("JAMAICAN",),
    "COL": ("COLOMBIAN",),
    "VEN": ("VENEZUELAN", "VENEZUELA"),
    "ECU": ("ECUADORIAN", "ECUADOREAN"),
    "PER": ("PERUVIAN",),
    "BRA": ("BRAZILIAN", "BRASIL"),
    "ARG": ("ARGENTINE", "ARGENTINIAN"),
    "CHN": ("CHINESE", "CHINA", "PRC", "PEOPLES REPUBLIC OF CHINA", "MAINLAND CHINA"),
    "TWN": ("TAIWAN", "TAIWANESE", "REPUBLIC OF CHINA", "ROC"),
    "HKG": ("HONG KONG", "HONGKONG"),
    "IND": ("INDIAN",),
    "PHL": ("FILIPINO", "PHILIPPINE"),
    "VNM": ("VIETNAM", "VIETNAMESE", "VIET NAM", "VIETNAM SOCIALIST REPUBLIC OF"),
    "KOR": ("SOUTH KOREA", "KOREA", "KOREAN", "REPUBLIC OF KOREA", "KOREA SOUTH"),
    "PAK": ("PAKISTANI",),
    "IRN": ("IRAN", "IRANIAN", "PERSIA"),
    "IRQ": ("IRAQI",),
    "SYR": ("SYRIA", "SYRIAN"),
    "AFG": ("AFGHAN",),
    "EGY": ("EGYPTIAN",),
    "SAU": ("SAUDI", "SAUDI ARABIAN"),
    "YEM": ("YEMENI",),
    "SOM": ("SOMALI",),
    "LBN": ("LEBANESE",),
    "JOR": ("JORDANIAN",),
    "MAR": ("MOROCCAN",),
    "PSE": ("PALESTINE", "PALESTINIAN"),
    "NGA": ("NIGERIAN",),
    "GHA": ("GHANAIAN",),
    "RUS": ("RUSSIA", "RUSSIAN", "RUSSIAN FEDERATION"),
    "UKR": ("UKRAINIAN",),
    "BLR": ("BELARUSIAN", "BYELORUSSIA"),
    "MDA": ("MOLDOVA", "MOLDOVAN"),
    "POL": ("POLISH",),
    "GBR": ("UK", "U K", "GREAT BRITAIN", "BRITAIN", "BRITISH", "ENGLAND", "SCOTLAND", "WALES"),
    "CAN": ("CANADIAN",),
    "UZB": ("UZBEK",),
    "KAZ": ("KAZAKH",),
}


def _country_lookup() -> dict[str, str]:
    """Folded name, official name, common name and codes of every ISO country -> alpha-3."""
    import pycountry

    lookup: dict[str, str] = {}
    for country in pycountry.countries:
        code = str(country.alpha_3)
        names: list[str | None] = [country.alpha_2, country.alpha_3, country.name]
        names += [getattr(country, key, None) for key in ("official_name", "common_name")]
        for name in names:
            folded = fold(name) if name else None
            if folded:
                lookup.setdefault(folded, code)
    for code, variants in _COUNTRY_VARIANTS.items():
        for variant in variants:
            lookup[variant] = code
    return lookup


_COUNTRY_LOOKUP: dict[str, str] = {}


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
    """ISO alpha-3 for a country name, code or demonym, else the folded text (`México` -> `MEX`).

    A name written inverted (`KOREA, REPUBLIC OF`) is tried in natural order as well.
    """
    folded = fold(text)
    if not folded:
        return None
    if not _COUNTRY_LOOKUP:
        _COUNTRY_LOOKUP.update(_country_lookup())
    found = _COUNTRY_LOOKUP.get(folded)
    if found is None and " " in folded:
        for tail in ("REPUBLIC OF", "PEOPLES REPUBLIC OF", "SOCIALIST REPUBLIC OF", "STATE OF"):
            if folded.endswith(" " + tail):
                head = folded[: -len(tail) - 1]
                found = _COUNTRY_LOOKUP.get(head) or _COUNTRY_LOOKUP.get(f"{tail} {head}")
                break
    return found or folded
