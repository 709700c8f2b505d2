"""Comparison-ready columns kept beside what the source said (never instead of it).

Each distinct value is standardised once in Python (soar.standardize) and joined back, so a
million rows with fifty thousand distinct surnames cost fifty thousand calls, not a million.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa

from soar.ingest.readers import quote_identifier
from soar.standardize import fold, normalise_country, phonetic_key
from soar.standardize.names import canonical_given, surname_parts

Standardiser = Callable[[str], str | None]


def given_canonical(text: str) -> str | None:
    folded = fold(text)
    return canonical_given(folded.split(" ")[0]) if folded else None


def first_phonetic(text: str) -> str | None:
    folded = fold(text)
    return phonetic_key(folded.split(" ")[0]) if folded else None


def surname_key(text: str) -> str | None:
    parts = surname_parts(fold(text))
    return " ".join(parts) or None


def surname_phonetic(text: str) -> str | None:
    parts = surname_parts(fold(text))
    return " ".join(phonetic_key(part) for part in parts) or None


def aliases_folded(text: str) -> str | None:
    names = [fold(alias) for alias in text.split(";")]
    return "; ".join(name for name in names if name) or None


#: Identifiers are nearly all distinct, so they are standardised in SQL, not per value:
#: upper-case letters and digits only, as soar.standardize.normalise_identifier does, and an
#: A-number as 9 digits whatever its written form (`A-12 345 678` -> `012345678`).
IDENTIFIER_COLUMNS: dict[str, str] = {
    "a_number_std": "CASE WHEN regexp_full_match(regexp_replace(t.a_number, '[^0-9]', '', 'g'), "
    "'\\d{7,9}') THEN lpad(regexp_replace(t.a_number, '[^0-9]', '', 'g'), 9, '0') END",
    "fbi_number_std": "NULLIF(regexp_replace(upper(t.fbi_number), '[^A-Z0-9]', '', 'g'), '')",
    "ssn_std": "NULLIF(regexp_replace(t.ssn, '[^0-9]', '', 'g'), '')",
    "state_id_std": "NULLIF(regexp_replace(upper(t.state_id), '[^A-Z0-9]', '', 'g'), '')",
    "passport_number_std": "NULLIF(regexp_replace(upper(t.passport_number), "
    "'[^A-Z0-9]', '', 'g'), '')",
}

#: (new column, source fields joined by a space, standardiser).
STANDARD_COLUMNS: tuple[tuple[str, tuple[str, ...], Standardiser], ...] = (
    ("first_name_std", ("first_name",), fold),
    ("middle_name_std", ("middle_name",), fold),
    ("last_name_std", ("last_name",), fold),
    ("second_last_name_std", ("second_last_name",), fold),
    ("given_name_canonical", ("first_name",), given_canonical),
    ("first_name_phonetic", ("first_name",), first_phonetic),
    ("surname_parts", ("last_name", "second_last_name"), surname_key),
    ("surname_phonetic", ("last_name", "second_last_name"), surname_phonetic),
    ("aliases_std", ("aliases",), aliases_folded),
    ("birth_country_std", ("birth_country",), normalise_country),
    ("citizenship_country_std", ("citizenship_country",), normalise_country),
)


def standardise(connection: duckdb.DuckDBPyConnection, table: str, order_by: str) -> list[str]:
    """Rebuild `table` with the standard columns its fields allow; return their names."""
    columns = {str(row[0]) for row in connection.execute(f"DESCRIBE {table}").fetchall()}
    joins, selects, added, lookups = [], [], [], []
    for index, (name, sources, function) in enumerate(STANDARD_COLUMNS):
        if not set(sources) <= columns:
            continue
        parts = ", ".join(f"t.{quote_identifier(source)}" for source in sources)
        expression = parts if len(sources) == 1 else f"NULLIF(concat_ws(' ', {parts}), '')"
        values = [
            row[0]
            for row in connection.execute(
                f"SELECT DISTINCT {expression} FROM {table} t WHERE {expression} IS NOT NULL"
            ).fetchall()
        ]
        lookup = f"standard_{index}"
        connection.register(
            lookup,
            pa.table(
                {
                    "value": pa.array(values, type=pa.string()),
                    "standard": pa.array([function(v) for v in values], type=pa.string()),
                }
            ),
        )
        lookups.append(lookup)
        joins.append(f"LEFT JOIN {lookup} ON {lookup}.value = {expression}")
        selects.append(f"{lookup}.standard AS {quote_identifier(name)}")
        added.append(name)
    for name, expression in IDENTIFIER_COLUMNS.items():
        if name.removesuffix("_std") in columns:
            selects.append(f"{expression} AS {name}")
            added.append(name)
    if added:
        connection.execute(
            f"CREATE TABLE {table}_standard AS SELECT t.*, {', '.join(selects)} FROM {table} t "
            f"{' '.join(joins)}"
        )
        connection.execute(f"DROP TABLE {table}")
        connection.execute(f"ALTER TABLE {table}_standard RENAME TO {table}")
    for lookup in lookups:
        connection.unregister(lookup)
    if {"first_name_std", "last_name_std"} <= set(added):
        _order_hint(connection, table)
        added.append("name_order_hint")
    return added


def _order_hint(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """`swapped?` where given and family name seem exchanged, learned from the file itself.

    A first-name token that this file mostly uses as a surname, beside a last-name token it
    mostly uses as a given name (NGUYEN / MINH written the other way round), is a hint for
    linkage and for the reviewer, never a correction: the source's own fields stay as sent.
    """
    first = "split_part(first_name_std, ' ', 1)"
    last = "split_part(last_name_std, ' ', 1)"
    connection.execute(
        f"""
        CREATE TEMP TABLE order_tokens AS
        WITH f AS (SELECT {first} AS token, count(*) AS n FROM {table}
                   WHERE first_name_std IS NOT NULL GROUP BY 1),
             l AS (SELECT {last} AS token, count(*) AS n FROM {table}
                   WHERE last_name_std IS NOT NULL GROUP BY 1)
        SELECT token, COALESCE(f.n, 0) AS as_first, COALESCE(l.n, 0) AS as_last
        FROM f FULL OUTER JOIN l USING (token)
        """
    )
    connection.execute(
        f"""
        CREATE TABLE {table}_hinted AS SELECT t.*,
            CASE WHEN a.as_last >= {HINT_MIN} AND a.as_last > {HINT_RATIO} * a.as_first
                  AND b.as_first >= {HINT_MIN} AND b.as_first > {HINT_RATIO} * b.as_last
                 THEN 'swapped?' END AS name_order_hint
        FROM {table} t
        LEFT JOIN order_tokens a ON a.token = split_part(t.first_name_std, ' ', 1)
        LEFT JOIN order_tokens b ON b.token = split_part(t.last_name_std, ' ', 1)
        """
    )
    connection.execute(f"DROP TABLE {table}")
    connection.execute(f"ALTER TABLE {table}_hinted RENAME TO {table}")
    connection.execute("DROP TABLE order_tokens")


#: A token counts as "mostly a surname" when seen at least this often, this many times more.
HINT_MIN = 3
HINT_RATIO = 3
