"""One structured log line per request: method, route, status, duration, caller and request id.

Uvicorn's own access log is turned off (it is plain text and knows neither the route template nor
the caller); this line goes through the shared JSON formatter with the request id attached.
Only the path is logged, never the query string, which may carry personal data.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lingxi_gateway.metrics import route_template

logger = logging.getLogger("lingxi_gateway.access")


class AccessLogMiddleware:
    """Pure ASGI middleware writing the access log line after the response is sent."""

    def __init__(self, app: ASGIApp, quiet_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        # Probe and scrape endpoints are hit every few seconds; their successes are not news.
        self.quiet_paths = quiet_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            if status >= 400 or scope.get("path") not in self.quiet_paths:
                self._log(scope, status, time.perf_counter() - started)

    @staticmethod
    def _log(scope: Scope, status: int, seconds: float) -> None:
        state = scope.get("state") or {}
        principal = state.get("principal") if isinstance(state, dict) else None
        caller = getattr(principal, "caller", None)
        logger.info(
            "%s %s %d",
            scope.get("method"),
            scope.get("path"),
            status,
            extra={
                "http_method": scope.get("method"),
                "http_route": route_template(scope),
                "http_status": status,
                "duration_ms": round(seconds * 1000, 2),
                "caller_subject": getattr(caller, "subject", None),
                "caller_role": getattr(getattr(caller, "role", None), "value", None),
            },
        )
