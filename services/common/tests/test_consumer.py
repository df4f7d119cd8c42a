"""Durable consumers: explicit acks, bounded redelivery with back-off, dead letters, replay — one
message at a time (ConsumerWorker) and in batches (BatchConsumerWorker)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from google.protobuf.wrappers_pb2 import Int64Value, StringValue

from lingxi_common.bus import message_headers
from lingxi_common.consumer import (
    HEADER_DLQ_CONSUMER,
    HEADER_DLQ_DELIVERIES,
    HEADER_DLQ_ERROR,
    BatchConsumerWorker,
    ConsumerWorker,
    Delivery,
    Outcome,
    Received,
    replay_dead_letter,
)
from lingxi_common.db import session_factory
from lingxi_common.idempotency import claim_message

pytestmark = pytest.mark.integration


async def wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def dlq_count(m) -> int:
    return int((await m.bus.js.stream_info(m.dlq_stream)).state.messages)


async def test_failing_handler_is_redelivered_then_dead_lettered(messaging) -> None:
    attempts: list[tuple[str, int, float]] = []

    async def handler(message: StringValue, delivery: Delivery) -> None:
        attempts.append((message.value, delivery.delivery_count, asyncio.get_running_loop().time()))
        if message.value == "bad":
            raise RuntimeError("downstream refused")

    worker = ConsumerWorker(messaging.bus, messaging.consumer, StringValue, handler, fetch_timeout=0.2)
    task = asyncio.create_task(worker.run())
    try:
        await messaging.bus.publish(
            StringValue(value="bad"), subject=f"{messaging.subject_prefix}.a", msg_id="m-bad"
        )
        await messaging.bus.publish(
            StringValue(value="good"), subject=f"{messaging.subject_prefix}.a", msg_id="m-good"
        )

        async def dead_lettered() -> bool:
            return await dlq_count(messaging) == 1

        await wait_for(dead_lettered)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    bad = [a for a in attempts if a[0] == "bad"]
    assert [count for _, count, _ in bad] == [1, 2, 3]  # max_deliver = 3
    assert bad[1][2] - bad[0][2] >= 0.09  # waited the declared back-off
    assert [a[0] for a in attempts].count("good") == 1  # the poison did not block the stream
    dead = await messaging.bus.js.get_msg(messaging.dlq_stream, seq=1)
    assert dead.headers[HEADER_DLQ_CONSUMER] == messaging.consumer.durable
    assert dead.headers[HEADER_DLQ_DELIVERIES] == "3"
    assert "downstream refused" in dead.headers[HEADER_DLQ_ERROR]
    info = await messaging.bus.js.consumer_info(messaging.stream, messaging.consumer.durable)
    assert info.num_ack_pending == 0 and info.num_pending == 0


async def test_undecodable_message_goes_straight_to_dead_letters(messaging) -> None:
    calls = 0

    async def handler(message: StringValue, delivery: Delivery) -> None:
        nonlocal calls
        calls += 1

    worker = ConsumerWorker(messaging.bus, messaging.consumer, StringValue, handler, fetch_timeout=0.2)
    task = asyncio.create_task(worker.run())
    try:
        wrong = Int64Value(value=7)
        await messaging.bus.js.publish(
            f"{messaging.subject_prefix}.a", wrong.SerializeToString(), headers=message_headers(wrong, "w1")
        )

        async def dead_lettered() -> bool:
            return await dlq_count(messaging) == 1

        await wait_for(dead_lettered)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert calls == 0
    dead = await messaging.bus.js.get_msg(messaging.dlq_stream, seq=1)
    assert "expected google.protobuf.StringValue" in dead.headers[HEADER_DLQ_ERROR]
    assert dead.headers[HEADER_DLQ_DELIVERIES] == "1"


async def test_idempotent_handler_applies_a_replayed_message_once(messaging) -> None:
    """A dead letter replayed by an operator is processed; a duplicate delivery is not applied twice."""
    sessions = session_factory(messaging.engine)
    applied: list[str] = []
    fail = True

    async def handler(message: StringValue, delivery: Delivery) -> None:
        if fail:
            raise RuntimeError("temporarily broken")
        async with sessions() as session, session.begin():
            if await claim_message(
                session, messaging.processed, messaging.consumer.durable, delivery.message_id
            ):
                applied.append(message.value)

    worker = ConsumerWorker(messaging.bus, messaging.consumer, StringValue, handler, fetch_timeout=0.2)
    task = asyncio.create_task(worker.run())
    try:
        await messaging.bus.publish(
            StringValue(value="x"), subject=f"{messaging.subject_prefix}.a", msg_id="evt-1"
        )

        async def dead_lettered() -> bool:
            return await dlq_count(messaging) == 1

        await wait_for(dead_lettered)
        fail = False
        subject = await replay_dead_letter(messaging.bus, 1, dlq_stream=messaging.dlq_stream)
        assert subject == f"{messaging.subject_prefix}.a"
        # The same event arrives once more under another transport id (a redelivery beyond
        # JetStream's dedupe window looks like this): it must not be applied again.
        duplicate = StringValue(value="x")
        await messaging.bus.js.publish(
            subject,
            duplicate.SerializeToString(),
            headers={**message_headers(duplicate, "evt-1"), "Nats-Msg-Id": "n-2"},
        )

        async def all_handled() -> bool:
            info = await messaging.bus.js.consumer_info(messaging.stream, messaging.consumer.durable)
            return info.num_pending == 0 and info.num_ack_pending == 0 and info.delivered.stream_seq >= 3

        await wait_for(all_handled)
        await asyncio.sleep(0.3)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert applied == ["x"]


# --- batch mode (BatchConsumerWorker) ------------------------------------------------------------


async def _publish_values(messaging, values: list[str], *, key: str = "") -> None:
    for n, value in enumerate(values):
        await messaging.bus.publish(
            StringValue(value=value),
            subject=f"{messaging.subject_prefix}.{key or 'a'}",
            msg_id=f"{value}-{n}",
        )


async def _settled(messaging) -> bool:
    info = await messaging.bus.js.consumer_info(messaging.stream, messaging.consumer.durable)
    return info.num_pending == 0 and info.num_ack_pending == 0


async def test_batch_worker_isolates_a_failing_message_and_applies_the_rest_once(messaging) -> None:
    calls: list[list[str]] = []
    applied: list[str] = []

    async def handler(items: Sequence[Received[StringValue]]) -> list[Outcome]:
        values = [item.message.value for item in items]
        calls.append(values)
        if "bad" in values:  # the whole transaction fails, as a database error would make it
            raise RuntimeError("constraint violated")
        applied.extend(values)
        return [Outcome.done()] * len(items)

    await _publish_values(messaging, ["m0", "m1", "bad", "m3", "m4", "m5"])
    worker = BatchConsumerWorker(messaging.bus, messaging.consumer, StringValue, handler, fetch_timeout=0.2)
    task = asyncio.create_task(worker.run())
    try:

        async def dead_lettered() -> bool:
            return await dlq_count(messaging) == 1 and await _settled(messaging)

        await wait_for(dead_lettered)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert len(calls[0]) == 6  # one fetch, one handler call for all of them
    assert sorted(applied) == ["m0", "m1", "m3", "m4", "m5"]  # each exactly once, around the poison
    assert [call for call in calls if call == ["bad"]] == [["bad"]] * 3  # alone, max_deliver times
    dead = await messaging.bus.js.get_msg(messaging.dlq_stream, seq=1)
    assert StringValue.FromString(dead.data).value == "bad"
    assert (
        "constraint violated" in dead.headers[HEADER_DLQ_ERROR] and dead.headers[HEADER_DLQ_DELIVERIES] == "3"
    )


async def test_batch_worker_dead_letters_declared_poison_at_once_and_undecodable_before(messaging) -> None:
    seen: list[str] = []

    async def handler(items: Sequence[Received[StringValue]]) -> list[Outcome]:
        seen.extend(item.message.value for item in items)
        return [
            Outcome.poison("no such customer") if item.message.value == "orphan" else Outcome.done()
            for item in items
        ]

    await _publish_values(messaging, ["a", "orphan", "b"])
    wrong = Int64Value(value=7)
    await messaging.bus.js.publish(
        f"{messaging.subject_prefix}.a", wrong.SerializeToString(), headers=message_headers(wrong, "w1")
    )
    worker = BatchConsumerWorker(messaging.bus, messaging.consumer, StringValue, handler, fetch_timeout=0.2)
    task = asyncio.create_task(worker.run())
    try:

        async def both_dead() -> bool:
            return await dlq_count(messaging) == 2 and await _settled(messaging)

        await wait_for(both_dead)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert sorted(seen) == ["a", "b", "orphan"]  # handled once each; the undecodable never reached it
    reasons = [
        (await messaging.bus.js.get_msg(messaging.dlq_stream, seq=seq)).headers[HEADER_DLQ_ERROR]
        for seq in (1, 2)
    ]
    assert any("expected google.protobuf.StringValue" in reason for reason in reasons)
    assert any("poison: no such customer" in reason for reason in reasons)


async def test_batch_worker_lanes_keep_each_key_in_order(messaging) -> None:
    order: dict[str, list[int]] = {}
    active = 0
    overlapped = False

    async def handler(items: Sequence[Received[StringValue]]) -> list[Outcome]:
        nonlocal active, overlapped
        active += 1
        overlapped = overlapped or active > 1
        await asyncio.sleep(0.02)  # a database round trip: the other lane runs meanwhile
        for item in items:
            key, number = item.message.value.split(":")
            order.setdefault(key, []).append(int(number))
        active -= 1
        return [Outcome.done()] * len(items)

    for number in range(40):
        for key in ("k1", "k2", "k3", "k4"):
            await messaging.bus.publish(
                StringValue(value=f"{key}:{number}"),
                subject=f"{messaging.subject_prefix}.a",
                msg_id=f"{key}-{number}",
            )
    worker = BatchConsumerWorker(
        messaging.bus,
        messaging.consumer,
        StringValue,
        handler,
        batch_size=8,
        fetch_timeout=0.2,
        lanes=2,
        partition_key=lambda message: message.value.split(":")[0],
    )
    task = asyncio.create_task(worker.run())
    try:

        async def all_done() -> bool:
            return sum(len(numbers) for numbers in order.values()) >= 160 and await _settled(messaging)

        await wait_for(all_done)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert {key: numbers for key, numbers in order.items()} == {
        key: list(range(40)) for key in ("k1", "k2", "k3", "k4")
    }
    assert overlapped  # the lanes really ran at the same time
