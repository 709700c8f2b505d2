"""Do the registrant's names and the A-file's names tell of one person? For the safeguards.

Linkage can reach the match threshold on an exact birth date with only part of the name in
common (a given name and another surname, or a surname and another given name): exactly
what a US-born person who shares a birthday with a noncitizen looks like. The names agree
here when, in some name form of each side (the record's name or one of its aliases, in
either order), the first given names agree and a surname part agrees. Agreement allows
what the linkage also allows: nicknames and transliterations (`PEPE`/`JOSE`), sound
(`GONSALEZ`/`GONZALEZ`), typing slips and transliterations (Jaro-Winkler 0.80), short
forms, and surnames written joined or apart (`ALHASSAN`/`AL-HASSAN`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

from soar.schema import ALIAS_SEPARATOR
from soar.standardize.names import PARTICLES, canonical_given, fold, name_features, phonetic_key
from soar.standardize.nicknames import NICKNAMES, SHARED_NICKNAMES
from soar.standardize.transliteration import spelling_key

#: Two name tokens this similar may be one name typed or transliterated twice
#: (NIKOLAI/VICOLAI, PETR/PYOTR); the surname and the given name must both find a partner.
SIMILAR = 0.80
#: Or this close in edits per letter (VICTOR/WIKTOR, FEDOROV/FYODOROV), which Jaro-Winkler
#: scores low when the first letters differ.
CLOSE_EDITS = 0.66
#: Sound alone is too coarse a key: REYES and RUIZ both sound RS. Names of one sound agree
#: when their letters are at least this alike too (HUSSEIN/HUSAIN 0.89, NASSER/NASIR 0.88;
#: REYES/RUIZ 0.48). 200,000 persons, seed 1: a US-born JOSE ALFREDO REYES got action on
#: a JOSEANTONIO GOMES RUIZ's A-file, linked at 0.71 on the birth date and that sound.
SOUND_MIN_LETTERS = 0.6

NameForm = tuple[tuple[str, ...], tuple[str, ...]]  # (given tokens, surname tokens)


def _tokens(text: str | None) -> tuple[str, ...]:
    folded = fold(text)
    return tuple(folded.split(" ")) if folded else ()


@lru_cache(maxsize=200_000)
def tokens_agree(a: str, b: str) -> bool:
    """One name written twice: same, nickname or transliteration, sound, a slip, or a short
    form (`FRANK`/`FRANCISCO`: its first three letters begin the longer; `MO`, `MOE` for
    `MOHAMMED`: a name of three letters or fewer sharing the first two), or a nickname that
    stands for several names (`BETO`/`GILBERTO`, `SHARED_NICKNAMES`), also after one typing
    slip in a name the tables know (`_slip_of_a_known_name`), or one Cyrillic or Polish
    name in two romanisations (`spelling_key`: SHEVCHUK/SZEWCZUK, which neither sound nor
    letters bring close enough)."""
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]  # an initial agrees with any name it begins
    return (
        a == b
        or spelling_key(a) == spelling_key(b)
        or _stands_for(a, b)
        or (
            phonetic_key(a) == phonetic_key(b) and JaroWinkler.similarity(a, b) >= SOUND_MIN_LETTERS
        )
        or JaroWinkler.similarity(a, b) >= SIMILAR
        or Levenshtein.normalized_similarity(a, b) >= CLOSE_EDITS
        or any(_stands_for(known, b) for known in _slip_of_a_known_name(a))
        or any(_stands_for(known, a) for known in _slip_of_a_known_name(b))
    )


def _stands_for(a: str, b: str) -> bool:
    """Same formal name, a nickname of several names standing for the other, or a short
    form (as in `tokens_agree`)."""
    short, long = sorted((a, b), key=len)
    return (
        canonical_given(a) == canonical_given(b)
        or b in SHARED_NICKNAMES.get(a, ())
        or a in SHARED_NICKNAMES.get(b, ())
        or long.startswith(short[:3])
        or (len(short) <= 3 and long.startswith(short[:2]))
    )


#: Given names and nicknames the tables know, with the formal names they stand for.
KNOWN_NAMES = frozenset(NICKNAMES) | frozenset(NICKNAMES.values()) | frozenset(SHARED_NICKNAMES)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@lru_cache(maxsize=200_000)
def _slip_of_a_known_name(token: str) -> frozenset[str]:
    """Known names one typing slip away from `token` (a letter wrong, missing, added, or
    two swapped): a slip and a nickname at once (`KIHE` for `KIKE`, `ENRIQUE`; `ICOLAS` for
    `NICOLAS`, `NICO`), which neither similarity sees. Only names the tables know count, so
    a slip never turns one stranger's name into another's by chance alone."""
    if len(token) < 4 or token in KNOWN_NAMES:
        return frozenset()
    cuts = [(token[:i], token[i:]) for i in range(len(token) + 1)]
    candidates = {head + tail[1:] for head, tail in cuts if tail}
    candidates |= {head + tail[1] + tail[0] + tail[2:] for head, tail in cuts if len(tail) > 1}
    candidates |= {head + c + tail[1:] for head, tail in cuts if tail for c in LETTERS}
    candidates |= {head + c + tail for head, tail in cuts for c in LETTERS}
    return frozenset(candidates & KNOWN_NAMES)


def name_forms(record: Mapping[str, Any]) -> list[NameForm]:
    """The record's name and each alias as (given tokens, surname tokens)."""
    forms = []
    given = _tokens(record.get("first_name")) + _tokens(record.get("middle_name"))
    surname = _tokens(record.get("last_name")) + _tokens(record.get("second_last_name"))
    if given or surname:
        forms.append((given, surname))
    for alias in str(record.get("aliases") or "").split(ALIAS_SEPARATOR.strip()):
        parts = _tokens(alias)
        if len(parts) >= 2:
            forms.append((parts[:1], parts[1:]))
    return forms


