"""Every extract `soar generate` writes ingests with its mapping, and what loads is exactly
the generator's canonical copy: same records, same fields, counts reconciled."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from soar.ingest.extracts import ingest_generated
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


@pytest.mark.parametrize("kind", ["registry", "immigration", "booking"])
def test_ingested_records_equal_the_canonical_copy(
    kind: str, population: Path, ingested: Workspace
) -> None:
    extra, missing, total = _differences(kind, population / f"canonical/{kind}.csv", ingested)
    assert total > 100
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
