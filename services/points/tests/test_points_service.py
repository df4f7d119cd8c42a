"""The points service end to end: business events from NATS earn points, the gRPC API enforces
roles and scope, redemptions flow, events leave through the outbox."""

from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest
import sqlalchemy as sa

from lingxi.common.v1 import date_pb2, decimal_pb2
from lingxi.events.v1 import ingest_events_pb2, tag_events_pb2
from lingxi.points.v1 import (
    points_pb2,
    points_service_pb2,
    points_service_pb2_grpc,
    reward_service_pb2,
    reward_service_pb2_grpc,
)
from lingxi_common.errors import field_violations
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to, running_service
from lingxi_points.main import DEFINITION

pytestmark = pytest.mark.integration

HQ = Caller(subject="ops-1", role=Role.HQ_OPERATOR)
HQ2 = Caller(subject="ops-2", role=Role.HQ_OPERATOR)
ME = Caller(subject="app-user", role=Role.CUSTOMER, customer_id="C1")
OTHER = Caller(subject="app-other", role=Role.CUSTOMER, customer_id="C2")


async def publish_customer(runner: ServiceRunner, customer_id: str) -> None:
    event = tag_events_pb2.CustomerChanged(
        customer_id=customer_id, branch_id="B01", advisor_id="A01", version=1
    )
    event.meta.event_id = str(uuid.uuid4())
    await runner.context.bus.publish(event, msg_id=event.meta.event_id)


async def publish_fact(runner: ServiceRunner, kind: int, key: str, customer_id: str = "C1", **extra) -> None:
    event = ingest_events_pb2.BusinessEvent(kind=kind, customer_id=customer_id, business_key=key, **extra)
    event.meta.event_id = str(uuid.uuid4())
    await runner.context.bus.publish(event, msg_id=event.meta.event_id)


async def balance_of(runner: ServiceRunner, caller: Caller, customer_id: str) -> points_pb2.Balance:
    stub = points_service_pb2_grpc.PointsServiceStub(channel_to(runner, caller))
    return (await stub.GetBalance(points_service_pb2.GetBalanceRequest(customer_id=customer_id))).balance


async def wait_balance(
    runner: ServiceRunner, customer_id: str, available: int, timeout: float = 20.0
) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    seen = None
    while asyncio.get_running_loop().time() < deadline:
        try:
            seen = (await balance_of(runner, HQ, customer_id)).available_points
        except grpc.aio.AioRpcError:
            seen = None
        if seen == available:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"balance of {customer_id} stayed {seen}, expected {available}")


