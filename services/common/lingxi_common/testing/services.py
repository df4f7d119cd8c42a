"""Run real Lingxi services inside a test's event loop, against real PostgreSQL and NATS."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import grpc

from lingxi_common.grpc_client import open_channel
from lingxi_common.identity import Caller
from lingxi_common.service import ServiceDefinition, ServiceRunner
from lingxi_common.settings import DEV_SERVICE_TOKEN


@asynccontextmanager
async def running_service(
    definition: ServiceDefinition,
    *,
    database_url: str,
    nats_url: str,
    wait_ready: bool = True,
    **overrides: Any,
) -> AsyncIterator[ServiceRunner]:
    """Start a service on a free port with fast health/outbox loops; stop it afterwards."""
    values: dict[str, Any] = {
        "grpc_port": 0,
        "metrics_port": 0,
        "health_check_interval": 0.2,
        "outbox_poll_interval": 0.1,
        **overrides,
    }
    settings = definition.settings_type(
        service_name=definition.name, database_url=database_url, nats_url=nats_url, **values
    )
    runner = ServiceRunner(definition, settings)
    await runner.start()
    try:
        if wait_ready:
            await asyncio.wait_for(runner.ready.wait(), timeout=60)
        yield runner
    finally:
        for channel in _channels.pop(id(runner), []):
            await channel.close()
        await runner.stop(grace=1)


# Channels stay referenced until their service stops: a grpc.aio channel that is garbage
# collected closes itself under the stub that still uses it.
_channels: dict[int, list[grpc.aio.Channel]] = {}


def channel_to(runner: ServiceRunner, caller: Caller | Callable[[], Caller]) -> grpc.aio.Channel:
    """A client channel that calls `runner` as `caller`, the way the gateway would."""
    provider = caller if callable(caller) else (lambda: caller)
    channel = open_channel(f"127.0.0.1:{runner.port}", service_token=DEV_SERVICE_TOKEN, caller=provider)
    _channels.setdefault(id(runner), []).append(channel)
    return channel
