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
offered.

Events of other services (points, strategy tasks, campaign touches; `forwarded_events.py` lists
them and the fields each carries) reach partners through the channel service's NATS consumers
(`event_forwarding.py`), which call `fan_out_forwarded` for each fetched batch. They are granted,
not self-served: only an hq_operator or sre (or a service) may put an entry naming another service
(`lingxi.points.>`, `lingxi.strategy.task.created`) on a subscription, and such events are matched
only by entries naming their service — `lingxi.>` on an old partner subscription never widens to
the points stream. A delivery is still keyed by (subscription, event id), so a redelivered event
adds nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.channel.v1 import webhook_service_pb2 as W
from lingxi.events.v1 import channel_events_pb2 as E
from lingxi_channel.forwarded_events import FORWARDED, project
from lingxi_channel.models import webhook_deliveries, webhook_subscriptions
from lingxi_common.contracts import event_subject
from lingxi_common.errors import InvalidArgument, PermissionDenied

# Subject → event message type: the channel service's own events a partner may subscribe to itself…
OWN: dict[str, type[Message]] = {
    event_subject(E.MessageStatusChanged()): E.MessageStatusChanged,
    event_subject(E.WebhookDeliveryDeadLettered()): E.WebhookDeliveryDeadLettered,
}
# …and everything subscribable, other services' events included (those need an operator's grant).
SUBSCRIBABLE: dict[str, type[Message]] = {**OWN, **{s: item.kind for s, item in FORWARDED.items()}}
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


def selects(pattern: str, subject: str) -> bool:
    """Does a stored entry select this subject? Another service's event only when the entry names
    that service (`lingxi.points.>` does, `lingxi.>` and `lingxi.*.…` do not)."""
    if not subject_matches(pattern, subject):
        return False
    if subject in FORWARDED:
        return pattern.split(".")[:2] == subject.split(".")[:2]
    return True


def normalize_event_types(
    values: Sequence[str],
    field: str = "subscription.event_types",
    *,
    may_grant: bool = False,
    granted: Collection[str] = (),
) -> list[str]:
    """Subjects and patterns to store: proto names become subjects; each must match something.

    An entry selecting other services' events needs `may_grant` (an operator) unless the
    subscription already had it (`granted`): a partner may keep or drop a grant, never add one.
    """
    if len(values) > MAX_EVENT_TYPES:
        raise InvalidArgument(field, f"at most {MAX_EVENT_TYPES} event types")
    kept: list[str] = []
    for index, raw in enumerate(values):
        value = BY_PROTO_NAME.get(raw.strip(), raw.strip())
        reached = [subject for subject in SUBSCRIBABLE if value and selects(value, subject)]
        if not reached:
            raise InvalidArgument(
                f"{field}[{index}]",
                f"{raw!r} matches no subscribable event type; choose from {sorted(SUBSCRIBABLE)}",
            )
        foreign = sorted(subject for subject in reached if subject in FORWARDED)
        if foreign and not may_grant and value not in granted:
            raise PermissionDenied(
                f"{field}[{index}]: {raw!r} selects other services' events ({', '.join(foreign)}); "
                "an hq_operator or sre grants those to a partner"
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
        return any(selects(pattern, subject) for pattern in self.patterns)


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


def event_uuid(event_id: str | uuid.UUID) -> uuid.UUID:
    """An event id as a UUID (outbox ids are UUIDs; anything else is hashed into one)."""
    if isinstance(event_id, uuid.UUID):
        return event_id
    try:
        return uuid.UUID(event_id)
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"lingxi-event:{event_id}")


def delivery_id(subscription_id: str, event_id: str | uuid.UUID) -> str:
    """Stable per (subscription, event): the same event never makes a second delivery."""
    return f"whd_{uuid.uuid5(event_uuid(event_id), subscription_id).hex[:24]}"


def envelope(subject: str, event_id: str | uuid.UUID, at: datetime, data: dict[str, Any]) -> bytes:
    """The delivered body: `{"id", "type", "occurred_at", "data"}` (docs/channel.md)."""
    return json.dumps(
        {"type": subject, "id": str(event_id), "occurred_at": at.isoformat(), "data": data},
        ensure_ascii=False,
        sort_keys=True,
    ).encode()


def event_body(subject: str, event_id: uuid.UUID, event: Message, at: datetime) -> bytes:
    return envelope(subject, event_id, at, MessageToDict(event, preserving_proto_field_name=True))


async def _subscribers(session: AsyncSession) -> tuple[list[Subscriber], dict[str, str]]:
    """Active subscriptions with event types, and every subscription's owner."""
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
    return subscribers, {row.subscription_id: row.partner_id for row in rows}


def _delivery(subscriber: Subscriber, subject: str, event_id: str | uuid.UUID, body: bytes) -> dict[str, Any]:
    return {
        "delivery_id": delivery_id(subscriber.subscription_id, event_id),
        "subscription_id": subscriber.subscription_id,
        "event_type": subject,
        "event_id": str(event_id),
        "message_id": None,
        "body": body,
        "status": W.DELIVERY_STATUS_PENDING,
        "next_attempt_at": datetime.now(UTC),
    }


async def fan_out(session: AsyncSession, events: Sequence[Message], event_ids: Sequence[uuid.UUID]) -> int:
    """Enqueue a delivery for every (subscription, own event) that matches; returns how many."""
    candidates = [
        (event, event_id)
        for event, event_id in zip(events, event_ids, strict=True)
        if event_subject(event) in OWN
    ]
    if not candidates:
        return 0
    subscribers, owners = await _subscribers(session)
    if not subscribers:
        return 0
    now = datetime.now(UTC)
    deliveries = []
    for event, event_id in candidates:
        subject = event_subject(event)
        for subscriber in subscribers:
            if subscriber.wants(subject) and concerns(event, subscriber, owners):
                body = event_body(subject, event_id, event, now)
                deliveries.append(_delivery(subscriber, subject, event_id, body))
    if deliveries:
        await session.execute(pg_insert(webhook_deliveries).on_conflict_do_nothing(), deliveries)
    return len(deliveries)


@dataclass(frozen=True, slots=True)
class ForeignEvent:
    """Another service's event as consumed from NATS: the event, its id and when it happened."""

    event: Message
    event_id: str
    occurred_at: datetime


async def fan_out_forwarded(session: AsyncSession, events: Sequence[ForeignEvent]) -> int:
    """Enqueue a delivery of each granted event to every subscription that selects it.

    The body carries only the fields `forwarded_events` lists. Redelivered events (NATS
    redelivery, a replayed stream) hit the (subscription, event id) key and add nothing.
    Returns how many deliveries were new.
    """
    wanted = [item for item in events if event_subject(item.event) in FORWARDED]
    if not wanted:
        return 0
    subscribers, _owners = await _subscribers(session)
    deliveries: list[dict[str, Any]] = []
    for item in wanted:
        subject = event_subject(item.event)
        takers = [subscriber for subscriber in subscribers if subscriber.wants(subject)]
        if not takers:
            continue
        body = envelope(subject, item.event_id, item.occurred_at, project(item.event))
        deliveries.extend(_delivery(subscriber, subject, item.event_id, body) for subscriber in takers)
    if not deliveries:
        return 0
    inserted = await session.execute(
        pg_insert(webhook_deliveries).on_conflict_do_nothing().returning(webhook_deliveries.c.delivery_id),
        deliveries,
    )
    return len(inserted.all())