def _surnames(tokens: Iterable[str]) -> list[str]:
    """Surname parts without particles (`DE LA ROSA` -> `ROSA`; `LE` alone stays `LE`), and
    all parts joined (`AL HASSAN` -> `ALHASSAN`)."""
    listed = list(tokens)
    parts = [t for t in listed if t not in PARTICLES] or listed
    return [*parts, "".join(listed)] if len(listed) > 1 else parts


def _any_agree(left: Iterable[str], right: Iterable[str]) -> bool:
    right = list(right)
    return any(tokens_agree(a, b) for a in left for b in right)


def _forms_agree(left: NameForm, right: NameForm) -> bool:
    (left_given, left_surname), (right_given, right_surname) = left, right
    if not left_given or not right_given or not left_surname or not right_surname:
        return True  # a missing part is no disagreement
    # Each side's first given name is among the other's given names (a middle name can be
    # the name a person goes by), so two given names that only share a middle do not agree.
    given = any(tokens_agree(left_given[0], b) for b in right_given) and any(
        tokens_agree(a, right_given[0]) for a in left_given
    )
    surname = _any_agree(_surnames(left_surname), _surnames(right_surname))
    return given and surname


def _forms_agree_swapped(left: NameForm, right: NameForm) -> bool:
    """Given and family names exchanged on one side (`MUNOZ JOSE` / `JOSE PEREZ MUNOZ`)."""
    (left_given, left_surname), (right_given, right_surname) = left, right
    return _any_agree(left_given, _surnames(right_surname)) and _any_agree(
        _surnames(left_surname), right_given
    )


def romanised(record: Mapping[str, Any]) -> set[str]:
    """Pinyin readings of the record's name when it is a Chinese name (`CHIH-WEI WONG`
    reads as HUANG|ZHIWEI and WANG|ZHIWEI), as the linkage reads them."""
    get = record.get
    features = name_features(
        get("first_name"), get("middle_name"), get("last_name"), get("second_last_name"), None
    )
    return set(features.romanised)


def _all_forms(records: Sequence[Mapping[str, Any]]) -> list[NameForm]:
    return [form for record in records for form in name_forms(record)]


def names_agree(left: Sequence[Mapping[str, Any]], right: Sequence[Mapping[str, Any]]) -> bool:
    """Whether some name form of the left records agrees with some form of the right ones,
    in the written order or with given and family names exchanged, or in another
    romanisation of a Chinese name (`WONG CHIANG` / `QIANG WANG`)."""
    left_forms, right_forms = _all_forms(left), _all_forms(right)
    if not left_forms or not right_forms:
        return True
    left_readings = set().union(*(romanised(record) for record in left))
    if left_readings & set().union(*(romanised(record) for record in right)):
        return True
    for a in left_forms:
        for b in right_forms:
            if _forms_agree(a, b) or _forms_agree_swapped(a, b):
                return True
    return False


