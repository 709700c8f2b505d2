"""Step 1 — read and check the input files, then standardise every record once.

Reading and checking are SQL. Transliteration, phonetic keys, nicknames and date parsing
are Python (`soar.standardize`), because they have no SQL spelling that every engine
shares; they run once per distinct value (a first name, a surname, an aliases field), and
SQL puts each record's names together from those pieces.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from soar.errors import InputError
from soar.linkage.comparisons import comparisons_for
from soar.linkage.engines.base import Engine, execute_all
from soar.linkage.job import LinkJob
from soar.schema import PERSON_FIELDS
from soar.standardize import (
    alias_features,
    clear_caches,
    father_name,
    fold,
    formal_spelling,
    given_features,
    joined_given_readings,
    normalise_country,
    normalise_sex,
    normalise_state,
    parse_date,
    phonetic_key,
    surname_features,
    surname_parts,
)
from soar.standardize.romanisation import MAX_READINGS

NAME = "standardise"
#: Fields that can be compared: every canonical person field but the id and the fingerprint
#: id (a biometric reference, not something to match on text).
COMPARABLE = tuple(f for f in PERSON_FIELDS if f not in {"record_id", "fingerprint_id"})
_IDENTIFIER_FIELDS = ("a_number", "fbi_number", "state_id", "ssn", "passport_number")

#: Name columns of each record (`names_sql`; the same as `soar.standardize.name_features`).
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
        ("name_romanised", pa.list_(pa.string())),
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
)


def fold_text_sql(column: str) -> str:
    """SQL twin of `soar.standardize.fold_text` for Latin-script text (addresses)."""
    joined = f"regexp_replace({column}, '[''`\u2019\u02bc]', '', 'g')"
    spaced = f"regexp_replace(upper(strip_accents({joined})), '[^A-Z0-9]+', ' ', 'g')"
    return f"nullif(trim({spaced}), '')"


def identifier_sql(column: str) -> str:
    """SQL twin of `soar.standardize.normalise_identifier`."""
    cleaned = f"regexp_replace(upper({column}), '[^A-Z0-9]+', '', 'g')"
    # One pattern drops the A of an A-number: each regex pass over 200k records costs.
    unprefixed = f"regexp_replace({cleaned}, '^A([0-9]+)$', '\\1')"
    return f"nullif(ltrim({unprefixed}, '0'), '')"


def standard_sql(side: str, first_rid: int = 0) -> str:
    """Join the record, its names, its parsed DOB and normalised codes into `std_<side>`.

    Each side's raw records are numbered from 0; `first_rid` shifts the right side's
    numbers past the left's, so that a rid names one record of the run.
    """
    columns = [
        f"b.rid + {first_rid} AS rid" if first_rid else "b.rid",
        "b.record_id",
        *[f"n.{name}" for name in NAME_SCHEMA.names[1:]],
        *SPELLING_COLUMNS,
        *[f"d.{name}" for name in DOB_SCHEMA.names[1:]],
        *[f"{identifier_sql(f'b.{f}')} AS id_{f}" for f in _IDENTIFIER_FIELDS],
        "sx.value AS sex",
        "bc.value AS birth_country",
        "cc.value AS citizenship_country",
        *[f"{fold_text_sql(f'b.{f}')} AS {column}" for f, column in _ADDRESS_COLUMNS],
        # TEXAS and TX are one state; text no state table knows stays as written, folded.
        f"coalesce(st.value, {fold_text_sql('b.state')}) AS addr_state",
        f"{identifier_sql('b.postcode')} AS addr_postcode",
    ]
    select = ",\n  ".join(columns)
    return (
        f"CREATE OR REPLACE TABLE std_{side} AS\nSELECT\n  {select}\n"
        f"FROM raw_{side} b\n"
        f"JOIN ({names_sql(side)}) n ON n.rid = b.rid\n"
        f"{SPELLING_JOINS}\n"
        "LEFT JOIN dob_map d ON d.raw = b.dob\n"
        "LEFT JOIN code_map sx ON sx.kind = 'sex' AND sx.raw = b.sex\n"
        "LEFT JOIN code_map bc ON bc.kind = 'country' AND bc.raw = b.birth_country\n"
        "LEFT JOIN code_map cc ON cc.kind = 'country' AND cc.raw = b.citizenship_country\n"
        "LEFT JOIN code_map st ON st.kind = 'state' AND st.raw = b.state"
    )


def describe_sql(source: str) -> str:
    """The columns of an input file."""
    return f"DESCRIBE SELECT * FROM {source}"


def load_sql(source: str, table: str, columns: frozenset[str]) -> str:
    """Copy an input into `table` with every canonical field, empty text as NULL.

    `rid`, the record's number in its file, follows record_id order from 0 (`standard_sql`
    shifts the right side's past the left's): made here once, as sorting the records again
    in each later statement costs as much as reading the file.
    """
    projections = ["trim(CAST(record_id AS VARCHAR)) AS record_id"]
    for name in COMPARABLE:
        if name in columns:
            projections.append(f"NULLIF(trim(CAST({name} AS VARCHAR)), '') AS {name}")
        else:
            projections.append(f"CAST(NULL AS VARCHAR) AS {name}")
    select = ",\n  ".join(projections)
    return (
        f"CREATE OR REPLACE TABLE {table} AS\n"
        "SELECT row_number() OVER (ORDER BY record_id) - 1 AS rid, *\n"
        f"FROM (SELECT\n  {select}\nFROM {source})"
    )


def check_sql(table: str) -> str:
    """Row count, missing ids, duplicate ids (with one example) and filled count per field."""
    filled = ", ".join(f"count({name})" for name in COMPARABLE)
    return (
        f"SELECT count(*), count(*) - count(NULLIF(record_id, '')), "
        f"count(*) - count(DISTINCT record_id), "
        f"(SELECT min(record_id) FROM (SELECT record_id FROM {table} GROUP BY record_id "
        f"HAVING count(*) > 1)), {filled} FROM {table}"
    )


def _source(job: LinkJob, path: Path | str) -> tuple[str, frozenset[str]]:
    """The FROM expression reading one input file, and its columns; refuse unusable files."""
    if isinstance(path, Path):
        if not path.exists():
            raise InputError(f"{path}: no such file; give the path of a CSV or Parquet file")
        if path.stat().st_size == 0:
            raise InputError(f"{path}: the file is empty; it needs a header row and records")
    # Describing binds the reader (it sniffs a sample), then only canonical columns load:
    # a wide extract is never held whole. A URI is the engine's to find (Spark: Hadoop).
    try:
        source = job.engine.read_sql(path)
    except InputError:
        raise
    except Exception as error:
        if isinstance(path, Path):
            raise
        raise InputError(f"{path}: cannot be read ({error}); check the URI and access") from error
    columns = {str(row[0]).strip() for row in job.engine.fetch(describe_sql(source))}
    if "record_id" not in columns:
        raise InputError(
            f"{path}: no 'record_id' column (found: {', '.join(sorted(columns))}); every record "
            "needs a unique record_id, with canonical column names (see soar.schema)"
        )
    return source, frozenset(columns)


def _check(job: LinkJob, path: Path | str, table: str) -> tuple[int, frozenset[str]]:
    """Check one loaded input; return its row count and the fields it fills."""
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


def _load(job: LinkJob) -> None:
    """Load and check the inputs into `raw_l` (and `raw_r`); set the counts and fields.

    Both files load at once, each numbered from 0 (`standard_sql` shifts the right side).
    """
    paths = [job.left] + ([job.right] if job.right is not None else [])
    sources = [_source(job, path) for path in paths]
    execute_all(
        job.engine,
        [
            load_sql(source, f"raw_{side}", columns)
            for (source, columns), side in zip(sources, "lr", strict=False)
        ],
    )
    job.left_count, left_fields = _check(job, job.left, "raw_l")
    if job.right is not None:
        job.right_count, right_fields = _check(job, job.right, "raw_r")
        job.fields = left_fields & right_fields
    else:
        job.right_count, job.fields = job.left_count, left_fields


#: The common spelling of a full date, parsed for all values at once (`dob_table`); any
#: other spelling goes through `soar.standardize.parse_date` one value at a time.
_ISO_FULL = r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$"


def dob_table(values: list[str | None]) -> pa.Table:
    """DOB columns for each distinct raw value (DOB_SCHEMA).

    `YYYY-MM-DD` values (nearly all, at national scale millions) are parsed with Arrow
    kernels; the rest one by one in Python. Both give what `parse_date` gives.
    """
    # Typed loosely: pyarrow-stubs' overloads reject the array-and-scalar calls below.
    compute: Any = pc
    raw = pa.array([v for v in values if v is not None], pa.string())
    parts = compute.extract_regex(compute.utf8_trim_whitespace(raw), _ISO_FULL)
    matched = compute.is_valid(parts)
    found = compute.filter(parts, matched)
    year = compute.cast(found.field("year"), pa.int32())
    month = compute.cast(found.field("month"), pa.int32())
    day = compute.cast(found.field("day"), pa.int32())
    # Out of range is no date at all, as in `parse_date`.
    fast = compute.and_(
        compute.and_(compute.greater_equal(month, 1), compute.less_equal(month, 12)),
        compute.and_(compute.greater_equal(day, 1), compute.less_equal(day, 31)),
    )
    year_text = compute.filter(found.field("year"), fast)
    month_text = compute.utf8_lpad(compute.filter(found.field("month"), fast), 2, "0")
    day_text = compute.utf8_lpad(compute.filter(found.field("day"), fast), 2, "0")
    iso = compute.binary_join_element_wise(year_text, month_text, day_text, "-")
    # strptime rolls 1980-02-30 over to March: a date is real when it prints back the same
    # (and is after year 0, which Python's dates lack).
    parsed = compute.strptime(iso, "%Y-%m-%d", "s", error_is_null=True)
    real = compute.and_(
        compute.equal(compute.strftime(parsed, "%Y-%m-%d"), iso),
        compute.greater_equal(compute.filter(year, fast), 1),
    )
    fast_table = pa.table(
        [
            compute.filter(compute.filter(raw, matched), fast),
            iso,
            pa.array([True] * len(iso), pa.bool_()),
            compute.filter(year, fast),
            compute.filter(month, fast),
            compute.filter(day, fast),
            compute.if_else(real, compute.cast(parsed, pa.date32()), pa.scalar(None, pa.date32())),
            compute.binary_join_element_wise(year_text, month_text, day_text, ""),
        ],
        schema=DOB_SCHEMA,
    )
    slow = [v for v in compute.filter(raw, compute.invert(matched)).to_pylist() if v is not None]
    return pa.concat_tables([fast_table, _dob_rows(slow)])


def _dob_rows(values: list[str]) -> pa.Table:
    """DOB columns for values in any spelling `parse_date` reads, one at a time."""
    rows: dict[str, list[Any]] = {name: [] for name in DOB_SCHEMA.names}
    for raw in values:
        parsed = parse_date(raw)
        if parsed is None:
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


def _country_code(raw: str | None) -> str | None:
    # A country no ISO code names (`U.S.S.R.`, `POLSKA`) is unknown, not a disagreement.
    code = normalise_country(raw)
    return code if code is not None and len(code) == 3 and code.isalpha() else None


def code_table(
    sexes: list[str | None], countries: list[str | None], states: list[str | None]
) -> pa.Table:
    """Normalised sex, country and US state codes for each distinct raw value."""
    kinds: list[str] = []
    raws: list[str] = []
    values: list[str | None] = []
    for kind, raw_values, normalise in (
        ("sex", sexes, normalise_sex),
        ("country", countries, _country_code),
        ("state", states, normalise_state),
    ):
        for raw in raw_values:
            if raw is not None:
                kinds.append(kind)
                raws.append(raw)
                values.append(normalise(raw))
    return pa.table({"kind": kinds, "raw": raws, "value": values})


#: Name pieces made in Python once per distinct value (`soar.standardize.names`); the
#: names of each record are then put together from them in SQL (`names_sql`).
_LIST = pa.list_(pa.string())
FOLD_SCHEMA = pa.schema([("raw", pa.string()), ("folded", pa.string())])
GIVEN_SCHEMA = pa.schema(
    [
        ("first", pa.string()),
        ("given", pa.string()),
        ("given_tokens", _LIST),
        ("given_sounds", _LIST),
        ("given_forms", _LIST),
        ("token_forms", _LIST),
        ("first_phonetic", pa.string()),
        ("given_readings", _LIST),
    ]
)
JOINED_GIVEN_SCHEMA = pa.schema([("joined", pa.string()), ("readings", _LIST)])
SURNAME_SCHEMA = pa.schema(
    [
        ("surname", pa.string()),
        ("parts", _LIST),
        ("part_sounds", _LIST),
        ("part_forms", _LIST),
        ("last_key", pa.string()),
        ("last_phonetic", pa.string()),
        ("surname_readings", _LIST),
    ]
)
ALIAS_SCHEMA = pa.schema(
    [
        ("raw", pa.string()),
        ("forms", _LIST),
        ("block_keys", _LIST),
        ("phonetic_keys", _LIST),
    ]
)
_NAME_FIELDS = ("first_name", "middle_name", "last_name", "second_last_name")


def fold_table(values: list[str | None]) -> pa.Table:
    """Each distinct raw name value with its folded form (FOLD_SCHEMA)."""
    raws = [v for v in values if v is not None]
    return pa.table({"raw": raws, "folded": [fold(v) for v in raws]}, schema=FOLD_SCHEMA)


def given_table(firsts: list[str | None]) -> pa.Table:
    """Given-name pieces for each distinct folded first name (GIVEN_SCHEMA)."""
    rows: dict[str, list[Any]] = {name: [] for name in GIVEN_SCHEMA.names}
    for first in firsts:
        if first is None:
            continue
        g = given_features(first)
        values = (
            first,
            g.given,
            g.tokens,
            g.token_sounds,
            g.given_forms,
            g.token_forms,
            phonetic_key(g.given) if g.given else None,
            g.readings,
        )
        for name, value in zip(GIVEN_SCHEMA.names, values, strict=True):
            rows[name].append(value)
    return pa.table(rows, schema=GIVEN_SCHEMA)


def joined_given_table(joined: list[str | None]) -> pa.Table:
    """Readings of each distinct `first middle` read as one Chinese given name
    (JOINED_GIVEN_SCHEMA; `soar.standardize.names.joined_given_readings`)."""
    values = [v for v in joined if v is not None]
    readings = [joined_given_readings(*v.split(" | ", 1)) for v in values]
    return pa.table({"joined": values, "readings": readings}, schema=JOINED_GIVEN_SCHEMA)


def surname_table(surnames: list[str | None]) -> pa.Table:
    """Surname pieces for each distinct folded surname (SURNAME_SCHEMA)."""
    rows: dict[str, list[Any]] = {name: [] for name in SURNAME_SCHEMA.names}
    for surname in surnames:
        if not surname:
            continue
        s = surname_features(surname)
        values = (surname, s.parts, s.part_sounds, s.part_forms, s.key, s.phonetic, s.readings)
        for name, value in zip(SURNAME_SCHEMA.names, values, strict=True):
            rows[name].append(value)
    return pa.table(rows, schema=SURNAME_SCHEMA)


def alias_table(values: list[str | None]) -> pa.Table:
    """Forms and keys of each distinct raw aliases field (ALIAS_SCHEMA)."""
    rows: dict[str, list[Any]] = {name: [] for name in ALIAS_SCHEMA.names}
    for raw in values:
        if raw is None:
            continue
        a = alias_features(raw)
        for name, value in zip(
            ALIAS_SCHEMA.names, (raw, a.forms, a.block_keys, a.phonetic_keys), strict=True
        ):
            rows[name].append(value)
    return pa.table(rows, schema=ALIAS_SCHEMA)


def folded_names_sql(side: str) -> str:
    """Create `folded_<side>`: each record's folded first, middle and joined surname."""
    return (
        f"CREATE OR REPLACE TABLE folded_{side} AS\n"
        "SELECT b.rid, f.folded AS first, m.folded AS middle,\n"
        "  nullif(concat_ws(' ', l.folded, s.folded), '') AS surname, b.aliases\n"
        f"FROM raw_{side} b\n"
        "LEFT JOIN fold_map f ON f.raw = b.first_name\n"
        "LEFT JOIN fold_map m ON m.raw = b.middle_name\n"
        "LEFT JOIN fold_map l ON l.raw = b.last_name\n"
        "LEFT JOIN fold_map s ON s.raw = b.second_last_name"
    )


