"""Each source's own file layout: its columns, codes, date formats, encoding and format.

A layout turns a batch of canonical records into the rows its source would send, and says
how it reads back (the mapping file shipped beside it, in `data/mappings/`). Where a layout
loses information that a parser must recover by rule (a `LAST, FIRST MIDDLE` name column),
the canonical copy is adjusted to what that rule yields, so the canonical files are exactly
what a correct ingest of the raw files produces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from soar.synth.records import Records
from soar.synth.sources import Offenses
from soar.synth.tables import StrArray, partition

Array = npt.NDArray[Any]
Columns = dict[str, Array]

#: Offense slots in layouts that repeat offense columns (California's extract has three).
REPEATED_OFFENSES = 3


def text(values: Array) -> StrArray:
    return np.asarray(values).astype(np.dtypes.StringDType(), copy=False)


def join(*parts: Array, sep: str = " ") -> StrArray:
    """Join non-empty parts with `sep`, element-wise."""
    out = text(parts[0])
    for part in parts[1:]:
        part = text(part)
        glue = np.where((out != "") & (part != ""), sep, "")
        out = np.strings.add(np.strings.add(out, glue), part)
    return out


def us_date(iso: Array) -> StrArray:
    """YYYY-MM-DD → MM/DD/YYYY (empty stays empty)."""
    iso = text(iso)
    out = join(
        np.strings.slice(iso, 5, 7),
        np.strings.slice(iso, 8, 10),
        np.strings.slice(iso, 0, 4),
        sep="/",
    )
    return np.where(iso == "", "", out).astype(np.dtypes.StringDType())


def compact_date(iso: Array) -> StrArray:
    """YYYY-MM-DD → YYYYMMDD."""
    return np.strings.replace(text(iso), "-", "")


def code(values: Array, table: dict[str, str]) -> StrArray:
    """Translate canonical values to a source's codes (unknown values pass through)."""
    out = text(values).copy()
    for canonical, source_code in table.items():
        out[text(values) == canonical] = source_code
    return out


def split_given(given_names: Array) -> tuple[StrArray, StrArray]:
    """The parsing rule for a single given-names field: first word, then the rest."""
    first, _, rest = partition(text(given_names), " ")
    return text(first), text(rest)


def one_given_names_field(records: Records) -> StrArray:
    """For layouts with one given-names field and no second-surname column: the canonical
    copy becomes what the parsing rule yields (first word, then the rest as middle name),
    and a split surname travels in the last name. Returns the given-names text."""
    given = join(records["first_name"], records["middle_name"])
    records["first_name"], records["middle_name"] = split_given(given)
    records["last_name"] = join(records["last_name"], records["second_last_name"])
    records["second_last_name"] = np.full(len(records), "", dtype=np.dtypes.StringDType())
    return given


def with_sentinels(records: Records) -> tuple[StrArray, StrArray, StrArray]:
    """Raw DOB, SSN and birth country, where a source wrote a sentinel instead of nothing."""
    dob = np.where(records["dob_sentinel"], "1900-01-01", records["dob"])
    ssn = np.where(records["ssn_sentinel"], "000000000", records["ssn"])
    country = np.where(records["country_sentinel"], "UNKNOWN", records["birth_country"])
    return text(dob), text(ssn), text(country)


def street_address(records: Records) -> StrArray:
    return join(records["street_number"], records["street"], records["address_line2"])


@dataclass
class Rendered:
    """One batch of a source's raw rows: the main file, and its offense file if separate."""

    main: Columns | pa.Table
    offenses: Columns | None = None


Layout = Callable[[Records, Offenses | None], Rendered]


def _offense_pairs(records: Records, offenses: Offenses) -> tuple[Array, Array]:
    return offenses.rows_of(records["person_row"])


def offense_rows(
    records: Records,
    offenses: Offenses,
    key: str,
    names: dict[str, str],
    date: Callable[[Array], StrArray],
    dispositions: dict[str, str],
) -> Columns:
    """One row per offense, for layouts that keep offenses in their own file: the
    registry id under `key`, then each offense field under its source name."""
    record, offense = _offense_pairs(records, offenses)
    rows: Columns = {key: records["record_id"][record]}
    for field, name in names.items():
        values = offenses.columns[field][offense]
        if field in ("offense_date", "conviction_date"):
            values = date(values)
        elif field == "disposition":
            values = code(values, dispositions)
        rows[name] = values
    return rows


