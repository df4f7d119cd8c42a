"""Executed trades over gRPC (intraday feeds; the nightly extract uses the bulk import).

A trade is a fact: recording the same ``trade_id`` again is a no-op, so a feed may resend freely.
Every trade names its account; the customer comes from the account (a stated customer that does
not own the account is refused), which keeps trades attributable and in the right data scope.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.tag.v1 import customer_pb2
from lingxi_common.errors import InvalidArgument, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_tag.accounts import decimal
from lingxi_tag.models import accounts, trades
from lingxi_tag.watchlists import SECURITY_CODE

WRITERS = frozenset({Role.HQ_OPERATOR, Role.SERVICE})
MAX_TRADES = 10_000
LIMIT = Decimal("1e16")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")


def _amount(value: str, field: str, *, required: bool, positive: bool = False) -> Decimal | None:
    number = decimal(value, field, allow_empty=not required)
    if number is None:
        return None
    if number < 0 or (positive and number == 0):
        raise InvalidArgument(field, "must be positive" if positive else "must not be negative")
    if number >= LIMIT:
        raise InvalidArgument(field, "out of range")
    return number


def _row(trade: customer_pb2.Trade, where: str) -> dict[str, Any]:
    if not _ID.match(trade.trade_id):
        raise InvalidArgument(f"{where}.trade_id", "required: 1-128 letters, digits, '_', '.', ':', '-'")
    if not _ID.match(trade.account_id):
        raise InvalidArgument(f"{where}.account_id", "required")
    if not SECURITY_CODE.match(trade.security_code):
        raise InvalidArgument(f"{where}.security_code", "a security code, e.g. 600519.SH")
    if trade.side not in customer_pb2.TradeSide.values() or trade.side == customer_pb2.TRADE_SIDE_UNSPECIFIED:
        raise InvalidArgument(f"{where}.side", "BUY, SELL, SUBSCRIBE or REDEEM")
    if not trade.HasField("traded_at"):
        raise InvalidArgument(f"{where}.traded_at", "required")
    if len(trade.order_channel) > 32:
        raise InvalidArgument(f"{where}.order_channel", "at most 32 characters")
    quantity = _amount(trade.quantity.value, f"{where}.quantity", required=True, positive=True)
    price = _amount(trade.price.amount, f"{where}.price", required=True)
    assert quantity is not None and price is not None
    amount = _amount(trade.amount.amount, f"{where}.amount", required=False)
    fee = _amount(trade.fee.amount, f"{where}.fee", required=False)
    return {
        "trade_id": trade.trade_id,
        "account_id": trade.account_id,
        "customer_id": trade.customer_id,
        "security_code": trade.security_code,
        "side": trade.side,
        "quantity": quantity,
        "price": price,
        "amount": amount if amount is not None else round(quantity * price, 2),
        "fee": fee or Decimal(0),
        "traded_at": trade.traded_at.ToDatetime(tzinfo=dt.UTC),
        "order_channel": trade.order_channel or None,
    }


async def record_trades(
    session: AsyncSession, caller: Caller, batch: Sequence[customer_pb2.Trade]
) -> tuple[int, int, list[str]]:
    """Store new trades; returns (recorded, duplicates, customers whose trades changed)."""
    if caller.role not in WRITERS:
        raise PermissionDenied(f"role {caller.role.value} may not record trades")
    if not batch:
        raise InvalidArgument("trades", "at least one trade is required")
    if len(batch) > MAX_TRADES:
        raise InvalidArgument("trades", f"at most {MAX_TRADES} trades per call")
    rows = [_row(trade, f"trades[{position}]") for position, trade in enumerate(batch)]
    owners = {
        row.account_id: row.customer_id
        for row in (
            await session.execute(
                sa.select(accounts.c.account_id, accounts.c.customer_id).where(
                    accounts.c.account_id.in_({row["account_id"] for row in rows})
                )
            )
        ).all()
    }
    unique: dict[str, dict[str, Any]] = {}
    for position, row in enumerate(rows):
        owner = owners.get(row["account_id"])
        if owner is None:
            raise InvalidArgument(f"trades[{position}].account_id", f"unknown account {row['account_id']!r}")
        if row["customer_id"] and row["customer_id"] != owner:
            raise InvalidArgument(
                f"trades[{position}].customer_id", "the account belongs to another customer"
            )
        row["customer_id"] = owner
        unique.setdefault(row["trade_id"], row)
    # executemany with RETURNING: SQLAlchemy batches it into multi-row INSERTs under the
    # driver's parameter limit.
    inserted = (
        await session.execute(
            postgresql.insert(trades)
            .on_conflict_do_nothing(index_elements=[trades.c.trade_id])
            .returning(trades.c.trade_id, trades.c.customer_id),
            list(unique.values()),
        )
    ).all()
    customers = sorted({row.customer_id for row in inserted})
    return len(inserted), len(batch) - len(inserted), customers
