"""The points ledger, earning rules, tiers, check-ins, rewards, redemptions, adjustments, expiry.

The ledger is append-only: `postings` and `entries` are only ever inserted; corrections are new
postings that reverse old ones. `balances` and `lots` are the running state derived from the
entries, kept in the same transaction and guarded by CHECK constraints so that no bug can ever
drive a member's points below zero.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = "points"


def _now() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


def upgrade() -> None:
    op.add_column("members", sa.Column("paid_through", sa.Date), schema=S)
    op.add_column("members", sa.Column("tier_since", sa.DateTime(timezone=True)), schema=S)
    op.add_column("members", sa.Column("tier_review_on", sa.Date), schema=S)
    op.add_column("members", sa.Column("downgrade_due_on", sa.Date), schema=S)

    op.create_table(
        "balances",
        sa.Column("customer_id", sa.Text, primary_key=True),
        sa.Column("available", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("pending", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("reserved", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("lifetime_earned", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("available >= 0", name="available_not_negative"),
        sa.CheckConstraint("pending >= 0", name="pending_not_negative"),
        sa.CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        schema=S,
    )
    op.create_table(
        "postings",
        sa.Column("posting_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("business_key", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("points", sa.BigInteger, nullable=False),
        sa.Column("rule_code", sa.Text),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("reverses_posting_id", UUID(as_uuid=True)),
        sa.Column("request_sha256", sa.Text, nullable=False),
        sa.Column("origin", JSONB),
        sa.Column("posted_by", JSONB),
        sa.Column("award_day", sa.Date, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        _now(),
        schema=S,
    )
    op.create_index("ix_postings_customer_created", "postings", ["customer_id", "created_at"], schema=S)
    op.create_index(
        "ix_postings_customer_rule_day", "postings", ["customer_id", "rule_code", "award_day"], schema=S
    )
    # A posting is reversed at most once.
    op.create_index(
        "uq_postings_reverses",
        "postings",
        ["reverses_posting_id"],
        unique=True,
        schema=S,
        postgresql_where=sa.text("reverses_posting_id IS NOT NULL"),
    )
    op.create_table(
        "entries",
        sa.Column("entry_id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("posting_id", UUID(as_uuid=True), nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("customer_id", sa.Text),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("lot_id", UUID(as_uuid=True)),
        sa.Column("lot_expires_on", sa.Date),
        sa.CheckConstraint("amount <> 0", name="amount_not_zero"),
        schema=S,
    )
    op.create_index("ix_entries_posting", "entries", ["posting_id"], schema=S)
    op.create_table(
        "lots",
        sa.Column("lot_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("posting_id", UUID(as_uuid=True), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("points", sa.BigInteger, nullable=False),
        sa.Column("remaining", sa.BigInteger, nullable=False),
        sa.Column("expires_on", sa.Date),
        sa.Column("available_on", sa.Date),
        _now(),
        sa.CheckConstraint("remaining >= 0", name="remaining_not_negative"),
        sa.CheckConstraint("state IN ('pending', 'available')", name="state_known"),
        schema=S,
    )
    op.create_index("ix_lots_customer", "lots", ["customer_id", "state", "expires_on"], schema=S)
    op.create_index(
        "ix_lots_expiring",
        "lots",
        ["expires_on"],
        schema=S,
        postgresql_where=sa.text("remaining > 0"),
    )
    op.create_table(
        "earning_rules",
        sa.Column("rule_code", sa.Text, primary_key=True),
        sa.Column("definition", JSONB, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=S,
    )
    op.create_table(
        "tiers",
        sa.Column("tier_code", sa.Text, primary_key=True),
        sa.Column("rank", sa.Integer, nullable=False, unique=True),
        sa.Column("definition", JSONB, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=S,
    )
    op.create_table(
        "tier_changes",
        sa.Column("change_id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("from_tier_code", sa.Text, nullable=False),
        sa.Column("to_tier_code", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("effective_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=S,
    )
    op.create_index("ix_tier_changes_customer", "tier_changes", ["customer_id", "change_id"], schema=S)
    op.create_table(
        "paid_memberships",
        sa.Column("payment_ref", sa.Text, primary_key=True),
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("tier_code", sa.Text, nullable=False),
        sa.Column("paid_through", sa.Date, nullable=False),
        sa.Column("fee_paid", sa.Numeric(18, 2)),
        _now(),
        schema=S,
    )
    op.create_table(
        "checkins",
        sa.Column("customer_id", sa.Text, primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("streak", sa.Integer, nullable=False),
        sa.Column("posting_id", UUID(as_uuid=True), nullable=False),
        sa.Column("points", sa.BigInteger, nullable=False),
        sa.Column("bonus_points", sa.BigInteger, nullable=False),
        _now(),
        schema=S,
    )
    op.create_table(
        "rewards",
        sa.Column("reward_id", sa.Text, primary_key=True),
        sa.Column("definition", JSONB, nullable=False),
        sa.Column("stock_total", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("stock_available", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("stock_available >= 0", name="stock_not_negative"),
        schema=S,
    )
    op.create_table(
        "reward_stock_changes",
        sa.Column("request_id", sa.Text, primary_key=True),
        sa.Column("reward_id", sa.Text, nullable=False),
        sa.Column("delta", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        _now(),
        schema=S,
    )
    op.create_table(
        "redemptions",
        sa.Column("redemption_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("request_id", sa.Text, nullable=False, unique=True),
        sa.Column("request_sha256", sa.Text, nullable=False),
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("reward_id", sa.Text, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("points", sa.BigInteger, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("reserve_posting_id", UUID(as_uuid=True), nullable=False),
        sa.Column("fulfilment_ref", sa.Text),
        sa.Column("reserved_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("reservation_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fulfilled_at", sa.DateTime(timezone=True)),
        sa.Column("confirmed_at", sa.DateTime(timezone=True)),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("cancel_reason", sa.Text),
        schema=S,
    )
    op.create_index("ix_redemptions_customer", "redemptions", ["customer_id", "reward_id"], schema=S)
    op.create_index(
        "ix_redemptions_open",
        "redemptions",
        ["reservation_expires_at"],
        schema=S,
        postgresql_where=sa.text("status = 'RESERVED'"),
    )
    op.create_table(
        "adjustments",
        sa.Column("adjustment_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("business_key", sa.Text, nullable=False, unique=True),
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("points", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("requested_by", JSONB, nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("decided_by", JSONB),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("comment", sa.Text),
        sa.Column("posting_id", UUID(as_uuid=True)),
        schema=S,
    )
    op.create_table(
        "expiry_runs",
        sa.Column("as_of", sa.Date, primary_key=True),
        sa.Column("run_id", UUID(as_uuid=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        sa.Column("members", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("points_expired", sa.BigInteger, nullable=False, server_default="0"),
        schema=S,
    )
    op.create_table(
        "expiry_notices",
        sa.Column("customer_id", sa.Text, primary_key=True),
        sa.Column("expires_on", sa.Date, primary_key=True),
        sa.Column("notice_days", sa.Integer, primary_key=True),
        sa.Column("points", sa.BigInteger, nullable=False),
        _now(),
        schema=S,
    )
    # Every existing member gets its balance row (the row postings lock).
    op.execute(
        "INSERT INTO points.balances (customer_id) SELECT customer_id FROM points.members "
        "ON CONFLICT DO NOTHING"
    )


def downgrade() -> None:
    for table in (
        "expiry_notices",
        "expiry_runs",
        "adjustments",
        "redemptions",
        "reward_stock_changes",
        "rewards",
        "checkins",
        "paid_memberships",
        "tier_changes",
        "tiers",
        "earning_rules",
        "lots",
        "entries",
        "postings",
        "balances",
    ):
        op.drop_table(table, schema=S)
    for column in ("downgrade_due_on", "tier_review_on", "tier_since", "paid_through"):
        op.drop_column("members", column, schema=S)
