"""Durable pull consumers with explicit acks, bounded redelivery and a dead-letter subject.

A handler that raises is redelivered after the declared back-off; on its last allowed delivery
the message is copied to `lingxi.dlq.<consumer>` with the reason, and terminated, so one poison
message never blocks the stream. A message that cannot even be decoded goes there at once.
The trace context in the headers becomes the parent of the processing span, so one trace runs
from the producer's request through every consumer.

Two handler shapes exist. ``ConsumerWorker`` runs one handler per message (one transaction per
message); that is what almost every consumer wants. ``BatchConsumerWorker`` is an opt-in for hot
streams where a commit per message is the bottleneck (the tag service's behaviour batches): its
handler receives every message of a fetch at once, applies them in one transaction and says per
message whether to ack, retry or dead-letter it. Redelivery, back-off and dead letters keep the
same rules as for single messages.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import enum
import logging
import time
import zlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from google.protobuf.message import DecodeError, Message
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from lingxi_common.bus import HEADER_EVENT_ID, HEADER_MSG_ID, HEADER_TYPE, Bus
from lingxi_common.streams import ConsumerDecl
from lingxi_common.telemetry import extract_context, meter, tracer

log = logging.getLogger(__name__)

HEADER_DLQ_SUBJECT = "Lingxi-Dlq-Subject"
HEADER_DLQ_CONSUMER = "Lingxi-Dlq-Consumer"
HEADER_DLQ_ERROR = "Lingxi-Dlq-Error"
HEADER_DLQ_DELIVERIES = "Lingxi-Dlq-Deliveries"
HEADER_DLQ_STREAM_SEQ = "Lingxi-Dlq-Stream-Seq"

MessageT = TypeVar("MessageT", bound=Message)


class PoisonMessage(Exception):
    """The message can never be processed (wrong type, invalid content): dead-letter it now."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a handler may need besides the payload."""

    subject: str
    message_id: str
    delivery_count: int
    stream_sequence: int
    headers: dict[str, str]


Handler = Callable[[MessageT, Delivery], Awaitable[None]]


def delivery_of(msg: Msg) -> Delivery:
    """The delivery facts of a JetStream message (message id: event id, else Nats-Msg-Id, else seq)."""
    headers = dict(msg.headers or {})
    metadata = msg.metadata
    return Delivery(
        subject=msg.subject,
        message_id=headers.get(HEADER_EVENT_ID)
        or headers.get(HEADER_MSG_ID)
        or f"{metadata.stream}:{metadata.sequence.stream}",
        delivery_count=metadata.num_delivered,
        stream_sequence=metadata.sequence.stream,
        headers=headers,
    )


_tracer = tracer("lingxi.consumer")
_meter = meter("lingxi.consumer")
_processed = _meter.create_counter("lingxi_consumer_messages", description="messages handled, by outcome")
_latency = _meter.create_histogram("lingxi_consumer_handler_seconds", unit="s", description="handler time")


