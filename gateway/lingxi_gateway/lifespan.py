"""Start-up and shutdown of the gateway's connections.

Start-up only *starts* things: NATS connects in the background and gRPC channels open on first use,
so the gateway is live at once and becomes ready when its dependencies are. Shutdown closes both, so
a rolling update leaves no half-open connections behind.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from lingxi_gateway.state import GatewayState


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    state = app.state.gateway
    assert isinstance(state, GatewayState)
    state.nats.start()
    try:
        yield
    finally:
        await state.readiness.close()
        await state.nats.close()
        await state.upstreams.close()
