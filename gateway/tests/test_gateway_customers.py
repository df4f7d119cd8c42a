"""Customer data REST routes through the gateway against a real tag service: scoped lists, batch
reads, bulk imports as jobs, trades, watchlists, external assets, identities, snapshot listing —
and their errors as problem+json naming the field."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from gateway_testkit import assert_problem, free_port

from lingxi_common.testing.services import running_service
from lingxi_gateway.app import create_app
from lingxi_gateway.auth.dev_issuer import issue_token
from lingxi_gateway.settings import GatewaySettings
from lingxi_tag.main import DEFINITION as TAG

pytestmark = pytest.mark.integration


class Api:
    def __init__(self, url: str, tokens: dict[str, dict[str, str]], imports: Path) -> None:
        self.url = url
        self.tokens = tokens
        self.imports = imports

    def client(self, who: str = "hq") -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, headers=self.tokens[who], timeout=20)


@pytest.fixture
async def gateway(database_url: str, restartable_nats: Any, tmp_path: Path) -> AsyncIterator[Api]:
    imports = tmp_path / "imports"
    imports.mkdir()
    async with running_service(
        TAG, database_url=database_url, nats_url=restartable_nats.url, import_dir=str(imports)
    ) as tag:
        settings = GatewaySettings(
            environment="test",
            dev_issuer_key_path=tmp_path / "issuer.pem",
            nats_url=restartable_nats.url,
            tag_addr=tag.address,
        )
        app = create_app(settings)
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1)
        )
        task = asyncio.create_task(server.serve())
        deadline = time.monotonic() + 15
        while not server.started:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)

        def token(role: str, **scope: str) -> dict[str, str]:
            return {
                "Authorization": f"Bearer {issue_token(settings, role=role, subject=f'{role}-1', **scope)}"
            }

        tokens = {
            "hq": token("hq_operator"),
            "manager": token("branch_manager", branch_id="B01"),
            "advisor": token("advisor", advisor_id="A01"),
            "customer": token("customer", customer_id="C1"),
        }
        try:
            yield Api(f"http://127.0.0.1:{port}", tokens, imports)
        finally:
            server.should_exit = True
            await task


async def _finished(client: httpx.AsyncClient, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        job: dict[str, Any] = (await client.get(f"/api/v1/customers/imports/{job_id}")).json()["job"]
        if job["state"] not in ("IMPORT_STATE_QUEUED", "IMPORT_STATE_RUNNING"):
            return job
        assert time.monotonic() < deadline, job
        await asyncio.sleep(0.05)


async def test_import_then_list_and_batch_read_within_scope(gateway: Api) -> None:
    (gateway.imports / "customers.csv").write_text(
        "customer_id,branch_id,advisor_id,risk_level,phone\n"
        "C1,B01,A01,C3,13812345678\n"
        "C2,B01,,C4,\n"
        "C3,B02,A02,C2,\n"
        "C4,B02,A02,C9,\n",
        encoding="utf-8",
    )
    async with gateway.client() as hq:
        started = await hq.post(
            "/api/v1/customers/imports",
            json={"kind": "CUSTOMERS", "format": "CSV", "source_uri": "customers.csv"},
        )
        assert started.status_code == 202, started.text
        job = await _finished(hq, started.json()["job"]["job_id"])
        assert job["state"] == "IMPORT_STATE_SUCCEEDED_WITH_REJECTIONS"
        assert (job["rows_done"], job["rows_rejected"]) == ("3", "1")  # int64 is a string in proto JSON
        rejections = (await hq.get(f"/api/v1/customers/imports/{job['job_id']}/rejections")).json()
        assert [(r["row_number"], r["column"]) for r in rejections["rejections"]] == [("4", "risk_level")]
        outside = await hq.post(
            "/api/v1/customers/imports", json={"kind": "CUSTOMERS", "format": "CSV", "source_uri": "../x.csv"}
        )
        assert assert_problem(outside, 400)["detail"].startswith("source_uri:")
        wrong_kind = await hq.post(
            "/api/v1/customers/imports", json={"kind": "PETS", "format": "CSV", "source_uri": "customers.csv"}
        )
        assert ("body", "kind") in {
            (e["location"], e["field"]) for e in assert_problem(wrong_kind, 422)["errors"]
        }

        page = await hq.get("/api/v1/customers", params={"page_size": 2})
        assert [c["customer_id"] for c in page.json()["customers"]] == ["C1", "C2"]
        rest = await hq.get(
            "/api/v1/customers", params={"page_size": 2, "page_token": page.json()["next_page_token"]}
        )
        assert [c["customer_id"] for c in rest.json()["customers"]] == ["C3"]
        batch = await hq.post(
            "/api/v1/customers/batch-get",
            json={"customer_ids": ["C3", "C9", "C1"], "fields": ["risk_level"], "include_holdings": True},
        )
        assert batch.status_code == 200, batch.text
        assert [c["customer_id"] for c in batch.json()["customers"]] == ["C3", "C1"]
        assert batch.json()["customers"][1]["risk_level"] == "RISK_LEVEL_C3"
        assert "phone" not in batch.json()["customers"][1] or not batch.json()["customers"][1]["phone"]
        assert batch.json()["missing_customer_ids"] == ["C9"]
        too_many = await hq.post(
            "/api/v1/customers/batch-get", json={"customer_ids": [f"C{n}" for n in range(1001)]}
        )
        assert_problem(too_many, 422)
        bad_field = await hq.post(
            "/api/v1/customers/batch-get", json={"customer_ids": ["C1"], "fields": ["shoe"]}
        )
        assert assert_problem(bad_field, 400)["detail"].startswith("read_mask:")

    async with gateway.client("manager") as manager:
        own = await manager.get("/api/v1/customers")
        assert [c["customer_id"] for c in own.json()["customers"]] == ["C1", "C2"]
        assert_problem(await manager.get("/api/v1/customers", params={"branch_id": "B02"}), 403)
        assert_problem(
            await manager.post(
                "/api/v1/customers/imports",
                json={"kind": "CUSTOMERS", "format": "CSV", "source_uri": "customers.csv"},
            ),
            403,
        )


async def test_trades_watchlist_external_assets_identities_and_snapshots(gateway: Api) -> None:
    async with gateway.client() as hq:
        for customer_id in ("C1", "C2"):
            created = await hq.post(
                "/api/v1/customers", json={"customer_id": customer_id, "branch_id": "B01"}
            )
            assert created.status_code == 201, created.text
        (gateway.imports / "accounts.csv").write_text(
            "account_id,customer_id,account_type\nF1,C1,cash\n", encoding="utf-8"
        )
        accounts = await hq.post(
            "/api/v1/customers/imports",
            json={"kind": "ACCOUNTS", "format": "CSV", "source_uri": "accounts.csv"},
        )
        assert (await _finished(hq, accounts.json()["job"]["job_id"]))["state"] == "IMPORT_STATE_SUCCEEDED"
        trade = {
            "trade_id": "T1",
            "account_id": "F1",
            "security_code": "600519.SH",
            "side": "BUY",
            "quantity": "100",
            "price": "1500",
            "traded_at": "2026-11-20T09:31:00+08:00",
        }
        recorded = await hq.post("/api/v1/customers/C1/trades", json={"trades": [trade, trade]})
        assert recorded.json() == {"recorded": 1, "duplicates": 1}
        foreign = await hq.post("/api/v1/customers/C2/trades", json={"trades": [{**trade, "trade_id": "T2"}]})
        assert assert_problem(foreign, 400)["detail"].startswith("trades[0].customer_id:")
        assets = await hq.put(
            "/api/v1/customers/C1/external-assets",
            json={"external_market_value": "2500000", "as_of": "2026-11-20", "source": "survey"},
        )
        assert assets.json()["external_assets"]["external_market_value"]["amount"] == "2500000.00"
        assert_problem(
            await hq.put("/api/v1/customers/C1/external-assets", json={"external_market_value": "lots"}), 422
        )
        linked = await hq.post(
            "/api/v1/customers/C1/identities",
            json={"identity_type": "WECHAT_OPENID", "value": "oAbCdEfGhIjKlMnOpQrStUvWx"},
        )
        assert linked.status_code == 200 and linked.json()["link"]["value"].endswith("***")
        resolved = await hq.post(
            "/api/v1/customers/identities/resolve",
            json={"identity_type": "WECHAT_OPENID", "value": "oAbCdEfGhIjKlMnOpQrStUvWx"},
        )
        assert resolved.json() == {"customer_id": "C1"}
        unscoped = await hq.post(
            "/api/v1/customers/C1/identities", json={"identity_type": "DEVICE", "value": "dev-1"}
        )
        assert assert_problem(unscoped, 400)["detail"].startswith("link.source_id:")
        snapshot = await hq.post(
            "/api/v1/audiences/snapshots", json={"name": "vip list", "customer_ids": ["C1"]}
        )
        assert snapshot.status_code == 201, snapshot.text
        listed = await hq.get("/api/v1/audiences/snapshots", params={"query": "vip"})
        assert [s["name"] for s in listed.json()["snapshots"]] == ["vip list"]

    async with gateway.client("customer") as me:
        watch = await me.patch("/api/v1/customers/C1/watchlist", json={"add": ["600519.SH", "510050.SH"]})
        assert sorted(e["security_code"] for e in watch.json()["watchlist"]) == ["510050.SH", "600519.SH"]
        assert_problem(await me.patch("/api/v1/customers/C2/watchlist", json={"add": ["600519.SH"]}), 403)
        bad = await me.patch("/api/v1/customers/C1/watchlist", json={"add": ["no spaces"]})
        assert assert_problem(bad, 400)["detail"].startswith("add_security_codes[0]:")

    async with gateway.client() as hq:
        profile = (await hq.get("/api/v1/customers/C1")).json()
        assert sorted(e["security_code"] for e in profile["watchlist"]) == ["510050.SH", "600519.SH"]
        assert profile["external_assets"]["source"] == "survey"
        assert any(entry["name"] == "trade" for entry in profile["recent_timeline"])
