"""Readiness: may this gateway replica receive traffic now?

Ready means NATS is connected and every domain service answers grpc.health.v1 SERVING. The services
are asked concurrently with a short timeout, and the verdict is reused for about a second, so a burst
of probes (several kubelets, a load balancer, a curious operator) costs one round of checks, and
concurrent probes share the round in flight instead of starting their own.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from lingxi_gateway.nats_link import NatsLink
from lingxi_gateway.upstream import Upstreams

SERVING = "serving"


@dataclass(frozen=True)
class ReadinessReport:
    """Status of each dependency: ``serving`` or a short reason it is not."""

    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return all(status == SERVING for status in self.checks.values())

    @property
    def unavailable(self) -> list[str]:
        return [name for name, status in self.checks.items() if status != SERVING]


class ReadinessProbe:
    """Checks the gateway's dependencies, with a short cache and single-flight."""

    def __init__(
        self,
        upstreams: Upstreams,
        nats: NatsLink,
        *,
        timeout_seconds: float = 1.0,
        cache_seconds: float = 1.0,
    ) -> None:
        self._upstreams = upstreams
        self._nats = nats
        self._timeout = timeout_seconds
        self._cache_seconds = cache_seconds
        self._cached: tuple[float, ReadinessReport] | None = None
        self._in_flight: asyncio.Task[ReadinessReport] | None = None

    async def report(self) -> ReadinessReport:
        now = time.monotonic()
        if self._cached is not None and now - self._cached[0] < self._cache_seconds:
            return self._cached[1]
        if self._in_flight is None or self._in_flight.done():
            self._in_flight = asyncio.create_task(self._check_all(), name="lingxi-gateway-readiness")
        # shield: one impatient probe disconnecting must not cancel the round others wait on.
        report = await asyncio.shield(self._in_flight)
        self._cached = (time.monotonic(), report)
        return report

    async def close(self) -> None:
        """Cancel a round of checks still running at shutdown."""
        task, self._in_flight = self._in_flight, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _check_all(self) -> ReadinessReport:
        names = self._upstreams.names
        results = await asyncio.gather(*(self._check_service(name) for name in names))
        checks = {"nats": SERVING if self._nats.connected else "not connected"}
        checks.update(zip(names, results, strict=True))
        return ReadinessReport(checks=checks)

    async def _check_service(self, name: str) -> str:
        stub = health_pb2_grpc.HealthStub(self._upstreams.channel(name))
        try:
            response = await stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=self._timeout)
        except grpc.aio.AioRpcError as error:
            if error.code() is grpc.StatusCode.DEADLINE_EXCEEDED:
                return "timeout"
            return "unreachable" if error.code() is grpc.StatusCode.UNAVAILABLE else error.code().name.lower()
        if response.status == health_pb2.HealthCheckResponse.SERVING:
            return SERVING
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status).lower()