#: The key of `joined_given_map`: a record's folded first and middle name (" | " cannot
#: occur inside a folded name).
_JOINED = "x.first || ' | ' || x.middle"


def _ordered_distinct(column: str) -> str:
    # Keeps first occurrences in order, as Python's dict.fromkeys does.
    return f"list_filter({column}, lambda x, i: list_position({column}, x) = i)"


def _pair_keys(tokens: str, parts: str) -> str:
    # Every token with every part, order-free (`soar.standardize.names._pair_key`).
    return (
        f"flatten(list_transform({tokens}, lambda t: list_transform({parts}, lambda p: "
        "CASE WHEN t <= p THEN t || '|' || p ELSE p || '|' || t END)))"
    )


def names_sql(side: str) -> str:
    """The names (NAME_SCHEMA) of `folded_<side>`'s records, from the pieces' tables.

    The same composition as `soar.standardize.name_features`, which the tests hold it to.
    """
    empty = "CAST([] AS VARCHAR[])"
    pieces = (
        "SELECT x.rid, x.first, x.middle, x.surname, g.given, g.first_phonetic, "
        "s.last_key, s.last_phonetic, "
        f"coalesce(g.given_tokens, {empty}) AS given_tokens, "
        f"coalesce(g.given_sounds, {empty}) AS given_sounds, "
        f"coalesce(g.given_forms, {empty}) AS given_forms, "
        f"coalesce(g.token_forms, {empty}) AS token_forms, "
        f"coalesce(g.given_readings, {empty}) AS given_readings, "
        f"coalesce(s.surname_readings, {empty}) AS surname_readings, "
        f"coalesce(j.readings, {empty}) AS joined_readings, "
        f"coalesce(s.parts, {empty}) AS parts, "
        f"coalesce(s.part_sounds, {empty}) AS part_sounds, "
        f"coalesce(s.part_forms, {empty}) AS part_forms, "
        f"coalesce(a.forms, {empty}) AS alias_forms, "
        f"coalesce(a.block_keys, {empty}) AS alias_keys, "
        f"coalesce(a.phonetic_keys, {empty}) AS alias_sounds "
        f"FROM folded_{side} x "
        "LEFT JOIN given_map g ON g.first = x.first "
        "LEFT JOIN surname_map s ON s.surname = x.surname "
        f"LEFT JOIN joined_given_map j ON j.joined = {_JOINED} "
        "LEFT JOIN alias_map a ON a.raw = x.aliases"
    )
    has_name = "(given IS NOT NULL OR len(parts) > 0)"
    # part_forms is sorted and distinct already and given_forms holds at most one name, so
    # the first form needs no list_distinct (the costliest list call here).
    first_form = (
        "CASE WHEN len(given_forms) = 0 OR list_contains(part_forms, given_forms[1]) "
        "THEN array_to_string(part_forms, ' ') "
        "ELSE array_to_string(list_sort(part_forms || given_forms), ' ') END"
    )
    # `soar.standardize.names.romanised_keys`: every reading of the given name with every
    # reading of the surname, unless the name is too ambiguous to read.
    # A first and middle name read as one given name (`JUN | JIE`) add theirs.
    romanised = " || ".join(
        f"CASE WHEN len({given}) > 0 AND len(surname_readings) > 0 AND "
        f"len({given}) * len(surname_readings) <= {MAX_READINGS} THEN "
        f"{_pair_keys(given, 'surname_readings')} ELSE {empty} END"
        for given in ("given_readings", "joined_readings")
    )
    lists = (
        f"SELECT *, {romanised} AS romanised, "
        f"CASE WHEN {has_name} THEN [{first_form}] ELSE "
        f"{empty} END || CASE WHEN {has_name} AND len(given_tokens) > 1 THEN "
        "[array_to_string(list_sort(list_distinct(token_forms || part_forms)), ' ')] "
        f"ELSE {empty} END || alias_forms AS all_forms, "
        f"{_pair_keys('given_tokens', 'parts')} || alias_keys || {romanised} AS all_keys, "
        f"{_pair_keys('given_sounds', 'part_sounds')} || alias_sounds AS all_sounds "
        f"FROM ({pieces})"
    )
    columns = [
        "rid",
        "first AS name_first",
        "given AS name_first_canon",
        "surname AS name_last",
        "last_key AS name_last_key",
        "first_phonetic AS name_first_phonetic",
        "last_phonetic AS name_last_phonetic",
        "first || ' ' || surname AS name_full",
        # Given name with the first surname part: how common `JOSE GARCIA` is, whatever
        # second surname follows; the frequency key of the looser name levels.
        "CASE WHEN given IS NOT NULL AND len(parts) > 0 THEN given || '|' || parts[1] END "
        "AS name_key",
        "middle AS name_middle",
        f"{_ordered_distinct('all_forms')} AS name_forms",
        "parts AS name_parts",
        f"{_ordered_distinct('all_keys')} AS name_block_keys",
        f"{_ordered_distinct('all_sounds')} AS name_phonetic_keys",
        "list_sort(list_distinct(CASE WHEN given IS NOT NULL THEN [substr(given, 1, 1)] "
        f"ELSE {empty} END || list_transform(parts, lambda p: substr(p, 1, 1)))) "
        "AS name_initials",
        f"{_ordered_distinct('romanised')} AS name_romanised",
    ]
    select = ",\n  ".join(columns)
    return f"SELECT\n  {select}\nFROM ({lists})"


