"""Remember which customer version a member reflects, so older events never overwrite newer ones.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "members",
        sa.Column("customer_version", sa.BigInteger, nullable=False, server_default="0"),
        schema="points",
    )


def downgrade() -> None:
    op.drop_column("members", "customer_version", schema="points")
