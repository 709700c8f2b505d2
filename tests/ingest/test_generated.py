"""Every extract `soar generate` writes ingests with its mapping, and what loads is exactly
the generator's canonical copy: same records, same fields, counts reconciled."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from soar.ingest.extracts import ingest_generated
from soar.ingest.run import ingest
from soar.ingest.store import Store
from soar.workspace import Workspace, init


@pytest.fixture(scope="module")
def ingested(population: Path, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    workspace = init(tmp_path_factory.mktemp("ws") / "home")
    reports = ingest_generated(population, workspace)
    for report in reports:
        assert report.rows_read == report.loaded + report.quarantined
        assert report.quarantined == 0, (report.path, report.quarantine_file)
    return workspace


def _differences(kind: str, canonical: Path, workspace: Workspace) -> tuple[int, int, int]:
    files = [str(p) for p in Store(workspace).files(kind)]
    connection = duckdb.connect()
    expected = connection.sql(f"SELECT * FROM read_csv('{canonical}', all_varchar = true)")
    expected.create_view("expected")
    columns = ", ".join(f'"{c}"' for c in expected.columns)
    connection.sql(f"SELECT {columns} FROM read_parquet({files})").create_view("got")
    extra = connection.sql("SELECT count(*) FROM (FROM got EXCEPT ALL FROM expected)").fetchall()
    missing = connection.sql("SELECT count(*) FROM (FROM expected EXCEPT ALL FROM got)").fetchall()
    total = connection.sql("SELECT count(*) FROM expected").fetchall()
    return int(extra[0][0]), int(missing[0][0]), int(total[0][0])


@pytest.mark.parametrize("kind", ["registry", "immigration", "booking", "naturalization"])
def test_ingested_records_equal_the_canonical_copy(
    kind: str, population: Path, ingested: Workspace
) -> None:
    extra, missing, total = _differences(kind, population / f"canonical/{kind}.csv", ingested)
    assert total > 50
    assert (extra, missing) == (0, 0)


def test_offenses_from_all_three_encodings_equal_the_canonical_copy(
    population: Path, ingested: Workspace
) -> None:
    extra, missing, total = _differences("offense", population / "canonical/offenses.csv", ingested)
    assert total > 1000
    assert (extra, missing) == (0, 0)


def test_ingesting_the_same_files_again_changes_nothing(
    population: Path, ingested: Workspace
) -> None:
    before = (ingested.records / "manifest.json").read_bytes()
    reports = ingest_generated(population, ingested)
    assert all(report.unchanged for report in reports)
    assert (ingested.records / "manifest.json").read_bytes() == before


def test_order_hint_marks_swapped_names_and_nothing_else(
    population: Path, ingested: Workspace
) -> None:
    connection = duckdb.connect()
    files = [
        str(p)
        for kind in ("registry", "immigration", "booking")
        for p in Store(ingested).files(kind)
    ]
    rows = connection.execute(
        f"SELECT r.name_order_hint IS NOT NULL, contains(COALESCE(n.noise, ''), 'swapped_order') "
        f"FROM read_parquet({files}, union_by_name = true) r "
        f"JOIN read_csv('{population / 'noise.csv'}', all_varchar = true) n USING (record_id)"
    ).fetchall()
    hinted_swapped = sum(1 for hint, swapped in rows if hint and swapped)
    hinted_not = sum(1 for hint, swapped in rows if hint and not swapped)
    swapped = sum(1 for _, s in rows if s)
    assert hinted_not <= 0.02 * max(hinted_swapped, 1)
    # The hint learns from token counts in each file, so it finds more in bigger files
    # (about 40% of swapped names at 20,000 persons, about 10% at this test's 4,000).
    assert hinted_swapped >= 0.05 * swapped > 0


def test_a_parquet_extract_with_canonical_columns_needs_no_mapping(
    population: Path, tmp_path: Path
) -> None:
    workspace = init(tmp_path / "ws")
    source = tmp_path / "booking.parquet"
    duckdb.execute(
        f"COPY (SELECT * FROM read_csv('{population / 'canonical/booking.csv'}', "
        f"all_varchar = true)) TO '{source}' (FORMAT PARQUET)"
    )
    report = ingest(source, "booking", workspace=workspace)
    assert report.rows_read == report.loaded > 100 and report.quarantined == 0
    extra, missing, _ = _differences("booking", population / "canonical/booking.csv", workspace)
    assert (extra, missing) == (0, 0)
