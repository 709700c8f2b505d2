"""Reading and writing result files, never leaving a half-written file behind."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from soar.errors import InputError

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_uri(path: str | Path) -> bool:
    """Whether `path` is a URI (`hdfs://…`, `s3a://…`, `file:///…`) rather than a local path.

    A `Path` can never be one: it folds `//` to `/`, which is why URIs travel as text.
    """
    return isinstance(path, str) and _URI.match(path) is not None


def input_path(path: str | Path) -> str | Path:
    """A local file as a `Path`; a URI kept as its text for an engine that reads URIs."""
    return path if is_uri(path) else Path(path)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temp file beside `path` to write to; renamed onto `path` only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent
    )
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_table(table: pa.Table, path: Path) -> None:
    """Write `table` by the suffix of `path` (.csv or .parquet), atomically."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".parquet"}:
        raise InputError(f"{path}: write a .csv or .parquet file, not '{suffix or 'no suffix'}'")
    with atomic_path(path) as temp:
        if suffix == ".csv":
            pa_csv.write_csv(table, temp)
        else:
            pq.write_table(table, temp)


def read_table(path: Path, columns: tuple[str, ...]) -> pa.Table:
    """Read a CSV or Parquet file, ids as text, checking the named columns are there."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        table = pq.read_table(path)
    elif suffix == ".csv":
        try:
            table = pa_csv.read_csv(
                path,
                convert_options=pa_csv.ConvertOptions(
                    column_types={c: pa.string() for c in columns if c.endswith("_id")}
                ),
            )
        except pa.ArrowInvalid as error:
            raise InputError(f"{path}: not a readable CSV file ({error})") from error
    else:
        raise InputError(f"{path}: give a .csv or .parquet file, not '{suffix}'")
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} "
            f"(found: {', '.join(table.column_names)})"
        )
    return table
