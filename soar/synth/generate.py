"""`soar generate`: a synthetic population, the extracts an operation receives, and the truth.

Persons are made in fixed-size chunks, each from its own seeded random stream, and every
file is appended chunk by chunk, so memory stays bounded and a seed gives the same bytes.
Everything is written to a temporary folder beside the target and renamed into place only
when complete: an interrupted run leaves nothing half-written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from soar.errors import InputError
from soar.schema import (
    BOOKING_FIELDS,
    IMMIGRATION_FIELDS,
    NATURALIZATION_FIELDS,
    OFFENSE_FIELDS,
    PERSON_FIELDS,
    REGISTRY_FIELDS,
)
from soar.synth import tables
from soar.synth.layouts import (
    LAYOUTS,
    FileFormat,
    Sink,
    SourceLayout,
    join,
    list_array,
    nullable,
    text,
)
from soar.synth.noise import NOISE_MEANING, RATES
from soar.synth.population import HARD_NEGATIVE_SHARES, People, generate_people, surname_text
from soar.synth.records import Records
from soar.synth.sources import (
    Offenses,
    booking_records,
    date_grants_before_convictions,
    draw_offenses,
    immigration_records,
    naturalization_records,
    person_tier,
    registry_records,
)

Array = npt.NDArray[Any]
Progress = Callable[[int, int, str], None]

#: Layout keys of the extracts that are not a state registry.
NOT_REGISTRY = ("immigration", "booking", "naturalization")

#: Persons per chunk: large enough to amortise per-chunk work, small enough to bound memory.
CHUNK_PERSONS = 200_000

CANONICAL: dict[str, tuple[str, tuple[str, ...]]] = {
    "registry": ("canonical/registry.csv", PERSON_FIELDS + REGISTRY_FIELDS),
    "immigration": ("canonical/immigration.csv", PERSON_FIELDS + IMMIGRATION_FIELDS),
    "booking": ("canonical/booking.csv", PERSON_FIELDS + BOOKING_FIELDS),
    "naturalization": ("canonical/naturalization.csv", PERSON_FIELDS + NATURALIZATION_FIELDS),
    "offense": ("canonical/offenses.csv", OFFENSE_FIELDS),
}
PEOPLE_COLUMNS = (
    "person_id",
    "origin",
    "sex",
    "dob",
    "first_name",
    "middle_name",
    "last_name",
    "second_last_name",
    "aliases",
    "citizenship",
    "birth_country",
    "citizenship_country",
    "immigration_status",
    "status_date",
    "naturalization_date",
    "removal_order",
    "prior_removals",
    "a_number",
    "fbi_number",
    "registries",
    "offenses",
    "hard_negative_kind",
    "hard_negative_of",
)


@dataclass
class Summary:
    """What a run made: record counts per file, noise realised, hard negatives."""

    out: Path
    persons: int
    seed: int
    records: dict[str, int] = field(default_factory=dict)
    noise_eligible: dict[str, int] = field(default_factory=dict)
    noise_applied: dict[str, int] = field(default_factory=dict)
    hard_negatives: dict[str, int] = field(default_factory=dict)
    citizenship: dict[str, int] = field(default_factory=dict)

    def add(self, counts: dict[str, int], key: str, amount: int) -> None:
        counts[key] = counts.get(key, 0) + amount


def generate(
    persons: int, seed: int, out: Path, *, force: bool = False, progress: Progress | None = None
) -> Summary:
    """Write a population of `persons` people and its extracts to `out`."""
    if persons < 1:
        raise InputError(f"--persons must be at least 1 (got {persons})")
    if seed < 0:
        raise InputError(f"--seed must be zero or positive (got {seed})")
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file; give a folder to create")
    if out.exists() and any(out.iterdir()) and not force:
        raise InputError(
            f"--out {out} already exists and is not empty; choose another folder or pass --force"
        )
    parent = out.parent
    if not parent.is_dir():
        raise InputError(f"cannot create --out {out}: its parent folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise InputError(f"cannot write to {parent}: permission denied; choose a writable --out")

    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=parent))
    try:
        summary = _write_all(persons, seed, scratch, progress)
        _replace(scratch, out)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    summary.out = out
    return summary


def _replace(scratch: Path, out: Path) -> None:
    """Move the finished folder into place; an old one is removed only after that succeeds."""
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        scratch.rename(out)
        shutil.rmtree(old)
    else:
        scratch.rename(out)


class _Writer:
    """All output files of one run, appended chunk by chunk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sinks: dict[str, Sink] = {}

    def sink(self, fmt: FileFormat) -> Sink:
        if fmt.path not in self.sinks:
            self.sinks[fmt.path] = Sink(self.root, fmt)
        return self.sinks[fmt.path]

    def csv(self, path: str, columns: dict[str, Array]) -> None:
        self.sink(FileFormat(path, "csv")).write(columns)

    def close(self) -> None:
        for sink in self.sinks.values():
            sink.close()


