"""Group commit for the ledger's hot path: many callers' earns and spends in one transaction.

One posting per transaction costs a connection checkout, five round trips and a WAL flush, and
on a small machine that caps the ledger at a few hundred postings a second. Here concurrent
`post()` calls queue up; a flusher takes everything queued (up to `max_batch`) and, in ONE
transaction, locks all those members at once in customer-id order (`points.lock_members`),
plans every posting in memory against the balances and lots it read — in arrival order, so an
earn and a later spend on one member in the same batch see each other — stores all of them
with one statement (`points.apply_postings`) and commits. Callers are answered only after the
commit, so an answer still means "durable".

The rules are exactly the single-posting ledger's: the same validation, the same request hash
and replay semantics per business key (also between two requests of one batch), the same
earliest-expiry-first lot choice, balances never negative. A request the domain refuses
(short balance, unknown member, key reused with another payload) is answered with its error and
leaves no trace, while the rest of its batch commits. When the batch itself fails in the
database (a key stored concurrently by a single-posting transaction, a deadlock with one), every
request of it is retried alone through the single-posting path, which decides it exactly as
before.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import logging
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi_common.db import transaction
from lingxi_common.errors import Conflict, FailedPrecondition, NotFound, ServiceError
from lingxi_common.telemetry import meter
from lingxi_points import ledger
from lingxi_points.ledger import Account, Balance, Context, Kind, PostingResult

log = logging.getLogger(__name__)

_meter = meter("lingxi.points")
_batch_sizes = _meter.create_histogram(
    "lingxi_points_group_commit_batch_size", unit="{posting}", description="Postings per group commit"
)
_queue_depth = _meter.create_up_down_counter(
    "lingxi_points_group_commit_queued", unit="{posting}", description="Postings waiting for a group commit"
)

_LOCK_MEMBERS = sa.text(
    "SELECT points.lock_members(CAST(:customers AS text[]), CAST(:keys AS text[]), CAST(:demand AS bigint[]))"
)
_APPLY_POSTINGS = sa.text("SELECT points.apply_postings(CAST(:docs AS jsonb))")


@dataclass(frozen=True, slots=True)
class PostingRequest:
    """An earn or a spend, as PostPoints takes it (adjustments use the house account they name)."""

    kind: Kind
    business_key: str
    customer_id: str
    points: int
    expires_on: dt.date | None = None
    pending_days: int = 0
    context: Context = field(default_factory=Context)
    house: Account | None = None

    @property
    def house_account(self) -> Account:
        if self.house is not None:
            return self.house
        return Account.ISSUANCE if self.kind is Kind.EARN else Account.REDEMPTION

    def validate(self) -> None:
        if self.kind not in (Kind.EARN, Kind.SPEND):
            raise ValueError(f"group commit posts earns and spends, not {self.kind}")
        if self.kind is Kind.EARN:
            ledger.check_earn(self.business_key, self.points, self.pending_days)
        else:
            ledger.check_key(self.business_key)
            ledger.check_points(self.points)

    def sha(self) -> str:
        if self.kind is Kind.EARN:
            return ledger.earn_sha(
                self.kind,
                self.customer_id,
                self.points,
                self.context.rule_code,
                self.pending_days,
                self.expires_on,
            )
        return ledger.spend_sha(self.kind, self.customer_id, self.points)


Outcome = PostingResult | ServiceError


@dataclass(slots=True)
class _Lot:
    lot_id: uuid.UUID
    remaining: int
    expires_on: dt.date | None
    # Lots created in this batch sort after older lots of the same expiry, then by id, as the
    # lots table's (expires_on, created_at, lot_id) order will have them once committed.
    fresh: bool = False

    def order(self) -> tuple[dt.date, bool, uuid.UUID | None]:
        return (self.expires_on or dt.date.max, self.fresh, self.lot_id if self.fresh else None)


@dataclass(slots=True)
class _Member:
    """A locked member as the batch sees it.

    `lots` are the available lots in spending order, but only as far as this batch's spends on
    the member can reach (a prefix of the full list); `complete` says whether they are all of
    them. `expiring` is the member's points per expiry date, kept current as postings are planned.
    """

    balance: Balance
    lots: list[_Lot]
    expiring_by_day: dict[dt.date, int]

    @property
    def complete(self) -> bool:
        return sum(lot.remaining for lot in self.lots) == self.balance.available

    def available_lots(self) -> list[tuple[uuid.UUID, int, dt.date | None]]:
        return [(lot.lot_id, lot.remaining, lot.expires_on) for lot in self.lots]

    def expiring(self) -> tuple[tuple[dt.date, int], ...]:
        return tuple(sorted((day, points) for day, points in self.expiring_by_day.items() if points > 0))


@dataclass(frozen=True, slots=True)
class Posted:
    """A group-committed posting's result, with the member's expiry buckets after it."""

    result: PostingResult
    expiring: tuple[tuple[dt.date, int], ...]


async def post_many(session: AsyncSession, requests: Sequence[PostingRequest]) -> list[Posted | ServiceError]:
    """Plan and store a batch of earns and spends in the caller's transaction (see module doc)."""
    outcomes: list[Posted | ServiceError | None] = [None] * len(requests)
    wanted: list[int] = []
    for index, request in enumerate(requests):
        try:
            request.validate()
            wanted.append(index)
        except ServiceError as error:
            outcomes[index] = error
    if not wanted:
        return [_decided(outcome) for outcome in outcomes]
    demand: dict[str, int] = {}
    for index in wanted:
        request = requests[index]
        spent = request.points if request.kind is Kind.SPEND else 0
        demand[request.customer_id] = demand.get(request.customer_id, 0) + spent
    customers = sorted(demand)
    keys = sorted({requests[i].business_key for i in wanted})
    raw = (
        await session.execute(
            _LOCK_MEMBERS,
            {"customers": customers, "keys": keys, "demand": [demand[customer] for customer in customers]},
        )
    ).scalar_one()
    state = orjson.loads(raw) if isinstance(raw, str) else raw
    members = {customer: _member(customer, row) for customer, row in state["members"].items()}
    stored: dict[str, tuple[str, str]] = {key: (row[0], row[1]) for key, row in state["keys"].items()}
    # Keys posted earlier in this batch: their hash and their result, for in-batch replays.
    posted: dict[str, tuple[str, Posted]] = {}
    documents: list[dict[str, Any]] = []
    replays: list[tuple[int, uuid.UUID, Balance, tuple[tuple[dt.date, int], ...]]] = []
    for index in wanted:
        request = requests[index]
        member = members.get(request.customer_id)
        if member is None:
            outcomes[index] = NotFound("member", request.customer_id)
            continue
        sha = request.sha()
        key = request.business_key
        if key in posted:
            earlier_sha, earlier = posted[key]
            outcomes[index] = (
                Posted(PostingResult(earlier.result.posting, True, member.balance), member.expiring())
                if earlier_sha == sha
                else _key_conflict(key, earlier.result.posting.posting_id)
            )
            continue
        if key in stored:
            existing_id, existing_sha = stored[key]
            if existing_sha != sha:
                outcomes[index] = _key_conflict(key, uuid.UUID(existing_id))
            else:
                # Answered with the balance as it stands at this point of the batch.
                replays.append((index, uuid.UUID(existing_id), member.balance, member.expiring()))
            continue
        try:
            result, document = _plan(request, sha, member)
        except ServiceError as error:
            outcomes[index] = error
            continue
        _follow(member, result, document)
        done = Posted(result, member.expiring())
        posted[key] = (sha, done)
        outcomes[index] = done
        documents.append(document)
    if documents:
        # orjson writes UUIDs and dates itself; `default=str` covers asyncpg's own UUID type.
        await session.execute(_APPLY_POSTINGS, {"docs": orjson.dumps(documents, default=str).decode()})
    for index, posting_id, balance, expiring in replays:
        original = await ledger.find_posting(session, posting_id=posting_id)
        assert original is not None  # read under the member lock; postings are never deleted
        outcomes[index] = Posted(PostingResult(original, True, balance), expiring)
    return [_decided(outcome) for outcome in outcomes]


