"""Processed-message records that make event handlers idempotent.

JetStream's dedupe window covers minutes; redeliveries and operator replays can come days later.
A handler claims the message id in the same transaction as its writes: the claim and the effect
commit together or not at all, so a message is applied exactly once however often it arrives.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession


def processed_message_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("consumer", sa.Text, primary_key=True),
        sa.Column("message_id", sa.Text, primary_key=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def processed_messages_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table("processed_messages", metadata, *processed_message_columns())


async def claim_message(session: AsyncSession, table: sa.Table, consumer: str, message_id: str) -> bool:
    """True the first time (consumer, message_id) is seen in a committed transaction."""
    result = await session.execute(
        insert(table)
        .values(consumer=consumer, message_id=message_id)
        .on_conflict_do_nothing()
        .returning(table.c.message_id)
    )
    return result.first() is not None
