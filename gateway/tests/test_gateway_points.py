"""The points REST API through the real gateway and the real points service.

App routes answer for the token's own customer only; staff routes enforce scope in the service;
operator routes need operator roles; bad input becomes problem+json naming the field.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest

from lingxi.events.v1 import tag_events_pb2
from lingxi_common.testing.services import running_service
from lingxi_gateway.app import create_app
from lingxi_gateway.auth.dev_issuer import issue_token
from lingxi_gateway.settings import GatewaySettings
from lingxi_points.main import DEFINITION as POINTS

pytestmark = pytest.mark.integration


async def test_app_and_operator_points_routes(database_url: str, restartable_nats, tmp_path: Path) -> None:
    async with running_service(POINTS, database_url=database_url, nats_url=restartable_nats.url) as points:
        for customer_id in ("C1", "C2"):
            event = tag_events_pb2.CustomerChanged(customer_id=customer_id, branch_id="B01", version=1)
            event.meta.event_id = str(uuid.uuid4())
            await points.context.bus.publish(event, msg_id=event.meta.event_id)
        settings = GatewaySettings(
            environment="test",
            dev_issuer_key_path=tmp_path / "issuer.pem",
            nats_url=restartable_nats.url,
            points_addr=points.address,
        )
        app = create_app(settings)

        def bearer(role: str, **scope: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {issue_token(settings, role=role, **scope)}"}

        me = bearer("customer", customer_id="C1", subject="u1")
        ops, ops2 = bearer("hq_operator", subject="ops-1"), bearer("hq_operator", subject="ops-2")
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client,
        ):
            for _ in range(100):
                if (await client.get("/api/v1/points/members/C2/balance", headers=ops)).status_code == 200:
                    break
                await asyncio.sleep(0.1)
            checked = await client.post("/api/v1/points/me/check-in", headers=me)
            assert checked.status_code == 200, checked.text
            assert checked.json()["checked_in"] is True and checked.json()["points_awarded"] == "10"
            balance = await client.get("/api/v1/points/me/balance", headers=me)
            assert balance.json()["balance"]["available_points"] == "10"
            history = await client.get("/api/v1/points/me/history", headers=me)
            assert [p["rule_code"] for p in history.json()["postings"]] == ["daily_checkin"]

            # Another customer's data: refused by the service, whatever the route.
            foreign = await client.get("/api/v1/points/members/C2/balance", headers=me)
            assert foreign.status_code == 403
            assert foreign.headers["content-type"].startswith("application/problem+json")
            # Operator routes are not for customers.
            assert (await client.get("/api/v1/points/liability", headers=me)).status_code == 403

            reward = await client.put(
                "/api/v1/points/rewards/coupon-10",
                headers=ops,
                json={
                    "name": "10元券",
                    "kind": "REWARD_KIND_COUPON",
                    "points_price": "5",
                    "stock_total": "3",
                },
            )
            assert reward.status_code == 200, reward.text
            wrong = await client.put("/api/v1/points/rewards/x", headers=ops, json={"points_price": "many"})
            assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "reward"
            catalog = await client.get("/api/v1/points/rewards", headers=me)
            assert catalog.json()["rewards"][0]["my_points_price"] == "5"
            redeemed = await client.post(
                "/api/v1/points/me/redemptions",
                headers=me,
                json={"reward_id": "coupon-10", "request_id": "o-1"},
            )
            assert redeemed.status_code == 201, redeemed.text
            assert redeemed.json()["redemption"]["status"] == "REDEMPTION_STATUS_RESERVED"
            too_many = await client.post(
                "/api/v1/points/me/redemptions", headers=me, json={"reward_id": "coupon-10", "quantity": 2}
            )
            assert too_many.status_code == 409  # only 5 points left: FAILED_PRECONDITION
            mine = await client.get("/api/v1/points/me/redemptions", headers=me)
            assert len(mine.json()["redemptions"]) == 1

            trading = await client.put(
                "/api/v1/points/rules/volume_bonus",
                headers=ops,
                json={"name": "成交量奖励", "trigger": "EARN_TRIGGER_API", "points": "10", "active": True},
            )
            assert trading.status_code == 400 and "trading" in trading.json()["detail"]

            requested = await client.post(
                "/api/v1/points/adjustments",
                headers=ops,
                json={"customer_id": "C2", "points": 50, "reason": "客服补偿：签到故障"},
            )
            assert requested.status_code == 201, requested.text
            adjustment_id = requested.json()["adjustment"]["adjustment_id"]
            same_person = await client.post(
                f"/api/v1/points/adjustments/{adjustment_id}/decision", headers=ops, json={"approve": True}
            )
            assert same_person.status_code == 409
            approved = await client.post(
                f"/api/v1/points/adjustments/{adjustment_id}/decision", headers=ops2, json={"approve": True}
            )
            assert approved.status_code == 200 and approved.json()["posting"]["points"] == "50"
            report = await client.get("/api/v1/points/liability", headers=ops)
            assert report.json()["report"]["ledger_imbalance"] == "0"
            assert report.json()["report"]["reserved_points"] == "5"