def _decided(outcome: Posted | ServiceError | None) -> Posted | ServiceError:
    if outcome is None:  # every request is answered above; this would be a bug here
        raise AssertionError("a request of the batch was left undecided")
    return outcome


def _key_conflict(key: str, posting_id: uuid.UUID) -> Conflict:
    return Conflict(
        f"business_key {key!r} was already posted with a different payload "
        f"(posting {posting_id}); use a new key for a new fact"
    )


def _member(customer_id: str, row: list[Any]) -> _Member:
    available, pending, reserved, lifetime, lots, expiring = row
    return _Member(
        Balance(customer_id, int(available), int(pending), int(reserved), int(lifetime)),
        [
            _Lot(uuid.UUID(lot_id), int(remaining), dt.date.fromisoformat(expires) if expires else None)
            for lot_id, remaining, expires in lots
        ],
        {dt.date.fromisoformat(day): int(points) for day, points in expiring},
    )


def _plan(request: PostingRequest, sha: str, member: _Member) -> tuple[PostingResult, dict[str, Any]]:
    if request.kind is Kind.EARN:
        draft = ledger.earn_draft(
            kind=request.kind,
            house=request.house_account,
            points=request.points,
            expires_on=request.expires_on,
            pending_days=request.pending_days,
            occurred_at=request.context.occurred_at,
        )
    else:
        if member.balance.available < request.points:
            raise FailedPrecondition(
                f"member {request.customer_id!r} has {member.balance.available} points available, "
                f"{request.points} needed"
            )
        taken = ledger.take_from_lots(request.customer_id, member.available_lots(), request.points)
        draft = ledger.spend_draft(request.kind, request.house_account, request.points, taken)
    return ledger.build_posting(
        balance=member.balance,
        business_key=request.business_key,
        sha=sha,
        draft=draft,
        context=request.context,
    )


