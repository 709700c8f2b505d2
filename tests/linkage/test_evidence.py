"""What a reviewer relies on: strong identifiers decide, and the explanation adds up."""

from __future__ import annotations

from collections import Counter

import pyarrow.csv as pa_csv
import pytest
from linkage_people import Linked

from soar.linkage.evaluate import evaluate
from soar.linkage.explain import explain


def _probability(linked: Linked, left_id: str, right_id: str) -> float:
    for pair in linked.result.pairs.to_pylist():
        if pair["left_id"] == left_id and pair["right_id"] == right_id:
            return float(pair["match_probability"])
    return 0.0


def test_unsupervised_run_links_the_invented_population(linked: Linked) -> None:
    left_ids = set(pa_csv.read_csv(linked.left).column("record_id").to_pylist())
    right_ids = set(pa_csv.read_csv(linked.right).column("record_id").to_pylist())
    score = evaluate(linked.result.pairs, linked.truth, left_ids=left_ids, right_ids=right_ids).at(
        0.5
    )
    assert score.precision >= 0.99
    assert score.recall >= 0.97


def test_the_prior_is_estimated_from_the_data(linked: Linked) -> None:
    truth = pa_csv.read_csv(linked.truth).to_pylist()
    left_people = Counter(r["person_id"] for r in truth if r["record_id"].startswith("L"))
    right_people = [r["person_id"] for r in truth if not r["record_id"].startswith("L")]
    true_pairs = sum(left_people[person] for person in right_people)
    model = linked.result.model
    all_pairs = len(left_people) * len(right_people)
    assert model.prior == pytest.approx(model.expected_matches / all_pairs, rel=1e-4)
    assert model.expected_matches == pytest.approx(true_pairs, rel=0.03)


def test_a_shared_a_number_outweighs_a_name_typo(linked: Linked) -> None:
    explanation = explain("L00000", "TYPO", model=linked.folder / "model.json")
    weights = {c.name: c.match_weight for c in explanation.comparisons}
    levels = {c.name: c.level for c in explanation.comparisons}
    exact_name = linked.result.model.parameters("name").levels[1].weight
    assert levels["a_number"] == "exact"
    assert levels["name"] == "one part exact, the other a typo or same sound"
    # A shared A-number is strong evidence on its own, and far more than the typo costs.
    assert weights["a_number"] > 10
    assert weights["a_number"] > 5 * (exact_name - weights["name"])
    assert _probability(linked, "L00000", "TYPO") > 0.99


def test_a_conflicting_fbi_number_blocks_a_match_the_names_would_make(linked: Linked) -> None:
    explanation = explain("L00001", "NAMESAKE", model=linked.folder / "model.json")
    weights = {c.name: c.match_weight for c in explanation.comparisons}
    without_fbi = explanation.match_weight - weights["fbi_number"]
    assert without_fbi > 0, "name, birth date, sex and country alone should make a match"
    assert weights["fbi_number"] < -without_fbi
    assert explanation.match_probability < 0.5
    assert _probability(linked, "L00001", "NAMESAKE") < 0.5


def test_explain_weights_sum_to_the_pairs_match_weight(linked: Linked) -> None:
    pair = max(linked.result.pairs.to_pylist(), key=lambda p: p["match_weight"] % 1.0)
    explanation = explain(pair["left_id"], pair["right_id"], model=linked.folder / "model.json")
    total = sum(weight for _, weight in explanation.rows())
    assert total == pytest.approx(explanation.match_weight, abs=1e-6)
    assert explanation.match_weight == pytest.approx(pair["match_weight"], abs=1e-3)
    assert explanation.match_probability == pytest.approx(pair["match_probability"], abs=1e-5)
