"""Romanisations of Cyrillic and Polish names brought to one spelling, and patronymics.

A Ukrainian passport writes ОЛІЙНИК as OLIINYK, a US clerk OLIYNYK; Polish writes Коваль-
чук as KOWALCZUK, English KOVALCHUK; an emigrant's ФЕДОРОВА becomes FEDOROFF. The
spelling key undoes those differences only, so two names share it when they are one
Cyrillic name written in two systems, not when they merely sound alike. The patronymic
(NIKOLAYEVICH, MYKOLAIOVYCH) is reduced to the father's given name, made formal with the
nickname table (NIKOLAI), so that a Russian and a Ukrainian record of one person agree.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from soar.standardize.nicknames import NICKNAMES

# Endings that differ between systems or between a woman's and a man's form of one family
# name. Russian and Ukrainian feminine -OVA/-EVA and Polish -SKA/-CKA name the same family
# as -OV/-EV, -SKI/-CKI, and emigrants often use the masculine form; the French and German
# -OFF/-EFF spelling of -ОВ/-ЕВ was usual on passports issued before the 1990s. -INA is not
# here: MARINA/MARIN and MEDINA/MEDIN are unrelated Spanish names.
_ENDINGS: Final[tuple[tuple[str, str], ...]] = (
    ("SKAIA", "SKI"),
    ("SKA", "SKI"),
    ("CKA", "CKI"),
    ("OVA", "OV"),
    ("EVA", "EV"),
    ("OFF", "OV"),
    ("EFF", "EV"),
)
# Digraphs one sound is written with: Polish SZ/CZ and German SCH/TSCH for English SH/CH
# (SZEWCZENKO, SCHEWTSCHENKO, SHEVCHENKO), X for KS (ALEXEEV/ALEKSEEV).
_DIGRAPHS: Final[tuple[tuple[str, str], ...]] = (
    ("TSCH", "CH"),
    ("SCH", "SH"),
    ("SZ", "SH"),
    ("CZ", "CH"),
)


@lru_cache(maxsize=200_000)
def spelling_key(token: str) -> str:
    """One spelling for the romanisations of one Cyrillic or Polish name token.

    `FEDOROVA`, `FEDOROFF` -> `FEDOROV`; `KOWALCZUK` -> `KOVALCHUK`; `ALIJEV`, `ALIYEV` ->
    `ALIEV`; `OLIYNYK`, `OLIINYK` -> `OLINIK`; `KRYLOV` -> `KRILOV`.

    Y, J and I are one letter (Й, Ы and the soft vowels ЮЯЄЇ are written with any of them)
    and run together (-SKIY/-SKYI/-SKII, -IY/-II/-IJ). Where a letter starts a name it is
    kept: an initial J, or W, marks other names (Korean JANG is not YANG, Chinese WANG not
    the Hmong VANG). Too short a token (3 letters or fewer) is kept as it is.
    """
    if len(token) <= 3:
        return token
    key = token[0] + token[1:].replace("X", "KS")
    # Until nothing changes: CZ -> CH can make an SCH (SCZ), which is SH.
    previous = ""
    while previous != key:
        previous = key
        for digraph, replacement in _DIGRAPHS:
            key = key.replace(digraph, replacement)
    head, tail = key[0], key[1:]
    tail = tail.replace("W", "V").replace("J", "I")
    key = (head if head != "Y" else "I") + tail.replace("Y", "I")
    # -ЕЙЕВ and -ЕЕВ (SERGEYEV/SERGEEV), and a soft E at the start (YEFIMOV/EFIMOV).
    key = key.replace("EIEV", "EEV")
    while "II" in key:
        key = key.replace("II", "I")
    if key.startswith("IE"):
        key = key[1:]
    for ending, replacement in _ENDINGS:
        if key.endswith(ending) and len(key) > len(ending) + 2:
            key = key[: -len(ending)] + replacement
            break
    return key


def _spelling_index() -> dict[str, str]:
    """Spelling key -> formal given name, for keys only one formal name has."""
    formals: dict[str, set[str]] = {}
    for variant, formal in NICKNAMES.items():
        formals.setdefault(spelling_key(variant), set()).add(formal)
    return {key: next(iter(names)) for key, names in formals.items() if len(names) == 1}


_FORMAL_BY_SPELLING: Final[dict[str, str]] = _spelling_index()


@lru_cache(maxsize=200_000)
def formal_spelling(token: str) -> str:
    """The spelling key of a name token's formal given name, or of the token itself.

    A romanisation the nickname table lacks (`KOSTJANTYN`) finds its formal name through a
    listed one with the same spelling (`KOSTIANTYN`), so `KOSTJANTYN` and `KONSTANTIN`
    agree; a surname finds none and keeps its own key.
    """
    key = spelling_key(token)
    formal = NICKNAMES.get(token) or _FORMAL_BY_SPELLING.get(key)
    return spelling_key(formal) if formal else key


def _formal_given(name: str) -> str | None:
    """The formal given name a father's name spells, through the table or its spelling."""
    return NICKNAMES.get(name) or _FORMAL_BY_SPELLING.get(spelling_key(name))


