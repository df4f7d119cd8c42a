"""gRPC channels from the gateway to the six domain services.

One long-lived ``grpc.aio`` channel per service, created on first use (so the gateway starts even
when services are not up yet) and closed at shutdown. Every call made on them passes two client
interceptors: OpenTelemetry's, which opens a client span and injects the W3C trace context, and
ours, which attaches the caller's identity and data scope (``Caller.to_metadata``), the request id
and a default deadline — a call without a deadline could hang a request forever.

Identity reaches the interceptor through a context variable set by the :data:`UpstreamDep`
dependency: it follows the request's task (and tasks it spawns), so route code never has to thread
metadata through every stub call and cannot forget it.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import grpc
from fastapi import Depends, Request
from opentelemetry.instrumentation.grpc import aio_client_interceptors

from lingxi_common.identity import (
    MD_ADVISOR,
    MD_BRANCH,
    MD_CUSTOMER,
    MD_REQUEST_ID,
    MD_ROLE,
    MD_SERVICE_TOKEN,
    MD_SUBJECT,
    Caller,
)
from lingxi_gateway.auth.dependencies import CurrentCaller
from lingxi_gateway.request_id import current_request_id, request_id_from_scope
from lingxi_gateway.state import gateway_state

_IDENTITY_KEYS = frozenset({MD_SERVICE_TOKEN, MD_SUBJECT, MD_ROLE, MD_BRANCH, MD_ADVISOR, MD_CUSTOMER})

# Metadata of the caller on whose behalf the current request calls services.
outbound_identity: ContextVar[tuple[tuple[str, str], ...] | None] = ContextVar(
    "lingxi_outbound_identity", default=None
)

# Reconnect quickly after a service restarts: gRPC's default back-off grows to two minutes, which
# would keep /readyz red long after the service is back.
CHANNEL_OPTIONS: tuple[tuple[str, Any], ...] = (
    ("grpc.initial_reconnect_backoff_ms", 500),
    ("grpc.min_reconnect_backoff_ms", 500),
    ("grpc.max_reconnect_backoff_ms", 5000),
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.http2.max_pings_without_data", 0),
    ("grpc.keepalive_permit_without_calls", 1),
)


def _merge_metadata(metadata: grpc.aio.Metadata | None, service_token: str) -> grpc.aio.Metadata:
    """The call's own metadata with identity keys taken from the request context.

    Identity keys a route might pass explicitly are replaced, never duplicated; the service token is
    always present so a service can tell the gateway from a stranger even on identity-less calls.
    """
    identity = outbound_identity.get()
    pairs = [(key, value) for key, value in (metadata or ()) if identity is None or key not in _IDENTITY_KEYS]
    if identity is not None:
        pairs.extend(identity)
    merged = grpc.aio.Metadata(*pairs)
    if MD_SERVICE_TOKEN not in merged:
        merged.add(MD_SERVICE_TOKEN, service_token)
    request_id = current_request_id.get()
    if request_id and MD_REQUEST_ID not in merged:
        merged.add(MD_REQUEST_ID, request_id)
    return merged


class _IdentityInterceptorBase:
    def __init__(self, service_token: str, default_timeout: float) -> None:
        self._service_token = service_token
        self._default_timeout = default_timeout

    def _details(self, details: grpc.aio.ClientCallDetails) -> grpc.aio.ClientCallDetails:
        return grpc.aio.ClientCallDetails(
            method=details.method,
            timeout=details.timeout if details.timeout is not None else self._default_timeout,
            metadata=_merge_metadata(details.metadata, self._service_token),
            credentials=details.credentials,
            wait_for_ready=details.wait_for_ready,
        )


# grpc.aio files an interceptor under the first of the four kinds it is an instance of, so each
# kind needs its own class.
class _UnaryUnaryIdentity(_IdentityInterceptorBase, grpc.aio.UnaryUnaryClientInterceptor):
    async def intercept_unary_unary(
        self, continuation: Callable[..., Any], client_call_details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        return await continuation(self._details(client_call_details), request)


class _UnaryStreamIdentity(_IdentityInterceptorBase, grpc.aio.UnaryStreamClientInterceptor):
    async def intercept_unary_stream(
        self, continuation: Callable[..., Any], client_call_details: grpc.aio.ClientCallDetails, request: Any
    ) -> Any:
        return await continuation(self._details(client_call_details), request)


class _StreamUnaryIdentity(_IdentityInterceptorBase, grpc.aio.StreamUnaryClientInterceptor):
    async def intercept_stream_unary(
        self,
        continuation: Callable[..., Any],
        client_call_details: grpc.aio.ClientCallDetails,
        request_iterator: AsyncIterable[Any],
    ) -> Any:
        return await continuation(self._details(client_call_details), request_iterator)


class _StreamStreamIdentity(_IdentityInterceptorBase, grpc.aio.StreamStreamClientInterceptor):
    async def intercept_stream_stream(
        self,
        continuation: Callable[..., Any],
        client_call_details: grpc.aio.ClientCallDetails,
        request_iterator: AsyncIterable[Any],
    ) -> Any:
        return await continuation(self._details(client_call_details), request_iterator)


def identity_interceptors(service_token: str, default_timeout: float) -> list[grpc.aio.ClientInterceptor]:
    """Interceptors adding identity metadata, request id and default deadline to every call kind."""
    return [
        kind(service_token, default_timeout)
        for kind in (_UnaryUnaryIdentity, _UnaryStreamIdentity, _StreamUnaryIdentity, _StreamStreamIdentity)
    ]


@dataclass(frozen=True)
class ClientTLS:
    """mTLS material for channels to services (production); None of it means plaintext."""

    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None

    @property
    def enabled(self) -> bool:
        return any((self.ca_file, self.cert_file, self.key_file))

    def credentials(self) -> grpc.ChannelCredentials:
        def read(path: Path | None) -> bytes | None:
            return path.read_bytes() if path is not None else None

        return grpc.ssl_channel_credentials(
            root_certificates=read(self.ca_file),
            private_key=read(self.key_file),
            certificate_chain=read(self.cert_file),
        )


class Upstreams:
    """Holder of the channels to the domain services, keyed by service name."""

    def __init__(
        self,
        addresses: Mapping[str, str],
        *,
        service_token: str,
        default_timeout: float = 5.0,
        tls: ClientTLS | None = None,
    ) -> None:
        self.addresses = dict(addresses)
        self.default_timeout = default_timeout
        self._service_token = service_token
        self._tls = tls or ClientTLS()
        self._channels: dict[str, grpc.aio.Channel] = {}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.addresses)

    def channel(self, service: str) -> grpc.aio.Channel:
        """The channel to ``service``, created on first use (needs a running event loop)."""
        existing = self._channels.get(service)
        if existing is not None:
            return existing
        try:
            target = self.addresses[service]
        except KeyError:
            raise KeyError(f"unknown upstream service {service!r}") from None
        interceptors = [
            *identity_interceptors(self._service_token, self.default_timeout),
            *aio_client_interceptors(),
        ]
        if self._tls.enabled:
            channel = grpc.aio.secure_channel(
                target, self._tls.credentials(), options=CHANNEL_OPTIONS, interceptors=interceptors
            )
        else:
            channel = grpc.aio.insecure_channel(target, options=CHANNEL_OPTIONS, interceptors=interceptors)
        self._channels[service] = channel
        return channel

    async def close(self, grace: float | None = 1.0) -> None:
        """Close every channel (in-flight calls get ``grace`` seconds)."""
        channels, self._channels = list(self._channels.values()), {}
        for channel in channels:
            await channel.close(grace)


@dataclass(frozen=True)
class UpstreamSession:
    """What a route needs to call services on behalf of its caller."""

    upstreams: Upstreams
    caller: Caller
    request_id: str | None
    metadata: tuple[tuple[str, str], ...]

    def channel(self, service: str) -> grpc.aio.Channel:
        return self.upstreams.channel(service)


def caller_metadata(
    caller: Caller, service_token: str, request_id: str | None
) -> tuple[tuple[str, str], ...]:
    return tuple(caller.to_metadata(service_token, request_id))


async def get_upstream(request: Request, caller: CurrentCaller) -> UpstreamSession:
    """Dependency: the upstream holder, with the caller's metadata bound to this request's calls."""
    state = gateway_state(request)
    request_id = request_id_from_scope(request.scope)
    metadata = caller_metadata(caller, state.settings.service_token, request_id)
    # Set in the request's own task: async dependencies run in the endpoint's context.
    outbound_identity.set(metadata)
    return UpstreamSession(upstreams=state.upstreams, caller=caller, request_id=request_id, metadata=metadata)


UpstreamDep = Annotated[UpstreamSession, Depends(get_upstream)]
