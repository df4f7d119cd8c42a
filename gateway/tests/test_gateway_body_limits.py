"""Body limits: ingestion paths take larger SDK batches and refuse in the SDKs' own error shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI


async def _post(app: FastAPI, path: str, size: int) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        return await client.post(path, content=b"x" * size, headers={"content-type": "application/json"})


async def test_ingest_paths_have_their_own_limit_and_sdk_error_shape(build_app: Callable[..., Any]) -> None:
    app = build_app(max_body_bytes=1_000, ingest_max_body_bytes=5_000)

    within_ingest_limit = await _post(app, "/v1/batch", 2_000)
    assert within_ingest_limit.status_code != 413  # refused for other reasons (no write key), not size

    too_big_batch = await _post(app, "/v1/batch", 6_000)
    assert too_big_batch.status_code == 413
    assert too_big_batch.headers["content-type"] == "application/json"
    assert too_big_batch.json()["code"] == "payload_too_large" and "5000" in too_big_batch.json()["message"]

    too_big_sa = await _post(app, "/sa?project=default", 6_000)
    assert too_big_sa.status_code == 413 and set(too_big_sa.json()) == {"code", "message"}

    elsewhere = await _post(app, "/api/v1/customers", 2_000)
    assert elsewhere.status_code == 413
    assert elsewhere.headers["content-type"].startswith("application/problem+json")
