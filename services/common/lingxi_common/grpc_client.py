"""gRPC channels from one Lingxi process to another.

Service-to-service calls carry the internal service token and the caller on whose behalf they
are made (the original person, or the calling service itself for background work), plus the
trace context via OpenTelemetry's client interceptors, and always a deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
from opentelemetry.instrumentation.grpc import aio_client_interceptors

from lingxi_common.identity import Caller


class _IdentityInterceptor(
    grpc.aio.UnaryUnaryClientInterceptor,
    grpc.aio.UnaryStreamClientInterceptor,
):
    """Adds the service token, the caller and a default deadline to every outgoing call."""

    def __init__(self, service_token: str, caller: Callable[[], Caller], default_timeout: float) -> None:
        self._token = service_token
        self._caller = caller
        self._timeout = default_timeout

    def _details(self, details: grpc.aio.ClientCallDetails) -> grpc.aio.ClientCallDetails:
        metadata = list(details.metadata or [])
        keys = {key for key, _ in metadata}
        metadata.extend(pair for pair in self._caller().to_metadata(self._token) if pair[0] not in keys)
        return grpc.aio.ClientCallDetails(
            method=details.method,
            timeout=details.timeout if details.timeout is not None else self._timeout,
            metadata=grpc.aio.Metadata(*metadata),
            credentials=details.credentials,
            wait_for_ready=details.wait_for_ready,
        )

    async def intercept_unary_unary(self, continuation: Any, client_call_details: Any, request: Any) -> Any:
        return await continuation(self._details(client_call_details), request)

    async def intercept_unary_stream(self, continuation: Any, client_call_details: Any, request: Any) -> Any:
        return await continuation(self._details(client_call_details), request)


def open_channel(
    address: str,
    *,
    service_token: str,
    caller: Callable[[], Caller],
    default_timeout: float = 5.0,
) -> grpc.aio.Channel:
    """An insecure channel for loopback/in-cluster use; mTLS credentials replace it in production."""
    interceptors: list[Any] = [
        *aio_client_interceptors(),
        _IdentityInterceptor(service_token, caller, default_timeout),
    ]
    return grpc.aio.insecure_channel(address, interceptors=interceptors)
