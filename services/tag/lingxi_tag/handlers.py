"""Event consumers of the tag service, each idempotent on the event id.

- ``tag-behavior-batches``: SDK batches from the gateway → events stored, identities stitched,
  aggregates updated and real-time tags re-evaluated, all in one transaction, so the tag change
  (published through the outbox) follows the event within the same commit.
- ``tag-offline-touches``: offline touches → ``offline:<KIND>`` aggregates and real-time tags.

The background worker (library install, audience index, recomputes) rides along in the same list:
the runtime only asks a worker for ``name`` and ``run()``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lingxi.events.v1 import ingest_events_pb2
from lingxi_common.consumer import ConsumerWorker, Delivery
from lingxi_common.db import transaction
from lingxi_common.idempotency import claim_message
from lingxi_common.service import BackgroundJob, ServiceContext
from lingxi_tag.behavior import StoredEvent, add_to_aggregates, ingest_batch
from lingxi_tag.models import processed_messages
from lingxi_tag.recompute import TagWorker
from lingxi_tag.runtime import runtime_for
from lingxi_tag.tagging import apply_tags

BEHAVIOR_BATCHES = "tag-behavior-batches"
OFFLINE_TOUCHES = "tag-offline-touches"


def consumers(ctx: ServiceContext) -> list[ConsumerWorker[Any]]:
    runtime = runtime_for(ctx)

    async def on_batch(batch: ingest_events_pb2.BehaviorBatch, delivery: Delivery) -> None:
        async with transaction(ctx.sessions) as session:
            if not await claim_message(session, processed_messages, BEHAVIOR_BATCHES, delivery.message_id):
                return
            rules = await runtime.catalog.aggregate_rules(session)
            outcome = await ingest_batch(session, runtime.cipher, batch, rules)
            if outcome.affected_customers:
                await apply_tags(
                    session,
                    runtime.catalog,
                    sorted(outcome.affected_customers),
                    realtime_only=True,
                    causation_id=batch.meta.event_id,
                )

    async def on_touch(touch: ingest_events_pb2.OfflineTouchRecorded, delivery: Delivery) -> None:
        async with transaction(ctx.sessions) as session:
            if not await claim_message(
                session, processed_messages, OFFLINE_TOUCHES, touch.meta.event_id or delivery.message_id
            ):
                return
            properties: dict[str, Any] = {"result": touch.result, "staff_id": touch.staff_id}
            if touch.HasField("duration"):
                properties["duration_seconds"] = touch.duration.seconds
            event = StoredEvent(
                event_id=touch.meta.event_id,
                customer_id=touch.customer_id,
                event_name=f"offline:{touch.kind}",
                occurred_at=touch.occurred_at.ToDatetime(tzinfo=dt.UTC),
                properties=properties,
            )
            await add_to_aggregates(session, await runtime.catalog.aggregate_rules(session), [event])
            await apply_tags(
                session,
                runtime.catalog,
                [touch.customer_id],
                realtime_only=True,
                causation_id=touch.meta.event_id,
            )

    return [
        ConsumerWorker(
            ctx.bus,
            ctx.declarations.consumer(BEHAVIOR_BATCHES),
            ingest_events_pb2.BehaviorBatch,
            on_batch,
            batch_size=32,
        ),
        ConsumerWorker(
            ctx.bus,
            ctx.declarations.consumer(OFFLINE_TOUCHES),
            ingest_events_pb2.OfflineTouchRecorded,
            on_touch,
        ),
    ]


def jobs(ctx: ServiceContext) -> list[BackgroundJob]:
    """Library install, the audience index follower and recomputes run beside the consumers."""
    return [TagWorker(runtime_for(ctx))]
