"""Exception handlers: every failure leaves the gateway as problem+json.

Handlers cover Starlette's HTTP errors (unknown routes, wrong methods), request validation, our own
:class:`ProblemError`, failed gRPC calls and finally anything unexpected, which becomes a bare 500:
the stack trace goes to the log under the request id, never to the client.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from lingxi_gateway.grpc_errors import problem_for_rpc_error
from lingxi_gateway.problems import FieldError, ProblemError, problem_response, response_for
from lingxi_gateway.request_id import current_request_id, request_id_from_scope
from lingxi_gateway.state import gateway_state

logger = logging.getLogger("lingxi_gateway.errors")

_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})


def field_errors(error: RequestValidationError) -> list[FieldError]:
    """Name each invalid field by location and dotted path; the rejected value is never echoed."""
    result = []
    for item in error.errors():
        loc = [str(part) for part in item.get("loc", ())]
        location = loc[0] if loc and loc[0] in _LOCATIONS else None
        path = loc[1:] if location else loc
        result.append(
            FieldError(
                field=".".join(path) or (location or "request"),
                location=location,
                message=str(item.get("msg", "invalid")),
                code=str(item["type"]) if item.get("type") else None,
            )
        )
    return result


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail: str | None = exc.detail if isinstance(exc.detail, str) else None
    if detail == HTTPStatus(status).phrase:
        detail = None
    if status == 404 and detail is None:
        detail = f"no resource at {request.url.path}"
    elif status == 405 and detail is None:
        allowed = (exc.headers or {}).get("Allow") or (exc.headers or {}).get("allow")
        detail = f"method {request.method} is not allowed here" + (
            f" (allowed: {allowed})" if allowed else ""
        )
    return problem_response(request.scope, status, detail=detail, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = field_errors(exc)
    names = ", ".join(sorted({error.field for error in errors}))
    return problem_response(
        request.scope, 422, detail=f"the request has invalid fields: {names}", errors=errors
    )


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError)
    return response_for(request.scope, exc)


async def _rpc_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, grpc.aio.AioRpcError)
    problem = problem_for_rpc_error(exc)
    log = logger.warning if problem.status >= 500 else logger.info
    log("upstream call failed: %s %s -> HTTP %d", exc.code().name, exc.details(), problem.status)
    gateway_state(request).metrics.upstream_errors.labels(code=exc.code().name).inc()
    return response_for(request.scope, problem)


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Starlette calls this from its outermost middleware, after the request-id context was left;
    # re-enter it so the log record carries the id the client is shown.
    token = current_request_id.set(request_id_from_scope(request.scope))
    try:
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    finally:
        current_request_id.reset(token)
    return problem_response(request.scope, 500, detail="an unexpected error occurred; quote the request id")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ProblemError, _problem)
    app.add_exception_handler(grpc.aio.AioRpcError, _rpc_error)
    app.add_exception_handler(Exception, _unexpected)
