"""The Spark engine: the same ordered steps, their DuckDB SQL transpiled to Spark SQL.

Functions Spark lacks are spelled with Spark built-ins (higher-order functions, bit
arithmetic, `translate`), so they run on executors with no Python and no custom JAR:

- `hash(a, ...)` reproduces DuckDB's 64-bit hash (murmur64 finaliser, combined as DuckDB
  combines), so seeded samples pick the same pairs on both engines;
- `jaro_winkler_similarity` is the greedy Jaro match with the Winkler prefix boost (0.1 per
  common leading character, up to 4, above 0.7), as DuckDB's;
- `damerau_levenshtein` is the optimal-string-alignment distance: equal to DuckDB's
  unrestricted Damerau distance whenever either is at most 1, the only way the steps use it;
- `strip_accents` maps every precomposed Latin letter to its base letter and drops
  combining marks (a `translate` table made from Unicode decompositions).

Tables the steps create are materialised (`localCheckpoint`, or Parquet under `scratch`
when given: use that on a cluster, where executors can be lost) and named per engine, so
two engines can share one SparkSession.

Record-sized data stays on the executors: a global `row_number() OVER (ORDER BY ...)` (the
records' run numbers) is a distributed sort plus per-partition offsets, not one task; the
Python name and date standardisers run over the distinct values on the executors
(`map_values`); scored pairs are written by the executors (`write`). Only small results
come to the driver: counts, agreement patterns for EM, the model.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB

from soar.errors import InputError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

INSTALL_HINT = "the Spark engine needs PySpark: pip install 'soar[spark]' (and Java 17)"

#: DuckDB's murmur64 multiplier as a signed 64-bit Spark literal.
_MURMUR = 0xD6E8FEB86659FD93 - (1 << 64)

_counter = itertools.count()


class _SourceDialect(DuckDB):
    """DuckDB as the steps write it; `len()` in the steps is always a list's length."""

    class Parser(DuckDB.Parser):  # type: ignore[misc,valid-type]
        FUNCTIONS = {
            **DuckDB.Parser.FUNCTIONS,
            "LEN": lambda args: exp.Anonymous(this="array_size", expressions=args),
        }


def _strip_accents_table() -> tuple[str, str]:
    """(from, to) characters for Spark's `translate`: accented Latin letters to base letters.

    A `from` character past the end of `to` is deleted: the combining marks go last.
    """
    source, target = [], []
    for code in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        if len(base) == 1 and base != char:
            source.append(char)
            target.append(base)
    marks = [chr(c) for c in range(0x300, 0x370)]
    return "".join(source + marks), "".join(target)


_STRIP_FROM, _STRIP_TO = _strip_accents_table()


def _literal(text: str) -> str:
    return exp.Literal.string(text).sql("spark")


def _murmur64(x: str) -> str:
    """DuckDB's MurmurHash64 of a 64-bit value, in Spark SQL (wrapping long arithmetic)."""
    step = f"(({x}) ^ shiftrightunsigned({x}, 32))"
    step = f"({step} * {_MURMUR}L)"
    step = f"(transform(array({step}), v -> (v ^ shiftrightunsigned(v, 32)) * {_MURMUR}L)[0])"
    return f"(transform(array({step}), v -> v ^ shiftrightunsigned(v, 32))[0])"


def duckdb_hash_sql(args: list[str]) -> str:
    """DuckDB's `hash(a, b, ...)` of integer arguments as a signed Spark BIGINT."""
    result = _murmur64(f"CAST({args[0]} AS BIGINT)")
    for arg in args[1:]:
        right = _murmur64(f"CAST({arg} AS BIGINT)")
        result = (
            f"(transform(array({result}), h -> "
            f"((h ^ shiftrightunsigned(h, 32)) * {_MURMUR}L) ^ {right})[0])"
        )
    return result


def unsigned_mod_sql(value: str, divisor: str) -> str:
    """`value % divisor` reading `value` as an unsigned 64-bit integer, as DuckDB's hash is."""
    return (
        f"(transform(array({value}), h -> pmod(pmod(shiftrightunsigned(h, 1), {divisor}) * 2 "
        f"+ (h & 1), {divisor}))[0])"
    )