#: Romanisation keys (`soar.standardize.transliteration`), made once per distinct folded
#: first name, surname and middle name like the other name pieces.
GIVEN_SPELLING_SCHEMA = pa.schema([("first", pa.string()), ("key", pa.string())])
SURNAME_SPELLING_SCHEMA = pa.schema([("surname", pa.string()), ("part_keys", _LIST)])
FATHER_SCHEMA = pa.schema([("middle", pa.string()), ("father", pa.string())])
#: Columns of `std_<side>` made from them. The order-free spelling form (given name and
#: surname parts) meets a name written in another system and order (`IVANOFF HENNADIY` and
#: `GENNADY IVANOV`).
SPELLING_COLUMNS = (
    "CASE WHEN gs.key IS NOT NULL AND len(ss.part_keys) > 0 THEN "
    "array_to_string(list_sort(list_distinct(ss.part_keys || [gs.key])), ' ') END "
    "AS name_spelling_form",
    "fm.father AS name_middle_father",
    # Each surname part in one romanisation: PETROFF and PETROV are one family name.
    "ss.part_keys AS name_surname_spellings",
)
#: How `SPELLING_COLUMNS` find their rows, from the names `n` of `names_sql`.
SPELLING_JOINS = (
    "LEFT JOIN given_spelling_map gs ON gs.first = n.name_first\n"
    "LEFT JOIN surname_spelling_map ss ON ss.surname = n.name_last\n"
    "LEFT JOIN father_map fm ON fm.middle = n.name_middle"
)


