"""Tags and assets from the tag service's events: rule eligibility by tags, tiers by assets."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

import pytest
from points_testkit import ledger_database

from lingxi.common.v1 import customer_pb2, decimal_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.points.v1 import points_pb2, points_service_pb2, points_service_pb2_grpc
from lingxi_common.db import transaction
from lingxi_common.errors import field_violations
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to, running_service
from lingxi_points import customer_facts
from lingxi_points.main import DEFINITION

pytestmark = pytest.mark.integration

HQ = Caller(subject="ops-1", role=Role.HQ_OPERATOR)
C1 = customer_pb2.CustomerRef(customer_id="C1", branch_id="B01", advisor_id="A01")


async def publish(runner: ServiceRunner, event: Any) -> None:
    event.meta.event_id = str(uuid.uuid4())
    await runner.context.bus.publish(event, msg_id=event.meta.event_id)


def tag_change(tag: str, change: int, sequence: int, value: str = "") -> tag_events_pb2.CustomerTagChanged:
    return tag_events_pb2.CustomerTagChanged(
        customer=C1, tag_code=tag, change=change, new_value=value, sequence=sequence
    )


def account_change(assets: str, as_of: dt.datetime, account: str = "F1") -> tag_events_pb2.AccountChanged:
    event = tag_events_pb2.AccountChanged(
        customer=C1, account_id=account, total_assets=decimal_pb2.Money(amount=assets, currency_code="CNY")
    )
    event.as_of.FromDatetime(as_of)
    return event


async def eventually(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} never happened")


async def test_rule_eligibility_follows_the_customers_tags(database_url: str, restartable_nats) -> None:
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url
    ) as runner:
        stub = points_service_pb2_grpc.PointsServiceStub(channel_to(runner, HQ))
        await publish(runner, tag_events_pb2.CustomerChanged(customer_id="C1", branch_id="B01", version=1))
        await stub.UpsertEarningRule(
            points_service_pb2.UpsertEarningRuleRequest(
                rule=points_pb2.EarningRule(
                    rule_code="cash_holder_bonus",
                    name="高现金余额客户专享",
                    trigger=points_pb2.EARN_TRIGGER_API,
                    points=50,
                    eligibility_expression='"high_cash_balance" in member.tags && member.assets >= 100000.0',
                    expiry_policy="end_of_next_year",
                    active=True,
                )
            )
        )
        counter = iter(range(1000))

        async def award() -> int:
            while True:
                try:
                    response = await stub.EarnByRule(
                        points_service_pb2.EarnByRuleRequest(
                            business_key=f"bonus:{next(counter)}",
                            customer_id="C1",
                            rule_code="cash_holder_bonus",
                        )
                    )
                    return response.outcome
                except Exception as error:  # the member may still be opening
                    if "member" not in str(error):
                        raise
                    await asyncio.sleep(0.1)

        assert await award() == points_service_pb2.EARN_OUTCOME_NOT_ELIGIBLE
        await publish(runner, tag_change("high_cash_balance", tag_events_pb2.TAG_CHANGE_KIND_ENTERED, 5))
        await publish(runner, account_change("150000.00", dt.datetime(2026, 11, 20, tzinfo=dt.UTC)))

        async def awarded() -> bool:
            return await award() == points_service_pb2.EARN_OUTCOME_AWARDED

        await eventually(awarded, "an award once the customer has the tag and the assets")
        # An older change arriving late (sequence 3 < 5) does not take the tag away...
        await publish(runner, tag_change("high_cash_balance", tag_events_pb2.TAG_CHANGE_KIND_LEFT, 3))
        await asyncio.sleep(0.5)
        assert await award() == points_service_pb2.EARN_OUTCOME_AWARDED
        # ...a newer one does.
        await publish(runner, tag_change("high_cash_balance", tag_events_pb2.TAG_CHANGE_KIND_LEFT, 6))

        async def refused() -> bool:
            return await award() == points_service_pb2.EARN_OUTCOME_NOT_ELIGIBLE

        await eventually(refused, "no award once the customer left the tag")


async def test_assets_upgrade_the_tier_at_once(database_url: str, restartable_nats) -> None:
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url
    ) as runner:
        stub = points_service_pb2_grpc.PointsServiceStub(channel_to(runner, HQ))
        await publish(runner, tag_events_pb2.CustomerChanged(customer_id="C1", branch_id="B01", version=1))
        tiers = (await stub.ListTiers(points_service_pb2.ListTiersRequest())).tiers
        core = next(tier for tier in tiers if tier.tier_code == "core")
        assert core.qualification.min_assets.amount == "500000.00"

        async def tier() -> str:
            try:
                response = await stub.GetMember(points_service_pb2.GetMemberRequest(customer_id="C1"))
            except Exception:
                return ""
            return str(response.member.tier_code)

        await eventually(lambda: _is(tier, "registered"), "the member opening")
        noon = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
        await publish(runner, account_change("300000.00", noon, account="F1"))
        await publish(runner, account_change("250000.00", noon, account="M1"))
        await eventually(lambda: _is(tier, "core"), "the upgrade by assets (300k + 250k ≥ 500k)")
        changes = await stub.ListTierChanges(points_service_pb2.ListTierChangesRequest(customer_id="C1"))
        assert [(c.to_tier_code, c.reason) for c in changes.changes] == [("core", "qualified_assets")]

        # Bad thresholds are refused with the field named.
        bad = points_pb2.Tier()
        bad.CopyFrom(core)
        bad.qualification.min_assets.amount = "lots"
        with pytest.raises(Exception) as refused:
            await stub.UpsertTier(points_service_pb2.UpsertTierRequest(tier=bad))
        assert "tier.qualification.min_assets.amount" in [
            field for field, _ in field_violations(refused.value)
        ]


async def _is(read: Callable[[], Awaitable[str]], expected: str) -> bool:
    return await read() == expected


async def test_the_newest_figure_per_account_wins_whatever_the_arrival_order(database_url: str) -> None:
    async with ledger_database(database_url) as sessions:
        monday = dt.datetime(2026, 11, 16, tzinfo=dt.UTC)
        tuesday = monday + dt.timedelta(days=1)
        async with transaction(sessions) as session:
            assert await customer_facts.apply_account_change(session, account_change("900.00", tuesday))
            assert not await customer_facts.apply_account_change(session, account_change("100.00", monday))
            assert not await customer_facts.apply_account_change(session, account_change("900.00", tuesday))
            assert await customer_facts.apply_account_change(session, account_change("50.50", monday, "M1"))
            assert await customer_facts.assets_of(session, "C1") == Decimal("950.50")
            assert await customer_facts.assets_of(session, "NOBODY") == 0
