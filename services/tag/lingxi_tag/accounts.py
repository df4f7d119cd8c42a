"""Fund and margin account balances and holdings (single changes over gRPC; bulk via import).

An account change publishes ``AccountChanged`` with the maintenance ratio before and after, so the
margin-warning strategy acts without a lookup; the caller re-evaluates the customer's real-time
tags in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.common.v1 import date_pb2, decimal_pb2, event_meta_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import customer_pb2
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.identity import Caller, Role
from lingxi_common.outbox import emit
from lingxi_tag.models import accounts, customers, holdings, outbox

WRITERS = frozenset({Role.HQ_OPERATOR, Role.SERVICE})
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_TYPE_NAMES = {
    customer_pb2.ACCOUNT_TYPE_CASH: "cash",
    customer_pb2.ACCOUNT_TYPE_MARGIN: "margin",
    customer_pb2.ACCOUNT_TYPE_FUND: "fund",
}


def decimal(value: str, field: str, *, allow_empty: bool = True) -> Decimal | None:
    if not value:
        if allow_empty:
            return None
        raise InvalidArgument(field, "required")
    try:
        number = Decimal(value)
    except InvalidOperation as error:
        raise InvalidArgument(field, f"not a decimal number: {value!r}") from error
    if not number.is_finite():
        raise InvalidArgument(field, "must be finite")
    return number


def _date(value: date_pb2.Date, field: str) -> dt.date | None:
    if not (value.year or value.month or value.day):
        return None
    try:
        return dt.date(value.year, value.month, value.day)
    except ValueError as error:
        raise InvalidArgument(field, str(error)) from error


async def _customer(session: AsyncSession, customer_id: str) -> Any:
    row = (
        await session.execute(
            sa.select(customers.c.customer_id, customers.c.branch_id, customers.c.advisor_id).where(
                customers.c.customer_id == customer_id
            )
        )
    ).first()
    if row is None:
        raise NotFound("customer", customer_id)
    return row


async def upsert_account(session: AsyncSession, caller: Caller, account: customer_pb2.FundAccount) -> bool:
    """Write one account's balances; returns whether it was created."""
    if caller.role not in WRITERS:
        raise PermissionDenied(f"role {caller.role.value} may not write accounts")
    if not _ID.match(account.account_id):
        raise InvalidArgument("account.account_id", "required: 1-64 letters, digits, '_', '.', '-'")
    if account.account_type not in _TYPE_NAMES:
        raise InvalidArgument("account.account_type", "required: CASH, MARGIN or FUND")
    owner = await _customer(session, account.customer_id)
    values: dict[str, Any] = {
        "customer_id": account.customer_id,
        "account_type": account.account_type,
        "status": account.status or customer_pb2.ACCOUNT_STATUS_NORMAL,
    }
    for field in ("total_assets", "cash_balance", "stock_market_value", "fund_market_value", "liabilities"):
        values[field] = decimal(getattr(account, field).amount, f"account.{field}") or Decimal(0)
    values["maintenance_ratio"] = decimal(account.maintenance_ratio.value, "account.maintenance_ratio")
    values["contract_expires_on"] = _date(account.contract_expires_on, "account.contract_expires_on")
    values["opened_on"] = _date(account.opened_on, "account.opened_on")
    values["as_of"] = (
        account.as_of.ToDatetime(tzinfo=dt.UTC) if account.HasField("as_of") else dt.datetime.now(dt.UTC)
    )
    previous = (
        await session.execute(
            sa.select(accounts).where(accounts.c.account_id == account.account_id).with_for_update()
        )
    ).first()
    if previous is not None and previous.customer_id != account.customer_id:
        raise InvalidArgument("account.customer_id", "the account belongs to another customer")
    if previous is not None and previous.as_of is not None and values["as_of"] < previous.as_of:
        return False  # an older snapshot delivered late changes nothing
    statement = postgresql.insert(accounts).values(account_id=account.account_id, **values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[accounts.c.account_id], set_={**values, "updated_at": sa.func.now()}
        )
    )
    changed = [f for f in values if previous is None or previous._mapping[f] != values[f]]
    meta = event_meta_pb2.EventMeta(event_id=str(uuid.uuid4()), producer="tag")
    meta.occurred_at.GetCurrentTime()
    event = tag_events_pb2.AccountChanged(
        meta=meta,
        customer=common_customer_pb2.CustomerRef(
            customer_id=owner.customer_id, branch_id=owner.branch_id, advisor_id=owner.advisor_id or ""
        ),
        account_id=account.account_id,
        kind=tag_events_pb2.CHANGE_KIND_CREATED if previous is None else tag_events_pb2.CHANGE_KIND_UPDATED,
        changed_fields=changed,
        total_assets=decimal_pb2.Money(amount=f"{values['total_assets']:.2f}"),
        cash_balance=decimal_pb2.Money(amount=f"{values['cash_balance']:.2f}"),
        account_type=_TYPE_NAMES[account.account_type],
    )
    event.as_of.FromDatetime(values["as_of"])
    if values["maintenance_ratio"] is not None:
        event.maintenance_ratio.value = str(values["maintenance_ratio"])
    if previous is not None and previous.maintenance_ratio is not None:
        event.previous_maintenance_ratio.value = str(previous.maintenance_ratio)
    if values["contract_expires_on"] is not None:
        d = values["contract_expires_on"]
        event.contract_expires_on.CopyFrom(date_pb2.Date(year=d.year, month=d.month, day=d.day))
    if changed:
        await emit(session, outbox, event)
    return previous is None


