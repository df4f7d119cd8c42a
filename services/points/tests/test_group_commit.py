"""Group commit: many callers' earns and spends in one transaction, decided as if one by one."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
import sqlalchemy as sa
from points_testkit import assert_ledger_sound, ledger_database, open_members
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi_common.db import transaction
from lingxi_common.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound
from lingxi_points import ledger
from lingxi_points.group_commit import Posted, PostingGroupCommit, PostingRequest, post_many
from lingxi_points.ledger import Kind
from lingxi_points.models import lots, postings

pytestmark = pytest.mark.integration
SOON = dt.date(2027, 6, 30)
LATER = dt.date(2029, 12, 31)


def earn(key: str, customer: str, points: int, expires_on: dt.date | None = LATER) -> PostingRequest:
    return PostingRequest(Kind.EARN, key, customer, points, expires_on=expires_on)


def spend(key: str, customer: str, points: int) -> PostingRequest:
    return PostingRequest(Kind.SPEND, key, customer, points)


async def test_one_batch_decides_each_request_as_if_alone(database_url: str) -> None:
    async with ledger_database(database_url) as sessions:
        await open_members(sessions, "A", "B")
        async with transaction(sessions) as session:
            await ledger.earn(session, business_key="old", customer_id="B", points=10, expires_on=LATER)
        requests = [
            earn("a1", "A", 30, LATER),
            earn("a2", "A", 20, SOON),
            spend("a3", "A", 25),  # takes the SOON lot first, then 5 of the LATER one
            earn("a1", "A", 30, LATER),  # the same fact again in the same batch: a replay
            earn("a1", "A", 31, LATER),  # the same key, another payload: refused
            spend("a4", "A", 1000),  # short: refused, the batch goes on
            earn("old", "B", 10, LATER),  # stored before the batch: a replay
            spend("old", "B", 10),  # stored key, another payload: refused
            earn("x", "NOBODY", 5),
            earn("bad", "A", 0),
            spend("b1", "B", 4),
        ]
        async with transaction(sessions) as session:
            outcomes = await post_many(session, requests)
        first, second, taken, replay, clash, short, stored, stored_clash, unknown, zero, spent = outcomes
        assert isinstance(first, Posted) and isinstance(second, Posted) and isinstance(taken, Posted)
        assert isinstance(replay, Posted) and replay.result.replayed
        assert replay.result.posting.posting_id == first.result.posting.posting_id
        assert isinstance(clash, Conflict) and "a1" in clash.message
        assert isinstance(short, FailedPrecondition)
        assert isinstance(stored, Posted) and stored.result.replayed
        assert isinstance(stored_clash, Conflict)
        assert isinstance(unknown, NotFound)
        assert isinstance(zero, InvalidArgument) and zero.field == "points"
        assert isinstance(spent, Posted) and spent.result.balance.available == 6

        spent_from = {
            line.lot_expires_on: -line.amount for line in taken.result.posting.lines if line.amount < 0
        }
        assert spent_from == {SOON: 20, LATER: 5}
        assert taken.result.balance.available == 25
        assert taken.expiring == ((LATER, 25),)
        async with sessions() as session:
            balance_a = await ledger.read_balance(session, "A")
            keys = set((await session.scalars(sa.select(postings.c.business_key))).all())
            remaining = dict(
                (
                    await session.execute(
                        sa.select(lots.c.expires_on, lots.c.remaining).where(lots.c.customer_id == "A")
                    )
                ).all()
            )
        assert (balance_a.available, balance_a.lifetime_earned) == (25, 50)
        assert keys == {"old", "a1", "a2", "a3", "b1"}
        assert remaining == {SOON: 0, LATER: 25}
        await assert_ledger_sound(sessions)


async def test_concurrent_callers_are_batched_and_never_overspend(database_url: str) -> None:
    async with ledger_database(database_url) as sessions:
        members = [f"M{i}" for i in range(20)]
        await open_members(sessions, "HOT", *members)
        group = PostingGroupCommit(sessions, max_batch=16)

        async def client(index: int) -> str:
            customer = "HOT" if index % 2 else members[index % len(members)]
            try:
                if index % 3 == 2:
                    await group.post(spend(f"s{index}", customer, 9))
                    return "spend"
                await group.post(earn(f"e{index}", customer, 5))
                return "earn"
            except FailedPrecondition:
                return "refused"

        outcomes = await asyncio.gather(*(client(i) for i in range(300)))
        # The same business key from many callers at once: one posting, every other a replay.
        replays = await asyncio.gather(*(group.post(earn("same", "HOT", 7)) for _ in range(10)))
        assert [posted.result.replayed for posted in replays].count(False) == 1
        assert len({posted.result.posting.posting_id for posted in replays}) == 1
        async with sessions() as session:
            count = await session.scalar(sa.select(sa.func.count()).select_from(postings))
            # xmin names the transaction that wrote a row: fewer transactions than postings.
            batches = await session.scalar(sa.text("SELECT count(DISTINCT xmin::text) FROM points.postings"))
            everyone = await session.scalar(sa.text("SELECT sum(available) FROM points.balances"))
        posted = outcomes.count("earn") + outcomes.count("spend") + 1
        assert count == posted
        assert "refused" in outcomes  # spends on the hot member sometimes find too little
        assert everyone == 5 * outcomes.count("earn") - 9 * outcomes.count("spend") + 7
        assert batches is not None and batches < posted  # postings did share transactions
        await assert_ledger_sound(sessions)


async def test_a_key_stored_meanwhile_by_another_transaction_sends_the_batch_one_by_one(
    database_url: str,
) -> None:
    async with ledger_database(database_url) as sessions:
        await open_members(sessions, "A", "B", "C")
        group = PostingGroupCommit(sessions)
        async with sessions() as other, other.begin():
            # Another writer posts key "k" for B and has not committed yet.
            await ledger.earn(other, business_key="k", customer_id="B", points=3, expires_on=LATER)
            batch = asyncio.gather(
                group.post(earn("k", "A", 4)), group.post(earn("c1", "C", 6)), return_exceptions=True
            )
            task = asyncio.ensure_future(batch)
            await _until_waiting_on_a_lock(sessions)
        outcomes = await task
        clash, fine = outcomes
        assert isinstance(clash, Conflict)
        assert isinstance(fine, Posted) and fine.result.balance.available == 6
        async with sessions() as session:
            owners = dict(
                (await session.execute(sa.select(postings.c.business_key, postings.c.customer_id))).all()
            )
        assert owners == {"k": "B", "c1": "C"}
        await assert_ledger_sound(sessions)


async def _until_waiting_on_a_lock(sessions: async_sessionmaker[AsyncSession]) -> None:
    for _ in range(500):
        async with sessions() as session:
            waiting = await session.scalar(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND application_name = 'points-tests'"
                )
            )
        if waiting:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the group commit never waited on the other transaction's key")


async def test_spends_read_only_the_lots_they_reach_and_still_take_the_earliest(database_url: str) -> None:
    async with ledger_database(database_url) as sessions:
        await open_members(sessions, "P")
        years = [dt.date(year, 12, 31) for year in (2028, 2029, 2030, 2031, 2032)]
        async with transaction(sessions) as session:
            for year in years:
                await ledger.earn(
                    session, business_key=f"lot{year.year}", customer_id="P", points=10, expires_on=year
                )
        requests = [
            earn("early", "P", 4, SOON),  # expires before every stored lot: spent first
            earn("late", "P", 6, dt.date(2035, 1, 1)),  # after every lot the batch reads
            spend("s1", "P", 5),
            spend("s2", "P", 12),
        ]
        async with transaction(sessions) as session:
            outcomes = await post_many(session, requests)
        assert all(isinstance(outcome, Posted) for outcome in outcomes)
        first, second = outcomes[2], outcomes[3]
        assert isinstance(first, Posted) and isinstance(second, Posted)

        def taken(posted: Posted) -> dict[dt.date | None, int]:
            return {
                line.lot_expires_on: -line.amount for line in posted.result.posting.lines if line.amount < 0
            }

        assert taken(first) == {SOON: 4, years[0]: 1}
        assert taken(second) == {years[0]: 9, years[1]: 3}
        assert second.result.balance.available == 50 + 10 - 17
        assert dict(second.expiring) == {
            years[1]: 7,
            **{year: 10 for year in years[2:]},
            dt.date(2035, 1, 1): 6,
        }
        async with sessions() as session:
            rows = await session.execute(
                sa.select(lots.c.expires_on, lots.c.remaining).where(lots.c.customer_id == "P")
            )
            remaining = dict(rows.all())
        assert remaining == {
            SOON: 0,
            years[0]: 0,
            years[1]: 7,
            **{y: 10 for y in years[2:]},
            dt.date(2035, 1, 1): 6,
        }
        await assert_ledger_sound(sessions)
