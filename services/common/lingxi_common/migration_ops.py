"""Alembic operations every service's first migration performs.

The outbox and processed-message tables have one definition (in outbox.py and idempotency.py);
migrations call these helpers instead of repeating the columns in six histories.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lingxi_common.idempotency import processed_message_columns
from lingxi_common.outbox import outbox_columns


def create_messaging_tables(schema: str) -> None:
    op.create_table("outbox", *outbox_columns(), schema=schema)
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["seq"],
        schema=schema,
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.create_table("processed_messages", *processed_message_columns(), schema=schema)


def drop_messaging_tables(schema: str) -> None:
    op.drop_table("processed_messages", schema=schema)
    op.drop_index("ix_outbox_unpublished", table_name="outbox", schema=schema)
    op.drop_table("outbox", schema=schema)
