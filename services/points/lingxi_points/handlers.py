"""Event consumers of the points service, each idempotent on the event id."""

from __future__ import annotations

from typing import Any

from lingxi.events.v1 import tag_events_pb2
from lingxi_common.consumer import ConsumerWorker, Delivery
from lingxi_common.db import transaction
from lingxi_common.idempotency import claim_message
from lingxi_common.service import ServiceContext
from lingxi_points.members import open_or_update_member
from lingxi_points.models import processed_messages

CUSTOMER_CHANGED = "points-customer-changed"


def consumers(ctx: ServiceContext) -> list[ConsumerWorker[Any]]:
    async def on_customer_changed(event: tag_events_pb2.CustomerChanged, delivery: Delivery) -> None:
        async with transaction(ctx.sessions) as session:
            if await claim_message(session, processed_messages, CUSTOMER_CHANGED, delivery.message_id):
                await open_or_update_member(session, event)

    return [
        ConsumerWorker(
            ctx.bus,
            ctx.declarations.consumer(CUSTOMER_CHANGED),
            tag_events_pb2.CustomerChanged,
            on_customer_changed,
        )
    ]
