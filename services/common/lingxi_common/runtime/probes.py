"""Readiness probes `lingxi up` uses to gate the start of the next deployable.

They ask the same questions Kubernetes asks in production — gRPC `grpc.health.v1` for services,
`GET /readyz` for the gateway — so "healthy" means the same thing on a laptop and in a cluster.
Each probe returns a bool and never raises; it is called every few hundred milliseconds.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc


def grpc_health_probe(host: str, port: int, service: str = "", timeout: float = 1.0) -> Callable[[], bool]:
    """A probe that is True when the server's health status for `service` is SERVING.

    The empty service name is the server's overall status, which Lingxi services tie to the
    reachability of PostgreSQL and NATS.
    """
    target = f"{host}:{port}"

    def probe() -> bool:
        try:
            with grpc.insecure_channel(target) as channel:
                stub = health_pb2_grpc.HealthStub(channel)
                reply = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=timeout)
        except grpc.RpcError:
            return False
        return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)

    return probe


def http_probe(url: str, timeout: float = 1.0) -> Callable[[], bool]:
    """A probe that is True when GET `url` answers 200."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {url}")

    def probe() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - scheme checked above
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError, ValueError):
            return False

    return probe
