"""Tables of the points service, all in the `points` schema.

The member keeps the branch and advisor it learnt from the customer's events, because the
points service enforces the caller's data scope itself and may not read the tag service's tables.
"""

from __future__ import annotations

import sqlalchemy as sa

from lingxi_common.db import service_metadata
from lingxi_common.idempotency import processed_messages_table
from lingxi_common.outbox import outbox_table

SCHEMA = "points"
metadata = service_metadata(SCHEMA)
outbox = outbox_table(metadata)
processed_messages = processed_messages_table(metadata)

members = sa.Table(
    "members",
    metadata,
    sa.Column("customer_id", sa.Text, primary_key=True),
    sa.Column("branch_id", sa.Text, nullable=False),
    sa.Column("advisor_id", sa.Text),
    sa.Column("tier_code", sa.Text, nullable=False, server_default="registered"),
    # The tag service's customer version this row reflects; events arrive out of order.
    sa.Column("customer_version", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)