def given_spelling_table(firsts: list[str | None]) -> pa.Table:
    """Spelling key of the formal form of each folded first name's first token."""
    rows = [first for first in firsts if first]
    keys = [formal_spelling(first.split(" ")[0]) for first in rows]
    return pa.table({"first": rows, "key": keys}, schema=GIVEN_SPELLING_SCHEMA)


def surname_spelling_table(surnames: list[str | None]) -> pa.Table:
    """Spelling keys of each folded surname's parts (of their formal form, for swaps)."""
    rows = [surname for surname in surnames if surname]
    return pa.table(
        {
            "surname": rows,
            "part_keys": [[formal_spelling(p) for p in surname_parts(s)] for s in rows],
        },
        schema=SURNAME_SPELLING_SCHEMA,
    )


def father_table(middles: list[str | None]) -> pa.Table:
    """The father's name (spelling key) of each folded middle name that is a patronymic."""
    rows = [middle for middle in middles if middle]
    return pa.table(
        {"middle": rows, "father": [father_name(m) for m in rows]}, schema=FATHER_SCHEMA
    )


def prepare_spellings(engine: Engine, sides: list[str]) -> None:
    """What `SPELLING_COLUMNS` read, from the folded names of `prepare_names`."""
    folded = " UNION ALL ".join(f"SELECT * FROM folded_{side}" for side in sides)
    for name, column, make, schema in (
        ("given_spelling_map", "first", given_spelling_table, GIVEN_SPELLING_SCHEMA),
        ("surname_spelling_map", "surname", surname_spelling_table, SURNAME_SPELLING_SCHEMA),
        ("father_map", "middle", father_table, FATHER_SCHEMA),
    ):
        engine.map_values(name, f"SELECT DISTINCT {column} FROM ({folded})", make, schema)


