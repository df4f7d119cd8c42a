"""Measuring the event path: outbox → relay → JetStream → durable consumer → handler.

Everything here drives the shared library's own code (`emit`, `OutboxRelay`, `ConsumerWorker`,
`provision`) against a real PostgreSQL and JetStream, on the tag service's real outbox table
(created by its Alembic migrations) and a stream configured like the declared TAG_EVENTS. Only
the stream's name and subjects are private, so a run against a shared NATS_URL never touches
real traffic and can be deleted afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import json
import math
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from lingxi.common.v1 import event_meta_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi_common.bus import HEADER_EVENT_ID, HEADER_MSG_ID, Bus
from lingxi_common.consumer import ConsumerWorker, Delivery
from lingxi_common.db import create_engine, session_factory, transaction
from lingxi_common.idempotency import claim_message
from lingxi_common.migrations import migrate_service
from lingxi_common.outbox import OutboxRelay, emit, emit_many
from lingxi_common.settings import ServiceSettings
from lingxi_common.streams import ConsumerDecl, Declarations, StreamDecl, load_declarations, provision
from lingxi_tag.models import outbox, processed_messages
from tests.bench._core import REPO_ROOT
from tests.bench._stats import Distribution

# The relay's production poll interval (services take it from LINGXI_OUTBOX_POLL_INTERVAL).
RELAY_POLL_INTERVAL = float(ServiceSettings.model_fields["outbox_poll_interval"].default)
# The declared stream whose configuration the benchmark stream copies: where CustomerChanged goes.
TEMPLATE_STREAM = "TAG_EVENTS"
# How long the stream may stop growing before the wait gives up and the check reports the gap.
STALL_SECONDS = 30.0


def customer_changed(index: int) -> tag_events_pb2.CustomerChanged:
    """A realistic CustomerChanged event (what the tag service emits on every upsert)."""
    meta = event_meta_pb2.EventMeta(
        event_id=str(uuid.uuid4()), producer="tag", correlation_id=f"bench-{index}"
    )
    meta.occurred_at.GetCurrentTime()
    return tag_events_pb2.CustomerChanged(
        meta=meta,
        customer_id=f"C{index:08d}",
        branch_id="B01",
        advisor_id="A01",
        kind=tag_events_pb2.CHANGE_KIND_CREATED,
        changed_fields=["advisor_id", "branch_id", "city", "phone", "risk_level"],
    )


@dataclass(frozen=True)
class StoredEvent:
    """One message as JetStream stored it: our ids, its stream sequence and its store time."""

    event_id: str
    msg_id: str
    stream_sequence: int
    stored_at: float  # Unix seconds, from the server's own timestamp


@dataclass(frozen=True)
class StreamCheck:
    """Did the stream end up with exactly the events that were committed, each once?"""

    expected: int
    stream_messages: int
    read_back: int
    distinct_event_ids: int
    missing: int
    unexpected: int

    @property
    def duplicates(self) -> int:
        return self.read_back - self.distinct_event_ids

    @property
    def ok(self) -> bool:
        return (
            self.stream_messages == self.expected
            and self.read_back == self.expected
            and self.distinct_event_ids == self.expected
            and self.missing == 0
            and self.unexpected == 0
        )

    def text(self) -> str:
        mark = "✓" if self.ok else "✗"
        return (
            f"{mark} stream holds {self.stream_messages:,} messages for {self.expected:,} committed events; "
            f"{self.distinct_event_ids:,} distinct event ids, {self.duplicates:,} duplicates, "
            f"{self.missing:,} missing, {self.unexpected:,} unexpected"
        )


@dataclass(frozen=True)
class OutboxRun:
    """One relay throughput run: N events committed while (or before) the relay ran."""

    label: str
    events: int
    transaction_size: int
    transactions: int
    emitters: int
    # From the first emit (or, for a drain, the relay's start) to the last message stored.
    total_seconds: float
    # From the first emit until every transaction had committed (nan for a drain).
    emit_seconds: float
    transaction_time: Distribution | None
    commit_to_stored: Distribution | None
    check: StreamCheck
    # Adjacent pairs stored out of outbox order (only meaningful when all rows pre-existed).
    order_inversions: int | None = None

    @property
    def events_per_second(self) -> float:
        return self.events / self.total_seconds if self.total_seconds > 0 else math.nan

    @property
    def emitted_per_second(self) -> float:
        return self.events / self.emit_seconds if self.emit_seconds > 0 else math.nan


@dataclass(frozen=True)
class LatencyRun:
    """Commit → handler start at a steady offered rate."""

    label: str
    offered_rate: float
    seconds: float
    sent: int
    achieved_rate: float
    handled: int
    latency: Distribution


class MessagingLab:
    """A private database (tag schema, migrated) and a private stream, with helpers to run on them."""

    def __init__(self, database_url: str, nats_servers: list[str]) -> None:
        self.database_url = database_url
        self.engine: AsyncEngine = create_engine(database_url, application_name="lingxi-bench")
        self.sessions: async_sessionmaker[AsyncSession] = session_factory(self.engine)
        self.bus_servers = nats_servers
        self.bus = Bus(nats_servers, name="lingxi-bench")
        suffix = uuid.uuid4().hex[:8]
        declarations = load_declarations()
        template = next(s for s in declarations.streams if s.name == TEMPLATE_STREAM)
        self.stream: StreamDecl = dataclasses.replace(
            template,
            name=f"BENCH_{suffix.upper()}",
            subjects=[f"bench.{suffix}.>"],
            description=f"benchmark copy of {TEMPLATE_STREAM}",
        )
        self.subject = f"bench.{suffix}.customer.changed"
        # Same redelivery and ack tuning as the consumers declared in infra/nats/streams.yaml.
        base = declarations.consumers[0] if declarations.consumers else None
        consumer = ConsumerDecl(
            durable=f"bench_latency_{suffix}",
            service="bench",
            stream=self.stream.name,
            filter_subjects=[self.subject],
        )
        if base is not None:
            consumer = dataclasses.replace(
                base,
                durable=consumer.durable,
                service=consumer.service,
                stream=consumer.stream,
                filter_subjects=consumer.filter_subjects,
                description="benchmark consumer",
            )
        self.consumer: ConsumerDecl = consumer
        self._reader = f"bench_reader_{suffix}"

    async def open(self) -> None:
        await migrate_service("tag", self.database_url)
        await self.bus.connect()
        await provision(self.bus.js, Declarations(streams=[self.stream], consumers=[]))

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.bus.js.delete_stream(self.stream.name)
        await self.bus.close()
        await self.engine.dispose()

    # -- state between runs ----------------------------------------------------------------

    async def reset(self) -> None:
        """Empty the outbox, the processed-message claims and the stream (and drop the consumer)."""
        async with self.engine.begin() as connection:
            await connection.execute(sa.text(f"TRUNCATE {outbox.fullname}, {processed_messages.fullname}"))
        await self.bus.js.purge_stream(self.stream.name)
        with contextlib.suppress(NotFoundError):
            await self.bus.js.delete_consumer(self.stream.name, self.consumer.durable)

    @contextlib.asynccontextmanager
    async def relay_running(self) -> AsyncIterator[OutboxRelay]:
        """The shared OutboxRelay with its production settings, as a background task."""
        relay = OutboxRelay(
            self.engine,
            outbox,
            self.bus,
            database_url=self.database_url,
            poll_interval=RELAY_POLL_INTERVAL,
        )
        task = asyncio.create_task(relay.run(), name="bench-outbox-relay")
        # Give its LISTEN connection a moment, so the first commits wake it rather than the poll.
        await asyncio.sleep(0.3)
        try:
            yield relay
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- producing -------------------------------------------------------------------------

    async def emit_transaction(
        self, first_index: int, size: int, *, batched: bool = False
    ) -> tuple[list[str], float]:
        """Commit one transaction of `size` events; return their ids and the commit's wall time.

        `batched` writes them with `emit_many` (multi-row INSERT, one NOTIFY) instead of one
        `emit` (INSERT and NOTIFY) per event; the rows are the same.
        """
        async with self.sessions() as session, session.begin():
            if batched:
                events = [customer_changed(first_index + offset) for offset in range(size)]
                ids = [
                    str(event_id)
                    for event_id in await emit_many(session, outbox, events, subject=self.subject)
                ]
            else:
                ids = []
                for offset in range(size):
                    event = customer_changed(first_index + offset)
                    ids.append(str(await emit(session, outbox, event, subject=self.subject)))
        return ids, time.time()

    async def commit_events(
        self, events: int, transaction_size: int, emitters: int, *, batched: bool = False
    ) -> tuple[dict[str, float], list[float], float]:
        """Commit `events` in transactions of `transaction_size` from `emitters` concurrent tasks.

        Returns each event's commit time (wall clock, comparable with JetStream's timestamps),
        each transaction's duration, and the wall time it all took.
        """
        committed: dict[str, float] = {}
        durations: list[float] = []
        transactions = events // transaction_size
        next_transaction = 0

        async def emitter() -> None:
            nonlocal next_transaction
            while next_transaction < transactions:
                number = next_transaction
                next_transaction += 1
                began = time.perf_counter()
                ids, committed_at = await self.emit_transaction(
                    number * transaction_size, transaction_size, batched=batched
                )
                durations.append(time.perf_counter() - began)
                for event_id in ids:
                    committed[event_id] = committed_at

        began = time.perf_counter()
        await asyncio.gather(*(emitter() for _ in range(emitters)))
        return committed, durations, time.perf_counter() - began

    # -- observing the stream --------------------------------------------------------------

    async def stream_count(self) -> int:
        info = await self.bus.js.stream_info(self.stream.name)
        return int(info.state.messages)

    async def wait_for_stream(self, expected: int) -> None:
        """Until the stream holds `expected` messages, or stops growing for STALL_SECONDS."""
        last, last_change = -1, time.monotonic()
        while True:
            count = await self.stream_count()
            if count >= expected:
                return
            if count != last:
                last, last_change = count, time.monotonic()
            elif time.monotonic() - last_change > STALL_SECONDS:
                return
            await asyncio.sleep(0.05)

    async def read_stream(self, expected: int) -> list[StoredEvent]:
        """Every message in the stream, in stream order, through a throw-away no-ack consumer."""
        js = self.bus.js
        await js.add_consumer(
            self.stream.name,
            ConsumerConfig(
                durable_name=self._reader,
                ack_policy=AckPolicy.NONE,
                deliver_policy=DeliverPolicy.ALL,
                filter_subject=self.subject,
            ),
        )
        stored: list[StoredEvent] = []
        try:
            subscription = await js.pull_subscribe_bind(durable=self._reader, stream=self.stream.name)
            pending = 1
            while pending or len(stored) < expected:
                try:
                    messages = await subscription.fetch(1000, timeout=2.0)
                except (TimeoutError, NatsTimeoutError):
                    break  # nothing more arrived: whatever is missing shows in the check
                if not messages:
                    break
                pending = messages[-1].metadata.num_pending
                for message in messages:
                    headers = message.headers or {}
                    metadata = message.metadata
                    stored.append(
                        StoredEvent(
                            event_id=headers.get(HEADER_EVENT_ID, ""),
                            msg_id=headers.get(HEADER_MSG_ID, ""),
                            stream_sequence=metadata.sequence.stream,
                            stored_at=metadata.timestamp.timestamp(),
                        )
                    )
            await subscription.unsubscribe()
        finally:
            with contextlib.suppress(Exception):
                await js.delete_consumer(self.stream.name, self._reader)
        return sorted(stored, key=lambda event: event.stream_sequence)

    async def check_stream(self, committed: dict[str, float]) -> tuple[StreamCheck, list[StoredEvent]]:
        """Compare the stream with what was committed: exactly once, nothing missing or extra."""
        stored = await self.read_stream(len(committed))
        seen = {event.event_id for event in stored}
        check = StreamCheck(
            expected=len(committed),
            stream_messages=await self.stream_count(),
            read_back=len(stored),
            distinct_event_ids=len(seen),
            missing=len(committed.keys() - seen),
            unexpected=len(seen - committed.keys()),
        )
        return check, stored

    async def outbox_sequence(self) -> dict[str, int]:
        async with self.engine.connect() as connection:
            rows = (await connection.execute(sa.select(outbox.c.id, outbox.c.seq))).all()
        return {str(row.id): int(row.seq) for row in rows}

    # -- the measurements ------------------------------------------------------------------

    async def relay_throughput(
        self, events: int, transaction_size: int, emitters: int, *, batched: bool = False
    ) -> OutboxRun:
        """Commit `events` while the relay runs; time until JetStream holds them all."""
        await self.reset()
        async with self.relay_running():
            started = time.time()
            committed, durations, emit_seconds = await self.commit_events(
                events, transaction_size, emitters, batched=batched
            )
            await self.wait_for_stream(len(committed))
            await asyncio.sleep(1.0)  # let a late duplicate, if the relay made one, show up
        check, stored = await self.check_stream(committed)
        lags = [
            event.stored_at - committed[event.event_id] for event in stored if event.event_id in committed
        ]
        last_stored = max((event.stored_at for event in stored), default=math.nan)
        return OutboxRun(
            label=f"transactions of {transaction_size}" + (" (`emit_many`)" if batched else ""),
            events=len(committed),
            transaction_size=transaction_size,
            transactions=len(durations),
            emitters=emitters,
            total_seconds=last_stored - started,
            emit_seconds=emit_seconds,
            transaction_time=Distribution.of(durations),
            commit_to_stored=Distribution.of(lags),
            check=check,
        )

    async def relay_drain(self, events: int, transaction_size: int, emitters: int) -> OutboxRun:
        """Commit `events` with no relay running, then time the relay emptying the backlog.

        This is the relay's own capacity (no emitters competing for the CPU): what recovery
        from a NATS outage looks like.
        """
        await self.reset()
        # The backlog is written with emit_many: the same rows as emit, in a fraction of the time.
        committed, _durations, _seconds = await self.commit_events(
            events, transaction_size, emitters, batched=True
        )
        relay_started = time.time()
        async with self.relay_running():
            await self.wait_for_stream(len(committed))
            await asyncio.sleep(1.0)
        check, stored = await self.check_stream(committed)
        sequence = await self.outbox_sequence()
        order = [sequence[event.event_id] for event in stored if event.event_id in sequence]
        inversions = sum(1 for before, after in itertools.pairwise(order) if after < before)
        last_stored = max((event.stored_at for event in stored), default=math.nan)
        return OutboxRun(
            label="backlog drain (relay started after commit)",
            events=len(committed),
            transaction_size=transaction_size,
            transactions=events // transaction_size,
            emitters=emitters,
            total_seconds=last_stored - relay_started,
            emit_seconds=math.nan,
            transaction_time=None,
            commit_to_stored=None,
            check=check,
            order_inversions=inversions,
        )

    async def commit_to_handler(
        self, label: str, rate: float, seconds: float, *, handler_writes: bool
    ) -> LatencyRun:
        """Events committed one per transaction at `rate`/s; time from commit to handler start.

        The producer (emitter plus its own OutboxRelay) runs in a child process, the consumer
        here, as two services would. Its transactions start on a fixed schedule (open loop), so
        a slow consumer shows up as latency instead of quietly lowering the rate. With
        `handler_writes`, the handler claims the message id in PostgreSQL in a transaction of its
        own, as every real (idempotent) handler does, so its cost delays the messages behind it.
        Both sides stamp with the wall clock, which is one clock on one machine.
        """
        await self.reset()
        await provision(self.bus.js, Declarations(streams=[self.stream], consumers=[self.consumer]))
        started: dict[str, float] = {}
        progress = asyncio.Event()

        async def handler(_event: tag_events_pb2.CustomerChanged, delivery: Delivery) -> None:
            started.setdefault(delivery.message_id, time.time())
            progress.set()
            if handler_writes:
                async with transaction(self.sessions) as session:
                    await claim_message(
                        session, processed_messages, self.consumer.durable, delivery.message_id
                    )

        # The consumer has a connection of its own, as it would in the consuming service. It is
        # closed without draining: a cancelled ConsumerWorker leaves its pull subscription
        # subscribed, and draining such a connection waits out the whole drain timeout.
        consumer_bus = Bus(self.bus_servers, name="lingxi-bench-consumer")
        await consumer_bus.connect()
        worker = ConsumerWorker(consumer_bus, self.consumer, tag_events_pb2.CustomerChanged, handler)
        worker_task = asyncio.create_task(worker.run(), name="bench-consumer")
        producer = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.bench._producer",
            f"--database-url={self.database_url}",
            f"--nats-url={','.join(self.bus_servers)}",
            f"--subject={self.subject}",
            f"--rate={rate}",
            f"--warmup={max(1, int(rate * 0.5))}",
            f"--count={max(1, int(rate * seconds))}",
            cwd=REPO_ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=64 * 2**20,
        )
        try:
            assert producer.stdout is not None and producer.stdin is not None
            line = await asyncio.wait_for(producer.stdout.readline(), timeout=seconds + 120)
            if not line:
                raise RuntimeError(f"the producer process exited with {await producer.wait()}")
            produced = json.loads(line)
            sent: dict[str, float] = produced["sent"]
            await _until(lambda: sent.keys() <= started.keys(), progress, timeout=30)
            producer.stdin.close()
            await asyncio.wait_for(producer.wait(), timeout=30)
        finally:
            if producer.returncode is None:
                producer.kill()
                await producer.wait()
            worker_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker_task
            await consumer_bus.nc.close()
        latencies = [started[key] - committed for key, committed in sent.items() if key in started]
        commit_times = sorted(sent.values())
        span = commit_times[-1] - commit_times[0] if len(commit_times) > 1 else math.nan
        return LatencyRun(
            label=label,
            offered_rate=rate,
            seconds=seconds,
            sent=len(sent),
            achieved_rate=(len(sent) - 1) / span if span > 0 else math.nan,
            handled=len(latencies),
            latency=Distribution.of(latencies),
        )


async def paced(
    rate: float, count: int, commit: Callable[[int], Awaitable[tuple[str, float]]]
) -> dict[str, float]:
    """Start `commit(i)` every 1/rate seconds (open loop); return event id → commit time."""
    results: dict[str, float] = {}
    tasks: list[asyncio.Task[Any]] = []

    async def one(index: int) -> None:
        event_id, committed_at = await commit(index)
        results[event_id] = committed_at

    began = time.perf_counter()
    for index in range(count):
        delay = began + index / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(index)))
    await asyncio.gather(*tasks)
    return results


async def _until(condition: Callable[[], bool], progress: asyncio.Event, *, timeout: float) -> None:
    """Until `condition()` holds (re-checked whenever `progress` is set), or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        progress.clear()  # before the check: a set() after it is not lost
        remaining = deadline - time.monotonic()
        if condition() or remaining <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(progress.wait(), remaining)
