"""The nickname table: each name in one group only, across languages and romanisations."""

from __future__ import annotations

from collections import Counter

from soar.standardize.nicknames import _GROUPS, NICKNAMES


def test_no_name_belongs_to_two_groups() -> None:
    # A name in two groups would make two different people's names agree.
    counts = Counter(name for formal, names in _GROUPS.items() for name in {formal, *names})
    assert [name for name, n in counts.items() if n > 1] == []


def test_slavic_romanisations_resolve_to_one_formal_name() -> None:
    assert NICKNAMES["KOSTIANTYN"] == NICKNAMES["KONSTANTIN"]
    assert NICKNAMES["OLHA"] == NICKNAMES["OLGA"]
    assert NICKNAMES["HRYHORIY"] == NICKNAMES["GRIGORY"] == NICKNAMES["GREGORY"]
    assert NICKNAMES["MAKSYM"] == NICKNAMES["MAX"]
    assert NICKNAMES["WIKTOR"] == NICKNAMES["VIKTOR"]
    assert NICKNAMES["OLEKSANDR"] == NICKNAMES["ALEXANDER"]


def test_one_name_across_languages_and_its_diminutives() -> None:
    assert NICKNAMES["MANNY"] == NICKNAMES["EMMANUEL"] == NICKNAMES["MANUEL"]
    assert NICKNAMES["ABE"] == NICKNAMES["ABRAHAM"] == NICKNAMES["IBRAHIM"]
    assert NICKNAMES["ELIZAVETA"] == NICKNAMES["LIZA"] == NICKNAMES["ELIZABETH"]
    assert NICKNAMES["VIKA"] == NICKNAMES["VICTORIA"]
    assert NICKNAMES["NATALIE"] == NICKNAMES["NATASHA"]
    # Diminutives of two common names stay out: they would make two people's names agree.
    for ambiguous in ("BETO", "TAVO", "AL", "ELI", "MALENA", "DANI"):
        assert ambiguous not in NICKNAMES


def test_arabic_given_names_in_their_common_romanisations() -> None:
    # Registry and A-file spellings of one person from the leads diagnosis.
    assert NICKNAMES["ALY"] == NICKNAMES["ALI"]
    assert NICKNAMES["TAREK"] == NICKNAMES["TARIQ"]
    assert NICKNAMES["OUALID"] == NICKNAMES["WALID"]
    assert NICKNAMES["KHALEEL"] == NICKNAMES["KHALIL"]
    assert NICKNAMES["YOUSIF"] == NICKNAMES["YUSUF"]
    # Two names of one root are still two names.
    assert NICKNAMES["HASSAN"] != NICKNAMES["HUSSEIN"]
    assert NICKNAMES["SAMIR"] != NICKNAMES["SAMIRA"]