def given_names_agree(
    left: Sequence[Mapping[str, Any]], right: Sequence[Mapping[str, Any]]
) -> bool:
    """Whether the first given name of some name form of each side agrees, in the written
    order or with given and family names exchanged on one side (`JOSE RAMIREZ` / `LOPEZ
    JOSE`), whatever the surnames say."""
    right_forms = _all_forms(right)
    for left_given, left_surname in _all_forms(left):
        for right_given, right_surname in right_forms:
            if left_given and right_given and tokens_agree(left_given[0], right_given[0]):
                return True
            if left_given and _any_agree(left_given[:1], right_surname):
                return True
            if right_given and _any_agree(right_given[:1], left_surname):
                return True
    return False


def _key(form: NameForm) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A name form as written: first given name and surname parts without particles."""
    surname = tuple(t for t in form[1] if t not in PARTICLES) or form[1]
    return form[0][:1], surname


def _another_name(one: NameForm, other: NameForm) -> bool:
    """No given name or surname part of one agrees with any of the other's, in any order
    or form `tokens_agree` allows: two names, not one name's nickname, dropped surname or
    second surname alone (which a look-alike with the same name could go by too)."""
    (given, surname), (other_given, other_surname) = _key(one), _key(other)
    return not any(tokens_agree(a, b) for a in given + surname for b in other_given + other_surname)


def shared_other_name(
    left: Sequence[Mapping[str, Any]], right: Sequence[Mapping[str, Any]]
) -> str | None:
    """Two names both sides give (`A and B`), or None: beside the names that link them,
    another name (`_another_name`) written the same on both (an alias on each, or one
    side's alias as the other's own name). A US-born look-alike shares the noncitizen's
    name, not the other names the noncitizen goes by."""
    forms = [
        (a, b)
        for a in _all_forms(left)
        for b in _all_forms(right)
        if all(a) and all(b)  # given and surname both there
    ]
    for a, b in forms:
        if _key(a) != _key(b):
            continue
        for one, two in forms:
            agree = _forms_agree(one, two) or _forms_agree_swapped(one, two)
            if agree and _another_name(a, one) and _another_name(b, two):
                return " and ".join(sorted(" ".join(sum(_key(f), ())) for f in (a, one)))
    return None


def _alias_forms(records: Sequence[Mapping[str, Any]]) -> list[NameForm]:
    """The other names (aliases) the records give, without the names they are filed under."""
    return [form for record in records for form in name_forms(record)[1:]]


def unknown_other_name(
    left: Sequence[Mapping[str, Any]], right: Sequence[Mapping[str, Any]]
) -> str | None:
    """An other name the left records give (an alias) that the right records do not know,
    while they list other names of their own, in words; or None. Two files that each list
    the person's other names list the same person's: a look-alike goes by their own (20,000
    persons, seed 3: QUYÊN THỊ LÊ, US-born, also MAI LE on the Texas registry, and a
    Vietnamese woman's A-file, QUYEN LEE, also QUYEN LE). "Does not know" is read loosely,
    as spelling varies: the alias agrees with no name on the right (`names_agree`, other
    romanisations included: KIT MAH is JIE MA) and its given name agrees with no given name
    or surname there (`given_names_agree`: GEORGE LOUIS beside GEORGE LEWIS is one name
    spelt two ways). Silence is no evidence: an alias on one side only says nothing."""
    right_aliases = _alias_forms(right)
    if not right_aliases:
        return None
    for given, surname in _alias_forms(left):
        alias = {"first_name": " ".join(given), "last_name": " ".join(surname)}
        if not names_agree([alias], right) and not given_names_agree([alias], right):
            known = "; ".join(" ".join(sum(_key(f), ())) for f in right_aliases)
            return (
                f"the registry also gives the name {' '.join(given + surname)}, which the "
                f"A-file does not give, and the A-file gives other names of its own ({known})"
            )
    return None
