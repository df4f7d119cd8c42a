"""Points members, opened when the tag service announces a new customer.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("branch_id", sa.Text, nullable=False),
        sa.Column("advisor_id", sa.Text),
        sa.Column("tier_code", sa.Text, nullable=False, server_default="registered"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("customer_id", name="pk_members"),
        schema="points",
    )


def downgrade() -> None:
    op.drop_table("members", schema="points")
