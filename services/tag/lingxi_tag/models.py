"""Tables of the tag service, all in the `tag` schema.

Phone numbers, id numbers and WeChat openids are stored only encrypted (`*_enc`), with a keyed
hash (`*_index`) for exact look-ups, so a database dump alone exposes no one.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from lingxi_common.db import service_metadata
from lingxi_common.idempotency import processed_messages_table
from lingxi_common.outbox import outbox_table

SCHEMA = "tag"
metadata = service_metadata(SCHEMA)
outbox = outbox_table(metadata)
processed_messages = processed_messages_table(metadata)

customers = sa.Table(
    "customers",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("branch_id", sa.Text, nullable=False, index=True),
    sa.Column("advisor_id", sa.Text, index=True),
    sa.Column("risk_level", sa.SmallInteger, comment="1..5 for C1..C5; NULL before the first assessment"),
    sa.Column("risk_assessment_expires_on", sa.Date),
    sa.Column("professional_investor", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("opened_on", sa.Date),
    sa.Column("age_band", sa.Text),
    sa.Column("city", sa.Text),
    sa.Column("phone_enc", sa.LargeBinary),
    sa.Column("phone_index", sa.Text),
    sa.Column("id_number_enc", sa.LargeBinary),
    sa.Column("id_number_index", sa.Text),
    sa.Column("wechat_openid_enc", sa.LargeBinary),
    sa.Column("wechat_unionid_enc", sa.LargeBinary),
    sa.Column("wechat_unionid_index", sa.Text),
    sa.Column("display_name_enc", sa.LargeBinary),
    sa.Column("customer_type", sa.SmallInteger, nullable=False, server_default="1"),
    sa.Column("status", sa.SmallInteger, nullable=False, server_default="1"),
    sa.Column("attributes", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
    sa.Column("wechat_openid_index", sa.Text),
    sa.Column("consents", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    # Dense number: the customer's bit in the audience index (identity column, migration 0003).
    sa.Column("customer_no", sa.BigInteger, sa.Identity(always=False), unique=True),
    sa.CheckConstraint("risk_level BETWEEN 1 AND 5", name="risk_level_range"),
)
# Blind indexes are empty for most customers: partial indexes skip the NULLs (cheaper bulk loads).
for _pii_index in ("phone_index", "id_number_index", "wechat_openid_index", "wechat_unionid_index"):
    sa.Index(
        f"ix_customers_{_pii_index}",
        customers.c[_pii_index],
        postgresql_where=customers.c[_pii_index].isnot(None),
    )

# One row per branch/advisor move of an existing customer, written with the move: the audience
# index follows it (in seq order, like tag_changes) to keep its scope bitmaps current.
customer_scope_changes = sa.Table(
    "customer_scope_changes",
    metadata,
    sa.Column("seq", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("customer_id", sa.Text, nullable=False),
    sa.Column("old_branch_id", sa.Text, nullable=False),
    sa.Column("old_advisor_id", sa.Text),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

# Who read unmasked PII, when and why: PIPL asks for every access to be auditable.
pii_access_log = sa.Table(
    "pii_access_log",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("customer_id", sa.Text, nullable=False, index=True),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("fields", sa.ARRAY(sa.Text), nullable=False),
    sa.Column("request_id", sa.Text),
    sa.Column("accessed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

MONEY = sa.Numeric(20, 2)


def _now_column(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now())


accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("account_id", sa.Text, primary_key=True),
    sa.Column("customer_id", sa.Text, nullable=False, index=True),
    sa.Column("account_type", sa.SmallInteger, nullable=False),
    sa.Column("status", sa.SmallInteger, nullable=False, server_default="1"),
    sa.Column("total_assets", MONEY, nullable=False, server_default="0"),
    sa.Column("cash_balance", MONEY, nullable=False, server_default="0"),
    sa.Column("stock_market_value", MONEY, nullable=False, server_default="0"),
    sa.Column("fund_market_value", MONEY, nullable=False, server_default="0"),
    sa.Column("liabilities", MONEY, nullable=False, server_default="0"),
    sa.Column("maintenance_ratio", sa.Numeric(12, 4)),
    sa.Column("contract_expires_on", sa.Date),
    sa.Column("opened_on", sa.Date),
    sa.Column("as_of", sa.DateTime(timezone=True)),
    _now_column("updated_at"),
)

holdings = sa.Table(
    "holdings",
    metadata,
    sa.Column("account_id", sa.Text, primary_key=True),
    sa.Column("security_code", sa.Text, primary_key=True),
    sa.Column("customer_id", sa.Text, nullable=False, index=True),
    sa.Column("security_name", sa.Text),
    sa.Column("security_type", sa.SmallInteger, nullable=False, server_default="1"),
    sa.Column("quantity", sa.Numeric(20, 4), nullable=False, server_default="0"),
    sa.Column("cost", MONEY, nullable=False, server_default="0"),
    sa.Column("market_value", MONEY, nullable=False, server_default="0"),
    sa.Column("unrealized_pnl", MONEY, nullable=False, server_default="0"),
    sa.Column("unrealized_pnl_ratio", sa.Numeric(12, 4)),
    sa.Column("sector_code", sa.Text),
    sa.Column("as_of", sa.DateTime(timezone=True)),
)

# Per-customer figures computed by the warehouse (trade-history analytics, external assets) and
# loaded by the nightly import; rules read them as `customer.<column>`.
customer_metrics = sa.Table(
    "customer_metrics",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("external_market_value", MONEY, nullable=False, server_default="0"),
    sa.Column("trades_90d", sa.Integer, nullable=False, server_default="0"),
    sa.Column("stock_pick_alpha", sa.Numeric(10, 4)),
    sa.Column("timing_score", sa.Numeric(10, 4)),
    sa.Column("avg_holding_days", sa.Numeric(10, 2)),
    sa.Column("value_trade_share", sa.Numeric(6, 4)),
    sa.Column("technical_trade_share", sa.Numeric(6, 4)),
    sa.Column("theme_trade_share", sa.Numeric(6, 4)),
    sa.Column("event_trade_share", sa.Numeric(6, 4)),
    sa.Column("last_trade_on", sa.Date),
    sa.Column("last_login_on", sa.Date),
    sa.Column("has_advisory_service", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("wealth_product_holder", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("stock_mv_peak_12m", MONEY, nullable=False, server_default="0"),
    sa.Column("as_of", sa.Date),
    # Set by SetExternalAssets (the warehouse import leaves them alone).
    sa.Column("external_assets_as_of", sa.Date),
    sa.Column("external_assets_source", sa.Text),
)

trades = sa.Table(
    "trades",
    metadata,
    sa.Column("trade_id", sa.Text, primary_key=True),
    sa.Column("account_id", sa.Text, nullable=False),
    sa.Column("customer_id", sa.Text, nullable=False),
    sa.Column("security_code", sa.Text, nullable=False),
    sa.Column("side", sa.SmallInteger, nullable=False),
    sa.Column("quantity", sa.Numeric(20, 4), nullable=False),
    sa.Column("price", sa.Numeric(20, 4), nullable=False),
    sa.Column("amount", MONEY, nullable=False),
    sa.Column("traded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("fee", MONEY, nullable=False, server_default="0"),
    sa.Column("order_channel", sa.Text),
    sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
)

watchlists = sa.Table(
    "watchlists",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("security_code", sa.Text, primary_key=True),
    _now_column("added_at"),
)

# Device / anonymous / login ids per source, linked to a customer. The id itself is PII: stored
# encrypted, looked up by keyed hash.
identities = sa.Table(
    "identities",
    metadata,
    sa.Column("source_id", sa.Text, primary_key=True),
    sa.Column("value_index", sa.Text, primary_key=True),
    sa.Column("identity_type", sa.SmallInteger, nullable=False),
    sa.Column("value_enc", sa.LargeBinary, nullable=False),
    sa.Column("customer_id", sa.Text, nullable=False, index=True),
    _now_column("linked_at"),
    sa.Column("linked_by_event_id", sa.Text),
)

behavior_events = sa.Table(
    "behavior_events",
    metadata,
    sa.Column("event_id", UUID(as_uuid=False), primary_key=True),
    sa.Column("source_id", sa.Text, nullable=False),
    sa.Column("identity_index", sa.Text),
    sa.Column("customer_id", sa.Text),
    sa.Column("event_name", sa.Text, nullable=False),
    sa.Column("behavior_type", sa.SmallInteger, nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("properties", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    _now_column("received_at"),
)

aggregate_definitions = sa.Table(
    "aggregate_definitions",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("event_name", sa.Text, nullable=False),
    sa.Column("property_filter", sa.Text, nullable=False, server_default=""),
    sa.Column("measure", sa.SmallInteger, nullable=False),
    sa.Column("sum_property", sa.Text, nullable=False, server_default=""),
    sa.Column("window_days", sa.Integer, nullable=False),
    _now_column("created_at"),
)

# One row per customer, aggregate and day: windows are sums over the days they cover, so an
# event is added once (when its row in behavior_events is first inserted) and expires by date.
aggregate_daily = sa.Table(
    "aggregate_daily",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("value", sa.Numeric(24, 4), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
)

offline_touches = sa.Table(
    "offline_touches",
    metadata,
    sa.Column("touch_id", sa.Text, primary_key=True),
    sa.Column("event_id", UUID(as_uuid=False), nullable=False, unique=True),
    sa.Column("customer_id", sa.Text, nullable=False),
    sa.Column("kind", sa.SmallInteger, nullable=False),
    sa.Column("result", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("duration_seconds", sa.Integer),
    sa.Column("staff_id", sa.Text),
    sa.Column("branch_id", sa.Text),
    sa.Column("task_id", sa.Text),
    sa.Column("product_ids", sa.ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Column("notes_enc", sa.LargeBinary),
    sa.Column("properties", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("recorded_by", sa.Text, nullable=False),
    _now_column("recorded_at"),
)

tag_categories = sa.Table(
    "tag_categories",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("display_name", sa.Text, nullable=False),
    sa.Column("parent_code", sa.Text, nullable=False, server_default=""),
    sa.Column("ordinal", sa.Integer, nullable=False, server_default="0"),
)

tag_definitions = sa.Table(
    "tag_definitions",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("display_name", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("category_code", sa.Text, nullable=False),
    sa.Column("owner", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.SmallInteger, nullable=False),
    sa.Column("value_type", sa.SmallInteger, nullable=False),
    sa.Column("options", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("refresh_mode", sa.SmallInteger, nullable=False),
    sa.Column("inputs", sa.ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Column("builtin", sa.Boolean, nullable=False, server_default=sa.false()),
    _now_column("created_at"),
    sa.Column("created_by", sa.Text, nullable=False, server_default=""),
    sa.Column("activated_at", sa.DateTime(timezone=True)),
    sa.Column("retired_at", sa.DateTime(timezone=True)),
)

customer_tags = sa.Table(
    "customer_tags",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("tag_code", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    _now_column("since"),
    sa.Column("definition_version", sa.Integer, nullable=False),
)

# Every entered/left/value change, in commit order: the audience index's catch-up feed, the
# timeline's tag entries, and the per-customer sequence published with each change.
tag_changes = sa.Table(
    "tag_changes",
    metadata,
    sa.Column("seq", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("customer_id", sa.Text, nullable=False),
    sa.Column("tag_code", sa.Text, nullable=False),
    sa.Column("change", sa.SmallInteger, nullable=False),
    sa.Column("old_value", sa.Text, nullable=False, server_default=""),
    sa.Column("new_value", sa.Text, nullable=False, server_default=""),
    sa.Column("from_recompute", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("causation_id", sa.Text, nullable=False, server_default=""),
    _now_column("changed_at"),
)

recompute_jobs = sa.Table(
    "recompute_jobs",
    metadata,
    sa.Column("job_id", sa.Text, primary_key=True),
    sa.Column("state", sa.SmallInteger, nullable=False),
    sa.Column("tag_codes", sa.ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Column("business_date", sa.Date, nullable=False),
    sa.Column("customers_total", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("customers_done", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("checkpoint_customer_id", sa.Text, nullable=False, server_default=""),
    sa.Column("changes", sa.BigInteger, nullable=False, server_default="0"),
    _now_column("started_at"),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("error", sa.Text, nullable=False, server_default=""),
)

audience_snapshots = sa.Table(
    "audience_snapshots",
    metadata,
    sa.Column("snapshot_id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("expression", sa.Text, nullable=False, server_default=""),
    sa.Column("count", sa.BigInteger, nullable=False),
    _now_column("created_at"),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("scope", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("index_watermark", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("purpose", sa.Text, nullable=False, server_default=""),
    sa.Column("retain_until", sa.DateTime(timezone=True)),
    sa.Column("request_key", sa.Text, unique=True),
    sa.Column("members", sa.LargeBinary, nullable=False),
)

import_jobs = sa.Table(
    "import_jobs",
    metadata,
    sa.Column("job_id", sa.Text, primary_key=True),
    sa.Column("kind", sa.SmallInteger, nullable=False),
    sa.Column("format", sa.SmallInteger, nullable=False),
    sa.Column("source_uri", sa.Text, nullable=False),
    sa.Column("state", sa.SmallInteger, nullable=False),
    sa.Column("content_sha256", sa.Text, nullable=False),
    sa.Column("rows_total", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("rows_done", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("rows_rejected", sa.BigInteger, nullable=False, server_default="0"),
    _now_column("started_at"),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("error", sa.Text, nullable=False, server_default=""),
    sa.Column("business_date", sa.Date),
    sa.Column("dry_run", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("rows_changed", sa.BigInteger, nullable=False, server_default="0"),
    # Lease: the running process refreshes it; a job whose lease expired is resumed by a poll.
    sa.Column("heartbeat_at", sa.DateTime(timezone=True)),
    sa.Column("requested_by", sa.Text, nullable=False, server_default=""),
)

import_rejections = sa.Table(
    "import_rejections",
    metadata,
    sa.Column("job_id", sa.Text, primary_key=True),
    sa.Column("row_number", sa.BigInteger, primary_key=True),
    sa.Column("column_name", sa.Text, nullable=False, server_default=""),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("raw", sa.Text, nullable=False, server_default=""),
)
