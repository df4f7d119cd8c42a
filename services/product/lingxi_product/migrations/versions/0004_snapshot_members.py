"""This service's copy of audience snapshot members read from the tag service.

Snapshots are immutable, and reading a million members from the tag service takes longer than
an RPC may; the member list is read once in the background and kept here (compressed), so any
replica — or the same one after a restart — decides batches on that snapshot without asking again.

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

S = "product"


def upgrade() -> None:
    op.create_table(
        "snapshot_members",
        sa.Column("snapshot_id", sa.Text, primary_key=True),
        # "" when read by a role that sees every customer, else the scoped reader's role/branch/advisor.
        sa.Column("scope", sa.Text, primary_key=True),
        sa.Column("member_count", sa.BigInteger, nullable=False),
        sa.Column("customer_ids", sa.LargeBinary, nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=S,
    )
    op.execute(f"ALTER TABLE {S}.snapshot_members ALTER COLUMN customer_ids SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_table("snapshot_members", schema=S)