STATUS_CODES_TX = {
    "compliant": "C",
    "non_compliant": "N",
    "absconded": "A",
    "incarcerated": "I",
    "deceased": "D",
}
DISPOSITION_CODES_TX = {
    "convicted": "CONV",
    "charged": "CHRG",
    "pending": "PEND",
    "vacated": "VAC",
    "expunged": "EXP",
}
TIER_DIGITS = {"I": "1", "II": "2", "III": "3"}


def drop(records: Records, *fields: str) -> None:
    """Empty canonical fields this layout has no column for (the canonical copy must not
    know more than the extract says)."""
    for name in fields:
        records[name] = np.full(len(records), "", dtype=np.dtypes.StringDType())


def texas(records: Records, offenses: Offenses | None) -> Rendered:
    """Texas: split name columns, US dates, one address column, offenses in their own file."""
    assert offenses is not None
    drop(records, "citizenship_country")
    dob, ssn, country = with_sentinels(records)
    main: Columns = {
        "SID": records["record_id"],
        "LAST_NAME": records["last_name"],
        "FIRST_NAME": records["first_name"],
        "MIDDLE_NAME": records["middle_name"],
        "DOB": np.where(records["dob_sentinel"], "01/01/1900", us_date(dob)),
        "SEX": records["sex"],
        "BIRTHPLACE": country,
        "ADDRESS": street_address(records),
        "CITY": records["city"],
        "STATE": records["state"],
        "ZIP": records["postcode"],
        "REG_STATUS": code(records["registration_status"], STATUS_CODES_TX),
        "RISK_LEVEL": code(records["tier"], TIER_DIGITS),
        "LAST_VERIFIED": us_date(records["last_verified"]),
        "FBI_NUMBER": records["fbi_number"],
        "DPS_NUMBER": records["state_id"],
        "SSN": ssn,
        "ALIEN_NUMBER": records["a_number"],
        "AKA": np.strings.replace(text(records["aliases"]), "; ", " | "),
    }
    rows = offense_rows(
        records,
        offenses,
        "SID",
        {
            "statute": "CITATION",
            "description": "OFFENSE_DESCRIPTION",
            "offense_date": "OFFENSE_DATE",
            "disposition": "DISPOSITION",
            "conviction_date": "DISPOSITION_DATE",
            "victim_age": "VICTIM_AGE",
            "sentence_months": "SENTENCE_MONTHS",
        },
        us_date,
        DISPOSITION_CODES_TX,
    )
    return Rendered(main, rows)


STATUS_WORDS_CA = {
    "compliant": "ACTIVE",
    "non_compliant": "VIOLATION",
    "absconded": "ABSCONDED",
    "incarcerated": "IN CUSTODY",
    "deceased": "DECEASED",
}
DISPOSITION_WORDS = {
    "convicted": "CONVICTED",
    "charged": "CHARGED",
    "pending": "PENDING",
    "vacated": "VACATED",
    "expunged": "EXPUNGED",
}


