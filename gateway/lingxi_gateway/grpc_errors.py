"""Translate a failed gRPC call to a service into the HTTP problem the client should see.

Client mistakes reported by a service (invalid argument, not found, permission denied, conflicts)
pass through with the service's message, and an invalid argument names the offending field — from
``google.rpc.BadRequest`` in the rich status details when the service sends them, else from a
``field: message`` prefix. Server-side failures become 502/503/504 with a generic message: the raw
gRPC text names hosts and internals, and it is logged under the request id instead.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf.message import DecodeError
from google.rpc import error_details_pb2, status_pb2

from lingxi_gateway.problems import FieldError, ProblemError

_DETAILS_KEY = "grpc-status-details-bin"
_FIELD_PREFIX = re.compile(
    r"^(?P<field>[A-Za-z_][A-Za-z0-9_]*(?:[.\[\]0-9A-Za-z_]*)):\s*(?P<message>.+)$", re.S
)

# HTTP status for each gRPC code; codes not listed are upstream faults (502).
HTTP_STATUS_FOR_CODE: dict[grpc.StatusCode, int] = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}
UPSTREAM_FAULT_STATUS = 502

_GENERIC_DETAIL = {
    502: "an upstream service failed",
    503: "an upstream service is unavailable; try again shortly",
    504: "an upstream service did not answer in time",
}


@dataclass(frozen=True)
class _RichStatus:
    field_errors: list[FieldError] = field(default_factory=list)
    retry_after_seconds: int | None = None


def _rich_status(trailing_metadata: Any) -> _RichStatus:
    """Field violations and retry delay from the ``grpc-status-details-bin`` trailer, if any."""
    raw = None
    for key, value in trailing_metadata or ():
        if key == _DETAILS_KEY and isinstance(value, bytes):
            raw = value
    if raw is None:
        return _RichStatus()
    status = status_pb2.Status()
    try:
        status.ParseFromString(raw)
    except DecodeError:
        return _RichStatus()
    errors: list[FieldError] = []
    retry_after: int | None = None
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            errors.extend(
                FieldError(
                    field=violation.field, message=violation.description, code=violation.reason or None
                )
                for violation in bad_request.field_violations
            )
        elif detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
            retry = error_details_pb2.RetryInfo()
            detail.Unpack(retry)
            seconds = retry.retry_delay.seconds + retry.retry_delay.nanos / 1e9
            retry_after = max(1, math.ceil(seconds))
    return _RichStatus(field_errors=errors, retry_after_seconds=retry_after)


def _field_from_message(message: str) -> FieldError | None:
    match = _FIELD_PREFIX.match(message)
    if match is None:
        return None
    return FieldError(field=match.group("field"), message=match.group("message").strip())


def problem_for_rpc_error(error: grpc.aio.AioRpcError) -> ProblemError:
    """The problem to answer with when a service call failed with ``error``."""
    code = error.code()
    status = HTTP_STATUS_FOR_CODE.get(code, UPSTREAM_FAULT_STATUS)
    message = error.details() or ""
    headers: dict[str, str] = {}
    extra = {"grpc_status": code.name}
    if status >= 500:
        return ProblemError(status, _GENERIC_DETAIL[status], headers=headers, extra=extra)
    rich = _rich_status(error.trailing_metadata())
    errors: list[FieldError] | None = None
    if status == 400:
        errors = rich.field_errors
        if not errors:
            parsed = _field_from_message(message)
            errors = [parsed] if parsed is not None else []
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="lingxi"'
    if status == 429:
        headers["Retry-After"] = str(rich.retry_after_seconds or 1)
    return ProblemError(status, message or None, headers=headers, errors=errors or None, extra=extra)
