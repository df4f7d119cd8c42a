"""Projections of the customer's tags and account assets, for rule eligibility and tier qualification.

The default core tier ("qualified by points or assets") also admits members with 500,000 CNY of
assets, unless an operator already set its asset threshold.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = "points"


def upgrade() -> None:
    op.create_table(
        "member_tags",
        sa.Column("customer_id", sa.Text, primary_key=True),
        sa.Column("tag_code", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False, server_default=""),
        sa.Column("present", sa.Boolean, nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=S,
    )
    op.create_table(
        "member_accounts",
        sa.Column("customer_id", sa.Text, primary_key=True),
        sa.Column("account_id", sa.Text, primary_key=True),
        sa.Column("total_assets", sa.Numeric(20, 2), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        schema=S,
    )
    op.execute(
        """
        UPDATE points.tiers
        SET definition = jsonb_set(definition, '{qualification,min_assets}',
                                   '{"amount": "500000.00", "currency_code": "CNY"}'::jsonb)
        WHERE tier_code = 'core' AND NOT (definition->'qualification' ? 'min_assets')
        """
    )


def downgrade() -> None:
    op.drop_table("member_accounts", schema=S)
    op.drop_table("member_tags", schema=S)
