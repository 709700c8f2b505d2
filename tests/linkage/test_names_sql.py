"""Names put together in SQL from per-value pieces equal `name_features`, record by record."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from linkage_names import Names, names_table

from soar.linkage.steps.standardise import NAME_SCHEMA
from soar.standardize import fold, name_features


def expected_row(rid: int, person: Names) -> dict[str, Any]:
    f = name_features(*person)
    values = (
        rid,
        f.first,
        f.first_canon,
        f.last,
        f.last_key,
        f.first_phonetic,
        f.last_phonetic,
        f.full,
        f"{f.first_canon}|{f.parts[0]}" if f.first_canon and f.parts else None,
        fold(person[1]),
        list(f.forms),
        list(f.parts),
        list(f.block_keys),
        list(f.phonetic_keys),
        list(f.initials),
        list(f.romanised),
    )
    return dict(zip(NAME_SCHEMA.names, values, strict=True))


def assert_same_as_python(people: list[Names]) -> None:
    rows = names_table(people).to_pylist()
    assert len(rows) == len(people)
    for rid, (person, row) in enumerate(zip(people, rows, strict=True)):
        assert row == expected_row(rid, person), person


def test_registry_variations_standardise_as_in_python() -> None:
    assert_same_as_python(
        [
            ("José", None, "García", "López", "Pepe Garcia"),
            ("JOSE", "ANGEL", "GARCIA-LOPEZ", None, None),
            ("Bill", None, "Smith", None, "William Smith; W. Smith"),
            ("ABU", None, "KHALIL", None, "Omar Hassan; O. Hassan"),
            ("VAN AN", None, "NGUYEN", None, None),
            ("JUN", "JIE", "NG", None, None),
            ("CHIH", "WEI", "WONG", None, "ZHIWEI HUANG"),
            ("Мария", "Ивановна", "Иванова", None, None),
            ("JUAN", None, "DE LA CRUZ", None, None),
            ("JUAN", None, "DE LA", None, None),
            (None, None, "GARCIA", None, None),
            ("JOSE", None, None, None, None),
            (None, None, None, None, "Maria Lopez"),
            (None, None, None, None, None),
            ("O'Brien", "d’Arc", "Nguyễn-Văn", "", ";;"),
            ("A B", None, "Y", "E", "DE LA; Y"),
        ]
    )


name_text = st.one_of(
    st.none(),
    st.text(
        alphabet=st.sampled_from(
            list("abcdeijlmnoprsuyzABEJLOSÁéñüễĐ-' .;") + list("МарияمحمدPEPEBILL")
        ),
        max_size=20,
    ),
)
people = st.tuples(name_text, name_text, name_text, name_text, name_text)


@settings(deadline=None, max_examples=40)
@given(st.lists(people, min_size=1, max_size=8))
def test_any_names_standardise_as_in_python(batch: list[Names]) -> None:
    assert_same_as_python(batch)
