"""The review queue: evidence side by side, confirm / reject / skip, labels, conflicts."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from soar.report.stats import review_labels

from .conftest import page, version_of, walk


def _form(client: TestClient, case_id: int) -> tuple[str, str]:
    """The CSRF token and version the review form of `case_id` carries."""
    form = page(client.get(f"/review/{case_id}")).select_one("form#decision-form")
    assert form is not None
    token = form.select_one("input[name=csrf_token]")
    version = form.select_one("input[name=expected_version]")
    assert token is not None and version is not None
    return str(token["value"]), str(version["value"])


def test_queue_opens_the_most_probable_candidate(browser: Callable[[str], TestClient]) -> None:
    response = browser("alice").get("/review")
    assert response.status_code == 303 and response.headers["location"] == "/review/1"


def test_review_screen_shows_records_offenses_and_other_candidates(
    browser: Callable[[str], TestClient],
) -> None:
    screen = page(browser("alice").get("/review/1"))
    assert "0.9990" in screen.select_one("#probability").text
    rows = screen.select("#records tbody tr")
    assert [row.th.text for row in rows] == ["last name", "dob", "fingerprint id"]
    # 1979-03-02 vs 1979-02-03: the swapped digits are marked on both sides.
    dob = rows[1].select("td")
    assert [m.text for m in dob[0].select("mark")] == ["3", "2"]
    assert [m.text for m in dob[1].select("mark")] == ["2", "3"]
    assert rows[0].select("mark") == [] and "same" in rows[0]["class"]
    assert "day_month_swap" in rows[1].text and "2.30" in rows[1].text
    offense = screen.select_one("#offenses tbody tr")
    assert offense is not None and "sexual abuse of a minor" in offense.text
    assert "needed" in offense.text
    others = screen.select("#others li a")
    assert [a["href"] for a in others] == ["/review/9"]
    # No workspace model: the screen says so and shows the lead's evidence instead.
    assert "soar link" in screen.select_one("#waterfall-unavailable").text
    buttons = [b["value"] for b in screen.select("#decision-form button[name=decision]")]
    assert buttons == ["confirm", "reject", "skip"]


def test_values_are_escaped(app: FastAPI, browser: Callable[[str], TestClient]) -> None:
    from soar.cases.models import LeadSnapshot

    with app.state.store.transaction() as session:
        snapshot = session.get(LeadSnapshot, 1)
        assert snapshot is not None
        lead = dict(snapshot.lead)
        lead["evidence"] = [
            {"field": "last_name", "left": "<b>X</b>", "right": "<i>", "level": "", "weight": 0.0}
        ]
        snapshot.lead = lead
    row = page(browser("alice").get("/review/1")).select_one("#records tbody tr")
    assert row is not None
    left, right = row.select("td")[:2]
    assert left.text == "<b>X</b>" and right.text == "<i>"
    assert row.select("b, i") == []


def test_confirm_takes_the_candidate_through_review_and_stores_a_label(
    app: FastAPI, browser: Callable[[str], TestClient]
) -> None:
    alice = browser("alice")
    token, version = _form(alice, 1)
    response = alice.post(
        "/review/1",
        data={
            "decision": "confirm",
            "reason": "names, DOB and fingerprints agree",
            "expected_version": version,
            "csrf_token": token,
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/review"
    following = alice.get("/review")
    assert following.headers["location"] == "/review/2"
    assert "case 1: match confirmed" in page(alice.get("/review/2")).select_one("#flash").text
    with app.state.store.transaction() as session:
        labels = review_labels(session)
    assert [(label.case_id, label.match, label.reviewer) for label in labels] == [
        (1, True, "alice")
    ]
    assert labels[0].registry_record_id == "REG-L-0001"
    assert labels[0].match_probability == 0.999


def test_reject_is_a_negative_label(app: FastAPI, browser: Callable[[str], TestClient]) -> None:
    sam = browser("sam")
    token, version = _form(sam, 9)
    response = sam.post(
        "/review/9",
        data={
            "decision": "reject",
            "reason": "different A-file, other person",
            "expected_version": version,
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    with app.state.store.transaction() as session:
        (label,) = review_labels(session)
    assert (label.case_id, label.match, label.reviewer) == (9, False, "sam")


def test_too_short_reason_comes_back_with_the_words_kept(
    browser: Callable[[str], TestClient],
) -> None:
    alice = browser("alice")
    token, version = _form(alice, 1)
    response = alice.post(
        "/review/1",
        data={
            "decision": "confirm",
            "reason": "ok",
            "expected_version": version,
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    screen = page(response)
    assert "at least 10 characters" in screen.select_one("#error").text
    assert screen.select_one("#reason").text == "ok"


def test_skip_needs_a_reason_notes_it_and_moves_on(
    app: FastAPI, browser: Callable[[str], TestClient]
) -> None:
    alice = browser("alice")
    token, version = _form(alice, 1)
    data = {"decision": "skip", "expected_version": version, "csrf_token": token}
    assert alice.post("/review/1", data={**data, "reason": ""}).status_code == 422
    response = alice.post("/review/1", data={**data, "reason": "need the A-file"})
    assert response.status_code == 303
    assert alice.get("/review").headers["location"] == "/review/2"
    timeline = page(alice.get("/cases/1")).select_one("#timeline").text
    assert "skipped in review: need the A-file" in timeline
    # Someone else still gets the skipped case first.
    assert browser("arthur").get("/review").headers["location"] == "/review/1"
    assert version_of(app, 1) == 1


def test_review_form_without_csrf_is_refused(
    app: FastAPI, browser: Callable[[str], TestClient]
) -> None:
    alice = browser("alice")
    response = alice.post(
        "/review/1",
        data={"decision": "confirm", "reason": "names and DOB agree", "expected_version": "1"},
    )
    assert response.status_code == 403
    assert version_of(app, 1) == 1


def test_second_reviewer_on_a_stale_screen_gets_a_conflict(
    app: FastAPI, browser: Callable[[str], TestClient]
) -> None:
    alice, arthur = browser("alice"), browser("arthur")
    alice_form, arthur_form = _form(alice, 2), _form(arthur, 2)
    first = alice.post(
        "/review/2",
        data={
            "decision": "confirm",
            "reason": "all identifiers agree",
            "expected_version": alice_form[1],
            "csrf_token": alice_form[0],
        },
    )
    assert first.status_code == 303
    second = arthur.post(
        "/review/2",
        data={
            "decision": "reject",
            "reason": "I think these differ",
            "expected_version": arthur_form[1],
            "csrf_token": arthur_form[0],
        },
    )
    assert second.status_code == 409
    screen = page(second)
    assert "changed by someone else" in screen.select_one("#error").text
    assert screen.select_one("#not-reviewable") is not None
    with app.state.store.transaction() as session:
        assert [label.match for label in review_labels(session)] == [True]


def test_empty_queue(app: FastAPI, browser: Callable[[str], TestClient]) -> None:
    for case_id in range(1, 10):
        walk(app, case_id, ("closed", "sam")) if case_id != 4 else None
    response = browser("alice").get("/review")
    assert response.status_code == 200
    assert page(response).select_one("#queue-empty") is not None


def test_keyboard_shortcuts_script_is_served(client: TestClient) -> None:
    script = client.get("/static/app.js")
    assert script.status_code == 200
    assert "decision-form" in script.text and 'c: "confirm"' in script.text
