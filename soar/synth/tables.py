"""The generator's reference tables (names, places, countries, offense statutes), loaded once.

The tables are CSV files in `soar/synth/data/`; each is turned into numpy arrays so that
sampling and variant lookups are vectorised: a name is an integer index into one global
table, and its spelling variants and nicknames are slices of flat arrays (CSR layout).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

ORIGINS: tuple[str, ...] = ("hispanic", "anglo", "vietnamese", "chinese", "arabic", "slavic")
NAME_PARTS: tuple[str, ...] = ("given_m", "given_f", "family", "middle_m", "middle_f")

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
StrArray = npt.NDArray[Any]  # numpy StringDType arrays; numpy has no precise alias yet


def strings(values: list[str] | tuple[str, ...]) -> StrArray:
    """A numpy variable-width string array (StringDType) of `values`."""
    return np.array(values, dtype=np.dtypes.StringDType())


def partition(values: StrArray, sep: str) -> tuple[StrArray, StrArray, StrArray]:
    """Element-wise str.partition for StringDType arrays (numpy wants a typed separator)."""
    head, middle, tail = np.strings.partition(values, np.array(sep, dtype=np.dtypes.StringDType()))
    return head, middle, tail


def _read(name: str) -> list[dict[str, str]]:
    content = (resources.files("soar.synth") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(content, newline="")))


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


@dataclass(frozen=True)
class Ragged:
    """Lists of strings per row, stored flat: row i owns values[start[i]:start[i]+count[i]]."""

    values: StrArray
    start: IntArray
    count: IntArray

    @classmethod
    def from_lists(cls, lists: list[list[str]]) -> Ragged:
        count = np.array([len(items) for items in lists], dtype=np.int64)
        start = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
        flat = [item for items in lists for item in items]
        return cls(strings(flat if flat else [""]), start, count)

    def pick(
        self, rows: IntArray, rng: np.random.Generator
    ) -> tuple[StrArray, npt.NDArray[np.bool_]]:
        """One random entry for each of `rows`, and which rows had any entry at all."""
        count = self.count[rows]
        has = count > 0
        offset = (rng.random(rows.size) * np.maximum(count, 1)).astype(np.int64)
        chosen = self.values[np.where(has, self.start[rows] + offset, 0)]
        return chosen, has


@dataclass(frozen=True)
class Pool:
    """The global name indices of one (origin, part) and their sampling probabilities."""

    index: IntArray
    probability: FloatArray

    def sample(self, size: int, rng: np.random.Generator) -> IntArray:
        return self.index[rng.choice(self.index.size, size=size, p=self.probability)]


def _latin1(name: str) -> bool:
    try:
        name.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class NameTable:
    """Every name of every origin and part; pools index into it."""

    text: StrArray
    accented: StrArray
    latin1: npt.NDArray[np.bool_]  # the accented form can be written in Latin-1
    variants: Ragged
    nicknames: Ragged
    pools: dict[tuple[str, str], Pool]

    def pool(self, origin: str, part: str) -> Pool:
        return self.pools[(origin, part)]


@cache
def names() -> NameTable:
    rows = _read("names.csv")
    text: list[str] = []
    accented: list[str] = []
    variants: list[list[str]] = []
    nicknames: list[list[str]] = []
    members: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for row in rows:
        key = (row["origin"].strip(), row["part"].strip())
        name = row["name"].strip()
        members.setdefault(key, []).append((len(text), float(row["weight"])))
        text.append(name)
        accented.append((row.get("accented") or "").strip() or name)
        variants.append([v for v in _split(row.get("variants")) if v != name])
        nicknames.append(_split(row.get("nicknames")))
    pools = {}
    for key, entries in members.items():
        weight = np.array([w for _, w in entries], dtype=np.float64)
        pools[key] = Pool(np.array([i for i, _ in entries], dtype=np.int64), weight / weight.sum())
    return NameTable(
        strings(text),
        strings(accented),
        np.array([_latin1(name) for name in accented]),
        Ragged.from_lists(variants),
        Ragged.from_lists(nicknames),
        pools,
    )


@dataclass(frozen=True)
class Places:
    """Cities by state with their ZIP prefixes, and street names."""

    state: StrArray
    city: StrArray
    zip3: StrArray
    by_state: dict[str, Pool]
    street: StrArray
    street_pool: Pool


@cache
def places() -> Places:
    rows = _read("places.csv")
    by_state_rows: dict[str, list[tuple[int, float]]] = {}
    for i, row in enumerate(rows):
        by_state_rows.setdefault(row["state"].strip(), []).append((i, float(row["weight"])))
    by_state = {}
    for state, entries in by_state_rows.items():
        weight = np.array([w for _, w in entries])
        by_state[state] = Pool(
            np.array([i for i, _ in entries], dtype=np.int64), weight / weight.sum()
        )
    streets = _read("streets.csv")
    street_weight = np.array([float(s["weight"]) for s in streets])
    return Places(
        state=strings([r["state"].strip() for r in rows]),
        city=strings([r["city"].strip() for r in rows]),
        zip3=strings([r["zip3"].strip().zfill(3) for r in rows]),
        by_state=by_state,
        street=strings([f"{s['name'].strip()} {s['suffix'].strip()}".strip() for s in streets]),
        street_pool=Pool(
            np.arange(len(streets), dtype=np.int64), street_weight / street_weight.sum()
        ),
    )


@dataclass(frozen=True)
class Countries:
    """Countries of birth per origin, with ISO codes and the other spellings records use."""

    name: StrArray
    iso3: StrArray
    spellings: Ragged
    by_origin: dict[str, Pool]
    united_states: int


@cache
def countries() -> Countries:
    rows = _read("countries.csv")
    by_origin_rows: dict[str, list[tuple[int, float]]] = {}
    united_states = -1
    for i, row in enumerate(rows):
        origin = row["origin"].strip()
        if origin == "us":
            united_states = i
            continue
        by_origin_rows.setdefault(origin, []).append((i, float(row["weight"])))
    if united_states < 0:
        raise ValueError("countries.csv has no row with origin 'us' for the United States")
    by_origin = {}
    for origin, entries in by_origin_rows.items():
        weight = np.array([w for _, w in entries])
        by_origin[origin] = Pool(
            np.array([i for i, _ in entries], dtype=np.int64), weight / weight.sum()
        )
    return Countries(
        name=strings([r["country"].strip() for r in rows]),
        iso3=strings([r["iso3"].strip() for r in rows]),
        spellings=Ragged.from_lists([_split(r.get("spellings")) for r in rows]),
        by_origin=by_origin,
        united_states=united_states,
    )


@dataclass(frozen=True)
class Statutes:
    """Offense statutes as registries print them, with their true category and tier."""

    jurisdiction: StrArray
    statute: StrArray
    description: StrArray
    category: StrArray
    tier: StrArray
    age_only: npt.NDArray[np.bool_]
    by_jurisdiction: dict[str, Pool]


@cache
def statutes() -> Statutes:
    rows = _read("offenses.csv")
    groups: dict[str, list[tuple[int, float]]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(row["jurisdiction"].strip(), []).append((i, float(row["weight"])))
    by_jurisdiction = {}
    for jurisdiction, entries in groups.items():
        weight = np.array([w for _, w in entries])
        by_jurisdiction[jurisdiction] = Pool(
            np.array([i for i, _ in entries], dtype=np.int64), weight / weight.sum()
        )
    return Statutes(
        jurisdiction=strings([r["jurisdiction"].strip() for r in rows]),
        statute=strings([r["statute"].strip() for r in rows]),
        description=strings([r["description"].strip() for r in rows]),
        category=strings([r["category"].strip() for r in rows]),
        tier=strings([r["tier"].strip() for r in rows]),
        age_only=np.array([r["age_only"].strip().lower() == "true" for r in rows]),
        by_jurisdiction=by_jurisdiction,
    )