def _write_all(persons: int, seed: int, root: Path, progress: Progress | None) -> Summary:
    summary = Summary(root, persons, seed)
    writer = _Writer(root)
    counters = {layout.key: 0 for layout in LAYOUTS}
    chunks = (persons + CHUNK_PERSONS - 1) // CHUNK_PERSONS
    try:
        for chunk in range(chunks):
            first = chunk * CHUNK_PERSONS
            size = min(CHUNK_PERSONS, persons - first)
            rng = np.random.default_rng([seed, chunk])
            people = generate_people(size, first, rng)
            offenses = draw_offenses(people, rng)
            date_grants_before_convictions(people, offenses)
            tier = person_tier(people, offenses)
            for layout in LAYOUTS:
                records = _records_for(layout, people, tier, rng)
                _assign_ids(layout, records, counters)
                _write_source(writer, layout, records, offenses, summary)
            _write_people(writer, people, offenses, summary)
            if progress:
                progress(first + size, persons, "generating persons")
    finally:
        writer.close()
    _copy_mappings(root)
    _write_noise_summary(writer, summary)
    writer.close()
    (root / "README.txt").write_text(readme(summary), encoding="utf-8")
    return summary


def _records_for(
    layout: SourceLayout, people: People, tier: Array, rng: np.random.Generator
) -> Records:
    if layout.key == "immigration":
        return immigration_records(people, rng)
    if layout.key == "booking":
        return booking_records(people, rng)
    if layout.key == "naturalization":
        return naturalization_records(people, rng)
    return registry_records(people, layout.key, tier, rng)


def _assign_ids(layout: SourceLayout, records: Records, counters: dict[str, int]) -> None:
    size = len(records)
    if layout.key == "immigration":
        records["record_id"] = text(records["a_number"])
        return
    number = np.arange(counters[layout.key] + 1, counters[layout.key] + size + 1)
    counters[layout.key] += size
    digits = np.strings.zfill(number.astype(str).astype(np.dtypes.StringDType()), layout.id_width)
    records["record_id"] = np.strings.add(layout.id_prefix, digits)


def _write_source(
    writer: _Writer, layout: SourceLayout, records: Records, offenses: Offenses, summary: Summary
) -> None:
    rendered = layout.render(records, offenses)
    writer.sink(layout.main).write(rendered.main)
    summary.add(summary.records, layout.main.path, len(records))
    if layout.offenses is not None and rendered.offenses is not None:
        writer.sink(layout.offenses).write(rendered.offenses)
        summary.add(
            summary.records,
            layout.offenses.path,
            len(next(iter(rendered.offenses.values()))),
        )

    kind = layout.key if layout.key in NOT_REGISTRY else "registry"
    path, fields = CANONICAL[kind]
    writer.csv(path, {name: records[name] for name in fields})
    summary.add(summary.records, path, len(records))
    if kind == "registry":
        _write_canonical_offenses(writer, layout, records, offenses, summary)

    writer.csv("truth.csv", {"record_id": records["record_id"], "person_id": records["person_id"]})
    summary.add(summary.records, "truth.csv", len(records))
    log = records.noise
    source = np.full(len(records), records_source(layout), dtype=np.dtypes.StringDType())
    writer.csv(
        "noise.csv", {"record_id": records["record_id"], "source": source, "noise": log.labels()}
    )
    for kind_name, eligible in log.eligible.items():
        summary.add(summary.noise_eligible, kind_name, int(eligible.sum()))
        summary.add(summary.noise_applied, kind_name, int(log.applied[kind_name].sum()))


def records_source(layout: SourceLayout) -> str:
    return layout.key if layout.key in NOT_REGISTRY else f"registry:{layout.key}"


def _write_canonical_offenses(
    writer: _Writer, layout: SourceLayout, records: Records, offenses: Offenses, summary: Summary
) -> None:
    record, offense = offenses.rows_of(records["person_row"])
    if layout.key == "CA":
        # California's extract carries three offenses per registrant; a fourth is lost.
        slot = offense - offenses.start[records["person_row"]][record]
        keep = slot < 3
        record, offense = record[keep], offense[keep]
    columns: dict[str, Array] = {"record_id": records["record_id"][record]}
    for name in OFFENSE_FIELDS[1:]:
        columns[name] = offenses.columns[name][offense]
    path = CANONICAL["offense"][0]
    writer.csv(path, columns)
    summary.add(summary.records, path, int(record.size))


