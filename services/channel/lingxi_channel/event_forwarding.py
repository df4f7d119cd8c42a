"""The NATS consumers that hand other services' events to partner webhooks.

One durable consumer per producing stream (`channel-partner-points`, `-strategy`, `-campaign` in
infra/nats/streams.yaml), filtered to the subjects `forwarded_events.CATALOGUE` lists. Each fetch is
handled as one batch and one transaction: the active subscriptions are read once, a delivery row is
inserted per (subscription, event) that a subscription selects, and the webhook deliverer is woken
to sign and post them with its usual retries, dead letters and replay. The delivery key is the
subscription and the producer's event id (its `Lingxi-Event-Id`, i.e. its outbox row id), so
NATS redelivery or a re-published event never reaches a partner twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from google.protobuf.message import DecodeError, Message
from nats.aio.msg import Msg

from lingxi_channel.forwarded_events import FORWARDED
from lingxi_channel.webhook_events import ForeignEvent, fan_out_forwarded
from lingxi_common.bus import HEADER_EVENT_ID, HEADER_TYPE
from lingxi_common.consumer import BatchConsumerWorker, Outcome, PoisonMessage, Received
from lingxi_common.db import transaction
from lingxi_common.service import ServiceContext

# Durable consumers (infra/nats/streams.yaml) and the stream whose events each forwards.
CONSUMERS = {
    "channel-partner-points": "POINTS_EVENTS",
    "channel-partner-strategy": "STRATEGY_EVENTS",
    "channel-partner-campaign": "CAMPAIGN_EVENTS",
}


class ForwardedEventWorker(BatchConsumerWorker[Message]):
    """A batch consumer whose messages are of several types: each is decoded by its subject."""

    def _decode(self, msg: Msg, headers: dict[str, str]) -> Message:
        item = FORWARDED.get(msg.subject)
        if item is None:
            raise PoisonMessage(f"{msg.subject} is not forwarded to partners")
        expected = item.kind.DESCRIPTOR.full_name
        actual = headers.get(HEADER_TYPE)
        if actual and actual != expected:
            raise PoisonMessage(f"expected {expected}, got {actual}")
        try:
            return item.kind.FromString(msg.data)
        except DecodeError as error:
            raise PoisonMessage(f"undecodable {expected}: {error}") from error


def foreign_event(received: Received[Message]) -> ForeignEvent:
    """Event id: the producer's outbox id, else its meta.event_id, else the NATS message id."""
    event = received.message
    meta = getattr(event, "meta", None)
    event_id = (
        received.delivery.headers.get(HEADER_EVENT_ID)
        or (meta.event_id if meta is not None else "")
        or received.delivery.message_id
    )
    occurred_at = (
        meta.occurred_at.ToDatetime(tzinfo=UTC)
        if meta is not None and meta.HasField("occurred_at")
        else datetime.now(UTC)
    )
    return ForeignEvent(event, event_id, occurred_at)


def forwarding_consumers(ctx: ServiceContext, wake: Callable[[], None]) -> list[ForwardedEventWorker]:
    """The workers; `wake` nudges the webhook deliverer once new deliveries committed."""

    async def forward(items: Sequence[Received[Message]]) -> list[Outcome]:
        async with transaction(ctx.sessions) as session:
            added = await fan_out_forwarded(session, [foreign_event(item) for item in items])
        if added:
            wake()
        return [Outcome.done()] * len(items)

    return [
        ForwardedEventWorker(ctx.bus, ctx.declarations.consumer(durable), Message, forward)
        for durable in CONSUMERS
    ]
