"""Helpers shared by the gateway tests (a uniquely named module: every test folder of the repository
has its own conftest.py, so ``from conftest import ...`` would be ambiguous in one pytest run).

Includes the test-only routes that exercise roles, scopes, bodies, failures and upstream calls, and
the handlers of the real gRPC probe server the upstream tests call.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from typing import Annotated, Any

import grpc
import httpx
from fastapi import APIRouter, Depends
from google.protobuf import any_pb2, duration_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status
from pydantic import BaseModel, Field

from lingxi_common.identity import Caller, Role
from lingxi_gateway.auth.dependencies import CurrentCaller, Principal, require_roles, require_scopes
from lingxi_gateway.upstream import UpstreamDep

SERVICES = ("tag", "product", "strategy", "campaign", "channel", "points")
PROBE_SERVICE = "lingxi.test.v1.Probe"


def free_port() -> int:
    """A port nothing listens on (bound and released at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Order(BaseModel):
    name: str = Field(min_length=1)
    quantity: int = Field(gt=0)


def probe_router() -> APIRouter:
    """Routes used only by the tests, to exercise roles, scopes, bodies, failures and upstream calls."""
    router = APIRouter(prefix="/test")

    @router.get("/compliance-only")
    async def compliance_only(
        caller: Annotated[Caller, Depends(require_roles(Role.COMPLIANCE, Role.HQ_OPERATOR))],
    ) -> dict[str, str]:
        return {"subject": caller.subject}

    @router.get("/events-writer")
    async def events_writer(
        principal: Annotated[Principal, Depends(require_scopes("events:write"))],
    ) -> dict[str, str]:
        return {"key_id": principal.key_id or ""}

    @router.post("/orders")
    async def create_order(order: Order, caller: CurrentCaller) -> dict[str, Any]:
        return {"name": order.name, "quantity": order.quantity, "by": caller.subject}

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail")

    @router.get("/upstream/{service}/{method}")
    async def call_upstream(service: str, method: str, upstream: UpstreamDep, payload: str = "") -> Any:
        call = upstream.channel(service).unary_unary(f"/{PROBE_SERVICE}/{method}")
        raw = await call(payload.encode())
        return json.loads(raw)

    return router


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The response is RFC 9457 problem+json with the given status and a request id."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:lingxi:problem:")
    assert body["title"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


async def echo(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
    metadata = {key: value for key, value in context.invocation_metadata() or () if isinstance(value, str)}
    remaining = context.time_remaining()
    return json.dumps({"metadata": metadata, "deadline": remaining}).encode()


async def sleep(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
    await asyncio.sleep(float(request.decode() or "1"))
    return b"{}"


async def fail(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
    """Abort with the status the request names: ``CODE|message``, ``INVALID_ARGUMENT|rich:field|reason``
    (a google.rpc.BadRequest detail) or ``RESOURCE_EXHAUSTED|retry:7`` (a google.rpc.RetryInfo detail)."""
    code_name, _, message = request.decode().partition("|")
    code = grpc.StatusCode[code_name]
    detail = any_pb2.Any()
    if message.startswith("rich:"):
        field, _, reason = message.removeprefix("rich:").partition("|")
        message = f"{field} is wrong"
        detail.Pack(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(field=field, description=reason)
                ]
            )
        )
    elif message.startswith("retry:"):
        seconds = int(message.removeprefix("retry:"))
        message = "slow down"
        detail.Pack(error_details_pb2.RetryInfo(retry_delay=duration_pb2.Duration(seconds=seconds)))
    else:
        await context.abort(code, message)
    status = status_pb2.Status(code=code.value[0], message=message, details=[detail])
    await context.abort_with_status(rpc_status.to_status(status))
    return b"{}"
