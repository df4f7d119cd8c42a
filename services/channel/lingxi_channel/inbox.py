"""The in-app inbox (站内信): what CHANNEL_INBOX sends deliver, read by the customer's app.

A customer reads and changes only their own messages; deleting hides a message from the app but
the ledger keeps the record. Reading a message for the first time records OPENED on the ledger.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.channel.v1 import channel_pb2, inbox_service_pb2
from lingxi_channel.models import inbox_messages, messages
from lingxi_common.errors import InvalidArgument, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_common.pii import PiiCipher

READERS = frozenset({Role.CUSTOMER, Role.SERVICE, Role.CALL_CENTER, Role.HQ_OPERATOR})


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def owner(caller: Caller, customer_id: str, *, write: bool = False) -> str:
    """The customer whose inbox is meant; a customer token always means its own inbox."""
    if caller.role is Role.CUSTOMER:
        if customer_id and customer_id != caller.customer_id:
            raise PermissionDenied("a customer may only use their own inbox")
        assert caller.customer_id is not None
        return caller.customer_id
    if caller.role not in READERS or (write and caller.role is not Role.SERVICE):
        raise PermissionDenied("the inbox belongs to the customer")
    if not customer_id:
        raise InvalidArgument("customer_id", "required")
    return customer_id


def _visible(customer_id: str) -> sa.ColumnElement[bool]:
    return sa.and_(
        inbox_messages.c.customer_id == customer_id,
        inbox_messages.c.deleted_at.is_(None),
        sa.or_(inbox_messages.c.expires_at.is_(None), inbox_messages.c.expires_at > sa.func.now()),
    )


async def unread_count(session: AsyncSession, customer_id: str) -> int:
    return int(
        (
            await session.execute(
                sa.select(sa.func.count()).where(_visible(customer_id), inbox_messages.c.read_at.is_(None))
            )
        ).scalar_one()
    )


async def list_inbox(
    session: AsyncSession, customer_id: str, request: inbox_service_pb2.ListInboxMessagesRequest
) -> list[inbox_service_pb2.InboxMessage]:
    query = sa.select(inbox_messages).where(_visible(customer_id))
    if request.unread_only:
        query = query.where(inbox_messages.c.read_at.is_(None))
    if request.category:
        query = query.where(inbox_messages.c.category == request.category)
    size = min(request.page.page_size or 50, 200)
    rows = (await session.execute(query.order_by(inbox_messages.c.created_at.desc()).limit(size))).all()
    return [
        inbox_service_pb2.InboxMessage(
            message_id=row.message_id,
            title=row.title,
            body=row.body,
            url=row.url,
            category=row.category,
            message_class=row.message_class,
            created_at=_ts(row.created_at),
            read_at=_ts(row.read_at),
            expires_at=_ts(row.expires_at),
        )
        for row in rows
    ]


async def mark_read(
    session: AsyncSession, cipher: PiiCipher, customer_id: str, ids: list[str], all_messages: bool
) -> list[str]:
    """Marks messages read; returns the ids read for the first time (they become OPENED)."""
    if not ids and not all_messages:
        raise InvalidArgument("message_ids", "name messages or set all")
    query = inbox_messages.update().where(_visible(customer_id), inbox_messages.c.read_at.is_(None))
    if not all_messages:
        query = query.where(inbox_messages.c.message_id.in_(ids))
    rows = (
        await session.execute(query.values(read_at=datetime.now(UTC)).returning(inbox_messages.c.message_id))
    ).all()
    opened = [row.message_id for row in rows]
    if opened:
        from lingxi_channel.receipts import advance_status

        targets = (await session.execute(sa.select(messages).where(messages.c.message_id.in_(opened)))).all()
        for target in targets:
            await advance_status(session, cipher, target, channel_pb2.MESSAGE_STATUS_OPENED, "inbox_read")
    return opened


async def delete(session: AsyncSession, customer_id: str, ids: list[str]) -> int:
    if not ids:
        raise InvalidArgument("message_ids", "name the messages to delete")
    result = await session.execute(
        inbox_messages.update()
        .where(_visible(customer_id), inbox_messages.c.message_id.in_(ids))
        .values(deleted_at=datetime.now(UTC))
        .returning(inbox_messages.c.message_id)
    )
    return len(result.all())
