"""Every failure is problem+json: unknown routes, wrong methods, big bodies, invalid input, rate limits,
crashes; and request ids are honoured or generated."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from gateway_testkit import assert_problem, bearer

from lingxi_gateway.auth.api_keys import generate_key
from lingxi_gateway.auth.dev_issuer import build_caller


async def test_unknown_route_is_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/thing")
    body = assert_problem(response, 404)
    assert body["type"] == "urn:lingxi:problem:not-found"
    assert body["instance"] == "/no/such/thing"
    assert "/no/such/thing" in body["detail"]


async def test_wrong_method_is_405_problem(client: httpx.AsyncClient) -> None:
    response = await client.delete("/healthz")
    body = assert_problem(response, 405)
    assert response.headers["allow"] == "GET"
    assert "DELETE" in body["detail"]


async def test_declared_oversized_body_is_413(
    build_app: Callable[..., FastAPI], open_client: Callable[..., Any]
) -> None:
    async with open_client(build_app(max_body_bytes=1024)) as client:
        response = await client.post(
            "/test/orders", content=b"x" * 2048, headers={"Content-Type": "application/json"}
        )
        body = assert_problem(response, 413)
        assert "1024 bytes" in body["detail"]


async def test_streamed_oversized_body_is_413(
    build_app: Callable[..., FastAPI], open_client: Callable[..., Any]
) -> None:
    app = build_app(max_body_bytes=1024)
    token = app.state.gateway.dev_issuer.issue(build_caller(role="hq_operator"))

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(8):
            yield b'{"name": "' + b"y" * 200

    async with open_client(app) as client:
        response = await client.post(
            "/test/orders", content=chunks(), headers={"Content-Type": "application/json", **bearer(token)}
        )
        assert "content-length" not in response.request.headers  # really chunked
        assert_problem(response, 413)
        # A body under the limit still works on the same app.
        small = await client.post("/test/orders", json={"name": "fund", "quantity": 2}, headers=bearer(token))
        assert small.status_code == 200, small.text


async def test_validation_error_names_the_field(
    client: httpx.AsyncClient, token_for: Callable[..., str]
) -> None:
    response = await client.post("/test/orders", json={"quantity": 0}, headers=bearer(token_for()))
    body = assert_problem(response, 422)
    assert body["type"] == "urn:lingxi:problem:validation-error"
    fields = {(error["location"], error["field"]): error for error in body["errors"]}
    assert ("body", "name") in fields
    assert fields[("body", "name")]["code"] == "missing"
    assert ("body", "quantity") in fields
    assert "name" in body["detail"] and "quantity" in body["detail"]
    assert "input" not in json.dumps(body["errors"])  # values are never echoed


async def test_invalid_json_is_422(client: httpx.AsyncClient, token_for: Callable[..., str]) -> None:
    response = await client.post(
        "/test/orders",
        content=b"{not json",
        headers={"Content-Type": "application/json", **bearer(token_for())},
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["code"] == "json_invalid"


async def test_unexpected_error_is_500_without_internals(
    app: FastAPI, open_client: Callable[..., Any]
) -> None:
    async with open_client(app, raise_app_exceptions=False) as client:
        response = await client.get("/test/boom", headers={"X-Request-ID": "boom-1"})
    body = assert_problem(response, 500)
    assert body["request_id"] == "boom-1"
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text


async def test_request_id_is_echoed_when_sane(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"X-Request-ID": "app-7f3a:42"})
    assert response.headers["x-request-id"] == "app-7f3a:42"
    problem = await client.get("/api/v1/me", headers={"X-Request-ID": "app-7f3a:43"})
    assert problem.json()["request_id"] == "app-7f3a:43"


@pytest.mark.parametrize("incoming", [None, "has spaces", "x" * 200, "evil\u00e9", "-leading-dash"])
async def test_request_id_is_generated_otherwise(client: httpx.AsyncClient, incoming: str | None) -> None:
    headers = [(b"X-Request-ID", incoming.encode("utf-8"))] if incoming else []
    response = await client.get("/no/where", headers=headers)
    generated = response.headers["x-request-id"]
    assert generated != incoming
    assert len(generated) == 36  # a UUID
    assert response.json()["request_id"] == generated


async def test_subject_rate_limit_is_429_with_retry_after(
    build_app: Callable[..., FastAPI], open_client: Callable[..., Any]
) -> None:
    app = build_app(rate_limit_per_minute=3)
    issuer = app.state.gateway.dev_issuer
    alice = bearer(issuer.issue(build_caller(role="hq_operator", subject="alice")))
    bob = bearer(issuer.issue(build_caller(role="hq_operator", subject="bob")))
    async with open_client(app) as client:
        for _ in range(3):
            assert (await client.get("/api/v1/me", headers=alice)).status_code == 200
        limited = await client.get("/api/v1/me", headers=alice)
        body = assert_problem(limited, 429)
        assert int(limited.headers["retry-after"]) >= 1
        assert body["retry_after"] == int(limited.headers["retry-after"])
        assert (await client.get("/api/v1/me", headers=bob)).status_code == 200  # buckets are per subject
        metrics = (await client.get("/metrics")).text
        assert 'lingxi_gateway_rate_limited_total{kind="subject"} 1.0' in metrics


async def test_api_key_has_its_own_limit(
    build_app: Callable[..., FastAPI], open_client: Callable[..., Any], tmp_path: Path
) -> None:
    key, record = generate_key("acme", key_id="acme-1", rate_limit_per_minute=2)
    path = tmp_path / "keys.json"
    path.write_text(json.dumps([record.model_dump(mode="json")]))
    async with open_client(build_app(api_keys_file=path, partner_rate_limit_per_minute=100)) as client:
        statuses = [
            (await client.get("/api/v1/me", headers={"X-API-Key": key})).status_code for _ in range(3)
        ]
        assert statuses == [200, 200, 429]


async def test_failed_logins_are_limited_per_ip(
    build_app: Callable[..., FastAPI], open_client: Callable[..., Any]
) -> None:
    async with open_client(build_app(anonymous_rate_limit_per_minute=2)) as client:
        statuses = [
            (await client.get("/api/v1/me", headers={"X-API-Key": "guess"})).status_code for _ in range(3)
        ]
        assert statuses == [401, 401, 429]
        limited = await client.get("/.well-known/jwks.json")  # anonymous route, same IP bucket
        assert_problem(limited, 429)
        assert (await client.get("/healthz")).status_code == 200  # probes are never limited
