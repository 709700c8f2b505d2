"""`soar match`, `soar dedupe`, `soar evaluate`, `soar explain`: thin over `soar.linkage`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from soar.cli.app import HomeOption, app, console, err_console, progress_bar
from soar.errors import InputError
from soar.linkage import MatchResult, dedupe, match
from soar.linkage.engines import ENGINES, Engine, make_engine
from soar.linkage.evaluate import Evaluation, evaluate, precision_recall_chart
from soar.linkage.explain import explain
from soar.linkage.tables import read_table
from soar.workspace import resolve

ThresholdOption = Annotated[
    float,
    typer.Option(
        "--threshold",
        min=0.0,
        max=1.0,
        help="Keep pairs whose match probability is at least this (0 to 1).",
    ),
]
ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        help="Score with this trained model JSON instead of training on the inputs.",
    ),
]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help="duckdb (in-process, the default) or spark (needs pip install 'soar[spark]').",
    ),
]
SparkMasterOption = Annotated[
    str,
    typer.Option(
        "--spark-master",
        help="Spark master URL for --engine spark, e.g. spark://host:7077 or yarn.",
    ),
]


def _engine(name: str, spark_master: str, home: Path | None = None) -> Engine:
    """The engine the user asked for, or an error that says what to do.

    Spark takes the `[spark]` settings of the workspace's config.toml (`--home`, then
    `SOAR_HOME`, then ./soar-data) when there is one, as `soar link` does; no workspace is
    needed to match two files.
    """
    if name not in ENGINES:
        raise InputError(f"--engine {name}: choose one of {', '.join(ENGINES)}")
    if name != "spark":
        return make_engine(name)
    workspace = resolve(home)
    settings = workspace.config().get("spark", {}) if workspace.exists() else {}
    spark_config = {str(key): str(value) for key, value in settings.items()}
    return make_engine(name, spark_master=spark_master, spark_config=spark_config)


SaveModelOption = Annotated[
    Path | None,
    typer.Option("--save-model", help="Write the trained model as JSON to this file."),
]


def _report_run(result: MatchResult, kind: str) -> None:
    """Blocking per rule, the prior, the model's warnings: what a reviewer checks first."""
    blocking = Table(title=f"{kind}: candidate pairs by blocking rule", title_justify="left")
    blocking.add_column("rule")
    blocking.add_column("pairs", justify="right")
    blocking.add_column("new pairs", justify="right")
    blocking.add_column("what it matches on")
    for row in result.blocking:
        blocking.add_row(row.rule, f"{row.pairs:,}", f"{row.new_pairs:,}", row.description)
    err_console.print(blocking)
    model = result.model
    err_console.print(
        f"candidate pairs: {result.candidate_pairs:,}; prior (two random records match): "
        f"{model.prior:.3g} ({model.prior_source}), about {model.expected_matches:,.0f} "
        f"matches expected; {result.seconds:.1f} s",
        highlight=False,
    )
    for warning in result.warnings:
        err_console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    for note in model.adjustments:
        err_console.print(f"[yellow]model guard rail:[/] {note}", highlight=False)


@app.command("match")
def match_command(
    left: Annotated[
        str,
        typer.Argument(
            help="Left file of person records (CSV or Parquet); with --engine spark also a "
            "URI (hdfs://, s3a://)."
        ),
    ],
    right: Annotated[
        str, typer.Argument(help="Right file of person records (CSV or Parquet), or a URI.")
    ],
    out: Annotated[
        str,
        typer.Option(
            "--out",
            help="Write pairs here (.csv or .parquet): left_id, right_id, "
            "match_probability, match_weight; with --engine spark also a URI.",
        ),
    ],
    threshold: ThresholdOption = 0.5,
    model: ModelOption = None,
    save_model: SaveModelOption = None,
    one_to_one: Annotated[
        bool,
        typer.Option(
            "--one-to-one", help="Keep at most one link per record: the best mutual links."
        ),
    ] = False,
    engine: EngineOption = "duckdb",
    spark_master: SparkMasterOption = "local[*]",
    home: HomeOption = None,
) -> None:
    """Link two files of people; unsupervised unless --model is given."""
    runner = _engine(engine, spark_master, home)
    with progress_bar() as report:
        result = match(
            left,
            right,
            threshold=threshold,
            model=model,
            one_to_one=one_to_one,
            progress=report,
            engine=runner,
            out=out,
        )
    if save_model is not None:
        result.model.save(save_model)
    _report_run(result, "match")
    console.print(f"{result.pair_count:,} pairs at or above {threshold} written to {out}")


