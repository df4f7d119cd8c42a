"""gRPC server bootstrap: authentication, data scope, deadlines, error mapping, health, reflection.

Every service builds its server here so that every RPC gets the same treatment: the caller is
authenticated by the internal service token and identified from metadata (then available to
domain code through `current_caller()`), a runaway handler is cut at a deadline, and domain
errors become statuses that name what is wrong. Health and reflection stay open so Kubernetes
probes and grpcurl work without credentials.
"""

from __future__ import annotations

import asyncio
import contextvars
import hmac
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from grpc_reflection.v1alpha import reflection
from opentelemetry.instrumentation.grpc import aio_server_interceptor, filters

from lingxi_common.errors import ServiceError
from lingxi_common.identity import MD_REQUEST_ID, MD_SERVICE_TOKEN, Caller, IdentityError

log = logging.getLogger(__name__)

_OPEN_SERVICES = (
    "/grpc.health.v1.Health/",
    "/grpc.reflection.v1alpha.ServerReflection/",
    "/grpc.reflection.v1.",
)

_current_caller: contextvars.ContextVar[Caller | None] = contextvars.ContextVar("lingxi_caller", default=None)
_current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "lingxi_request_id", default=None
)


def current_caller() -> Caller:
    """The authenticated caller of the RPC being served."""
    caller = _current_caller.get()
    if caller is None:
        raise RuntimeError("current_caller() used outside an authenticated RPC")
    return caller


def current_request_id() -> str | None:
    return _current_request_id.get()


class CallerInterceptor(grpc.aio.ServerInterceptor):
    """Authenticate, identify, bound and map errors for every non-probe RPC."""

    def __init__(self, service_token: str, *, max_handler_seconds: float = 30.0) -> None:
        self._token = service_token.encode()
        self._max_seconds = max_handler_seconds

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler | None]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler | None:
        handler = await continuation(handler_call_details)
        method: str = handler_call_details.method
        if handler is None or method.startswith(_OPEN_SERVICES):
            return handler
        if handler.unary_unary is not None:
            return grpc.unary_unary_rpc_method_handler(
                self._wrap_unary(handler.unary_unary, method),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream is not None:
            return grpc.unary_stream_rpc_method_handler(
                self._wrap_stream(handler.unary_stream, method),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return handler  # client-streaming RPCs are not used by Lingxi

    async def _authenticate(self, context: grpc.aio.ServicerContext) -> Caller:
        metadata = tuple(context.invocation_metadata() or ())
        values = {key: value for key, value in metadata}
        token = values.get(MD_SERVICE_TOKEN, "")
        token_bytes = token.encode() if isinstance(token, str) else token
        if not hmac.compare_digest(token_bytes, self._token):
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing or wrong service token")
        try:
            caller = Caller.from_metadata(metadata)
        except IdentityError as error:
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, f"invalid caller identity: {error}")
            raise  # unreachable: abort raises
        request_id = values.get(MD_REQUEST_ID)
        _current_request_id.set(request_id if isinstance(request_id, str) else None)
        _current_caller.set(caller)
        return caller

    def _wrap_unary(
        self, behavior: Callable[..., Awaitable[Any]], method: str
    ) -> Callable[..., Awaitable[Any]]:
        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> Any:
            await self._authenticate(context)
            try:
                async with asyncio.timeout(self._bounded_timeout(context)):
                    result = behavior(request, context)
                    return await result if inspect.isawaitable(result) else result
            except ServiceError as error:
                await _abort(context, error)
            except NotImplementedError:
                await context.abort(grpc.StatusCode.UNIMPLEMENTED, f"{method} is not implemented yet")
            except TimeoutError:
                await context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, f"{method} took too long")
            except Exception as error:
                if isinstance(error, grpc.aio.AbortError):
                    raise
                log.exception("unhandled error in %s", method)
                await context.abort(grpc.StatusCode.INTERNAL, "internal error; see the service log")

        return wrapper

    def _wrap_stream(
        self, behavior: Callable[..., AsyncIterator[Any]], method: str
    ) -> Callable[..., AsyncIterator[Any]]:
        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            await self._authenticate(context)
            try:
                async for item in behavior(request, context):
                    yield item
            except ServiceError as error:
                await _abort(context, error)
            except NotImplementedError:
                await context.abort(grpc.StatusCode.UNIMPLEMENTED, f"{method} is not implemented yet")
            except Exception as error:
                if isinstance(error, grpc.aio.AbortError):
                    raise
                log.exception("unhandled error in %s", method)
                await context.abort(grpc.StatusCode.INTERNAL, "internal error; see the service log")

        return wrapper

    def _bounded_timeout(self, context: grpc.aio.ServicerContext) -> float:
        remaining = context.time_remaining()
        if remaining is None:
            return self._max_seconds
        return max(0.001, min(self._max_seconds, remaining))


