"""Liveness, readiness against real NATS and gRPC health servers, metrics, JWKS and OpenAPI."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import jwt
from fastapi import FastAPI
from gateway_testkit import SERVICES, assert_problem, bearer
from grpc_health.v1 import health_pb2


async def test_healthz_is_200_without_dependencies(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["x-request-id"]


async def test_readyz_is_503_naming_every_dependency_down(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    body = assert_problem(response, 503)
    assert body["type"] == "urn:lingxi:problem:not-ready"
    assert set(body["unavailable"]) == {"nats", *SERVICES}
    assert body["checks"]["nats"] == "not connected"
    # Nothing listens there: refused at once ("unreachable"), or, when the channel is still in
    # its connect attempt as the probe's deadline passes on a busy machine, "timeout".
    assert body["checks"]["tag"] in {"unreachable", "timeout"}
    for name in ("nats", *SERVICES):
        assert name in body["detail"]


async def _wait_ready(client: httpx.AsyncClient, timeout: float = 10.0) -> httpx.Response:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await client.get("/readyz")
        if response.status_code == 200 or asyncio.get_running_loop().time() > deadline:
            return response
        await asyncio.sleep(0.1)


async def test_readyz_follows_real_dependencies(
    build_app: Callable[..., FastAPI],
    open_client: Callable[..., Any],
    nats_url: str,
    grpc_server: dict[str, Any],
) -> None:
    addresses = {f"{name}_addr": address for name, address in grpc_server["addresses"].items()}
    app = build_app(nats_url=nats_url, **addresses)
    async with open_client(app) as client:
        ready = await _wait_ready(client)
        assert ready.status_code == 200, ready.text
        assert ready.json() == {
            "status": "ready",
            "checks": {"nats": "serving", **dict.fromkeys(SERVICES, "serving")},
        }

        # A service reporting NOT_SERVING (e.g. its database is down) makes the gateway unready.
        await grpc_server["health"].set("", health_pb2.HealthCheckResponse.NOT_SERVING)
        body = assert_problem(await client.get("/readyz"), 503)
        assert body["unavailable"] == list(SERVICES)
        assert body["checks"]["points"] == "not_serving"

        await grpc_server["health"].set("", health_pb2.HealthCheckResponse.SERVING)
        assert (await client.get("/readyz")).status_code == 200


async def test_readiness_verdict_is_cached(
    build_app: Callable[..., FastAPI], open_client: Callable[..., Any]
) -> None:
    app = build_app(readiness_cache_seconds=60)
    probe = app.state.gateway.readiness
    async with open_client(app):
        first, second = await asyncio.gather(probe.report(), probe.report())
        assert first is second  # concurrent probes shared one round of checks
        assert await probe.report() is first  # and later ones reuse it while fresh


async def test_metrics_count_requests_by_route_template(
    client: httpx.AsyncClient, token_for: Callable[..., str]
) -> None:
    await client.get("/api/v1/me", headers=bearer(token_for()))
    await client.get("/api/v1/me")
    await client.get("/random/path/12345")
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'lingxi_gateway_http_requests_total{method="GET",route="/api/v1/me",status="200"} 1.0' in text
    assert 'lingxi_gateway_http_requests_total{method="GET",route="/api/v1/me",status="401"} 1.0' in text
    assert 'route="<unmatched>",status="404"' in text
    assert "/random/path/12345" not in text
    assert "lingxi_gateway_http_request_duration_seconds_bucket" in text


async def test_jwks_verifies_dev_tokens(client: httpx.AsyncClient, token_for: Callable[..., str]) -> None:
    response = await client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    keys = response.json()["keys"]
    assert len(keys) == 1
    assert keys[0]["alg"] == "RS256" and keys[0]["kty"] == "RSA" and "d" not in keys[0]
    token = token_for("compliance")
    public_key = jwt.PyJWK(keys[0]).key
    claims = jwt.decode(token, public_key, algorithms=["RS256"], audience="lingxi", issuer="lingxi-dev")
    assert claims["role"] == "compliance"
    assert jwt.get_unverified_header(token)["kid"] == keys[0]["kid"]


async def test_openapi_documents_problems_and_security(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert "Problem" in spec["components"]["schemas"]
    assert {"bearerAuth", "apiKey"} <= set(spec["components"]["securitySchemes"])
    me = spec["paths"]["/api/v1/me"]["get"]
    for status in ("401", "403", "429", "500", "503"):
        assert "application/problem+json" in me["responses"][status]["content"], status
    docs = await client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