async def test_business_events_earn_and_the_app_sees_only_its_own(
    database_url: str, restartable_nats
) -> None:
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url
    ) as runner:
        await publish_customer(runner, "C1")
        await publish_customer(runner, "C2")
        await publish_fact(runner, ingest_events_pb2.BUSINESS_EVENT_KIND_APP_REGISTERED, "reg:C1")
        await publish_fact(
            runner,
            ingest_events_pb2.BUSINESS_EVENT_KIND_DEPOSIT,
            "dep:TX1",
            first_of_kind=True,
            amount=decimal_pb2.Money(amount="10000", currency_code="CNY"),
        )
        # The same fact again (a producer retry with a new event id): earns nothing more.
        await publish_fact(runner, ingest_events_pb2.BUSINESS_EVENT_KIND_APP_REGISTERED, "reg:C1")
        await wait_balance(runner, "C1", 100 + 1000)

        mine = points_service_pb2_grpc.PointsServiceStub(channel_to(runner, ME))
        checked = await mine.CheckIn(points_service_pb2.CheckInRequest(customer_id="C1"))
        assert checked.checked_in and checked.points_awarded == 10 and checked.streak_days == 1
        again = await mine.CheckIn(points_service_pb2.CheckInRequest(customer_id="C1"))
        assert not again.checked_in and again.posting.posting_id == checked.posting.posting_id
        history = await mine.ListHistory(points_service_pb2.ListHistoryRequest(customer_id="C1"))
        assert sorted(p.rule_code for p in history.postings) == [
            "app_register",
            "daily_checkin",
            "first_deposit",
        ]
        assert all(sum(e.amount for e in p.entries) == 0 for p in history.postings)

        for call, request in (
            (mine.GetBalance, points_service_pb2.GetBalanceRequest(customer_id="C2")),
            (mine.ListHistory, points_service_pb2.ListHistoryRequest(customer_id="C2")),
            (mine.CheckIn, points_service_pb2.CheckInRequest(customer_id="C2")),
            (
                mine.PostPoints,
                points_service_pb2.PostPointsRequest(
                    business_key="x", customer_id="C1", kind=points_pb2.POSTING_KIND_EARN, points=5
                ),
            ),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await call(request)
            assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED

        ops = points_service_pb2_grpc.PointsServiceStub(channel_to(runner, HQ))
        with pytest.raises(grpc.aio.AioRpcError) as bad:
            await ops.PostPoints(
                points_service_pb2.PostPointsRequest(
                    business_key="neg", customer_id="C1", kind=points_pb2.POSTING_KIND_EARN, points=-3
                )
            )
        assert (
            bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            and field_violations(bad.value)[0][0] == "points"
        )
        with pytest.raises(grpc.aio.AioRpcError) as short:
            await ops.PostPoints(
                points_service_pb2.PostPointsRequest(
                    business_key="big", customer_id="C1", kind=points_pb2.POSTING_KIND_SPEND, points=10**6
                )
            )
        assert short.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        trading = points_pb2.EarningRule(
            rule_code="trade_bonus",
            name="交易奖励",
            trigger=points_pb2.EARN_TRIGGER_API,
            points=5,
            active=True,
        )
        with pytest.raises(grpc.aio.AioRpcError) as refused_rule:
            await ops.UpsertEarningRule(points_service_pb2.UpsertEarningRuleRequest(rule=trading))
        assert refused_rule.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "trading volume or frequency" in (refused_rule.value.details() or "")

        # Adjustment: requested by one operator, approved by another.
        requested = await ops.RequestAdjustment(
            points_service_pb2.RequestAdjustmentRequest(
                customer_id="C1", points=-110, reason="duplicate campaign award", business_key="adj-1"
            )
        )
        with pytest.raises(grpc.aio.AioRpcError) as self_approval:
            await ops.DecideAdjustment(
                points_service_pb2.DecideAdjustmentRequest(
                    adjustment_id=requested.adjustment.adjustment_id, approve=True
                )
            )
        assert self_approval.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        approver = points_service_pb2_grpc.PointsServiceStub(channel_to(runner, HQ2))
        decided = await approver.DecideAdjustment(
            points_service_pb2.DecideAdjustmentRequest(
                adjustment_id=requested.adjustment.adjustment_id, approve=True
            )
        )
        assert (
            decided.adjustment.status == points_pb2.ADJUSTMENT_STATUS_POSTED
            and decided.posting.points == -110
        )
        await wait_balance(runner, "C1", 1000)

        report = (await ops.GetLiabilityReport(points_service_pb2.GetLiabilityReportRequest())).report
        assert report.ledger_imbalance == 0 and report.available_points == 1000
        async with runner.context.engine.connect() as connection:
            subjects = set(
                (await connection.execute(sa.text("SELECT DISTINCT subject FROM points.outbox"))).scalars()
            )
        assert {"lingxi.points.points.earned", "lingxi.points.points.spent"} <= subjects


async def test_redemption_through_grpc(database_url: str, restartable_nats) -> None:
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url
    ) as runner:
        await publish_customer(runner, "C1")
        ops = points_service_pb2_grpc.PointsServiceStub(channel_to(runner, HQ))
        await wait_balance(runner, "C1", 0)
        await ops.PostPoints(
            points_service_pb2.PostPointsRequest(
                business_key="gift", customer_id="C1", kind=points_pb2.POSTING_KIND_EARN, points=500
            )
        )
        catalog = reward_service_pb2_grpc.RewardServiceStub(channel_to(runner, HQ))
        await catalog.UpsertReward(
            reward_service_pb2.UpsertRewardRequest(
                reward=reward_service_pb2.Reward(
                    reward_id="trial",
                    name="投顾体验7天",
                    kind=reward_service_pb2.REWARD_KIND_ADVISORY_TRIAL,
                    points_price=200,
                    stock_total=1,
                    per_member_limit=1,
                )
            )
        )
        app = reward_service_pb2_grpc.RewardServiceStub(channel_to(runner, ME))
        listed = await app.ListRewards(reward_service_pb2.ListRewardsRequest())
        assert [(r.reward_id, r.my_points_price, r.my_remaining_allowance) for r in listed.rewards] == [
            ("trial", 200, 1)
        ]
        reserved = await app.ReserveRedemption(
            reward_service_pb2.ReserveRedemptionRequest(
                request_id="order-1", customer_id="C1", reward_id="trial"
            )
        )
        assert reserved.redemption.status == reward_service_pb2.REDEMPTION_STATUS_RESERVED
        assert (await balance_of(runner, ME, "C1")).reserved_points == 200
        with pytest.raises(grpc.aio.AioRpcError) as sold_out:
            await app.ReserveRedemption(
                reward_service_pb2.ReserveRedemptionRequest(
                    request_id="order-2", customer_id="C1", reward_id="trial"
                )
            )
        assert sold_out.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        cancelled = await app.CancelRedemption(
            reward_service_pb2.CancelRedemptionRequest(
                redemption_id=reserved.redemption.redemption_id, reason="不要了"
            )
        )
        assert cancelled.redemption.status == reward_service_pb2.REDEMPTION_STATUS_CANCELLED
        balance = await balance_of(runner, ME, "C1")
        assert (balance.available_points, balance.reserved_points) == (500, 0)
        for request in (
            points_service_pb2.EarnByRuleRequest(
                business_key="k1", customer_id="C1", rule_code="no_such_rule"
            ),
            points_service_pb2.EarnByRuleRequest(
                business_key="k2", customer_id="C404", rule_code="campaign_reward"
            ),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as unknown:
                await ops.EarnByRule(request)
            assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
        campaign = await ops.EarnByRule(
            points_service_pb2.EarnByRuleRequest(
                business_key="cmp:1", customer_id="C1", rule_code="campaign_reward"
            )
        )
        assert campaign.outcome == points_service_pb2.EARN_OUTCOME_AWARDED and campaign.points_awarded == 100
        reversal = await ops.ReversePosting(
            points_service_pb2.ReversePostingRequest(
                posting_id=campaign.posting.posting_id, business_key="cmp:1:reversal", reason="发放错误"
            )
        )
        assert reversal.reversal.points == -100 and not reversal.replayed
        # (The service's scheduler already ran yesterday's expiry at start; use another date.)
        day = date_pb2.Date(year=2020, month=1, day=1)
        first_run = await ops.RunExpiry(points_service_pb2.RunExpiryRequest(as_of=day))
        again = await ops.RunExpiry(points_service_pb2.RunExpiryRequest(as_of=day))
        assert not first_run.already_done and again.already_done and again.run_id == first_run.run_id
        other = reward_service_pb2_grpc.RewardServiceStub(channel_to(runner, OTHER))
        with pytest.raises(grpc.aio.AioRpcError) as foreign:
            await other.GetRedemption(
                reward_service_pb2.GetRedemptionRequest(redemption_id=reserved.redemption.redemption_id)
            )
        assert foreign.value.code() == grpc.StatusCode.PERMISSION_DENIED


async def test_demo_members_earn_from_demo_events_once(database_url: str, restartable_nats) -> None:
    from lingxi_common.settings import DEV_SERVICE_TOKEN
    from lingxi_points.demo import demo_customer_ids, seed_points

    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url
    ) as runner:
        ids = demo_customer_ids(6)
        for customer_id in ids:
            await publish_customer(runner, customer_id)
        for customer_id in ids:
            await wait_balance(runner, customer_id, 0)
        first = await seed_points(
            runner.address, restartable_nats.url, DEV_SERVICE_TOKEN, 6, active_share=0.5
        )
        assert first.facts_published > 6 and first.check_ins >= 1
        expected: dict[str, int] = {}
        # Registered: 100; active ones also first deposit (1000) and one check-in (10).
        for customer_id in ids:
            deadline = asyncio.get_running_loop().time() + 20
            while True:
                available = (await balance_of(runner, HQ, customer_id)).available_points
                if available in (100, 1110) or asyncio.get_running_loop().time() > deadline:
                    break
                await asyncio.sleep(0.1)
            expected[customer_id] = available
        assert set(expected.values()) == {100, 1110}
        await seed_points(runner.address, restartable_nats.url, DEV_SERVICE_TOKEN, 6, active_share=0.5)
        await asyncio.sleep(1.0)
        assert {c: (await balance_of(runner, HQ, c)).available_points for c in ids} == expected