def jaro_winkler_sql(a: str, b: str) -> str:
    """DuckDB's `jaro_winkler_similarity(a, b)` with Spark higher-order functions."""
    ch_a = f"substr({a}, i + 1, 1)"
    # Greedy matching: each character of a takes the first free equal character of b in
    # the window max(|a|, |b|) / 2 - 1 around its position.
    window = f"greatest(greatest(length({a}), length({b})) DIV 2 - 1, 0)"
    find = (
        f"array_position(transform(sequence(0, length({b}) - 1), j -> NOT s.used[j] "
        f"AND substr({b}, j + 1, 1) = {ch_a} AND abs(j - i) <= {window}), true)"
    )
    step = (
        f"(s, i) -> transform(array({find}), p -> named_struct("
        "'used', transform(s.used, (u, j) -> u OR j = p - 1), "
        f"'am', CASE WHEN p > 0 THEN concat(s.am, array({ch_a})) ELSE s.am END))[0]"
    )
    start = (
        f"named_struct('used', array_repeat(false, length({b})), "
        "'am', CAST(array() AS ARRAY<STRING>))"
    )
    matched = f"aggregate(sequence(0, length({a}) - 1), {start}, {step})"
    b_matched = (
        f"filter(transform(sequence(0, length({b}) - 1), j -> CASE WHEN s.used[j] "
        f"THEN substr({b}, j + 1, 1) END), c -> c IS NOT NULL)"
    )
    jaro = (
        "transform(array(named_struct('m', size(s.am), 't', "
        f"size(filter(zip_with(s.am, {b_matched}, (x, y) -> x <> y), z -> z)))), "
        f"k -> CASE WHEN k.m = 0 THEN 0.0D ELSE (k.m / length({a}) + k.m / length({b}) "
        "+ (k.m - k.t DIV 2) / k.m) / 3.0D END)[0]"
    )
    prefix = (
        f"(coalesce(nullif(array_position(transform(sequence(1, 4), n -> substr({a}, n, 1) <> "
        f"substr({b}, n, 1) OR n > least(length({a}), length({b}))), true), 0), 5) - 1)"
    )
    boosted = (
        f"transform(array({jaro}), x -> CASE WHEN x > 0.7D THEN x + {prefix} * 0.1D * (1.0D - x) "
        "ELSE x END)[0]"
    )
    return (
        f"CASE WHEN {a} IS NULL OR {b} IS NULL THEN CAST(NULL AS DOUBLE) "
        f"WHEN length({a}) = 0 OR length({b}) = 0 THEN 0.0D "
        f"ELSE transform(array({matched}), s -> {boosted})[0] END"
    )


def osa_distance_sql(a: str, b: str) -> str:
    """Optimal-string-alignment distance (edits plus adjacent swaps) with Spark built-ins."""
    cost = f"CASE WHEN substr({a}, i, 1) = substr({b}, j, 1) THEN 0 ELSE 1 END"
    swap = (
        f"CASE WHEN i > 1 AND j > 1 AND substr({a}, i, 1) = substr({b}, j - 1, 1) "
        f"AND substr({a}, i - 1, 1) = substr({b}, j, 1) THEN s.p2[j - 2] + 1 ELSE 1000000 END"
    )
    cell = f"least(s.p1[j] + 1, row[j - 1] + 1, s.p1[j - 1] + {cost}, {swap})"
    row = f"aggregate(sequence(1, length({b})), array(i), (row, j) -> concat(row, array({cell})))"
    rows = (
        f"aggregate(sequence(1, length({a})), named_struct('p2', sequence(0, length({b})), "
        f"'p1', sequence(0, length({b}))), (s, i) -> named_struct('p2', s.p1, 'p1', {row}))"
    )
    return (
        f"CASE WHEN {a} IS NULL OR {b} IS NULL THEN CAST(NULL AS INT) "
        f"WHEN length({a}) = 0 THEN length({b}) WHEN length({b}) = 0 THEN length({a}) "
        f"ELSE element_at({rows}.p1, length({b}) + 1) END"
    )


