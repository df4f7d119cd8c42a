"""Calls to services: identity metadata, request id, trace context and deadlines go out; gRPC failures
come back as the right HTTP problem. A real grpc.aio server answers (see gateway_testkit), no mocks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc
import pytest
from fastapi import FastAPI
from gateway_testkit import PROBE_SERVICE, assert_problem, bearer, free_port
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from lingxi_common.identity import (
    MD_ADVISOR,
    MD_BRANCH,
    MD_REQUEST_ID,
    MD_ROLE,
    MD_SERVICE_TOKEN,
    MD_SUBJECT,
)
from lingxi_gateway.grpc_errors import problem_for_rpc_error

CASES = [
    ("INVALID_ARGUMENT", "customer_id: must not be empty", 400),
    ("OUT_OF_RANGE", "page: past the end", 400),
    ("NOT_FOUND", "customer 'C1' not found", 404),
    ("PERMISSION_DENIED", "customer C1 is outside your branch", 403),
    ("UNAUTHENTICATED", "missing or wrong service token", 401),
    ("ALREADY_EXISTS", "tag exists", 409),
    ("ABORTED", "concurrent update", 409),
    ("FAILED_PRECONDITION", "campaign is not approved", 409),
    ("RESOURCE_EXHAUSTED", "quota", 429),
    ("UNAVAILABLE", "db at 10.0.0.5:5432 down", 503),
    ("DEADLINE_EXCEEDED", "too slow", 504),
    ("INTERNAL", "NullPointer at secret.py:12", 502),
    ("UNKNOWN", "boom", 502),
    ("UNIMPLEMENTED", "no such method", 502),
    ("DATA_LOSS", "oops", 502),
]


@pytest.fixture
async def probe_channel(grpc_server: dict[str, Any]) -> AsyncIterator[grpc.aio.Channel]:
    async with grpc.aio.insecure_channel(grpc_server["addresses"]["tag"]) as channel:
        yield channel


async def _rpc_error(channel: grpc.aio.Channel, request: str) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await channel.unary_unary(f"/{PROBE_SERVICE}/Fail")(request.encode(), timeout=5)
    return caught.value


@pytest.mark.parametrize(("code", "message", "status"), CASES)
async def test_grpc_status_maps_to_http(
    probe_channel: grpc.aio.Channel, code: str, message: str, status: int
) -> None:
    error = await _rpc_error(probe_channel, f"{code}|{message}")
    assert error.code() is grpc.StatusCode[code]
    problem = problem_for_rpc_error(error)
    assert problem.status == status
    assert problem.extra["grpc_status"] == code
    if status >= 500:
        assert message not in (problem.detail or "")  # internals stay in the logs
    else:
        assert problem.detail == message
    if status == 401:
        assert problem.headers["WWW-Authenticate"].startswith("Bearer")
    if status == 429:
        assert problem.headers["Retry-After"] == "1"


async def test_invalid_argument_field_from_message(probe_channel: grpc.aio.Channel) -> None:
    problem = problem_for_rpc_error(
        await _rpc_error(probe_channel, "INVALID_ARGUMENT|customer_id: must not be empty")
    )
    assert problem.errors is not None
    assert [(e.field, e.message) for e in problem.errors] == [("customer_id", "must not be empty")]


async def test_invalid_argument_field_from_rich_status(probe_channel: grpc.aio.Channel) -> None:
    error = await _rpc_error(
        probe_channel, "INVALID_ARGUMENT|rich:audience.expression|unbalanced parenthesis"
    )
    problem = problem_for_rpc_error(error)
    assert problem.errors is not None
    assert [(e.field, e.message) for e in problem.errors] == [
        ("audience.expression", "unbalanced parenthesis")
    ]


async def test_retry_info_becomes_retry_after(probe_channel: grpc.aio.Channel) -> None:
    problem = problem_for_rpc_error(await _rpc_error(probe_channel, "RESOURCE_EXHAUSTED|retry:7"))
    assert problem.status == 429
    assert problem.headers["Retry-After"] == "7"


# --- through the app ------------------------------------------------------------------------


@pytest.fixture
def upstream_app(build_app: Callable[..., FastAPI], grpc_server: dict[str, Any]) -> FastAPI:
    addresses = {f"{name}_addr": address for name, address in grpc_server["addresses"].items()}
    addresses["product_addr"] = f"127.0.0.1:{free_port()}"  # nothing listens: UNAVAILABLE
    return build_app(upstream_timeout_seconds=1.0, **addresses)


def _token(app: FastAPI, role: str = "advisor", **scope: str) -> dict[str, str]:
    from lingxi_gateway.auth.dev_issuer import build_caller

    return bearer(app.state.gateway.dev_issuer.issue(build_caller(role=role, **scope)))


async def test_identity_request_id_and_deadline_reach_the_service(
    upstream_app: FastAPI, open_client: Callable[..., Any]
) -> None:
    headers = {**_token(upstream_app, "advisor", advisor_id="A7", branch_id="B1"), "X-Request-ID": "req-123"}
    async with open_client(upstream_app) as client:
        response = await client.get("/test/upstream/tag/Echo", headers=headers)
    assert response.status_code == 200, response.text
    seen = response.json()
    metadata = seen["metadata"]
    assert metadata[MD_SERVICE_TOKEN] == upstream_app.state.gateway.settings.service_token
    assert metadata[MD_SUBJECT] == "dev-advisor-A7"
    assert metadata[MD_ROLE] == "advisor"
    assert metadata[MD_ADVISOR] == "A7"
    assert metadata[MD_BRANCH] == "B1"
    assert metadata[MD_REQUEST_ID] == "req-123"
    assert 0 < seen["deadline"] <= 1.0  # the default deadline was applied


async def test_trace_context_crosses_into_the_service(
    upstream_app: FastAPI, grpc_server: dict[str, Any]
) -> None:
    """The OpenTelemetry client interceptor injects the current trace context into metadata."""
    upstreams = upstream_app.state.gateway.upstreams
    parent = SpanContext(
        trace_id=0x0AF7651916CD43DD8448EB211C80319C,
        span_id=0xB7AD6B7169203331,
        is_remote=False,
        trace_flags=TraceFlags(TraceFlags.SAMPLED),
    )
    token = otel_context.attach(trace.set_span_in_context(NonRecordingSpan(parent)))
    try:
        raw = await upstreams.channel("tag").unary_unary(f"/{PROBE_SERVICE}/Echo")(b"")
    finally:
        otel_context.detach(token)
        await upstreams.close()
    import json

    traceparent = json.loads(raw)["metadata"]["traceparent"]
    assert traceparent.split("-")[1] == "0af7651916cd43dd8448eb211c80319c"


@pytest.mark.parametrize(
    ("path", "payload", "status", "slug"),
    [
        ("/test/upstream/tag/Fail", "NOT_FOUND|customer 'C1' not found", 404, "not-found"),
        ("/test/upstream/tag/Fail", "PERMISSION_DENIED|outside your scope", 403, "forbidden"),
        ("/test/upstream/tag/Fail", "FAILED_PRECONDITION|not approved", 409, "conflict"),
        ("/test/upstream/tag/Sleep", "2", 504, "gateway-timeout"),
        ("/test/upstream/product/Echo", "", 503, "service-unavailable"),
        ("/test/upstream/tag/Fail", "INTERNAL|stack trace here", 502, "bad-gateway"),
    ],
)
async def test_upstream_failures_become_problems(
    upstream_app: FastAPI, open_client: Callable[..., Any], path: str, payload: str, status: int, slug: str
) -> None:
    async with open_client(upstream_app) as client:
        response = await client.get(
            path, params={"payload": payload}, headers=_token(upstream_app, "hq_operator")
        )
        body = assert_problem(response, status)
        assert body["type"] == f"urn:lingxi:problem:{slug}"
        assert "stack trace" not in response.text
        metrics = (await client.get("/metrics")).text
        assert "lingxi_gateway_upstream_errors_total" in metrics


async def test_invalid_argument_names_the_field_over_http(
    upstream_app: FastAPI, open_client: Callable[..., Any]
) -> None:
    async with open_client(upstream_app) as client:
        response = await client.get(
            "/test/upstream/tag/Fail",
            params={"payload": "INVALID_ARGUMENT|rich:tag_code|unknown tag"},
            headers=_token(upstream_app, "hq_operator"),
        )
    body = assert_problem(response, 400)
    assert body["errors"] == [{"field": "tag_code", "message": "unknown tag"}]
