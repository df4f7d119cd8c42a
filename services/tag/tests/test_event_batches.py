"""The batched event path: many behaviour batches per transaction, exactly-once effects under
redelivery and crashes, poison batches dead-lettered alone — over real PostgreSQL and JetStream."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

import pytest
import sqlalchemy as sa
from test_behavior_tags import add_customer, aggregates, event, processed, wait_until

from lingxi.common.v1 import event_meta_pb2
from lingxi.events.v1 import ingest_events_pb2 as ingest_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi_common.bus import HEADER_EVENT_ID, HEADER_MSG_ID, message_headers
from lingxi_common.consumer import HEADER_DLQ_ERROR, Delivery, Received, Settle
from lingxi_common.service import ServiceRunner
from lingxi_tag.handlers import BEHAVIOR_BATCHES, BehaviorBatches
from lingxi_tag.models import outbox
from lingxi_tag.runtime import runtime_for

pytestmark = pytest.mark.integration

SUBJECT = "lingxi.ingest.behavior_batch"


def views(customer: str, count: int) -> ingest_pb2.BehaviorBatch:
    """A gateway-shaped batch of ``count`` live-stream views of 300 s by ``customer``."""
    return ingest_pb2.BehaviorBatch(
        meta=event_meta_pb2.EventMeta(event_id=str(uuid.uuid4()), producer="gateway"),
        source_kind=ingest_pb2.INGEST_SOURCE_KIND_SEGMENT,
        source_id="app",
        events=[event("WatchLiveStream", user=customer, duration_seconds=300) for _ in range(count)],
    )


async def redeliver(runner: ServiceRunner, batch: ingest_pb2.BehaviorBatch) -> None:
    """The same message again, as JetStream hands it over after a crash: same message id (the
    consumer's idempotency key), a fresh transport id so JetStream's dedupe window lets it in."""
    headers = message_headers(batch, batch.meta.event_id)
    headers[HEADER_MSG_ID] = f"redelivery-{uuid.uuid4()}"
    await runner.context.bus.js.publish(SUBJECT, batch.SerializeToString(), headers=headers)


async def publish(runner: ServiceRunner, batch: ingest_pb2.BehaviorBatch) -> str:
    await runner.context.bus.publish(batch, msg_id=batch.meta.event_id)
    return batch.meta.event_id


async def fan_changes(runner: ServiceRunner, customer: str) -> list[tag_events_pb2.CustomerTagChanged]:
    """Every CustomerTagChanged of live_stream_fan for ``customer`` in the outbox."""
    async with runner.context.sessions() as session:
        rows = (
            await session.execute(
                sa.select(outbox.c.payload).where(outbox.c.subject == "lingxi.tag.customer_tag.changed")
            )
        ).all()
    changes = [tag_events_pb2.CustomerTagChanged.FromString(row.payload) for row in rows]
    return [c for c in changes if c.tag_code == "live_stream_fan" and c.customer.customer_id == customer]


async def stored_events(runner: ServiceRunner, customer: str) -> int:
    async with runner.context.sessions() as session:
        return int(
            (
                await session.execute(
                    sa.text("SELECT count(*) FROM tag.behavior_events WHERE customer_id = :c"),
                    {"c": customer},
                )
            ).scalar_one()
        )


async def test_a_batch_redelivered_after_a_crash_changes_nothing_twice(tag: ServiceRunner) -> None:
    for customer in ("C510", "C511"):
        await add_customer(tag, customer)
    first, second, later = views("C510", 2), views("C511", 2), views("C510", 1)
    # One transaction applies two messages, then the process dies before acking either.
    handler = BehaviorBatches(runtime_for(tag.context))
    outcomes = await handler(
        [
            Received(batch, Delivery(SUBJECT, batch.meta.event_id, 1, n, {}))
            for n, batch in enumerate((first, second))
        ]
    )
    assert [outcome.settle for outcome in outcomes] == [Settle.ACK, Settle.ACK]
    assert (await aggregates(tag, "C510"))["live_view_120s_30d"] == 2.0

    # JetStream hands both over again, together with a message that arrived meanwhile.
    await redeliver(tag, first)
    await redeliver(tag, second)
    await publish(tag, later)
    await wait_until(lambda: processed(tag, later.meta.event_id), "the later batch processed")

    assert (await aggregates(tag, "C510"))["live_view_120s_30d"] == 3.0  # 2 + 1, not 2 + 2 + 1
    assert (await aggregates(tag, "C511"))["live_view_120s_30d"] == 2.0
    assert await stored_events(tag, "C510") == 3 and await stored_events(tag, "C511") == 2
    for customer, cause in (("C510", first), ("C511", second)):
        changes = await fan_changes(tag, customer)
        assert len(changes) == 1 and changes[0].change == tag_events_pb2.TAG_CHANGE_KIND_ENTERED
        assert changes[0].meta.causation_id == cause.meta.event_id


async def test_a_transaction_failing_midway_is_rolled_back_and_applied_once(tag: ServiceRunner) -> None:
    await add_customer(tag, "C520")
    async with tag.context.sessions() as session, session.begin():
        # The first tag change written after this point fails: events and aggregates of that
        # transaction are already written by then, as in a crash halfway through.
        await session.execute(sa.text("CREATE SEQUENCE tag.test_failures"))
        await session.execute(
            sa.text(
                """
                CREATE FUNCTION tag.test_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('tag.test_failures') = 1 THEN
                        RAISE EXCEPTION 'simulated crash in the middle of the batch';
                    END IF;
                    RETURN NEW;
                END $$
                """
            )
        )
        await session.execute(
            sa.text(
                "CREATE TRIGGER test_fail_once BEFORE INSERT ON tag.tag_changes "
                "FOR EACH ROW EXECUTE FUNCTION tag.test_fail_once()"
            )
        )
    batch_id = await publish(tag, views("C520", 2))
    await wait_until(lambda: processed(tag, batch_id), "the batch applied on its redelivery")
    async with tag.context.sessions() as session:
        attempts = (await session.execute(sa.text("SELECT last_value FROM tag.test_failures"))).scalar_one()
    assert attempts >= 2  # the first attempt really failed
    assert (await aggregates(tag, "C520"))["live_view_120s_30d"] == 2.0
    assert await stored_events(tag, "C520") == 2
    changes = await fan_changes(tag, "C520")
    assert len(changes) == 1 and changes[0].meta.causation_id == batch_id


async def test_poison_batches_are_dead_lettered_without_holding_back_their_neighbours(
    tag: ServiceRunner,
) -> None:
    for customer in ("C530", "C531"):
        await add_customer(tag, customer)
    bad_id = views("C530", 1)
    bad_id.events[0].meta.event_id = "not-a-uuid"
    nul = views("C531", 1)
    nul.events[0].properties.update({"title": "live\x00stream"})
    good_before, good_after = views("C530", 2), views("C531", 2)
    for batch in (good_before, bad_id, nul, good_after):
        await publish(tag, batch)

    async def good_ones_applied() -> bool:
        return await processed(tag, good_before.meta.event_id) and await processed(
            tag, good_after.meta.event_id
        )

    await wait_until(good_ones_applied, "the good batches applied")
    js = tag.context.bus.js
    dlq_subject = f"lingxi.dlq.{BEHAVIOR_BATCHES}"

    async def dead_letters() -> dict[str, str]:
        info = await js.stream_info("DEAD_LETTERS")
        found = {}
        for seq in range(info.state.first_seq, info.state.last_seq + 1) if info.state.messages else ():
            message = await js.get_msg("DEAD_LETTERS", seq)
            if message.subject == dlq_subject:
                found[message.headers[HEADER_EVENT_ID]] = message.headers[HEADER_DLQ_ERROR]
        return found

    poison_ids = (bad_id.meta.event_id, nul.meta.event_id)
    found = await wait_until(lambda: _all(dead_letters, *poison_ids), "both poison batches dead-lettered")
    assert "events[0].meta.event_id 'not-a-uuid' is not a UUID" in found[bad_id.meta.event_id]
    assert "events[0].properties.title contains a NUL character" in found[nul.meta.event_id]
    assert not await processed(tag, bad_id.meta.event_id) and not await processed(tag, nul.meta.event_id)
    assert (await aggregates(tag, "C530"))["live_view_120s_30d"] == 2.0  # nothing of the poison counted
    assert (await aggregates(tag, "C531"))["live_view_120s_30d"] == 2.0


async def _all(read: Callable[[], Awaitable[dict[str, str]]], *ids: str) -> dict[str, str] | None:
    found = await read()
    return found if all(identifier in found for identifier in ids) else None


async def test_concurrent_transactions_on_one_customer_see_each_other(tag: ServiceRunner) -> None:
    """Two lanes (or replicas) apply batches of the same customer at once. The first transaction
    is held in its COMMIT for a second; without the customer lock the second would evaluate the
    customer's tags meanwhile without the first's view (1 view: no fan), and so would the first
    (its own view only): the customer would end with 2 views and no tag. With the lock the second
    waits for the first commit and counts both."""
    await add_customer(tag, "C540")
    async with tag.context.sessions() as session, session.begin():
        await session.execute(sa.text("CREATE SEQUENCE tag.test_commits"))
        await session.execute(
            sa.text(
                """
                CREATE FUNCTION tag.test_slow_first_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('tag.test_commits') = 1 THEN
                        PERFORM pg_sleep(1);
                    END IF;
                    RETURN NULL;
                END $$
                """
            )
        )
        await session.execute(
            sa.text(
                "CREATE CONSTRAINT TRIGGER test_slow_first_commit AFTER INSERT ON tag.processed_messages "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tag.test_slow_first_commit()"
            )
        )
    yesterday, today = views("C540", 1), views("C540", 1)
    # Different days: different aggregate rows, so no row lock orders the two transactions.
    yesterday.events[0].event_time.FromSeconds(yesterday.events[0].event_time.seconds - 86_400)
    handler = BehaviorBatches(runtime_for(tag.context))

    async def apply(batch: ingest_pb2.BehaviorBatch, delay: float) -> None:
        await asyncio.sleep(delay)
        await handler([Received(batch, Delivery(SUBJECT, batch.meta.event_id, 1, 0, {}))])

    await asyncio.gather(apply(yesterday, 0.0), apply(today, 0.3))  # the second starts mid-commit
    assert (await aggregates(tag, "C540"))["live_view_120s_30d"] == 2.0
    changes = await fan_changes(tag, "C540")
    assert len(changes) == 1 and changes[0].change == tag_events_pb2.TAG_CHANGE_KIND_ENTERED
    assert changes[0].meta.causation_id == today.meta.event_id