class _Transpiler:
    """DuckDB SQL of the steps to Spark SQL: sqlglot, plus the functions Spark lacks."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._fragments: dict[str, str] = {}

    def _fragment(self, sql: str) -> exp.Expression:
        key = f"soar_fragment_{len(self._fragments)}"
        self._fragments[key] = sql
        return exp.Anonymous(this=key, expressions=[])

    def _args(self, node: exp.Expression) -> list[str]:
        if isinstance(node, exp.Anonymous):
            return [arg.sql("spark") for arg in node.expressions]
        return [node.this.sql("spark"), node.expression.sql("spark")]

    def _rewrite(self, node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier):
            # Named per engine, aliased back, so `tf_x.value` still finds table `tf_x`.
            if not node.alias:
                node.set("alias", exp.TableAlias(this=exp.to_identifier(node.name)))
            node.set("this", exp.to_identifier(self.prefix + node.name))
            return node
        if isinstance(node, exp.Table) and isinstance(node.this, exp.GenerateSeries):
            series = node.this
            column = node.alias_column_names[0] if node.alias_column_names else "range"
            query = sqlglot.parse_one(
                f"SELECT id AS {column} FROM range({series.args['start'].sql('spark')}, "
                f"{series.args['end'].sql('spark')})",
                read="spark",
            )
            return exp.Subquery(this=query, alias=exp.TableAlias(this=node.args["alias"].this))
        if isinstance(node, exp.ArrayFilter) and isinstance(node.expression, exp.Lambda):
            params = node.expression.expressions
            if len(params) == 2:
                # DuckDB's lambda index counts from 1, Spark's from 0.
                index = params[1].name
                node.expression.set(
                    "this",
                    node.expression.this.transform(
                        lambda n: (
                            exp.paren(exp.Add(this=n.copy(), expression=exp.Literal.number(1)))
                            if isinstance(n, exp.Identifier)
                            and n.name == index
                            and not isinstance(n.parent, exp.Lambda)
                            else n
                        )
                    ),
                )
            return node
        if isinstance(node, exp.JarowinklerSimilarity):
            return self._fragment(jaro_winkler_sql(*self._args(node)))
        if isinstance(node, exp.Mod) and _is_call(node.this, "hash"):
            value = duckdb_hash_sql(self._args(node.this))
            return self._fragment(unsigned_mod_sql(value, node.expression.sql("spark")))
        if isinstance(node, exp.ArrayOverlaps):
            return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
        if isinstance(node, exp.RegexpReplace):
            replacement = node.args.get("replacement")
            if isinstance(replacement, exp.Literal) and replacement.is_string:
                # RE2 writes a group as \1, Java as $1 (and a literal $ as \$).
                text = re.sub(r"\\(\d)", r"$\1", replacement.this.replace("$", "\\$"))
                node.set("replacement", exp.Literal.string(text))
            return node
        if isinstance(node, exp.RegexpFullMatch):
            pattern = node.expression
            if not isinstance(pattern, exp.Literal):
                raise ValueError("regexp_full_match needs a literal pattern on Spark")
            return exp.RegexpLike(
                this=node.this, expression=exp.Literal.string(f"^(?:{pattern.this})$")
            )
        if isinstance(node, exp.Anonymous):
            name = node.name.lower()
            args = self._args(node)
            if name == "hash":
                return self._fragment(duckdb_hash_sql(args))
            if name == "damerau_levenshtein":
                return self._fragment(osa_distance_sql(*args))
            if name == "strip_accents":
                return self._fragment(
                    f"translate({args[0]}, {_literal(_STRIP_FROM)}, {_literal(_STRIP_TO)})"
                )
            if name == "list_has_all":
                return self._fragment(f"array_size(array_except({args[1]}, {args[0]})) = 0")
            if name == "list_position":
                return exp.Anonymous(this="array_position", expressions=node.expressions)
        return node

    def statement(self, node: exp.Expression) -> str:
        """One parsed DuckDB statement as Spark SQL."""
        rewritten = node.copy().transform(self._rewrite)
        sql = rewritten.sql("spark")
        for key, fragment in self._fragments.items():
            sql = sql.replace(f"{key.upper()}()", f"({fragment})")
            sql = sql.replace(f"{key}()", f"({fragment})")
        self._fragments.clear()
        return sql


def _is_call(node: exp.Expression, name: str) -> bool:
    return isinstance(node, exp.Anonymous) and node.name.lower() == name


#: The column a global row number is computed into before the statement reads it.
_ROW_NUMBER = "_soar_row_number"


def _global_row_numbers(select: exp.Expression) -> list[exp.Window]:
    """`row_number() OVER (ORDER BY ...)` windows without PARTITION BY in `select`'s own
    list, when `select` reads one source and nothing else (no join, filter or grouping) -
    the shape whose numbering can be done as a distributed sort. Empty otherwise."""
    if not isinstance(select, exp.Select):
        return []
    if any(select.args.get(key) for key in ("joins", "where", "group", "having", "qualify")):
        return []
    if select.args.get("distinct") or not select.args.get("from_"):
        return []
    found = []
    for window in select.find_all(exp.Window):
        if window.find_ancestor(exp.Select) is not select:
            continue
        if not isinstance(window.this, exp.RowNumber) or window.args.get("partition_by"):
            return []
        if window.args.get("order") is None:
            return []
        found.append(window)
    orders = {window.args["order"].sql("spark") for window in found}
    return found if len(orders) == 1 else []


class SparkEngine:
    """Runs the steps' SQL on a SparkSession (a cluster, or `local[*]`)."""

    dialect = "spark"

    def __init__(
        self,
        *,
        master: str = "local[*]",
        session: SparkSession | None = None,
        config: dict[str, str] | None = None,
        scratch: str | None = None,
    ) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as error:
            raise InputError(INSTALL_HINT) from error
        if session is None:
            # Spark's console progress bar would draw over the command's own.
            builder = (
                SparkSession.builder.master(master)
                .appName("soar")
                .config("spark.ui.showConsoleProgress", "false")
            )
            if master.startswith("local"):
                # Local Python workers run this interpreter (it has soar and pyarrow), not
                # whatever `python3` is first on PATH; PySpark reads only the environment.
                os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            for key, value in (config or {}).items():
                builder = builder.config(key, value)
            session = builder.getOrCreate()
        self.spark: SparkSession = session
        # The hash needs wrapping 64-bit arithmetic, and missing list items must be NULL,
        # as in DuckDB; ANSI mode would raise on both.
        self.spark.conf.set("spark.sql.ansi.enabled", "false")
        self._prefix = f"soar{next(_counter)}_{uuid.uuid4().hex[:6]}_"
        self._scratch = scratch.rstrip("/") + "/" + self._prefix if scratch else None
        self._tables: dict[str, DataFrame] = {}
        self._versions = itertools.count()
        self._transpiler = _Transpiler(self._prefix)

    # -- SQL -----------------------------------------------------------------------------

    def transpile(self, sql: str) -> list[str]:
        """The Spark SQL of each statement in `sql` (for tests and curious people)."""
        return [self._transpiler.statement(s) for s in self._parse(sql)]

    def _parse(self, sql: str) -> list[exp.Expression]:
        parsed: list[Any] = sqlglot.parse(sql, dialect=_SourceDialect)
        return [s for s in parsed if isinstance(s, exp.Expression)]

    def _query(self, node: exp.Expression) -> DataFrame:
        return self.spark.sql(self._transpiler.statement(node))

    def _number_rows(self, frame: DataFrame, order: str) -> DataFrame:
        """`frame` with column `_soar_row_number`: 1, 2, ... in `order` (Spark SQL).

        A range-partitioned sort, then each partition's rows counted (one number per
        partition comes to the driver) and numbered from its partition's offset: the same
        numbers as one window over all rows, without moving every row into one task.
        """
        from pyspark.sql import functions as F

        view = f"{self._prefix}unnumbered_{next(self._versions)}"
        frame.createOrReplaceTempView(view)
        placed = self.spark.sql(f"SELECT * FROM {view} ORDER BY {order}").select(
            "*",
            F.spark_partition_id().alias("_soar_partition"),
            F.monotonically_increasing_id().alias("_soar_position"),
        )
        # Materialised once (as every stored table is), so the counts and the numbers read
        # the same partition and position columns.
        name = f"placed_{next(self._versions)}"
        self._store(name, placed)
        placed = self._tables[name]
        self.spark.catalog.dropTempView(view)
        counts = sorted(
            (int(row[0]), int(row[1]))
            for row in placed.groupBy("_soar_partition").count().collect()
        )
        offsets: list[tuple[int, int]] = []
        total = 0
        for partition, rows in counts:
            offsets.append((partition, total))
            total += rows
        offset_frame = self.spark.createDataFrame(
            offsets or [(0, 0)], "_soar_partition INT, _soar_offset BIGINT"
        )
        # monotonically_increasing_id keeps the row's place in its partition in the low
        # 33 bits.
        within = F.col("_soar_position").bitwiseAND((1 << 33) - 1)
        numbered = placed.join(F.broadcast(offset_frame), "_soar_partition").select(
            *[F.col(f"`{column}`") for column in frame.columns],
            (within + F.col("_soar_offset") + 1).alias(_ROW_NUMBER),
        )
        return numbered

    def _create_query(self, select: exp.Expression) -> DataFrame:
        """A CREATE's query as a DataFrame; a global row number is computed distributed.

        The helper tables a row number needs are dropped by `_drop_helpers` once the
        created table is stored.
        """
        windows = _global_row_numbers(select)
        if not windows:
            return self._query(select)
        source = select.args["from_"].this
        order = ", ".join(
            self._transpiler.statement(ordered) for ordered in windows[0].args["order"].expressions
        )
        inner = self._query(exp.select("*").from_(source.copy()))
        name = f"numbered_{next(self._versions)}"
        numbered = self._number_rows(inner, order)
        numbered.createOrReplaceTempView(self._prefix + name)
        self._tables[name] = numbered
        rewritten = select.copy()
        for window in list(rewritten.find_all(exp.Window)):
            if isinstance(window.this, exp.RowNumber):
                window.replace(exp.column(_ROW_NUMBER))
        alias = source.alias_or_name if isinstance(source, exp.Table) else source.alias
        table = exp.to_table(name)
        if alias:
            table.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
        rewritten.set("from_", exp.From(this=table))
        frame = self._query(rewritten)
        return frame.drop(_ROW_NUMBER) if _ROW_NUMBER in frame.columns else frame

    def _drop_helpers(self) -> None:
        for name in [n for n in self._tables if n.startswith(("numbered_", "placed_"))]:
            self._drop(name)

    def _store(self, name: str, frame: DataFrame) -> None:
        """Materialise `frame` and make it the table `name`."""
        if self._scratch is not None:
            path = f"{self._scratch}{name}_{next(self._versions)}"
            frame.write.mode("overwrite").parquet(path)
            stored = self.spark.read.parquet(path)
        else:
            stored = frame.localCheckpoint(eager=True)
        old = self._tables.pop(name, None)
        stored.createOrReplaceTempView(self._prefix + name)
        self._tables[name] = stored
        if old is not None:
            old.unpersist()

    def _drop(self, name: str) -> None:
        frame = self._tables.pop(name, None)
        self.spark.catalog.dropTempView(self._prefix + name)
        if frame is not None:
            frame.unpersist()

    def execute(self, sql: str) -> None:
        for node in self._parse(sql):
            self._execute(node)

    def _execute(self, node: exp.Expression) -> None:
        if isinstance(node, exp.Create):
            target = node.this
            if isinstance(target, exp.Schema):
                columns = ", ".join(
                    f"CAST(NULL AS {c.args['kind'].sql('spark')}) AS {c.name}"
                    for c in target.expressions
                )
                self._store(target.this.name, self.spark.sql(f"SELECT {columns} WHERE false"))
                return
            frame = self._create_query(node.expression)
            if str(node.args.get("kind", "")).upper() == "VIEW":
                frame.createOrReplaceTempView(self._prefix + target.name)
                self._tables[target.name] = frame
            else:
                self._store(target.name, frame)
                self._drop_helpers()
            return
        if isinstance(node, exp.Insert):
            name = node.this.name
            added = self._query(node.expression)
            self._store(name, self._tables[name].union(added))
            return
        if isinstance(node, exp.Delete):
            name = node.this.name
            condition = node.args["where"].this
            keep = (
                exp.select("*")
                .from_(name)
                .where(exp.func("coalesce", exp.not_(exp.paren(condition.copy())), exp.true()))
            )
            self._store(name, self._query(keep))
            return
        if isinstance(node, exp.Drop):
            for table in node.expressions:
                self._drop(table.name)
            return
        self._query(node).collect()

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        (node,) = self._parse(sql)
        if isinstance(node, exp.Describe):
            frame = self._query(node.this)
            return [(field.name, field.dataType.simpleString()) for field in frame.schema]
        return [tuple(row) for row in self._query(node).collect()]

    def fetch_arrow(self, sql: str) -> pa.Table:
        (node,) = self._parse(sql)
        table: pa.Table = self._query(node).toArrow()
        return table

    def frame(self, sql: str) -> DataFrame:
        """A query's result as a Spark DataFrame, left on the cluster (to write as Parquet)."""
        (node,) = self._parse(sql)
        return self._query(node)

    def register(self, name: str, table: pa.Table) -> None:
        self._store(name, self.spark.createDataFrame(table))

    def map_values(
        self, name: str, sql: str, make: Callable[[list[Any]], pa.Table], schema: pa.Schema
    ) -> None:
        """`make` runs on the executors, one Arrow batch of distinct values at a time.

        Transliteration, nicknames and phonetic keys have no Spark built-in; a Python
        function over Arrow batches (no pandas, no per-row call) is the cheapest way to run
        them where the data is. The executors need soar installed (README).
        """
        from pyspark.sql.pandas.types import from_arrow_schema

        (node,) = self._parse(sql)
        values = self._query(node)

        def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            for batch in batches:
                yield from make(batch.column(0).to_pylist()).to_batches()

        self._store(name, values.mapInArrow(run, from_arrow_schema(schema)))

    def write(self, sql: str, path: str) -> int:
        """The executors write the rows as a folder of part files at `path` (Spark's way):
        `pairs.parquet/part-*.parquet`, or CSV parts with a header each; any Hadoop URI."""
        suffix = PurePosixPath(path).suffix.lower()
        if suffix not in {".csv", ".parquet"}:
            raise InputError(f"{path}: write a .csv or .parquet path, not '{suffix or 'none'}'")
        self._store("written", self.frame(sql))
        frame = self._tables["written"]
        writer = frame.write.mode("overwrite")
        if suffix == ".csv":
            writer.option("header", True).csv(path)
        else:
            writer.parquet(path)
        rows = int(frame.count())
        self._drop("written")
        return rows

    def read_sql(self, path: Path | str) -> str:
        # A URI stays text (a Path would fold `hdfs://` to `hdfs:/`); Hadoop reads both.
        suffix = PurePosixPath(str(path)).suffix.lower()
        reader = self.spark.read
        if suffix == ".parquet":
            frame = reader.parquet(str(path))
        elif suffix in {".csv", ".txt", ".tsv"}:
            frame = reader.options(
                header=True, inferSchema=False, sep="\t" if suffix == ".tsv" else ","
            ).csv(str(path))
        else:
            raise InputError(
                f"{path}: unknown file type '{suffix}'; give a .csv or .parquet file of records"
            )
        name = f"input_{next(self._versions)}"
        frame.createOrReplaceTempView(self._prefix + name)
        self._tables[name] = frame
        return name

    def close(self) -> None:
        for name in list(self._tables):
            self._drop(name)


__all__ = ["INSTALL_HINT", "SparkEngine"]
