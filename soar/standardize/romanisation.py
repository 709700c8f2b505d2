"""Chinese names written in other romanisations, read back to the pinyin they may stand for.

One Chinese name reaches US records in several spellings: pinyin (mainland, since 1979),
Wade-Giles (Taiwan and older documents: ZHANG -> CHANG, XIAOMING -> HSIAO-MING), Hong Kong
Cantonese (WONG for HUANG, CHEUNG for ZHANG, KEUNG for QIANG), and the Hokkien and Teochew
spellings of Singapore and Malaysia (TAN for CHEN, TEO for ZHANG, QUEK for GUO). No
spelling rule links pinyin to the dialect spellings (they are other readings of the
character), so those come from a table (`data/chinese_romanisations.csv`: one row per pinyin
syllable, the dialect spellings of the common name characters read so); Wade-Giles is
derived from pinyin by its rules, apostrophes and umlauts dropped as records drop them.

A spelling may stand for several pinyin syllables (WONG: WANG or HUANG; CHAN: CHEN, ZENG,
ZHAN, ZHEN, or itself), so a name gives a set of readings, and two names may be one when
their sets meet. A name is read only when every one of its tokens is a known syllable or a
run of them (`ZHIWEI`, `CHIHWEI`): `JOSE LEE` is not read as Chinese.
"""

from __future__ import annotations

import csv
import itertools
from functools import cache, lru_cache
from importlib import resources
from typing import Final

#: Beyond this many readings of one name, the name is too ambiguous to read at all.
MAX_READINGS: Final = 32
#: Syllables in one token at most (given names have two, rarely three).
MAX_SYLLABLES: Final = 3

_INITIALS: Final = (
    "ZH", "CH", "SH", "B", "P", "M", "F", "D", "T", "N", "L", "G", "K", "H",
    "J", "Q", "X", "R", "Z", "C", "S", "Y", "W",
)  # fmt: skip
_WG_INITIAL: Final = {
    "B": "P", "P": "P", "D": "T", "T": "T", "G": "K", "K": "K", "J": "CH", "Q": "CH",
    "X": "HS", "ZH": "CH", "CH": "CH", "R": "J", "Z": "TS", "C": "TS",
}  # fmt: skip
# Whole syllables Wade-Giles writes its own way (the "empty rhyme" after sibilants).
_WG_SYLLABLE: Final = {
    "ZHI": "CHIH", "CHI": "CHIH", "SHI": "SHIH", "RI": "JIH", "ZI": "TZU", "CI": "TZU",
    "SI": "SSU", "YI": "I", "YOU": "YU", "YE": "YEH", "YAN": "YEN", "YUE": "YUEH",
    "YUAN": "YUAN", "YONG": "YUNG", "YU": "YU", "ER": "ERH",
}  # fmt: skip


def wade_giles(pinyin: str) -> str:
    """Wade-Giles of one pinyin syllable, without apostrophes or umlauts.

    >>> [wade_giles(s) for s in ("ZHANG", "XIAO", "JIAN", "GUO", "ZHI", "QIANG", "XIONG")]
    ['CHANG', 'HSIAO', 'CHIEN', 'KUO', 'CHIH', 'CHIANG', 'HSIUNG']
    """
    if pinyin in _WG_SYLLABLE:
        return _WG_SYLLABLE[pinyin]
    initial = next((i for i in _INITIALS if pinyin.startswith(i) and len(pinyin) > len(i)), "")
    final = pinyin[len(initial) :]
    if final == "ONG":
        final = "UNG"
    elif final == "IONG":
        final = "IUNG"
    elif final.endswith("IAN"):
        final = final[:-3] + "IEN"
    elif final == "IE":
        final = "IEH"
    elif final == "UE":
        final = "UEH"
    elif (final == "UO" and initial not in ("G", "K", "H", "SH")) or (
        final == "E" and initial in ("G", "K", "H")
    ):
        final = "O"  # LUO -> LO, HE -> HO
    elif final == "UI" and initial in ("G", "K"):
        final = "UEI"
    return _WG_INITIAL.get(initial, initial) + final


@cache
def _readings_of_syllable() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Every known spelling of one syllable -> the pinyin syllables it may be; and the same
    for the pinyin and Wade-Giles spellings alone (the systems that run syllables together)."""
    text = (resources.files("soar.standardize") / "data" / "chinese_romanisations.csv").read_text(
        encoding="utf-8"
    )
    readings: dict[str, set[str]] = {}
    systematic: dict[str, set[str]] = {}
    for row in csv.DictReader(text.splitlines()):
        pinyin = row["pinyin"]
        for spelling in (pinyin, wade_giles(pinyin)):
            systematic.setdefault(spelling, set()).add(pinyin)
        for spelling in {pinyin, wade_giles(pinyin), *filter(None, row["spellings"].split("|"))}:
            readings.setdefault(spelling, set()).add(pinyin)
    return (
        {spelling: frozenset(found) for spelling, found in readings.items()},
        {spelling: frozenset(found) for spelling, found in systematic.items()},
    )


@lru_cache(maxsize=200_000)
def token_readings(token: str) -> frozenset[str]:
    """The pinyin a folded token may stand for, syllables joined (`CHIHWEI` -> `ZHIWEI`);
    empty when the token is not one to three known syllables.

    A token of several syllables is split only into pinyin or Wade-Giles syllables, each
    after the first beginning with a consonant: those systems run a given name together
    (pinyin marks a vowel-initial syllable with an apostrophe, XI'AN), while dialect
    spellings are written apart or hyphenated (KIN-WAH). Without that rule `HUANG` would
    also read as HUA + NG.
    """
    table, systematic = _readings_of_syllable()
    whole = table.get(token)
    found: set[str] = set(whole or ())

    def split(rest: str, taken: tuple[frozenset[str], ...]) -> None:
        if not rest:
            found.update("".join(parts) for parts in itertools.product(*taken))
            return
        if len(taken) == MAX_SYLLABLES:
            return
        for end in range(2, len(rest) + 1):
            readings = systematic.get(rest[:end])
            if readings and (not taken or rest[0] not in "AEIOU"):
                split(rest[end:], (*taken, readings))

    split(token, ())
    return frozenset(found) if len(found) <= MAX_READINGS else frozenset()


def field_readings(text: str | None) -> frozenset[str]:
    """Readings of a whole folded name field, its tokens joined (`CHIH WEI` -> `ZHIWEI`);
    empty unless every token can be read."""
    tokens = text.split(" ") if text else []
    if not tokens or len(tokens) > MAX_SYLLABLES:
        return frozenset()
    per_token = []
    for token in tokens:
        readings = token_readings(token)
        if not readings:
            return frozenset()  # most names: the first token is not Chinese
        per_token.append(readings)
    joined = {"".join(parts) for parts in itertools.product(*per_token)}
    return frozenset(joined) if len(joined) <= MAX_READINGS else frozenset()


def romanised_forms(given: str | None, surname: str | None) -> tuple[str, ...]:
    """Order-free readings of a whole Chinese name (given field, surname field, folded):
    `CHIH WEI` + `WONG` -> (`HUANG ZHIWEI`, `WANG ZHIWEI`); () unless both fields read.

    >>> romanised_forms("CHIH WEI", "WONG")
    ('HUANG ZHIWEI', 'WANG ZHIWEI')
    >>> romanised_forms("JOSE", "LEE")
    ()
    """
    first, last = field_readings(given), field_readings(surname)
    if not first or not last or len(first) * len(last) > MAX_READINGS:
        return ()
    return tuple(sorted({" ".join(sorted((a, b))) for a in first for b in last}))
