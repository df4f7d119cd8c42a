"""The transactional outbox: nothing before commit, everything after, exactly once in the stream."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from google.protobuf.wrappers_pb2 import StringValue

from lingxi_common.bus import HEADER_EVENT_ID, HEADER_MSG_ID, HEADER_TYPE
from lingxi_common.db import session_factory
from lingxi_common.outbox import OutboxRelay, OutboxRow, emit

pytestmark = pytest.mark.integration


def relay_for(m, url: str) -> OutboxRelay:
    return OutboxRelay(m.engine, m.outbox, m.bus, database_url=url, poll_interval=0.05)


async def stream_messages(m) -> int:
    info = await m.bus.js.stream_info(m.stream)
    return int(info.state.messages)


async def test_rolled_back_transaction_publishes_nothing(messaging, database_url: str) -> None:
    sessions = session_factory(messaging.engine)
    with pytest.raises(RuntimeError):
        async with sessions() as session, session.begin():
            await emit(
                session, messaging.outbox, StringValue(value="lost"), subject=f"{messaging.subject_prefix}.x"
            )
            raise RuntimeError("business rule failed after the event was written")
    assert await relay_for(messaging, database_url).relay_once() == 0
    assert await stream_messages(messaging) == 0


async def test_committed_event_is_published_with_its_id(messaging, database_url: str) -> None:
    sessions = session_factory(messaging.engine)
    async with sessions() as session, session.begin():
        event_id = await emit(
            session,
            messaging.outbox,
            StringValue(value="hello"),
            subject=f"{messaging.subject_prefix}.greeting",
        )
    assert await relay_for(messaging, database_url).relay_once() == 1
    stored = await messaging.bus.js.get_msg(messaging.stream, seq=1)
    assert StringValue.FromString(stored.data).value == "hello"
    assert stored.headers[HEADER_MSG_ID] == str(event_id)
    assert stored.headers[HEADER_EVENT_ID] == str(event_id)
    assert stored.headers[HEADER_TYPE] == "google.protobuf.StringValue"
    async with messaging.engine.connect() as connection:
        published_at = await connection.scalar(sa.select(messaging.outbox.c.published_at))
    assert published_at is not None


async def test_crash_between_publish_and_mark_still_publishes_exactly_once(
    messaging, database_url: str
) -> None:
    sessions = session_factory(messaging.engine)
    async with sessions() as session, session.begin():
        await emit(
            session, messaging.outbox, StringValue(value="once"), subject=f"{messaging.subject_prefix}.once"
        )
    first = relay_for(messaging, database_url)
    async with messaging.engine.connect() as connection:
        row = (await connection.execute(sa.select(messaging.outbox))).one()
    # The first relay publishes, then "dies" before its UPDATE commits: the row stays unpublished.
    outcome = await first.publish_rows([OutboxRow(row.id, row.subject, row.payload, dict(row.headers))])
    assert outcome == [None]
    # A restarted relay finds the row again and publishes it again; JetStream drops the duplicate.
    restarted = relay_for(messaging, database_url)
    assert await restarted.relay_once() == 1
    assert await restarted.relay_once() == 0
    assert await stream_messages(messaging) == 1


async def test_relay_wakes_on_commit_and_keeps_order(messaging, database_url: str) -> None:
    relay = relay_for(messaging, database_url)
    task = asyncio.create_task(relay.run())
    sessions = session_factory(messaging.engine)
    try:
        for index in range(20):
            async with sessions() as session, session.begin():
                await emit(
                    session,
                    messaging.outbox,
                    StringValue(value=str(index)),
                    subject=f"{messaging.subject_prefix}.n",
                )
        for _ in range(100):
            if await stream_messages(messaging) == 20:
                break
            await asyncio.sleep(0.05)
        assert await stream_messages(messaging) == 20
        values = [
            StringValue.FromString((await messaging.bus.js.get_msg(messaging.stream, seq=seq)).data).value
            for seq in range(1, 21)
        ]
        assert values == [str(i) for i in range(20)]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_emit_many_writes_the_same_rows_in_order(messaging, database_url: str) -> None:
    sessions = session_factory(messaging.engine)
    subject = f"{messaging.subject_prefix}.bulk"
    from lingxi_common.outbox import emit_many

    async with sessions() as session, session.begin():
        messages = [StringValue(value=str(i)) for i in range(5)]
        ids = await emit_many(session, messaging.outbox, messages, subject=subject, chunk_size=2)
    assert len(set(ids)) == 5
    assert await relay_for(messaging, database_url).relay_once() == 5
    values = [
        StringValue.FromString((await messaging.bus.js.get_msg(messaging.stream, seq=seq)).data).value
        for seq in range(1, 6)
    ]
    assert values == ["0", "1", "2", "3", "4"]


async def test_pipelined_relay_publishes_a_backlog_once_and_in_order(messaging, database_url: str) -> None:
    """A backlog larger than a batch: the relay claims the next batch while the previous one's
    acks come back, and grows its batches; the stream must still hold every row once, in order,
    and every row must end up marked published."""
    subject = f"{messaging.subject_prefix}.backlog"
    from lingxi_common.outbox import emit_many

    sessions = session_factory(messaging.engine)
    async with sessions() as session, session.begin():
        await emit_many(
            session, messaging.outbox, [StringValue(value=str(i)) for i in range(150)], subject=subject
        )
    relay = OutboxRelay(
        messaging.engine, messaging.outbox, messaging.bus, database_url=database_url, batch_size=8
    )
    task = asyncio.create_task(relay.run())
    try:
        for _ in range(200):
            if await stream_messages(messaging) >= 150:
                break
            await asyncio.sleep(0.05)
        for _ in range(100):  # the last batch's UPDATE commits just after its acks
            async with messaging.engine.connect() as connection:
                pending = await connection.scalar(
                    sa.select(sa.func.count()).where(messaging.outbox.c.published_at.is_(None))
                )
            if not pending:
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert await stream_messages(messaging) == 150
    values = [
        StringValue.FromString((await messaging.bus.js.get_msg(messaging.stream, seq=seq)).data).value
        for seq in range(1, 151)
    ]
    assert values == [str(i) for i in range(150)]
    assert pending == 0


async def test_emit_many_rows_carry_type_and_own_event_id(messaging, database_url: str) -> None:
    from lingxi_common.outbox import emit_many

    sessions = session_factory(messaging.engine)
    async with sessions() as session, session.begin():
        ids = await emit_many(
            session, messaging.outbox, [StringValue(value="a"), StringValue(value="b")], subject="x.y"
        )
    async with messaging.engine.connect() as connection:
        rows = (await connection.execute(sa.select(messaging.outbox.c.id, messaging.outbox.c.headers))).all()
    assert {row.id for row in rows} == set(ids)
    for row in rows:
        assert row.headers[HEADER_TYPE] == "google.protobuf.StringValue"
        assert row.headers[HEADER_EVENT_ID] == str(row.id)
