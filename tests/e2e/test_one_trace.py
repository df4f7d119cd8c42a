"""End to end: a gateway request → gRPC into the tag service → outbox → NATS → the points service.

Everything is real (gateway app, two services, PostgreSQL, JetStream); only the span exporter is
in memory. One trace id must cover the HTTP request, the gRPC call and the event's consumption.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from lingxi_common.settings import CommonSettings
from lingxi_common.telemetry import setup_telemetry
from lingxi_common.testing.services import running_service
from lingxi_gateway.app import create_app
from lingxi_gateway.auth.dev_issuer import issue_token
from lingxi_gateway.settings import GatewaySettings
from lingxi_points.main import DEFINITION as POINTS
from lingxi_tag.main import DEFINITION as TAG

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        setup_telemetry("e2e", CommonSettings(), span_exporter=exporter, prometheus=False)
    return exporter


def _one(spans: list[ReadableSpan], description: str, match) -> ReadableSpan:
    found = [span for span in spans if match(span)]
    assert found, f"no {description} span among {[s.name for s in spans]}"
    return found[0]


async def test_request_grpc_and_event_share_one_trace(
    spans: InMemorySpanExporter, database_url: str, restartable_nats, tmp_path: Path
) -> None:
    spans.clear()
    async with (
        running_service(TAG, database_url=database_url, nats_url=restartable_nats.url) as tag,
        running_service(POINTS, database_url=database_url, nats_url=restartable_nats.url) as points,
    ):
        settings = GatewaySettings(
            environment="test",
            dev_issuer_key_path=tmp_path / "issuer.pem",
            nats_url=restartable_nats.url,
            tag_addr=tag.address,
            points_addr=points.address,
        )
        app = create_app(settings)
        token = issue_token(settings, role="hq_operator", subject="ops-1")
        headers = {"Authorization": f"Bearer {token}"}
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client,
        ):
            created = await client.post(
                "/api/v1/customers",
                headers=headers,
                json={"customer_id": "C42", "branch_id": "B01", "risk_level": "C3", "phone": "13812345678"},
            )
            assert created.status_code == 201, created.text
            assert created.json()["customer"]["phone"] == "138****5678"
            for _ in range(100):
                member = await client.get("/api/v1/points/members/C42", headers=headers)
                if member.status_code == 200:
                    break
                await asyncio.sleep(0.1)
            assert member.status_code == 200, member.text
            assert member.json()["member"]["tier_code"] == "registered"

            bad = await client.post(
                "/api/v1/customers",
                headers=headers,
                json={"customer_id": "C43", "branch_id": "B01", "phone": "123"},
            )
            assert bad.status_code == 400
            assert bad.headers["content-type"].startswith("application/problem+json")
            assert "customer.phone" in bad.json()["detail"]

    finished = list(spans.get_finished_spans())
    http = _one(
        finished,
        "gateway POST",
        lambda s: s.kind == SpanKind.SERVER and s.name.startswith("POST") and "/api/v1/customers" in s.name,
    )
    grpc_server = _one(
        finished,
        "tag gRPC server",
        lambda s: s.kind == SpanKind.SERVER and s.name == "/lingxi.tag.v1.TagService/UpsertCustomer",
    )
    consumer = _one(
        finished,
        "points consumer",
        lambda s: s.kind == SpanKind.CONSUMER and s.name.startswith("lingxi.tag.customer.changed process"),
    )
    trace_id = http.context.trace_id
    assert grpc_server.context.trace_id == trace_id
    assert consumer.context.trace_id == trace_id
    assert consumer.attributes is not None
    assert consumer.attributes["messaging.consumer.group.name"] == "points-customer-changed"