def california(records: Records, offenses: Offenses | None) -> Rendered:
    """California: `LAST, FIRST MIDDLE` in one column, ISO dates, offenses in three repeated
    column groups (a fourth offense is not in the extract), BOM, some wrapped descriptions."""
    assert offenses is not None
    drop(records, "citizenship_country")
    given = one_given_names_field(records)
    dob, _, country = with_sentinels(records)
    full_name = np.strings.add(np.strings.add(text(records["last_name"]), ", "), given)
    main: Columns = {
        "CA_ID": records["record_id"],
        "FULL_NAME": full_name,
        "AKA": np.strings.replace(text(records["aliases"]), "; ", " / "),
        "BIRTH_DATE": dob,
        "GENDER": code(records["sex"], {"M": "MALE", "F": "FEMALE"}),
        "PLACE_OF_BIRTH": country,
        "STREET_NO": records["street_number"],
        "STREET_NAME": records["street"],
        "UNIT": records["address_line2"],
        "CITY": records["city"],
        "ZIP": records["postcode"],
        "STATUS": code(records["registration_status"], STATUS_WORDS_CA),
        "TIER": np.where(
            records["tier"] == "", "", np.strings.add("TIER ", code(records["tier"], TIER_DIGITS))
        ),
        "LAST_REG_DATE": records["last_verified"],
        "CII": records["state_id"],
        "FBI": records["fbi_number"],
        "ALIEN_NO": records["a_number"],
    }
    size = len(records)
    o = offenses.columns
    count = offenses.count[records["person_row"]]
    start = offenses.start[records["person_row"]]
    for slot in range(REPEATED_OFFENSES):
        has = count > slot
        index = np.where(has, start + slot, 0)

        def cell(values: Array, has: Array = has, index: Array = index) -> StrArray:
            return np.where(has, values[index], "").astype(np.dtypes.StringDType())

        description = cell(o["description"])
        # About 1 in 100 descriptions arrives wrapped over two lines inside its quotes.
        wrap = (np.arange(size) * 7919 + slot) % 100 == 0
        wrapped = np.strings.replace(description, " ", "\n", count=1)
        n = slot + 1
        main[f"OFFENSE_{n}_CODE"] = cell(o["statute"])
        main[f"OFFENSE_{n}_DESCRIPTION"] = np.where(wrap, wrapped, description)
        main[f"OFFENSE_{n}_DATE"] = cell(o["offense_date"])
        main[f"OFFENSE_{n}_CONVICTION_DATE"] = cell(o["conviction_date"])
        main[f"OFFENSE_{n}_DISPOSITION"] = code(cell(o["disposition"]), DISPOSITION_WORDS)
        main[f"OFFENSE_{n}_VICTIM_AGE"] = cell(o["victim_age"])
        main[f"OFFENSE_{n}_SENTENCE"] = cell(o["sentence_months"])
    _ = size
    return Rendered(main)


STATUS_WORDS_FL = {
    "compliant": "Compliant",
    "non_compliant": "Non-Compliant",
    "absconded": "Absconded",
    "incarcerated": "Incarcerated",
    "deceased": "Deceased",
}


def list_array(lengths: Array, values: Any) -> Any:
    """An Arrow list array: row i holds the next lengths[i] entries of `values`."""
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), values)


def nullable(values: Array) -> Any:
    """Strings as an Arrow array, empty ones missing (numpy StringDType converts without copy)."""
    array = pa.array(text(values), type=pa.string())
    return pc.if_else(
        pc.equal(array, pa.scalar("", pa.string())), pa.scalar(None, pa.string()), array
    )


def _nullable_int(values: Array) -> Any:
    values = text(values)
    empty = values == ""
    numbers = np.where(empty, "0", values).astype(np.int64)
    return pa.array(numbers, type=pa.int64(), mask=empty)


def florida(records: Records, offenses: Offenses | None) -> Rendered:
    """Florida: JSON lines with nested name and address, alias and offense lists."""
    assert offenses is not None
    drop(records, "citizenship_country")
    dob, _, country = with_sentinels(records)
    size = len(records)
    name = pa.StructArray.from_arrays(
        [
            nullable(records["last_name"]),
            nullable(records["first_name"]),
            nullable(records["middle_name"]),
            nullable(records["second_last_name"]),
        ],
        names=["last", "first", "middle", "second_last"],
    )
    aliases = text(records["aliases"])
    alias_lists = pc.split_pattern(pa.array(aliases.astype(object), type=pa.string()), "; ")
    alias_lists = pc.if_else(
        pa.array(aliases == ""), pa.scalar([], type=pa.list_(pa.string())), alias_lists
    )
    address = pa.StructArray.from_arrays(
        [
            nullable(join(records["street_number"], records["street"])),
            nullable(records["address_line2"]),
            nullable(records["city"]),
            nullable(records["state"]),
            nullable(records["postcode"]),
        ],
        names=["street", "unit", "city", "state", "zip"],
    )
    record, offense = _offense_pairs(records, offenses)
    o = offenses.columns
    offense_struct = pa.StructArray.from_arrays(
        [
            nullable(o["statute"][offense]),
            nullable(o["description"][offense]),
            nullable(o["offense_date"][offense]),
            nullable(o["conviction_date"][offense]),
            nullable(
                code(
                    o["disposition"][offense], {k: v.title() for k, v in DISPOSITION_WORDS.items()}
                )
            ),
            _nullable_int(o["victim_age"][offense]),
            _nullable_int(o["sentence_months"][offense]),
        ],
        names=[
            "statute",
            "description",
            "offense_date",
            "adjudication_date",
            "adjudication",
            "victim_age",
            "sentence_months",
        ],
    )
    offense_lists = list_array(np.bincount(record, minlength=size), offense_struct)
    table = pa.table(
        {
            "person_number": nullable(records["record_id"]),
            "name": name,
            "aliases": alias_lists,
            "birth_date": nullable(dob),
            "sex": nullable(code(records["sex"], {"M": "Male", "F": "Female"})),
            "birthplace": nullable(country),
            "address": address,
            "status": nullable(code(records["registration_status"], STATUS_WORDS_FL)),
            "tier": _nullable_int(code(records["tier"], TIER_DIGITS)),
            "last_verified": nullable(records["last_verified"]),
            "fdle_number": nullable(records["state_id"]),
            "fbi_number": nullable(records["fbi_number"]),
            "alien_number": nullable(records["a_number"]),
            "offenses": offense_lists,
        }
    )
    return Rendered(table)


