"""Initial case store: users, cases and their history, detainers, arrests, audit chain.

Revision ID: 0001
Revises:
Create Date: 2026-11-29

Written out in full (not imported from `soar.cases.models`) so that this revision keeps
meaning the same schema when the models move on.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

GENESIS_HASH = "0" * 64


def _instant(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(column: str, target: str, table: str) -> sa.ForeignKeyConstraint:
    target_table = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=f"fk_{table}_{column}_{target_table}")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("field_office", sa.String(100), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        _instant("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_key", sa.String(200), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("field_office", sa.String(100), nullable=False),
        sa.Column("person_name", sa.String(300), nullable=False),
        sa.Column("dob", sa.String(10), nullable=False),
        sa.Column("country_of_citizenship", sa.String(100), nullable=False),
        sa.Column("registry_record_id", sa.String(200), nullable=False),
        sa.Column("immigration_record_id", sa.String(200), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("policy_id", sa.String(100), nullable=False),
        sa.Column("policy_decision", sa.String(100), nullable=False),
        sa.Column("citizenship_flags", sa.JSON(), nullable=False),
        sa.Column("needs_attention", sa.Boolean(), nullable=False),
        sa.Column("attention_reason", sa.Text(), nullable=False),
        _instant("created_at"),
        _instant("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.UniqueConstraint("lead_key", name="uq_cases_lead_key"),
        sa.CheckConstraint("version >= 1", name="ck_cases_version_positive"),
    )
    op.create_index("ix_cases_state", "cases", ["state"])
    op.create_index("ix_cases_field_office", "cases", ["field_office"])
    op.create_table(
        "lead_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        _instant("imported_at"),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("lead_sha256", sa.String(64), nullable=False),
        sa.Column("lead", sa.JSON(), nullable=False),
        _fk("case_id", "cases.id", "lead_snapshots"),
        sa.PrimaryKeyConstraint("id", name="pk_lead_snapshots"),
    )
    op.create_index("ix_lead_snapshots_case_id", "lead_snapshots", ["case_id"])
    op.create_table(
        "case_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(40), nullable=True),
        sa.Column("to_state", sa.String(40), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _instant("at"),
        sa.Column("version_after", sa.Integer(), nullable=False),
        _fk("case_id", "cases.id", "case_transitions"),
        _fk("actor_id", "users.id", "case_transitions"),
        sa.PrimaryKeyConstraint("id", name="pk_case_transitions"),
    )
    op.create_index("ix_case_transitions_case_id", "case_transitions", ["case_id"])
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _instant("at"),
        _fk("case_id", "cases.id", "case_notes"),
        sa.PrimaryKeyConstraint("id", name="pk_case_notes"),
    )
    op.create_index("ix_case_notes_case_id", "case_notes", ["case_id"])
    op.create_table(
        "detainers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(16), nullable=False),
        sa.Column("facility", sa.String(300), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("probable_cause", sa.String(40), nullable=False),
        sa.Column("probable_cause_detail", sa.Text(), nullable=False),
        sa.Column("warrant", sa.String(8), nullable=False),
        sa.Column("release_at", sa.DateTime(timezone=False), nullable=True),
        sa.Column("hold_deadline", sa.DateTime(timezone=False), nullable=True),
        sa.Column("issued_by", sa.Integer(), nullable=False),
        _instant("issued_at"),
        sa.Column("outcome", sa.String(40), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=False),
        _instant("outcome_at", nullable=True),
        sa.Column("outcome_by", sa.Integer(), nullable=True),
        _fk("case_id", "cases.id", "detainers"),
        _fk("issued_by", "users.id", "detainers"),
        _fk("outcome_by", "users.id", "detainers"),
        sa.PrimaryKeyConstraint("id", name="pk_detainers"),
    )
    op.create_index("ix_detainers_case_id", "detainers", ["case_id"])
    op.create_table(
        "arrests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("arrested_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("field_office", sa.String(100), nullable=False),
        sa.Column("targeted", sa.Boolean(), nullable=False),
        sa.Column("person_description", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        _instant("recorded_at"),
        _fk("case_id", "cases.id", "arrests"),
        _fk("recorded_by", "users.id", "arrests"),
        sa.PrimaryKeyConstraint("id", name="pk_arrests"),
    )
    op.create_index("ix_arrests_case_id", "arrests", ["case_id"])
    op.create_index("ix_arrests_field_office", "arrests", ["field_office"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        _instant("at"),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    op.create_index("ix_audit_log_subject", "audit_log", ["subject"])
    audit_head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    op.bulk_insert(audit_head, [{"id": 1, "last_id": 0, "last_hash": GENESIS_HASH}])
    _audit_log_append_only()


def _audit_log_append_only() -> None:
    """Refuse UPDATE and DELETE on the audit log in the database itself.

    The hash chain detects tampering by someone who gets past this (a superuser can drop
    the trigger); the trigger stops the honest mistake and any application bug.
    """
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be "
                f"changed or deleted'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_log is append-only: entries cannot be changed or "
        "deleted'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    for table in (
        "audit_head",
        "audit_log",
        "arrests",
        "detainers",
        "case_notes",
        "case_transitions",
        "lead_snapshots",
        "cases",
        "users",
    ):
        op.drop_table(table)
