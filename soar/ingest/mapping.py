"""Mapping files: how one source's columns, names, dates and codes become canonical fields.

A mapping is TOML (see the README for a full example):

    [source]   kind, jurisdiction, format (csv | jsonl | parquet), encoding, delimiter
    [columns]  SOURCE_COLUMN = "canonical_field"  (or a list of fields; JSON paths use dots)
    [names]    full_name = "COL" + layout = "LAST, FIRST MIDDLE" | "FIRST MIDDLE LAST";
               or given_names = "COL" (first word, then the rest as middle name)
    [aliases]  separator = " | "
    [dates]    format = "%m/%d/%Y"  (strftime codes; ISO and partial dates always accepted)
    [values.FIELD]  SOURCE_CODE = "canonical value"
    [constants] field = "value"  (the same for every row, e.g. state = "CA")
    [offenses] layout = "file" | "repeated_columns" | "list", with [offenses.columns] and
               [offenses.values.FIELD]; `count` for repeated columns ("OFFENSE_{n}_CODE"),
               `field` for a list, `collapse_whitespace` for wrapped descriptions.

A file whose columns already carry canonical names needs no mapping (`canonical_mapping`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soar.errors import InputError
from soar.schema import OFFENSE_FIELDS, SourceKind, fields_for

#: Pseudo-fields a mapping may target besides the canonical ones.
STREET_ADDRESS = "street_address"  # "123 MAIN ST APT 4", split into number, street, unit
NAME_LAYOUTS = ("LAST, FIRST MIDDLE", "FIRST MIDDLE LAST")
FORMATS = ("csv", "jsonl", "parquet")
OFFENSE_LAYOUTS = ("file", "repeated_columns", "list")


@dataclass(frozen=True)
class OffenseMapping:
    """How a source encodes offenses."""

    layout: str
    columns: dict[str, str]
    values: dict[str, dict[str, str]]
    file: str | None = None
    key: str | None = None
    count: int = 0
    list_field: str | None = None
    collapse_whitespace: bool = False


@dataclass(frozen=True)
class Mapping:
    """A parsed, checked mapping file."""

    path: Path | None
    kind: SourceKind
    jurisdiction: str | None
    format: str | None
    encoding: str | None
    delimiter: str | None
    columns: dict[str, tuple[str, ...]]  # source column -> canonical fields
    full_name: str | None = None
    name_layout: str | None = None
    given_names: str | None = None
    alias_separator: str = "; "
    date_format: str | None = None
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    offenses: OffenseMapping | None = None
    constants: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return str(self.path) if self.path else "the file's own header"

    def sources_of(self, canonical: str) -> list[str]:
        """Source columns that feed `canonical`, in file order."""
        return [column for column, targets in self.columns.items() if canonical in targets]


def _table(data: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise InputError(f"{path}: [{key}] must be a table of settings")
    return value


def _string(section: dict[str, Any], key: str, path: Path, where: str) -> str | None:
    value = section.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{path}: {where}.{key} must be a string, not {value!r}")
    return value


def _values(
    section: dict[str, Any], path: Path, where: str, allowed: tuple[str, ...]
) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, table in section.items():
        if name not in allowed:
            raise InputError(
                f"{path}: [{where}.{name}] names no canonical field; use one of "
                f"{', '.join(allowed)}"
            )
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise InputError(f"{path}: [{where}.{name}] must map source codes to strings")
        out[name] = {str(code): str(value) for code, value in table.items()}
    return out


def load_mapping(path: Path, kind: SourceKind) -> Mapping:
    """Read and check a mapping file; every problem names the file and the key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"mapping file {path} does not exist") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not a valid TOML mapping file ({error})") from error

    source = _table(data, "source", path)
    declared = source.get("kind")
    if declared is not None and declared not in {k.value for k in SourceKind}:
        raise InputError(
            f"{path}: [source] kind = {declared!r} is not one of "
            f"{', '.join(k.value for k in SourceKind)}"
        )
    if declared is not None and declared != kind.value and kind is not SourceKind.OFFENSE:
        raise InputError(f"{path} describes a {declared} extract, but --kind is {kind.value}")
    fmt = _string(source, "format", path, "[source]")
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"{path}: [source] format = {fmt!r}; use one of {', '.join(FORMATS)}")

    offenses = _offenses(data, path)
    if kind is SourceKind.OFFENSE:
        if offenses is None:
            raise InputError(f"{path} has no [offenses] section, so it cannot map an offense file")
        return Mapping(
            path=path,
            kind=kind,
            jurisdiction=_string(source, "jurisdiction", path, "[source]"),
            format=None,
            encoding=_string(source, "encoding", path, "[source]"),
            delimiter=_string(source, "delimiter", path, "[source]"),
            columns={column: (target,) for column, target in offenses.columns.items()},
            date_format=_string(_table(data, "dates", path), "format", path, "[dates]"),
            values=offenses.values,
        )

    allowed = set(fields_for(kind)) | {STREET_ADDRESS}
    columns: dict[str, tuple[str, ...]] = {}
    for column, target in _table(data, "columns", path).items():
        targets = (
            (target,)
            if isinstance(target, str)
            else tuple(target)
            if isinstance(target, list)
            else ()
        )
        if not targets or not all(isinstance(t, str) for t in targets):
            raise InputError(
                f"{path}: [columns] {column} must name a canonical field or a list of them"
            )
        for name in targets:
            if name not in allowed:
                raise InputError(
                    f"{path}: [columns] {column} = {name!r} is not a canonical field of a "
                    f"{kind.value} record"
                )
        columns[column] = targets

    names = _table(data, "names", path)
    layout = _string(names, "layout", path, "[names]")
    if layout is not None and layout not in NAME_LAYOUTS:
        raise InputError(
            f"{path}: [names] layout = {layout!r}; use one of {', '.join(NAME_LAYOUTS)}"
        )
    full_name = _string(names, "full_name", path, "[names]")
    if full_name and not layout:
        raise InputError(
            f'{path}: [names] full_name needs a layout, e.g. layout = "LAST, FIRST MIDDLE"'
        )
    aliases = _table(data, "aliases", path)
    constants = _table(data, "constants", path)
    for name, value in constants.items():
        if name not in allowed or not isinstance(value, str):
            raise InputError(
                f"{path}: [constants] {name} must be a canonical field set to a string"
            )
    return Mapping(
        path=path,
        kind=kind,
        jurisdiction=_string(source, "jurisdiction", path, "[source]"),
        format=fmt,
        encoding=_string(source, "encoding", path, "[source]"),
        delimiter=_string(source, "delimiter", path, "[source]"),
        columns=columns,
        full_name=full_name,
        name_layout=layout,
        given_names=_string(names, "given_names", path, "[names]"),
        alias_separator=_string(aliases, "separator", path, "[aliases]") or "; ",
        date_format=_string(_table(data, "dates", path), "format", path, "[dates]"),
        values=_values(_table(data, "values", path), path, "values", fields_for(kind)),
        offenses=offenses,
        constants={str(k): str(v) for k, v in constants.items()},
    )


