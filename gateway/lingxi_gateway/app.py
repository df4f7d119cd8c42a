"""Assemble the gateway application from its parts.

``create_app`` holds no module-level state: everything the app needs lives on ``app.state.gateway``,
so tests build as many independent apps as they like. Middleware order, outermost first:
request id (so every response and log line has one), access log, metrics, CORS, body limit (so an
oversized body is refused before anything reads it). FastAPI's native OpenTelemetry support wraps
them all: with the tracer provider installed by ``setup_telemetry`` each request gets a server span
continuing the caller's W3C trace context, which the gRPC client interceptors pass on to services.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from lingxi_gateway.access_log import AccessLogMiddleware
from lingxi_gateway.auth.api_keys import ApiKeyFileError, ApiKeyStore
from lingxi_gateway.auth.dev_issuer import DevIssuer
from lingxi_gateway.auth.jwt_verifier import TokenVerifier
from lingxi_gateway.auth.keys import SigningKeys, VerificationKey, key_from_pem
from lingxi_gateway.body_limit import BodyLimitMiddleware
from lingxi_gateway.errors import install_error_handlers
from lingxi_gateway.lifespan import lifespan
from lingxi_gateway.metrics import HttpMetrics, MetricsMiddleware
from lingxi_gateway.nats_link import NatsLink
from lingxi_gateway.openapi import install_openapi
from lingxi_gateway.ratelimit import TokenBucketLimiter
from lingxi_gateway.readiness import ReadinessProbe
from lingxi_gateway.request_id import REQUEST_ID_HEADER, RequestIdMiddleware
from lingxi_gateway.routers import all_routers, system
from lingxi_gateway.settings import GatewaySettings
from lingxi_gateway.state import GatewayState
from lingxi_gateway.upstream import ClientTLS, Upstreams

DESCRIPTION = """\
REST API of Lingxi (灵犀), the marketing-operations platform, for apps, the web console and partners.

Authenticate with `Authorization: Bearer <JWT>` (people) or `X-API-Key` (partners). Every error is
`application/problem+json` (RFC 9457) and carries the `request_id` also returned in `X-Request-ID`.
"""


class GatewayConfigError(ValueError):
    """A setting is unusable; ``variable`` names the environment variable to fix."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(f"{variable}: {message}")
        self.variable = variable


def _package_version() -> str:
    try:
        return version("lingxi")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0.0.0"


def _dev_issuer(settings: GatewaySettings) -> DevIssuer | None:
    if not settings.dev_issuer_enabled:
        return None
    try:
        return DevIssuer.from_settings(settings)
    except (OSError, ValueError) as error:
        raise GatewayConfigError("LINGXI_DEV_ISSUER_KEY_PATH", str(error)) from error


def _verifier(settings: GatewaySettings, dev_issuer: DevIssuer | None) -> TokenVerifier:
    static: list[VerificationKey] = []
    if dev_issuer is not None:
        static.append(VerificationKey(key=dev_issuer.public_key, algorithm="RS256", kid=dev_issuer.kid))
    if settings.jwt_public_key_pem:
        static.append(key_from_pem(settings.jwt_public_key_pem))
    try:
        keys = SigningKeys(
            static, jwks_url=settings.jwt_jwks_url, jwks_cache_seconds=settings.jwt_jwks_cache_seconds
        )
    except ValueError as error:
        raise GatewayConfigError("LINGXI_JWT_JWKS_URL", str(error)) from error
    return TokenVerifier(
        keys,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        leeway_seconds=settings.jwt_leeway_seconds,
    )


def build_state(settings: GatewaySettings) -> GatewayState:
    """Create every component from settings; raises GatewayConfigError naming a bad variable."""
    dev_issuer = _dev_issuer(settings)
    try:
        api_keys = ApiKeyStore.from_file(settings.api_keys_file)
    except ApiKeyFileError as error:
        raise GatewayConfigError("LINGXI_API_KEYS_FILE", str(error)) from error
    upstreams = Upstreams(
        settings.upstream_addresses,
        service_token=settings.service_token,
        default_timeout=settings.upstream_timeout_seconds,
        tls=ClientTLS(
            ca_file=settings.upstream_tls_ca_file,
            cert_file=settings.upstream_tls_cert_file,
            key_file=settings.upstream_tls_key_file,
        ),
    )
    nats = NatsLink(settings.nats_servers)
    return GatewayState(
        settings=settings,
        verifier=_verifier(settings, dev_issuer),
        api_keys=api_keys,
        limiter=TokenBucketLimiter(max_buckets=settings.rate_limit_max_buckets),
        upstreams=upstreams,
        nats=nats,
        readiness=ReadinessProbe(
            upstreams,
            nats,
            timeout_seconds=settings.readiness_timeout_seconds,
            cache_seconds=settings.readiness_cache_seconds,
        ),
        metrics=HttpMetrics(),
        dev_issuer=dev_issuer,
    )


def _middleware(state: GatewayState) -> list[Middleware]:
    settings = state.settings
    stack = [
        Middleware(RequestIdMiddleware),
        Middleware(AccessLogMiddleware, quiet_paths=system.HEALTH_PATHS),
        Middleware(MetricsMiddleware, metrics=state.metrics),
    ]
    if settings.cors_origins:
        stack.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                allow_headers=["Authorization", "Content-Type", "X-API-Key", REQUEST_ID_HEADER],
                expose_headers=[REQUEST_ID_HEADER, "Retry-After"],
                max_age=600,
            )
        )
    stack.append(
        Middleware(
            BodyLimitMiddleware,
            max_body_bytes=settings.max_body_bytes,
            ingest_max_body_bytes=settings.ingest_max_body_bytes,
        )
    )
    return stack


def _exclude_from_tracing(scope: MutableMapping[str, Any]) -> bool:
    """Probes and scrapes every few seconds would drown real traces."""
    return scope.get("path") in system.HEALTH_PATHS


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    """The gateway ASGI application for ``settings`` (read from the environment when omitted)."""
    settings = settings or GatewaySettings()
    state = build_state(settings)
    app = FastAPI(
        title="Lingxi API",
        version=_package_version(),
        description=DESCRIPTION,
        lifespan=lifespan,
        middleware=_middleware(state),
        telemetry={
            "auto_configure": False,  # lingxi_common.telemetry owns exporters
            "logs": False,  # errors are logged by our handlers, PII-masked, with the request id
            "operation_spans": settings.otel_operation_spans,
            "exclude": _exclude_from_tracing,
        },
    )
    app.state.gateway = state
    install_error_handlers(app)
    for router in all_routers():
        app.include_router(router)
    install_openapi(app)
    return app
