"""The model's explanation on the review screen: computed off the request, then shown."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from soar.linkage.explain import ExplainedComparison, Explanation
from soar.web import waterfall as waterfall_module

from .conftest import page


@pytest.fixture
def slow_model(app: FastAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Linkage files in the workspace and an `explain` that waits until released."""
    linkage = tmp_path / "ws" / "linkage"
    for name in ("model.json", "registry.parquet", "immigration.parquet"):
        (linkage / name).write_text("{}", encoding="utf-8")
    release = threading.Event()

    def fake_explain(left_id: str, right_id: str, **_: object) -> Explanation:
        release.wait(10)
        swap = ExplainedComparison(
            "dob", "", {"dob": "1979-03-02"}, {"dob": "1979-02-03"}, "day/month swapped", 4.5
        )
        return Explanation(left_id, right_id, -10.0, (swap,), {"last_name": -1.5}, -7.0)

    monkeypatch.setattr(waterfall_module, "explain", fake_explain)
    return release


def test_review_screen_does_not_wait_for_the_explanation(
    slow_model: threading.Event, browser: Callable[[str], TestClient]
) -> None:
    alice = browser("alice")
    first = page(alice.get("/review/1"))
    pending = first.select_one("#waterfall-pending")
    assert pending is not None and "being computed" in pending.text
    assert pending.select_one("a")["href"] == "/review/1"
    slow_model.set()
    fragment = page(alice.get("/review/1/waterfall"))
    rows = fragment.select("#waterfall tbody tr")
    assert [row.th.text for row in rows] == ["prior", "dob", "last_name", "total"]
    assert "day/month swapped" in rows[1].text and "+4.50" in rows[1].text
    assert "-7.00" in rows[3].text
    # Cached: the screen itself now shows it.
    assert page(alice.get("/review/1")).select_one("#waterfall") is not None


def test_queue_starts_explanations_ahead(
    slow_model: threading.Event, browser: Callable[[str], TestClient]
) -> None:
    slow_model.set()
    alice = browser("alice")
    assert alice.get("/review").headers["location"] == "/review/1"
    # The next candidates were started by the queue; their fragments are ready at once.
    for case_id in (1, 2, 3):
        assert page(alice.get(f"/review/{case_id}/waterfall")).select_one("#waterfall")


def test_waterfall_fragment_is_for_reviewers_only(browser: Callable[[str], TestClient]) -> None:
    assert browser("hugo").get("/review/1/waterfall").status_code == 403
    assert browser("alice").get("/review/999/waterfall").status_code == 404
