"""Member tiers (registered, paid, core …): qualification, upgrades, downgrades, history.

Upgrades apply the moment a member qualifies (a customer who just crossed the line should feel
it at once). Downgrades only happen at a review date and after the tier's grace period, so a
member is never demoted by one quiet month and always has time to requalify. Every change is
recorded in `tier_changes` and announced as `lingxi.points.tier.changed`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from google.protobuf.json_format import MessageToDict, ParseDict
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.events.v1 import points_events_pb2
from lingxi.points.v1 import points_pb2
from lingxi_common.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound
from lingxi_points import customer_facts
from lingxi_points.events import publish
from lingxi_points.models import members, paid_memberships, postings, tier_changes, tiers

REVIEW_PERIOD = dt.timedelta(days=365)


def from_dict(data: dict[str, Any]) -> Any:
    return ParseDict(data, points_pb2.Tier(), ignore_unknown_fields=True)


async def list_tiers(session: AsyncSession) -> list[Any]:
    rows = (await session.scalars(sa.select(tiers.c.definition).order_by(tiers.c.rank))).all()
    return [from_dict(row) for row in rows]


def validate(tier: Any) -> None:
    if not tier.tier_code or not tier.tier_code.replace("_", "").isalnum():
        raise InvalidArgument("tier.tier_code", "is required: letters, digits and _")
    if not tier.name.strip():
        raise InvalidArgument("tier.name", "is required")
    if tier.rank < 0:
        raise InvalidArgument("tier.rank", "must not be negative")
    if tier.qualification.min_assets.amount:
        try:
            min_assets = Decimal(tier.qualification.min_assets.amount)
        except InvalidOperation as error:
            raise InvalidArgument("tier.qualification.min_assets.amount", "is not a decimal") from error
        if not min_assets.is_finite() or min_assets <= 0:
            raise InvalidArgument("tier.qualification.min_assets.amount", "must be a positive amount")
    if tier.downgrade_grace_days < 0:
        raise InvalidArgument("tier.downgrade_grace_days", "must not be negative")
    for index, benefit in enumerate(tier.benefits):
        if benefit.kind == points_pb2.BENEFIT_KIND_POINTS_MULTIPLIER:
            try:
                value = Decimal(benefit.value.value)
            except Exception as error:
                raise InvalidArgument(f"tier.benefits[{index}].value", "is not a decimal") from error
            if not Decimal(1) <= value <= Decimal(10):
                raise InvalidArgument(
                    f"tier.benefits[{index}].value", "a multiplier must be between 1 and 10"
                )


async def upsert_tier(session: AsyncSession, tier: Any) -> Any:
    validate(tier)
    clash = await session.scalar(
        sa.select(tiers.c.tier_code).where(tiers.c.rank == tier.rank, tiers.c.tier_code != tier.tier_code)
    )
    if clash is not None:
        raise Conflict(f"rank {tier.rank} is already taken by tier {clash!r}")
    statement = insert(tiers).values(
        tier_code=tier.tier_code,
        rank=tier.rank,
        definition=MessageToDict(tier, preserving_proto_field_name=True),
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[tiers.c.tier_code],
            set_={
                "rank": statement.excluded.rank,
                "definition": statement.excluded.definition,
                "updated_at": sa.func.now(),
            },
        )
    )
    return tier


async def member_tier(session: AsyncSession, customer_id: str) -> str:
    tier_code = await session.scalar(
        sa.select(members.c.tier_code).where(members.c.customer_id == customer_id)
    )
    if tier_code is None:
        raise NotFound("member", customer_id)
    return str(tier_code)


async def points_multiplier(session: AsyncSession, tier_code: str) -> Decimal:
    data = await session.scalar(sa.select(tiers.c.definition).where(tiers.c.tier_code == tier_code))
    if data is None:
        return Decimal(1)
    best = Decimal(1)
    for benefit in from_dict(data).benefits:
        if benefit.kind == points_pb2.BENEFIT_KIND_POINTS_MULTIPLIER and benefit.value.value:
            best = max(best, Decimal(benefit.value.value))
    return best


async def earned_12m(session: AsyncSession, customer_id: str, today: dt.date) -> int:
    """Points earned in the rolling 12 months, net of reversed earns."""
    since = today - dt.timedelta(days=365)
    earned = await session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(postings.c.points), 0)).where(
            postings.c.customer_id == customer_id,
            postings.c.award_day > since,
            sa.or_(
                postings.c.kind == "EARN",
                sa.and_(postings.c.kind == "REVERSAL", postings.c.points < 0),
            ),
        )
    )
    return int(earned or 0)


def _qualification(
    tier: Any, *, points_12m: int, assets: Decimal, paid_through: dt.date | None, today: dt.date
) -> str | None:
    """Why the member qualifies for `tier` ("qualified_points", "qualified_assets", "paid"), or None.

    Any satisfied rule qualifies (TierQualification); the registered tier takes everyone.
    """
    rule = tier.qualification
    if tier.kind == points_pb2.TIER_KIND_REGISTERED:
        return "registered"
    if rule.requires_paid_membership and paid_through is not None and paid_through >= today:
        return "paid"
    if rule.min_points_12m and points_12m >= rule.min_points_12m:
        return "qualified_points"
    if rule.min_assets.amount and assets >= _money(rule.min_assets.amount):
        return "qualified_assets"
    return None


def _money(amount: str) -> Decimal:
    try:
        return Decimal(amount)
    except InvalidOperation:  # validated on upsert; an old bad row qualifies nobody
        return Decimal("Infinity")


async def evaluate(
    session: AsyncSession, customer_id: str, today: dt.date, *, review: bool, reason: str | None = None
) -> Any | None:
    """Re-evaluate a member's tier; returns the TierChange when it changed.

    review=False (after an earn or a payment) only ever upgrades. review=True (a review date has
    come) may also start the grace period, and downgrades once the grace period is over.
    """
    member = (
        await session.execute(
            sa.select(members).where(members.c.customer_id == customer_id).with_for_update()
        )
    ).first()
    if member is None:
        raise NotFound("member", customer_id)
    ladder = await list_tiers(session)
    if not ladder:
        return None
    points = await earned_12m(session, customer_id, today)
    assets = await customer_facts.assets_of(session, customer_id)
    qualified: list[tuple[Any, str]] = []
    for tier in ladder:
        why = _qualification(
            tier, points_12m=points, assets=assets, paid_through=member.paid_through, today=today
        )
        if why is not None:
            qualified.append((tier, why))
    best, best_why = max(qualified, key=lambda pair: pair[0].rank) if qualified else (ladder[0], "registered")
    current = next((t for t in ladder if t.tier_code == member.tier_code), ladder[0])
    if best.rank > current.rank:
        return await _change(session, customer_id, current, best, reason or best_why, today)
    if best.rank == current.rank:
        if member.downgrade_due_on is not None:
            await session.execute(
                sa.update(members).where(members.c.customer_id == customer_id).values(downgrade_due_on=None)
            )
        return None
    if not review:
        return None
    due = member.downgrade_due_on
    if due is None:
        due = today + dt.timedelta(days=current.downgrade_grace_days)
        await session.execute(
            sa.update(members).where(members.c.customer_id == customer_id).values(downgrade_due_on=due)
        )
    if today >= due:
        return await _change(session, customer_id, current, best, "review_downgrade", today)
    return None


async def _change(
    session: AsyncSession, customer_id: str, current: Any, target: Any, reason: str, today: dt.date
) -> Any:
    moment = dt.datetime.now(dt.UTC)
    await session.execute(
        sa.update(members)
        .where(members.c.customer_id == customer_id)
        .values(
            tier_code=target.tier_code,
            tier_since=moment,
            tier_review_on=today + REVIEW_PERIOD,
            downgrade_due_on=None,
            updated_at=moment,
        )
    )
    await session.execute(
        tier_changes.insert().values(
            customer_id=customer_id,
            from_tier_code=current.tier_code,
            to_tier_code=target.tier_code,
            reason=reason,
            effective_at=moment,
        )
    )
    change = points_pb2.TierChange(
        customer_id=customer_id,
        from_tier_code=current.tier_code,
        to_tier_code=target.tier_code,
        reason=reason,
    )
    change.effective_at.FromDatetime(moment)
    event = points_events_pb2.TierChanged(
        customer_id=customer_id,
        from_tier_code=current.tier_code,
        to_tier_code=target.tier_code,
        upgrade=target.rank > current.rank,
        reason=reason,
    )
    event.effective_at.FromDatetime(moment)
    await publish(session, event)
    return change


async def review_due(session: AsyncSession, customer_id: str, today: dt.date) -> Any | None:
    """EvaluateTier: a review counts only when the member's review date has come."""
    review_on = await session.scalar(
        sa.select(members.c.tier_review_on).where(members.c.customer_id == customer_id)
    )
    review = review_on is not None and today >= review_on
    return await evaluate(session, customer_id, today, review=review)


async def history(session: AsyncSession, customer_id: str, *, limit: int, offset: int) -> list[Any]:
    rows = (
        await session.execute(
            sa.select(tier_changes)
            .where(tier_changes.c.customer_id == customer_id)
            .order_by(tier_changes.c.change_id.desc())
            .limit(limit)
            .offset(offset)
        )
    ).all()
    result = []
    for row in rows:
        change = points_pb2.TierChange(
            customer_id=row.customer_id,
            from_tier_code=row.from_tier_code,
            to_tier_code=row.to_tier_code,
            reason=row.reason,
        )
        change.effective_at.FromDatetime(row.effective_at)
        result.append(change)
    return result


async def set_paid_membership(
    session: AsyncSession,
    *,
    customer_id: str,
    tier_code: str,
    paid_through: dt.date,
    fee: str | None,
    payment_ref: str,
) -> tuple[Any | None, bool]:
    """Record a membership fee paid in billing (idempotent by payment_ref) and upgrade at once."""
    if not payment_ref:
        raise InvalidArgument("payment_ref", "is required (it makes the call idempotent)")
    data = await session.scalar(sa.select(tiers.c.definition).where(tiers.c.tier_code == tier_code))
    if data is None:
        raise NotFound("tier", tier_code)
    if not from_dict(data).qualification.requires_paid_membership:
        raise FailedPrecondition(f"tier {tier_code!r} is not a paid tier")
    inserted = await session.execute(
        insert(paid_memberships)
        .values(
            payment_ref=payment_ref,
            customer_id=customer_id,
            tier_code=tier_code,
            paid_through=paid_through,
            fee_paid=fee,
        )
        .on_conflict_do_nothing()
        .returning(paid_memberships.c.payment_ref)
    )
    if inserted.first() is None:
        previous = (
            await session.execute(
                sa.select(paid_memberships).where(paid_memberships.c.payment_ref == payment_ref)
            )
        ).one()
        if previous.customer_id != customer_id or previous.paid_through != paid_through:
            raise Conflict(f"payment_ref {payment_ref!r} was already recorded with different details")
        return None, True
    await session.execute(
        sa.update(members)
        .where(members.c.customer_id == customer_id)
        .values(
            paid_through=sa.func.greatest(
                sa.func.coalesce(members.c.paid_through, paid_through), paid_through
            )
        )
    )
    today = dt.datetime.now(dt.UTC).date()
    return await evaluate(session, customer_id, today, review=False, reason="paid"), False
