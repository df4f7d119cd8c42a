"""The expiry job: pending points released, due lots expired, advance notices, stale reservations.

Resumable and idempotent by construction: each member is processed in its own transaction under
the business key "expire:<member>:<date>", so a job killed half-way and started again skips the
members already done, and a second run of a finished date reports `already_done`. Notices are
recorded per (member, expiry date, notice days) so a campaign hears "expiring in 30 days" once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from lingxi.events.v1 import points_events_pb2
from lingxi_common.db import transaction
from lingxi_points import ledger, rewards
from lingxi_points.events import proto_date, publish
from lingxi_points.models import expiry_notices, expiry_runs, lots, postings

NOTICE_DAYS = (30, 7)


@dataclass(frozen=True, slots=True)
class ExpiryRun:
    run_id: str
    members: int
    points_expired: int
    already_done: bool


async def run_expiry(
    sessions: async_sessionmaker[AsyncSession], as_of: dt.date, notice_days: tuple[int, ...] = NOTICE_DAYS
) -> ExpiryRun:
    async with transaction(sessions) as session:
        await session.execute(
            insert(expiry_runs).values(as_of=as_of, run_id=uuid.uuid4()).on_conflict_do_nothing()
        )
        run = (await session.execute(sa.select(expiry_runs).where(expiry_runs.c.as_of == as_of))).one()
    if run.completed_at is not None:
        return ExpiryRun(str(run.run_id), run.members, run.points_expired, True)
    async with sessions() as session:
        due = (
            await session.scalars(
                sa.select(lots.c.customer_id)
                .where(
                    lots.c.remaining > 0,
                    sa.or_(
                        sa.and_(lots.c.state == "pending", lots.c.available_on <= as_of),
                        sa.and_(lots.c.state == "available", lots.c.expires_on <= as_of),
                    ),
                )
                .distinct()
            )
        ).all()
    for customer_id in due:
        async with transaction(sessions) as session:
            await ledger.release_pending(session, customer_id=customer_id, as_of=as_of)
            await ledger.expire(session, customer_id=customer_id, as_of=as_of)
    async with transaction(sessions) as session:
        await send_notices(session, as_of, notice_days)
        totals = (
            await session.execute(
                sa.select(sa.func.count(), sa.func.coalesce(-sa.func.sum(postings.c.points), 0)).where(
                    postings.c.kind == "EXPIRE", postings.c.business_key.like(f"expire:%:{as_of.isoformat()}")
                )
            )
        ).one()
        await session.execute(
            sa.update(expiry_runs)
            .where(expiry_runs.c.as_of == as_of)
            .values(completed_at=sa.func.now(), members=totals[0], points_expired=int(totals[1]))
        )
    return ExpiryRun(str(run.run_id), int(totals[0]), int(totals[1]), False)


async def send_notices(session: AsyncSession, as_of: dt.date, notice_days: tuple[int, ...]) -> int:
    """Announce points expiring within each notice window, once per member, date and window."""
    sent = 0
    for days in notice_days:
        rows = (
            await session.execute(
                sa.select(
                    lots.c.customer_id, lots.c.expires_on, sa.func.sum(lots.c.remaining).label("points")
                )
                .where(
                    lots.c.remaining > 0,
                    lots.c.expires_on > as_of,
                    lots.c.expires_on <= as_of + dt.timedelta(days=days),
                )
                .group_by(lots.c.customer_id, lots.c.expires_on)
            )
        ).all()
        for row in rows:
            claimed = await session.execute(
                insert(expiry_notices)
                .values(
                    customer_id=row.customer_id,
                    expires_on=row.expires_on,
                    notice_days=days,
                    points=row.points,
                )
                .on_conflict_do_nothing()
                .returning(expiry_notices.c.customer_id)
            )
            if claimed.first() is None:
                continue
            await publish(
                session,
                points_events_pb2.PointsExpiring(
                    customer_id=row.customer_id,
                    points=int(row.points),
                    expires_on=proto_date(row.expires_on),
                    days_left=(row.expires_on - as_of).days,
                ),
            )
            sent += 1
    return sent


async def expire_reservations(sessions: async_sessionmaker[AsyncSession], moment: dt.datetime) -> int:
    """Reservations left unfulfilled past their time to live release their stock and points."""
    async with sessions() as session:
        overdue = await rewards.overdue_reservations(session, moment)
    for redemption_id in overdue:
        async with transaction(sessions) as session:
            row = await rewards.get_redemption(session, redemption_id)
            if row.status == "RESERVED":
                await rewards.cancel(session, redemption_id, "reservation expired", expired=True)
    return len(overdue)
