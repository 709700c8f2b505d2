"""Tables of the case store: users, cases, their history, detainers, arrests, the audit log.

The operational record of an operation (DESIGN.md, "Operational plane"). Every table is
portable between SQLite and PostgreSQL; the schema itself is created by the Alembic
migrations in `soar/cases/migrations/`, never by `create_all`, so both databases get the
same, versioned schema.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so migrations can refer to them on both databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    """The current instant, timezone-aware UTC (every stored instant is UTC)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as UTC and always read back timezone-aware.

    SQLite has no time zones and hands back naive values; the audit hash needs the same
    text on both databases, so every instant is normalised to aware UTC here.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store instants with a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with the shared naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    """A person who uses SOAR, with one role; never deleted, only disabled."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(32))
    # Only field officers have one: the area of responsibility they may act in.
    field_office: Mapped[str | None] = mapped_column(String(100), default=None)
    # argon2id hash; None means the account cannot log in (e.g. demo users).
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class Case(Base):
    """One lead under review and everything done about it; `version` guards edits."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable identity of the lead across linkage runs: re-import updates, never duplicates.
    lead_key: Mapped[str] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    field_office: Mapped[str] = mapped_column(String(100), index=True)
    person_name: Mapped[str] = mapped_column(String(300))
    dob: Mapped[str] = mapped_column(String(10))
    country_of_citizenship: Mapped[str] = mapped_column(String(100), default="")
    registry_record_id: Mapped[str] = mapped_column(String(200))
    immigration_record_id: Mapped[str] = mapped_column(String(200))
    match_probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    policy_id: Mapped[str] = mapped_column(String(100))
    policy_decision: Mapped[str] = mapped_column(String(100))
    citizenship_flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Set when something needs a person's eye (e.g. new evidence for a closed case).
    needs_attention: Mapped[bool] = mapped_column(Boolean, default=False)
    attention_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    transitions: Mapped[list[Transition]] = relationship(
        back_populates="case", order_by="Transition.id"
    )
    snapshots: Mapped[list[LeadSnapshot]] = relationship(
        back_populates="case", order_by="LeadSnapshot.id"
    )
    notes: Mapped[list[CaseNote]] = relationship(back_populates="case", order_by="CaseNote.id")
    detainers: Mapped[list[Detainer]] = relationship(back_populates="case", order_by="Detainer.id")
    arrests: Mapped[list[Arrest]] = relationship(back_populates="case", order_by="Arrest.id")

    # Any ORM flush of a changed case is `UPDATE … WHERE version = <read>`: never a lost update.
    __mapper_args__ = {"version_id_col": version}


class LeadSnapshot(Base):
    """The lead exactly as imported (evidence, offenses, policy reasons), one per change."""

    __tablename__ = "lead_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    source: Mapped[str] = mapped_column(String(500))
    # sha256 of the canonical JSON: an identical re-import adds nothing.
    lead_sha256: Mapped[str] = mapped_column(String(64))
    lead: Mapped[dict[str, Any]] = mapped_column(JSON)

    case: Mapped[Case] = relationship(back_populates="snapshots")


class Transition(Base):
    """One move of a case between workflow states: who, when, from, to, why."""

    __tablename__ = "case_transitions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # None for the state a case is created in.
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str] = mapped_column(String(40))
    # None when the system moved it (import, citizenship safeguard).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    version_after: Mapped[int] = mapped_column(Integer)

    case: Mapped[Case] = relationship(back_populates="transitions")


class CaseNote(Base):
    """A remark on a case, by a person or by the system (e.g. re-import of a closed case)."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    case: Mapped[Case] = relationship(back_populates="notes")


class Detainer(Base):
    """An immigration detainer (Form I-247A) lodged with a jail, and how it ended."""

    __tablename__ = "detainers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    form: Mapped[str] = mapped_column(String(16), default="I-247A")
    facility: Mapped[str] = mapped_column(String(300))
    served_on: Mapped[date] = mapped_column(Date)
    probable_cause: Mapped[str] = mapped_column(String(40))
    probable_cause_detail: Mapped[str] = mapped_column(Text, default="")
    warrant: Mapped[str] = mapped_column(String(8))
    # Facility-local wall-clock times: the jail's release and the end of the hold.
    release_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))
    hold_deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=False))
    issued_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    outcome: Mapped[str | None] = mapped_column(String(40))
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="detainers")


class Arrest(Base):
    """An arrest made on a case: of the targeted person, or collateral (someone else)."""

    __tablename__ = "arrests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    arrested_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300))
    field_office: Mapped[str] = mapped_column(String(100), index=True)
    targeted: Mapped[bool] = mapped_column(Boolean)
    # For a collateral arrest: who it was, as the officer describes them.
    person_description: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    case: Mapped[Case] = relationship(back_populates="arrests")


class AuditEntry(Base):
    """One append-only, hash-chained record of something done or seen (see `audit.py`)."""

    __tablename__ = "audit_log"

    # Assigned by the chain (1, 2, 3 …, no gaps), not by the database: a gap is a deletion.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    # Canonical JSON text, hashed exactly as stored.
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row naming the chain's last entry; writers lock it to append in order."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
