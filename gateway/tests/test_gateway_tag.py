"""The tag service behind the gateway, end to end: real SDK traffic on /v1/batch and /sa changes a
customer's tags, visible in customer 360 and in audience counts; audience and tag REST errors."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from gateway_testkit import free_port

from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import running_service
from lingxi_gateway.app import create_app
from lingxi_gateway.auth.dev_issuer import issue_token
from lingxi_gateway.routers.ingest import IngestRuntime
from lingxi_gateway.routers.ingest_sources import IngestSettings, SourceRegistry
from lingxi_gateway.settings import GatewaySettings
from lingxi_tag.main import DEFINITION as TAG

pytestmark = pytest.mark.integration

WRITE_KEY = "e2e-write-key-000"
RUDDER_KEY = "e2e-rudder-key-000"
SOURCES = json.dumps(
    [
        {"source_id": "app", "kind": "segment", "write_key": WRITE_KEY},
        {"source_id": "sa", "kind": "sensors", "project": "default"},
        {"source_id": "android", "kind": "rudderstack", "write_key": RUDDER_KEY},
    ]
)


class Stack:
    def __init__(
        self, url: str, headers: dict[str, str], manager: dict[str, str], tag: ServiceRunner
    ) -> None:
        self.url = url
        self.headers = headers
        self.manager = manager
        self.tag = tag


@pytest.fixture
async def stack(database_url: str, restartable_nats: Any, tmp_path: Path) -> AsyncIterator[Stack]:
    async with running_service(TAG, database_url=database_url, nats_url=restartable_nats.url) as tag:
        settings = GatewaySettings(
            environment="test",
            dev_issuer_key_path=tmp_path / "issuer.pem",
            nats_url=restartable_nats.url,
            tag_addr=tag.address,
        )
        app = create_app(settings)
        app.state.lingxi_ingest = IngestRuntime(
            registry=SourceRegistry.parse(SOURCES, production=False), settings=IngestSettings()
        )
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1)
        )
        task = asyncio.create_task(server.serve())
        deadline = time.monotonic() + 15
        while not (server.started and app.state.gateway.nats.connected and tag.context.settings):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        hq = {"Authorization": f"Bearer {issue_token(settings, role='hq_operator', subject='ops-1')}"}
        manager = {
            "Authorization": "Bearer "
            + issue_token(settings, role="branch_manager", subject="bm-1", branch_id="B02")
        }
        try:
            yield Stack(f"http://127.0.0.1:{port}", hq, manager, tag)
        finally:
            server.should_exit = True
            await task


async def _eventually(check: Any, what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out: {what}"
        await asyncio.sleep(0.05)


async def test_sdk_events_change_tags_visible_in_360_and_audiences(stack: Stack) -> None:
    import sensorsanalytics
    from rudderstack.analytics import Client as RudderClient
    from segment.analytics import Client

    async with httpx.AsyncClient(base_url=stack.url, headers=stack.headers, timeout=20) as client:
        for customer_id, branch in (("C1", "B01"), ("C2", "B02"), ("C3", "B01")):
            created = await client.post(
                "/api/v1/customers",
                json={"customer_id": customer_id, "branch_id": branch, "risk_level": "C3"},
            )
            assert created.status_code == 201, created.text

        async def library_ready() -> bool:
            listed = await client.get("/api/v1/tags", params={"query": "live_stream_fan"})
            return listed.status_code == 200 and bool(listed.json()["definitions"])

        await _eventually(library_ready, "built-in library")

        errors: list[Any] = []

        def send() -> None:
            # C1 through Segment: a device watches twice, then logs in (alias) — stitched afterwards.
            segment = Client(
                WRITE_KEY, host=stack.url, sync_mode=True, on_error=lambda e, b: errors.append(e)
            )
            segment.track(
                anonymous_id="dev-C1", event="WatchLiveStream", properties={"duration_seconds": 180}
            )
            segment.track(
                anonymous_id="dev-C1", event="WatchLiveStream", properties={"duration_seconds": 240}
            )
            segment.alias("dev-C1", "C1")
            segment.flush()
            # C2 through Sensors Analytics with a login id.
            sa = sensorsanalytics.SensorsAnalytics(
                sensorsanalytics.DefaultConsumer(f"{stack.url}/sa?project=default")
            )
            for seconds in (130, 400):
                sa.track("C2", "WatchLiveStream", {"duration_seconds": seconds}, is_login_id=True)
            sa.close()
            # C3 through RudderStack, logged in.
            rudder = RudderClient(
                RUDDER_KEY, host=stack.url, sync_mode=True, on_error=lambda e, b: errors.append(e)
            )
            for seconds in (125, 300):
                rudder.track("C3", "WatchLiveStream", {"duration_seconds": seconds})
            rudder.flush()

        started = time.monotonic()
        await asyncio.to_thread(send)
        assert errors == []

        async def fans() -> bool:
            estimate = await client.post(
                "/api/v1/audiences/estimate", json={"expression": "live_stream_fan", "breakdowns": ["branch"]}
            )
            assert estimate.status_code == 200, estimate.text
            return estimate.json()["count"] == 3

        await _eventually(fans, "the three SDKs' customers become live-stream fans")
        assert time.monotonic() - started < 20
        profile = await client.get("/api/v1/customers/C1")
        assert profile.status_code == 200, profile.text
        body = profile.json()
        assert {tag["tag_code"] for tag in body["tags"]} >= {"live_stream_fan", "risk_level"}
        assert any(entry["name"] == "WatchLiveStream" for entry in body["recent_timeline"])
        assert body["identities"] and body["identities"][0]["source_id"] == "app"
        basic = await client.get("/api/v1/customers/C1", params={"view": "basic"})
        assert set(basic.json()) == {"customer"}

        scoped = await client.post(
            "/api/v1/audiences/estimate",
            json={"expression": "live_stream_fan", "breakdowns": ["branch"]},
            headers=stack.manager,
        )
        assert scoped.json()["count"] == 1 and scoped.json()["breakdowns"]["branch"] == [
            {"key": "B02", "count": 1}
        ]

        snapshot = await client.post(
            "/api/v1/audiences/snapshots", json={"name": "fans", "expression": "live_stream_fan"}
        )
        assert snapshot.status_code == 201, snapshot.text
        snapshot_id = snapshot.json()["snapshot"]["snapshot_id"]
        read = await client.get(f"/api/v1/audiences/snapshots/{snapshot_id}")
        assert read.json()["snapshot"]["count"] == "3"  # int64 is a string in proto JSON
        members = await client.get(f"/api/v1/audiences/snapshots/{snapshot_id}/members")
        assert sorted(members.json()["customer_ids"]) == ["C1", "C2", "C3"]

        touch = await client.post(
            "/api/v1/customers/C1/touches",
            json={
                "touch_id": "visit-1",
                "kind": "BRANCH_VISIT",
                "result": "INTENT",
                "occurred_at": "2026-11-20T10:00:00+08:00",
            },
        )
        assert touch.status_code == 200 and touch.json()["duplicate"] is False
        timeline = await client.get("/api/v1/customers/C1/timeline", params={"page_size": 100})
        assert any(entry["name"] == "offline_touch" for entry in timeline.json()["entries"])


async def test_audience_and_tag_errors_are_problems(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.url, headers=stack.headers, timeout=20) as client:

        async def library_ready() -> bool:
            return (await client.get("/api/v1/tags/asset_tier")).status_code == 200

        await _eventually(library_ready, "built-in library")
        bad = await client.post("/api/v1/audiences/estimate", json={"expression": "asset_tier in ["})
        assert bad.status_code == 400 and "line 1, column" in bad.json()["detail"]
        unknown = await client.post("/api/v1/audiences/estimate", json={"expression": "dormant && nope_tag"})
        assert unknown.status_code == 404 and "nope_tag" in unknown.json()["detail"]
        missing = await client.get("/api/v1/audiences/snapshots/aud_missing")
        assert missing.status_code == 404
        rule = await client.post(
            "/api/v1/tags",
            json={
                "code": "x_tag",
                "display_name": "x",
                "category_code": "assets",
                "rule": "customer.total_assets >",
            },
        )
        assert rule.status_code == 400 and "column" in rule.json()["detail"]
        created = await client.post(
            "/api/v1/tags",
            json={
                "code": "x_tag",
                "display_name": "x",
                "category_code": "assets",
                "rule": "customer.total_assets > 1.0",
            },
        )
        assert created.status_code == 201, created.text
        preview = await client.post("/api/v1/tags/x_tag/preview")
        assert preview.status_code == 200 and preview.json()["count"] == "0"
        forbidden = await client.post("/api/v1/tags/x_tag/activate", headers=stack.manager)
        assert forbidden.status_code == 403
        activated = await client.post("/api/v1/tags/x_tag/activate")
        assert (
            activated.status_code == 200 and activated.json()["definition"]["status"] == "TAG_STATUS_ACTIVE"
        )
        no_tag = await client.get("/api/v1/tags/nothing_here")
        assert no_tag.status_code == 404
