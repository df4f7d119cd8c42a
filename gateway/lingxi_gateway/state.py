"""The gateway's per-application state, kept on ``app.state.gateway``.

One typed object instead of loose ``app.state`` attributes: dependencies get type-checked access,
and two apps in one process (tests) never share anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection

if TYPE_CHECKING:
    from lingxi_gateway.auth.api_keys import ApiKeyStore
    from lingxi_gateway.auth.dev_issuer import DevIssuer
    from lingxi_gateway.auth.jwt_verifier import TokenVerifier
    from lingxi_gateway.metrics import HttpMetrics
    from lingxi_gateway.nats_link import NatsLink
    from lingxi_gateway.ratelimit import TokenBucketLimiter
    from lingxi_gateway.readiness import ReadinessProbe
    from lingxi_gateway.settings import GatewaySettings
    from lingxi_gateway.upstream import Upstreams


@dataclass
class GatewayState:
    settings: GatewaySettings
    verifier: TokenVerifier
    api_keys: ApiKeyStore
    limiter: TokenBucketLimiter
    upstreams: Upstreams
    nats: NatsLink
    readiness: ReadinessProbe
    metrics: HttpMetrics
    dev_issuer: DevIssuer | None


def gateway_state(connection: HTTPConnection) -> GatewayState:
    """The state of the app serving this request."""
    state = connection.app.state.gateway
    assert isinstance(state, GatewayState)
    return state
