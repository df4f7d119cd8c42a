"""Customers with encrypted PII, and the PII access audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("customer_id", sa.Text, primary_key=True),
        sa.Column("branch_id", sa.Text, nullable=False),
        sa.Column("advisor_id", sa.Text),
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
        sa.CheckConstraint("risk_level BETWEEN 1 AND 5", name="ck_customers_risk_level_range"),
        sa.PrimaryKeyConstraint("customer_id", name="pk_customers"),
        schema="tag",
    )
    for column in (
        "branch_id",
        "advisor_id",
        "phone_index",
        "id_number_index",
        "wechat_openid_index",
        "wechat_unionid_index",
    ):
        op.create_index(f"ix_customers_{column}", "customers", [column], schema="tag")
    op.create_table(
        "pii_access_log",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("fields", sa.ARRAY(sa.Text), nullable=False),
        sa.Column("request_id", sa.Text),
        sa.Column("accessed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_pii_access_log"),
        schema="tag",
    )
    op.create_index("ix_pii_access_log_customer_id", "pii_access_log", ["customer_id"], schema="tag")


def downgrade() -> None:
    op.drop_table("pii_access_log", schema="tag")
    op.drop_table("customers", schema="tag")
