"""Operational endpoints: liveness, readiness, Prometheus metrics and the dev issuer's JWKS.

They need no credentials: probes and scrapers cannot hold tokens, and nothing here reveals data.
In production, keep /metrics off the public ingress (the Helm chart's NetworkPolicy does).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel
from starlette.responses import Response

from lingxi_gateway.auth.dependencies import AnonymousRateLimit
from lingxi_gateway.problems import problem_response
from lingxi_gateway.state import gateway_state

router = APIRouter(tags=["system"])

HEALTH_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    checks: dict[str, str]


@router.get("/healthz", summary="Liveness: the process is up (checks no dependency)")
async def healthz() -> Liveness:
    return Liveness()


@router.get(
    "/readyz",
    summary="Readiness: NATS connected and every service SERVING",
    responses={
        200: {"model": Readiness, "description": "Every dependency is serving"},
        503: {"description": "A dependency is down; `unavailable` names it"},
    },
)
async def readyz(request: Request) -> Response:
    report = await gateway_state(request).readiness.report()
    if report.ready:
        return JSONResponse(Readiness(checks=report.checks).model_dump())
    return problem_response(
        request.scope,
        503,
        slug="not-ready",
        title="Not ready",
        detail="unavailable: " + ", ".join(report.unavailable),
        extra={"unavailable": report.unavailable, "checks": report.checks},
    )


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text exposition"}},
)
async def metrics(request: Request) -> Response:
    return Response(gateway_state(request).metrics.render(), media_type=CONTENT_TYPE_LATEST)


@router.get(
    "/.well-known/jwks.json",
    summary="Public keys of the development token issuer (absent in production)",
    dependencies=[AnonymousRateLimit],
)
async def jwks(request: Request) -> Response:
    issuer = gateway_state(request).dev_issuer
    if issuer is None:
        return problem_response(request.scope, 404, detail="the development issuer is disabled")
    body: dict[str, Any] = issuer.jwks()
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=300"})
