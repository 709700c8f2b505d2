"""The demo's case-store walk: users per role, leads imported, cases taken to arrest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from soar.cases import db
from soar.cases.demo import run_demo
from soar.cases.models import Case, Transition
from soar.workspace import init

from .conftest import LEADS_FIXTURE


def test_the_demo_walks_leads_to_arrests_under_the_rules(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOAR_DATABASE_URL", database_url)
    workspace = init(tmp_path / "demo")
    result = run_demo(workspace, LEADS_FIXTURE, today=date(2024, 8, 29))
    counts = result.funnel
    assert counts["leads"] == 8
    assert counts["citizenship_review"] == 1  # held: no one cleared it
    assert counts["match_confirmed"] == 2  # the two leads at or above 0.9
    assert counts["approved"] == 2
    assert counts["arrested"] == 2
    assert counts["detainer_issued"] == 1 and counts["detainer_honored"] == 1
    assert result.audit_ok and result.audit_entries > 30
    assert {"demo-admin", "demo-analyst", "demo-supervisor", "demo-auditor"} <= set(
        result.usernames
    )
    assert "demo-fo-houston" in result.usernames
    store = db.open_store(database_url)
    with store.transaction() as session:
        for case_id in session.scalars(select(Case.id).where(Case.state == "arrested")):
            steps = {
                t.to_state: t.actor_name
                for t in session.scalars(select(Transition).where(Transition.case_id == case_id))
            }
            assert steps["match_confirmed"] != steps["approved"]  # two people signed
    store.close()
    # Running it again on the same workspace adds nothing and breaks nothing.
    again = run_demo(workspace, LEADS_FIXTURE, today=date(2024, 8, 29))
    assert again.funnel == counts and again.imported.unchanged == 8 and again.audit_ok
