"""Readers: a source file into a DuckDB table of text columns, with each row's line number.

CSV (any delimiter, quoted newlines, UTF-8 with or without BOM, Latin-1/CP1252 declared or
detected), JSON lines and Parquet. DuckDB does the reading; Python never walks the rows.
Rows the CSV parser cannot read become rejects with their line and raw text.
"""

from __future__ import annotations

import codecs
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from soar.errors import InputError

RAW = "raw"  # the table every reader fills
LINE = "__line"  # physical line (CSV, JSON lines) or row number (Parquet) of each row
JSON = "__json"  # JSON lines: the whole object, fields are extracted by path
SNIFF_BYTES = 1 << 20


@dataclass
class Reject:
    """A row the parser could not read."""

    line: int
    raw: str
    reason: str


@dataclass
class RawTable:
    """What a reader produced: table `raw`, its source columns, its rejects."""

    format: str
    columns: list[str]
    rows: int
    encoding: str
    rejects: list[Reject] = field(default_factory=list)

    def expression(self, column: str) -> str:
        """SQL for a source column's text (NULL when empty); JSON paths use dots."""
        if self.format == "jsonl":
            path = "$." + ".".join(f'"{part}"' for part in column.split("."))
            return f"NULLIF(TRIM(json_extract_string({JSON}, {quote_literal(path)})), '')"
        return f"NULLIF(TRIM({quote_identifier(column)}), '')"

    def list_expression(self, column: str, separator: str) -> str:
        """SQL joining a JSON list of strings (or a text column) with `separator`."""
        if self.format == "jsonl":
            path = "$." + ".".join(f'"{part}"' for part in column.split("."))
            items = f"from_json(json_extract({JSON}, {quote_literal(path)}), '[\"VARCHAR\"]')"
            return f"NULLIF(array_to_string({items}, {quote_literal(separator)}), '')"
        return self.expression(column)


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def detect_format(path: Path, declared: str | None) -> str:
    if declared:
        return declared
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return "parquet"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    return "csv"


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(SNIFF_BYTES)


def detect_encoding(head: bytes, declared: str | None) -> str:
    """The file's encoding: as declared, else UTF-8 (BOM or valid), else CP1252 or Latin-1."""
    if declared:
        try:
            return codecs.lookup(declared).name
        except LookupError:
            raise InputError(
                f"unknown encoding {declared!r}; use utf-8, latin-1 or cp1252"
            ) from None
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if error.start >= len(head) - 3:
            return "utf-8"
    # Bytes 0x80-0x9F are control codes in Latin-1 but letters and quotes in CP1252.
    if any(0x80 <= byte <= 0x9F for byte in head):
        return "cp1252"
    return "latin-1"


def read(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    fmt: str,
    encoding: str | None,
    delimiter: str | None,
    scratch: Path,
) -> RawTable:
    """Load `path` into table `raw`; raise InputError when the file as a whole is unreadable."""
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file")
    head = _head(path)
    if not head:
        raise InputError(f"{path} is empty: nothing to ingest")
    if fmt == "parquet":
        return _read_parquet(connection, path)
    if b"\x00" in head:
        raise InputError(f"{path} looks binary (it contains NUL bytes), not {fmt.upper()} text")
    chosen = detect_encoding(head, encoding)
    source = _as_utf8(path, chosen, scratch)
    if fmt == "jsonl":
        return _read_jsonl(connection, source, chosen)
    return _read_csv(connection, path, source, chosen, delimiter)


