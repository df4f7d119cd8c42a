"""Customer data API and the set-based bulk import: watchlists, trade details, external assets,
scope moves for the audience index, import job leases, cheaper customer indexes.

- ``customer_scope_changes``: one row per branch/advisor move of an existing customer, written in
  the transaction of the move, so the in-memory audience index follows moves without a restart.
- The blind-index columns of id number and WeChat ids are empty for most customers; partial
  indexes skip those NULLs, which makes a bulk insert of customers markedly cheaper.
- ``import_jobs`` gets a lease (``heartbeat_at``) so that a job whose process died is resumed by
  the next poll instead of staying RUNNING forever, and ``rows_changed``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(20, 2)
_PARTIAL = ("phone_index", "id_number_index", "wechat_openid_index", "wechat_unionid_index")


def upgrade() -> None:
    for column in _PARTIAL:
        op.drop_index(f"ix_customers_{column}", table_name="customers", schema="tag")
        op.create_index(
            f"ix_customers_{column}",
            "customers",
            [column],
            schema="tag",
            postgresql_where=sa.text(f"{column} IS NOT NULL"),
        )
    op.create_table(
        "customer_scope_changes",
        sa.Column("seq", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("old_branch_id", sa.Text, nullable=False),
        sa.Column("old_advisor_id", sa.Text),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema="tag",
    )
    op.create_table(
        "watchlists",
        sa.Column("customer_id", sa.Text, primary_key=True),
        sa.Column("security_code", sa.Text, primary_key=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema="tag",
    )
    op.add_column("trades", sa.Column("fee", MONEY, nullable=False, server_default="0"), schema="tag")
    op.add_column("trades", sa.Column("order_channel", sa.Text), schema="tag")
    op.add_column(
        "trades",
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        schema="tag",
    )
    op.add_column("customer_metrics", sa.Column("external_assets_as_of", sa.Date), schema="tag")
    op.add_column("customer_metrics", sa.Column("external_assets_source", sa.Text), schema="tag")
    op.add_column(
        "import_jobs",
        sa.Column("rows_changed", sa.BigInteger, nullable=False, server_default="0"),
        schema="tag",
    )
    op.add_column("import_jobs", sa.Column("heartbeat_at", sa.DateTime(timezone=True)), schema="tag")
    op.add_column(
        "import_jobs", sa.Column("requested_by", sa.Text, nullable=False, server_default=""), schema="tag"
    )
    op.create_index("ix_import_jobs_content", "import_jobs", ["content_sha256", "kind"], schema="tag")
    op.create_index(
        "ix_audience_snapshots_created", "audience_snapshots", ["created_at", "snapshot_id"], schema="tag"
    )


def downgrade() -> None:
    op.drop_index("ix_audience_snapshots_created", table_name="audience_snapshots", schema="tag")
    op.drop_index("ix_import_jobs_content", table_name="import_jobs", schema="tag")
    for column in ("requested_by", "heartbeat_at", "rows_changed"):
        op.drop_column("import_jobs", column, schema="tag")
    for column in ("external_assets_source", "external_assets_as_of"):
        op.drop_column("customer_metrics", column, schema="tag")
    for column in ("recorded_at", "order_channel", "fee"):
        op.drop_column("trades", column, schema="tag")
    op.drop_table("watchlists", schema="tag")
    op.drop_table("customer_scope_changes", schema="tag")
    for column in _PARTIAL:
        op.drop_index(f"ix_customers_{column}", table_name="customers", schema="tag")
        op.create_index(f"ix_customers_{column}", "customers", [column], schema="tag")