# Patronymic endings, longest first, with what the father's name may have ended in before
# it. Russian -ОВИЧ/-ЕВИЧ (-ЕВИЧ after Й: NIKOLAYEVICH), Ukrainian -ОВИЧ/-ЙОВИЧ written
# -OVYCH/-IOVYCH/-YOVYCH, Belarusian -АВІЧ (-AVICH), Polish spellings -OWICZ/-EWICZ; women's
# -ОВНА/-ЕВНА, Ukrainian -ІВНА/-ЇВНА (-IVNA: MYKOLAIVNA), Belarusian -АЎНА (-AUNA).
_STRONG: Final[tuple[str, ...]] = (
    "IYOVYCH",
    "IIOVYCH",
    "YOVYCH",
    "IOVYCH",
    "YEVYCH",
    "OVYCH",
    "EVYCH",
    "YEVICH",
    "IEVICH",
    "EVICH",
    "OVICH",
    "AVICH",
    "JEWICZ",
    "OWICZ",
    "EWICZ",
    "YEVNA",
    "IEVNA",
    "EVNA",
    "OVNA",
    "AVNA",
    "AUNA",
    "YIVNA",
    "IIVNA",
    "IVNA",
    "OWNA",
    "EWNA",
)
# -ИЧ/-ИНИЧНА after a father's name in -А or -Я (ILYICH, NIKITICH, ILYINICHNA): a weak
# sign, as German middle names end so too (ULRICH), so these count only when the father's
# name is one the nickname table knows.
_WEAK: Final[tuple[str, ...]] = ("INICHNA", "ICHNA", "YCH", "ICH")
# What the father's name may have ended in before the ending: Й (Y, I, IY), А or О
# (MYKOLA, PETRO, ILYA), or nothing (IVAN).
_FATHER_ENDS: Final[tuple[str, ...]] = ("", "Y", "I", "IY", "A", "O", "IA", "YA")


@lru_cache(maxsize=200_000)
def father_name(middle: str | None) -> str | None:
    """The father's name in a folded patronymic, as a spelling key of its formal form.

    `NIKOLAYEVICH`, `MYKOLAIOVYCH`, `NIKOLAEVNA` and `MYKOLAIVNA` -> `NIKOLAI`. A middle
    name that is no patronymic (`JOSE`, an initial) gives None, so it is only ever compared
    as itself.
    """
    if not middle:
        return None
    for word in middle.split(" "):
        father = _father_of(word)
        if father is not None:
            return father
    return None


def _father_of(word: str) -> str | None:
    for endings, strong in ((_STRONG, True), (_WEAK, False)):
        for ending in endings:
            stem = word[: -len(ending)]
            if not word.endswith(ending) or len(stem) < 3:
                continue
            for end in _FATHER_ENDS:
                formal = _formal_given(stem + end)
                if formal is not None:
                    return spelling_key(formal)
            if strong:
                # A father's name the table lacks (SERAFIMOVICH/SERAFYMOVYCH): its spelling.
                return spelling_key(stem)
    return None
