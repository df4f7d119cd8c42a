"""Event consumers of the tag service, each idempotent on the message id and the event id.

- ``tag-behavior-batches``: SDK batches from the gateway, many messages per transaction (see
  ``BehaviorBatches``) → events stored, identities stitched, aggregates updated and the affected
  real-time tags re-evaluated once per customer, so the tag change (published through the outbox)
  commits with the events that caused it.
- ``tag-offline-touches``: offline touches → ``offline:<KIND>`` aggregates and real-time tags.

The background worker (library install, audience index, recomputes) rides along in the same list:
the runtime only asks a worker for ``name`` and ``run()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.events.v1 import ingest_events_pb2
from lingxi_common.consumer import (
    BatchConsumerWorker,
    ConsumerWorker,
    Delivery,
    Outcome,
    PoisonMessage,
    Received,
)
from lingxi_common.db import transaction
from lingxi_common.idempotency import claim_message
from lingxi_common.service import BackgroundJob, ServiceContext
from lingxi_tag.aggregates import StoredEvent, add_to_aggregates
from lingxi_tag.behavior import IncomingEvent, InvalidBatch, ingest_events, read_batch
from lingxi_tag.models import processed_messages
from lingxi_tag.recompute import TagWorker
from lingxi_tag.runtime import TagRuntime, runtime_for
from lingxi_tag.tagging import apply_tags

BEHAVIOR_BATCHES = "tag-behavior-batches"
OFFLINE_TOUCHES = "tag-offline-touches"
# Defaults of LINGXI_BEHAVIOR_BATCH_SIZE and LINGXI_BEHAVIOR_LANES. Messages per transaction: a
# gateway batch holds up to 2,000 events (usually 1–100), so this bounds one transaction to a few
# seconds of work even for the largest batches. Lanes: a second lane lets one transaction's
# Python run while another waits for PostgreSQL; on the 2-core benchmark machine two lanes
# drained 2 events/batch traffic about 15-20% faster than one (docs/benchmarks/tag.md, section 4).
BEHAVIOR_BATCH_SIZE = 256
BEHAVIOR_LANES = 2

_CLAIM_SQL = sa.text(
    """
    INSERT INTO tag.processed_messages (consumer, message_id)
    SELECT :consumer, m FROM unnest(CAST(:ids AS text[])) AS m
    ON CONFLICT DO NOTHING
    RETURNING message_id
    """
)


async def claim_messages(session: AsyncSession, consumer: str, message_ids: Sequence[str]) -> set[str]:
    """The ids among ``message_ids`` seen for the first time (claimed in the caller's
    transaction, so a claim and the effects it guards commit together or not at all)."""
    if not message_ids:
        return set()
    rows = await session.execute(_CLAIM_SQL, {"consumer": consumer, "ids": list(message_ids)})
    return {row.message_id for row in rows}


def device_of(batch: ingest_events_pb2.BehaviorBatch) -> str:
    """The lane key of a batch: the device (anonymous id) or login of its first event.

    An SDK batch comes from one device, so its events, the links made on it and later events of
    the same device stay in one lane, in order. Correctness does not depend on it (the handler
    locks customers and ids), only how rarely two lanes wait for each other.
    """
    for event in batch.events:
        key = event.anonymous_id or event.previous_id or event.user_id or event.customer_id
        if key:
            return f"{event.source_id or batch.source_id}:{key}"
    return batch.meta.event_id


class BehaviorBatches:
    """Handles every fetched ``BehaviorBatch`` in ONE transaction.

    Why: at thousands of events per second, a commit per message (each a disk flush) was the
    limit. Now up to ``BEHAVIOR_BATCH_SIZE`` messages cost one commit and a fixed number of
    set-based statements; each customer's affected tags are evaluated once, with the last
    message that moved them as the cause. Several such transactions may run at once (consumer
    lanes on different devices, or replicas); customers and anonymous ids are locked
    (``lingxi_tag.locks``) so two of them touching the same customer apply one after the other.

    Exactly-once effects under redelivery: every message id is claimed in the same transaction
    (a message already claimed — committed before a crash but never acked — is skipped), and
    events are idempotent on their own ids (an SDK re-sending the same events in a new message).
    A batch that can never be stored is returned as poison (dead-lettered alone) before the
    transaction starts; if the database still refuses a single message's data, it is poison too.
    """

    def __init__(self, runtime: TagRuntime) -> None:
        self._runtime = runtime

    async def __call__(self, items: Sequence[Received[ingest_events_pb2.BehaviorBatch]]) -> list[Outcome]:
        outcomes = [Outcome.done()] * len(items)
        received_at = dt.datetime.now(dt.UTC)
        runs: list[tuple[str, list[IncomingEvent]]] = []
        for number, item in enumerate(items):
            try:
                runs.append((item.delivery.message_id, read_batch(item.message, received_at)))
            except InvalidBatch as error:
                outcomes[number] = Outcome.poison(str(error))
        if runs:
            try:
                await self.apply(runs)
            except sa_exc.DataError as error:
                if len(items) == 1:  # the same data will be refused on every delivery
                    raise PoisonMessage(f"the database refuses the batch: {error.orig}") from error
                raise
        return outcomes

    async def apply(self, runs: Sequence[tuple[str, list[IncomingEvent]]]) -> None:
        """Apply the events of the messages not applied before, in message order."""
        runtime = self._runtime
        async with transaction(runtime.ctx.sessions) as session:
            fresh = await claim_messages(session, BEHAVIOR_BATCHES, list(dict.fromkeys(m for m, _ in runs)))
            events: list[IncomingEvent] = []
            for message_id, run in runs:
                if message_id in fresh:
                    fresh.discard(message_id)  # a message fetched twice is applied once
                    events.extend(run)
            if not events:
                return
            rules = await runtime.catalog.aggregate_rules(session)
            outcome = await ingest_events(session, runtime.cipher, events, rules)
            if outcome.moved:
                await apply_tags(
                    session,
                    runtime.catalog,
                    sorted(outcome.moved),
                    realtime_only=True,
                    changed_inputs=set().union(*(moved.inputs for moved in outcome.moved.values())),
                    causation_by_customer={
                        customer: moved.causation_id for customer, moved in outcome.moved.items()
                    },
                )


def consumers(ctx: ServiceContext) -> list[ConsumerWorker[Any]]:
    runtime = runtime_for(ctx)

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
                causation_id=touch.meta.event_id,
            )
            moved = await add_to_aggregates(session, await runtime.catalog.aggregate_rules(session), [event])
            if touch.customer_id in moved:
                await apply_tags(
                    session,
                    runtime.catalog,
                    [touch.customer_id],
                    realtime_only=True,
                    causation_id=touch.meta.event_id,
                    changed_inputs=moved[touch.customer_id].inputs,
                )

    return [
        BatchConsumerWorker(
            ctx.bus,
            ctx.declarations.consumer(BEHAVIOR_BATCHES),
            ingest_events_pb2.BehaviorBatch,
            BehaviorBatches(runtime),
            batch_size=int(getattr(ctx.settings, "behavior_batch_size", BEHAVIOR_BATCH_SIZE)),
            lanes=int(getattr(ctx.settings, "behavior_lanes", BEHAVIOR_LANES)),
            partition_key=device_of,
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
