"""The product shelf and suitability through the gateway, against the real product service."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from lingxi.events.v1 import tag_events_pb2
from lingxi_common.db import transaction
from lingxi_common.testing.services import running_service
from lingxi_gateway.app import create_app
from lingxi_gateway.auth.dev_issuer import issue_token
from lingxi_gateway.settings import GatewaySettings
from lingxi_product.main import DEFINITION as PRODUCT
from lingxi_product.suitability import apply_customer_changed

pytestmark = pytest.mark.integration

FUND: dict[str, Any] = {
    "product_id": "F510300",
    "product_code": "510300",
    "name": "沪深300ETF",
    "product_type": "PRODUCT_TYPE_FUND",
    "fund_category": "FUND_CATEGORY_ETF",
    "risk_rating": "PRODUCT_RISK_RATING_R3",
    "min_investment": {"amount": "100.00"},
    "status": "PRODUCT_STATUS_ON_SALE",
    "fees": {"management_rate": {"value": "0.0015"}},
    "top_holdings": [
        {"security_code": "600519.SH", "security_name": "贵州茅台", "weight": {"value": "0.05"}}
    ],
}


@pytest.fixture
async def gw(
    database_url: str, restartable_nats, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    async with running_service(
        PRODUCT,
        database_url=database_url,
        nats_url=restartable_nats.url,
        tag_addr="",
        daily_jobs_enabled=False,
    ) as product:
        async with transaction(product.context.sessions) as session:
            event = tag_events_pb2.CustomerChanged(
                customer_id="C42", branch_id="B01", advisor_id="A01", version=1, risk_level=2
            )
            event.risk_assessment_expires_on.year, event.risk_assessment_expires_on.month = (
                date.today().year + 1,
                1,
            )
            event.risk_assessment_expires_on.day = 1
            await apply_customer_changed(session, event)
        settings = GatewaySettings(
            environment="test",
            dev_issuer_key_path=tmp_path / "issuer.pem",
            nats_url=restartable_nats.url,
            product_addr=product.address,
        )
        app = create_app(settings)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client,
        ):
            yield client, settings


def auth(settings: GatewaySettings, role: str, **scope: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(settings, role=role, subject=f'u-{role}', **scope)}"}


async def test_operators_create_and_apps_browse(gw: tuple[httpx.AsyncClient, Any]) -> None:
    client, settings = gw
    hq, app_user = auth(settings, "hq_operator"), auth(settings, "customer", customer_id="C42")
    created = await client.post("/api/v1/products", headers=hq, json=FUND)
    assert created.status_code == 201, created.text
    assert created.json()["product"]["version"] == "1"
    bad = await client.post(
        "/api/v1/products", headers=hq, json={**FUND, "product_code": "X1", "risk_rating": 0}
    )
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")
    assert "product.risk_rating" in bad.json()["detail"]
    unknown_field = await client.post("/api/v1/products", headers=hq, json={**FUND, "colour": "red"})
    assert unknown_field.status_code == 400
    forbidden = await client.post("/api/v1/products", headers=app_user, json=FUND)
    assert forbidden.status_code == 403
    listed = await client.get(
        "/api/v1/products", headers=app_user, params={"category": "etf", "max_risk": "R3"}
    )
    assert listed.status_code == 200 and [p["product_id"] for p in listed.json()["products"]] == ["F510300"]
    wrong = await client.get("/api/v1/products", headers=app_user, params={"category": "crypto"})
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "category"
    edited = await client.patch(
        "/api/v1/products/F510300",
        headers=hq,
        json={"product": {"highlight": "费率低"}, "update_mask": ["highlight"], "expected_version": 1},
    )
    assert edited.status_code == 200 and edited.json()["product"]["highlight"] == "费率低"
    page = await client.get("/api/v1/products/F510300", headers=app_user)
    assert page.status_code == 200 and page.json()["product"]["name"] == "沪深300ETF"
    assert {
        t["code"]: t["value"] for t in page.json().get("tags", [])
    } == {}  # computed on the next recompute
    missing = await client.get("/api/v1/products/NOPE", headers=app_user)
    assert missing.status_code == 404
    selected = await client.post("/api/v1/products:select", headers=hq, json={"expression": "risk <= 3"})
    assert [p["product_id"] for p in selected.json()["products"]] == ["F510300"]
    related = await client.get("/api/v1/stocks/600519.SH/related-products", headers=app_user)
    assert [r["product"]["product_id"] for r in related.json()["products"]] == ["F510300"]


async def test_suitability_and_recommendations(gw: tuple[httpx.AsyncClient, Any]) -> None:
    client, settings = gw
    hq = auth(settings, "hq_operator")
    assert (await client.post("/api/v1/products", headers=hq, json=FUND)).status_code == 201
    advisor = auth(settings, "advisor", advisor_id="A01")
    decision = await client.post(
        "/api/v1/suitability/checks", headers=advisor, json={"customer_id": "C42", "product_id": "F510300"}
    )
    assert decision.status_code == 200, decision.text
    body = decision.json()["decision"]
    assert body["allowed"] is False and body["reasons"] == ["SUITABILITY_REASON_RATING_ABOVE_RISK_LEVEL"]
    other = auth(settings, "advisor", advisor_id="A99")
    out_of_scope = await client.post(
        "/api/v1/suitability/checks", headers=other, json={"customer_id": "C42", "product_id": "F510300"}
    )
    assert out_of_scope.status_code == 403
    compliance = auth(settings, "compliance")
    replay = await client.post(
        f"/api/v1/suitability/decisions/{body['decision_id']}:replay", headers=compliance
    )
    assert replay.status_code == 200 and replay.json()["reproduced"] is True
    batch = await client.post(
        "/api/v1/suitability/batches",
        headers=hq,
        json={"product_id": "F510300", "customer_ids": ["C42", "C43"]},
    )
    assert batch.json()["evaluated"] == "2" and batch.json().get("allowed", "0") == "0"
    replayed = await client.post(
        f"/api/v1/suitability/batches/{batch.json()['batch_id']}:replay",
        headers=compliance,
        params={"customer_id": "C42"},
    )
    assert replayed.status_code == 200, replayed.text
    assert replayed.json()["reproduced"] == "2" and replayed.json()["inputs_intact"] is True
    assert replayed.json()["customer"]["reasons"] == ["SUITABILITY_REASON_RATING_ABOVE_RISK_LEVEL"]
    not_for_advisors = await client.post(
        f"/api/v1/suitability/batches/{batch.json()['batch_id']}:replay", headers=advisor
    )
    assert not_for_advisors.status_code == 403
    snapshot = await client.post(
        "/api/v1/suitability/batches", headers=hq, json={"product_id": "F510300", "snapshot_id": "s1"}
    )
    assert snapshot.status_code == 503  # this gateway's product service has no tag service to ask
    recs = await client.get("/api/v1/recommendations/C42", headers=advisor)
    assert recs.status_code == 200 and recs.json().get("recommendations", []) == []
    assert recs.json()["filtered_unsuitable"] == 1


async def test_imports_are_jobs_and_index_constituents_are_browsable(
    gw: tuple[httpx.AsyncClient, Any], tmp_path: Path
) -> None:
    client, settings = gw
    hq = auth(settings, "hq_operator")
    tracker = {**FUND, "tracking_index_code": "000300.SH", "top_holdings": []}
    assert (await client.post("/api/v1/products", headers=hq, json=tracker)).status_code == 201
    path = tmp_path / "members.csv"
    path.write_text(
        "index_code,effective_date,security_code,weight\n"
        "000300.SH,2026-06-01,600519.SH,0.05\n"
        "000300.SH,2026-06-01,601318.SH,-1\n",
        encoding="utf-8",
    )
    started = await client.post(
        "/api/v1/products/series-imports",
        headers=hq,
        json={"kind": "index_constituents", "source_uri": str(path)},
    )
    assert started.status_code == 200, started.text
    assert started.json()["job"]["state"] == "SERIES_IMPORT_STATE_QUEUED"
    job_id = started.json()["job"]["job_id"]
    for _ in range(200):
        job = (await client.get(f"/api/v1/products/series-imports/{job_id}", headers=hq)).json()["job"]
        if job["state"] not in ("SERIES_IMPORT_STATE_QUEUED", "SERIES_IMPORT_STATE_RUNNING"):
            break
        await asyncio.sleep(0.05)
    assert job["state"] == "SERIES_IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS", job
    rejected = await client.get(f"/api/v1/products/series-imports/{job_id}/rejections", headers=hq)
    assert [r["reason_code"] for r in rejected.json()["rejections"]] == ["non_positive_value"]
    listed = await client.get("/api/v1/indices/000300.SH/constituents", headers=hq)
    assert listed.status_code == 200
    assert [c["security_code"] for c in listed.json()["constituents"]] == ["600519.SH"]
    related = await client.get("/api/v1/stocks/600519.SH/related-products", headers=hq)
    assert [r["relation"] for r in related.json()["products"]] == ["RELATION_KIND_TRACKS_INDEX_WITH_STOCK"]
    unknown_kind = await client.post(
        "/api/v1/products/series-imports", headers=hq, json={"kind": "dividends", "source_uri": str(path)}
    )
    assert unknown_kind.status_code in (400, 422)
    missing = await client.get("/api/v1/indices/000905.SH/constituents", headers=hq)
    assert missing.status_code == 404
