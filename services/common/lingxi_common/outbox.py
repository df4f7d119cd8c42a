"""The transactional outbox: a state change and the event announcing it commit together.

`emit` writes the event into the service's `outbox` table inside the caller's transaction; if the
transaction rolls back, the event never existed. The `OutboxRelay` publishes committed rows to
JetStream with `Nats-Msg-Id` = the row id, so a relay that dies after publishing but before
marking the row publishes it again on restart and JetStream drops the duplicate. Consumers are
idempotent on the same id for redeliveries beyond JetStream's dedupe window.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import sqlalchemy as sa
from google.protobuf.message import Message
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from lingxi_common.bus import HEADER_EVENT_ID, HEADER_MSG_ID, HEADER_TYPE, Bus, message_headers
from lingxi_common.contracts import event_subject, message_type_name
from lingxi_common.db import asyncpg_dsn
from lingxi_common.telemetry import inject_headers, meter

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "lingxi_outbox"


def outbox_columns() -> list[sa.Column[Any]]:
    """Columns of the outbox table; shared by the ORM metadata and the Alembic migrations."""
    return [
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("seq", sa.BigInteger, sa.Identity(always=True), nullable=False, unique=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("message_type", sa.Text, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("headers", JSONB, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
    ]


def outbox_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "outbox",
        metadata,
        *outbox_columns(),
        sa.Index("ix_outbox_unpublished", "seq", postgresql_where=sa.text("published_at IS NULL")),
    )


def _outbox_row(
    message: Message,
    subject: str | None,
    headers: Mapping[str, str] | None,
    trace_headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One outbox row; ``trace_headers`` (the current trace context, already injected) saves
    ``emit_many`` an injection per row — the same headers ``message_headers`` would write."""
    event_id = uuid.uuid4()
    if trace_headers is None:
        row_headers = message_headers(message, None, {**(headers or {}), HEADER_EVENT_ID: str(event_id)})
    else:
        row_headers = {
            HEADER_TYPE: message_type_name(message),
            **trace_headers,
            **(headers or {}),
            HEADER_EVENT_ID: str(event_id),
        }
    return {
        "id": event_id,
        "subject": subject or event_subject(message),
        "message_type": message.DESCRIPTOR.full_name,
        "payload": message.SerializeToString(),
        "headers": row_headers,
    }


