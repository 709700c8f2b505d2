"""Identifiers, sex and countries: the small normalisations that make equal values equal."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

import us

from soar.schema import FORMER_STATES
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
    "TWN": ("TAIWAN", "TAIWANESE", "REPUBLIC OF CHINA", "ROC", "CHINESE TAIPEI", "TAIWAN ROC"),
    "HKG": ("HONG KONG", "HONGKONG", "HONG KONG SAR"),
    "IND": ("INDIAN",),
    "PHL": ("FILIPINO", "PHILIPPINE", "PHILIPPINE ISLANDS"),
    # South Vietnam (1955-1975) is Vietnam on every newer record.
    "VNM": ("VIETNAM", "VIETNAMESE", "VIET NAM", "VIETNAM SOCIALIST REPUBLIC OF", "SOUTH VIETNAM"),
    "KOR": ("SOUTH KOREA", "KOREA", "KOREAN", "REPUBLIC OF KOREA", "KOREA SOUTH"),
    "PAK": ("PAKISTANI",),
    "IRN": ("IRAN", "IRANIAN", "PERSIA"),
    "IRQ": ("IRAQI", "IRAK"),
    "SYR": ("SYRIA", "SYRIAN"),
    "AFG": ("AFGHAN",),
    "EGY": ("EGYPTIAN",),
    "SAU": ("SAUDI", "SAUDI ARABIAN"),
    "YEM": ("YEMENI",),
    "SOM": ("SOMALI",),
    "LBN": ("LEBANESE", "LIBAN"),
    "JOR": ("JORDANIAN",),
    "MAR": ("MOROCCAN", "MAROC"),
    "PSE": ("PALESTINE", "PALESTINIAN"),
    "NGA": ("NIGERIAN",),
    "GHA": ("GHANAIAN",),
    "RUS": ("RUSSIA", "RUSSIAN", "RUSSIAN FEDERATION"),
    "UKR": ("UKRAINIAN",),
    "BLR": ("BELARUSIAN", "BYELORUSSIA"),
    "MDA": ("MOLDOVA", "MOLDOVAN", "MOLDAVIA"),
    "POL": ("POLISH", "POLSKA"),
    "GBR": (
        "UK",
        "U K",
        "GREAT BRITAIN",
        "BRITAIN",
        "BRITISH",
        "ENGLAND",
        "SCOTLAND",
        "WALES",
        "NORTHERN IRELAND",
    ),
    "COD": ("DEMOCRATIC REPUBLIC OF THE CONGO", "DR CONGO", "D R CONGO", "CONGO KINSHASA"),
    "CAN": ("CANADIAN",),
    "UZB": ("UZBEK",),
    "TJK": ("TADZHIKISTAN", "TAJIK"),
    "BIH": ("BOSNIA HERZEGOVINA", "BOSNIA"),
    "GUY": ("CO OPERATIVE REPUBLIC OF GUYANA", "GUYANESE"),
    "AUS": ("COMMONWEALTH OF AUSTRALIA", "AUSTRALIAN"),
    "ESP": ("ESPANA", "SPANISH"),
    "IRL": ("IRISH",),
    "LBY": ("LIBYAN ARAB JAMAHIRIYA", "LIBYAN"),
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
def normalise_state(text: str | None) -> str | None:
    """The two-letter postal code of a US state, DC or territory (`Texas`, `TEXAS`, `tx`,
    `N. C.` -> `TX`, `NC`), through the `us` package; None for anything else (`Tex.`,
    `Ontario`), which is no evidence of a state."""
    folded = fold(text)
    if not folded:
        return None
    letters = folded.replace(" ", "")
    if len(letters) == 2 and letters.isalpha():  # a code, however spaced and dotted
        folded = letters
    found = us.states.lookup(folded)
    return str(found.abbr) if found is not None else None


#: Words that qualify a country's name without naming it (`THE SUDAN`, `REPUBLIC OF
#: VIETNAM`, `SYRIAN ARAB REP`), tried without them when the whole name is unknown.
_QUALIFIERS: Final = frozenset(
    {"THE", "REPUBLIC", "REP", "OF", "SOCIALIST", "PEOPLES", "KINGDOM", "STATE", "FEDERAL"}
)
_ABBREVIATIONS: Final = {"REP": "REPUBLIC", "DEM": "DEMOCRATIC", "FED": "FEDERAL", "IS": "ISLANDS"}


def _lookup(folded: str) -> str | None:
    if not _COUNTRY_LOOKUP:
        _COUNTRY_LOOKUP.update(_country_lookup())
    return _COUNTRY_LOOKUP.get(folded)


def _without_qualifiers(text: str, folded: str) -> list[str]:
    """Shorter spellings to try: abbreviations spelled out, qualifying words dropped, and
    the part before a comma (`HONG KONG, CHINA`)."""
    words = [_ABBREVIATIONS.get(word, word) for word in folded.split(" ")]
    tries = [" ".join(words)]
    core = [word for word in words if word not in _QUALIFIERS]
    if core and core != words:
        tries.append(" ".join(core))
    if "," in text:
        head = fold(text.split(",", 1)[0])
        if head:
            tries.append(head)
    return tries


def _closest(folded: str) -> str | None:
    """A misspelling (`PHILLIPINES`) or a clipped name (`GUAT`) of exactly one country."""
    if len(folded) < 4:
        return None
    if not _COUNTRY_LOOKUP:
        _COUNTRY_LOOKUP.update(_country_lookup())
    # A clipped name, or a demonym the table lacks (`GUYANESE`, `TRINIDADIAN`) by its stem.
    stems = [folded] + [
        folded[: -len(suffix)]
        for suffix in ("ESE", "IAN", "AN")
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 4
    ]
    for stem in stems:
        clipped = {code for name, code in _COUNTRY_LOOKUP.items() if name.startswith(stem)}
        if len(clipped) == 1:
            return clipped.pop()
    import jellyfish

    best: dict[str, float] = {}
    for name, code in _COUNTRY_LOOKUP.items():
        if len(name) >= 5:
            score = jellyfish.jaro_winkler_similarity(folded, name)
            if score >= 0.94:
                best[code] = max(best.get(code, 0.0), score)
    return next(iter(best)) if len(best) == 1 else None


@lru_cache(maxsize=10_000)
def normalise_country(text: str | None) -> str | None:
    """ISO alpha-3 for a country name, code or demonym, else the folded text (`México` -> `MEX`).

    A name written inverted (`KOREA, REPUBLIC OF`), qualified (`THE UKRAINE`, `SYRIAN ARAB
    REP`), clipped (`GUAT`) or misspelt by a letter or two (`PHILLIPINES`) is recognised
    when it points to one country only; a former state (`U.S.S.R.`) is left as text.
    """
    folded = fold(text)
    if not folded:
        return None
    found = _lookup(folded)
    if found is None and " " in folded:
        for tail in ("REPUBLIC OF", "PEOPLES REPUBLIC OF", "SOCIALIST REPUBLIC OF", "STATE OF"):
            if folded.endswith(" " + tail):
                head = folded[: -len(tail) - 1]
                found = _lookup(head) or _lookup(f"{tail} {head}")
                break
    if found is None and folded not in FORMER_STATES:
        for attempt in _without_qualifiers(text or "", folded):
            found = _lookup(attempt)
            if found is not None:
                break
        else:
            found = _closest(folded)
    return found or folded