async def _abort(context: grpc.aio.ServicerContext, error: ServiceError) -> None:
    status = error.to_status()
    await context.abort(status.code, status.details, status.trailing_metadata)


LIVENESS_SERVICE = "liveness"


class HealthReporter:
    """Keeps grpc.health.v1 statuses: the overall "" entry and one per served service.

    A separate "liveness" entry stays SERVING while the process runs: Kubernetes' liveness probe
    asks it, so a PostgreSQL or NATS outage makes pods unready without restarting them.
    """

    def __init__(self, service_names: Iterable[str]) -> None:
        self.servicer = HealthServicer()
        self._names = ["", *service_names]
        self.serving = False

    async def mark_alive(self) -> None:
        await self.servicer.set(LIVENESS_SERVICE, health_pb2.HealthCheckResponse.SERVING)

    async def set_serving(self, serving: bool) -> None:
        status = (
            health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in self._names:
            await self.servicer.set(name, status)
        self.serving = serving


def add_services(
    server: grpc.aio.Server,
    contracts: Sequence[tuple[ModuleType, ModuleType]],
    implementations: Mapping[str, object],
) -> list[str]:
    """Serve every service declared in the given (`*_pb2`, `*_pb2_grpc`) modules.

    A service with an implementation in `implementations` (keyed by its short name) serves it;
    the others serve the generated base class, whose RPCs answer UNIMPLEMENTED — the contract is
    visible through reflection, and nothing pretends to work before it does.
    """
    names: list[str] = []
    for pb2, pb2_grpc in contracts:
        for short_name, descriptor in pb2.DESCRIPTOR.services_by_name.items():
            servicer = implementations.get(short_name) or getattr(pb2_grpc, f"{short_name}Servicer")()
            getattr(pb2_grpc, f"add_{short_name}Servicer_to_server")(servicer, server)
            names.append(descriptor.full_name)
    unknown = set(implementations) - {name.rsplit(".", 1)[-1] for name in names}
    if unknown:
        raise ValueError(f"implementations for services not in the contracts: {sorted(unknown)}")
    return names


def build_server(
    *,
    service_token: str,
    register: Callable[[grpc.aio.Server], list[str]],
    max_handler_seconds: float = 30.0,
) -> tuple[grpc.aio.Server, HealthReporter]:
    """A grpc.aio server with tracing, the caller interceptor, health and reflection.

    `register` adds the service's servicers and returns their full names (for health and
    reflection).
    """
    server = grpc.aio.server(
        interceptors=[
            # Health is left untraced: probes would drown real traces, and the interceptor does not
            # handle the Watch stream of the async health servicer.
            aio_server_interceptor(filter_=filters.negate(filters.service_prefix("grpc.health"))),
            CallerInterceptor(service_token, max_handler_seconds=max_handler_seconds),
        ],
        options=[
            ("grpc.max_receive_message_length", 16 * 1024 * 1024),
            ("grpc.keepalive_time_ms", 60_000),
        ],
    )
    names = register(server)
    health = HealthReporter(names)
    health_pb2_grpc.add_HealthServicer_to_server(health.servicer, server)
    reflection.enable_server_reflection(
        [*names, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME], server
    )
    return server, health
