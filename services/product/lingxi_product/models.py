"""Tables of the product service, all in the `product` schema (created by Alembic migrations).

Prices are NUMERIC(20,6) and ratios NUMERIC(20,8): metrics are computed in floating point by
NumPy, then quantised to Decimal before they are stored or sent, so what an auditor reads back is
exactly what a caller was shown. `customer_risk` is this service's own projection of the tag
service's suitability inputs (fed by `lingxi.tag.customer.changed`), never a shared table.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from lingxi_common.db import service_metadata
from lingxi_common.idempotency import processed_messages_table
from lingxi_common.outbox import outbox_table

SCHEMA = "product"
metadata = service_metadata(SCHEMA)
outbox = outbox_table(metadata)
processed_messages = processed_messages_table(metadata)

RATIO = sa.Numeric(20, 8)
PRICE = sa.Numeric(20, 6)
TS = sa.DateTime(timezone=True)
CURRENT_XID = sa.text("(pg_current_xact_id()::text)::bigint")

products = sa.Table(
    "products",
    metadata,
    sa.Column("product_id", sa.Text, primary_key=True),
    sa.Column("product_code", sa.Text, nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("product_type", sa.SmallInteger, nullable=False),
    sa.Column("fund_category", sa.SmallInteger, nullable=False),
    sa.Column("advisory_kind", sa.SmallInteger, nullable=False),
    sa.Column("risk_rating", sa.SmallInteger, nullable=False),
    sa.Column("min_investment", sa.Numeric(20, 2)),
    sa.Column("currency_code", sa.Text, nullable=False),
    sa.Column("fees", JSONB, nullable=False),
    sa.Column("subscription_start", sa.Date),
    sa.Column("subscription_end", sa.Date),
    sa.Column("established_on", sa.Date),
    sa.Column("matures_on", sa.Date),
    sa.Column("next_payout_on", sa.Date),
    sa.Column("next_open_on", sa.Date),
    sa.Column("status", sa.SmallInteger, nullable=False),
    sa.Column("issuer", sa.Text, nullable=False),
    sa.Column("benchmark_code", sa.Text, nullable=False),
    sa.Column("top_holdings", JSONB, nullable=False),
    sa.Column("sector_exposures", JSONB, nullable=False),
    sa.Column("horizon", sa.SmallInteger, nullable=False),
    sa.Column("phases", sa.ARRAY(sa.SmallInteger), nullable=False),
    sa.Column("highlight", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("tracking_index_code", sa.Text, nullable=False),
    sa.Column("launched_at", TS),
    sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
    sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
    sa.Column("latest_nav", PRICE),
    sa.Column("latest_nav_date", sa.Date),
)

benchmarks = sa.Table(
    "benchmarks",
    metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("default_for_category", sa.SmallInteger, nullable=False),
)

series_points = sa.Table(
    "series_points",
    metadata,
    sa.Column("kind", sa.SmallInteger, primary_key=True),
    sa.Column("series_code", sa.Text, primary_key=True),
    sa.Column("trade_date", sa.Date, primary_key=True),
    sa.Column("value", PRICE, nullable=False),
    sa.Column("accumulated_value", PRICE),
)

series_imports = sa.Table(
    "series_imports",
    metadata,
    sa.Column("job_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("kind", sa.SmallInteger, nullable=False),
    sa.Column("format", sa.SmallInteger, nullable=False),
    sa.Column("source_uri", sa.Text, nullable=False),
    sa.Column("dry_run", sa.Boolean, nullable=False),
    sa.Column("state", sa.SmallInteger, nullable=False),
    sa.Column("content_sha256", sa.Text, nullable=False),
    sa.Column("rows_total", sa.BigInteger, nullable=False),
    sa.Column("rows_done", sa.BigInteger, nullable=False),
    sa.Column("rows_rejected", sa.BigInteger, nullable=False),
    sa.Column("series_with_gaps", sa.BigInteger, nullable=False),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
    sa.Column("started_at", TS),
    sa.Column("finished_at", TS),
    sa.Column("heartbeat_at", TS),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("correlation_id", sa.Text, nullable=False, server_default=""),
)

series_import_rejections = sa.Table(
    "series_import_rejections",
    metadata,
    sa.Column("job_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("row_number", sa.BigInteger, primary_key=True),
    sa.Column("series_code", sa.Text, nullable=False),
    sa.Column("reason_code", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

METRIC_VALUES = (
    "cumulative_return",
    "annualized_return",
    "annualized_volatility",
    "max_drawdown",
    "sharpe",
    "sortino",
    "calmar",
    "win_rate",
    "excess_return",
)

product_metrics = sa.Table(
    "product_metrics",
    metadata,
    sa.Column("product_id", sa.Text, primary_key=True),
    sa.Column("window", sa.SmallInteger, primary_key=True),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("start_date", sa.Date),
    *(sa.Column(name, RATIO) for name in METRIC_VALUES),
    sa.Column("drawdown_peak_on", sa.Date),
    sa.Column("drawdown_trough_on", sa.Date),
    sa.Column("drawdown_recovered_on", sa.Date),
    sa.Column("benchmark_code", sa.Text, nullable=False),
    sa.Column("observations", sa.Integer, nullable=False),
    sa.Column("gaps", sa.Integer, nullable=False),
    sa.Column("computed_at", TS, nullable=False, server_default=sa.func.now()),
)

evaluation_models = sa.Table(
    "evaluation_models",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("return_weight", RATIO, nullable=False),
    sa.Column("risk_weight", RATIO, nullable=False),
    sa.Column("drawdown_weight", RATIO, nullable=False),
    sa.Column("consistency_weight", RATIO, nullable=False),
    sa.Column("cost_weight", RATIO, nullable=False),
    sa.Column("window", sa.SmallInteger, nullable=False),
    sa.Column("top_quantile", RATIO, nullable=False),
    sa.Column("min_history_months", sa.Integer, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
    sa.Column("created_by", sa.Text, nullable=False),
)

fund_evaluations = sa.Table(
    "fund_evaluations",
    metadata,
    sa.Column("product_id", sa.Text, primary_key=True),
    sa.Column("category", sa.SmallInteger, nullable=False),
    sa.Column("model_version", sa.Integer, nullable=False),
    sa.Column("score", RATIO, nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("category_size", sa.Integer, nullable=False),
    sa.Column("percentile", RATIO, nullable=False),
    sa.Column("top_quantile", sa.Boolean, nullable=False),
    sa.Column("components", JSONB, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
)

product_tags = sa.Table(
    "product_tags",
    metadata,
    sa.Column("product_id", sa.Text, primary_key=True),
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("source", sa.SmallInteger, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("set_at", TS, nullable=False, server_default=sa.func.now()),
    sa.Column("set_by", sa.Text, nullable=False),
)

content_items = sa.Table(
    "content_items",
    metadata,
    sa.Column("content_id", sa.Text, primary_key=True),
    sa.Column("kind", sa.SmallInteger, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("published_at", TS, nullable=False),
    sa.Column("security_codes", ARRAY(sa.Text), nullable=False),
    sa.Column("sector_codes", ARRAY(sa.Text), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("compliance_approved", sa.Boolean, nullable=False),
    sa.Column("starts_at", TS),
)

customer_risk = sa.Table(
    "customer_risk",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("branch_id", sa.Text, nullable=False),
    sa.Column("advisor_id", sa.Text, nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("risk_level", sa.SmallInteger, nullable=False),
    sa.Column("risk_assessment_expires_on", sa.Date),
    sa.Column("professional_investor", sa.Boolean, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
    # Transaction that last wrote the row (pg_current_xact_id), for incremental in-memory refresh.
    sa.Column("written_xid", sa.BigInteger, nullable=False, server_default=CURRENT_XID),
)

suitability_decisions = sa.Table(
    "suitability_decisions",
    metadata,
    sa.Column("decision_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("customer_id", sa.Text, nullable=False),
    sa.Column("product_id", sa.Text, nullable=False),
    sa.Column("allowed", sa.Boolean, nullable=False),
    sa.Column("reasons", sa.ARRAY(sa.SmallInteger), nullable=False),
    sa.Column("explanation", sa.Text, nullable=False),
    sa.Column("rule_version", sa.Text, nullable=False),
    sa.Column("purpose", sa.SmallInteger, nullable=False),
    sa.Column("inputs", JSONB, nullable=False),
    sa.Column("evaluated_on", sa.Date, nullable=False),
    sa.Column("decided_at", TS, nullable=False, server_default=sa.func.now()),
    sa.Column("requested_by", sa.Text, nullable=False),
)

suitability_batches = sa.Table(
    "suitability_batches",
    metadata,
    sa.Column("batch_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("product_id", sa.Text, nullable=False),
    sa.Column("rule_version", sa.Text, nullable=False),
    sa.Column("purpose", sa.SmallInteger, nullable=False),
    sa.Column("product_snapshot", JSONB, nullable=False),
    sa.Column("evaluated_on", sa.Date, nullable=False),
    sa.Column("evaluated", sa.BigInteger, nullable=False),
    sa.Column("allowed", sa.BigInteger, nullable=False),
    sa.Column("denied", sa.BigInteger, nullable=False),
    sa.Column("denied_by_reason", JSONB, nullable=False),
    sa.Column("input_fingerprint", sa.Text, nullable=False),
    sa.Column("decided_at", TS, nullable=False, server_default=sa.func.now()),
    sa.Column("requested_by", sa.Text, nullable=False),
    # {"snapshot_id": ...} or {"customer_ids": n}: what the batch was asked to decide on.
    sa.Column("audience", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    # "" = legacy batch with one suitability_batch_results row per customer; otherwise the
    # encoding of the three compressed columns below (see batch_audit.py).
    sa.Column("payload_format", sa.Text, nullable=False, server_default=""),
    sa.Column("reason_order", sa.ARRAY(sa.SmallInteger)),
    sa.Column("customer_ids", sa.LargeBinary),
    sa.Column("customer_inputs", sa.LargeBinary),
    sa.Column("outcomes", sa.LargeBinary),
)

suitability_batch_results = sa.Table(
    "suitability_batch_results",
    metadata,
    sa.Column("batch_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("allowed", sa.Boolean, nullable=False),
    sa.Column("reasons", sa.ARRAY(sa.SmallInteger), nullable=False),
    sa.Column("customer_version", sa.BigInteger, nullable=False),
)

# Members of tag-service audience snapshots, read once over gRPC and kept (snapshots never change).
snapshot_members = sa.Table(
    "snapshot_members",
    metadata,
    sa.Column("snapshot_id", sa.Text, primary_key=True),
    sa.Column("scope", sa.Text, primary_key=True),
    sa.Column("member_count", sa.BigInteger, nullable=False),
    sa.Column("customer_ids", sa.LargeBinary, nullable=False),
    sa.Column("fetched_at", TS, nullable=False, server_default=sa.func.now()),
)

index_constituents = sa.Table(
    "index_constituents",
    metadata,
    sa.Column("index_code", sa.Text, primary_key=True),
    sa.Column("effective_date", sa.Date, primary_key=True),
    sa.Column("security_code", sa.Text, primary_key=True),
    sa.Column("security_name", sa.Text, nullable=False, server_default=""),
    sa.Column("weight", sa.Numeric(12, 8), nullable=False),
    sa.Column("sector_code", sa.Text, nullable=False, server_default=""),
)

# One row per (product, dated event, date) already announced, so the daily sweep emits each once.
date_events = sa.Table(
    "date_events",
    metadata,
    sa.Column("product_id", sa.Text, primary_key=True),
    sa.Column("event_kind", sa.Text, primary_key=True),
    sa.Column("on_date", sa.Date, primary_key=True),
    sa.Column("emitted_at", TS, nullable=False, server_default=sa.func.now()),
)
