"""FastAPI dependencies that authenticate the request and enforce role, scope and rate limits.

Routes declare what they need in their signature::

    @router.get("/things")
    async def things(caller: CurrentCaller) -> ...
    async def approve(caller: Annotated[Caller, Depends(require_roles(Role.COMPLIANCE))]) -> ...

Authentication runs once per request (FastAPI caches dependency results), so stacking these never
charges the rate limit twice. Failed attempts are charged to the client's IP bucket, which slows
down anyone guessing keys or tokens without affecting authenticated users.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Literal

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from lingxi_common.identity import Caller, Role
from lingxi_gateway.auth.errors import forbidden, issuer_unavailable, unauthorized
from lingxi_gateway.auth.jwt_verifier import TokenRejected
from lingxi_gateway.auth.keys import KeySourceUnavailableError
from lingxi_gateway.problems import ProblemError
from lingxi_gateway.ratelimit import Decision
from lingxi_gateway.state import GatewayState, gateway_state

API_KEY_HEADER = "X-API-Key"

_bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearerAuth",
    description="JWT from the OIDC provider (in development: `lingxi token --role ROLE`)",
)
_api_key_scheme = APIKeyHeader(
    name=API_KEY_HEADER, auto_error=False, scheme_name="apiKey", description="Partner API key"
)


@dataclass(frozen=True)
class Principal:
    """Who authenticated, and how; ``caller`` is what travels to the services."""

    caller: Caller
    method: Literal["bearer", "api_key"]
    key_id: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    expires_at: datetime | None = None
    rate_limit_per_minute: int | None = None  # an API key's own limit


def client_ip(request: Request) -> str:
    """The client's address (uvicorn resolves X-Forwarded-For from trusted proxies only)."""
    return request.client.host if request.client is not None else "unknown"


def too_many_requests(decision: Decision) -> ProblemError:
    return ProblemError(
        429,
        f"rate limit of {decision.limit_per_minute} requests per minute exceeded; "
        f"retry in {decision.retry_after_seconds} s",
        headers={"Retry-After": str(decision.retry_after_seconds)},
        extra={"retry_after": decision.retry_after_seconds},
    )


def _charge(state: GatewayState, kind: str, key: str, limit_per_minute: int) -> None:
    decision = state.limiter.hit(f"{kind}:{key}", limit_per_minute)
    if not decision.allowed:
        state.metrics.rate_limited.labels(kind=kind).inc()
        raise too_many_requests(decision)


def charge_client_ip(request: Request) -> None:
    """Take one token from the client IP's anonymous bucket, or raise 429."""
    state = gateway_state(request)
    _charge(state, "ip", client_ip(request), state.settings.anonymous_rate_limit_per_minute)


async def _identify(
    state: GatewayState,
    request: Request,
    bearer: HTTPAuthorizationCredentials | None,
    api_key: str | None,
) -> Principal:
    if bearer is not None and api_key is not None:
        raise unauthorized("send either a bearer token or an API key, not both")
    if api_key is not None:
        record = state.api_keys.lookup(api_key)
        if record is None:
            raise unauthorized("the API key is not valid")
        caller = Caller(subject=f"partner:{record.partner_id}", role=Role.PARTNER)
        return Principal(
            caller=caller,
            method="api_key",
            key_id=record.key_id,
            scopes=record.scopes,
            rate_limit_per_minute=record.rate_limit_per_minute,
        )
    if bearer is not None:
        try:
            verified = await state.verifier.verify(bearer.credentials)
        except TokenRejected as error:
            raise unauthorized(str(error)) from error
        except KeySourceUnavailableError as error:
            raise issuer_unavailable(str(error)) from error
        return Principal(caller=verified.caller, method="bearer", expires_at=verified.expires_at)
    if request.headers.get("authorization") is not None:
        raise unauthorized("the Authorization header must be 'Bearer <token>'")
    raise unauthorized(
        f"authentication required: a bearer token or an {API_KEY_HEADER} header", invalid_token=False
    )


async def authenticate(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer_scheme)],
    api_key: Annotated[str | None, Security(_api_key_scheme)],
) -> Principal:
    """Authenticate by bearer token or API key, then charge the principal's rate limit."""
    state = gateway_state(request)
    try:
        principal = await _identify(state, request, bearer, api_key)
    except ProblemError as error:
        if error.status == 401:
            charge_client_ip(request)  # a 429 here replaces the 401
        raise
    if principal.method == "api_key":
        limit = principal.rate_limit_per_minute or state.settings.partner_rate_limit_per_minute
        _charge(state, "api_key", principal.key_id or "", limit)
    else:
        _charge(state, "subject", principal.caller.subject, state.settings.rate_limit_per_minute)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


async def current_caller(principal: CurrentPrincipal) -> Caller:
    return principal.caller


CurrentCaller = Annotated[Caller, Depends(current_caller)]


def require_roles(*roles: Role) -> Callable[[Caller], Awaitable[Caller]]:
    """Dependency factory: the caller, if their role is one of ``roles``; else 403."""
    if not roles:
        raise ValueError("require_roles needs at least one role")
    allowed = frozenset(roles)

    async def dependency(caller: CurrentCaller) -> Caller:
        if caller.role not in allowed:
            names = ", ".join(sorted(role.value for role in allowed))
            raise forbidden(f"role {caller.role.value!r} may not do this (allowed: {names})")
        return caller

    return dependency


def require_scopes(*scopes: str) -> Callable[[Principal], Awaitable[Principal]]:
    """Dependency factory for partner routes: the API key must carry every scope in ``scopes``."""
    needed = frozenset(scopes)

    async def dependency(principal: CurrentPrincipal) -> Principal:
        missing = needed - principal.scopes
        if missing:
            raise forbidden(f"the credentials lack the scope(s): {', '.join(sorted(missing))}")
        return principal

    return dependency


async def limit_anonymous(request: Request) -> None:
    """Dependency for routes that need no credentials: a per-client-IP rate limit."""
    charge_client_ip(request)


AnonymousRateLimit = Depends(limit_anonymous)