@app.command("dedupe")
def dedupe_command(
    records: Annotated[
        str,
        typer.Argument(
            help="File of person records to deduplicate (CSV or Parquet); with --engine "
            "spark also a URI."
        ),
    ],
    out: Annotated[
        str,
        typer.Option("--out", help="Write record_id, cluster_id for every record here."),
    ],
    threshold: ThresholdOption = 0.5,
    pairs_out: Annotated[
        str | None,
        typer.Option("--pairs-out", help="Also write the scored pairs here."),
    ] = None,
    model: ModelOption = None,
    save_model: SaveModelOption = None,
    engine: EngineOption = "duckdb",
    spark_master: SparkMasterOption = "local[*]",
    home: HomeOption = None,
) -> None:
    """Find the records of one file that are the same person and cluster them."""
    runner = _engine(engine, spark_master, home)
    with progress_bar() as report:
        result = dedupe(
            records,
            threshold=threshold,
            model=model,
            progress=report,
            engine=runner,
            out=out,
            pairs_out=pairs_out,
        )
    if save_model is not None:
        result.model.save(save_model)
    _report_run(result, "dedupe")
    console.print(
        f"{result.record_count:,} records in {result.cluster_count:,} clusters written to {out}"
    )


def _ids(path: Path | None) -> set[str] | None:
    if path is None:
        return None
    return {
        str(value) for value in read_table(path, ("record_id",)).column("record_id").to_pylist()
    }


def _print_evaluation(evaluation: Evaluation) -> None:
    scores = Table(
        title=f"{evaluation.true_pairs:,} true pairs, {evaluation.scored_pairs:,} scored pairs",
        title_justify="left",
    )
    for column in (
        "threshold",
        "precision",
        "recall",
        "F1",
        "true pos.",
        "false pos.",
        "false neg.",
    ):
        scores.add_column(column, justify="right")
    for s in evaluation.scores:
        if s.threshold < evaluation.lowest_probability:
            continue  # below the lowest score written, the counts would be wrong
        scores.add_row(
            f"{s.threshold:g}",
            f"{s.precision:.4f}",
            f"{s.recall:.4f}",
            f"{s.f1:.4f}",
            f"{s.true_positives:,}",
            f"{s.false_positives:,}",
            f"{s.false_negatives:,}",
        )
    console.print(scores)
    best = evaluation.best
    console.print(
        f"best F1 {best.f1:.4f} at threshold {best.threshold:.4g} "
        f"(precision {best.precision:.4f}, recall {best.recall:.4f})",
        highlight=False,
    )


@app.command("evaluate")
def evaluate_command(
    pairs: Annotated[
        Path, typer.Argument(help="Scored pairs from `soar match` or `soar dedupe --pairs-out`.")
    ],
    truth: Annotated[
        Path, typer.Option("--truth", help="Truth file: record_id, person_id for every record.")
    ],
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Draw the precision-recall curve to this PNG.")
    ] = None,
    left: Annotated[
        Path | None,
        typer.Option("--left", help="Left input of a match: count only cross-file true pairs."),
    ] = None,
    right: Annotated[
        Path | None,
        typer.Option("--right", help="Right input of a match (give with --left)."),
    ] = None,
) -> None:
    """Precision, recall and F1 of scored pairs against the truth, at several thresholds."""
    if (left is None) != (right is None):
        raise InputError("give both --left and --right, or neither")
    evaluation = evaluate(pairs, truth, left_ids=_ids(left), right_ids=_ids(right))
    _print_evaluation(evaluation)
    if chart is not None:
        precision_recall_chart(evaluation, chart, title=f"Precision-recall: {pairs.name}")
        console.print(f"precision-recall curve drawn to {chart}")


@app.command("explain")
def explain_command(
    left_id: Annotated[str, typer.Argument(help="record_id of the left record.")],
    right_id: Annotated[str, typer.Argument(help="record_id of the right record.")],
    model: Annotated[Path, typer.Option("--model", help="Trained model JSON (from --save-model).")],
    left: Annotated[
        Path | None,
        typer.Option(
            "--left", help="Left records file; default: the one the model was trained on."
        ),
    ] = None,
    right: Annotated[
        Path | None,
        typer.Option(
            "--right", help="Right records file; default: the one the model was trained on."
        ),
    ] = None,
) -> None:
    """The waterfall: each field's values, agreement level and weight, prior, probability."""
    explanation = explain(left_id, right_id, model=model, left=left, right=right)
    waterfall = Table(title=f"{left_id}  vs  {right_id}", title_justify="left")
    waterfall.add_column("comparison")
    waterfall.add_column("left")
    waterfall.add_column("right")
    waterfall.add_column("level")
    waterfall.add_column("weight", justify="right")
    waterfall.add_column("running total", justify="right")
    running = explanation.prior_weight
    waterfall.add_row(
        "prior", "", "", "two random records match", f"{running:+.2f}", f"{running:+.2f}"
    )
    for item in explanation.comparisons:
        running += item.match_weight
        waterfall.add_row(
            item.name,
            " | ".join(v for v in item.left_values.values() if v) or "-",
            " | ".join(v for v in item.right_values.values() if v) or "-",
            item.level,
            f"{item.match_weight:+.2f}",
            f"{running:+.2f}",
        )
    for name, weight in explanation.frequency_adjustments.items():
        running += weight
        waterfall.add_row(
            name, "", "", "how common the name is", f"{weight:+.2f}", f"{running:+.2f}"
        )
    console.print(waterfall)
    console.print(
        f"match weight {explanation.match_weight:+.2f} bits -> match probability "
        f"{explanation.match_probability:.6f}",
        highlight=False,
    )
