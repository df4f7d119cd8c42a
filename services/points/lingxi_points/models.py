"""Tables of the points service, all in the `points` schema.

The member keeps the branch and advisor it learnt from the customer's events, because the
points service enforces the caller's data scope itself and may not read the tag service's tables.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from lingxi_common.db import service_metadata
from lingxi_common.idempotency import processed_messages_table
from lingxi_common.outbox import outbox_table

SCHEMA = "points"
metadata = service_metadata(SCHEMA)
outbox = outbox_table(metadata)
processed_messages = processed_messages_table(metadata)

members = sa.Table(
    "members",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("branch_id", sa.Text, nullable=False),
    sa.Column("advisor_id", sa.Text),
    sa.Column("tier_code", sa.Text, nullable=False, server_default="registered"),
    # The tag service's customer version this row reflects; events arrive out of order.
    sa.Column("customer_version", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("paid_through", sa.Date),
    sa.Column("tier_since", sa.DateTime(timezone=True)),
    sa.Column("tier_review_on", sa.Date),
    # Set at a review that found the member below their tier; the downgrade applies after grace.
    sa.Column("downgrade_due_on", sa.Date),
)

# The member's three point accounts, and the row every posting on the member locks first
# (SELECT … FOR UPDATE), which serialises concurrent postings on one member.
balances = sa.Table(
    "balances",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("available", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("pending", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("reserved", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("lifetime_earned", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

# Append-only: one row per business fact, unique by its business key.
postings = sa.Table(
    "postings",
    metadata,
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
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

# Append-only: the double-entry lines of each posting; they sum to zero per posting.
entries = sa.Table(
    "entries",
    metadata,
    sa.Column("entry_id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("posting_id", UUID(as_uuid=True), nullable=False),
    sa.Column("account", sa.Text, nullable=False),
    sa.Column("customer_id", sa.Text),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("lot_id", UUID(as_uuid=True)),
    sa.Column("lot_expires_on", sa.Date),
)

# Expiry lots: what an earn credited, and how much of it is left, so spending can take the
# earliest-expiring points first and expiry can debit exactly what is still there.
lots = sa.Table(
    "lots",
    metadata,
    sa.Column("lot_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("customer_id", sa.Text, nullable=False),
    sa.Column("posting_id", UUID(as_uuid=True), nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("points", sa.BigInteger, nullable=False),
    sa.Column("remaining", sa.BigInteger, nullable=False),
    sa.Column("expires_on", sa.Date),
    sa.Column("available_on", sa.Date),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

# What each member holds per expiry date (available and pending lots), kept by the posting
# functions with every lot change, so a posting's answer needs no scan of the member's lots.
expiry_buckets = sa.Table(
    "expiry_buckets",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("expires_on", sa.Date, primary_key=True),
    sa.Column("points", sa.BigInteger, nullable=False),
)

earning_rules = sa.Table(
    "earning_rules",
    metadata,
    sa.Column("rule_code", sa.Text, primary_key=True),
    sa.Column("definition", JSONB, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

tiers = sa.Table(
    "tiers",
    metadata,
    sa.Column("tier_code", sa.Text, primary_key=True),
    sa.Column("rank", sa.Integer, nullable=False, unique=True),
    sa.Column("definition", JSONB, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

tier_changes = sa.Table(
    "tier_changes",
    metadata,
    sa.Column("change_id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("customer_id", sa.Text, nullable=False),
    sa.Column("from_tier_code", sa.Text, nullable=False),
    sa.Column("to_tier_code", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("effective_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

paid_memberships = sa.Table(
    "paid_memberships",
    metadata,
    sa.Column("payment_ref", sa.Text, primary_key=True),
    sa.Column("customer_id", sa.Text, nullable=False),
    sa.Column("tier_code", sa.Text, nullable=False),
    sa.Column("paid_through", sa.Date, nullable=False),
    sa.Column("fee_paid", sa.Numeric(18, 2)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

checkins = sa.Table(
    "checkins",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("streak", sa.Integer, nullable=False),
    sa.Column("posting_id", UUID(as_uuid=True), nullable=False),
    sa.Column("points", sa.BigInteger, nullable=False),
    sa.Column("bonus_points", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

rewards = sa.Table(
    "rewards",
    metadata,
    sa.Column("reward_id", sa.Text, primary_key=True),
    sa.Column("definition", JSONB, nullable=False),
    sa.Column("stock_total", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("stock_available", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

reward_stock_changes = sa.Table(
    "reward_stock_changes",
    metadata,
    sa.Column("request_id", sa.Text, primary_key=True),
    sa.Column("reward_id", sa.Text, nullable=False),
    sa.Column("delta", sa.BigInteger, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

redemptions = sa.Table(
    "redemptions",
    metadata,
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
)

adjustments = sa.Table(
    "adjustments",
    metadata,
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
)

expiry_runs = sa.Table(
    "expiry_runs",
    metadata,
    sa.Column("as_of", sa.Date, primary_key=True),
    sa.Column("run_id", UUID(as_uuid=True), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("completed_at", sa.DateTime(timezone=True)),
    sa.Column("members", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("points_expired", sa.BigInteger, nullable=False, server_default="0"),
)

expiry_notices = sa.Table(
    "expiry_notices",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("expires_on", sa.Date, primary_key=True),
    sa.Column("notice_days", sa.Integer, primary_key=True),
    sa.Column("points", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

# What the points service knows of a customer's tags, from lingxi.tag.customer_tag.changed: a
# projection for earning-rule eligibility (the points service never reads the tag service's
# tables). A tag the customer left stays as a row with present = false, so that an older change
# arriving late (lower sequence) cannot bring it back.
member_tags = sa.Table(
    "member_tags",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("tag_code", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False, server_default=""),
    sa.Column("present", sa.Boolean, nullable=False),
    sa.Column("sequence", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

# Each account's total assets, from lingxi.tag.account.changed, for tier qualification by assets;
# the newest figure per account wins (as_of), whatever order the events arrive in.
member_accounts = sa.Table(
    "member_accounts",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("account_id", sa.Text, primary_key=True),
    sa.Column("total_assets", sa.Numeric(20, 2), nullable=False),
    sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
)