class ConsumerWorker(Generic[MessageT]):
    """Fetches from one durable consumer and runs one handler per message."""

    def __init__(
        self,
        bus: Bus,
        declaration: ConsumerDecl,
        message_type: type[MessageT],
        handler: Handler[MessageT],
        *,
        batch_size: int = 64,
        fetch_timeout: float = 1.0,
    ) -> None:
        self._bus = bus
        self._decl = declaration
        self._type = message_type
        self._handler = handler
        self._batch_size = batch_size
        self._fetch_timeout = fetch_timeout
        self._pending = 0
        self._attrs = {"consumer": declaration.durable}
        _meter.create_observable_gauge(
            "lingxi_consumer_pending",
            callbacks=[self._observe_pending],
            description="messages waiting in the consumer (JetStream num_pending + ack pending)",
        )

    def _observe_pending(self, _options: Any) -> list[Any]:
        from opentelemetry.metrics import Observation

        return [Observation(self._pending, self._attrs)]

    @property
    def name(self) -> str:
        return self._decl.durable

    async def run(self) -> None:
        """Fetch and handle until cancelled, surviving NATS outages."""
        backoff = 0.5
        while True:
            try:
                subscription = await self._bus.js.pull_subscribe_bind(
                    durable=self._decl.durable, stream=self._decl.stream
                )
                backoff = 0.5
                try:
                    await self._fetch_loop(subscription)
                finally:
                    # An idle pull subscription left subscribed holds NATS' drain at shutdown.
                    with contextlib.suppress(Exception):
                        await subscription.unsubscribe()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("consumer %s interrupted: %s", self._decl.durable, error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)

    async def _fetch_loop(self, subscription: Any) -> None:
        last_info = 0.0
        while True:
            try:
                messages = await subscription.fetch(self._batch_size, timeout=self._fetch_timeout)
            except (TimeoutError, NatsTimeoutError):
                messages = []
            for message in messages:
                await self.handle(message)
            if time.monotonic() - last_info > 5:
                last_info = time.monotonic()
                info = await subscription.consumer_info()
                self._pending = int(info.num_pending or 0) + int(info.num_ack_pending or 0)

    async def handle(self, msg: Msg) -> None:
        delivery = delivery_of(msg)
        headers = delivery.headers
        started = time.perf_counter()
        with _tracer.start_as_current_span(
            f"{msg.subject} process",
            context=extract_context(headers),
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "nats",
                "messaging.destination.name": msg.subject,
                "messaging.consumer.group.name": self._decl.durable,
                "messaging.message.id": delivery.message_id,
                "lingxi.delivery_count": delivery.delivery_count,
            },
        ) as span:
            try:
                payload = self._decode(msg, headers)
                await self._handler(payload, delivery)
            except PoisonMessage as error:
                span.set_status(Status(StatusCode.ERROR, str(error)))
                await self._dead_letter(msg, delivery, f"poison: {error}")
                outcome = "dead_lettered"
            except Exception as error:
                span.record_exception(error)
                span.set_status(Status(StatusCode.ERROR, str(error)))
                if delivery.delivery_count >= self._decl.max_deliver:
                    await self._dead_letter(msg, delivery, f"{type(error).__name__}: {error}")
                    outcome = "dead_lettered"
                else:
                    delay = self._decl.delay_before(delivery.delivery_count)
                    log.warning(
                        "handler failed, redelivering",
                        extra={
                            "consumer": self._decl.durable,
                            "delivery": delivery.delivery_count,
                            "delay": delay,
                        },
                        exc_info=True,
                    )
                    await msg.nak(delay=delay)
                    outcome = "retried"
            else:
                await msg.ack()
                outcome = "ok"
        _processed.add(1, {**self._attrs, "outcome": outcome})
        _latency.record(time.perf_counter() - started, self._attrs)

    def _decode(self, msg: Msg, headers: dict[str, str]) -> MessageT:
        expected = self._type.DESCRIPTOR.full_name
        actual = headers.get(HEADER_TYPE)
        if actual and actual != expected:
            raise PoisonMessage(f"expected {expected}, got {actual}")
        try:
            return self._type.FromString(msg.data)
        except DecodeError as error:
            raise PoisonMessage(f"undecodable {expected}: {error}") from error

    async def _dead_letter(self, msg: Msg, delivery: Delivery, reason: str) -> None:
        """Copy the message to the dead-letter subject with why, then stop its redelivery."""
        headers = {
            **delivery.headers,
            HEADER_DLQ_SUBJECT: msg.subject,
            HEADER_DLQ_CONSUMER: self._decl.durable,
            HEADER_DLQ_ERROR: reason[:1000],
            HEADER_DLQ_DELIVERIES: str(delivery.delivery_count),
            HEADER_DLQ_STREAM_SEQ: str(delivery.stream_sequence),
            HEADER_MSG_ID: f"dlq:{self._decl.durable}:{delivery.stream_sequence}",
        }
        await self._bus.js.publish(self._decl.dead_letter_subject, msg.data, headers=headers, timeout=5.0)
        await msg.term()
        log.error(
            "message dead-lettered",
            extra={"consumer": self._decl.durable, "subject": msg.subject, "reason": reason},
        )