STATUS_CODES_NY = {
    "compliant": "C",
    "non_compliant": "NC",
    "absconded": "ABS",
    "incarcerated": "INC",
    "deceased": "DEC",
}
ALIAS_COLUMNS_NY = 3


def new_york(records: Records, offenses: Offenses | None) -> Rendered:
    """New York: Latin-1, semicolons, one given-names column, YYYYMMDD dates, numeric sex
    codes, aliases in three repeated columns, offenses in their own file."""
    assert offenses is not None
    drop(records, "citizenship_country")
    given = one_given_names_field(records)
    # Three alias columns: a fourth alias does not reach the extract.
    parts = [text(records["aliases"])]
    alias_columns: Columns = {}
    rest = parts[0]
    kept: list[StrArray] = []
    for n in range(1, ALIAS_COLUMNS_NY + 1):
        head, _, rest = partition(rest, "; ")
        alias_columns[f"ALIAS_{n}"] = text(head)
        kept.append(text(head))
    records["aliases"] = join(*kept, sep="; ")
    dob, ssn, country = with_sentinels(records)
    _ = ssn
    main: Columns = {
        "OFFENDER_ID": records["record_id"],
        "SURNAME": records["last_name"],
        "GIVEN_NAMES": given,
        "DATE_OF_BIRTH": compact_date(dob),
        "SEX": code(records["sex"], {"M": "1", "F": "2"}),
        "COUNTRY_OF_BIRTH": country,
        "HOUSE_NO": records["street_number"],
        "STREET": records["street"],
        "APT": records["address_line2"],
        "CITY": records["city"],
        "ZIP": records["postcode"],
        "RISK_LEVEL": code(records["tier"], TIER_DIGITS),
        "STATUS": code(records["registration_status"], STATUS_CODES_NY),
        "LAST_VERIFIED": compact_date(records["last_verified"]),
        "DCJS_NO": records["state_id"],
        "FBI_NO": records["fbi_number"],
        "ALIEN_NO": records["a_number"],
        **alias_columns,
    }
    rows = offense_rows(
        records,
        offenses,
        "OFFENDER_ID",
        {
            "statute": "SECTION",
            "description": "OFFENSE",
            "offense_date": "DATE_OF_OFFENSE",
            "conviction_date": "DATE_OF_CONVICTION",
            "disposition": "DISPOSITION",
            "victim_age": "VICTIM_AGE",
            "sentence_months": "SENTENCE_MONTHS",
        },
        compact_date,
        DISPOSITION_WORDS,
    )
    return Rendered(main, rows)


STATUS_CODES_IMMIGRATION = {
    "citizen_naturalized": "NATZ",
    "citizen_derived": "DCIT",
    "lpr": "LPR",
    "nonimmigrant": "NIV",
    "overstay": "OS",
    "ewi": "EWI",
    "parolee": "PAR",
    "asylee": "ASY",
    "refugee": "REF",
    "tps": "TPS",
    "daca": "DACA",
    "unknown": "U",
}
REMOVAL_ORDER_CODES = {"none": "N", "pending": "P", "final": "Y"}


