"""Helpers shared by the shared library's integration tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from lingxi_common.bus import Bus
from lingxi_common.db import create_engine, service_metadata
from lingxi_common.idempotency import processed_messages_table
from lingxi_common.outbox import outbox_table
from lingxi_common.streams import ConsumerDecl, Declarations, StreamDecl, provision


@dataclass
class Messaging:
    """A private schema with outbox + processed tables, and a private stream and consumer."""

    engine: AsyncEngine
    outbox: sa.Table
    processed: sa.Table
    bus: Bus
    stream: str
    subject_prefix: str
    consumer: ConsumerDecl
    dlq_stream: str


@pytest.fixture
async def messaging(database_url: str, nats_server) -> AsyncIterator[Messaging]:
    suffix = uuid.uuid4().hex[:8]
    schema = f"t_{suffix}"
    metadata = service_metadata(schema)
    outbox = outbox_table(metadata)
    processed = processed_messages_table(metadata)
    engine = create_engine(database_url, application_name="test")
    async with engine.begin() as connection:
        await connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        await connection.run_sync(metadata.create_all)
    bus = Bus([nats_server.url], name="test")
    await bus.connect()
    prefix = f"test.{suffix}"
    consumer = ConsumerDecl(
        durable=f"c_{suffix}",
        service="test",
        stream=f"S_{suffix}",
        filter_subjects=[f"{prefix}.>"],
        max_deliver=3,
        backoff=[0.1, 0.2],
        ack_wait=5,
        dead_letter_prefix=f"dlq.{suffix}",
    )
    dlq_stream = f"DLQ_{suffix}"
    declarations = Declarations(
        streams=[
            StreamDecl(name=f"S_{suffix}", subjects=[f"{prefix}.>"], storage="memory"),
            StreamDecl(name=dlq_stream, subjects=[consumer.dead_letter_subject], storage="memory"),
        ],
        consumers=[consumer],
    )
    await provision(bus.js, declarations)
    yield Messaging(engine, outbox, processed, bus, f"S_{suffix}", prefix, consumer, dlq_stream)
    for stream in declarations.streams:
        await bus.js.delete_stream(stream.name)
    await bus.close()
    await engine.dispose()