class Settle(enum.Enum):
    """How a message of a batch is settled once its batch handler has run."""

    ACK = "ack"
    RETRY = "retry"
    DEAD_LETTER = "dead_letter"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The batch handler's verdict on one message (``reason`` for retries and dead letters)."""

    settle: Settle
    reason: str = ""

    @classmethod
    def done(cls) -> Outcome:
        return _DONE

    @classmethod
    def retry(cls, reason: str) -> Outcome:
        return cls(Settle.RETRY, reason)

    @classmethod
    def poison(cls, reason: str) -> Outcome:
        return cls(Settle.DEAD_LETTER, reason)


_DONE = Outcome(Settle.ACK)


@dataclass(frozen=True, slots=True)
class Received(Generic[MessageT]):
    """One decoded message of a fetched batch, as a batch handler sees it."""

    message: MessageT
    delivery: Delivery


BatchHandler = Callable[[Sequence[Received[MessageT]]], Awaitable[Sequence[Outcome]]]

# A span links to at most this many producer traces (one per message of the batch).
MAX_SPAN_LINKS = 128


async def _per_message_handler_unused(message: Any, delivery: Delivery) -> None:
    raise TypeError("a BatchConsumerWorker handles whole batches; use handle_batch")


class BatchConsumerWorker(ConsumerWorker[MessageT]):
    """Fetches from one durable consumer and hands every fetched message to one batch handler.

    Why it exists: a handler that commits once per message is bounded by the commit rate of
    PostgreSQL (a few hundred per second with durable commits), far below what an ingestion
    stream carries. Here the handler gets up to ``batch_size`` messages — as many as JetStream
    has ready, so a quiet stream still gets single messages at once — applies them in one
    transaction and returns one ``Outcome`` per message, in order. Acks are sent only after the
    handler returned, i.e. after its commit: a crash in between redelivers the batch, and the
    handler's per-message idempotency (claims in the same transaction) makes that harmless.

    Failure isolation: a handler that raises does not fail the whole batch. The batch is split in
    halves and each half handed over again, down to single messages, so one poison message costs
    a few extra transactions and never holds back its neighbours. A single message whose handler
    raises ``PoisonMessage`` is dead-lettered at once; any other error is redelivered after the
    declared back-off and dead-lettered on its last allowed delivery — the same rules as
    ``ConsumerWorker``. Undecodable messages never reach the handler.

    The next fetch runs while a batch is being handled, so the round trip to NATS overlaps the
    database work. With ``lanes`` > 1, messages are routed by ``partition_key`` (e.g. the
    customer or device a message is about) to that many lanes, each handing its own queue to
    the handler in arrival order while the other lanes do the same: messages with one key stay
    in order, and one lane's database waits overlap another lane's work. Handlers must then be
    safe for concurrent calls on different keys (the tag service locks the customers it
    touches, so even a message about several customers is applied correctly).
    """

    def __init__(
        self,
        bus: Bus,
        declaration: ConsumerDecl,
        message_type: type[MessageT],
        handler: BatchHandler[MessageT],
        *,
        batch_size: int = 256,
        fetch_timeout: float = 1.0,
        lanes: int = 1,
        partition_key: Callable[[MessageT], str] | None = None,
    ) -> None:
        super().__init__(
            bus,
            declaration,
            message_type,
            _per_message_handler_unused,
            batch_size=batch_size,
            fetch_timeout=fetch_timeout,
        )
        self._batch_handler = handler
        self._lanes = max(1, lanes)
        self._partition_key = partition_key
        self._inflight = 0
        self._room = asyncio.Event()

    async def _fetch(self, subscription: Any, count: int | None = None) -> list[Msg]:
        try:
            return list(await subscription.fetch(count or self._batch_size, timeout=self._fetch_timeout))
        except (TimeoutError, NatsTimeoutError):
            return []

    async def _observe(self, subscription: Any, last_info: float) -> float:
        if time.monotonic() - last_info <= 5:
            return last_info
        info = await subscription.consumer_info()
        self._pending = int(info.num_pending or 0) + int(info.num_ack_pending or 0)
        return time.monotonic()

    async def _fetch_loop(self, subscription: Any) -> None:
        if self._lanes > 1:
            await self._lane_loop(subscription)
            return
        last_info = 0.0
        ahead: asyncio.Future[list[Msg]] = asyncio.ensure_future(self._fetch(subscription))
        try:
            while True:
                messages = await ahead
                ahead = asyncio.ensure_future(self._fetch(subscription))
                if messages:
                    await self.handle_batch(messages)
                last_info = await self._observe(subscription, last_info)
        finally:
            await self._release(ahead)

    def lane_of(self, message: MessageT, delivery: Delivery) -> int:
        """The lane of a message: by its partition key (so one key's messages stay in order), else
        spread by stream sequence."""
        if self._partition_key is None:
            return delivery.stream_sequence % self._lanes
        return zlib.crc32(self._partition_key(message).encode()) % self._lanes

    async def _lane_loop(self, subscription: Any) -> None:
        """Concurrent lanes: messages are routed to a lane by partition key and each lane hands
        its queue to the handler in order, one batch at a time, while the others do the same —
        so one lane's database round trips overlap another's work. At most ``batch_size`` per
        lane are fetched and not yet settled."""
        queues: list[collections.deque[tuple[Msg, Received[MessageT]]]] = [
            collections.deque() for _ in range(self._lanes)
        ]
        ready = [asyncio.Event() for _ in range(self._lanes)]
        workers = [
            asyncio.create_task(self._lane_worker(queue, event), name=f"{self.name}-lane-{n}")
            for n, (queue, event) in enumerate(zip(queues, ready, strict=True))
        ]
        limit = self._batch_size * self._lanes
        last_info = 0.0
        try:
            while True:
                for worker in workers:
                    if worker.done():
                        worker.result()  # a lane that failed (NATS gone) restarts the subscription
                room = limit - self._inflight
                if room <= 0:
                    self._room.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._room.wait(), timeout=self._fetch_timeout)
                    continue
                decoded = await self._decode_all(await self._fetch(subscription, min(room, self._batch_size)))
                for msg, item in decoded:
                    lane = self.lane_of(item.message, item.delivery)
                    queues[lane].append((msg, item))
                    ready[lane].set()
                self._inflight += len(decoded)
                last_info = await self._observe(subscription, last_info)
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            for queue in queues:
                for msg, _ in queue:
                    with contextlib.suppress(Exception):
                        await msg.nak()
            self._inflight = 0

    async def _lane_worker(
        self, queue: collections.deque[tuple[Msg, Received[MessageT]]], ready: asyncio.Event
    ) -> None:
        while True:
            await ready.wait()
            chunk = [queue.popleft() for _ in range(min(self._batch_size, len(queue)))]
            if not queue:
                ready.clear()
            try:
                await self._run(chunk)
            finally:
                self._inflight -= len(chunk)
                self._room.set()

    async def _release(self, ahead: asyncio.Future[list[Msg]]) -> None:
        """Hand prefetched, unhandled messages back at shutdown instead of waiting for ack_wait."""
        if not ahead.done():
            ahead.cancel()
            with contextlib.suppress(BaseException):
                await ahead
            return
        if ahead.cancelled() or ahead.exception() is not None:
            return
        for msg in ahead.result():
            with contextlib.suppress(Exception):
                await msg.nak()

    async def handle_batch(self, msgs: Sequence[Msg]) -> None:
        """Decode, run the batch handler (isolating failures), then settle every message."""
        decoded = await self._decode_all(msgs)
        if decoded:
            await self._run(decoded)

    async def _decode_all(self, msgs: Sequence[Msg]) -> list[tuple[Msg, Received[MessageT]]]:
        """Decoded messages; an undecodable one is dead-lettered at once."""
        decoded: list[tuple[Msg, Received[MessageT]]] = []
        for msg in msgs:
            delivery = delivery_of(msg)
            try:
                payload = self._decode(msg, delivery.headers)
            except PoisonMessage as error:
                await self._dead_letter(msg, delivery, f"poison: {error}")
                _processed.add(1, {**self._attrs, "outcome": "dead_lettered"})
                continue
            decoded.append((msg, Received(payload, delivery)))
        return decoded

    async def _run(self, decoded: Sequence[tuple[Msg, Received[MessageT]]]) -> None:
        started = time.perf_counter()
        links = [
            trace.Link(trace.get_current_span(extract_context(item.delivery.headers)).get_span_context())
            for _, item in decoded[:MAX_SPAN_LINKS]
        ]
        # A batch of one continues its producer's trace (as ConsumerWorker does), so a quiet
        # stream's traces still run end to end; a larger batch links to every producer instead.
        parent = extract_context(decoded[0][1].delivery.headers) if len(decoded) == 1 else None
        with _tracer.start_as_current_span(
            f"{decoded[0][1].delivery.subject} process batch",
            context=parent,
            kind=SpanKind.CONSUMER,
            links=[link for link in links if link.context.is_valid],
            attributes={
                "messaging.system": "nats",
                "messaging.destination.name": decoded[0][1].delivery.subject,
                "messaging.consumer.group.name": self._decl.durable,
                "messaging.batch.message_count": len(decoded),
            },
        ) as span:
            outcomes = await self._outcomes([item for _, item in decoded])
            failed = sum(1 for outcome in outcomes if outcome.settle is not Settle.ACK)
            if failed:
                span.set_status(Status(StatusCode.ERROR, f"{failed} of {len(outcomes)} messages failed"))
            settled: collections.Counter[str] = collections.Counter()
            for (msg, item), outcome in zip(decoded, outcomes, strict=True):
                settled[await self._settle(msg, item.delivery, outcome)] += 1
        # One counter update per outcome and batch: per message it cost more than the ack.
        for result, count in settled.items():
            _processed.add(count, {**self._attrs, "outcome": result})
        _latency.record(time.perf_counter() - started, self._attrs)

    async def _outcomes(self, items: Sequence[Received[MessageT]]) -> list[Outcome]:
        """The handler's outcomes; a failing batch is halved until the failure is isolated."""
        try:
            outcomes = list(await self._batch_handler(items))
        except PoisonMessage as error:
            if len(items) == 1:
                return [Outcome.poison(str(error))]
        except Exception as error:
            if len(items) == 1:
                log.warning(
                    "batch handler failed on a single message",
                    extra={"consumer": self._decl.durable, "message_id": items[0].delivery.message_id},
                    exc_info=True,
                )
                return [Outcome.retry(f"{type(error).__name__}: {error}")]
        else:
            if len(outcomes) == len(items):
                return outcomes
            reason = f"handler returned {len(outcomes)} outcomes for {len(items)} messages"
            log.error(reason, extra={"consumer": self._decl.durable})
            return [Outcome.retry(reason)] * len(items)
        middle = len(items) // 2
        return await self._outcomes(items[:middle]) + await self._outcomes(items[middle:])

    async def _settle(self, msg: Msg, delivery: Delivery, outcome: Outcome) -> str:
        """Ack, dead-letter or redeliver one message; returns the outcome's metric label.

        An ack is a plain publish to the message's reply subject (buffered, no round trip), so a
        batch's acks leave in one write and the next batch never waits for them."""
        if outcome.settle is Settle.ACK:
            await msg.ack()
            return "ok"
        if outcome.settle is Settle.DEAD_LETTER:
            await self._dead_letter(msg, delivery, f"poison: {outcome.reason}")
            return "dead_lettered"
        if delivery.delivery_count >= self._decl.max_deliver:
            await self._dead_letter(msg, delivery, outcome.reason)
            return "dead_lettered"
        await msg.nak(delay=self._decl.delay_before(delivery.delivery_count))
        return "retried"


async def replay_dead_letter(bus: Bus, stream_sequence: int, *, dlq_stream: str = "DEAD_LETTERS") -> str:
    """Publish a dead-lettered message again on its original subject; returns that subject."""
    stored = await bus.js.get_msg(dlq_stream, seq=stream_sequence)
    headers = dict(stored.headers or {})
    subject = headers.pop(HEADER_DLQ_SUBJECT, None)
    if not subject:
        raise ValueError(f"message {stream_sequence} of {dlq_stream} is not a dead letter")
    for key in (
        HEADER_DLQ_CONSUMER,
        HEADER_DLQ_ERROR,
        HEADER_DLQ_DELIVERIES,
        HEADER_DLQ_STREAM_SEQ,
        HEADER_MSG_ID,
    ):
        headers.pop(key, None)
    headers[HEADER_MSG_ID] = f"replay:{dlq_stream}:{stream_sequence}"
    await bus.js.publish(subject, stored.data or b"", headers=headers, timeout=5.0)
    return subject


def current_trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
