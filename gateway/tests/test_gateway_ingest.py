"""Event ingestion, driven by the real analytics SDKs against the gateway served by uvicorn.

The SDKs are synchronous (urllib / requests), so they run in a worker thread while the server runs
on the test's event loop. What was stored is read back from JetStream itself, never assumed.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import nats
import pytest
import uvicorn
from fastapi import FastAPI
from gateway_testkit import free_port
from nats.js import JetStreamContext

from lingxi.events.v1 import ingest_events_pb2 as pb
from lingxi_common.streams import load_declarations, provision
from lingxi_gateway.routers.ingest import BATCH_SUBJECT, IngestRuntime
from lingxi_gateway.routers.ingest_sources import IngestSettings, SourceRegistry

SEGMENT_KEY = "segment-write-key-1"
RUDDER_KEY = "rudder-write-key-22"
SOURCES = json.dumps(
    [
        {"source_id": "sa-main", "kind": "sensors", "project": "default"},
        {"source_id": "sa-wx", "kind": "sensors", "project": "wechat"},
        {"source_id": "ios-app", "kind": "segment", "write_key": SEGMENT_KEY},
        {"source_id": "android-app", "kind": "rudderstack", "write_key": RUDDER_KEY},
    ]
)


class Served:
    """The gateway on a loopback port plus a JetStream view of what it stored."""

    def __init__(self, url: str, js: JetStreamContext, runtime: IngestRuntime) -> None:
        self.url = url
        self.js = js
        self.runtime = runtime

    async def stored(self) -> list[pb.BehaviorBatch]:
        """Every batch on the ingest subject, oldest first."""
        info = await self.js.stream_info("INGEST")
        batches = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            if info.state.messages == 0:
                break
            raw = await self.js.get_msg("INGEST", seq)
            if raw.subject == BATCH_SUBJECT:
                batches.append(pb.BehaviorBatch.FromString(raw.data or b""))
        return batches

    async def events(self) -> list[pb.BehaviorEvent]:
        return [event for batch in await self.stored() for event in batch.events]


@pytest.fixture
async def served(build_app: Callable[..., FastAPI], restartable_nats: Any) -> AsyncIterator[Served]:
    connection = await nats.connect(restartable_nats.url)
    js = connection.jetstream()
    await provision(js, load_declarations())
    app = build_app(
        nats_url=restartable_nats.url, max_body_bytes=256 * 1024, ingest_max_body_bytes=256 * 1024
    )
    runtime = IngestRuntime(
        registry=SourceRegistry.parse(SOURCES, production=False),
        settings=IngestSettings(max_decoded_bytes=512 * 1024),
    )
    app.state.lingxi_ingest = runtime
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    deadline = time.monotonic() + 10
    while not (server.started and app.state.gateway.nats.connected):
        assert time.monotonic() < deadline, "gateway did not start"
        await asyncio.sleep(0.02)
    try:
        yield Served(f"http://127.0.0.1:{port}", js, runtime)
    finally:
        server.should_exit = True
        await task
        await connection.close()


def _sa_form(records: Any, *, many: bool, gzipped: bool = True) -> str:
    raw = json.dumps(records).encode()
    if gzipped:
        raw = gzip.compress(raw)
    field = "data_list" if many else "data"
    return urllib.parse.urlencode({field: base64.b64encode(raw).decode(), "gzip": int(gzipped)})


def _form_headers() -> dict[str, str]:
    return {"Content-Type": "application/x-www-form-urlencoded"}


# --- Sensors Analytics ------------------------------------------------------------------------


async def test_sensors_sdk_track_signup_and_profile_are_stored_normalised(served: Served) -> None:
    import sensorsanalytics

    def send() -> None:
        consumer = sensorsanalytics.DefaultConsumer(f"{served.url}/sa?project=default")
        sa = sensorsanalytics.SensorsAnalytics(consumer)
        sa.track(
            "device-1",
            "ViewStock",
            {"stock_code": "600519", "seen_at": "2026-11-20 09:30:09.5"},
            is_login_id=False,
        )
        sa.track_signup("cust-42", "device-1")
        sa.profile_set("cust-42", {"city": "Shanghai"}, is_login_id=True)
        sa.close()

    await asyncio.to_thread(send)
    batches = await served.stored()
    assert len(batches) == 3  # DefaultConsumer sends each record on its own
    assert {batch.source_id for batch in batches} == {"sa-main"}
    view, signup, profile = (batch.events[0] for batch in batches)
    assert view.type == pb.BEHAVIOR_TYPE_TRACK and view.event_name == "ViewStock"
    assert view.anonymous_id == "device-1" and view.user_id == ""
    assert view.properties["stock_code"] == "600519"
    assert view.properties["seen_at"] == "2026-11-20 09:30:09.005"  # not 500 ms
    assert view.library == "python" and view.meta.event_id and view.meta.producer == "gateway"
    assert signup.type == pb.BEHAVIOR_TYPE_ALIAS and signup.event_name == "$SignUp"
    assert (signup.user_id, signup.previous_id) == ("cust-42", "device-1")
    assert profile.type == pb.BEHAVIOR_TYPE_IDENTIFY and profile.user_id == "cust-42"
    assert profile.traits["city"] == "Shanghai" and profile.raw_type == "profile_set"


async def test_sensors_batch_consumer_sends_one_batch_stored_whole(served: Served) -> None:
    import sensorsanalytics

    def send() -> None:
        consumer = sensorsanalytics.BatchConsumer(f"{served.url}/sa?project=wechat", max_size=5)
        sa = sensorsanalytics.SensorsAnalytics(consumer)
        for n in range(5):
            sa.track(f"wx-{n}", "WatchLiveStream", {"duration_seconds": 100 + n}, is_login_id=True)
        sa.close()

    await asyncio.to_thread(send)
    batches = await served.stored()
    assert len(batches) == 1 and len(batches[0].events) == 5
    assert batches[0].source_id == "sa-wx" and batches[0].source_kind == pb.INGEST_SOURCE_KIND_SENSORS
    assert [event.user_id for event in batches[0].events] == [f"wx-{n}" for n in range(5)]
    assert len({event.meta.event_id for event in batches[0].events}) == 5


async def test_sensors_debug_dry_run_validates_and_stores_nothing(served: Served) -> None:
    import sensorsanalytics

    def send() -> None:
        consumer = sensorsanalytics.DebugConsumer(f"{served.url}/sa?project=default", write_data=False)
        sa = sensorsanalytics.SensorsAnalytics(consumer)
        sa.track("device-9", "Search", {"keyword": "ETF"})
        sa.close()

    await asyncio.to_thread(send)  # DebugConsumer raises on any status >= 300
    assert await served.stored() == []
    async with httpx.AsyncClient(base_url=served.url) as client:
        bad = await client.post(
            "/debug?project=default",
            content=_sa_form({"type": "track", "time": 1, "distinct_id": "d"}, many=False),
            headers={**_form_headers(), "Dry-Run": "true"},
        )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_request" and "event is required" in bad.json()["message"]


async def test_sensors_malformed_batch_is_refused_whole(served: Served) -> None:
    good = {
        "type": "track",
        "event": "Login",
        "time": 1_763_600_000_000,
        "distinct_id": "a",
        "properties": {},
    }
    cases = {
        "not base64": "data_list=%%%%&gzip=1",
        "not gzip": urllib.parse.urlencode({"data_list": base64.b64encode(b"[]").decode(), "gzip": 1}),
        "record not an object": _sa_form([good, 7], many=True),
        "unknown type": _sa_form([good, {**good, "type": "explode"}], many=True),
        "no distinct id": _sa_form([good, {**good, "distinct_id": None}], many=True),
        "signup without original id": _sa_form([good, {**good, "type": "track_signup"}], many=True),
        "time not a number": _sa_form([good, {**good, "time": "yesterday"}], many=True),
        "no data": "gzip=1",
    }
    async with httpx.AsyncClient(base_url=served.url) as client:
        for name, body in cases.items():
            response = await client.post("/sa?project=default", content=body, headers=_form_headers())
            assert response.status_code == 400, name
            assert set(response.json()) == {"code", "message"}, name
        plain = await client.post(
            "/sa", content=_sa_form([good], many=True, gzipped=False), headers=_form_headers()
        )
        assert plain.status_code == 200
    events = await served.events()
    assert len(events) == 1 and events[0].source_id == "sa-main"  # only the valid plain request


async def test_sensors_unknown_project_is_unauthorized(served: Served) -> None:
    record = {"type": "track", "event": "Login", "time": 1_763_600_000_000, "distinct_id": "a"}
    async with httpx.AsyncClient(base_url=served.url) as client:
        response = await client.post(
            "/sa?project=nope", content=_sa_form(record, many=False), headers=_form_headers()
        )
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    assert await served.stored() == []


# --- Segment / RudderStack --------------------------------------------------------------------


async def test_segment_sdk_messages_are_stored_with_the_source(served: Served) -> None:
    from segment.analytics import Client

    errors: list[Any] = []

    def send() -> None:
        client = Client(SEGMENT_KEY, host=served.url, sync_mode=True, on_error=lambda e, b: errors.append(e))
        client.identify("cust-7", {"risk_level": "C3"}, anonymous_id="anon-7")
        client.track("cust-7", "ViewProduct", {"product_id": "FUND001", "amount": 1000})
        client.page("cust-7", "fund", "FundDetail", {"url": "/f/1"})
        client.screen("cust-7", "market", "Quotes")
        client.alias("anon-7", "cust-7")
        client.flush()

    await asyncio.to_thread(send)
    assert errors == []
    events = await served.events()
    by_type = {event.raw_type: event for event in events}
    assert set(by_type) == {"identify", "track", "page", "screen", "alias"}
    assert all(
        event.source_id == "ios-app" and event.source_kind == pb.INGEST_SOURCE_KIND_SEGMENT
        for event in events
    )
    assert by_type["identify"].traits["risk_level"] == "C3" and by_type["identify"].anonymous_id == "anon-7"
    assert by_type["track"].event_name == "ViewProduct" and by_type["track"].properties["amount"] == 1000
    assert by_type["page"].event_name == "FundDetail" and by_type["page"].properties["category"] == "fund"
    assert (by_type["alias"].user_id, by_type["alias"].previous_id) == ("cust-7", "anon-7")
    assert by_type["track"].message_id and by_type["track"].library == "analytics-python"


async def test_rudderstack_sdk_gzipped_batch_is_stored_as_one_message(served: Served) -> None:
    from rudderstack.analytics import Client

    errors: list[Any] = []

    def send() -> None:
        client = Client(RUDDER_KEY, host=served.url, on_error=lambda e, b: errors.append(e), upload_size=10)
        for n in range(10):
            client.track(f"cust-{n}", "WatchLiveStream", {"duration_seconds": 150})
        client.identify("cust-0", {"city": "Beijing"})
        client.flush()
        client.join()

    await asyncio.to_thread(send)
    assert errors == []
    batches = await served.stored()
    assert sum(len(batch.events) for batch in batches) == 11
    assert all(batch.source_kind == pb.INGEST_SOURCE_KIND_RUDDERSTACK for batch in batches)
    assert any(len(batch.events) == 10 for batch in batches)
    identify = next(event for batch in batches for event in batch.events if event.raw_type == "identify")
    assert identify.traits["city"] == "Beijing"  # RudderStack sends them in context.traits


async def test_wrong_write_key_is_401_for_the_sdk(served: Served) -> None:
    from segment.analytics import Client
    from segment.analytics.request import APIError

    errors: list[Any] = []

    def send() -> None:
        client = Client(
            "not-a-real-key",
            host=served.url,
            sync_mode=True,
            max_retries=0,
            on_error=lambda e, b: errors.append(e),
        )
        try:
            client.track("cust-1", "Login")
            client.flush()
        except APIError as error:
            errors.append(error)

    await asyncio.to_thread(send)
    assert errors and isinstance(errors[0], APIError) and errors[0].status == 401
    assert errors[0].code == "unauthorized"
    async with httpx.AsyncClient(base_url=served.url) as client:
        no_key = await client.post("/v1/batch", json={"batch": []})
    assert no_key.status_code == 401 and set(no_key.json()) == {"code", "message"}
    assert await served.stored() == []


async def test_segment_malformed_batch_is_400_and_nothing_stored(served: Served) -> None:
    good = {
        "type": "track",
        "event": "Login",
        "userId": "c1",
        "messageId": "m1",
        "timestamp": "2026-11-20T01:02:03.123456+08:00",
    }
    cases: dict[str, Any] = {
        "unknown type": {"batch": [good, {**good, "type": "explode", "messageId": "m2"}]},
        "no ids": {"batch": [good, {"type": "track", "event": "x", "userId": None, "anonymousId": None}]},
        "track without event": {"batch": [good, {"type": "track", "userId": "c"}]},
        "alias without previous": {"batch": [good, {"type": "alias", "userId": "c"}]},
        "bad timestamp": {"batch": [good, {**good, "timestamp": "tomorrow"}]},
        "batch not a list": {"batch": {"a": 1}},
        "properties not object": {"batch": [{**good, "properties": [1]}]},
        "timestamp before year 1 in UTC": {"batch": [{**good, "timestamp": "0001-01-01T00:00:00+05:00"}]},
        "number no double can hold": {
            "batch": [good, {**good, "messageId": "m9", "properties": {"n": 10**400}}]
        },
    }
    auth = (SEGMENT_KEY, "")
    async with httpx.AsyncClient(base_url=served.url, auth=auth) as client:
        for name, body in cases.items():
            response = await client.post("/v1/batch", json=body)
            assert response.status_code == 400, name
            assert set(response.json()) == {"code", "message"}, name
            if name in ("timestamp before year 1 in UTC", "number no double can hold"):
                assert response.json()["message"].startswith("batch["), name  # was a 500 before
        not_json = await client.post("/v1/batch", content=b"{nope")
        assert not_json.status_code == 400
        wrong_endpoint = await client.post("/v1/identify", json=good)
        assert wrong_endpoint.status_code == 400
        single = await client.post("/v1/track", json=good)
        assert single.status_code == 200
        again = await client.post("/v1/track", json=good)  # the SDK re-sending after a lost answer
        assert again.status_code == 200
    stored = await served.stored()
    assert len(stored) == 1  # the duplicate was dropped by JetStream (same Nats-Msg-Id)
    assert stored[0].events[0].event_time.ToJsonString() == "2026-11-19T17:02:03.123456Z"


async def test_oversized_bodies_are_413(served: Served) -> None:
    async with httpx.AsyncClient(base_url=served.url, auth=(SEGMENT_KEY, "")) as client:
        huge = await client.post("/v1/batch", content=b"x" * (300 * 1024))
        assert huge.status_code == 413 and huge.json()["code"] == "payload_too_large"
        bomb = gzip.compress(json.dumps({"batch": [], "pad": "0" * (2 * 1024 * 1024)}).encode())
        inflated = await client.post("/v1/batch", content=bomb, headers={"Content-Encoding": "gzip"})
        assert inflated.status_code == 413 and inflated.json()["code"] == "payload_too_large"
    assert await served.stored() == []


async def test_no_jetstream_answers_503_for_a_retry(served: Served, restartable_nats: Any) -> None:
    restartable_nats.stop()
    try:
        async with httpx.AsyncClient(base_url=served.url, auth=(SEGMENT_KEY, ""), timeout=20) as client:
            response = await client.post(
                "/v1/track", json={"type": "track", "event": "Login", "userId": "c1"}
            )
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1" and response.json()["code"] == "unavailable"
    finally:
        restartable_nats.start()


def test_sources_configuration_is_validated() -> None:
    from lingxi_gateway.routers.ingest_sources import IngestConfigError

    with pytest.raises(IngestConfigError, match="needs a write_key"):
        SourceRegistry.parse('[{"source_id": "a", "kind": "segment"}]', production=False)
    with pytest.raises(IngestConfigError, match="unique"):
        SourceRegistry.parse(
            '[{"source_id": "a", "kind": "sensors", "project": "p"},'
            ' {"source_id": "a", "kind": "sensors", "project": "q"}]',
            production=False,
        )
    assert SourceRegistry.parse("", production=True).sources == ()
    assert SourceRegistry.parse("", production=False).by_project("default") is not None
    registry = SourceRegistry.parse(SOURCES, production=False)
    assert registry.by_write_key(RUDDER_KEY) is not None and registry.by_write_key("x" * 19) is None
