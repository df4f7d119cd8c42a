"""Concurrency on one member, bad input, earning rules, check-in, redemption and expiry flows."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
import sqlalchemy as sa
from points_testkit import assert_ledger_sound, ledger_database, open_members

from lingxi.points.v1 import points_pb2, points_service_pb2, reward_service_pb2
from lingxi_common.db import transaction
from lingxi_common.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound
from lingxi_points import checkin, expiry, ledger, rewards, rules
from lingxi_points.models import balances, postings

pytestmark = pytest.mark.integration
EXPIRES = dt.date(2030, 12, 31)


async def test_parallel_clients_on_one_member_never_overspend(database_url: str) -> None:
    async with ledger_database(database_url) as sessions:
        await open_members(sessions, "HOT")
        async with transaction(sessions) as session:
            await ledger.earn(
                session, business_key="seed", customer_id="HOT", points=1000, expires_on=EXPIRES
            )

        async def client(index: int) -> str:
            try:
                async with transaction(sessions) as session:
                    if index % 3 == 0:
                        await ledger.earn(
                            session, business_key=f"e{index}", customer_id="HOT", points=7, expires_on=EXPIRES
                        )
                        return "earn"
                    await ledger.spend(session, business_key=f"s{index}", customer_id="HOT", points=60)
                    return "spend"
            except FailedPrecondition:
                return "refused"

        # The same key from several clients at once: one posting, the others are replays.
        async def replayer() -> bool:
            async with transaction(sessions) as session:
                result = await ledger.earn(
                    session, business_key="same", customer_id="HOT", points=5, expires_on=EXPIRES
                )
                return result.replayed

        outcomes = await asyncio.gather(*(client(i) for i in range(48)), *(replayer() for _ in range(8)))
        earns, spends = outcomes[:48].count("earn"), outcomes[:48].count("spend")
        assert outcomes[48:].count(False) == 1
        async with sessions() as session:
            balance = await ledger.read_balance(session, "HOT")
        assert balance.available == 1000 + 7 * earns + 5 - 60 * spends >= 0
        assert "refused" in outcomes  # 32 spends of 60 exceed what was there
        await assert_ledger_sound(sessions)


async def test_bad_input_is_refused_whole(database_url: str) -> None:
    async with ledger_database(database_url) as sessions:
        await open_members(sessions, "M1")
        async with transaction(sessions) as session:
            await ledger.earn(session, business_key="k1", customer_id="M1", points=100, expires_on=EXPIRES)
        cases = [
            (InvalidArgument, dict(business_key="k2", customer_id="M1", points=0)),
            (InvalidArgument, dict(business_key="k2", customer_id="M1", points=-5)),
            (InvalidArgument, dict(business_key="", customer_id="M1", points=5)),
            (NotFound, dict(business_key="k2", customer_id="NOBODY", points=5)),
            (FailedPrecondition, dict(business_key="k2", customer_id="M1", points=101)),
            (Conflict, dict(business_key="k1", customer_id="M1", points=50)),
        ]
        for error, args in cases:
            with pytest.raises(error):
                async with transaction(sessions) as session:
                    await ledger.spend(session, **args)
        with pytest.raises(Conflict, match="different payload"):
            async with transaction(sessions) as session:
                await ledger.earn(session, business_key="k1", customer_id="M1", points=99, expires_on=EXPIRES)
        async with sessions() as session:
            assert await session.scalar(sa.select(sa.func.count()).select_from(postings)) == 1
            assert (await ledger.read_balance(session, "M1")).available == 100
        await assert_ledger_sound(sessions)


async def test_rules_refuse_trading_rewards_and_apply_caps(database_url: str) -> None:
    async with ledger_database(database_url) as sessions:
        await open_members(sessions, "R1")
        trading = points_pb2.EarningRule(
            rule_code="active_trader",
            name="交易活跃奖励",
            trigger=points_pb2.EARN_TRIGGER_API,
            points=10,
            active=True,
        )
        with pytest.raises(InvalidArgument, match="trading volume or frequency"):
            rules.validate(trading)
        behaviour = points_pb2.EarningRule(
            rule_code="login",
            name="登录",
            trigger=points_pb2.EARN_TRIGGER_EVENT,
            trigger_subject="lingxi.ingest.behavior",
            trigger_filter="true",
            points=1,
            active=True,
        )
        with pytest.raises(InvalidArgument, match="trigger_subject"):
            rules.validate(behaviour)
        async with transaction(sessions) as session:
            first = await rules.get_rule(session, "first_deposit")
            event = {"kind": "BUSINESS_EVENT_KIND_DEPOSIT", "first_of_kind": True}
            assert rules.matches_event(first, event)
            assert not rules.matches_event(first, {**event, "first_of_kind": False})
            got = await rules.award(session, rule=first, customer_id="R1", business_key="dep:1")
            assert got.outcome == points_service_pb2.EARN_OUTCOME_AWARDED and got.points == 1000
            again = await rules.award(session, rule=first, customer_id="R1", business_key="dep:1")
            assert again.outcome == points_service_pb2.EARN_OUTCOME_REPLAYED
            capped = await rules.award(session, rule=first, customer_id="R1", business_key="dep:2")
            assert (
                capped.outcome == points_service_pb2.EARN_OUTCOME_CAPPED and capped.reason == "total_cap:1/1"
            )
            wealth = await rules.get_rule(session, "wealth_purchase")
            bought = await rules.award(
                session, rule=wealth, customer_id="R1", business_key="buy:1", amount="4999.99"
            )
            assert bought.points == 49 and bought.result and bought.result.balance.pending == 49
            big = await rules.award(
                session, rule=wealth, customer_id="R1", business_key="buy:2", amount="1000000"
            )
            assert big.outcome == points_service_pb2.EARN_OUTCOME_PARTIALLY_CAPPED and big.points == 5000 - 49
        await assert_ledger_sound(sessions)


async def test_check_in_streaks_and_once_a_day(database_url: str) -> None:
    async with ledger_database(database_url) as sessions:
        await open_members(sessions, "C1")
        day = dt.date(2026, 3, 1)
        results = []
        for offset in range(7):
            async with transaction(sessions) as session:
                results.append(await checkin.check_in(session, "C1", day + dt.timedelta(days=offset)))
        assert [r.streak_days for r in results] == [1, 2, 3, 4, 5, 6, 7]
        assert results[-1].bonus_points == 30 and results[-1].points == 40
        async with transaction(sessions) as session:
            twice = await checkin.check_in(session, "C1", day + dt.timedelta(days=6))
        assert (
            not twice.checked_in
            and twice.posting
            and twice.posting.posting_id == results[-1].posting.posting_id
        )
        async with transaction(sessions) as session:
            broken = await checkin.check_in(session, "C1", day + dt.timedelta(days=9))
        assert broken.streak_days == 1
        async with sessions() as session:
            assert (await ledger.read_balance(session, "C1")).available == 7 * 10 + 30 + 10


async def test_redemption_flow_stock_limits_and_expiry(database_url: str) -> None:
    async with ledger_database(database_url) as sessions:
        await open_members(sessions, "D1")
        async with transaction(sessions) as session:
            await ledger.earn(session, business_key="seed", customer_id="D1", points=1000, expires_on=EXPIRES)
            await rewards.upsert(
                session,
                reward_service_pb2.Reward(
                    reward_id="coupon",
                    name="券",
                    kind=reward_service_pb2.REWARD_KIND_COUPON,
                    points_price=300,
                    stock_total=2,
                    per_member_limit=2,
                ),
            )
        async with transaction(sessions) as session:
            first, replayed = await rewards.reserve(
                session, request_id="o1", customer_id="D1", reward_id="coupon", quantity=1
            )
        assert not replayed
        async with transaction(sessions) as session:
            _, replayed = await rewards.reserve(
                session, request_id="o1", customer_id="D1", reward_id="coupon", quantity=1
            )
        assert replayed
        async with transaction(sessions) as session:
            await rewards.fulfil(session, str(first.redemption_id), "CODE-1")
            await rewards.fulfil(session, str(first.redemption_id), "CODE-1")
            done = await rewards.confirm(session, str(first.redemption_id))
            assert done.status == "CONFIRMED"
        async with transaction(sessions) as session:
            second, _ = await rewards.reserve(
                session, request_id="o2", customer_id="D1", reward_id="coupon", quantity=1
            )
        with pytest.raises(FailedPrecondition, match=r"out of stock|per member"):
            async with transaction(sessions) as session:
                await rewards.reserve(
                    session, request_id="o3", customer_id="D1", reward_id="coupon", quantity=1
                )
        # The second reservation is never fulfilled: expiry returns the stock and the points.
        released = await expiry.expire_reservations(sessions, ledger.now() + dt.timedelta(hours=1))
        assert released == 1
        async with sessions() as session:
            row = await rewards.get_redemption(session, str(second.redemption_id))
            reward = await rewards.get(session, "coupon")
            balance = await ledger.read_balance(session, "D1")
        assert row.status == "EXPIRED" and reward.stock_available == 1
        assert (balance.available, balance.reserved) == (700, 0)
        await assert_ledger_sound(sessions)


async def test_expiry_job_is_idempotent_and_notices_once(database_url: str) -> None:
    async with ledger_database(database_url) as sessions:
        await open_members(sessions, "X1", "X2")
        async with transaction(sessions) as session:
            await ledger.earn(
                session, business_key="a", customer_id="X1", points=100, expires_on=dt.date(2026, 12, 31)
            )
            await ledger.earn(
                session, business_key="b", customer_id="X1", points=50, expires_on=dt.date(2027, 12, 31)
            )
            await ledger.earn(
                session, business_key="c", customer_id="X2", points=30, expires_on=dt.date(2026, 12, 20)
            )
            await ledger.spend(session, business_key="d", customer_id="X1", points=40)
        notice = await expiry.run_expiry(sessions, dt.date(2026, 12, 10))
        assert notice.points_expired == 0
        async with sessions() as session:
            sent = await session.scalar(sa.text("SELECT count(*) FROM points.expiry_notices"))
        assert sent == 2
        first = await expiry.run_expiry(sessions, dt.date(2026, 12, 31))
        assert (first.members, first.points_expired, first.already_done) == (2, 60 + 30, False)
        again = await expiry.run_expiry(sessions, dt.date(2026, 12, 31))
        assert again.already_done and again.points_expired == 90
        async with sessions() as session:
            rows = dict(
                (await session.execute(sa.select(balances.c.customer_id, balances.c.available))).all()
            )
        assert rows == {"X1": 50, "X2": 0}
        await assert_ledger_sound(sessions)
