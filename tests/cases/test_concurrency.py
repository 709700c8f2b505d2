"""Two real processes decide the same cases at once: one wins, the other is told, no loss."""

from __future__ import annotations

import multiprocessing
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from sqlalchemy import select

from soar.cases import audit, db, service, users
from soar.cases.db import Store
from soar.cases.errors import ConflictError
from soar.cases.leads import import_leads
from soar.cases.models import Case, Transition, User

from .factories import make_lead

ROUNDS = 5
DECISIONS = {
    "alice": ("match_confirmed", "names, DOB and A-number agree"),
    "arthur": ("match_rejected", "different person: birth years differ"),
}


def decide(
    url: str, username: str, case_ids: list[int], barrier: Barrier, results: Queue[object]
) -> None:
    """One reviewer's process: for each case, wait for the other, then decide on version 2."""
    store = db.open_store(url)
    outcomes = []
    to_state, reason = DECISIONS[username]
    try:
        for case_id in case_ids:
            barrier.wait(timeout=60)
            try:
                with store.transaction() as session:
                    service.transition(
                        session,
                        case_id=case_id,
                        to_state=to_state,
                        actor=users.acting(session, username),
                        reason=reason,
                        expected_version=2,  # both read the case at version 2
                    )
                outcomes.append("won")
            except ConflictError as conflict:
                outcomes.append(f"conflict: {conflict}")
    except BaseException as error:
        # Tell the test at once instead of leaving it waiting on the queue.
        results.put((username, [f"crashed: {error!r}"] * len(case_ids)))
        raise
    finally:
        store.close()
    results.put((username, outcomes))


def test_two_processes_one_wins_one_conflicts_and_the_chain_holds(
    store: Store, people: dict[str, User]
) -> None:
    with store.transaction() as session:
        case_ids = import_leads(
            session, [make_lead(f"K{n}") for n in range(ROUNDS)], source="leads.jsonl"
        ).case_ids
    for case_id in case_ids:
        with store.transaction() as session:
            service.transition(
                session,
                case_id=case_id,
                to_state="in_review",
                actor=people["sam"],
                reason="shared review queue",
                expected_version=1,
            )
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    queue: Queue[object] = context.Queue()
    workers = [
        context.Process(target=decide, args=(store.url, name, case_ids, barrier, queue))
        for name in DECISIONS
    ]
    for worker in workers:
        worker.start()
    received = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    results: dict[str, list[str]] = dict(received)  # type: ignore[arg-type]
    for round_number, case_id in enumerate(case_ids):
        outcomes = [results[name][round_number] for name in DECISIONS]
        assert sorted(o == "won" for o in outcomes) == [False, True], outcomes
        loser = next(o for o in outcomes if o != "won")
        assert f"case {case_id} was changed by someone else" in loser
        assert "you read version 2, it is now version 3" in loser
    with store.transaction() as session:
        for case_id in case_ids:
            case = session.get(Case, case_id)
            assert case is not None
            decided = session.scalars(
                select(Transition).where(
                    Transition.case_id == case_id, Transition.from_state == "in_review"
                )
            ).all()
            assert len(decided) == 1  # exactly one decision recorded, none lost
            assert case.state == decided[0].to_state
            assert case.version == 3
        verification = audit.verify(session)
    assert verification.ok, verification.problem
