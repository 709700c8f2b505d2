"""The audit log: append-only, each entry hash-chained to the one before it.

An entry's hash is sha256 over a canonical JSON serialisation of its id, time, actor,
action, subject, detail and the previous entry's hash. Ids are handed out by the chain
(1, 2, 3 …) so a missing id is a deleted entry; editing, deleting or reordering any entry
breaks the chain from that entry on, and `verify` names the first one.

Appends go through the single `audit_head` row, locked for the rest of the transaction
(`SELECT … FOR UPDATE` on PostgreSQL, the write lock on SQLite), so concurrent writers
queue and the chain never forks. Entries are written in the caller's transaction: the
change and its record commit together or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from soar.cases.models import AuditEntry, AuditHead, utc_now
from soar.errors import SoarError

GENESIS_HASH = "0" * 64
# Read the log in pages so verifying a long chain keeps memory flat.
VERIFY_PAGE = 5_000


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _instant_text(at: datetime) -> str:
    """An instant as fixed-width ISO text in UTC (microseconds kept: both databases do)."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    *,
    entry_id: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    detail: str,
    prev_hash: str,
) -> str:
    """sha256 hex of the canonical serialisation of one entry, chained by `prev_hash`."""
    payload = canonical_json(
        {
            "id": entry_id,
            "at": _instant_text(at),
            "actor": actor,
            "action": action,
            "subject": subject,
            "detail": detail,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def lock_head(session: Session) -> AuditHead:
    """Lock the chain head for the rest of the transaction and return it.

    Every writer takes this lock first, before touching any case, so all writers lock in
    the same order and cannot deadlock; on SQLite the write lock already serialises them.
    Within one transaction the lock is taken once.
    """
    transaction = session.get_transaction()
    held = session.info.get(_HEAD_LOCK)
    if held is not None and held[0] is transaction:
        head: AuditHead = held[1]
        return head
    found = session.scalars(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).one_or_none()
    if found is None:
        raise SoarError(
            "the audit log has no chain head row; the case store is damaged or was not "
            "created by `soar db upgrade`"
        )
    session.info[_HEAD_LOCK] = (transaction, found)
    return found


_HEAD_LOCK = "soar.audit.head_lock"


@dataclass(frozen=True)
class Event:
    """Something to record: who did what to which subject, with details."""

    actor: str
    action: str
    subject: str
    detail: Mapping[str, Any] | None = None


def record_many(session: Session, events: Iterable[Event]) -> list[AuditEntry]:
    """Append entries in order inside the caller's transaction (one lock, one flush)."""
    head = lock_head(session)
    # Microseconds only: PostgreSQL keeps no more, and the hash must survive a round trip.
    at = utc_now()
    entries = []
    for event in events:
        detail_text = canonical_json(dict(event.detail or {}))
        entry_id = head.last_id + 1
        digest = entry_hash(
            entry_id=entry_id,
            at=at,
            actor=event.actor,
            action=event.action,
            subject=event.subject,
            detail=detail_text,
            prev_hash=head.last_hash,
        )
        entries.append(
            AuditEntry(
                id=entry_id,
                at=at,
                actor=event.actor,
                action=event.action,
                subject=event.subject,
                detail=detail_text,
                prev_hash=head.last_hash,
                hash=digest,
            )
        )
        head.last_id = entry_id
        head.last_hash = digest
    session.add_all(entries)
    session.flush()
    return entries


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str,
    detail: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain inside the caller's transaction."""
    (entry,) = record_many(session, [Event(actor, action, subject, detail)])
    return entry


@dataclass(frozen=True)
class Verification:
    """What `verify` found: `ok`, entries checked, and the first bad entry if any."""

    ok: bool
    entries: int
    head_hash: str
    first_bad_id: int | None = None
    problem: str = ""


def _entries(session: Session) -> Iterator[AuditEntry]:
    last = 0
    while True:
        page = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.id > last)
            .order_by(AuditEntry.id)
            .limit(VERIFY_PAGE)
        ).all()
        if not page:
            return
        yield from page
        last = page[-1].id
        session.expunge_all()


def verify(session: Session) -> Verification:
    """Walk the chain from the first entry; report the first edited, deleted or moved one."""
    expected_id = 1
    prev_hash = GENESIS_HASH
    count = 0
    for entry in _entries(session):
        if entry.id != expected_id:
            missing = (
                f"entry {expected_id}"
                if entry.id == expected_id + 1
                else f"entries {expected_id}–{entry.id - 1}"
            )
            return Verification(
                False,
                count,
                prev_hash,
                expected_id,
                f"{missing} missing: deleted, or renumbered (the next entry present is {entry.id})",
            )
        if entry.prev_hash != prev_hash:
            return Verification(
                False,
                count,
                prev_hash,
                entry.id,
                f"entry {entry.id} does not follow entry {entry.id - 1}: its previous-hash "
                "link is wrong (entries reordered, or one before it replaced)",
            )
        digest = entry_hash(
            entry_id=entry.id,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            subject=entry.subject,
            detail=entry.detail,
            prev_hash=entry.prev_hash,
        )
        if digest != entry.hash:
            return Verification(
                False,
                count,
                prev_hash,
                entry.id,
                f"entry {entry.id} was edited: its content no longer matches its hash",
            )
        prev_hash = entry.hash
        expected_id += 1
        count += 1
    head = session.get(AuditHead, 1)
    if head is None:
        return Verification(False, count, prev_hash, None, "the chain head row is missing")
    if head.last_id != count or head.last_hash != prev_hash:
        return Verification(
            False,
            count,
            prev_hash,
            count + 1 if head.last_id > count else head.last_id,
            f"the chain head records {head.last_id} entries but the log holds {count}: "
            f"the last {head.last_id - count} entries were deleted"
            if head.last_id > count
            else f"the chain head ({head.last_id} entries) disagrees with the log ({count})",
        )
    return Verification(True, count, prev_hash)


def entries_for(session: Session, subject: str, limit: int = 200) -> list[AuditEntry]:
    """The newest entries about one subject (e.g. `case:12`), newest first."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.subject == subject)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )
