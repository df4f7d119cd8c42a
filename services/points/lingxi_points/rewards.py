"""The rewards catalog and the redemption order flow.

reserve → fulfil → confirm, or cancel → refund. Reserving takes the stock (a conditional UPDATE
that can never go below zero) and moves the member's points into their reserved account in one
transaction; confirming consumes the reserved points; cancelling — or a reservation left
unfulfilled past its time to live — returns both. Each step is idempotent: the reservation by the
caller's request id, the later steps by the redemption's state (doing a step again returns the
redemption as it is) and by the ledger's business keys "redemption:<id>:<step>".

Locks are always taken in the same order — redemption row, member balance, reward row — so the
flows cannot deadlock one another.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from google.protobuf.json_format import MessageToDict, ParseDict
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.events.v1 import points_events_pb2
from lingxi.points.v1 import reward_service_pb2
from lingxi_common.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound
from lingxi_points import ledger, tiers
from lingxi_points.events import publish
from lingxi_points.models import members, redemptions, reward_stock_changes, rewards

DEFAULT_TTL = dt.timedelta(minutes=30)
LIVE = ("RESERVED", "FULFILLED", "CONFIRMED")


def _reward(row: Any) -> Any:
    reward = ParseDict(row.definition, reward_service_pb2.Reward(), ignore_unknown_fields=True)
    reward.stock_total = row.stock_total
    reward.stock_available = row.stock_available
    return reward


def validate(reward: Any) -> None:
    if not reward.reward_id or len(reward.reward_id) > 64:
        raise InvalidArgument("reward.reward_id", "is required (at most 64 characters)")
    if not reward.name.strip():
        raise InvalidArgument("reward.name", "is required")
    if reward.kind == reward_service_pb2.REWARD_KIND_UNSPECIFIED:
        raise InvalidArgument("reward.kind", "is required (COUPON, ADVISORY_TRIAL, FEE_DISCOUNT or GIFT)")
    if reward.points_price <= 0:
        raise InvalidArgument("reward.points_price", "must be greater than zero")
    for index, price in enumerate(reward.tier_prices):
        if price.points_price <= 0:
            raise InvalidArgument(f"reward.tier_prices[{index}].points_price", "must be greater than zero")
    if reward.per_member_limit < 0:
        raise InvalidArgument("reward.per_member_limit", "must not be negative (0 = unlimited)")
    if reward.stock_total < 0:
        raise InvalidArgument("reward.stock_total", "must not be negative")


async def upsert(session: AsyncSession, reward: Any) -> Any:
    """Create a reward (its stock_total is the initial stock) or edit one (stock changes go
    through AdjustRewardStock, so an edit never silently resets what has been redeemed)."""
    validate(reward)
    definition = MessageToDict(reward, preserving_proto_field_name=True)
    for field_name in ("stock_total", "stock_available", "my_points_price", "my_remaining_allowance"):
        definition.pop(field_name, None)
    if not reward.status:
        definition["status"] = "REWARD_STATUS_ACTIVE"
    statement = insert(rewards).values(
        reward_id=reward.reward_id,
        definition=definition,
        stock_total=reward.stock_total,
        stock_available=reward.stock_total,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[rewards.c.reward_id],
            set_={"definition": statement.excluded.definition, "updated_at": sa.func.now()},
        )
    )
    return await get(session, reward.reward_id)


async def get(session: AsyncSession, reward_id: str, customer_id: str | None = None) -> Any:
    row = (await session.execute(sa.select(rewards).where(rewards.c.reward_id == reward_id))).first()
    if row is None:
        raise NotFound("reward", reward_id)
    reward = _reward(row)
    if customer_id:
        await _personalise(session, reward, customer_id)
    return reward


async def list_rewards(
    session: AsyncSession, customer_id: str | None, kinds: list[int], redeemable_only: bool
) -> list[Any]:
    rows = (await session.execute(sa.select(rewards).order_by(rewards.c.reward_id))).all()
    result = []
    for row in rows:
        reward = _reward(row)
        if kinds and reward.kind not in kinds:
            continue
        if customer_id:
            await _personalise(session, reward, customer_id)
        if redeemable_only and (
            reward.status != reward_service_pb2.REWARD_STATUS_ACTIVE
            or reward.stock_available <= 0
            or reward.my_remaining_allowance == 0
        ):
            continue
        result.append(reward)
    return result


def _price(reward: Any, tier_code: str) -> int:
    for price in reward.tier_prices:
        if price.tier_code == tier_code:
            return int(price.points_price)
    return int(reward.points_price)


async def _redeemed(session: AsyncSession, customer_id: str, reward_id: str) -> int:
    total = await session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(redemptions.c.quantity), 0)).where(
            redemptions.c.customer_id == customer_id,
            redemptions.c.reward_id == reward_id,
            redemptions.c.status.in_(LIVE),
        )
    )
    return int(total or 0)


async def _personalise(session: AsyncSession, reward: Any, customer_id: str) -> None:
    tier_code = await session.scalar(
        sa.select(members.c.tier_code).where(members.c.customer_id == customer_id)
    )
    reward.my_points_price = _price(reward, tier_code or "")
    if reward.per_member_limit:
        reward.my_remaining_allowance = max(
            0, reward.per_member_limit - await _redeemed(session, customer_id, reward.reward_id)
        )
    else:
        reward.my_remaining_allowance = -1


async def adjust_stock(
    session: AsyncSession, *, reward_id: str, delta: int, reason: str, request_id: str
) -> Any:
    if not request_id:
        raise InvalidArgument("request_id", "is required (it makes the change idempotent)")
    if delta == 0:
        raise InvalidArgument("delta", "must not be zero")
    if not reason.strip():
        raise InvalidArgument("reason", "is required")
    inserted = await session.execute(
        insert(reward_stock_changes)
        .values(request_id=request_id, reward_id=reward_id, delta=delta, reason=reason)
        .on_conflict_do_nothing()
        .returning(reward_stock_changes.c.request_id)
    )
    if inserted.first() is None:
        previous = (
            await session.execute(
                sa.select(reward_stock_changes).where(reward_stock_changes.c.request_id == request_id)
            )
        ).one()
        if previous.reward_id != reward_id or previous.delta != delta:
            raise Conflict(f"request_id {request_id!r} was already used for another stock change")
        return await get(session, reward_id)
    changed = await session.execute(
        sa.update(rewards)
        .where(rewards.c.reward_id == reward_id, rewards.c.stock_available + delta >= 0)
        .values(stock_total=rewards.c.stock_total + delta, stock_available=rewards.c.stock_available + delta)
        .returning(rewards.c.reward_id)
    )
    if changed.first() is None:
        await get(session, reward_id)  # NotFound when it does not exist
        raise FailedPrecondition(f"reward {reward_id!r} has less available stock than {-delta}")
    return await get(session, reward_id)


def to_proto(row: Any) -> Any:
    message = reward_service_pb2.Redemption(
        redemption_id=str(row.redemption_id),
        customer_id=row.customer_id,
        reward_id=row.reward_id,
        quantity=row.quantity,
        points=row.points,
        status=reward_service_pb2.RedemptionStatus.Value(f"REDEMPTION_STATUS_{row.status}"),
        fulfilment_ref=row.fulfilment_ref or "",
        cancel_reason=row.cancel_reason or "",
        request_id=row.request_id,
    )
    for name in ("reserved_at", "reservation_expires_at", "fulfilled_at", "confirmed_at", "cancelled_at"):
        value = getattr(row, name)
        if value is not None:
            getattr(message, name).FromDatetime(value)
    return message


async def _announce(session: AsyncSession, row: Any, previous: str) -> None:
    await publish(
        session,
        points_events_pb2.RedemptionChanged(
            redemption_id=str(row.redemption_id),
            customer_id=row.customer_id,
            reward_id=row.reward_id,
            previous_status=f"REDEMPTION_STATUS_{previous}" if previous else "",
            status=f"REDEMPTION_STATUS_{row.status}",
            points=row.points,
            quantity=row.quantity,
        ),
    )


async def reserve(
    session: AsyncSession, *, request_id: str, customer_id: str, reward_id: str, quantity: int
) -> tuple[Any, bool]:
    """Reserve stock and points; returns (redemption row, replayed)."""
    if not request_id:
        raise InvalidArgument("request_id", "is required (it makes the reservation idempotent)")
    quantity = quantity or 1
    if quantity < 0 or quantity > 100:
        raise InvalidArgument("quantity", f"must be between 1 and 100, got {quantity}")
    sha = ledger.request_sha256({"customer_id": customer_id, "reward_id": reward_id, "quantity": quantity})
    await ledger.lock_member(session, customer_id)
    existing = (
        await session.execute(sa.select(redemptions).where(redemptions.c.request_id == request_id))
    ).first()
    if existing is not None:
        if existing.request_sha256 != sha:
            raise Conflict(f"request_id {request_id!r} was already used for a different redemption")
        return existing, True
    reward = await get(session, reward_id)
    today = ledger.business_day(ledger.now())
    if reward.status != reward_service_pb2.REWARD_STATUS_ACTIVE:
        raise FailedPrecondition(f"reward {reward_id!r} is not available")
    if reward.valid.HasField("end") and today > dt.date(
        reward.valid.end.year, reward.valid.end.month, reward.valid.end.day
    ):
        raise FailedPrecondition(f"reward {reward_id!r} is no longer offered")
    tier_code = await tiers.member_tier(session, customer_id)
    if reward.min_tier_code:
        ladder = {t.tier_code: t.rank for t in await tiers.list_tiers(session)}
        if ladder.get(tier_code, -1) < ladder.get(reward.min_tier_code, 0):
            raise FailedPrecondition(f"reward {reward_id!r} needs tier {reward.min_tier_code!r} or higher")
    if reward.per_member_limit:
        used = await _redeemed(session, customer_id, reward_id)
        if used + quantity > reward.per_member_limit:
            raise FailedPrecondition(
                f"reward {reward_id!r} allows {reward.per_member_limit} per member; {used} already redeemed"
            )
    taken = await session.execute(
        sa.update(rewards)
        .where(rewards.c.reward_id == reward_id, rewards.c.stock_available >= quantity)
        .values(stock_available=rewards.c.stock_available - quantity, updated_at=sa.func.now())
        .returning(rewards.c.stock_available)
    )
    if taken.first() is None:
        raise FailedPrecondition(f"reward {reward_id!r} is out of stock")
    points = _price(reward, tier_code) * quantity
    redemption_id = uuid.uuid4()
    result = await ledger.reserve(
        session,
        business_key=f"redemption:{redemption_id}:reserve",
        customer_id=customer_id,
        points=points,
        context=ledger.Context(description=f"兑换 {reward.name}"),
    )
    ttl = reward.reservation_ttl.ToTimedelta() if reward.HasField("reservation_ttl") else DEFAULT_TTL
    moment = ledger.now()
    row = (
        await session.execute(
            redemptions.insert()
            .values(
                redemption_id=redemption_id,
                request_id=request_id,
                request_sha256=sha,
                customer_id=customer_id,
                reward_id=reward_id,
                quantity=quantity,
                points=points,
                status="RESERVED",
                reserve_posting_id=result.posting.posting_id,
                reserved_at=moment,
                reservation_expires_at=moment + ttl,
            )
            .returning(*redemptions.c)
        )
    ).one()
    await _announce(session, row, "")
    return row, False


async def _locked(session: AsyncSession, redemption_id: str) -> Any:
    try:
        key = uuid.UUID(redemption_id)
    except ValueError as error:
        raise InvalidArgument("redemption_id", f"{redemption_id!r} is not a redemption id") from error
    row = (
        await session.execute(
            sa.select(redemptions).where(redemptions.c.redemption_id == key).with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("redemption", redemption_id)
    return row


async def get_redemption(session: AsyncSession, redemption_id: str) -> Any:
    try:
        key = uuid.UUID(redemption_id)
    except ValueError as error:
        raise InvalidArgument("redemption_id", f"{redemption_id!r} is not a redemption id") from error
    row = (await session.execute(sa.select(redemptions).where(redemptions.c.redemption_id == key))).first()
    if row is None:
        raise NotFound("redemption", redemption_id)
    return row


async def _set(session: AsyncSession, row: Any, status: str, **values: Any) -> Any:
    updated = (
        await session.execute(
            sa.update(redemptions)
            .where(redemptions.c.redemption_id == row.redemption_id)
            .values(status=status, **values)
            .returning(*redemptions.c)
        )
    ).one()
    await _announce(session, updated, row.status)
    return updated


async def fulfil(session: AsyncSession, redemption_id: str, fulfilment_ref: str) -> Any:
    if not fulfilment_ref:
        raise InvalidArgument("fulfilment_ref", "is required (coupon code, order or activation reference)")
    row = await _locked(session, redemption_id)
    if row.status == "FULFILLED" and row.fulfilment_ref == fulfilment_ref:
        return row
    if row.status != "RESERVED":
        raise FailedPrecondition(
            f"redemption {redemption_id} is {row.status}; only a RESERVED one can be fulfilled"
        )
    return await _set(session, row, "FULFILLED", fulfilment_ref=fulfilment_ref, fulfilled_at=ledger.now())


async def confirm(session: AsyncSession, redemption_id: str) -> Any:
    row = await _locked(session, redemption_id)
    if row.status == "CONFIRMED":
        return row
    if row.status != "FULFILLED":
        raise FailedPrecondition(
            f"redemption {redemption_id} is {row.status}; only a FULFILLED one can be confirmed"
        )
    await ledger.consume(
        session,
        business_key=f"redemption:{row.redemption_id}:confirm",
        reserve_posting_id=row.reserve_posting_id,
    )
    return await _set(session, row, "CONFIRMED", confirmed_at=ledger.now())


async def cancel(session: AsyncSession, redemption_id: str, reason: str, *, expired: bool = False) -> Any:
    """Return the stock and the reserved points (to the lots they came from)."""
    row = await _locked(session, redemption_id)
    if row.status in ("CANCELLED", "EXPIRED") or (expired and row.status != "RESERVED"):
        return row
    if row.status not in ("RESERVED", "FULFILLED"):
        raise FailedPrecondition(f"redemption {redemption_id} is {row.status} and can no longer be cancelled")
    step = "expire" if expired else "cancel"
    await ledger.unreserve(
        session,
        business_key=f"redemption:{row.redemption_id}:{step}",
        reserve_posting_id=row.reserve_posting_id,
        context=ledger.Context(description="兑换取消退回" if not expired else "兑换超时退回"),
    )
    await session.execute(
        sa.update(rewards)
        .where(rewards.c.reward_id == row.reward_id)
        .values(stock_available=rewards.c.stock_available + row.quantity, updated_at=sa.func.now())
    )
    return await _set(
        session,
        row,
        "EXPIRED" if expired else "CANCELLED",
        cancelled_at=ledger.now(),
        cancel_reason=reason or step,
    )


async def overdue_reservations(session: AsyncSession, moment: dt.datetime, limit: int = 500) -> list[str]:
    rows = await session.scalars(
        sa.select(redemptions.c.redemption_id)
        .where(redemptions.c.status == "RESERVED", redemptions.c.reservation_expires_at <= moment)
        .order_by(redemptions.c.reservation_expires_at)
        .limit(limit)
    )
    return [str(value) for value in rows.all()]


async def list_redemptions(
    session: AsyncSession, *, customer_id: str, reward_id: str, statuses: list[str], limit: int, offset: int
) -> list[Any]:
    query = sa.select(redemptions).order_by(redemptions.c.reserved_at.desc()).limit(limit).offset(offset)
    if customer_id:
        query = query.where(redemptions.c.customer_id == customer_id)
    if reward_id:
        query = query.where(redemptions.c.reward_id == reward_id)
    if statuses:
        query = query.where(redemptions.c.status.in_(statuses))
    return list((await session.execute(query)).all())