def _distinct(engine_fetch: Any, sql: str) -> list[str | None]:
    return [row[0] for row in engine_fetch(sql)]


def prepare_names(engine: Engine, sides: list[str]) -> None:
    """What `names_sql` reads: `folded_<side>` from `raw_<side>`, and the pieces' tables."""
    tables = " UNION ALL ".join(f"SELECT * FROM raw_{side}" for side in sides)
    name_values = " UNION ".join(
        f"SELECT {field} AS value FROM ({tables})" for field in _NAME_FIELDS
    )
    # map_values: the distinct values stay where the engine keeps them (Spark: executors).
    engine.map_values("fold_map", name_values, fold_table, FOLD_SCHEMA)
    execute_all(engine, [folded_names_sql(side) for side in sides])
    folded = " UNION ALL ".join(f"SELECT * FROM folded_{side}" for side in sides)
    engine.map_values(
        "given_map", f"SELECT DISTINCT first FROM ({folded})", given_table, GIVEN_SCHEMA
    )
    engine.map_values(
        "surname_map", f"SELECT DISTINCT surname FROM ({folded})", surname_table, SURNAME_SCHEMA
    )
    # Only a first name that reads as Chinese can begin a joined reading: few records.
    engine.map_values(
        "joined_given_map",
        f"SELECT DISTINCT {_JOINED} AS joined FROM ({folded}) x "
        "JOIN given_map g ON g.first = x.first "
        "WHERE x.middle IS NOT NULL AND len(g.given_readings) > 0",
        joined_given_table,
        JOINED_GIVEN_SCHEMA,
    )
    engine.map_values(
        "alias_map", f"SELECT DISTINCT aliases FROM ({folded})", alias_table, ALIAS_SCHEMA
    )


