"""Durable pull consumers with explicit acks, bounded redelivery and a dead-letter subject.

A handler that raises is redelivered after the declared back-off; on its last allowed delivery
the message is copied to `lingxi.dlq.<consumer>` with the reason, and terminated, so one poison
message never blocks the stream. A message that cannot even be decoded goes there at once.
The trace context in the headers becomes the parent of the processing span, so one trace runs
from the producer's request through every consumer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
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
        headers = dict(msg.headers or {})
        metadata = msg.metadata
        delivery = Delivery(
            subject=msg.subject,
            message_id=headers.get(HEADER_EVENT_ID)
            or headers.get(HEADER_MSG_ID)
            or f"{metadata.stream}:{metadata.sequence.stream}",
            delivery_count=metadata.num_delivered,
            stream_sequence=metadata.sequence.stream,
            headers=headers,
        )
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
