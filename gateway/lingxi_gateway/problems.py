"""RFC 9457 problem details: the one shape every failure of the gateway takes.

Apps, the console and partners parse a single error format whatever went wrong — a bad token, an
oversized body, a service that timed out — and every problem carries the request id, so a user's
screenshot is enough for support to find the logs and the trace.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response
from starlette.types import Scope, Send

from lingxi_gateway.request_id import REQUEST_ID_HEADER, request_id_from_scope

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:lingxi:problem:"

# The problem type of each status when a handler names none; documented in docs/api.md.
_DEFAULT_SLUGS: dict[int, str] = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "rate-limited",
    500: "internal-error",
    502: "bad-gateway",
    503: "service-unavailable",
    504: "gateway-timeout",
}


class FieldError(BaseModel):
    """One invalid input: where it is and what is wrong with it (never its value, which may be PII)."""

    field: str = Field(description="Dotted path of the field, e.g. `items.0.name`")
    location: str | None = Field(default=None, description="body, query, path, header or cookie")
    message: str
    code: str | None = Field(default=None, description="Machine-readable reason, e.g. `missing`")


class Problem(BaseModel):
    """The body of every error response (`application/problem+json`)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="URI identifying the kind of problem, e.g. `urn:lingxi:problem:not-found`")
    title: str = Field(description="Short summary of the kind of problem")
    status: int = Field(description="HTTP status code")
    detail: str | None = Field(default=None, description="What went wrong with this request")
    instance: str | None = Field(default=None, description="Path of the request that failed")
    request_id: str | None = Field(default=None, description="Echoed in the X-Request-ID header and the logs")
    errors: list[FieldError] | None = Field(default=None, description="Invalid fields (400 and 422)")


class ProblemError(Exception):
    """Raise from anywhere in a request to answer with a problem; the handler renders it."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        slug: str | None = None,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        errors: Sequence[FieldError] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or HTTPStatus(status).phrase)
        self.status = status
        self.detail = detail
        self.slug = slug
        self.title = title
        self.headers = dict(headers or {})
        self.errors = list(errors) if errors is not None else None
        self.extra = dict(extra or {})


def problem_body(
    status: int,
    *,
    detail: str | None = None,
    slug: str | None = None,
    title: str | None = None,
    instance: str | None = None,
    request_id: str | None = None,
    errors: Sequence[FieldError] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the JSON object of a problem, leaving out members that have no value."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + (slug or _DEFAULT_SLUGS.get(status, "error")),
        "title": title or phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if request_id:
        body["request_id"] = request_id
    if errors is not None:
        body["errors"] = [error.model_dump(exclude_none=True) for error in errors]
    for key, value in (extra or {}).items():
        body.setdefault(key, value)
    return body


def _instance(scope: Scope) -> str:
    return str(scope.get("root_path", "")) + str(scope.get("path", ""))


def problem_response(
    scope: Scope,
    status: int,
    *,
    detail: str | None = None,
    slug: str | None = None,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    errors: Sequence[FieldError] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """A complete problem response for the request described by ``scope``.

    The request id header is set here as well as by the middleware, because a 500 is sent by
    Starlette's outermost error middleware, outside the middleware that would otherwise add it.
    """
    request_id = request_id_from_scope(scope)
    body = problem_body(
        status,
        detail=detail,
        slug=slug,
        title=title,
        instance=_instance(scope),
        request_id=request_id,
        errors=errors,
        extra=extra,
    )
    all_headers = dict(headers or {})
    if request_id:
        all_headers[REQUEST_ID_HEADER] = request_id
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(content, status_code=status, headers=all_headers, media_type=PROBLEM_CONTENT_TYPE)


def response_for(scope: Scope, error: ProblemError) -> Response:
    """Render a raised :class:`ProblemError`."""
    return problem_response(
        scope,
        error.status,
        detail=error.detail,
        slug=error.slug,
        title=error.title,
        headers=error.headers,
        errors=error.errors,
        extra=error.extra,
    )


async def send_problem(
    scope: Scope, send: Send, status: int, *, detail: str, slug: str | None = None
) -> None:
    """Answer from inside a pure ASGI middleware, before the application has run."""
    response = problem_response(scope, status, detail=detail, slug=slug)
    await response(scope, _no_receive, send)


async def _no_receive() -> dict[str, Any]:
    """A plain Response never reads the request; ASGI still wants a callable."""
    return {"type": "http.disconnect"}
