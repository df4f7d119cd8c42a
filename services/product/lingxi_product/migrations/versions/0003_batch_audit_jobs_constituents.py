"""Compact batch audit, an in-memory-friendly customer projection, import jobs, index constituents.

* customer_risk.written_xid: the id of the transaction that last wrote the row, so a replica's
  in-memory copy of the projection can read only what changed since its last read (rows written
  by transactions its previous snapshot could not see have an id at or above that snapshot's xmin).
* suitability_batches: one record per batch holds the audience reference and the per-customer
  inputs and outcomes in compressed columnar form (instead of one row per customer).
* series_imports: worker bookkeeping for background imports (claim, heartbeat, timestamps).
* index_constituents: published constituent lists of indices, for TRACKS_INDEX_WITH_STOCK.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = "product"
CURRENT_XID = sa.text("(pg_current_xact_id()::text)::bigint")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column(
        "customer_risk",
        sa.Column("written_xid", sa.BigInteger, nullable=False, server_default=CURRENT_XID),
        schema=S,
    )
    op.create_index("ix_customer_risk_written_xid", "customer_risk", ["written_xid"], schema=S)

    op.add_column(
        "suitability_batches",
        sa.Column("audience", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        schema=S,
    )
    op.add_column(
        "suitability_batches",
        sa.Column("payload_format", sa.Text, nullable=False, server_default=""),
        schema=S,
    )
    op.add_column("suitability_batches", sa.Column("reason_order", sa.ARRAY(sa.SmallInteger)), schema=S)
    for column in ("customer_ids", "customer_inputs", "outcomes"):
        op.add_column("suitability_batches", sa.Column(column, sa.LargeBinary), schema=S)
        # Already zlib-compressed: PostgreSQL should store it out of line without trying again.
        op.execute(f"ALTER TABLE {S}.suitability_batches ALTER COLUMN {column} SET STORAGE EXTERNAL")

    op.add_column("series_imports", sa.Column("started_at", TS), schema=S)
    op.add_column("series_imports", sa.Column("finished_at", TS), schema=S)
    op.add_column("series_imports", sa.Column("heartbeat_at", TS), schema=S)
    op.add_column(
        "series_imports", sa.Column("attempts", sa.Integer, nullable=False, server_default="0"), schema=S
    )
    op.add_column(
        "series_imports",
        sa.Column("correlation_id", sa.Text, nullable=False, server_default=""),
        schema=S,
    )
    op.create_index("ix_series_imports_state", "series_imports", ["state", "created_at"], schema=S)

    op.create_table(
        "index_constituents",
        sa.Column("index_code", sa.Text, primary_key=True),
        sa.Column("effective_date", sa.Date, primary_key=True),
        sa.Column("security_code", sa.Text, primary_key=True),
        sa.Column("security_name", sa.Text, nullable=False, server_default=""),
        sa.Column("weight", sa.Numeric(12, 8), nullable=False),
        sa.Column("sector_code", sa.Text, nullable=False, server_default=""),
        sa.CheckConstraint("weight > 0 AND weight <= 1", name="ck_index_constituents_weight"),
        schema=S,
    )
    op.create_index(
        "ix_index_constituents_security", "index_constituents", ["security_code", "index_code"], schema=S
    )


def downgrade() -> None:
    op.drop_table("index_constituents", schema=S)
    op.drop_index("ix_series_imports_state", table_name="series_imports", schema=S)
    for column in ("correlation_id", "attempts", "heartbeat_at", "finished_at", "started_at"):
        op.drop_column("series_imports", column, schema=S)
    for column in ("outcomes", "customer_inputs", "customer_ids", "reason_order", "payload_format", "audience"):
        op.drop_column("suitability_batches", column, schema=S)
    op.drop_index("ix_customer_risk_written_xid", table_name="customer_risk", schema=S)
    op.drop_column("customer_risk", "written_xid", schema=S)
