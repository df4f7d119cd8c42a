"""The product shelf: catalog, series, metrics, evaluation, tags, content, suitability.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = "product"
RATIO = sa.Numeric(20, 8)
PRICE = sa.Numeric(20, 6)
NOW = sa.func.now()


def _ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, server_default=None if nullable else NOW)


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("product_id", sa.Text, primary_key=True),
        sa.Column("product_code", sa.Text, nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("product_type", sa.SmallInteger, nullable=False),
        sa.Column("fund_category", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("advisory_kind", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("risk_rating", sa.SmallInteger, nullable=False),
        sa.Column("min_investment", sa.Numeric(20, 2)),
        sa.Column("currency_code", sa.Text, nullable=False, server_default="CNY"),
        sa.Column("fees", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("subscription_start", sa.Date),
        sa.Column("subscription_end", sa.Date),
        sa.Column("established_on", sa.Date),
        sa.Column("matures_on", sa.Date),
        sa.Column("next_payout_on", sa.Date),
        sa.Column("next_open_on", sa.Date),
        sa.Column("status", sa.SmallInteger, nullable=False),
        sa.Column("issuer", sa.Text, nullable=False, server_default=""),
        sa.Column("benchmark_code", sa.Text, nullable=False, server_default=""),
        sa.Column("top_holdings", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("sector_exposures", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("horizon", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("phases", sa.ARRAY(sa.SmallInteger), nullable=False, server_default="{}"),
        sa.Column("highlight", sa.Text, nullable=False, server_default=""),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("tracking_index_code", sa.Text, nullable=False, server_default=""),
        sa.Column("launched_at", sa.DateTime(timezone=True)),
        _ts("created_at"),
        _ts("updated_at"),
        sa.Column("updated_by", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
        sa.Column("latest_nav", PRICE),
        sa.Column("latest_nav_date", sa.Date),
        sa.CheckConstraint("risk_rating BETWEEN 1 AND 5", name="ck_products_risk_rating"),
        schema=S,
    )
    op.create_index("ix_products_type_category", "products", ["product_type", "fund_category"], schema=S)
    op.create_table(
        "benchmarks",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("default_for_category", sa.SmallInteger, nullable=False, server_default="0"),
        schema=S,
    )
    op.create_table(
        "series_points",
        sa.Column("kind", sa.SmallInteger, primary_key=True),
        sa.Column("series_code", sa.Text, primary_key=True),
        sa.Column("trade_date", sa.Date, primary_key=True),
        sa.Column("value", PRICE, nullable=False),
        sa.Column("accumulated_value", PRICE),
        sa.CheckConstraint("value > 0", name="ck_series_points_positive"),
        schema=S,
    )
    op.create_table(
        "series_imports",
        sa.Column("job_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("kind", sa.SmallInteger, nullable=False),
        sa.Column("format", sa.SmallInteger, nullable=False),
        sa.Column("source_uri", sa.Text, nullable=False),
        sa.Column("dry_run", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("state", sa.SmallInteger, nullable=False),
        sa.Column("content_sha256", sa.Text, nullable=False, server_default=""),
        sa.Column("rows_total", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("rows_done", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("rows_rejected", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("series_with_gaps", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("error", sa.Text, nullable=False, server_default=""),
        _ts("created_at"),
        schema=S,
    )
    op.create_table(
        "series_import_rejections",
        sa.Column("job_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("row_number", sa.BigInteger, primary_key=True),
        sa.Column("series_code", sa.Text, nullable=False),
        sa.Column("reason_code", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        schema=S,
    )
    op.create_table(
        "product_metrics",
        sa.Column("product_id", sa.Text, primary_key=True),
        sa.Column("window", sa.SmallInteger, primary_key=True),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("start_date", sa.Date),
        *(
            sa.Column(name, RATIO)
            for name in (
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
        ),
        sa.Column("drawdown_peak_on", sa.Date),
        sa.Column("drawdown_trough_on", sa.Date),
        sa.Column("drawdown_recovered_on", sa.Date),
        sa.Column("benchmark_code", sa.Text, nullable=False, server_default=""),
        sa.Column("observations", sa.Integer, nullable=False),
        sa.Column("gaps", sa.Integer, nullable=False, server_default="0"),
        _ts("computed_at"),
        schema=S,
    )
    op.create_table(
        "evaluation_models",
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("return_weight", RATIO, nullable=False),
        sa.Column("risk_weight", RATIO, nullable=False),
        sa.Column("drawdown_weight", RATIO, nullable=False),
        sa.Column("consistency_weight", RATIO, nullable=False),
        sa.Column("cost_weight", RATIO, nullable=False),
        sa.Column("window", sa.SmallInteger, nullable=False),
        sa.Column("top_quantile", RATIO, nullable=False),
        sa.Column("min_history_months", sa.Integer, nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.false()),
        _ts("created_at"),
        sa.Column("created_by", sa.Text, nullable=False, server_default=""),
        schema=S,
    )
    op.execute(
        "INSERT INTO product.evaluation_models (version, return_weight, risk_weight, drawdown_weight,"
        " consistency_weight, cost_weight, \"window\", top_quantile, min_history_months, description,"
        " active, created_by) VALUES (1, 0.30, 0.20, 0.20, 0.15, 0.15, 4, 0.20, 12,"
        " 'Default: 1-year window; return 30%, volatility 20%, drawdown 20%, win rate 15%, cost 15%',"
        " true, 'migration')"
    )
    op.create_table(
        "fund_evaluations",
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
        schema=S,
    )
    op.create_index("ix_fund_evaluations_category_rank", "fund_evaluations", ["category", "rank"], schema=S)
    op.create_table(
        "product_tags",
        sa.Column("product_id", sa.Text, primary_key=True),
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("source", sa.SmallInteger, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        _ts("set_at"),
        sa.Column("set_by", sa.Text, nullable=False, server_default=""),
        schema=S,
    )
    op.create_table(
        "content_items",
        sa.Column("content_id", sa.Text, primary_key=True),
        sa.Column("kind", sa.SmallInteger, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        sa.Column("url", sa.Text, nullable=False, server_default=""),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("security_codes", sa.ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("sector_codes", sa.ARRAY(sa.Text), nullable=False, server_default="{}"),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
        sa.Column("compliance_approved", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("starts_at", sa.DateTime(timezone=True)),
        schema=S,
    )
    op.create_index(
        "ix_content_items_security_codes", "content_items", ["security_codes"], postgresql_using="gin", schema=S
    )
    op.create_index(
        "ix_content_items_sector_codes", "content_items", ["sector_codes"], postgresql_using="gin", schema=S
    )
    op.create_table(
        "customer_risk",
        sa.Column("customer_id", sa.Text, primary_key=True),
        sa.Column("branch_id", sa.Text, nullable=False, server_default=""),
        sa.Column("advisor_id", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("risk_level", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("risk_assessment_expires_on", sa.Date),
        sa.Column("professional_investor", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        _ts("updated_at"),
        schema=S,
    )
    op.create_table(
        "suitability_decisions",
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
        _ts("decided_at"),
        sa.Column("requested_by", sa.Text, nullable=False),
        schema=S,
    )
    op.create_index(
        "ix_suitability_decisions_customer", "suitability_decisions", ["customer_id", "decided_at"], schema=S
    )
    op.create_index(
        "ix_suitability_decisions_product", "suitability_decisions", ["product_id", "decided_at"], schema=S
    )
    op.create_table(
        "suitability_batches",
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
        _ts("decided_at"),
        sa.Column("requested_by", sa.Text, nullable=False),
        schema=S,
    )
    op.create_table(
        "suitability_batch_results",
        sa.Column("batch_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("customer_id", sa.Text, primary_key=True),
        sa.Column("allowed", sa.Boolean, nullable=False),
        sa.Column("reasons", sa.ARRAY(sa.SmallInteger), nullable=False),
        sa.Column("customer_version", sa.BigInteger, nullable=False, server_default="0"),
        schema=S,
    )
    op.create_table(
        "date_events",
        sa.Column("product_id", sa.Text, primary_key=True),
        sa.Column("event_kind", sa.Text, primary_key=True),
        sa.Column("on_date", sa.Date, primary_key=True),
        _ts("emitted_at"),
        schema=S,
    )


def downgrade() -> None:
    for table in (
        "date_events",
        "suitability_batch_results",
        "suitability_batches",
        "suitability_decisions",
        "customer_risk",
        "content_items",
        "product_tags",
        "fund_evaluations",
        "evaluation_models",
        "product_metrics",
        "series_import_rejections",
        "series_imports",
        "series_points",
        "benchmarks",
        "products",
    ):
        op.drop_table(table, schema=S)