def _follow(member: _Member, result: PostingResult, document: dict[str, Any]) -> None:
    """Bring the in-memory member up to date with a planned posting, as the database will be."""
    complete = member.complete
    member.balance = result.balance
    by_id = {lot.lot_id: lot for lot in member.lots}
    for delta in document["lot_deltas"]:
        lot = by_id[delta["lot_id"]]
        lot.remaining += delta["delta"]
        if lot.expires_on is not None:
            member.expiring_by_day[lot.expires_on] += delta["delta"]
    member.lots = [lot for lot in member.lots if lot.remaining > 0]
    for new in document["new_lots"]:
        if new["expires_on"] is not None:
            day = new["expires_on"]
            member.expiring_by_day[day] = member.expiring_by_day.get(day, 0) + new["points"]
        if new["state"] != "available":
            continue
        lot = _Lot(new["lot_id"], new["points"], new["expires_on"], fresh=True)
        keys = [existing.order() for existing in member.lots]
        position = bisect.bisect_right(keys, lot.order())
        # Past the end of a partial list there are older lots the batch did not read: a new lot
        # that sorts there can never be reached by this batch's spends, so it is not tracked.
        if complete or position < len(member.lots):
            member.lots.insert(position, lot)


@dataclass(slots=True)
class _Waiting:
    request: PostingRequest
    answer: asyncio.Future[Posted]


class PostingGroupCommit:
    """Queues concurrent earns/spends and commits them in batches (see the module docstring).

    No background task outlives the work: the first `post()` that finds fewer than
    `max_flushers` flushers running starts one, and a flusher stops when the queue is empty.
    One flusher is the default: measured on the 2-core machine it matches two when members are
    spread and beats them on a few hot members, where a second flusher's batch only waits on
    the first one's locks and the batches get smaller.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, max_batch: int = 256, max_flushers: int = 1
    ) -> None:
        self._sessions = sessions
        self._max_batch = max_batch
        self._max_flushers = max_flushers
        self._queue: deque[_Waiting] = deque()
        self._flushers: set[asyncio.Task[None]] = set()

    async def post(self, request: PostingRequest) -> Posted:
        answer: asyncio.Future[Posted] = asyncio.get_running_loop().create_future()
        self._queue.append(_Waiting(request, answer))
        _queue_depth.add(1)
        if len(self._flushers) < self._max_flushers:
            task = asyncio.create_task(self._flush(), name="points-group-commit")
            self._flushers.add(task)
            task.add_done_callback(self._flushers.discard)
        # A caller that gives up (deadline) does not cancel the batch: the posting may still
        # commit, and its business key makes the retry return it.
        return await asyncio.shield(answer)

    async def _flush(self) -> None:
        while self._queue:
            batch = [self._queue.popleft() for _ in range(min(self._max_batch, len(self._queue)))]
            _queue_depth.add(-len(batch))
            _batch_sizes.record(len(batch))
            try:
                await self._commit(batch)
            except BaseException as error:  # every waiter must hear about it
                for waiting in batch:
                    if not waiting.answer.done():
                        waiting.answer.set_exception(
                            error if isinstance(error, Exception) else RuntimeError("group commit cancelled")
                        )
                if not isinstance(error, Exception):
                    raise

    async def _commit(self, batch: list[_Waiting]) -> None:
        try:
            async with transaction(self._sessions) as session:
                outcomes = await post_many(session, [waiting.request for waiting in batch])
        except DBAPIError as error:
            log.warning(
                "group commit of %d postings failed in the database (%s); posting them one by one",
                len(batch),
                type(error.orig).__name__ if error.orig is not None else type(error).__name__,
            )
            for waiting in batch:
                await self._post_alone(waiting)
            return
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, Posted):
                waiting.answer.set_result(outcome)
            else:
                waiting.answer.set_exception(outcome)

    async def _post_alone(self, waiting: _Waiting) -> None:
        request = waiting.request
        try:
            async with transaction(self._sessions) as session:
                if request.kind is Kind.EARN:
                    result = await ledger.earn(
                        session,
                        business_key=request.business_key,
                        customer_id=request.customer_id,
                        points=request.points,
                        expires_on=request.expires_on,
                        pending_days=request.pending_days,
                        context=request.context,
                        kind=request.kind,
                        house=request.house_account,
                    )
                else:
                    result = await ledger.spend(
                        session,
                        business_key=request.business_key,
                        customer_id=request.customer_id,
                        points=request.points,
                        context=request.context,
                        kind=request.kind,
                        house=request.house_account,
                    )
                expiring = await ledger.read_expiring(session, request.customer_id)
        except Exception as error:  # handed to the caller as is
            waiting.answer.set_exception(error)
            return
        waiting.answer.set_result(Posted(result, expiring))
