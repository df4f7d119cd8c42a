"""The OpenAPI document, with problem+json declared for every error response.

FastAPI describes errors with its own 422 schema and knows nothing of the problems raised by
dependencies and middleware. This post-processing documents what clients really receive: each
operation lists the problem statuses it can answer with, all as ``application/problem+json``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from lingxi_gateway.problems import PROBLEM_CONTENT_TYPE, Problem

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_DESCRIPTIONS = {
    "400": "Malformed request",
    "401": "Missing, expired or invalid credentials (see WWW-Authenticate)",
    "403": "The caller's role or scope does not allow this",
    "404": "No such resource",
    "409": "Conflicts with the current state",
    "413": "Request body too large",
    "422": "Invalid fields; `errors` names each one",
    "429": "Rate limit exceeded; see Retry-After",
    "500": "Unexpected failure; quote the request id",
    "502": "An upstream service failed",
    "503": "A dependency is unavailable",
    "504": "An upstream service timed out",
}
_UNUSED_SCHEMAS = ("HTTPValidationError", "ValidationError")


def _problem_statuses(path: str, operation: dict[str, Any]) -> list[str]:
    statuses = ["500"]
    if operation.get("security"):
        statuses += ["401", "403", "429"]
    if "requestBody" in operation:
        statuses += ["413", "422"]
    elif operation.get("parameters"):
        statuses.append("422")
    if path.startswith("/api/"):
        statuses += ["502", "503", "504"]
    return statuses


def build_openapi(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(problem_schema.pop("$defs", {}))
    components["Problem"] = problem_schema
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status in _problem_statuses(path, operation):
                responses.setdefault(status, {"description": _DESCRIPTIONS[status]})
            for status, response in responses.items():
                if status[:1] in {"4", "5"}:
                    response["content"] = {PROBLEM_CONTENT_TYPE: {"schema": _PROBLEM_REF}}
                    response["description"] = response.get("description") or _DESCRIPTIONS.get(
                        status, "Problem"
                    )
    for name in _UNUSED_SCHEMAS:
        components.pop(name, None)
    return schema


def install_openapi(app: FastAPI) -> None:
    """Replace ``app.openapi`` with the problem-aware document (built once, then cached)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