async def emit(
    session: AsyncSession,
    table: sa.Table,
    message: Message,
    *,
    subject: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> uuid.UUID:
    """Record `message` for publication when (and only if) the session's transaction commits."""
    row = _outbox_row(message, subject, headers)
    await session.execute(table.insert().values(**row))
    # NOTIFY is transactional: the relay is woken at commit, never before.
    await session.execute(sa.select(sa.func.pg_notify(NOTIFY_CHANNEL, table.schema or "")))
    event_id: uuid.UUID = row["id"]
    return event_id


async def emit_many(
    session: AsyncSession,
    table: sa.Table,
    messages: Sequence[Message],
    *,
    subject: str | None = None,
    chunk_size: int = 2000,
) -> list[uuid.UUID]:
    """`emit` for thousands of events (recomputes): the same rows, in order, with few round trips."""
    trace_headers = dict(inject_headers({}))  # one trace context for the whole call
    rows = [_outbox_row(message, subject, None, trace_headers) for message in messages]
    for start in range(0, len(rows), chunk_size):
        await session.execute(table.insert(), rows[start : start + chunk_size])
    if rows:
        await session.execute(sa.select(sa.func.pg_notify(NOTIFY_CHANNEL, table.schema or "")))
    return [row["id"] for row in rows]


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: uuid.UUID
    subject: str
    payload: bytes
    headers: dict[str, str]


class OutboxRelay:
    """Publishes committed outbox rows to JetStream in commit order, at least once."""

    def __init__(
        self,
        engine: AsyncEngine,
        table: sa.Table,
        bus: Bus,
        *,
        database_url: str,
        batch_size: int = 256,
        poll_interval: float = 0.5,
        retention_seconds: float = 7 * 24 * 3600,
    ) -> None:
        self._engine = engine
        self._table = table
        self._bus = bus
        self._dsn = asyncpg_dsn(database_url)
        self._batch_size = batch_size
        self._max_batch = batch_size * 4
        self._poll_interval = poll_interval
        self._retention = retention_seconds
        self._wake = asyncio.Event()
        self._oldest_pending_age = 0.0
        self._last_cleanup = 0.0
        schema = table.schema or "public"
        m = meter("lingxi.outbox")
        self._published = m.create_counter("lingxi_outbox_published", description="outbox rows published")
        self._failures = m.create_counter("lingxi_outbox_publish_failures", description="failed publishes")
        self._attrs = {"schema": schema}
        m.create_observable_gauge(
            "lingxi_outbox_oldest_pending_seconds",
            callbacks=[self._observe_lag],
            description="age of the oldest unpublished outbox row",
        )

    def _observe_lag(self, _options: Any) -> list[Any]:
        from opentelemetry.metrics import Observation

        return [Observation(self._oldest_pending_age, self._attrs)]

    async def run(self) -> None:
        """Relay until cancelled: woken by NOTIFY at commit, and by a poll as a safety net.

        Pipelined: while JetStream's acks for one batch come back (and its rows are marked), the
        next batch is already claimed and written — so a busy service's events wait neither for
        the previous batch's acks nor for its UPDATE. At most two batches are between claim and
        mark, and a batch is written only after the one before it, so the stream keeps outbox
        order. Under a backlog the batch grows (up to four times ``batch_size``), which cuts the
        statements per event; it shrinks back once the backlog is gone.
        """
        listener = asyncio.create_task(self._listen(), name="outbox-listen")
        acking: asyncio.Task[int] | None = None  # a written batch whose acks are still coming
        batch: asyncio.Task[int] | None = None
        limit = self._batch_size
        try:
            while True:
                claimed: list[int] = []
                written = asyncio.Event()

                def on_written(
                    count: int, claimed: list[int] = claimed, written: asyncio.Event = written
                ) -> None:
                    claimed.append(count)
                    written.set()

                batch = asyncio.create_task(self._relay_batch(limit, on_written), name="outbox-batch")
                await self._until_written(batch, written)
                if acking is not None:
                    await self._settled(acking)
                    acking = None
                full = bool(claimed) and claimed[0] >= limit  # more are waiting
                if full:
                    limit = min(limit * 2, self._max_batch)
                    if not batch.done():
                        acking = batch  # claim the next batch while this one is acked
                        continue
                if await self._settled(batch) and full:
                    continue
                limit = self._batch_size
                await self._maybe_cleanup()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)
                self._wake.clear()
        finally:
            for task in (acking, batch, listener):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(BaseException):
                        await task

    @staticmethod
    async def _until_written(batch: asyncio.Task[int], written: asyncio.Event) -> None:
        """Until the batch's rows are written to NATS (or the batch ended without any)."""
        waiter = asyncio.create_task(written.wait())
        try:
            await asyncio.wait({batch, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()

    async def _settled(self, batch: asyncio.Task[int]) -> int:
        """The rows a batch relayed; a failed pass is logged and followed by a pause."""
        try:
            return await batch
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("outbox relay pass failed")
            await asyncio.sleep(self._poll_interval)
            return 0

    async def relay_once(self) -> int:
        """Publish one batch of pending rows and mark those JetStream acknowledged."""
        return await self._relay_batch(self._batch_size)

    async def _relay_batch(self, limit: int, on_written: Callable[[int], None] | None = None) -> int:
        """Claim up to ``limit`` pending rows (FOR UPDATE SKIP LOCKED: a batch still being acked
        keeps its rows), publish them, call ``on_written`` once they are written, then mark the
        acknowledged ones published and count the failures."""
        if not self._bus.connected:
            return 0
        t = self._table
        name = f"{t.schema}.{t.name}" if t.schema else t.name
        async with self._engine.begin() as connection:
            # Plain SQL with array parameters: a busy service relays thousands of rows a second,
            # and typed result processing and an IN list of one bind per id cost more than the SQL.
            result = await connection.execute(
                sa.text(
                    f"SELECT id, subject, payload, headers, created_at FROM {name} "  # noqa: S608
                    "WHERE published_at IS NULL ORDER BY seq LIMIT :limit FOR UPDATE SKIP LOCKED"
                ),
                {"limit": limit},
            )
            records = result.all()
            if not records:
                self._oldest_pending_age = 0.0
                return 0
            self._oldest_pending_age = max(0.0, time.time() - records[0].created_at.timestamp())
            rows = [OutboxRow(r.id, r.subject, r.payload, dict(r.headers)) for r in records]
            sent = await self._send_rows(rows)
            if on_written is not None:
                on_written(len(rows))
            outcomes = await self._acks_of(sent)
            published = [row.id for row, error in zip(rows, outcomes, strict=True) if error is None]
            failed = [(row.id, error) for row, error in zip(rows, outcomes, strict=True) if error is not None]
            if published:
                await connection.execute(
                    sa.text(
                        f"UPDATE {name} SET published_at = now() "  # noqa: S608
                        "WHERE id = ANY(CAST(:ids AS uuid[]))"
                    ),
                    {"ids": published},
                )
            for row_id, error in failed:
                await connection.execute(
                    t.update()
                    .where(t.c.id == row_id)
                    .values(attempts=t.c.attempts + 1, last_error=str(error)[:500])
                )
        self._published.add(len(published), self._attrs)
        if failed:
            self._failures.add(len(failed), self._attrs)
            log.warning("outbox publish failed", extra={"failed": len(failed), "error": str(failed[0][1])})
        return len(published)

    async def publish_rows(self, rows: Sequence[OutboxRow]) -> list[BaseException | None]:
        """Publish rows pipelined: every row is written at once and JetStream's acks are awaited
        together (a request, a task and a timer per row cost more than the publish itself when a
        service emits thousands of events a second). The id header lets JetStream drop a
        re-publish; a row without an ack within 5 s counts as failed and is retried later."""
        return await self._acks_of(await self._send_rows(rows))

    async def _send_rows(self, rows: Sequence[OutboxRow]) -> list[asyncio.Future[Any] | BaseException]:
        """Write every row to NATS (in order) without waiting for acks: the ack futures."""
        js = self._bus.js
        sent: list[asyncio.Future[Any] | BaseException] = []
        for row in rows:
            headers = {**row.headers, HEADER_MSG_ID: str(row.id)}
            try:
                sent.append(await js.publish_async(row.subject, row.payload, headers=headers))
            except Exception as error:
                sent.append(error)
        return sent

    @staticmethod
    async def _acks_of(sent: Sequence[asyncio.Future[Any] | BaseException]) -> list[BaseException | None]:
        """Per row: None once JetStream acked it, else why not (no ack within 5 s counts as failed)."""
        acks = [item for item in sent if isinstance(item, asyncio.Future)]
        if acks:
            _, late = await asyncio.wait(acks, timeout=5.0)
            for future in late:
                future.cancel()
        return [
            item
            if isinstance(item, BaseException)
            else (TimeoutError("no JetStream ack within 5 s") if item.cancelled() else item.exception())
            for item in sent
        ]

    async def _maybe_cleanup(self) -> None:
        now = time.monotonic()
        if now - self._last_cleanup < 600:
            return
        self._last_cleanup = now
        t = self._table
        async with self._engine.begin() as connection:
            await connection.execute(
                t.delete().where(
                    t.c.published_at.is_not(None),
                    t.c.published_at < sa.func.now() - sa.text(f"interval '{int(self._retention)} seconds'"),
                )
            )

    async def _listen(self) -> None:
        """Hold a LISTEN connection; reconnect when PostgreSQL goes away."""
        while True:
            try:
                await self._listen_until_lost()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.debug("outbox listener reconnecting: %s", error)
            await asyncio.sleep(1.0)

    async def _listen_until_lost(self) -> None:
        connection = await asyncpg.connect(self._dsn, timeout=5)
        try:
            lost = asyncio.Event()
            connection.add_termination_listener(lambda _connection: lost.set())
            await connection.add_listener(NOTIFY_CHANNEL, lambda *_: self._wake.set())
            await lost.wait()
        finally:
            if not connection.is_closed():
                with contextlib.suppress(Exception):
                    await connection.close(timeout=1)
