"""Refuse request bodies above a size limit before the application buffers them.

FastAPI reads a whole body into memory before validating it, so the limit must be enforced below it:
a declared Content-Length over the limit is refused without reading anything, and a body without one
(chunked) is counted as it streams and cut off at the limit. The app's own reaction to the cut-off
(FastAPI turns it into a 400) is swallowed so the client sees the true cause, a 413.

Analytics SDK ingestion paths get their own, larger limit (RudderStack batches reach 4 MB) and
their refusal in the SDKs' own shape, ``{"code", "message"}``: RudderStack retries a 4xx that
lacks either key, which would resend the oversized batch forever.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lingxi_gateway.problems import send_problem


class _BodyTooLarge(Exception):
    """Raised from ``receive`` to stop the application reading further."""


INGEST_PATH_PREFIXES: tuple[str, ...] = ("/sa", "/debug", "/v1/")


def is_ingest_path(path: str) -> bool:
    return path.startswith(INGEST_PATH_PREFIXES) and not path.startswith("/v1/api")


class BodyLimitMiddleware:
    """Pure ASGI middleware answering 413 for bodies over the limit of their path."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, ingest_max_body_bytes: int | None = None) -> None:
        self.app = app
        self.default_max_body_bytes = max_body_bytes
        self.ingest_max_body_bytes = ingest_max_body_bytes or max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ingest = is_ingest_path(scope.get("path", ""))
        limit = self.ingest_max_body_bytes if ingest else self.default_max_body_bytes
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await send_problem(scope, send, 400, detail="Content-Length is not a number")
                return
            if int(declared) > limit:
                await self._refuse(scope, send, limit, ingest)
                return

        received = 0
        too_large = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if too_large and not response_started:
                return  # the app is reacting to the cut-off body; the 413 below replaces it
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not too_large:
                raise
        if too_large and not response_started:
            await self._refuse(scope, send, limit, ingest)

    async def _refuse(self, scope: Scope, send: Send, limit: int, ingest: bool) -> None:
        detail = f"request body exceeds the limit of {limit} bytes"
        if not ingest:
            await send_problem(scope, send, 413, detail=detail)
            return
        body = json.dumps({"code": "payload_too_large", "message": detail}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