def _as_utf8(path: Path, encoding: str, scratch: Path) -> Path:
    """The file itself when UTF-8, else a streamed UTF-8 copy in the scratch folder."""
    if encoding in ("utf-8", "utf-8-sig"):
        return path
    target = scratch / (path.name + ".utf8")
    with (
        path.open("r", encoding=encoding, newline="") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        shutil.copyfileobj(src, dst, 1 << 22)
    return target


def _read_csv(
    connection: duckdb.DuckDBPyConnection,
    original: Path,
    path: Path,
    encoding: str,
    delimiter: str | None,
) -> RawTable:
    options = [
        "header = true",
        "all_varchar = true",
        "store_rejects = true",
        "ignore_errors = true",
        "quote = '\"'",
        "escape = '\"'",
        "max_line_size = 10000000",
        "null_padding = false",
    ]
    if delimiter:
        options.append(f"delim = {quote_literal(delimiter)}")
    source = quote_literal(str(path))
    try:
        connection.execute(
            f"CREATE TABLE {RAW}_read AS SELECT * FROM read_csv({source}, {', '.join(options)})"
        )
    except duckdb.Error as error:
        raise InputError(f"{original}: cannot be read as CSV ({first_line(error)})") from error
    columns = [row[0] for row in connection.execute(f"DESCRIBE {RAW}_read").fetchall()]
    if encoding == "utf-8-sig" and columns:
        columns[0] = columns[0].lstrip("\ufeff")
    if len(columns) == 1 and columns[0].startswith("column"):
        raise InputError(f"{original}: no header row found; the first line must name the columns")
    # DuckDB may report several errors for one row (one per missing column): one reject each.
    rejects = [
        Reject(int(line), str(raw or ""), _reject_reason(str(kinds), str(messages), encoding))
        for line, raw, kinds, messages in connection.execute(
            "SELECT line, any_value(csv_line), string_agg(DISTINCT CAST(error_type AS "
            "VARCHAR), ','), "
            "string_agg(DISTINCT error_message, '; ') FROM reject_errors GROUP BY line ORDER "
            "BY line"
        ).fetchall()
    ]
    # Physical line of each row: header, rows before it, and newlines inside quoted fields.
    names = [str(row[0]) for row in connection.execute(f"DESCRIBE {RAW}_read").fetchall()]
    newlines = " + ".join(
        f"COALESCE(length({quote_identifier(c)}) - length(replace({quote_identifier(c)}, "
        "chr(10), '')), 0)"
        for c in names
    )
    any_newline = " OR ".join(f"contains({quote_identifier(c)}, chr(10))" for c in names)
    has_newlines = connection.execute(f"SELECT bool_or({any_newline}) FROM {RAW}_read").fetchone()
    if has_newlines and has_newlines[0]:
        line = (
            f"2 + rowid + COALESCE(SUM({newlines}) OVER (ORDER BY rowid "
            "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)"
        )
    else:
        line = "2 + rowid"  # one line per row: no running sum needed
    connection.execute(
        f"CREATE TABLE {RAW} AS SELECT *, {line} AS {LINE} FROM {RAW}_read ORDER BY rowid"
    )
    connection.execute(f"DROP TABLE {RAW}_read")
    if encoding == "utf-8-sig":
        first = connection.execute(f"DESCRIBE {RAW}").fetchall()[0][0]
        if first != columns[0]:
            connection.execute(
                f"ALTER TABLE {RAW} RENAME {quote_identifier(first)} TO "
                f"{quote_identifier(columns[0])}"
            )
    if rejects:
        _shift_lines_past_rejects(connection, [r.line for r in rejects])
    rows = connection.execute(f"SELECT count(*) FROM {RAW}").fetchone()
    return RawTable("csv", columns, int(rows[0]) if rows else 0, encoding, rejects)


def _reject_reason(kinds: str, messages: str, encoding: str) -> str:
    """Why the parser could not read a row, with what to do about it."""
    if "INVALID ENCODING" in kinds:
        return (
            f"unreadable row: not valid {encoding}; declare the file's encoding "
            '(e.g. encoding = "latin-1" in [source] of the mapping file)'
        )
    if "MISSING COLUMNS" in kinds:
        return "unreadable row: too few fields (a truncated or broken line)"
    if "TOO MANY COLUMNS" in kinds:
        return "unreadable row: too many fields (an unquoted delimiter or stray quote)"
    first = messages.split("; ")[0].splitlines()[0] if messages else kinds
    return f"unreadable row: {first}"


def _shift_lines_past_rejects(connection: duckdb.DuckDBPyConnection, lines: list[int]) -> None:
    """Rows after an unreadable one sit one line further down for each such row above them.

    line = base + (rejects at or above line), solved by a few fixed-point passes (rejects
    are rare; each pass settles rows pushed past one more of them).
    """
    connection.execute("CREATE TEMP TABLE reject_lines(line BIGINT)")
    connection.executemany("INSERT INTO reject_lines VALUES (?)", [[line] for line in lines])
    connection.execute(f"ALTER TABLE {RAW} ADD COLUMN __base BIGINT")
    connection.execute(f"UPDATE {RAW} SET __base = {LINE}")
    for _ in range(4):
        connection.execute(
            f"UPDATE {RAW} SET {LINE} = __base + "
            f"(SELECT count(*) FROM reject_lines r WHERE r.line <= {RAW}.{LINE})"
        )
    connection.execute(f"ALTER TABLE {RAW} DROP COLUMN __base")
    connection.execute("DROP TABLE reject_lines")


def _read_jsonl(connection: duckdb.DuckDBPyConnection, path: Path, encoding: str) -> RawTable:
    source = quote_literal(str(path))
    connection.execute(
        f"""
        CREATE TABLE {RAW}_lines AS
        SELECT line AS text FROM read_csv({source}, columns = {{'line': 'VARCHAR'}}, header = false,
            delim = chr(1), quote = '', escape = '', auto_detect = false, max_line_size = 10000000)
        """
    )
    connection.execute(
        f"""
        CREATE TABLE {RAW} AS
        SELECT text AS {JSON}, rowid + 1 AS {LINE} FROM {RAW}_lines
        WHERE text IS NOT NULL AND trim(text) <> '' AND json_valid(text)
        """
    )
    rejects = [
        Reject(int(line), str(text), "unreadable row: not a JSON object")
        for line, text in connection.execute(
            f"SELECT rowid + 1, text FROM {RAW}_lines WHERE text IS NOT NULL AND trim(text) <> '' "
            "AND NOT json_valid(text) ORDER BY rowid"
        ).fetchall()
    ]
    connection.execute(f"DROP TABLE {RAW}_lines")
    keys = connection.execute(
        f"SELECT DISTINCT unnest(json_keys({JSON})) FROM (SELECT {JSON} FROM {RAW} LIMIT 1000)"
    ).fetchall()
    rows = connection.execute(f"SELECT count(*) FROM {RAW}").fetchone()
    return RawTable(
        "jsonl", sorted(str(k[0]) for k in keys), int(rows[0]) if rows else 0, encoding, rejects
    )


def _read_parquet(connection: duckdb.DuckDBPyConnection, path: Path) -> RawTable:
    source = quote_literal(str(path))
    try:
        described = connection.execute(f"DESCRIBE SELECT * FROM read_parquet({source})").fetchall()
    except duckdb.Error as error:
        raise InputError(f"{path}: cannot be read as Parquet ({first_line(error)})") from error
    columns = [str(row[0]) for row in described]
    casts = ", ".join(
        f"CAST({quote_identifier(c)} AS VARCHAR) AS {quote_identifier(c)}" for c in columns
    )
    connection.execute(
        f"CREATE TABLE {RAW} AS SELECT {casts}, row_number() OVER () AS {LINE} FROM "
        f"read_parquet({source})"
    )
    rows = connection.execute(f"SELECT count(*) FROM {RAW}").fetchone()
    return RawTable("parquet", columns, int(rows[0]) if rows else 0, "binary")


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
