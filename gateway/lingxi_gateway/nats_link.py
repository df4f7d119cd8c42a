"""The gateway's NATS connection, established in the background.

The gateway will publish ingested events to JetStream, so readiness depends on NATS; but start-up
must never wait for it — liveness has to answer while NATS is still coming up, and Kubernetes would
otherwise restart a perfectly healthy gateway in a loop. The client is told to reconnect forever,
so after an outage it comes back on its own and /readyz turns green again without a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from nats.aio.client import Client

logger = logging.getLogger("lingxi_gateway.nats")


class NatsLink:
    """Owns one nats-py client and the task that connects it."""

    def __init__(
        self,
        servers: list[str],
        *,
        name: str = "lingxi-gateway",
        connect_timeout: int = 2,
        reconnect_wait_seconds: int = 1,
    ) -> None:
        self.servers = servers
        self._name = name
        self._connect_timeout = connect_timeout
        self._reconnect_wait = reconnect_wait_seconds
        self._client: Client | None = None
        self._task: asyncio.Task[None] | None = None
        self._failures = 0
        self._was_connected = False

    @property
    def client(self) -> Client | None:
        """The client once connected (it may be reconnecting; check :attr:`connected`)."""
        return self._client if self.connected else None

    @property
    def connected(self) -> bool:
        return self._client is not None and self._client.is_connected

    def start(self) -> None:
        """Begin connecting in the background; returns at once."""
        if self._task is None:
            self._task = asyncio.create_task(self._connect(), name="lingxi-gateway-nats-connect")

    async def _connect(self) -> None:
        client = Client()
        self._client = client
        # max_reconnect_attempts=-1 makes nats-py retry the first connection and every later
        # reconnection forever, waiting reconnect_time_wait between rounds.
        try:
            await client.connect(
                servers=self.servers,
                name=self._name,
                connect_timeout=self._connect_timeout,
                reconnect_time_wait=self._reconnect_wait,
                max_reconnect_attempts=-1,
                allow_reconnect=True,
                error_cb=self._on_error,
                disconnected_cb=self._on_disconnected,
                reconnected_cb=self._on_reconnected,
            )
        except Exception:
            # Only a permanent fault gets here (bad URL, credentials); readiness stays red.
            logger.exception("giving up connecting to NATS")
            return
        self._failures = 0
        self._was_connected = True
        logger.info("connected to NATS at %s", client.connected_url.netloc if client.connected_url else "?")

    async def _on_error(self, error: Exception) -> None:
        # Say it once loudly, then quietly: an unreachable NATS fails every second.
        self._failures += 1
        level = logging.WARNING if self._failures == 1 else logging.DEBUG
        logger.log(level, "NATS connection error (%s attempt(s) so far): %s", self._failures, error)

    async def _on_disconnected(self) -> None:
        if self._was_connected and self._task is not None:  # not when we are the ones closing
            logger.warning("disconnected from NATS; reconnecting")

    async def _on_reconnected(self) -> None:
        self._failures = 0
        logger.info("reconnected to NATS")

    async def close(self) -> None:
        """Stop connecting and close the connection (pending publishes are flushed first)."""
        task, self._task = self._task, None
        if task is not None:
            await _cancel(task)
        client, self._client = self._client, None
        if client is not None and not client.is_closed:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.close(), timeout=5)


async def _cancel(task: asyncio.Task[None], *, attempts: int = 20, wait_seconds: float = 0.25) -> None:
    """Cancel ``task`` and wait for it, cancelling again if the cancellation gets swallowed.

    nats-py's connect loop catches CancelledError in one of its clean-up paths and carries on
    retrying, so a single cancel() can leave the task running forever.
    """
    for _ in range(attempts):
        if task.done():
            break
        task.cancel()
        await asyncio.wait({task}, timeout=wait_seconds)
    if task.done() and not task.cancelled():
        task.exception()  # retrieve it, so asyncio does not log "never retrieved"
    elif not task.done():
        logger.warning("the NATS connect task did not stop")
