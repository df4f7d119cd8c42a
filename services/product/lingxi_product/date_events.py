"""Dated product events for reminder strategies: subscription opening/closing, maturity (T-3), payout.

A daily sweep looks at every product's key dates and announces what is due; `date_events`
remembers each (product, event, date) it announced, so re-running the sweep — twice a day, on two
replicas, or after a crash — announces nothing twice.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from google.protobuf.message import Message
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import date_pb2
from lingxi.events.v1 import product_events_pb2
from lingxi.product.v1 import product_pb2
from lingxi_common.outbox import emit
from lingxi_product import catalog
from lingxi_product.convert import event_meta, from_date
from lingxi_product.models import date_events, outbox, products

PAYOUT_LOOKBACK_DAYS = 3  # a payout found late (sweep missed) is still announced within this


async def _once(session: AsyncSession, product_id: str, kind: str, on: date) -> bool:
    inserted = await session.execute(
        postgresql.insert(date_events)
        .values(product_id=product_id, event_kind=kind, on_date=on)
        .on_conflict_do_nothing()
        .returning(date_events.c.product_id)
    )
    return inserted.first() is not None


def _window(row: Any) -> date_pb2.DateRange:
    window = date_pb2.DateRange()
    if row.subscription_start:
        window.start.CopyFrom(from_date(row.subscription_start))
    if row.subscription_end:
        window.end.CopyFrom(from_date(row.subscription_end))
    return window


async def sweep(session: AsyncSession, today: date, *, notice_days: int = 3) -> list[Message]:
    """Announce everything due on `today` that was not announced yet; returns the events."""
    rows = (
        await session.execute(
            sa.select(products).where(
                products.c.status.in_(
                    [
                        product_pb2.PRODUCT_STATUS_UPCOMING,
                        product_pb2.PRODUCT_STATUS_ON_SALE,
                        product_pb2.PRODUCT_STATUS_CLOSED,
                    ]
                )
            )
        )
    ).all()
    emitted: list[Message] = []
    for row in rows:
        candidates: list[tuple[str, date, Message]] = []
        start, end = row.subscription_start, row.subscription_end
        if start and start <= today and (end is None or today <= end):
            candidates.append(
                (
                    "subscription_opened",
                    start,
                    product_events_pb2.SubscriptionOpened(
                        meta=event_meta(), product=catalog.facts(row), subscription_window=_window(row)
                    ),
                )
            )
        if end and 0 <= (end - today).days <= notice_days:
            candidates.append(
                (
                    "subscription_closing",
                    end,
                    product_events_pb2.SubscriptionClosing(
                        meta=event_meta(),
                        product=catalog.facts(row),
                        closes_on=from_date(end),
                        days_left=(end - today).days,
                    ),
                )
            )
        if row.matures_on and 0 <= (row.matures_on - today).days <= notice_days:
            candidates.append(
                (
                    "maturity_approaching",
                    row.matures_on,
                    product_events_pb2.MaturityApproaching(
                        meta=event_meta(),
                        product=catalog.facts(row),
                        matures_on=from_date(row.matures_on),
                        days_left=(row.matures_on - today).days,
                    ),
                )
            )
        payout = row.next_payout_on
        if payout and today - timedelta(days=PAYOUT_LOOKBACK_DAYS) <= payout <= today:
            candidates.append(
                (
                    "payout_arrived",
                    payout,
                    product_events_pb2.PayoutArrived(
                        meta=event_meta(), product=catalog.facts(row), paid_on=from_date(payout)
                    ),
                )
            )
        for kind, on, event in candidates:
            if await _once(session, row.product_id, kind, on):
                await emit(session, outbox, event)
                emitted.append(event)
    return emitted
