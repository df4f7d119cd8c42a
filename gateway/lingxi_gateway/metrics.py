"""Prometheus metrics of the HTTP surface: requests and latency by route template and status.

Labels use the route *template* (``/api/v1/customers/{customer_id}``), never the raw path, so a
scan of random URLs cannot explode the number of series; unmatched paths share one label. Each app
gets its own registry (two apps in one test process must not collide); ``/metrics`` serves it
together with the process-wide default registry, where the OpenTelemetry Prometheus reader and the
process collectors live.
"""

from __future__ import annotations

import time

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNMATCHED_ROUTE = "<unmatched>"
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class HttpMetrics:
    """The gateway's own instruments, in their own registry."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "lingxi_gateway_http_requests",
            "HTTP requests answered, by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "lingxi_gateway_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "lingxi_gateway_http_requests_in_flight", "HTTP requests being handled", registry=self.registry
        )
        self.rate_limited = Counter(
            "lingxi_gateway_rate_limited",
            "Requests refused by a rate limit, by bucket kind (api_key, subject, ip)",
            ["kind"],
            registry=self.registry,
        )
        self.upstream_errors = Counter(
            "lingxi_gateway_upstream_errors",
            "Failed gRPC calls to services, by gRPC status code",
            ["code"],
            registry=self.registry,
        )

    def render(self) -> bytes:
        """Exposition text of this app's metrics and the process-wide default registry."""
        return generate_latest(REGISTRY) + generate_latest(self.registry)


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


class MetricsMiddleware:
    """Pure ASGI middleware recording one count and one latency sample per HTTP request."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # if the app raises before answering, the client gets a 500
        started = time.perf_counter()

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, recording_send)
        finally:
            self.metrics.in_flight.dec()
            method = str(scope.get("method", ""))
            method = method if method in _KNOWN_METHODS else "OTHER"
            route = route_template(scope)
            self.metrics.requests.labels(method=method, route=route, status=str(status)).inc()
            self.metrics.latency.labels(method=method, route=route).observe(time.perf_counter() - started)
