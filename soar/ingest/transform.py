"""From a source's raw text columns to canonical fields, and the reason a row cannot be used.

Two SQL steps over table `raw`: `mapped` (source columns to canonical fields: names parsed
by the layout's rule, aliases joined, addresses split, sentinels emptied) and `canonical`
(dates to ISO, codes translated, identifiers checked, and `__reason`: the first rule the row
breaks, in words a person can act on; NULL when the row loads).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from soar.errors import InputError
from soar.ingest.mapping import STREET_ADDRESS, Mapping
from soar.ingest.readers import LINE, RAW, RawTable, quote_identifier, quote_literal
from soar.schema import (
    SENTINELS,
    CertificateType,
    Disposition,
    ImmigrationStatus,
    RegistrationStatus,
    RemovalOrder,
    Sex,
    SourceKind,
    Tier,
    fields_for,
)

DATE_FIELDS = (
    "dob",
    "last_verified",
    "status_date",
    "naturalization_date",
    "booking_date",
    "expected_release",
    "offense_date",
    "conviction_date",
    "certificate_date",
)
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "sex": tuple(v.value for v in Sex),
    "registration_status": tuple(v.value for v in RegistrationStatus),
    "tier": tuple(v.value for v in Tier),
    "disposition": tuple(v.value for v in Disposition),
    "immigration_status": tuple(v.value for v in ImmigrationStatus),
    "removal_order": tuple(v.value for v in RemovalOrder),
    "certificate_type": tuple(v.value for v in CertificateType),
}
INTEGER_FIELDS = ("prior_removals", "victim_age", "sentence_months")
NAME_FIELDS = ("first_name", "middle_name", "last_name", "second_last_name")
#: Dates that mean "unknown" in many systems; they become missing and are counted.
SENTINEL_DATES = ("1900-01-01", "1901-01-01")
MAX_AGE_YEARS = 120


def _not_sentinel(expression: str) -> str:
    sentinels = ", ".join(quote_literal(s) for s in sorted(SENTINELS))
    return f"CASE WHEN upper({expression}) IN ({sentinels}) THEN NULL ELSE {expression} END"


@dataclass
class Transform:
    """Builds `mapped` and `canonical` for one source file and mapping."""

    connection: duckdb.DuckDBPyConnection
    raw: RawTable
    mapping: Mapping
    source_name: str
    table: str = RAW  # the raw table to read
    prefix: str = ""  # prefix of the tables this transform creates

    @property
    def fields(self) -> tuple[str, ...]:
        return fields_for(self.mapping.kind)

    def check_columns(self) -> None:
        """Every column the mapping names must exist in the file."""
        wanted = list(self.mapping.columns)
        wanted += [c for c in (self.mapping.full_name, self.mapping.given_names) if c]
        if self.raw.format == "jsonl":
            present = self._json_paths_present(wanted)
        else:
            present = set(self.raw.columns)
        missing = [column for column in wanted if column not in present]
        if missing:
            where = self.mapping.where
            raise InputError(
                f"{self.source_name}: column {missing[0]!r} named in {where} is not in the file "
                f"(its columns: {', '.join(self.raw.columns[:30])})"
            )
        if "record_id" not in {t for targets in self.mapping.columns.values() for t in targets}:
            raise InputError(
                f"{self.source_name}: no column maps to record_id; name the id column in "
                f'[columns] of the mapping file (e.g. ID = "record_id") or call it record_id'
            )

    def _json_paths_present(self, paths: list[str]) -> set[str]:
        if self.raw.rows == 0:
            return set(paths)
        present = set()
        for path in paths:
            json_path = "$." + ".".join(f'"{part}"' for part in path.split("."))
            hit = self.connection.execute(
                f"SELECT count(*) FROM (SELECT __json FROM {self.table} LIMIT 10000) "
                f"WHERE json_exists(__json, {quote_literal(json_path)})"
            ).fetchone()
            if hit and hit[0]:
                present.add(path)
        return present

    def text(self, column: str) -> str:
        return _not_sentinel(self.raw.expression(column))

    def mapped_expressions(self) -> dict[str, str]:
        """SQL text expression per canonical field (before dates and codes are translated)."""
        mapping = self.mapping
        exprs: dict[str, str] = {}
        for field in self.fields:
            sources = mapping.sources_of(field)
            if not sources:
                continue
            if field == "aliases":
                parts = [
                    f"replace({self.raw.list_expression(s, mapping.alias_separator)}, "
                    f"{quote_literal(mapping.alias_separator)}, '; ')"
                    for s in sources
                ]
                exprs[field] = f"NULLIF(concat_ws('; ', {', '.join(parts)}), '')"
            elif len(sources) == 1:
                exprs[field] = self.text(sources[0])
            else:
                joined = ", ".join(self.text(s) for s in sources)
                exprs[field] = f"NULLIF(concat_ws(' ', {joined}), '')"
        self._names(exprs)
        self._street_address(exprs)
        for field, value in mapping.constants.items():
            exprs.setdefault(field, quote_literal(value))
        return exprs

    def _names(self, exprs: dict[str, str]) -> None:
        mapping = self.mapping
        if mapping.full_name:
            full = f"regexp_replace({self.text(mapping.full_name)}, '\\s+', ' ', 'g')"
            if mapping.name_layout == "LAST, FIRST MIDDLE":
                last = f"NULLIF(TRIM(split_part({full}, ',', 1)), '')"
                given = f"NULLIF(TRIM(substr({full}, strpos({full}, ',') + 1)), '')"
                given = f"CASE WHEN strpos({full}, ',') > 0 THEN {given} END"
                exprs.setdefault("last_name", last)
            else:  # FIRST MIDDLE LAST
                last = f"NULLIF(regexp_extract({full}, '(\\S+)$', 1), '')"
                given = f"NULLIF(TRIM(regexp_replace({full}, '\\s*\\S+$', '')), '')"
                exprs.setdefault("last_name", last)
            self._split_given(exprs, given)
        elif mapping.given_names:
            given = f"regexp_replace({self.text(mapping.given_names)}, '\\s+', ' ', 'g')"
            self._split_given(exprs, given)

    @staticmethod
    def _split_given(exprs: dict[str, str], given: str) -> None:
        exprs.setdefault("first_name", f"NULLIF(split_part({given}, ' ', 1), '')")
        exprs.setdefault(
            "middle_name", f"NULLIF(TRIM(substr({given}, strpos({given} || ' ', ' ') + 1)), '')"
        )

    def _street_address(self, exprs: dict[str, str]) -> None:
        sources = self.mapping.sources_of(STREET_ADDRESS)
        if not sources:
            return
        address = f"regexp_replace({self.text(sources[0])}, '\\s+', ' ', 'g')"
        unit_pattern = "\\s((APT|UNIT|STE|SUITE|#|RM|LOT)\\s*\\S+)$"
        unit = f"NULLIF(regexp_extract({address}, {quote_literal(unit_pattern)}, 1), '')"
        rest = f"TRIM(regexp_replace({address}, {quote_literal(unit_pattern)}, ''))"
        number = f"NULLIF(regexp_extract({rest}, '^(\\d+[A-Z]?)\\s', 1), '')"
        street = f"NULLIF(TRIM(regexp_replace({rest}, '^\\d+[A-Z]?\\s', '')), '')"
        exprs.setdefault("street_number", number)
        exprs.setdefault("street", street)
        exprs.setdefault("address_line2", unit)

    def build(self) -> None:
        """Create tables `mapped` and `canonical` (with `__reason`)."""
        self.check_columns()
        exprs = self.mapped_expressions()
        select = ", ".join(
            f"{exprs.get(field, 'CAST(NULL AS VARCHAR)')} AS {quote_identifier(field)}"
            for field in self.fields
        )
        self.connection.execute(
            f"CREATE VIEW {self.prefix}mapped AS SELECT {select}, {LINE} FROM {self.table}"
        )
        self._canonical()

    def _canonical(self) -> None:
        columns: list[str] = []
        reasons: list[str] = []
        for field in self.fields:
            column = quote_identifier(field)
            if field in DATE_FIELDS:
                value, reason = self._date(field)
            elif field in VOCABULARIES:
                value, reason = self._code(field)
            elif field in INTEGER_FIELDS:
                value = column
                reason = (
                    f"CASE WHEN {column} IS NOT NULL AND NOT regexp_full_match({column}, "
                    f"'\\d{{1,4}}') "
                    f"THEN '{field} ' || quote_text({column}) || ' is not a whole number' END"
                )
            else:
                value, reason = column, "NULL"
            columns.append(f"{value} AS {column}")
            if reason != "NULL":
                reasons.append(reason)
        reasons = self._row_rules() + reasons
        reason_sql = f"COALESCE({', '.join(reasons)})" if reasons else "CAST(NULL AS VARCHAR)"
        self.connection.execute(
            "CREATE MACRO IF NOT EXISTS quote_text(v) AS '''' || left(v, 60) || CASE WHEN "
            "length(v) > 60 "
            "THEN '...' ELSE '' END || ''''"
        )
        dates = [f for f in self.fields if f in DATE_FIELDS]
        parses = "".join(
            f", {self._date_parse(f)} AS {quote_identifier(f'__{f}_parsed')}" for f in dates
        )
        self.connection.execute(
            f"CREATE VIEW {self.prefix}parsed AS SELECT *{parses} FROM {self.prefix}mapped"
        )
        source = f"{self.prefix}parsed"
        if self.mapping.kind is not SourceKind.OFFENSE:
            # Ids seen more than once, with the line of their first row (one join, no windows).
            source = (
                f"(SELECT m.*, d.__first_line FROM {self.prefix}parsed m LEFT JOIN "
                f"(SELECT record_id, min({LINE}) AS __first_line FROM {self.prefix}mapped "
                f"WHERE record_id IS NOT NULL GROUP BY record_id HAVING count(*) > 1) d "
                f"USING (record_id))"
            )
        self.connection.execute(
            f"CREATE TABLE {self.prefix}canonical AS SELECT {', '.join(columns)}, {LINE}, "
            f"{reason_sql} AS __reason FROM {source}"
        )

    def _row_rules(self) -> list[str]:
        rules = [
            "CASE WHEN record_id IS NULL THEN 'no record id: the id column is empty' END",
        ]
        if self.mapping.kind is SourceKind.OFFENSE:
            rules.append(
                "CASE WHEN statute IS NULL AND description IS NULL "
                "THEN 'offense with neither statute nor description' END"
            )
            return rules
        rules.append(
            "CASE WHEN first_name IS NULL AND last_name IS NULL AND aliases IS NULL "
            "AND second_last_name IS NULL THEN 'no name at all: first, last and alias fields "
            "are all empty' END"
        )
        rules.append(
            f"CASE WHEN __first_line IS NOT NULL AND {LINE} > __first_line THEN 'record_id ' || "
            "quote_text(record_id) || ' appears more than once in this file (first on line ' || "
            "__first_line || ')' END"
        )
        rules.append(
            "CASE WHEN a_number IS NOT NULL AND NOT regexp_full_match("
            "regexp_replace(upper(a_number), '[\\s-]', '', 'g'), 'A?\\d{7,9}') THEN 'a_number ' || "
            "quote_text(a_number) || ' is not an A-number (7 to 9 digits, optional leading A)' END"
        )
        rules.append(
            "CASE WHEN ssn IS NOT NULL AND NOT regexp_full_match("
            "regexp_replace(ssn, '[\\s-]', '', 'g'), '\\d{9}') THEN 'ssn ' || quote_text(ssn) || "
            "' is not 9 digits' END"
        )
        return rules

    def _date_parse(self, field: str) -> str:
        """SQL parsing a date field's text: ISO (full or partial) or the mapping's format."""
        column = quote_identifier(field)
        fmt = self.mapping.date_format
        parsed_iso = f"strftime(try_strptime({column}, '%Y-%m-%d'), '%Y-%m-%d')"
        partial = f"CASE WHEN regexp_full_match({column}, '\\d{{4}}(-\\d{{2}})?') THEN {column} END"
        # DuckDB reads words as timestamps (EPOCH, INFINITY); no registry means them so.
        digits = f"regexp_matches({column}, '[0-9]')"
        if fmt and fmt != "%Y-%m-%d":
            custom = f"strftime(try_strptime({column}, {quote_literal(fmt)}), '%Y-%m-%d')"
            return f"CASE WHEN {digits} THEN COALESCE({custom}, {parsed_iso}, {partial}) END"
        return f"CASE WHEN {digits} THEN COALESCE({parsed_iso}, {partial}) END"

    def _date(self, field: str) -> tuple[str, str]:
        """ISO text of a date field, and the reason it is unusable.

        Reads `__FIELD_parsed`, computed once per row in the `parsed` view.
        """
        column = quote_identifier(field)
        parsed = quote_identifier(f"__{field}_parsed")
        sentinels = ", ".join(quote_literal(d) for d in SENTINEL_DATES)
        value = f"CASE WHEN {parsed} IN ({sentinels}) THEN NULL ELSE {parsed} END"
        fmt = self.mapping.date_format
        described = f"the format {fmt}" if fmt else "ISO format (YYYY-MM-DD)"
        reason = (
            f"CASE WHEN {column} IS NOT NULL AND {parsed} IS NULL THEN "
            f"'{field} ' || quote_text({column}) || ' is not a date in {described}' END"
        )
        if field == "dob":
            year = f"CAST(left({parsed}, 4) AS INTEGER)"
            reason = (
                f"COALESCE({reason}, CASE WHEN {value} > strftime(current_date, '%Y-%m-%d') THEN "
                f"'dob ' || {parsed} || ' is in the future' "
                f"WHEN {value} IS NOT NULL AND {year} < year(current_date) - {MAX_AGE_YEARS} THEN "
                f"'dob ' || {parsed} || ' means an age over {MAX_AGE_YEARS}' END)"
            )
        return value, reason

    def _code(self, field: str) -> tuple[str, str]:
        """The canonical value of a coded field, and the reason when the code is unknown."""
        column = quote_identifier(field)
        table = self.mapping.values.get(field, {})
        vocabulary = VOCABULARIES[field]
        cases = " ".join(
            f"WHEN {quote_literal(code)} THEN {quote_literal(value)}"
            for code, value in table.items()
        )
        known = ", ".join(quote_literal(v) for v in vocabulary)
        direct = f"CASE WHEN {column} IN ({known}) THEN {column} END"
        value = f"CASE {column} {cases} ELSE {direct} END" if cases else direct
        where = (
            f"[values.{field}] of {self.mapping.path.name}"
            if self.mapping.path
            else "a mapping file"
        )
        reason = (
            f"CASE WHEN {column} IS NOT NULL AND ({value}) IS NULL THEN '{field} code ' || "
            f"quote_text({column}) || ' is unknown: add it to {where} (known: "
            f"{', '.join(vocabulary)})' END"
        )
        bad_targets = [v for v in table.values() if v not in vocabulary]
        if bad_targets:
            raise InputError(
                f"{self.mapping.where}: [values.{field}] maps to {bad_targets[0]!r}, "
                f"which is not one of {', '.join(vocabulary)}"
            )
        return value, reason


def embedded_offenses(
    connection: duckdb.DuckDBPyConnection, raw: RawTable, mapping: Mapping, source_name: str
) -> Transform | None:
    """Offenses carried inside a registry file (repeated column groups or a list field), as
    table `offense_canonical` keyed by the registry record id; None when kept elsewhere."""
    offenses = mapping.offenses
    if offenses is None or offenses.layout == "file":
        return None
    record_id = raw.expression(mapping.sources_of("record_id")[0])
    fields = [f for f in fields_for(SourceKind.OFFENSE) if f != "record_id"]
    by_field = {target: source for source, target in offenses.columns.items()}

    def clean(field: str, expression: str) -> str:
        if field == "description" and offenses.collapse_whitespace:
            return f"NULLIF(TRIM(regexp_replace({expression}, '\\s+', ' ', 'g')), '')"
        return expression

    if offenses.layout == "repeated_columns":
        missing = [
            source.replace("{n}", str(n))
            for source in offenses.columns
            for n in range(1, offenses.count + 1)
            if source.replace("{n}", str(n)) not in raw.columns
        ]
        if missing:
            raise InputError(
                f"{source_name}: column {missing[0]!r} named in [offenses] of {mapping.where} "
                "is not in the file"
            )
        selects = []
        for n in range(1, offenses.count + 1):
            parts = []
            for field in fields:
                source = by_field.get(field)
                expression = raw.expression(source.replace("{n}", str(n))) if source else "NULL"
                parts.append(f"{clean(field, expression)} AS {field}")
            selects.append(
                f"SELECT * FROM (SELECT {record_id} AS record_id, {', '.join(parts)}, {LINE}, "
                f"{n} AS __slot FROM {RAW}) WHERE statute IS NOT NULL OR description IS NOT NULL"
            )
        body = " UNION ALL ".join(selects)
    else:
        list_path = quote_literal(f"$.{offenses.list_field or 'offenses'}")
        parts = []
        for field in fields:
            source = by_field.get(field)
            expression = (
                f"NULLIF(TRIM(json_extract_string(offense, {quote_literal('$.' + source)})), '')"
                if source
                else "NULL"
            )
            parts.append(f"{clean(field, expression)} AS {field}")
        body = (
            f"SELECT {record_id} AS record_id, {', '.join(parts)}, {LINE}, 0 AS __slot "
            f"FROM (SELECT *, unnest(from_json(json_extract(__json, {list_path}), '[\"JSON\"]')) "
            f"AS offense FROM {RAW})"
        )
    connection.execute(
        f"CREATE TABLE offense_raw AS SELECT * FROM ({body}) ORDER BY {LINE}, __slot"
    )
    identity = Mapping(
        path=mapping.path,
        kind=SourceKind.OFFENSE,
        jurisdiction=mapping.jurisdiction,
        format=None,
        encoding=None,
        delimiter=None,
        columns={field: (field,) for field in fields_for(SourceKind.OFFENSE)},
        date_format=mapping.date_format,
        values=offenses.values,
    )
    table = RawTable("csv", list(fields_for(SourceKind.OFFENSE)), raw.rows, raw.encoding)
    transform = Transform(connection, table, identity, source_name, "offense_raw", "offense_")
    transform.build()
    return transform
