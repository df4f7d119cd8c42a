"""Request ids: one id per request, from the client's header when it is sane, else a new one.

The id is returned on every response, written into problem bodies and log records, and forwarded to
services in gRPC metadata, so one id ties a user's report to every log line it caused. A client-chosen
id is only honoured when it is a short token: anything else could inject text into logs or headers.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from opentelemetry import trace
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")
_SCOPE_KEY = "request_id"

# The current request's id, for log records and outgoing gRPC calls made while handling it.
current_request_id: ContextVar[str | None] = ContextVar("lingxi_request_id", default=None)


def is_sane_request_id(value: str) -> bool:
    """Whether a client-supplied id is safe to reuse (1–128 chars of letters, digits, ``._:-``)."""
    return bool(_SANE_REQUEST_ID.fullmatch(value))


def new_request_id() -> str:
    return str(uuid.uuid4())


def request_id_from_scope(scope: Scope) -> str | None:
    """The id assigned to this request by :class:`RequestIdMiddleware`, if it ran."""
    state = scope.get("state")
    if isinstance(state, dict):
        value = state.get(_SCOPE_KEY)
        return value if isinstance(value, str) else None
    return None


class RequestIdMiddleware:
    """Pure ASGI middleware: assign the id, expose it to the app, stamp it on the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get(REQUEST_ID_HEADER)
        request_id = incoming if incoming is not None and is_sane_request_id(incoming) else new_request_id()
        # scope["state"] backs request.state, so handlers read it as request.state.request_id.
        scope.setdefault("state", {})[_SCOPE_KEY] = request_id
        span = trace.get_current_span()
        if span.is_recording():
            span.set_attribute("lingxi.request_id", request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        token = current_request_id.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current_request_id.reset(token)
