"""The group commit decides exactly as the single-posting ledger, whatever the batching.

Hypothesis draws a sequence of earns, spends and key replays over two members and a split of
that sequence into batches. The sequence is played twice against real PostgreSQL: one request
per transaction through `ledger.earn` / `ledger.spend`, and batch by batch through
`group_commit.post_many`, on members with fresh ids. Both must agree on every outcome (posted,
replayed, refused and why), on which expiry dates every spend took its points from, and on the
members' balances and lots afterwards; the ledger invariants must hold.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from points_testkit import assert_ledger_sound, ledger_database, open_members
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi_common.db import transaction
from lingxi_common.errors import ServiceError
from lingxi_points import ledger
from lingxi_points.group_commit import Posted, PostingRequest, post_many
from lingxi_points.ledger import Kind
from lingxi_points.models import lots

pytestmark = pytest.mark.integration

_counter = itertools.count()
EXPIRIES = [dt.date(2027, 3, 31), dt.date(2027, 12, 31), dt.date(2028, 12, 31), None]

step = st.one_of(
    st.tuples(st.just("earn"), st.integers(0, 1), st.integers(1, 40), st.integers(0, 3), st.integers(0, 1)),
    st.tuples(st.just("spend"), st.integers(0, 1), st.integers(1, 60)),
    st.tuples(st.just("again"), st.integers(0, 40), st.booleans()),
)


@pytest.mark.timeout(240)
def test_batches_decide_like_single_postings(database_url: str) -> None:
    loop = asyncio.new_event_loop()
    context = ledger_database(database_url)
    sessions = loop.run_until_complete(context.__aenter__())
    try:

        @settings(
            max_examples=80,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        )
        @given(st.lists(step, min_size=1, max_size=30), st.lists(st.integers(1, 8), min_size=1, max_size=30))
        def run(steps: list[tuple], cuts: list[int]) -> None:
            loop.run_until_complete(_compare(sessions, steps, cuts))

        run()
    finally:
        loop.run_until_complete(context.__aexit__(None, None, None))


def _requests(steps: list[tuple], members: list[str], prefix: str) -> list[PostingRequest]:
    requests: list[PostingRequest] = []
    for index, drawn in enumerate(steps):
        if drawn[0] == "earn":
            _, who, points, expiry, pending = drawn
            requests.append(
                PostingRequest(
                    Kind.EARN,
                    f"{prefix}e{index}",
                    members[who],
                    points,
                    EXPIRIES[expiry],
                    pending_days=pending * 3,
                )
            )
        elif drawn[0] == "spend":
            _, who, points = drawn
            requests.append(PostingRequest(Kind.SPEND, f"{prefix}s{index}", members[who], points))
        elif requests:
            # The key of an earlier request again: same payload (a replay) or another (refused).
            _, back, same = drawn
            earlier = requests[-1 - back % len(requests)]
            points = earlier.points if same else earlier.points + 1
            requests.append(
                PostingRequest(
                    earlier.kind,
                    earlier.business_key,
                    earlier.customer_id,
                    points,
                    earlier.expires_on,
                    earlier.pending_days,
                )
            )
    return requests


def _outcome(outcome: Posted | ServiceError, members: list[str]) -> tuple:
    if isinstance(outcome, ServiceError):
        return ("refused", type(outcome).__name__)
    posting = outcome.result.posting
    # Points taken per expiry date: lots of one date are interchangeable (the tie between them
    # is broken by creation time, which batching changes), the earliest-date-first rule is not.
    taken: dict[str, int] = {}
    for line in posting.lines:
        if line.amount < 0 and line.lot_id:
            taken[str(line.lot_expires_on)] = taken.get(str(line.lot_expires_on), 0) + line.amount
    balance = outcome.result.balance
    return (
        "replayed" if outcome.result.replayed else "posted",
        members.index(posting.customer_id),
        posting.points,
        tuple(sorted(taken.items())),
        (balance.available, balance.pending, balance.lifetime_earned),
    )


async def _one_by_one(
    sessions: async_sessionmaker[AsyncSession], request: PostingRequest
) -> Posted | ServiceError:
    try:
        async with transaction(sessions) as session:
            if request.kind is Kind.EARN:
                result = await ledger.earn(
                    session,
                    business_key=request.business_key,
                    customer_id=request.customer_id,
                    points=request.points,
                    expires_on=request.expires_on,
                    pending_days=request.pending_days,
                )
            else:
                result = await ledger.spend(
                    session,
                    business_key=request.business_key,
                    customer_id=request.customer_id,
                    points=request.points,
                )
    except ServiceError as error:
        return error
    return Posted(result, ())


async def _state(sessions: async_sessionmaker[AsyncSession], member: str) -> tuple:
    async with sessions() as session:
        balance = await ledger.read_balance(session, member)
        rows = await session.execute(
            sa.select(lots.c.expires_on, lots.c.state, sa.func.sum(lots.c.remaining))
            .where(lots.c.customer_id == member)
            .group_by(lots.c.expires_on, lots.c.state)
        )
        held = sorted((str(day), state, int(total)) for day, state, total in rows.all())
    return (balance.available, balance.pending, balance.reserved, balance.lifetime_earned, held)


async def _compare(sessions: async_sessionmaker[AsyncSession], steps: list[tuple], cuts: list[int]) -> None:
    run = next(_counter)
    alone_members = [f"alone{run}a", f"alone{run}b"]
    batch_members = [f"batch{run}a", f"batch{run}b"]
    await open_members(sessions, *alone_members, *batch_members)
    alone_requests = _requests(steps, alone_members, f"A{run}:")
    batch_requests = _requests(steps, batch_members, f"B{run}:")

    alone = [_outcome(await _one_by_one(sessions, request), alone_members) for request in alone_requests]
    batched: list[tuple] = []
    position = 0
    for cut in itertools.cycle(cuts):
        if position >= len(batch_requests):
            break
        chunk = batch_requests[position : position + cut]
        position += cut
        async with transaction(sessions) as session:
            outcomes = await post_many(session, chunk)
        batched.extend(_outcome(outcome, batch_members) for outcome in outcomes)

    assert batched == alone
    for mine, theirs in zip(alone_members, batch_members, strict=True):
        assert await _state(sessions, theirs) == await _state(sessions, mine)
    await assert_ledger_sound(sessions, alone_members + batch_members)
