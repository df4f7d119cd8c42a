"""Demo points for `lingxi up`: the demo customers earn points the way real ones do.

Nothing is written to the points tables directly. Registration and first-deposit facts are
published on `lingxi.ingest.business`, exactly as the gateway publishes a core system's facts, so
the earning rules, caps, the consumer and the outbox all run; check-ins go through
PointsService.CheckIn as the customer, as the app calls it; the rewards catalog goes through
RewardService.UpsertReward. Everything is idempotent: facts carry stable business keys (an award
is keyed "<rule>:<fact key>"), check-ins are once per day, rewards are upserts — a second
`lingxi up` changes nothing.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass

import grpc

from lingxi.common.v1 import decimal_pb2
from lingxi.events.v1 import ingest_events_pb2
from lingxi.points.v1 import (
    points_service_pb2,
    points_service_pb2_grpc,
    reward_service_pb2,
    reward_service_pb2_grpc,
)
from lingxi_common.bus import Bus
from lingxi_common.grpc_client import open_channel
from lingxi_common.identity import Caller, Role

DEMO_REWARDS = (
    ("coupon-fund-10", "基金申购10元券", reward_service_pb2.REWARD_KIND_COUPON, 1000, 5000, 3),
    ("trial-advisory-7d", "投顾锦囊7天体验", reward_service_pb2.REWARD_KIND_ADVISORY_TRIAL, 2000, 1000, 1),
    ("fee-discount-1m", "一个月佣金折扣券", reward_service_pb2.REWARD_KIND_FEE_DISCOUNT, 3000, 500, 1),
    ("gift-notebook", "灵犀定制笔记本", reward_service_pb2.REWARD_KIND_GIFT, 5000, 200, 1),
)


@dataclass(frozen=True)
class DemoPoints:
    facts_published: int
    check_ins: int
    rewards: int


def demo_customer_ids(count: int) -> list[str]:
    """The ids lingxi_tag.demo gives its customers."""
    return [f"C{index + 1:08d}" for index in range(count)]


def _fact(kind: int, customer_id: str, key: str, **extra: object) -> ingest_events_pb2.BusinessEvent:
    event = ingest_events_pb2.BusinessEvent(
        kind=kind, customer_id=customer_id, business_key=key, source_system="demo", **extra
    )
    event.meta.event_id = key  # stable: JetStream drops a re-published duplicate
    event.meta.producer = "demo"
    event.occurred_at.GetCurrentTime()
    return event


async def _wait_for_member(
    stub: points_service_pb2_grpc.PointsServiceStub, customer_id: str, timeout: float
) -> bool:
    """Members open from the tag service's customer events; give them time to arrive."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        try:
            await stub.GetMember(points_service_pb2.GetMemberRequest(customer_id=customer_id))
            return True
        except grpc.aio.AioRpcError as error:
            if error.code() not in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.UNAVAILABLE):
                raise
        await asyncio.sleep(0.5)
    return False


async def seed_points(
    points_addr: str,
    nats_url: str,
    service_token: str,
    customers: int,
    *,
    active_share: float = 0.3,
    wait_seconds: float = 60.0,
) -> DemoPoints:
    """Every demo customer registers in the app; a seeded share also deposits and checks in.

    Returns what was sent; the points themselves are awarded by the service's consumer shortly
    after (an award waits, with back-off, for its member to be opened from the customer event).
    """
    ids = demo_customer_ids(customers)
    rng = random.Random(11)
    active = [customer_id for customer_id in ids if rng.random() < active_share]
    facts = 0
    bus = Bus([nats_url], name="lingxi-demo-points")
    await bus.connect()
    try:
        for customer_id in ids:
            registered = _fact(
                ingest_events_pb2.BUSINESS_EVENT_KIND_APP_REGISTERED,
                customer_id,
                f"demo:register:{customer_id}",
            )
            await bus.publish(registered, msg_id=registered.meta.event_id)
            facts += 1
        for customer_id in active:
            deposit = _fact(
                ingest_events_pb2.BUSINESS_EVENT_KIND_DEPOSIT,
                customer_id,
                f"demo:first-deposit:{customer_id}",
                first_of_kind=True,
                amount=decimal_pb2.Money(amount=str(rng.choice((5000, 20000, 100000))), currency_code="CNY"),
            )
            await bus.publish(deposit, msg_id=deposit.meta.event_id)
            facts += 1
    finally:
        await bus.close()

    operator = open_channel(
        points_addr,
        service_token=service_token,
        caller=lambda: Caller(subject="demo-seed", role=Role.HQ_OPERATOR),
    )
    checked_in = 0
    try:
        rewards = reward_service_pb2_grpc.RewardServiceStub(operator)
        for reward_id, name, kind, price, stock, limit in DEMO_REWARDS:
            existing = None
            try:
                existing = await rewards.GetReward(reward_service_pb2.GetRewardRequest(reward_id=reward_id))
            except grpc.aio.AioRpcError as error:
                if error.code() != grpc.StatusCode.NOT_FOUND:
                    raise
            if existing is None:  # an upsert would keep the stock anyway; skip the write entirely
                await rewards.UpsertReward(
                    reward_service_pb2.UpsertRewardRequest(
                        reward=reward_service_pb2.Reward(
                            reward_id=reward_id,
                            name=name,
                            kind=kind,
                            points_price=price,
                            stock_total=stock,
                            per_member_limit=limit,
                        )
                    )
                )
        ops = points_service_pb2_grpc.PointsServiceStub(operator)
        if active and await _wait_for_member(ops, active[-1], wait_seconds):
            for customer_id in active:
                channel = open_channel(
                    points_addr,
                    service_token=service_token,
                    caller=lambda c=customer_id: Caller(
                        subject=f"app:{c}", role=Role.CUSTOMER, customer_id=c
                    ),
                )
                try:
                    stub = points_service_pb2_grpc.PointsServiceStub(channel)
                    await stub.CheckIn(points_service_pb2.CheckInRequest(customer_id=customer_id))
                    checked_in += 1
                except grpc.aio.AioRpcError as error:
                    if error.code() != grpc.StatusCode.NOT_FOUND:
                        raise
                finally:
                    await channel.close()
    finally:
        await operator.close()
    return DemoPoints(facts_published=facts, check_ins=checked_in, rewards=len(DEMO_REWARDS))
