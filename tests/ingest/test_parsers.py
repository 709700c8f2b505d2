"""Property tests for the name and date rules a mapping file applies."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soar.ingest.mapping import Mapping
from soar.ingest.readers import RawTable
from soar.ingest.transform import Transform
from soar.schema import SENTINELS, SourceKind

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÁÉÍÑÓÚÜ"
# Sentinel words (UNKNOWN, NULL...) are missing values by design, never names.
token = st.text(alphabet=LETTERS, min_size=1, max_size=12).filter(lambda t: t not in SENTINELS)
name_part = st.lists(token, min_size=1, max_size=3).map(" ".join)
spaces = st.sampled_from([" ", "  ", "   "])


CONNECTION = duckdb.connect()


def run(columns: dict[str, str], mapping: Mapping) -> dict[str, str | None]:
    """Apply `mapping` to one row and return its canonical fields and reason."""
    connection = CONNECTION
    for view in ("parsed", "mapped"):
        connection.execute(f"DROP VIEW IF EXISTS {view}")
    for table in ("raw", "canonical"):
        connection.execute(f"DROP TABLE IF EXISTS {table}")
    names = list(columns)
    select = ", ".join(f'? AS "{name}"' for name in names)
    connection.execute(f"CREATE TABLE raw AS SELECT {select}, 2 AS __line", list(columns.values()))
    raw = RawTable("csv", names, 1, "utf-8")
    Transform(connection, raw, mapping, "test.csv").build()
    result = connection.execute("SELECT * FROM canonical")
    values = result.fetchone()
    assert values is not None
    return dict(zip([d[0] for d in result.description], values, strict=True))


def names_mapping(**names: str) -> Mapping:
    return Mapping(
        path=None,
        kind=SourceKind.BOOKING,
        jurisdiction=None,
        format=None,
        encoding=None,
        delimiter=None,
        columns={"ID": ("record_id",)},
        **names,  # type: ignore[arg-type]
    )


@settings(max_examples=30, deadline=None)
@given(last=name_part, first=token, middle=st.lists(token, max_size=2).map(" ".join), gap=spaces)
def test_last_comma_first_middle(last: str, first: str, middle: str, gap: str) -> None:
    full = f"{last},{gap}{first}{gap}{middle}".rstrip()
    row = run(
        {"ID": "R1", "NAME": full},
        names_mapping(full_name="NAME", name_layout="LAST, FIRST MIDDLE"),
    )
    assert (row["last_name"], row["first_name"], row["middle_name"]) == (
        last,
        first,
        middle or None,
    )


@settings(max_examples=30, deadline=None)
@given(first=token, middle=st.lists(token, max_size=2).map(" ".join), last=token)
def test_first_middle_last(first: str, middle: str, last: str) -> None:
    full = " ".join(part for part in (first, middle, last) if part)
    row = run(
        {"ID": "R1", "NAME": full}, names_mapping(full_name="NAME", name_layout="FIRST MIDDLE LAST")
    )
    assert (row["first_name"], row["middle_name"], row["last_name"]) == (
        first,
        middle or None,
        last,
    )


@settings(max_examples=30, deadline=None)
@given(first=token, rest=st.lists(token, max_size=3).map(" ".join))
def test_given_names_column(first: str, rest: str) -> None:
    given_names = f"{first} {rest}".strip()
    row = run({"ID": "R1", "GIVEN": given_names}, names_mapping(given_names="GIVEN"))
    assert (row["first_name"], row["middle_name"]) == (first, rest or None)


FORMATS = ["%m/%d/%Y", "%Y%m%d", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"]


def date_mapping(fmt: str) -> Mapping:
    return Mapping(
        path=None,
        kind=SourceKind.IMMIGRATION,
        jurisdiction=None,
        format=None,
        encoding=None,
        delimiter=None,
        columns={"ID": ("record_id",), "LAST": ("last_name",), "BORN": ("dob",)},
        date_format=fmt,
    )


@settings(max_examples=40, deadline=None)
@given(day=st.dates(dt.date(1906, 1, 2), dt.date(2025, 12, 31)), fmt=st.sampled_from(FORMATS))
def test_dates_in_the_declared_format_become_iso(day: dt.date, fmt: str) -> None:
    row = run({"ID": "R1", "LAST": "LOPEZ", "BORN": day.strftime(fmt)}, date_mapping(fmt))
    assert row["dob"] == day.isoformat()
    assert row["__reason"] is None


@settings(max_examples=40, deadline=None)
@given(
    text=st.text(min_size=1, max_size=20).filter(lambda t: t.strip()), fmt=st.sampled_from(FORMATS)
)
def test_any_text_is_an_iso_date_or_a_reason(text: str, fmt: str) -> None:
    row = run({"ID": "R1", "LAST": "LOPEZ", "BORN": text}, date_mapping(fmt))
    if row["__reason"] is None and row["dob"] is not None:
        dob = str(row["dob"])
        assert len(dob) in (4, 7, 10)
        dt.date.fromisoformat(dob if len(dob) == 10 else (dob + "-01-01")[:10])
    elif row["__reason"] is not None:
        assert "dob" in str(row["__reason"])


@pytest.mark.parametrize("text", ["-INFINITY", "infinity", "epoch"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_words_a_date_parser_knows_are_not_birth_dates(text: str, fmt: str) -> None:
    row = run({"ID": "R1", "LAST": "LOPEZ", "BORN": text}, date_mapping(fmt))
    assert row["dob"] is None and "is not a date" in str(row["__reason"])


@settings(max_examples=30, deadline=None)
@given(year=st.integers(1910, 2020), month=st.integers(1, 12))
def test_partial_dates_are_kept_as_partial(year: int, month: int) -> None:
    for text in (f"{year}", f"{year}-{month:02d}"):
        row = run({"ID": "R1", "LAST": "LOPEZ", "BORN": text}, date_mapping("%m/%d/%Y"))
        assert row["dob"] == text and row["__reason"] is None