def immigration(records: Records, offenses: Offenses | None) -> Rendered:
    """Immigration: pipe-delimited, ISO dates, ISO-3166 alpha-3 countries, status codes."""
    dob, ssn, country = with_sentinels(records)
    main: Columns = {
        "A_NUMBER": records["record_id"],
        "FAMILY_NAME": records["last_name"],
        "GIVEN_NAME": records["first_name"],
        "MIDDLE_NAME": records["middle_name"],
        "SECOND_FAMILY_NAME": records["second_last_name"],
        "AKA": records["aliases"],
        "DOB": dob,
        "SEX": records["sex"],
        "COB": country,
        "COC": records["citizenship_country"],
        "CLASS_CODE": code(records["immigration_status"], STATUS_CODES_IMMIGRATION),
        "STATUS_DATE": records["status_date"],
        "FINAL_ORDER": code(records["removal_order"], REMOVAL_ORDER_CODES),
        "PRIOR_REMOVALS": records["prior_removals"],
        "NATZ_DATE": records["naturalization_date"],
        "FBI_NUMBER": records["fbi_number"],
        "PASSPORT_NO": records["passport_number"],
        "SSN": ssn,
        "ADDR_NUMBER": records["street_number"],
        "ADDR_STREET": records["street"],
        "ADDR_UNIT": records["address_line2"],
        "ADDR_CITY": records["city"],
        "ADDR_STATE": records["state"],
        "ADDR_ZIP": records["postcode"],
    }
    return Rendered(main)


CERTIFICATE_TYPE_CODES = {"naturalization": "N550", "citizenship": "N560"}


def naturalization(records: Records, offenses: Offenses | None) -> Rendered:
    """USCIS certificates: tab-delimited, one given-names field, YYYYMMDD dates, form codes."""
    given = one_given_names_field(records)
    records["certificate_number"] = records["record_id"]
    # The certificate is the proof of citizenship; it has no citizenship-country column.
    records["citizenship_country"] = np.full(len(records), "", dtype=np.dtypes.StringDType())
    main: Columns = {
        "CERT_NO": records["record_id"],
        "FORM": code(records["certificate_type"], CERTIFICATE_TYPE_CODES),
        "A_NO": records["a_number"],
        "SURNAME": records["last_name"],
        "GIVEN_NAMES": given,
        "OTHER_NAMES": records["aliases"],
        "BIRTH_DATE": compact_date(records["dob"]),
        "SEX": records["sex"],
        "BIRTH_COUNTRY": records["birth_country"],
        "ISSUED": compact_date(records["certificate_date"]),
    }
    return Rendered(main)


def booking(records: Records, offenses: Offenses | None) -> Rendered:
    """Jail bookings: `LAST, FIRST MIDDLE` inmate names, US dates, free-text charges."""
    drop(records, "citizenship_country", "aliases")
    given = one_given_names_field(records)
    dob, ssn, country = with_sentinels(records)
    main: Columns = {
        "BOOKING_NO": records["record_id"],
        "INMATE_NAME": np.strings.add(np.strings.add(text(records["last_name"]), ", "), given),
        "DOB": np.where(records["dob_sentinel"], "01/01/1900", us_date(dob)),
        "SEX": records["sex"],
        "POB": country,
        "FACILITY": records["facility"],
        "BOOKING_DATE": us_date(records["booking_date"]),
        "PROJECTED_RELEASE": us_date(records["expected_release"]),
        "CHARGES": records["charges"],
        "FBI_NO": records["fbi_number"],
        "SID": records["state_id"],
        "SSN": ssn,
        "ALIEN_NO": records["a_number"],
        "ADDRESS": street_address(records),
        "CITY": records["city"],
        "STATE": records["state"],
        "ZIP": records["postcode"],
    }
    return Rendered(main)


@dataclass(frozen=True)
class FileFormat:
    """How a source writes its files."""

    path: str  # relative to the output folder
    kind: str  # csv | jsonl
    delimiter: str = ","
    encoding: str = "utf-8"
    bom: bool = False