def run(job: LinkJob) -> None:
    """Load, check and standardise the inputs into tables `std_l` and `std_r`."""
    job.report(0, 2, "reading records")
    _load(job)
    if job.model is None:
        job.comparisons = comparisons_for(job.fields)
        if not job.comparisons:
            inputs = f"{job.left} and {job.right}" if job.right else str(job.left)
            raise InputError(
                f"{inputs}: no field to compare (both sides need one of: "
                f"{', '.join(COMPARABLE)}), filled in at least one record"
            )
    job.report(1, 2, "standardising names and dates")
    sides = ["l"] + (["r"] if job.right is not None else [])
    tables = " UNION ALL ".join(f"SELECT * FROM raw_{side}" for side in sides)
    fetch = job.engine.fetch
    job.engine.map_values("dob_map", f"SELECT DISTINCT dob FROM ({tables})", dob_table, DOB_SCHEMA)
    job.engine.register(
        "code_map",
        code_table(
            _distinct(fetch, f"SELECT DISTINCT sex FROM ({tables})"),
            _distinct(
                fetch,
                f"SELECT DISTINCT country FROM (SELECT birth_country AS country FROM ({tables}) "
                f"UNION ALL SELECT citizenship_country FROM ({tables}))",
            ),
            _distinct(fetch, f"SELECT DISTINCT state FROM ({tables})"),
        ),
    )
    prepare_names(job.engine, sides)
    prepare_spellings(job.engine, sides)
    offsets = {"l": 0, "r": job.left_count}
    execute_all(job.engine, [standard_sql(side, offsets[side]) for side in sides])
    if job.right is None:
        job.engine.execute("CREATE OR REPLACE VIEW std_r AS SELECT * FROM std_l")
    # What the later steps never read goes now: at national scale it is gigabytes.
    dropped = ["dob_map", "code_map", "fold_map", "given_map", "surname_map", "alias_map"]
    dropped += ["joined_given_map"]
    dropped += ["given_spelling_map", "surname_spelling_map", "father_map"]
    dropped += [f"folded_{side}" for side in sides]
    if not job.keep_raw:
        dropped += [f"raw_{side}" for side in sides]
    for table in dropped:
        job.engine.execute(f"DROP TABLE IF EXISTS {table}")
    clear_caches()
    job.report(2, 2, "standardised")
