"""Writing many outbox events at once, and handing partner-subscribed ones to their webhooks.

A SendBatch of 1,000 messages announces 1,000 status changes; `lingxi_common.outbox.emit` costs
two round trips per event (the row, then NOTIFY), which dominated the batch. `emit_all` binds
the shared `emit_many` (same rows as `emit`, a few multi-row INSERTs, one NOTIFY, inside the
caller's transaction) to the channel service's outbox, and in the same transaction enqueues a
delivery for every partner subscription the events match (`webhook_events.fan_out`), so a
subscribed partner gets exactly the events that committed.
"""

from __future__ import annotations

from collections.abc import Sequence

from google.protobuf.message import Message
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi_channel.models import outbox
from lingxi_channel.webhook_events import fan_out
from lingxi_common.outbox import emit_many


async def emit_all(session: AsyncSession, events: Sequence[Message]) -> None:
    event_ids = await emit_many(session, outbox, events)
    await fan_out(session, events, event_ids)
