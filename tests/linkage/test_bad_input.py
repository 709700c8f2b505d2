"""Bad input gets a clear error naming the file and what to do; no half-written output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from linkage_people import HEADER, Linked
from typer.testing import CliRunner

from soar.cli import app
from soar.errors import InputError
from soar.linkage import Model, dedupe, match

GOOD = [
    ["1", "ANA", "LOPEZ", "", "1980-01-02", "F", "MEX", "", ""],
    ["2", "JUAN", "PEREZ", "", "1975-05-06", "M", "GTM", "", ""],
]


def test_a_file_without_record_id_is_refused(records: Callable[..., Path]) -> None:
    bad = records("bad.csv", ["id", "first_name"], [["1", "ANA"]])
    good = records("good.csv", HEADER, GOOD)
    with pytest.raises(InputError, match=r"bad\.csv: no 'record_id' column"):
        match(bad, good)


def test_duplicate_record_ids_are_refused(records: Callable[..., Path]) -> None:
    bad = records("dup.csv", HEADER, GOOD + [GOOD[0]])
    with pytest.raises(InputError, match=r"dup\.csv: record_id is not unique .*'1'"):
        dedupe(bad)


def test_an_empty_file_is_refused(tmp_path: Path, records: Callable[..., Path]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match=r"empty\.csv: the file is empty"):
        match(empty, records("good.csv", HEADER, GOOD))


def test_a_header_without_records_is_refused(records: Callable[..., Path]) -> None:
    header_only = records("header.csv", HEADER, [])
    with pytest.raises(InputError, match="header but no records"):
        dedupe(header_only)


def test_files_with_nothing_to_compare_are_refused(records: Callable[..., Path]) -> None:
    left = records("left.csv", ["record_id", "first_name"], [["1", "ANA"]])
    right = records("right.csv", ["record_id", "dob"], [["9", "1980-01-01"]])
    with pytest.raises(InputError, match="no field to compare"):
        match(left, right)


def test_a_model_from_another_schema_is_refused(linked: Linked, tmp_path: Path) -> None:
    data = json.loads((linked.folder / "model.json").read_text())
    data["schema"] = "soar.linkage.model/0"
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    with pytest.raises(InputError, match=r"old\.json: model schema is 'soar.linkage.model/0'"):
        match(linked.left, linked.right, model=old)


def test_a_dedupe_model_is_refused_for_a_link(linked: Linked, tmp_path: Path) -> None:
    model = Model.load(linked.folder / "model.json")
    model.link_type = "dedupe"
    model.save(tmp_path / "dedupe.json")
    with pytest.raises(InputError, match="trained for a dedupe, not a link"):
        match(linked.left, linked.right, model=tmp_path / "dedupe.json")


def test_cli_reports_bad_input_in_one_line_and_writes_nothing(
    records: Callable[..., Path], tmp_path: Path
) -> None:
    bad = records("bad.csv", HEADER, GOOD + [GOOD[1]])
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(app, ["match", str(bad), str(bad), "--out", str(out)])
    # `soar.cli.main` turns an InputError into one line on stderr and exit code 2.
    assert isinstance(result.exception, InputError)
    assert result.exception.exit_code == 2
    assert "record_id is not unique" in str(result.exception)
    assert not out.exists()
    assert not list(tmp_path.glob(".pairs.csv*")), "a temporary file was left behind"


def test_a_uri_is_for_the_spark_engine(records: Callable[..., Path], tmp_path: Path) -> None:
    good = records("good.csv", HEADER, GOOD)
    with pytest.raises(InputError, match=r"s3a://bucket/registry\.parquet: .*--engine spark"):
        match("s3a://bucket/registry.parquet", good)
    with pytest.raises(InputError, match=r"hdfs://nn/out/pairs\.parquet: .*--engine spark"):
        match(good, good, out="hdfs://nn/out/pairs.parquet")
    # On the command line the URI arrives whole (a Path would fold `//` into `/`).
    result = CliRunner().invoke(
        app, ["match", "hdfs://nn/in/left.parquet", str(good), "--out", str(tmp_path / "p.csv")]
    )
    assert isinstance(result.exception, InputError) and result.exception.exit_code == 2
    assert str(result.exception).startswith("hdfs://nn/in/left.parquet: ")
    assert not (tmp_path / "p.csv").exists()