def _offenses(data: dict[str, Any], path: Path) -> OffenseMapping | None:
    section = data.get("offenses")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise InputError(f"{path}: [offenses] must be a table")
    layout = section.get("layout")
    if layout not in OFFENSE_LAYOUTS:
        raise InputError(
            f"{path}: [offenses] layout = {layout!r}; use one of {', '.join(OFFENSE_LAYOUTS)}"
        )
    columns = section.get("columns", {})
    if not isinstance(columns, dict):
        raise InputError(f"{path}: [offenses.columns] must map source columns to offense fields")
    for column, target in columns.items():
        if target not in OFFENSE_FIELDS:
            raise InputError(
                f"{path}: [offenses.columns] {column} = {target!r} is not an offense field; "
                f"use one of {', '.join(OFFENSE_FIELDS)}"
            )
    count = section.get("count", 0)
    if layout == "repeated_columns" and (not isinstance(count, int) or count < 1):
        raise InputError(f"{path}: [offenses] repeated_columns needs count = N (how many groups)")
    return OffenseMapping(
        layout=layout,
        columns={str(k): str(v) for k, v in columns.items()},
        values=_values(section.get("values", {}), path, "offenses.values", OFFENSE_FIELDS),
        file=_string(section, "file", path, "[offenses]"),
        key=_string(section, "key", path, "[offenses]"),
        count=count,
        list_field=_string(section, "field", path, "[offenses]"),
        collapse_whitespace=bool(section.get("collapse_whitespace", False)),
    )


def canonical_mapping(kind: SourceKind, header: list[str]) -> Mapping:
    """The mapping of a file whose columns already carry canonical names."""
    known = set(fields_for(kind))
    columns: dict[str, tuple[str, ...]] = {
        column: (column,) for column in header if column in known
    }
    return Mapping(
        path=None,
        kind=kind,
        jurisdiction=None,
        format=None,
        encoding=None,
        delimiter=None,
        columns=columns,
    )
