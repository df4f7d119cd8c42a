"""Daily check-in (每日签到) with streak bonuses.

One check-in per member per business day: the day is part of the posting's business key and the
primary key of `checkins`, so a double tap, a retry or two devices at once earn once. The streak
continues when yesterday has a check-in; a bonus is paid on every multiple of a bonus's length
(with 7- and 30-day bonuses, day 7, 14, 21 … and day 30, 60 …), the largest one that applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.points.v1 import points_pb2
from lingxi_common.errors import FailedPrecondition
from lingxi_points import ledger, rules
from lingxi_points.models import checkins, earning_rules


@dataclass(frozen=True, slots=True)
class CheckIn:
    checked_in: bool
    posting: ledger.Posting | None
    streak_days: int
    points: int
    bonus_points: int


async def check_in_rule(session: AsyncSession) -> Any:
    rows = (await session.scalars(sa.select(earning_rules.c.definition).where(earning_rules.c.active))).all()
    for data in rows:
        rule = rules.from_dict(data)
        if rule.trigger == points_pb2.EARN_TRIGGER_CHECK_IN:
            return rule
    raise FailedPrecondition("no active check-in rule is configured")


def bonus_for(rule: Any, streak: int) -> int:
    bonuses = [b.bonus_points for b in rule.streak_bonuses if streak % b.streak_days == 0]
    return int(max(bonuses, default=0))


async def check_in(session: AsyncSession, customer_id: str, today: dt.date | None = None) -> CheckIn:
    day = today or ledger.business_day(ledger.now())
    await ledger.lock_member(session, customer_id)
    done = (
        await session.execute(
            sa.select(checkins).where(checkins.c.customer_id == customer_id, checkins.c.day == day)
        )
    ).first()
    if done is not None:
        posting = await ledger.find_posting(session, posting_id=done.posting_id)
        return CheckIn(False, posting, done.streak, done.points, done.bonus_points)
    rule = await check_in_rule(session)
    previous = await session.scalar(
        sa.select(checkins.c.streak).where(
            checkins.c.customer_id == customer_id, checkins.c.day == day - dt.timedelta(days=1)
        )
    )
    streak = (previous or 0) + 1
    bonus = bonus_for(rule, streak)
    occurred = dt.datetime.combine(day, dt.time(12), tzinfo=ledger.BUSINESS_TZ)
    awarded = await rules.award(
        session,
        rule=rule,
        customer_id=customer_id,
        business_key=f"checkin:{customer_id}:{day.isoformat()}",
        occurred_at=occurred,
        extra_points=bonus,
        context=ledger.Context(description=rule.name + (f"（连续{streak}天）" if bonus else "")),
    )
    if awarded.result is None:
        raise FailedPrecondition(f"check-in earned nothing: {awarded.reason}")
    await session.execute(
        checkins.insert().values(
            customer_id=customer_id,
            day=day,
            streak=streak,
            posting_id=awarded.result.posting.posting_id,
            points=awarded.points,
            bonus_points=bonus,
        )
    )
    return CheckIn(True, awarded.result.posting, streak, awarded.points, bonus)


async def status(session: AsyncSession, customer_id: str, today: dt.date | None = None) -> dict[str, Any]:
    day = today or ledger.business_day(ledger.now())
    month_start = day.replace(day=1)
    rows = (
        await session.execute(
            sa.select(checkins.c.day, checkins.c.streak)
            .where(
                checkins.c.customer_id == customer_id, checkins.c.day >= month_start - dt.timedelta(days=1)
            )
            .order_by(checkins.c.day)
        )
    ).all()
    by_day = {row.day: row.streak for row in rows}
    streak = by_day.get(day) or by_day.get(day - dt.timedelta(days=1)) or 0
    rule = await check_in_rule(session)
    next_streak = (by_day[day] + 1) if day in by_day else streak + 1
    return {
        "checked_in_today": day in by_day,
        "streak_days": streak,
        "dates": [d for d in by_day if d >= month_start],
        "next_points": int(rule.points) + bonus_for(rule, next_streak),
    }
