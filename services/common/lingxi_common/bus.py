"""The NATS JetStream connection every process shares.

Publishing goes through `Bus.publish` so every message carries the same headers: its protobuf
type, the W3C trace context and, when known, a `Nats-Msg-Id` that lets JetStream drop a
duplicate. Connecting retries forever in the background; the health check reports the gap.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

import nats
from google.protobuf.message import Message
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import PubAck
from tenacity import AsyncRetrying, retry_if_exception_type, wait_exponential

from lingxi_common.contracts import event_subject, message_type_name
from lingxi_common.telemetry import inject_headers

log = logging.getLogger(__name__)

HEADER_TYPE = "Lingxi-Type"
HEADER_MSG_ID = "Nats-Msg-Id"
# The event's own id; unlike Nats-Msg-Id it survives dead-lettering and replay, so consumers
# key their idempotency on it.
HEADER_EVENT_ID = "Lingxi-Event-Id"


def message_headers(
    message: Message, msg_id: str | None = None, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    headers: dict[str, str] = {HEADER_TYPE: message_type_name(message)}
    inject_headers(headers)
    if msg_id:
        headers[HEADER_MSG_ID] = msg_id
        headers[HEADER_EVENT_ID] = msg_id
    if extra:
        headers.update(extra)
    return headers


class Bus:
    """One NATS connection with its JetStream context, reconnecting on its own."""

    def __init__(self, servers: list[str], *, name: str) -> None:
        self._servers = servers
        self._name = name
        self._nc: NatsClient | None = None
        self._js: JetStreamContext | None = None
        self._closing = False

    @property
    def connected(self) -> bool:
        return self._nc is not None and self._nc.is_connected

    @property
    def nc(self) -> NatsClient:
        if self._nc is None:
            raise RuntimeError("NATS is not connected yet")
        return self._nc

    @property
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise RuntimeError("NATS is not connected yet")
        return self._js

    async def connect(self, *, attempt_timeout: float = 2.0) -> None:
        """Connect, retrying with back-off until it works (or the task is cancelled)."""
        async for attempt in AsyncRetrying(
            wait=wait_exponential(multiplier=0.2, max=5),
            retry=retry_if_exception_type((OSError, nats.errors.Error, asyncio.TimeoutError)),
            before_sleep=lambda state: log.warning(
                "NATS not reachable, retrying", extra={"attempt": state.attempt_number}
            ),
        ):
            with attempt:
                self._nc = await nats.connect(
                    servers=self._servers,
                    name=self._name,
                    connect_timeout=attempt_timeout,
                    allow_reconnect=True,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    # Pull subscriptions waiting in fetch() would hold the default 30 s drain.
                    drain_timeout=2,
                    disconnected_cb=self._on_disconnected,
                    reconnected_cb=self._on_reconnected,
                    error_cb=self._on_error,
                )
        self._js = self.nc.jetstream()
        log.info("NATS connected", extra={"servers": self._servers})

    async def publish(
        self,
        message: Message,
        *,
        subject: str | None = None,
        msg_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 5.0,
    ) -> PubAck:
        """Publish a protobuf message to JetStream and wait until the stream has it."""
        return await self.js.publish(
            subject or event_subject(message),
            message.SerializeToString(),
            timeout=timeout,
            headers=message_headers(message, msg_id, headers),
        )

    async def jetstream_reachable(self, timeout: float = 1.0) -> bool:
        if not self.connected:
            return False
        try:
            async with asyncio.timeout(timeout):
                await self.js.account_info()
            return True
        except Exception:
            return False

    async def close(self) -> None:
        self._closing = True
        if self._nc is not None and not self._nc.is_closed:
            try:
                await self._nc.drain()
            except Exception:
                await self._nc.close()

    async def _on_disconnected(self) -> None:
        if not self._closing:
            log.warning("NATS disconnected")

    async def _on_reconnected(self) -> None:
        log.info("NATS reconnected")

    async def _on_error(self, error: Exception) -> None:
        log.warning("NATS error: %s", error)
