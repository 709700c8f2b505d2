"""Names standardised by the same SQL as a run, for tests that look at one person or two."""

from __future__ import annotations

import pyarrow as pa

from soar.linkage.engines.duckdb import DuckDBEngine
from soar.linkage.steps.standardise import (
    SPELLING_COLUMNS,
    SPELLING_JOINS,
    names_sql,
    prepare_names,
    prepare_spellings,
)

NAME_COLUMNS = ("first_name", "middle_name", "last_name", "second_last_name", "aliases")
Names = tuple[str | None, str | None, str | None, str | None, str | None]


def names_table(people: list[Names], *, spellings: bool = False) -> pa.Table:
    """NAME_SCHEMA rows for `people` (in order, rid from 0), made as a run makes them;
    with `spellings`, the romanisation columns (`SPELLING_COLUMNS`) too."""
    engine = DuckDBEngine()
    try:
        raw = {c: pa.array([p[i] for p in people], pa.string()) for i, c in enumerate(NAME_COLUMNS)}
        raw["record_id"] = pa.array([f"{i:08d}" for i in range(len(people))], pa.string())
        raw["rid"] = pa.array(range(len(people)), pa.int64())
        engine.register("raw_l", pa.table(raw))
        prepare_names(engine, ["l"])
        if not spellings:
            return engine.fetch_arrow(f"SELECT * FROM ({names_sql('l')}) ORDER BY rid")
        prepare_spellings(engine, ["l"])
        return engine.fetch_arrow(
            f"SELECT n.*, {', '.join(SPELLING_COLUMNS)} FROM ({names_sql('l')}) n\n"
            f"{SPELLING_JOINS} ORDER BY n.rid"
        )
    finally:
        engine.close()