async def upsert_holdings(
    session: AsyncSession,
    caller: Caller,
    account_id: str,
    positions: list[customer_pb2.Holding],
    replace: bool,
) -> tuple[str, int, int]:
    """Upsert positions of one account (closing unlisted ones when ``replace``); returns owner, counts."""
    if caller.role not in WRITERS:
        raise PermissionDenied(f"role {caller.role.value} may not write holdings")
    account = (
        await session.execute(sa.select(accounts.c.customer_id).where(accounts.c.account_id == account_id))
    ).first()
    if account is None:
        raise NotFound("account", account_id)
    rows = []
    for index, position in enumerate(positions):
        where = f"holdings[{index}]"
        if not position.security_code:
            raise InvalidArgument(f"{where}.security_code", "required")
        rows.append(
            {
                "account_id": account_id,
                "security_code": position.security_code,
                "customer_id": account.customer_id,
                "security_name": position.security_name,
                "security_type": position.security_type or customer_pb2.SECURITY_TYPE_STOCK,
                "quantity": decimal(position.quantity.value, f"{where}.quantity", allow_empty=False),
                "cost": decimal(position.cost.amount, f"{where}.cost") or Decimal(0),
                "market_value": decimal(position.market_value.amount, f"{where}.market_value") or Decimal(0),
                "unrealized_pnl": decimal(position.unrealized_pnl.amount, f"{where}.unrealized_pnl")
                or Decimal(0),
                "unrealized_pnl_ratio": decimal(
                    position.unrealized_pnl_ratio.value, f"{where}.unrealized_pnl_ratio"
                ),
                "sector_code": position.sector_code or None,
                "as_of": position.as_of.ToDatetime(tzinfo=dt.UTC)
                if position.HasField("as_of")
                else dt.datetime.now(dt.UTC),
            }
        )
    closed = 0
    if replace:
        codes = [row["security_code"] for row in rows]
        result = await session.execute(
            holdings.update()
            .where(
                holdings.c.account_id == account_id,
                holdings.c.security_code.not_in(codes) if codes else sa.true(),
            )
            .values(quantity=0, market_value=0, unrealized_pnl=0)
        )
        closed = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if rows:
        statement = postgresql.insert(holdings)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=[holdings.c.account_id, holdings.c.security_code],
                set_={
                    key: statement.excluded[key]
                    for key in rows[0]
                    if key not in ("account_id", "security_code")
                },
            ),
            rows,
        )
    return account.customer_id, len(rows), closed