@dataclass(frozen=True)
class SourceLayout:
    """A source: where its records come from, its layout, its files and its mapping file."""

    key: str  # TX, CA, FL, NY, immigration, booking
    render: Layout
    main: FileFormat
    offenses: FileFormat | None
    mapping: str  # mapping file name in data/mappings and in the output folder
    id_prefix: str
    id_width: int


LAYOUTS: tuple[SourceLayout, ...] = (
    SourceLayout(
        "TX",
        texas,
        FileFormat("registry/tx_registry.csv", "csv"),
        FileFormat("registry/tx_offenses.csv", "csv"),
        "registry/tx.mapping.toml",
        "TXS",
        8,
    ),
    SourceLayout(
        "CA",
        california,
        FileFormat("registry/ca_registry.csv", "csv", bom=True),
        None,
        "registry/ca.mapping.toml",
        "CA",
        9,
    ),
    SourceLayout(
        "FL",
        florida,
        FileFormat("registry/fl_registry.jsonl", "jsonl"),
        None,
        "registry/fl.mapping.toml",
        "FL",
        7,
    ),
    SourceLayout(
        "NY",
        new_york,
        FileFormat("registry/ny_registry.csv", "csv", ";", "latin-1"),
        FileFormat("registry/ny_offenses.csv", "csv", ";", "latin-1"),
        "registry/ny.mapping.toml",
        "NY",
        8,
    ),
    SourceLayout(
        "immigration",
        immigration,
        FileFormat("immigration/immigration.csv", "csv", "|"),
        None,
        "immigration/immigration.mapping.toml",
        "",
        0,
    ),
    SourceLayout(
        "booking",
        booking,
        FileFormat("booking/booking.csv", "csv"),
        None,
        "booking/booking.mapping.toml",
        "BK26-",
        7,
    ),
    # Last: a source added after the others leaves their random draws, and bytes, unchanged.
    SourceLayout(
        "naturalization",
        naturalization,
        FileFormat("uscis/certificates.tsv", "csv", "\t"),
        None,
        "uscis/certificates.mapping.toml",
        "C",
        8,
    ),
)


class Sink:
    """Appends batches to one output file in its format; the header goes with the first.

    DuckDB writes each batch (one thread, so rows keep their order and bytes are stable);
    CSV fields are quoted only when they need it, and missing values are left empty.
    """

    def __init__(self, root: Path, fmt: FileFormat) -> None:
        self.path = root / fmt.path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.format = fmt
        self._scratch = self.path.with_name(self.path.name + ".batch")
        self._handle = self.path.open("wb")
        self._first = True
        self._connection = duckdb.connect()
        self._connection.execute("SET threads = 1")
        if fmt.bom:
            self._handle.write("\ufeff".encode())

    def write(self, batch: Columns | pa.Table) -> None:
        table = _blank_is_missing(batch) if isinstance(batch, pa.Table) else to_table(batch)
        self._connection.register("batch", table)
        if self.format.kind == "jsonl":
            options = "FORMAT JSON"
        else:
            header = "true" if self._first else "false"
            delimiter = self.format.delimiter.replace("'", "''")
            options = f"FORMAT CSV, HEADER {header}, DELIMITER '{delimiter}'"
        self._connection.execute(f"COPY batch TO '{self._scratch}' ({options})")
        self._connection.unregister("batch")
        data = self._scratch.read_bytes()
        if self.format.encoding != "utf-8":
            data = data.decode("utf-8").encode(self.format.encoding)
        self._handle.write(data)
        self._scratch.unlink()
        self._first = False

    def close(self) -> None:
        self._handle.close()
        self._connection.close()


def _blank_is_missing(table: pa.Table) -> pa.Table:
    """Top-level empty strings become missing values, so CSV writes them as nothing."""
    columns = {}
    for name in table.column_names:
        column = table[name]
        if pa.types.is_string(column.type):
            blank = pc.equal(column, pa.scalar("", pa.string()))
            column = pc.if_else(blank, pa.scalar(None, pa.string()), column)
        columns[name] = column
    return pa.table(columns)


def to_table(columns: Columns) -> pa.Table:
    """An Arrow table of string columns; empty strings become missing values."""
    return pa.table({name: nullable(values) for name, values in columns.items()})
