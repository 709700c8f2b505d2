"""Hostile files: each either loads what can be loaded and quarantines the rest with a
reason, or is refused as a whole with a message naming the problem."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from soar.errors import InputError
from soar.ingest.run import IngestReport, ingest
from soar.ingest.store import Store
from soar.workspace import Workspace, init

HEADER = "record_id,first_name,last_name,dob,a_number\n"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return init(tmp_path / "ws")


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def quarantine_rows(report: IngestReport) -> list[dict[str, str]]:
    assert report.quarantine_file is not None
    with report.quarantine_file.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def loaded(workspace: Workspace, kind: str = "immigration") -> list[tuple[str, ...]]:
    files = [str(p) for p in Store(workspace).files(kind)]
    return duckdb.sql(
        f"SELECT record_id, first_name, last_name, dob FROM read_parquet({files}) ORDER BY "
        "record_id"
    ).fetchall()


def test_unusable_rows_are_quarantined_with_line_and_reason(
    tmp_path: Path, workspace: Workspace
) -> None:
    path = write(
        tmp_path,
        "mixed.csv",
        HEADER
        + "R1,ANA,LOPEZ,1980-02-03,A012345678\n"  # line 2: fine
        + "R2,,,1981-01-01,\n"  # line 3: no name
        + "R3,JOSE,PEREZ,2999-01-01,\n"  # line 4: future birth date
        + "R4,LI,WANG,1850-05-05,\n"  # line 5: age over 120
        + "R5,OMAR,HASSAN,31/31/1990,\n"  # line 6: not a date
        + "R6,IVAN,PETROV,1970-07-07,A12X\n"  # line 7: malformed A-number
        + "R1,ANA,LOPEZ,1980-02-03,\n"  # line 8: duplicate id
        + ",NO,ID,1990-01-01,\n",  # line 9: no id
    )
    report = ingest(path, "immigration", workspace=workspace)
    assert (report.rows_read, report.loaded, report.quarantined) == (8, 1, 7)
    rows = {int(row["line"]): row["reason"] for row in quarantine_rows(report)}
    assert "no name at all" in rows[3]
    assert "in the future" in rows[4]
    assert "age over 120" in rows[5]
    assert "'31/31/1990' is not a date" in rows[6]
    assert "'A12X' is not an A-number" in rows[7]
    assert "appears more than once" in rows[8] and "line 2" in rows[8]
    assert "no record id" in rows[9]
    assert loaded(workspace) == [("R1", "ANA", "LOPEZ", "1980-02-03")]


def test_quarantine_keeps_the_raw_row(tmp_path: Path, workspace: Workspace) -> None:
    path = write(tmp_path, "raw.csv", HEADER + "R1,,,1980-01-01,\n")
    row = quarantine_rows(ingest(path, "immigration", workspace=workspace))[0]
    assert row["source_file"] == str(path)
    assert '"record_id":"R1"' in row["raw"].replace(" ", "")


def test_embedded_newlines_and_stray_quotes(tmp_path: Path, workspace: Workspace) -> None:
    path = write(
        tmp_path,
        "quotes.csv",
        HEADER
        + 'R1,"ANA\nMARIA",LOPEZ,1980-02-03,\n'  # lines 2-3: quoted newline
        + 'R2,JO"SE,PEREZ,1981-01-01,\n'  # line 4: stray quote inside a field
        + "R3,LI,WANG,1982-03-04,\n",  # line 5
    )
    report = ingest(path, "immigration", workspace=workspace)
    assert report.rows_read == report.loaded + report.quarantined
    assert report.rows_read == 3
    ids = [row[0] for row in loaded(workspace)]
    assert "R1" in ids and "R3" in ids
    if report.quarantined:
        lines = [int(row["line"]) for row in quarantine_rows(report)]
        assert lines == [4]


def test_line_numbers_count_quoted_newlines(tmp_path: Path, workspace: Workspace) -> None:
    path = write(
        tmp_path,
        "lines.csv",
        HEADER + 'R1,"A\nB\nC",LOPEZ,1980-02-03,\n' + "R2,,,1980-01-01,\n",
    )
    rows = quarantine_rows(ingest(path, "immigration", workspace=workspace))
    assert [int(row["line"]) for row in rows] == [5]


def test_truncated_file_loads_complete_rows(tmp_path: Path, workspace: Workspace) -> None:
    path = write(tmp_path, "cut.csv", HEADER + "R1,ANA,LOPEZ,1980-02-03,\nR2,JOSE,PER")
    report = ingest(path, "immigration", workspace=workspace)
    assert report.rows_read == report.loaded + report.quarantined == 2
    assert ("R1", "ANA", "LOPEZ", "1980-02-03") in loaded(workspace)


def test_latin1_file_is_detected(tmp_path: Path, workspace: Workspace) -> None:
    path = write(tmp_path, "latin1.csv", (HEADER + "R1,JOSÉ,MUÑOZ,1980-02-03,\n").encode("latin-1"))
    report = ingest(path, "immigration", workspace=workspace)
    assert report.encoding == "latin-1"
    assert loaded(workspace) == [("R1", "JOSÉ", "MUÑOZ", "1980-02-03")]


def test_cp1252_file_is_detected(tmp_path: Path, workspace: Workspace) -> None:
    content = (HEADER + "R1,ANA,O\u2019BRIEN,1980-02-03,\n").encode("cp1252")
    report = ingest(write(tmp_path, "cp.csv", content), "immigration", workspace=workspace)
    assert report.encoding == "cp1252"
    assert loaded(workspace)[0][2] == "O\u2019BRIEN"


def test_utf8_with_bom(tmp_path: Path, workspace: Workspace) -> None:
    path = write(
        tmp_path, "bom.csv", b"\xef\xbb\xbf" + (HEADER + "R1,ANA,LOPEZ,1980-02-03,\n").encode()
    )
    ingest(path, "immigration", workspace=workspace)
    assert loaded(workspace) == [("R1", "ANA", "LOPEZ", "1980-02-03")]


def test_wrong_declared_encoding_still_loads_every_row(
    tmp_path: Path, workspace: Workspace
) -> None:
    mapping = write(
        tmp_path,
        "m.toml",
        '[source]\nkind = "immigration"\nencoding = "utf-8"\n'
        '[columns]\nrecord_id = "record_id"\nfirst_name = "first_name"\n'
        'last_name = "last_name"\ndob = "dob"\n',
    )
    path = write(tmp_path, "wrong.csv", (HEADER + "R1,JOSÉ,MUÑOZ,1980-02-03,\n").encode("latin-1"))
    report = ingest(path, "immigration", workspace=workspace, mapping_path=mapping)
    assert report.rows_read == report.loaded + report.quarantined == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\x00\x01\x02PK\x03\x04" * 100, "looks binary"),
    ],
)
def test_files_that_cannot_be_read_are_refused(
    tmp_path: Path, workspace: Workspace, content: bytes, message: str
) -> None:
    path = write(tmp_path, "bad.csv", content)
    with pytest.raises(InputError, match=message):
        ingest(path, "immigration", workspace=workspace)
    assert Store(workspace).manifest()["sources"] == {}


def test_header_only_file_loads_nothing_and_says_so(tmp_path: Path, workspace: Workspace) -> None:
    report = ingest(write(tmp_path, "empty.csv", HEADER), "immigration", workspace=workspace)
    assert (report.rows_read, report.loaded, report.quarantined) == (0, 0, 0)


def test_a_column_the_mapping_names_must_exist(tmp_path: Path, workspace: Workspace) -> None:
    mapping = write(
        tmp_path,
        "m.toml",
        '[source]\nkind = "immigration"\n[columns]\nID = "record_id"\nSURNAME = "last_name"\n',
    )
    path = write(tmp_path, "x.csv", "ID,LAST\nR1,LOPEZ\n")
    with pytest.raises(InputError, match="column 'SURNAME' named in .*m.toml is not in the file"):
        ingest(path, "immigration", workspace=workspace, mapping_path=mapping)


def test_unknown_code_is_quarantined_with_the_code_named(
    tmp_path: Path, workspace: Workspace
) -> None:
    mapping = write(
        tmp_path,
        "m.toml",
        '[source]\nkind = "immigration"\n[columns]\nID = "record_id"\nLAST = "last_name"\n'
        'STATUS = "immigration_status"\n[values.immigration_status]\nL = "lpr"\nE = "ewi"\n',
    )
    path = write(tmp_path, "codes.csv", "ID,LAST,STATUS\nR1,LOPEZ,L\nR2,PEREZ,Q\n")
    report = ingest(path, "immigration", workspace=workspace, mapping_path=mapping)
    assert (report.loaded, report.quarantined) == (1, 1)
    reason = quarantine_rows(report)[0]["reason"]
    assert "immigration_status code 'Q' is unknown" in reason and "m.toml" in reason


def test_extremely_long_fields(tmp_path: Path, workspace: Workspace) -> None:
    long_name = "A" * 200_000
    path = write(tmp_path, "long.csv", HEADER + f"R1,{long_name},LOPEZ,1980-02-03,\n")
    report = ingest(path, "immigration", workspace=workspace)
    assert report.loaded == 1
    assert len(loaded(workspace)[0][1]) == 200_000


def test_sentinels_become_missing_and_are_counted(tmp_path: Path, workspace: Workspace) -> None:
    path = write(
        tmp_path,
        "s.csv",
        "record_id,first_name,last_name,dob,ssn,birth_country\n"
        "R1,ANA,LOPEZ,1900-01-01,000000000,UNKNOWN\nR2,NA,WANG,1980-01-01,123456789,N/A\n",
    )
    report = ingest(path, "immigration", workspace=workspace)
    assert report.sentinels == {"dob": 1, "ssn": 1, "birth_country": 2}
    assert loaded(workspace)[0][3] is None
    assert loaded(workspace)[1][1] == "NA"  # a real given name, not a sentinel


def test_a_newer_extract_reports_new_changed_removed(tmp_path: Path, workspace: Workspace) -> None:
    first = write(
        tmp_path, "v1.csv", HEADER + "R1,ANA,LOPEZ,1980-02-03,\nR2,JOSE,PEREZ,1981-01-01,\n"
    )
    ingest(first, "immigration", workspace=workspace, jurisdiction="US")
    second = write(
        tmp_path, "v2.csv", HEADER + "R1,ANA,LOPEZ,1980-02-04,\nR3,LI,WANG,1982-03-04,\n"
    )
    report = ingest(second, "immigration", workspace=workspace, jurisdiction="US")
    assert (report.new, report.changed, report.removed) == (1, 1, 1)
    assert [row[0] for row in loaded(workspace)] == ["R1", "R3"]
    history = Store(workspace).manifest()["history"]
    assert [Path(entry["file"]).name for entry in history] == ["v1.csv", "v2.csv"]
