"""Step 1 — read and check the input files, then standardise every record once.

Reading and checking are SQL; the name, date and identifier standardisation is Python
(`soar.standardize`) with a cache per distinct value, because transliteration and
phonetic keys have no SQL spelling that every engine shares.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa

from soar.errors import InputError
from soar.linkage.comparisons import comparisons_for
from soar.linkage.job import LinkJob
from soar.schema import PERSON_FIELDS
from soar.standardize import (
    clear_caches,
    fold,
    name_features,
    normalise_country,
    normalise_sex,
    parse_date,
)

NAME = "standardise"
#: Fields that can be compared: every canonical person field but the id and the fingerprint
#: id (a biometric reference, not something to match on text).
COMPARABLE = tuple(f for f in PERSON_FIELDS if f not in {"record_id", "fingerprint_id"})
_IDENTIFIER_FIELDS = ("a_number", "fbi_number", "state_id", "ssn", "passport_number")

#: Name columns made in Python, one row per record (see `soar.standardize.names`).
NAME_SCHEMA = pa.schema(
    [  # type: ignore[arg-type]  # pyarrow-stubs reject list_ types in tuples
        ("rid", pa.int64()),
        ("name_first", pa.string()),
        ("name_first_canon", pa.string()),
        ("name_last", pa.string()),
        ("name_last_key", pa.string()),
        ("name_first_phonetic", pa.string()),
        ("name_last_phonetic", pa.string()),
        ("name_full", pa.string()),
        ("name_key", pa.string()),
        ("name_middle", pa.string()),
        ("name_forms", pa.list_(pa.string())),
        ("name_parts", pa.list_(pa.string())),
        ("name_block_keys", pa.list_(pa.string())),
        ("name_phonetic_keys", pa.list_(pa.string())),
        ("name_initials", pa.list_(pa.string())),
    ]
)
#: Date-of-birth columns, made once per distinct raw value.
DOB_SCHEMA = pa.schema(
    [  # type: ignore[arg-type]
        ("raw", pa.string()),
        ("dob", pa.string()),
        ("dob_full", pa.bool_()),
        ("dob_year", pa.int32()),
        ("dob_month", pa.int32()),
        ("dob_day", pa.int32()),
        ("dob_date", pa.date32()),
        ("dob_digits", pa.string()),
    ]
)
_ADDRESS_COLUMNS = (
    ("street_number", "addr_street_number"),
    ("street", "addr_street"),
    ("address_line2", "addr_line2"),
    ("city", "addr_city"),
    ("state", "addr_state"),
)


def fold_text_sql(column: str) -> str:
    """SQL twin of `soar.standardize.fold_text` for Latin-script text (addresses)."""
    joined = f"regexp_replace({column}, '[''`\u2019\u02bc]', '', 'g')"
    spaced = f"regexp_replace(upper(strip_accents({joined})), '[^A-Z0-9]+', ' ', 'g')"
    return f"nullif(trim({spaced}), '')"


def identifier_sql(column: str) -> str:
    """SQL twin of `soar.standardize.normalise_identifier`."""
    cleaned = f"regexp_replace(upper({column}), '[^A-Z0-9]+', '', 'g')"
    unprefixed = (
        f"CASE WHEN regexp_full_match({cleaned}, 'A[0-9]+') THEN substr({cleaned}, 2) "
        f"ELSE {cleaned} END"
    )
    return f"nullif(ltrim({unprefixed}, '0'), '')"


def standard_sql(side: str, first_rid: int) -> str:
    """Join the record, its names, its parsed DOB and normalised codes into `std_<side>`."""
    columns = [
        "b.rid",
        "b.record_id",
        *[f"n.{name}" for name in NAME_SCHEMA.names[1:]],
        *[f"d.{name}" for name in DOB_SCHEMA.names[1:]],
        *[f"{identifier_sql(f'b.{f}')} AS id_{f}" for f in _IDENTIFIER_FIELDS],
        "sx.value AS sex",
        "bc.value AS birth_country",
        "cc.value AS citizenship_country",
        *[f"{fold_text_sql(f'b.{f}')} AS {column}" for f, column in _ADDRESS_COLUMNS],
        f"{identifier_sql('b.postcode')} AS addr_postcode",
    ]
    select = ",\n  ".join(columns)
    return (
        f"CREATE OR REPLACE TABLE std_{side} AS\nSELECT\n  {select}\n"
        f"FROM (SELECT row_number() OVER (ORDER BY record_id) - 1 + {first_rid} AS rid, * "
        f"FROM raw_{side}) b\n"
        f"JOIN names_{side} n ON n.rid = b.rid\n"
        "LEFT JOIN dob_map d ON d.raw = b.dob\n"
        "LEFT JOIN code_map sx ON sx.kind = 'sex' AND sx.raw = b.sex\n"
        "LEFT JOIN code_map bc ON bc.kind = 'country' AND bc.raw = b.birth_country\n"
        "LEFT JOIN code_map cc ON cc.kind = 'country' AND cc.raw = b.citizenship_country"
    )


def describe_sql(source: str) -> str:
    """The columns of an input file."""
    return f"DESCRIBE SELECT * FROM {source}"


def load_sql(source: str, table: str, columns: frozenset[str]) -> str:
    """Copy an input into `table` with every canonical field, empty text as NULL."""
    projections = ["trim(CAST(record_id AS VARCHAR)) AS record_id"]
    for name in COMPARABLE:
        if name in columns:
            projections.append(f"NULLIF(trim(CAST({name} AS VARCHAR)), '') AS {name}")
        else:
            projections.append(f"CAST(NULL AS VARCHAR) AS {name}")
    select = ",\n  ".join(projections)
    return f"CREATE OR REPLACE TABLE {table} AS\nSELECT\n  {select}\nFROM {source}"


def check_sql(table: str) -> str:
    """Row count, missing ids, duplicate ids (with one example) and filled count per field."""
    filled = ", ".join(f"count({name})" for name in COMPARABLE)
    return (
        f"SELECT count(*), count(*) - count(NULLIF(record_id, '')), "
        f"count(*) - count(DISTINCT record_id), "
        f"(SELECT min(record_id) FROM (SELECT record_id FROM {table} GROUP BY record_id "
        f"HAVING count(*) > 1)), {filled} FROM {table}"
    )


def _load(job: LinkJob, path: Path, table: str) -> tuple[int, frozenset[str]]:
    """Load one input file; return its row count and the fields it fills."""
    if not path.exists():
        raise InputError(f"{path}: no such file; give the path of a CSV or Parquet file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty; it needs a header row and records")
    # Describing binds the reader (it sniffs a sample), then only canonical columns load:
    # a wide extract is never held whole.
    source = job.engine.read_sql(path)
    columns = {str(row[0]).strip() for row in job.engine.fetch(describe_sql(source))}
    if "record_id" not in columns:
        raise InputError(
            f"{path}: no 'record_id' column (found: {', '.join(sorted(columns))}); every record "
            "needs a unique record_id, with canonical column names (see soar.schema)"
        )
    job.engine.execute(load_sql(source, table, frozenset(columns)))
    row = job.engine.fetch(check_sql(table))[0]
    count, missing_ids, duplicates, example = row[0], row[1], row[2], row[3]
    if count == 0:
        raise InputError(f"{path}: the file has a header but no records")
    if missing_ids:
        raise InputError(f"{path}: {missing_ids} record(s) have an empty record_id; fill them")
    if duplicates:
        raise InputError(
            f"{path}: record_id is not unique ({duplicates} duplicate(s), e.g. '{example}'); "
            "each record needs its own id"
        )
    filled = frozenset(name for name, n in zip(COMPARABLE, row[4:], strict=True) if n)
    return int(count), filled


def dob_table(values: list[str | None]) -> pa.Table:
    """DOB columns for each distinct raw value (DOB_SCHEMA)."""
    rows: dict[str, list[Any]] = {name: [] for name in DOB_SCHEMA.names}
    for raw in values:
        parsed = parse_date(raw)
        if raw is None or parsed is None:
            continue
        digits = None
        real_date = None
        if parsed.is_full:
            digits = f"{parsed.year:04d}{parsed.month:02d}{parsed.day:02d}"
            if parsed.is_valid_calendar_date:
                real_date = date(parsed.year, parsed.month or 1, parsed.day or 1)
        for name, value in zip(
            DOB_SCHEMA.names,
            (
                raw,
                parsed.iso,
                parsed.is_full,
                parsed.year,
                parsed.month,
                parsed.day,
                real_date,
                digits,
            ),
            strict=True,
        ):
            rows[name].append(value)
    return pa.table(rows, schema=DOB_SCHEMA)


def code_table(sexes: list[str | None], countries: list[str | None]) -> pa.Table:
    """Normalised sex and country codes for each distinct raw value."""
    kinds: list[str] = []
    raws: list[str] = []
    values: list[str | None] = []
    for kind, raw_values, normalise in (
        ("sex", sexes, normalise_sex),
        ("country", countries, normalise_country),
    ):
        for raw in raw_values:
            if raw is not None:
                kinds.append(kind)
                raws.append(raw)
                values.append(normalise(raw))
    return pa.table({"kind": kinds, "raw": raws, "value": values})


def name_table(raw: pa.Table, first_rid: int) -> pa.Table:
    """Name columns (NAME_SCHEMA) for records ordered by record_id."""
    first, middle, last, second, aliases = (
        raw.column(name).to_pylist()
        for name in ("first_name", "middle_name", "last_name", "second_last_name", "aliases")
    )
    features = [
        name_features(*row) for row in zip(first, middle, last, second, aliases, strict=True)
    ]
    return pa.table(
        {
            "rid": list(range(first_rid, first_rid + len(features))),
            "name_first": [f.first for f in features],
            "name_first_canon": [f.first_canon for f in features],
            "name_last": [f.last for f in features],
            "name_last_key": [f.last_key for f in features],
            "name_first_phonetic": [f.first_phonetic for f in features],
            "name_last_phonetic": [f.last_phonetic for f in features],
            "name_full": [f.full for f in features],
            # Given name with the first surname part: how common `JOSE GARCIA` is, whatever
            # second surname follows; the frequency key of the looser name levels.
            "name_key": [
                f"{f.first_canon}|{f.parts[0]}" if f.first_canon and f.parts else None
                for f in features
            ],
            "name_middle": [fold(value) for value in middle],
            "name_forms": [f.forms for f in features],
            "name_parts": [f.parts for f in features],
            "name_block_keys": [f.block_keys for f in features],
            "name_phonetic_keys": [f.phonetic_keys for f in features],
            "name_initials": [f.initials for f in features],
        },
        schema=NAME_SCHEMA,
    )


#: Records standardised per batch of Python work.
NAME_CHUNK = 10_000


def _distinct(engine_fetch: Any, sql: str) -> list[str | None]:
    return [row[0] for row in engine_fetch(sql)]


def run(job: LinkJob) -> None:
    """Load, check and standardise the inputs into tables `std_l` and `std_r`."""
    job.report(0, 2, "reading records")
    job.left_count, left_fields = _load(job, job.left, "raw_l")
    if job.right is not None:
        job.right_count, right_fields = _load(job, job.right, "raw_r")
        job.fields = left_fields & right_fields
    else:
        job.right_count, job.fields = job.left_count, left_fields
    if job.model is None:
        job.comparisons = comparisons_for(job.fields)
        if not job.comparisons:
            inputs = f"{job.left} and {job.right}" if job.right else str(job.left)
            raise InputError(
                f"{inputs}: no field to compare (both sides need one of: "
                f"{', '.join(COMPARABLE)}), filled in at least one record"
            )
    job.report(1, 2, "standardising names and dates")
    sides = [("l", 0)] + ([("r", job.left_count)] if job.right is not None else [])
    tables = " UNION ALL ".join(f"SELECT * FROM raw_{side}" for side, _ in sides)
    fetch = job.engine.fetch
    job.engine.register(
        "dob_map", dob_table(_distinct(fetch, f"SELECT DISTINCT dob FROM ({tables})"))
    )
    job.engine.register(
        "code_map",
        code_table(
            _distinct(fetch, f"SELECT DISTINCT sex FROM ({tables})"),
            _distinct(
                fetch,
                f"SELECT DISTINCT country FROM (SELECT birth_country AS country FROM ({tables}) "
                f"UNION ALL SELECT citizenship_country FROM ({tables}))",
            ),
        ),
    )
    for side, first_rid in sides:
        names = job.engine.fetch_arrow(
            "SELECT first_name, middle_name, last_name, second_last_name, aliases "
            f"FROM raw_{side} ORDER BY record_id"
        )
        # In chunks, so that the Python objects of one chunk at a time are alive.
        for start in range(0, max(names.num_rows, 1), NAME_CHUNK):
            chunk = name_table(names.slice(start, NAME_CHUNK), first_rid + start)
            if start == 0:
                job.engine.register(f"names_{side}", chunk)
            else:
                job.engine.register("names_chunk", chunk)
                job.engine.execute(f"INSERT INTO names_{side} SELECT * FROM names_chunk")
        del names
        job.engine.execute(standard_sql(side, first_rid))
    if job.right is None:
        job.engine.execute("CREATE OR REPLACE VIEW std_r AS SELECT * FROM std_l")
    # What the later steps never read goes now: at national scale it is gigabytes.
    dropped = ["dob_map", "code_map", "names_chunk", *(f"names_{side}" for side, _ in sides)]
    if not job.keep_raw:
        dropped += [f"raw_{side}" for side, _ in sides]
    for table in dropped:
        job.engine.execute(f"DROP TABLE IF EXISTS {table}")
    clear_caches()
    job.report(2, 2, "standardised")
