"""The model is readable JSON that saves, reloads and scores exactly as when trained."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from linkage_people import Linked

from soar.linkage import Model, match


def test_model_json_round_trips(linked: Linked, tmp_path: Path) -> None:
    model = Model.load(linked.folder / "model.json")
    model.save(tmp_path / "again.json")
    assert (tmp_path / "again.json").read_text() == (linked.folder / "model.json").read_text()
    assert model.prior == pytest.approx(linked.result.model.prior)


def test_model_json_reads_as_a_person_would_want(linked: Linked) -> None:
    data = json.loads((linked.folder / "model.json").read_text())
    assert data["schema"] == "soar.linkage.model/1"
    assert 0 < data["prior"] < 0.01
    name = next(c for c in data["comparisons"] if c["name"] == "name")
    exact = name["levels"][1]
    assert exact["label"] == "exact"
    assert exact["match_weight"] > 5
    assert {"m", "u", "kind"} <= set(exact)
    assert data["training_passes"], "the EM passes are recorded"


def test_a_saved_model_scores_the_same_pairs(linked: Linked) -> None:
    again = match(linked.left, linked.right, threshold=0.01, model=linked.folder / "model.json")
    assert again.pairs.to_pylist() == linked.result.pairs.to_pylist()


def test_training_is_reproducible(linked: Linked) -> None:
    again = match(linked.left, linked.right, threshold=0.01)
    assert again.model.to_json() == linked.result.model.to_json()
