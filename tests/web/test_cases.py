"""The case board and case page: filters, timeline, moves per role, field forms, conflicts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from .conftest import TO_ASSIGNED, page, version_of, walk

# The case store runs on SQLite and PostgreSQL (STYLE.md): both, for these flows.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def _form(client: TestClient, case_id: int, form_id: str) -> dict[str, str]:
    form = page(client.get(f"/cases/{case_id}")).select_one(f"form#{form_id}")
    assert form is not None, f"no {form_id} on case {case_id}"
    return {
        str(field["name"]): str(field.get("value", ""))
        for field in form.select("input[type=hidden]")
    }


def _ids(board: BeautifulSoup) -> list[int]:
    return [int(str(row["data-case"])) for row in board.select("#cases tbody tr[data-case]")]


def test_board_filters_and_pages(browser: Callable[[str], TestClient]) -> None:
    alice = browser("alice")
    first = page(alice.get("/cases"))
    assert first.select_one("#case-total").text == "9 found"
    assert len(_ids(first)) == 5  # page_size 5 in the test settings
    second = page(alice.get(first.select_one("a[rel=next]")["href"]))
    assert len(_ids(second)) == 4 and not set(_ids(first)) & set(_ids(second))
    assert _ids(page(alice.get("/cases?state=citizenship_review"))) == [4]
    assert sorted(_ids(page(alice.get("/cases?field_office=Chicago")))) == [6, 7]
    assert _ids(page(alice.get("/cases?policy_decision=not_a_priority"))) == [7]
    assert _ids(page(alice.get("/cases?custody=yes"))) == [9]
    assert 9 not in _ids(page(alice.get("/cases?custody=no&field_office=Houston")))


def test_board_rejects_an_unknown_state(browser: Callable[[str], TestClient]) -> None:
    response = browser("alice").get("/cases?state=nonsense")
    assert response.status_code == 422
    assert "not a workflow state" in page(response).select_one("#message").text


def test_case_page_shows_facts_timeline_and_only_the_roles_moves(
    browser: Callable[[str], TestClient],
) -> None:
    alice = page(browser("alice").get("/cases/1"))
    assert alice.select_one("#state").text == "candidate"
    assert "created the case in candidate" in alice.select_one("#timeline").text
    moves = [option["value"] for option in alice.select("#to_state option")]
    assert moves == ["in_review", "citizenship_review"]
    assert alice.select_one("#detainer-form") is None and alice.select_one("#arrest-form") is None
    # An auditor reads the case but has nothing to do on it.
    otto = page(browser("otto").get("/cases/1"))
    assert otto.select_one("#transition-form") is None
    # A supervisor may also close it.
    sam = [o["value"] for o in page(browser("sam").get("/cases/1")).select("#to_state option")]
    assert "closed" in sam


def test_missing_case_is_404(browser: Callable[[str], TestClient]) -> None:
    assert browser("alice").get("/cases/999").status_code == 404


def test_transition_form_moves_the_case_and_the_timeline_says_so(
    browser: Callable[[str], TestClient],
) -> None:
    alice = browser("alice")
    hidden = _form(alice, 1, "transition-form")
    response = alice.post(
        "/cases/1/transition",
        data={**hidden, "to_state": "in_review", "reason": "taking the lead"},
    )
    assert response.status_code == 303
    after = page(alice.get("/cases/1"))
    assert after.select_one("#state").text == "in review"
    assert "candidate → in review" in after.select_one("#flash").text
    assert "taking the lead" in after.select_one("#timeline").text


def test_transition_form_without_csrf_is_refused(
    app: FastAPI, browser: Callable[[str], TestClient]
) -> None:
    response = browser("alice").post(
        "/cases/1/transition",
        data={"to_state": "in_review", "reason": "taking it", "expected_version": "1"},
    )
    assert response.status_code == 403
    assert version_of(app, 1) == 1


def test_two_person_rule_is_explained(app: FastAPI, browser: Callable[[str], TestClient]) -> None:
    walk(app, 1, ("in_review", "sam"), ("match_confirmed", "sam"), ("priority_assessed", "sam"))
    sam = browser("sam")
    response = sam.post(
        "/cases/1/transition",
        data={
            **_form(sam, 1, "transition-form"),
            "to_state": "approved",
            "reason": "priority under policy",
        },
    )
    assert response.status_code == 403
    assert "two-person rule" in page(response).select_one("#message").text


def test_same_case_in_two_sessions_second_gets_conflict_and_keeps_entries(
    app: FastAPI, browser: Callable[[str], TestClient]
) -> None:
    alice, sam = browser("alice"), browser("sam")
    alice_form, sam_form = _form(alice, 2, "transition-form"), _form(sam, 2, "transition-form")
    assert (
        alice.post(
            "/cases/2/transition", data={**alice_form, "to_state": "in_review", "reason": "mine"}
        ).status_code
        == 303
    )
    response = sam.post(
        "/cases/2/transition",
        data={**sam_form, "to_state": "closed", "reason": "duplicate of an older lead"},
    )
    assert response.status_code == 409
    screen = page(response)
    error = screen.select_one("#error")
    assert error is not None and "conflict" in error["class"]
    assert "you read version 1, it is now version 2" in error.text
    # Nothing is lost: the reason is still in the form, against the new version.
    assert screen.select_one("#transition-reason").text == "duplicate of an older lead"
    assert screen.select_one("#transition-form input[name=expected_version]")["value"] == "2"
    assert screen.select_one("#state").text == "in review"


def test_field_officer_lodges_a_detainer_with_validation(
    app: FastAPI, browser: Callable[[str], TestClient]
) -> None:
    walk(app, 1, *TO_ASSIGNED)
    hugo = browser("hugo")
    hidden = _form(hugo, 1, "detainer-form")
    bad = hugo.post(
        "/cases/1/detainer",
        data={
            **hidden,
            "facility": "Harris County Jail",
            "served_on": "yesterday",
            "probable_cause": "final_order",
            "warrant": "I-205",
            "reason": "in local custody",
        },
    )
    assert bad.status_code == 422
    screen = page(bad)
    assert "not a date" in screen.select_one("#error").text
    assert screen.select_one("#facility")["value"] == "Harris County Jail"
    wrong_warrant = hugo.post(
        "/cases/1/detainer",
        data={
            **hidden,
            "facility": "Harris County Jail",
            "served_on": "2026-06-01",
            "probable_cause": "pending_proceedings",
            "warrant": "I-205",
            "reason": "in local custody",
        },
    )
    assert wrong_warrant.status_code == 422
    assert "I-205" in page(wrong_warrant).select_one("#error").text
    good = hugo.post(
        "/cases/1/detainer",
        data={
            **hidden,
            "facility": "Harris County Jail",
            "served_on": "2026-06-01",
            "probable_cause": "pending_proceedings",
            "warrant": "I-200",
            "release_at": "2026-06-05T15:00",
            "reason": "in local custody",
        },
    )
    assert good.status_code == 303
    after = page(hugo.get("/cases/1"))
    assert after.select_one("#state").text == "detainer issued"
    assert "hold until 2026-06-09 15:00" in after.select_one("#flash").text
    assert "Harris County Jail" in after.select_one("#detainers").text
    # Another field office cannot act on it.
    assert browser("mia").get("/cases/1").status_code == 403


def test_detainer_outcome_then_arrest(app: FastAPI, browser: Callable[[str], TestClient]) -> None:
    walk(app, 1, *TO_ASSIGNED)
    hugo = browser("hugo")
    hugo.post(
        "/cases/1/detainer",
        data={
            **_form(hugo, 1, "detainer-form"),
            "facility": "Harris County Jail",
            "served_on": "2026-06-01",
            "probable_cause": "pending_proceedings",
            "warrant": "I-200",
            "reason": "in local custody",
        },
    )
    outcome = hugo.post(
        "/cases/1/detainer-outcome",
        data={
            **_form(hugo, 1, "outcome-form"),
            "outcome": "honored",
            "reason": "custody transferred",
        },
    )
    assert outcome.status_code == 303
    no_place = hugo.post(
        "/cases/1/arrest",
        data={
            **_form(hugo, 1, "arrest-form"),
            "arrested_on": "2026-06-02",
            "place": "",
            "reason": "transfer",
        },
    )
    assert no_place.status_code == 422
    assert "where the arrest was made" in page(no_place).select_one("#error").text
    arrest = hugo.post(
        "/cases/1/arrest",
        data={
            **_form(hugo, 1, "arrest-form"),
            "arrested_on": "2026-06-02",
            "place": "Harris County Jail",
            "reason": "custody transfer under the detainer",
        },
    )
    assert arrest.status_code == 303
    after = page(hugo.get("/cases/1"))
    assert after.select_one("#state").text == "arrested"
    assert "2026-06-02" in after.select_one("#arrests").text
    assert "arrested" in after.select_one("#timeline").text
