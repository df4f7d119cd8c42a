"""The liability report for finance: what is owed in points, what moved, what will expire."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import date_pb2, decimal_pb2
from lingxi.points.v1 import points_pb2
from lingxi_points.events import proto_date
from lingxi_points.models import balances, entries, lots, postings


async def liability(
    session: AsyncSession, as_of: dt.date, start: dt.date, end: dt.date, point_value: Decimal
) -> Any:
    totals = (
        await session.execute(
            sa.select(
                sa.func.coalesce(sa.func.sum(balances.c.available), 0),
                sa.func.coalesce(sa.func.sum(balances.c.pending), 0),
                sa.func.coalesce(sa.func.sum(balances.c.reserved), 0),
                sa.func.count().filter(balances.c.available + balances.c.pending + balances.c.reserved > 0),
            )
        )
    ).one()
    flows: dict[str, int] = dict(
        (
            await session.execute(
                sa.select(postings.c.kind, sa.func.sum(postings.c.points))
                .where(postings.c.award_day.between(start, end))
                .group_by(postings.c.kind)
            )
        ).all()
    )
    consumed = await session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(entries.c.amount), 0))
        .select_from(entries.join(postings, postings.c.posting_id == entries.c.posting_id))
        .where(
            postings.c.kind == "CONSUME",
            entries.c.account == "REDEMPTION",
            postings.c.award_day.between(start, end),
        )
    )
    imbalance = await session.scalar(sa.select(sa.func.coalesce(sa.func.sum(entries.c.amount), 0)))
    month = sa.func.date_trunc("month", lots.c.expires_on)
    expiring = (
        await session.execute(
            sa.select(month.label("month"), sa.func.sum(lots.c.remaining))
            .where(lots.c.remaining > 0, lots.c.expires_on > as_of)
            .group_by(month)
            .order_by(month)
            .limit(24)
        )
    ).all()
    outstanding = int(totals[0]) + int(totals[1]) + int(totals[2])
    return points_pb2.LiabilityReport(
        as_of=proto_date(as_of),
        available_points=int(totals[0]),
        pending_points=int(totals[1]),
        reserved_points=int(totals[2]),
        members_with_balance=int(totals[3]),
        earned=int(flows.get("EARN", 0) or 0),
        spent=-int(flows.get("SPEND", 0) or 0) + int(consumed or 0),
        expired=-int(flows.get("EXPIRE", 0) or 0),
        reversed=int(flows.get("REVERSAL", 0) or 0),
        adjusted=int(flows.get("ADJUSTMENT", 0) or 0),
        expiring=[
            points_pb2.ExpiryBucket(expires_on=proto_date(row[0].date()), points=int(row[1]))
            for row in expiring
        ],
        point_value=decimal_pb2.Decimal(value=str(point_value)),
        liability_amount=decimal_pb2.Money(
            amount=str((point_value * outstanding).quantize(Decimal("0.01"))), currency_code="CNY"
        ),
        ledger_imbalance=int(imbalance or 0),
        period=date_pb2.DateRange(start=proto_date(start), end=proto_date(end)),
    )
