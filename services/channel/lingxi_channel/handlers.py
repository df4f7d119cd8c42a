"""NATS consumers of the channel service, and the dispatcher worker that runs beside them.

Send commands need no processed-message record: the ledger's UNIQUE idempotency key already makes
a redelivered command a DUPLICATE that calls no provider. Receipts are idempotent by receipt_id.
A command whose messages are malformed is still acknowledged — each one is answered REJECTED in
the ledger (when it has a key) rather than redelivered forever.
"""

from __future__ import annotations

import logging
from typing import Any

from lingxi.events.v1 import channel_events_pb2
from lingxi_channel.event_forwarding import forwarding_consumers
from lingxi_channel.receipts import record_receipts
from lingxi_channel.runtime import ChannelRuntime, runtime_for
from lingxi_common.consumer import ConsumerWorker, Delivery
from lingxi_common.db import transaction
from lingxi_common.identity import Caller
from lingxi_common.service import BackgroundJob, ServiceContext

log = logging.getLogger(__name__)

SEND = "channel-send"
SEND_BATCH = "channel-send-batch"
RECORD_RECEIPTS = "channel-record-receipts"
SYSTEM = Caller.system("channel")


class DispatcherWorker:
    """Runs the dispatcher under the service runner (started after migrations, cancelled on stop)."""

    name = "channel-dispatcher"

    def __init__(self, rt: ChannelRuntime) -> None:
        self._rt = rt

    async def run(self) -> None:
        await self._rt.seed_accounts()
        await self._rt.dispatcher.run()


def consumers(ctx: ServiceContext) -> list[ConsumerWorker[Any]]:
    rt = runtime_for(ctx)

    async def accept(messages: list[Any], delivery: Delivery) -> None:
        async with transaction(ctx.sessions) as session:
            results = await rt.sends.accept(session, messages, SYSTEM)
        rt.dispatcher.wake()
        rejected = [r for r in results if r.reason_code == "invalid_request"]
        if rejected:
            log.warning(
                "send command carried malformed messages",
                extra={"delivery": delivery.message_id, "count": len(rejected), "reason": rejected[0].reason},
            )

    async def on_send(command: channel_events_pb2.SendMessageCommand, delivery: Delivery) -> None:
        await accept([command.message], delivery)

    async def on_send_batch(command: channel_events_pb2.SendBatchCommand, delivery: Delivery) -> None:
        await accept(list(command.messages), delivery)

    async def on_receipts(command: channel_events_pb2.RecordReceiptsCommand, delivery: Delivery) -> None:
        async with transaction(ctx.sessions) as session:
            await record_receipts(session, rt.cipher, SYSTEM, list(command.receipts))

    decls = ctx.declarations
    workers: list[Any] = [
        ConsumerWorker(ctx.bus, decls.consumer(SEND), channel_events_pb2.SendMessageCommand, on_send),
        ConsumerWorker(
            ctx.bus, decls.consumer(SEND_BATCH), channel_events_pb2.SendBatchCommand, on_send_batch
        ),
        ConsumerWorker(
            ctx.bus, decls.consumer(RECORD_RECEIPTS), channel_events_pb2.RecordReceiptsCommand, on_receipts
        ),
    ]
    # Other services' events granted to partner webhooks (event_forwarding.py).
    workers.extend(forwarding_consumers(ctx, rt.webhooks.wake))
    return workers


def jobs(ctx: ServiceContext) -> list[BackgroundJob]:
    """The dispatcher (claimed sends → providers), the webhook deliverer and the WeCom result checks
    run beside the consumers."""
    rt = runtime_for(ctx)
    return [DispatcherWorker(rt), rt.webhooks, rt.wecom_results]
