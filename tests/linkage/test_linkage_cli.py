"""`soar match`, `evaluate`, `explain`, `dedupe` end to end through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from linkage_people import Linked
from typer.testing import CliRunner

from soar.cli import app

runner = CliRunner()


def test_match_evaluate_explain(linked: Linked, tmp_path: Path) -> None:
    pairs, model, chart = tmp_path / "pairs.csv", tmp_path / "model.json", tmp_path / "pr.png"
    result = runner.invoke(
        app,
        [
            "match",
            str(linked.left),
            str(linked.right),
            "--out",
            str(pairs),
            "--save-model",
            str(model),
            "--threshold",
            "0.05",
        ],
    )
    assert result.exit_code == 0, result.output
    assert pairs.read_text().splitlines()[0] == (
        '"left_id","right_id","match_probability","match_weight"'
    )
    assert "candidate pairs by blocking rule" in result.output
    result = runner.invoke(
        app,
        [
            "evaluate",
            str(pairs),
            "--truth",
            str(linked.truth),
            "--chart",
            str(chart),
            "--left",
            str(linked.left),
            "--right",
            str(linked.right),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "best F1" in result.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = runner.invoke(app, ["explain", "L00000", "TYPO", "--model", str(model)])
    assert result.exit_code == 0, result.output
    assert "a_number" in result.output and "match probability" in result.output


def test_one_to_one_keeps_one_link_per_record(linked: Linked, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    result = runner.invoke(
        app,
        [
            "match",
            str(linked.left),
            str(linked.right),
            "--out",
            str(pairs),
            "--threshold",
            "0.01",
            "--one-to-one",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in pairs.read_text().splitlines()[1:]]
    assert len({r[0] for r in rows}) == len(rows) == len({r[1] for r in rows})


def test_dedupe_clusters_every_record(linked: Linked, tmp_path: Path) -> None:
    both = tmp_path / "both.csv"
    left_lines = linked.left.read_text().splitlines()
    right_lines = linked.right.read_text().splitlines()[1:]
    # A chain: CHAIN_A and CHAIN_C differ in FBI number; CHAIN_B, with none, links to both.
    chain = [
        f"CHAIN_{x},QUENTIN,ZAMBRANO,,1961-02-03,M,MEX,,{fbi}"
        for x, fbi in (("A", "1234567AB"), ("B", ""), ("C", "7654321CD"))
    ]
    both.write_text("\n".join(left_lines + right_lines + chain) + "\n")
    clusters, pairs = tmp_path / "clusters.csv", tmp_path / "pairs.csv"
    result = runner.invoke(
        app, ["dedupe", str(both), "--out", str(clusters), "--pairs-out", str(pairs)]
    )
    assert result.exit_code == 0, result.output
    rows = dict(line.replace('"', "").split(",") for line in clusters.read_text().splitlines()[1:])
    assert len(rows) == len(left_lines) - 1 + len(right_lines) + 3
    assert rows["TYPO"] == rows["L00000"]
    linked_pairs = {
        frozenset(line.replace('"', "").split(",")[:2])
        for line in pairs.read_text().splitlines()[1:]
    }
    assert frozenset({"L00000", "TYPO"}) in linked_pairs
    assert frozenset({"L00001", "NAMESAKE"}) not in linked_pairs
    assert frozenset({"CHAIN_A", "CHAIN_C"}) not in linked_pairs
    assert rows["CHAIN_A"] == rows["CHAIN_B"] == rows["CHAIN_C"]
    assert "different fbi_number values" in result.output
    assert "'CHAIN_A'" in result.output


def test_every_linkage_command_and_option_has_help() -> None:
    for command in ("match", "dedupe", "evaluate", "explain"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0
        assert "Usage" in result.output
    group = typer.main.get_command(app)
    for name in ("match", "dedupe", "evaluate", "explain"):
        command = group.commands[name]  # type: ignore[attr-defined]
        assert command.help, f"{name} has no help"
        for param in command.params:
            assert getattr(param, "help", None), f"{name} {param.name} has no help"


def test_spark_settings_come_from_the_workspace_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import soar.cli.linkage as linkage_cli
    from soar.errors import SoarError
    from soar.workspace import init

    workspace = init(tmp_path / "ws")
    workspace.config_path.write_text(
        workspace.config_path.read_text(encoding="utf-8")
        + '\n[spark]\n"spark.executor.memory" = "20g"\n"spark.sql.shuffle.partitions" = 2000\n',
        encoding="utf-8",
    )
    asked: dict[str, object] = {}

    def fake_engine(name: str, **options: object) -> None:
        asked.update(options, name=name)
        raise SoarError("stop before Spark starts")

    monkeypatch.setattr(linkage_cli, "make_engine", fake_engine)
    args = ["a.csv", "b.csv", "--out", str(tmp_path / "p.csv"), "--engine", "spark"]
    result = runner.invoke(
        app, ["match", *args, "--spark-master", "spark://head:7077", "--home", str(workspace.home)]
    )
    assert isinstance(result.exception, SoarError)
    assert asked == {
        "name": "spark",
        "spark_master": "spark://head:7077",
        "spark_config": {"spark.executor.memory": "20g", "spark.sql.shuffle.partitions": "2000"},
    }
    # Without a workspace there are no settings to read, and none are made up.
    asked.clear()
    monkeypatch.delenv("SOAR_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    runner.invoke(app, ["dedupe", "a.csv", "--out", str(tmp_path / "c.csv"), "--engine", "spark"])
    assert asked == {"name": "spark", "spark_master": "local[*]", "spark_config": {}}
