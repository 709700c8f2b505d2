"""The DOB table parses the common spelling in bulk exactly as `parse_date` reads any value."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from soar.linkage.steps.standardise import _dob_rows, dob_table

# Spellings that sit on the edges of the bulk path: rolled-over and impossible dates,
# unpadded parts, non-ASCII digits, surrounding space, other formats and junk.
EDGES = [
    "1980-02-29",
    "1981-02-29",
    "1980-02-30",
    "1980-2-9",
    "1980-13-01",
    "1980-00-10",
    "1980-01-32",
    "0000-00-00",
    "\uff11\uff19\uff18\uff10-01-01",
    " 1980-01-01 ",
    "\u00a01980-01-01",
    "19800101",
    "07/04/1980",
    "1980-07",
    "1980",
    "1980-01-01x",
    "abc",
    "",
]

parts = st.tuples(st.integers(0, 2100), st.integers(0, 15), st.integers(0, 35))
spelled = st.one_of(
    parts.map(lambda p: f"{p[0]:04d}-{p[1]:02d}-{p[2]:02d}"),
    parts.map(lambda p: f"{p[0]}-{p[1]}-{p[2]}"),
    parts.map(lambda p: f"{p[1]}/{p[2]}/{p[0]:04d}"),
    parts.map(lambda p: f"{p[0]:04d}{p[1]:02d}{p[2]:02d}"),
    st.sampled_from(EDGES),
    st.text(max_size=12),
)


def _rows(values: list[str | None]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = dob_table(values).sort_by("raw").to_pylist()
    return rows


def test_edges_read_as_parse_date_reads_them() -> None:
    expected = _dob_rows(sorted(EDGES)).sort_by("raw").to_pylist()
    assert _rows([*EDGES, None]) == expected
    by_raw = {row["raw"]: row for row in expected}
    assert by_raw["1980-02-30"]["dob_date"] is None  # a typo keeps its digits, not a date
    assert by_raw["1980-02-30"]["dob_digits"] == "19800230"
    assert by_raw["1980-2-9"]["dob"] == "1980-02-09"
    assert "1980-13-01" not in by_raw


@settings(max_examples=200, deadline=None)
@given(st.lists(spelled, max_size=40, unique=True))
def test_bulk_path_agrees_with_parse_date(values: list[str]) -> None:
    assert _rows(list(values)) == _dob_rows(sorted(values)).sort_by("raw").to_pylist()