def _write_people(writer: _Writer, people: People, offenses: Offenses, summary: Summary) -> None:
    table = tables.names()
    countries = tables.countries()
    size = len(people)
    feminine = (people["origin"] == "slavic") & (people["sex"] == "F")
    plain = np.zeros(size, dtype=bool)

    def name(column: str) -> Array:
        index = people[column]
        return np.where(index >= 0, table.text[np.maximum(index, 0)], "")

    # Each person's offenses, as "statute|category|disposition" joined by "; ".
    o = offenses.columns
    entries = pa.array(
        text(
            np.strings.add(
                np.strings.add(
                    np.strings.add(np.strings.add(o["statute"], "|"), offenses.category), "|"
                ),
                o["disposition"],
            )
        ).astype(object),
        type=pa.string(),
    )
    joined = pc.binary_join(list_array(offenses.count, entries), "; ")

    def iso(dates: Array) -> Array:
        return np.where(np.isnat(dates), "", np.datetime_as_string(dates, unit="D"))

    columns: dict[str, Any] = {
        "person_id": people["person_id"],
        "origin": people["origin"],
        "sex": people["sex"],
        "dob": iso(people["dob"]),
        "first_name": name("given"),
        "middle_name": name("middle"),
        "last_name": surname_text(people["family"], feminine, plain),
        "second_last_name": name("maternal"),
        "aliases": people["aliases"],
        "citizenship": people["citizenship"],
        "birth_country": countries.name[people["birth_country"]],
        "citizenship_country": countries.name[people["citizenship_country"]],
        "immigration_status": people["immigration_status"],
        "status_date": iso(people["status_date"]),
        "naturalization_date": iso(people["naturalization_date"]),
        "removal_order": people["removal_order"],
        "prior_removals": people["prior_removals"].astype(str),
        "a_number": np.where(people["has_a_file"], people["a_number"], ""),
        "fbi_number": np.where(people["on_registry"] | people["booked"], people["fbi_number"], ""),
        "registries": join(people["jurisdiction"], people["second_jurisdiction"], sep=";"),
        "hard_negative_kind": people["hard_negative_kind"],
        "hard_negative_of": people["hard_negative_of"],
    }
    arrow: dict[str, Any] = {key: nullable(value) for key, value in columns.items()}
    arrow["offenses"] = joined
    writer.sink(FileFormat("people.csv", "csv")).write(
        pa.table({key: arrow[key] for key in PEOPLE_COLUMNS})
    )
    summary.add(summary.records, "people.csv", size)
    for kind in HARD_NEGATIVE_SHARES:
        summary.add(summary.hard_negatives, kind, int((people["hard_negative_kind"] == kind).sum()))
    for klass in ("us_born", "naturalized", "derived", "noncitizen"):
        summary.add(summary.citizenship, klass, int((people["citizenship"] == klass).sum()))


def _copy_mappings(root: Path) -> None:
    source = resources.files("soar.synth") / "data" / "mappings"
    for layout in LAYOUTS:
        target = root / layout.mapping
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            (source / Path(layout.mapping).name).read_text(encoding="utf-8"), encoding="utf-8"
        )


def _write_noise_summary(writer: _Writer, summary: Summary) -> None:
    kinds = sorted(summary.noise_eligible)
    eligible = [summary.noise_eligible[k] for k in kinds]
    applied = [summary.noise_applied[k] for k in kinds]
    stated = [f"{RATES[k]:.4f}" if k in RATES else "" for k in kinds]
    realised = [f"{a / e:.4f}" if e else "" for a, e in zip(applied, eligible, strict=True)]
    writer.csv(
        "noise_summary.csv",
        {
            "kind": np.array(kinds, dtype=object),
            "stated_rate": np.array(stated, dtype=object),
            "eligible": np.array([str(e) for e in eligible], dtype=object),
            "applied": np.array([str(a) for a in applied], dtype=object),
            "realised_rate": np.array(realised, dtype=object),
        },
    )


def readme(summary: Summary) -> str:
    """The README.txt of an output folder: what is in it and the rates used."""
    template = (resources.files("soar.synth") / "data" / "README.template.txt").read_text(
        encoding="utf-8"
    )
    files = [f"  {path}: {count}" for path, count in sorted(summary.records.items())]
    noise = []
    for kind in sorted(summary.noise_eligible):
        eligible = summary.noise_eligible[kind]
        applied = summary.noise_applied[kind]
        stated = f"{RATES[kind]:.3f}" if kind in RATES else "layout"
        realised = applied / eligible if eligible else 0.0
        noise.append(
            f"  {kind:24} stated {stated:>6}  realised {realised:.3f} ({applied}/{eligible})\n"
            f"  {'':24} {NOISE_MEANING.get(kind, '')}"
        )
    negatives = [
        f"  {kind:20} {share:.3f}  {summary.hard_negatives.get(kind, 0)}"
        for kind, share in HARD_NEGATIVE_SHARES.items()
    ]
    citizenship = [f"  {klass:12} {count}" for klass, count in summary.citizenship.items()]
    return template.format(
        persons=summary.persons,
        seed=summary.seed,
        files="\n".join(files),
        noise="\n".join(noise),
        hard_negatives="\n".join(negatives),
        citizenship="\n".join(citizenship),
    )
