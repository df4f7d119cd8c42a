"""External market value (外部市值): the estimate of assets a customer holds at other brokerages.

It arrives two ways: nightly in the warehouse metrics extract, and as single updates from a data
vendor or a survey through SetExternalAssets. Both land in ``customer_metrics.external_market_value``
— the one column tag rules read — and the single updates also keep their date and source, which
customer 360 shows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import date_pb2, decimal_pb2
from lingxi.tag.v1 import customer_pb2
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_tag.accounts import decimal
from lingxi_tag.models import customer_metrics, customers

WRITERS = frozenset({Role.HQ_OPERATOR, Role.SERVICE})
MAX_VALUE = Decimal("1e17")


def _date(value: date_pb2.Date, field: str) -> dt.date | None:
    if not (value.year or value.month or value.day):
        return None
    try:
        return dt.date(value.year, value.month, value.day)
    except ValueError as error:
        raise InvalidArgument(field, f"not a valid date ({error})") from error


async def set_external_assets(
    session: AsyncSession, caller: Caller, customer_id: str, assets: customer_pb2.ExternalAssets
) -> customer_pb2.ExternalAssets:
    if caller.role not in WRITERS:
        raise PermissionDenied(f"role {caller.role.value} may not set external assets")
    money = assets.external_market_value
    amount = decimal(money.amount, "external_assets.external_market_value.amount", allow_empty=False)
    assert amount is not None
    if amount < 0 or amount >= MAX_VALUE:
        raise InvalidArgument(
            "external_assets.external_market_value.amount", "must be at least 0 and below 1e17"
        )
    if money.currency_code not in ("", "CNY"):
        raise InvalidArgument("external_assets.external_market_value.currency_code", "only CNY")
    as_of = _date(assets.as_of, "external_assets.as_of")
    if len(assets.source) > 64:
        raise InvalidArgument("external_assets.source", "at most 64 characters")
    exists = (
        await session.execute(
            sa.select(customers.c.customer_id).where(customers.c.customer_id == customer_id)
        )
    ).first()
    if exists is None:
        raise NotFound("customer", customer_id)
    values = {
        "external_market_value": amount,
        "external_assets_as_of": as_of or dt.date.today(),
        "external_assets_source": assets.source or "api",
    }
    statement = postgresql.insert(customer_metrics).values(customer_id=customer_id, **values)
    await session.execute(
        statement.on_conflict_do_update(index_elements=[customer_metrics.c.customer_id], set_=values)
    )
    return await external_assets_of(session, customer_id)


async def external_assets_of(session: AsyncSession, customer_id: str) -> customer_pb2.ExternalAssets:
    row = (
        await session.execute(
            sa.select(
                customer_metrics.c.external_market_value,
                customer_metrics.c.external_assets_as_of,
                customer_metrics.c.external_assets_source,
                customer_metrics.c.as_of,
            ).where(customer_metrics.c.customer_id == customer_id)
        )
    ).first()
    result = customer_pb2.ExternalAssets(
        external_market_value=decimal_pb2.Money(
            amount=f"{Decimal(row.external_market_value if row else 0):.2f}", currency_code="CNY"
        ),
        source=(row.external_assets_source or "warehouse") if row else "",
    )
    as_of = (row.external_assets_as_of or row.as_of) if row else None
    if as_of is not None:
        result.as_of.CopyFrom(date_pb2.Date(year=as_of.year, month=as_of.month, day=as_of.day))
    return result
