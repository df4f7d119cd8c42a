"""Partner subscriptions to event types: which events may be subscribed, and the fan-out to them.

A partner subscribes to event types (`lingxi.channel.message.status`, a full proto name such as
`lingxi.events.v1.MessageStatusChanged`, or a NATS-style pattern like `lingxi.channel.>`); every
matching event the channel service emits becomes a signed delivery to the subscription's URL.

The fan-out happens in the transaction that emits the event (`events.emit_all`), not in a NATS
consumer: the delivery rows commit if and only if the event does, so a partner misses no event
and gets none twice (a delivery is keyed by subscription and event id). Deliveries then follow the
ordinary path — claimed, signed, retried over hours, dead-lettered, replayable.

Partners see only what concerns them: a message status when the message went to one of the
partner's own subscriptions (CHANNEL_WEBHOOK) or was sent on the partner's behalf
(`origin.source` = `api:<partner>` or `partner:<partner>`); a dead-letter notice about the
partner's own deliveries. Consent changes are about customers' personal decisions and are not
offered. Events of other services (points, campaigns…) are not forwarded: the channel service sees
only its own.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.channel.v1 import webhook_service_pb2 as W
from lingxi.events.v1 import channel_events_pb2 as E
from lingxi_channel.models import webhook_deliveries, webhook_subscriptions
from lingxi_common.contracts import event_subject
from lingxi_common.errors import InvalidArgument

# Subject → event message type, for everything a partner may subscribe to.
SUBSCRIBABLE: dict[str, type[Message]] = {
    event_subject(E.MessageStatusChanged()): E.MessageStatusChanged,
    event_subject(E.WebhookDeliveryDeadLettered()): E.WebhookDeliveryDeadLettered,
}
BY_PROTO_NAME = {kind.DESCRIPTOR.full_name: subject for subject, kind in SUBSCRIBABLE.items()}
MAX_EVENT_TYPES = 20
DEAD_LETTERED = event_subject(E.WebhookDeliveryDeadLettered())


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS wildcard semantics: `*` is one token, a final `>` one or more."""
    wanted, tokens = pattern.split("."), subject.split(".")
    for index, part in enumerate(wanted):
        if part == ">":
            return index == len(wanted) - 1 and len(tokens) > index
        if index >= len(tokens) or (part != "*" and part != tokens[index]):
            return False
    return len(wanted) == len(tokens)


def normalize_event_types(values: Sequence[str], field: str = "subscription.event_types") -> list[str]:
    """Subjects and patterns to store: proto names become subjects; each must match something."""
    if len(values) > MAX_EVENT_TYPES:
        raise InvalidArgument(field, f"at most {MAX_EVENT_TYPES} event types")
    kept: list[str] = []
    for index, raw in enumerate(values):
        value = BY_PROTO_NAME.get(raw.strip(), raw.strip())
        if not value or not any(subject_matches(value, subject) for subject in SUBSCRIBABLE):
            raise InvalidArgument(
                f"{field}[{index}]",
                f"{raw!r} matches no subscribable event type; choose from {sorted(SUBSCRIBABLE)}",
            )
        if value not in kept:
            kept.append(value)
    return kept


@dataclass(frozen=True, slots=True)
class Subscriber:
    subscription_id: str
    partner_id: str
    patterns: tuple[str, ...]

    def wants(self, subject: str) -> bool:
        return any(subject_matches(pattern, subject) for pattern in self.patterns)


def _bare(partner_id: str) -> str:
    return partner_id.removeprefix("partner:")


def concerns(event: Message, subscriber: Subscriber, owners: dict[str, str]) -> bool:
    """May this partner see this event (its data scope)?"""
    if isinstance(event, E.MessageStatusChanged):
        if (
            event.webhook_subscription_id
            and owners.get(event.webhook_subscription_id) == subscriber.partner_id
        ):
            return True
        bare = _bare(subscriber.partner_id)
        return event.origin.source in (f"api:{bare}", f"partner:{bare}")
    if isinstance(event, E.WebhookDeliveryDeadLettered):
        # Never announce the dead letter of a dead-letter notice (a failing endpoint would loop).
        return event.partner_id == subscriber.partner_id and event.event_type != DEAD_LETTERED
    return False


def delivery_id(subscription_id: str, event_id: uuid.UUID) -> str:
    return f"whd_{uuid.uuid5(event_id, subscription_id).hex[:24]}"


def event_body(subject: str, event_id: uuid.UUID, event: Message, at: datetime) -> bytes:
    return json.dumps(
        {
            "type": subject,
            "id": str(event_id),
            "occurred_at": at.isoformat(),
            "data": MessageToDict(event, preserving_proto_field_name=True),
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()


async def fan_out(session: AsyncSession, events: Sequence[Message], event_ids: Sequence[uuid.UUID]) -> int:
    """Enqueue a delivery for every (subscription, event) that matches; returns how many."""
    candidates = [
        (event, event_id)
        for event, event_id in zip(events, event_ids, strict=True)
        if event_subject(event) in SUBSCRIBABLE
    ]
    if not candidates:
        return 0
    rows = (
        await session.execute(
            sa.select(
                webhook_subscriptions.c.subscription_id,
                webhook_subscriptions.c.partner_id,
                webhook_subscriptions.c.event_types,
                webhook_subscriptions.c.active,
            ).where(webhook_subscriptions.c.deleted_at.is_(None))
        )
    ).all()
    subscribers = [
        Subscriber(row.subscription_id, row.partner_id, tuple(row.event_types))
        for row in rows
        if row.active and row.event_types
    ]
    if not subscribers:
        return 0
    owners = {row.subscription_id: row.partner_id for row in rows}
    now = datetime.now(UTC)
    deliveries = []
    for event, event_id in candidates:
        subject = event_subject(event)
        for subscriber in subscribers:
            if subscriber.wants(subject) and concerns(event, subscriber, owners):
                deliveries.append(
                    {
                        "delivery_id": delivery_id(subscriber.subscription_id, event_id),
                        "subscription_id": subscriber.subscription_id,
                        "event_type": subject,
                        "event_id": str(event_id),
                        "message_id": None,
                        "body": event_body(subject, event_id, event, now),
                        "status": W.DELIVERY_STATUS_PENDING,
                        "next_attempt_at": now,
                    }
                )
    if deliveries:
        await session.execute(pg_insert(webhook_deliveries).on_conflict_do_nothing(), deliveries)
    return len(deliveries)
